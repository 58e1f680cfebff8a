/**
 * The numeric engine against hand computations, written to close the gaps
 * mutation testing found (npm run mutation): why a descent stops, the MLP's
 * initialisations, every loss value, the per-layer gradient norms, the
 * gradient check itself, softmax with large logits, known activation values.
 */
import * as assert from 'assert';
import { Tape } from '../../src/core/autodiff/tape';
import { ruleOf } from '../../src/core/autodiff/ops';
import { runDescent } from '../../src/core/descent';
import { findFunction } from '../../src/core/find';
import { MLP } from '../../src/core/network/mlp';

const tapeOf = (src: string): Tape => {
  const d = findFunction(src, 'plaintext', 1);
  return new Tape(d.body, d.params);
};
const near = (a: number, b: number, tol = 1e-12): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

describe('descent stops for the right reason', () => {
  it('converged on ‖∇f‖: w² from 1 with η = 0.5 lands on 0 in one step', () => {
    const t = runDescent(tapeOf('f(w) = w^2'), { learningRate: 0.5, maxSteps: 50, optimizer: 'gd', start: { w: 1 } });
    assert.strictEqual(t.status, 'converged');
    assert.strictEqual(t.steps.length, 2);
    assert.strictEqual(t.message, 'converged after 1 steps: ‖∇f‖ = 0');
    assert.deepStrictEqual(t.steps[0].update, [1]);
    // the messages use the function's own name
    assert.strictEqual(runDescent(tapeOf('f(w) = w^2'), { learningRate: 0.5, maxSteps: 50, optimizer: 'gd', start: { w: 1 } }, {}, 'loss').message, 'converged after 1 steps: ‖∇loss‖ = 0');
  });

  it('converged on the step length when the tolerance is set', () => {
    // (w−3)², η = 0.1: the step shrinks by 0.8 each time from 0.6; below 1e-3 after 29 steps
    const t = runDescent(tapeOf('f(w) = (w - 3)^2'), { learningRate: 0.1, maxSteps: 500, optimizer: 'gd', start: { w: 0 } }, { gradientTolerance: 0, stepTolerance: 1e-3 });
    assert.strictEqual(t.status, 'converged');
    const k = Math.ceil(Math.log(1e-3 / 0.6) / Math.log(0.8)); // first k with 0.6·0.8^k < 1e-3
    assert.strictEqual(t.steps.length, k + 2, t.message);
    assert.match(t.message, new RegExp(`^converged after ${k + 1} steps: the step length fell to `));
  });

  it('max-steps after exactly the limit, with one more point than steps', () => {
    const t = runDescent(tapeOf('f(w) = (w - 3)^2'), { learningRate: 0.01, maxSteps: 5, optimizer: 'gd', start: { w: 0 } });
    assert.strictEqual(t.status, 'max-steps');
    assert.strictEqual(t.steps.length, 6);
    assert.ok(t.steps.slice(0, 5).every((s) => s.update) && !t.steps[5].update);
    assert.match(t.message, /^stopped after 5 steps \(the step limit\); ‖∇f‖ = 5\.4/);
  });

  it('diverged when f rises five steps in a row with growing steps (η = 1.1 on w²)', () => {
    const t = runDescent(tapeOf('f(w) = w^2'), { learningRate: 1.1, maxSteps: 100, optimizer: 'gd', start: { w: 1 } });
    assert.strictEqual(t.status, 'diverged');
    assert.match(t.message, /^diverged at step 6: f rose for 5 steps in a row, each step longer than the last/);
  });

  it('diverged when a point explodes past 1e12 (x⁴ from 10 with η = 1)', () => {
    const t = runDescent(tapeOf('f(x) = x^4'), { learningRate: 1, maxSteps: 100, optimizer: 'gd', start: { x: 10 } });
    assert.strictEqual(t.status, 'diverged');
    assert.match(t.message, /^diverged at step 3: the values exploded/);
  });

  it('diverged when a value overflows to ∞ mid-way (exp(x²) from 5 with η = 1)', () => {
    const t = runDescent(tapeOf('f(x) = exp(x^2)'), { learningRate: 1, maxSteps: 100, optimizer: 'gd', start: { x: 5 } });
    assert.strictEqual(t.status, 'diverged');
    assert.match(t.message, /^diverged at step 1: the values overflowed; the learning rate η = 1 is too large/);
  });

  it('undefined when f is defined but its gradient is not (√x + x at 0)', () => {
    const t = runDescent(tapeOf('f(x) = sqrt(x) + x'), { learningRate: 0.1, maxSteps: 10, optimizer: 'gd', start: { x: 0 } });
    assert.strictEqual(t.status, 'undefined');
    assert.strictEqual(t.message, 'the gradient is undefined at x = 0 (step 0)');
  });

  it('undefined at the start with the reason (log of a negative number)', () => {
    const t = runDescent(tapeOf('f(x) = log(x)'), { learningRate: 0.1, maxSteps: 10, optimizer: 'gd', start: { x: -1 } });
    assert.strictEqual(t.status, 'undefined');
    assert.strictEqual(t.message, 'f is undefined at x = -1 (log of a negative number (-1))');
  });

  it('each domain error is named: log of 0, √ of a negative, asin outside [−1, 1], ÷ 0, a negative base to a fractional power, 0 to a negative power', () => {
    const reason = (src: string, x: number): string | undefined => {
      const t = tapeOf(src);
      t.forward([x]);
      return t.firstInvalid()?.reason;
    };
    assert.strictEqual(reason('f(x) = log(x)', 0), 'log of 0');
    assert.strictEqual(reason('f(x) = log(x)', 2), undefined, 'nothing to name where f is defined');
    assert.strictEqual(reason('f(x) = sqrt(x)', -4), 'square root of a negative number (-4)');
    assert.strictEqual(reason('f(x) = asin(x)', 2), 'asin of 2, outside [−1, 1]');
    assert.strictEqual(reason('f(x) = 1 / x', 0), 'division by zero');
    assert.strictEqual(reason('f(x) = x ^ 0.5', -2), 'a negative base (-2) to the non-integer power 0.5');
    assert.strictEqual(reason('f(x) = x ^ (-1)', 0), '0 to the negative power -1');
  });

  it('the optimizer state is kept per step only where the rule has one', () => {
    const g = runDescent(tapeOf('f(w) = w^2'), { learningRate: 0.1, maxSteps: 3, optimizer: 'gd', start: { w: 1 } });
    assert.ok(g.steps.every((s) => s.state === undefined));
    const m = runDescent(tapeOf('f(w) = w^2'), { learningRate: 0.1, maxSteps: 3, optimizer: 'momentum', start: { w: 1 } });
    assert.deepStrictEqual(m.steps[0].state, { v: [2] });
  });
});

describe('MLP against hand computations', () => {
  const mlp = (inputs: number, units: number[], acts: string[], loss: string, fromLogits = false): MLP =>
    new MLP(inputs, units, acts as never, { name: loss as never, fromLogits });

  it('initialisations: PyTorch U(±1/√in) for W and b, Glorot U(±√(6/(in+out))) with b = 0, He U(±√(6/in)); auto picks He for relu', () => {
    const spread = (m: MLP, from: number, to: number): number => Math.max(...Array.from(m.params.subarray(from, to), Math.abs));
    const p = mlp(64, [64], ['tanh'], 'mse');
    p.initialize(1, 'pytorch');
    assert.ok(spread(p, 0, 4096) <= 1 / 8 && spread(p, 0, 4096) > 0.95 / 8, 'W within ±1/8, reaching it');
    assert.ok(spread(p, 4096, 4160) <= 1 / 8 && spread(p, 4096, 4160) > 0.8 / 8, 'b within ±1/8 and not zero');
    const g = mlp(64, [64], ['tanh'], 'mse');
    g.initialize(1, 'auto');
    const glorot = Math.sqrt(6 / 128);
    assert.ok(spread(g, 0, 4096) <= glorot && spread(g, 0, 4096) > 0.95 * glorot);
    assert.strictEqual(spread(g, 4096, 4160), 0);
    const h = mlp(64, [64], ['relu'], 'mse');
    h.initialize(1, 'auto');
    const he = Math.sqrt(6 / 64);
    assert.ok(spread(h, 0, 4096) <= he && spread(h, 0, 4096) > 0.95 * he);
    // layers use their own fan-in: a second layer 64 → 1
    const two = mlp(64, [64, 1], ['tanh', 'linear'], 'mse');
    two.initialize(1, 'pytorch');
    assert.ok(spread(two, two.wOffset[1], two.wOffset[1] + 64) <= 1 / 8);
  });

  /** A one-layer linear network whose outputs are its biases: the loss is then a function of numbers we choose. */
  const outputs = (m: MLP, b: number[]): void => {
    m.params.fill(0);
    b.forEach((v, k) => { m.params[m.wOffset[0] + m.sizes[0] * m.units[0] + k] = v; });
  };

  it('loss values: MSE, BCE (clipped), BCE from logits, softmax cross-entropy and from logits', () => {
    const x = new Float64Array([0, 0]); // 2 samples, 1 input
    const m1 = mlp(1, [2], ['linear'], 'mse');
    outputs(m1, [0.5, -1]);
    m1.forward(x, 2);
    // targets (1, 0) for both samples: ((0.5−1)² + (−1)²)·2 / 4
    assert.ok(near(m1.lossValue(new Float64Array([1, 0, 1, 0])), (0.25 + 1) / 2));
    // mean absolute error (L1Loss, 'mae'): (|0.5 − 1| + |−1 − 0|)·2 / 4, and ∂/∂output = sign(a − y)/4
    const a1 = mlp(1, [2], ['linear'], 'mae');
    outputs(a1, [0.5, -1]);
    a1.forward(x, 2);
    assert.ok(near(a1.lossValue(new Float64Array([1, 0, 1, 0])), (0.5 + 1) / 2));
    a1.backward(new Float64Array([1, 0.5, 1, -1]));
    // the output biases' gradients: Σ over samples of sign(a − y)/4 = (−1 −1)/4 and (−1 + 0)/4 (a = y gives 0)
    const bias = a1.grads.subarray(a1.wOffset[0] + 2, a1.wOffset[0] + 4);
    assert.deepStrictEqual(Array.from(bias), [-0.5, -0.25]);
    const b1 = mlp(1, [1], ['sigmoid'], 'binary_crossentropy');
    outputs(b1, [Math.log(3)]); // σ = 0.75
    b1.forward(x, 2);
    assert.ok(near(b1.lossValue(new Float64Array([1, 0])), -(Math.log(0.75) + Math.log(0.25)) / 2));
    const b2 = mlp(1, [1], ['linear'], 'binary_crossentropy', true);
    outputs(b2, [Math.log(3)]);
    b2.forward(x, 2);
    assert.ok(near(b2.lossValue(new Float64Array([1, 0])), -(Math.log(0.75) + Math.log(0.25)) / 2));
    const b3 = mlp(1, [1], ['sigmoid'], 'binary_crossentropy');
    outputs(b3, [40]); // σ = 1 in doubles: clipped to 1 − 1e-7
    b3.forward(x, 1);
    assert.ok(near(b3.lossValue(new Float64Array([0])), -Math.log(1e-7), 1e-9));
    const logits = [1, 2, 3];
    const softmax = logits.map((z) => Math.exp(z) / logits.reduce((s, v) => s + Math.exp(v), 0));
    const c1 = mlp(1, [3], ['softmax'], 'categorical_crossentropy');
    outputs(c1, logits);
    c1.forward(x, 2);
    const y = new Float64Array([0, 0, 1, 1, 0, 0]); // class 3, then class 1
    assert.ok(near(c1.lossValue(y), -(Math.log(softmax[2]) + Math.log(softmax[0])) / 2));
    const c2 = mlp(1, [3], ['linear'], 'categorical_crossentropy', true);
    outputs(c2, logits);
    c2.forward(x, 2);
    assert.ok(near(c2.lossValue(y), -(Math.log(softmax[2]) + Math.log(softmax[0])) / 2));
    // huge logits stay finite (softmax and log-sum-exp shift by the maximum)
    const c3 = mlp(1, [3], ['linear'], 'categorical_crossentropy', true);
    outputs(c3, [1000, 1001, 1002]);
    c3.forward(x, 1);
    assert.ok(near(c3.lossValue(new Float64Array([0, 0, 1])), -Math.log(softmax[2]), 1e-9));
    const c4 = mlp(1, [3], ['softmax'], 'categorical_crossentropy');
    outputs(c4, [1000, 1001, 1002]);
    const a = c4.forward(x, 1);
    assert.ok(Array.from(a).every(Number.isFinite) && near(a[2], softmax[2], 1e-9));
  });

  it('gradients and their norms per layer, by hand for a 1 → 1 → 1 linear network with MSE', () => {
    // y = w2·(w1·x + b1) + b2, L = (y − t)² over one sample
    const m = mlp(1, [1, 1], ['linear', 'linear'], 'mse');
    m.params.set([2, 0.5, -3, 1]); // w1, b1, w2, b2
    const x = 1.5, t = 0.25;
    m.forward(new Float64Array([x]), 1);
    const h = 2 * x + 0.5, y = -3 * h + 1, d = 2 * (y - t);
    const norms = m.backward(new Float64Array([t]));
    const want = [d * -3 * x, d * -3, d * h, d];
    want.forEach((g, k) => assert.ok(near(m.grads[k], g), `∂L/∂θ${k} ${m.grads[k]} vs ${g}`));
    assert.ok(near(norms[0].w, Math.abs(want[0])) && near(norms[0].b, Math.abs(want[1])));
    assert.ok(near(norms[1].w, Math.abs(want[2])) && near(norms[1].b, Math.abs(want[3])));
  });

  it('the gradient check catches a wrong gradient and names the parameter', () => {
    class Broken extends MLP {
      backward(y: Float64Array): Array<{ w: number; b: number }> {
        const r = super.backward(y);
        this.grads[2] *= 1.5;
        return r;
      }
    }
    const b = new Broken(2, [3, 1], ['tanh', 'sigmoid'], { name: 'binary_crossentropy', fromLogits: false });
    b.initialize(3, 'auto');
    const x = new Float64Array([0.3, -0.7, 1, 0.2]);
    const y = new Float64Array([1, 0]);
    const bad = b.gradientCheck(x, y, 2);
    assert.strictEqual(bad.worst, 'W1[1][0]', 'flat index 2 of a 3 × 2 W is row 1, column 0');
    assert.deepStrictEqual([bad.parameters, bad.directions], [13, 0], 'a 13-parameter network has every parameter checked');
    assert.ok(bad.maxRelativeError > 0.2, `${bad.maxRelativeError}`);
    const good = mlp(2, [3, 1], ['tanh', 'sigmoid'], 'binary_crossentropy');
    good.initialize(3, 'auto');
    assert.ok(good.gradientCheck(x, y, 2).maxRelativeError < 1e-6);
  });

  it('nearKink: a relu unit within the margin of 0 on the batch, and not otherwise', () => {
    const m = mlp(1, [1, 1], ['relu', 'linear'], 'mse');
    m.params.set([1, 0, 1, 0]);
    assert.strictEqual(m.nearKink(new Float64Array([0.0001]), 1), true);
    assert.strictEqual(m.nearKink(new Float64Array([0.5]), 1), false);
    const t = mlp(1, [1, 1], ['tanh', 'linear'], 'mse');
    t.params.set([1, 0, 1, 0]);
    assert.strictEqual(t.nearKink(new Float64Array([0]), 1), false, 'tanh has no kink');
    // a mean absolute error has its kink where the output meets the target: a = tanh(0.3) ≈ 0.2913
    const a = mlp(1, [1, 1], ['tanh', 'linear'], 'mae');
    a.params.set([1, 0, 1, 0]);
    assert.strictEqual(a.nearKink(new Float64Array([0.3]), 1, 1e-3, new Float64Array([Math.tanh(0.3) + 1e-4])), true);
    assert.strictEqual(a.nearKink(new Float64Array([0.3]), 1, 1e-3, new Float64Array([0.5])), false);
  });

  it('activation values every framework agrees on', () => {
    const v = (op: string, x: number): number => ruleOf(op as never).value(x, NaN);
    assert.ok(near(v('gelu', 1), 0.8411919906082768, 1e-15), 'GELU, tanh form, at 1');
    assert.ok(near(v('elu', -1), Math.exp(-1) - 1));
    assert.ok(near(v('softplus', 0), Math.LN2));
    assert.strictEqual(v('leaky_relu', -2), -0.02);
    assert.strictEqual(v('sigmoid', 0), 0.5);
    assert.ok(near(v('sigmoid', -800), 0) && v('sigmoid', -800) >= 0, 'no overflow on the left');
    assert.strictEqual(v('softplus', 50), 50);
  });
});
