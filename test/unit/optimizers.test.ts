/**
 * Each optimizer's update rule, step by step, against the textbook formulas
 * written out here per parameter (PyTorch's forms: momentum v ← μv + g,
 * θ ← θ − ηv; Nesterov θ ← θ − η(g + μv); Adagrad G ← G + g²,
 * θ ← θ − ηg/(√G + ε); RMSprop s ← ρs + (1 − ρ)g², θ ← θ − ηg/(√s + ε);
 * Adam with bias-corrected m̂, v̂), and against a few hand computations.
 */
import * as assert from 'assert';
import { OPTIMIZER_NAMES, OPTIMIZERS, OptimizerName, createOptimizer, optimizerMenu } from '../../src/core/optimizers';

const GRADS = [[2, -1], [0.5, 3], [-4, 0.25], [1e-3, -2]];

/** The textbook rule, one parameter at a time, with its own state. */
function reference(name: OptimizerName, lr: number, theta0: number[]): { thetas: number[][]; deltas: number[][] } {
  const mu = 0.9, b1 = 0.9, b2 = name === 'rmsprop' ? 0.9 : 0.999;
  const eps = name === 'adagrad' ? 1e-10 : name === 'rmsprop' ? 1e-7 : 1e-8;
  const theta = [...theta0];
  const v = theta.map(() => 0), s = theta.map(() => 0), m = theta.map(() => 0);
  const thetas: number[][] = [], deltas: number[][] = [];
  GRADS.forEach((g, step) => {
    const t = step + 1;
    const d = theta.map((_, i) => {
      if (name === 'gd' || name === 'sgd') return lr * g[i];
      if (name === 'momentum') { v[i] = mu * v[i] + g[i]; return lr * v[i]; }
      if (name === 'nesterov') { v[i] = mu * v[i] + g[i]; return lr * (g[i] + mu * v[i]); }
      if (name === 'adagrad') { s[i] = s[i] + g[i] ** 2; return lr * g[i] / (Math.sqrt(s[i]) + eps); }
      if (name === 'rmsprop') { s[i] = b2 * s[i] + (1 - b2) * g[i] ** 2; return lr * g[i] / (Math.sqrt(s[i]) + eps); }
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      s[i] = b2 * s[i] + (1 - b2) * g[i] ** 2;
      return lr * (m[i] / (1 - b1 ** t)) / (Math.sqrt(s[i] / (1 - b2 ** t)) + eps);
    });
    d.forEach((x, i) => { theta[i] -= x; });
    thetas.push([...theta]);
    deltas.push(d);
  });
  return { thetas, deltas };
}

describe('optimizers', () => {
  for (const name of OPTIMIZER_NAMES) {
    it(`${name}: four steps match the textbook rule; the update written out is Δ = θ_before − θ_after`, () => {
      const lr = 0.05;
      const opt = createOptimizer(name, 2, { learningRate: lr });
      const theta = new Float64Array([1, -2]);
      const want = reference(name, lr, [1, -2]);
      GRADS.forEach((g, k) => {
        const before = Array.from(theta);
        const update = new Float64Array(2);
        opt.step(theta, Float64Array.from(g), update);
        for (let i = 0; i < 2; i++) {
          assert.ok(Math.abs(theta[i] - want.thetas[k][i]) <= 1e-12 * (1 + Math.abs(want.thetas[k][i])), `${name} step ${k + 1} θ${i}: ${theta[i]} vs ${want.thetas[k][i]}`);
          assert.ok(Math.abs(update[i] - want.deltas[k][i]) <= 1e-12 * (1 + Math.abs(want.deltas[k][i])), `${name} step ${k + 1} Δ${i}`);
          assert.ok(Math.abs(before[i] - theta[i] - update[i]) <= 1e-12, 'Δ is what was subtracted');
        }
      });
      // reset forgets the state: the first step again gives the first reference step
      opt.reset();
      const again = new Float64Array([1, -2]);
      opt.step(again, Float64Array.from(GRADS[0]));
      assert.ok(Math.abs(again[0] - want.thetas[0][0]) <= 1e-12 && Math.abs(again[1] - want.thetas[0][1]) <= 1e-12, `${name} after reset`);
    });
  }

  it('hand computations: momentum 1 → 0.8 → 0.42; adam’s first step is η·sign(g); rmsprop’s is η·g/√(0.1g²)', () => {
    const m = createOptimizer('momentum', 1, { learningRate: 0.1, momentum: 0.9 });
    const t = new Float64Array([1]);
    m.step(t, new Float64Array([2])); // v = 2, θ = 1 − 0.2
    assert.ok(Math.abs(t[0] - 0.8) < 1e-15);
    m.step(t, new Float64Array([2])); // v = 3.8, θ = 0.8 − 0.38
    assert.ok(Math.abs(t[0] - 0.42) < 1e-15);
    const a = createOptimizer('adam', 1, { learningRate: 0.1 });
    const ta = new Float64Array([0]);
    a.step(ta, new Float64Array([-7]));
    assert.ok(Math.abs(ta[0] - 0.1) < 1e-8, `${ta[0]}`);
    const r = createOptimizer('rmsprop', 1, { learningRate: 0.01 });
    const tr = new Float64Array([0]);
    r.step(tr, new Float64Array([2])); // s = 0.1·4 = 0.4
    assert.ok(Math.abs(tr[0] + 0.01 * 2 / (Math.sqrt(0.4) + 1e-7)) < 1e-15);
  });

  it('Keras\' adam: ε is the paper\'s ε̂, θ ← θ − η·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v + ε); PyTorch\'s θ ← θ − η·m̂/(√v̂ + ε); the same without ε', () => {
    const [lr, b1, b2, eps, g] = [0.1, 0.9, 0.999, 0.1, 0.5];
    const keras = createOptimizer('adam', 1, { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, epsilonHat: true });
    const torch = createOptimizer('adam', 1, { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps });
    const tk = new Float64Array([1]);
    const tt = new Float64Array([1]);
    let m = 0, v = 0, k = 1, p = 1;
    for (let t = 1; t <= 3; t++) {
      keras.step(tk, new Float64Array([g]));
      torch.step(tt, new Float64Array([g]));
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      k -= ((lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t)) * (m / (Math.sqrt(v) + eps));
      p -= (lr * (m / (1 - b1 ** t))) / (Math.sqrt(v / (1 - b2 ** t)) + eps);
      assert.ok(Math.abs(tk[0] - k) < 1e-15, `Keras step ${t}: ${tk[0]} vs ${k}`);
      assert.ok(Math.abs(tt[0] - p) < 1e-15, `PyTorch step ${t}: ${tt[0]} vs ${p}`);
    }
    assert.ok(Math.abs(tk[0] - tt[0]) > 0.1, 'a large ε tells the two apart');
    const k0 = createOptimizer('adam', 1, { learningRate: lr, epsilon: 0, epsilonHat: true });
    const t0 = createOptimizer('adam', 1, { learningRate: lr, epsilon: 0 });
    const a = new Float64Array([1]);
    const b = new Float64Array([1]);
    for (let t = 0; t < 3; t++) { k0.step(a, new Float64Array([g])); t0.step(b, new Float64Array([g])); }
    assert.ok(Math.abs(a[0] - b[0]) < 1e-15, `without ε the two forms agree: ${a[0]} vs ${b[0]}`);
  });

  it('state() names what the rule keeps, after each step: v, G, s, m̂ and v̂', () => {
    const state = (name: OptimizerName): Record<string, number[]> => {
      const o = createOptimizer(name, 1, { learningRate: 0.1 });
      o.step(new Float64Array([0]), new Float64Array([2]));
      return o.state();
    };
    assert.deepStrictEqual(state('gd'), {});
    assert.deepStrictEqual(state('momentum'), { v: [2] });
    assert.deepStrictEqual(state('nesterov'), { v: [2] });
    assert.deepStrictEqual(state('adagrad'), { G: [4] });
    assert.ok(Math.abs(state('rmsprop').s[0] - 0.4) < 1e-15);
    const adam = state('adam');
    assert.ok(Math.abs(adam['m̂'][0] - 2) < 1e-12 && Math.abs(adam['v̂'][0] - 4) < 1e-12, JSON.stringify(adam));
  });

  it('a learning rate changed between steps applies from the next step', () => {
    const o = createOptimizer('gd', 1, { learningRate: 0.1 });
    const t = new Float64Array([0]);
    o.step(t, new Float64Array([1]));
    o.learningRate = 0.5;
    o.step(t, new Float64Array([1]));
    assert.ok(Math.abs(t[0] + 0.6) < 1e-15);
  });

  it('one list: the menus offer gradient descent for functions and sgd for networks, every optimizer has a rule', () => {
    assert.deepStrictEqual(optimizerMenu('function'), ['gd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']);
    assert.deepStrictEqual(optimizerMenu('network'), ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam']);
    for (const n of OPTIMIZER_NAMES) assert.ok(OPTIMIZERS[n].ruleTex.includes('\\leftarrow') && OPTIMIZERS[n].ruleText.includes('←'), n);
  });
});
