/**
 * Partials in the code's own names (#18.1): the course's classic costs, their
 * partials with the intermediates the code names (`f_wb_i`, `err`, `z`)
 * written by name, and the chain rule through them — exact strings written
 * here by hand, and each form evaluated (the named intermediates computed
 * here from the data) against the gradient derived by hand and the engine's.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { create, all } from 'mathjs';
import { findDefinition } from '../../src/core/find';
import { analyzeFunction, FunctionAnalysis } from '../../src/core/analysis';
import { readable } from '../../src/core/notation';
import type { FunctionDefinition } from '../../src/core/source/definition';
import { ROOT } from './helpers';

const math = create(all);
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const near = (a: number, b: number, rel = 1e-9): boolean => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + 1e-12;

const fn = (src: string, line: number): FunctionDefinition => {
  const def = findDefinition(src, 'python', line);
  assert.strictEqual(def.kind, 'function');
  return def as FunctionDefinition;
};

/**
 * c · Σᵢ [term] read from the text shown: the term evaluated by mathjs for each
 * sample, its data and its named intermediates (`locals(i)`, computed by the
 * test) in scope. The parameters' w[0] is w_0 in the machine text.
 */
function sigmaValue(shown: string, at: Record<string, number>, samples: number, sample: (i: number) => Record<string, number>): number {
  // (1/m) Σᵢ₌₁^m […], (1/2m) …: m is the number of samples
  const m = /^(-?)(?:\((\d+)\/(\d*)(m?)\) )?Σᵢ₌₁\^(m) \[(.*)\]$/.exec(shown);
  assert.ok(m, `a Σ over m: ${shown}`);
  const c = (m[1] ? -1 : 1) * (m[2] ? Number(m[2]) / (Number(m[3] || 1) * (m[4] ? samples : 1)) : 1);
  const params = Object.fromEntries(Object.entries(at).map(([k, v]) => [k.replace(/\[(\d+)\]/, '_$1'), v]));
  let s = 0;
  for (let i = 0; i < samples; i++) s += math.evaluate(m[6], { ...params, ...sample(i), σ: sigmoid }) as number;
  return c * s;
}

const analyze = (def: FunctionDefinition, at: Record<string, number>): FunctionAnalysis => analyzeFunction(def, { start: at, maxSteps: 0, graph: false });

describe('partials in the code’s own names', () => {
  // the course lab's data for logistic regression on two features
  const X = [[0.5, 1.5], [1, 1], [1.5, 0.5], [3, 0.5], [2, 2], [1, 2.5]];
  const Y = [0, 0, 0, 1, 1, 1];
  const at = { 'w[0]': 0.7, 'w[1]': -0.4, b: 0.3 };
  const z = (i: number): number => X[i][0] * at['w[0]'] + X[i][1] * at['w[1]'] + at.b;
  /** ∂J/∂w_j = (1/m) Σ (σ(z⁽ⁱ⁾) − y⁽ⁱ⁾)·x_j⁽ⁱ⁾, written out by hand */
  const logisticGrad = (j: number | 'b'): number => X.reduce((s, x, i) => s + (sigmoid(z(i)) - Y[i]) * (j === 'b' ? 1 : x[j]), 0) / X.length;
  const data = (i: number): Record<string, number> => ({ X0_i: X[i][0], X1_i: X[i][1], y_i: Y[i] });

  const checkLogistic = (a: FunctionAnalysis, names: { f: string; z: string; top: string }): void => {
    const { f, z: zn, top } = names;
    const locals = (i: number): Record<string, number> => ({ ...data(i), [f]: sigmoid(z(i)), [zn]: z(i) });
    const expected: Record<string, { text: string; j: number | 'b'; by: string }> = {
      'w[0]': { text: `(1/m) Σᵢ₌₁^m [(${f} - y_i) * X0_i]`, j: 0, by: 'w_0' },
      'w[1]': { text: `(1/m) Σᵢ₌₁^m [(${f} - y_i) * X1_i]`, j: 1, by: 'w_1' },
      b: { text: `(1/m) Σᵢ₌₁^m [${f} - y_i]`, j: 'b', by: 'b' },
    };
    for (const [p, want] of Object.entries(expected)) {
      const n = a.gradientNamed?.[p];
      assert.ok(n, `∂/∂${p} in the code's names`);
      assert.strictEqual(n.text, want.text, `∂/∂${p}`);
      assert.strictEqual(n.chainText, `(1/m) Σᵢ₌₁^m [∂${top}/∂${f} * ∂${f}/∂${zn} * ∂${zn}/∂${want.by}]`, `∂/∂${p} by the chain rule`);
      const byHand = logisticGrad(want.j);
      const shown = sigmaValue(n.text, at, 6, locals);
      assert.ok(near(shown, byHand), `∂/∂${p}: ${n.text} = ${shown}, by hand ${byHand}`);
      assert.ok(near(shown, a.gradientAt[p] as number), `∂/∂${p}: ${shown}, the engine ${a.gradientAt[p]}`);
      // the chain's factors by hand: ∂cost/∂f = −y/f + (1 − y)/(1 − f), ∂f/∂z = f(1 − f), ∂z/∂w_j = x_j
      const chain = X.reduce((s, x, i) => {
        const fi = sigmoid(z(i));
        return s + (-Y[i] / fi + (1 - Y[i]) / (1 - fi)) * fi * (1 - fi) * (want.j === 'b' ? 1 : x[want.j]);
      }, 0) / 6;
      assert.ok(near(chain, byHand), `the chain's product ${chain} vs ${byHand}`);
      // the written-out form stays the textbook's, σ of the linear form
      assert.match(a.gradient[p], /σ\(X0_i \* w_0 \+ X1_i \* w_1 \+ b\)/);
    }
  };

  it('logistic regression, the loop of the course lab: (1/m) Σ (f_wb⁽ⁱ⁾ − y⁽ⁱ⁾)·Xⱼ⁽ⁱ⁾, and ∂cost⁽ⁱ⁾/∂f_wb⁽ⁱ⁾ · ∂f_wb⁽ⁱ⁾/∂z⁽ⁱ⁾ · ∂z⁽ⁱ⁾/∂wⱼ', () => {
    const src = fs.readFileSync(path.join(ROOT, 'examples', 'logistic_regression.py'), 'utf8');
    const def = fn(src, 10);
    const a = analyze(def, at);
    // z_i and f_wb_i already say "sample i": they are z⁽ⁱ⁾ and f_wb⁽ⁱ⁾; the loop's accumulator cost names the term
    checkLogistic(a, { f: 'f_wb_i', z: 'z_i', top: 'cost_i' });
    assert.strictEqual(readable(a.gradientNamed?.['w[0]'].text ?? '', def.params), '(1/m) Σᵢ₌₁^m [(f_wb⁽ⁱ⁾ − y⁽ⁱ⁾) · X₀⁽ⁱ⁾]');
    assert.strictEqual(readable(a.gradientNamed?.['w[0]'].chainText ?? '', def.params), '(1/m) Σᵢ₌₁^m [∂cost⁽ⁱ⁾/∂f_wb⁽ⁱ⁾ · ∂f_wb⁽ⁱ⁾/∂z⁽ⁱ⁾ · ∂z⁽ⁱ⁾/∂w[0]]');
    assert.strictEqual(a.gradientNamed?.['w[0]'].tex, '\\frac{1}{m}\\sum_{i=1}^{m} \\Bigl(\\left(f_{\\mathit{wb}}^{(i)} - y^{(i)}\\right) \\cdot X_{0}^{(i)}\\Bigr)');
    assert.strictEqual(a.gradientNamed?.b.chainTex, '\\frac{1}{m}\\sum_{i=1}^{m} \\Bigl(\\frac{\\partial \\mathit{cost}^{(i)}}{\\partial f_{\\mathit{wb}}^{(i)}} \\cdot \\frac{\\partial f_{\\mathit{wb}}^{(i)}}{\\partial z^{(i)}} \\cdot \\frac{\\partial z^{(i)}}{\\partial b}\\Bigr)');
  });

  it('logistic regression vectorised (z = X @ w + b; f_wb = sigmoid(z); np.mean): the same, each element of z and f_wb sample i’s', () => {
    const src = `import numpy as np\nX_train = np.array(${JSON.stringify(X)})\ny_train = np.array(${JSON.stringify(Y)})\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n\ndef compute_cost(X, y, w, b):\n    z = X @ w + b\n    f_wb = sigmoid(z)\n    return np.mean(-y * np.log(f_wb) - (1 - y) * np.log(1 - f_wb))\n\nprint(compute_cost(X_train, y_train, np.array([1.0, 1.0]), -3))\n`;
    const a = analyze(fn(src, 9), at);
    // no name for one sample's term: the course's loss⁽ⁱ⁾
    checkLogistic(a, { f: 'f_wb_i', z: 'z_i', top: 'loss_i' });
  });

  describe('linear regression, the loop of the course lab', () => {
    const x = [1.0, 2.0, 3.5];
    const y = [300.0, 500.0, 640.0];
    const lin = { w: 180, b: 90 };
    const DATA = `x_train = np.array(${JSON.stringify(x)})\ny_train = np.array(${JSON.stringify(y)})\n`;
    const residual = (i: number): number => lin.w * x[i] + lin.b - y[i];
    /** ∂J/∂w = (1/m) Σ (w·x + b − y)·x, ∂J/∂b = (1/m) Σ (w·x + b − y), by hand */
    const byHand = { w: x.reduce((s, xi, i) => s + residual(i) * xi, 0) / 3, b: x.reduce((s, _xi, i) => s + residual(i), 0) / 3 };
    const locals = (i: number): Record<string, number> => ({ x_i: x[i], y_i: y[i], f_wb_i: lin.w * x[i] + lin.b, err_i: residual(i) });

    const check = (src: string, expected: Record<'w' | 'b', { text: string; chain: string }>): FunctionAnalysis => {
      const a = analyze(fn(src, 4), lin);
      for (const p of ['w', 'b'] as const) {
        const n = a.gradientNamed?.[p];
        assert.ok(n, `∂/∂${p} in the code's names`);
        assert.strictEqual(n.text, expected[p].text, `∂/∂${p}`);
        assert.strictEqual(n.chainText, expected[p].chain, `∂/∂${p} by the chain rule`);
        const shown = sigmaValue(n.text, lin, 3, locals);
        assert.ok(near(shown, byHand[p]), `∂/∂${p}: ${n.text} = ${shown}, by hand ${byHand[p]}`);
        assert.ok(near(shown, a.gradientAt[p] as number), `∂/∂${p}: ${shown}, the engine ${a.gradientAt[p]}`);
      }
      return a;
    };

    it('f_wb = w * x[i] + b; err = f_wb - y[i]: (1/m) Σ err⁽ⁱ⁾·x⁽ⁱ⁾, through err and f_wb', () => {
      const src = `import numpy as np\n${DATA}\ndef compute_cost(x, y, w, b):\n    m = x.shape[0]\n    cost_sum = 0\n    for i in range(m):\n        f_wb = w * x[i] + b\n        err = f_wb - y[i]\n        cost_sum = cost_sum + err ** 2\n    total_cost = (1 / (2 * m)) * cost_sum\n    return total_cost\n\nprint(compute_cost(x_train, y_train, 200, 100))\n`;
      const a = check(src, {
        w: { text: '(1/m) Σᵢ₌₁^m [err_i * x_i]', chain: '(1/2m) Σᵢ₌₁^m [∂cost_sum_i/∂err_i * ∂err_i/∂f_wb_i * ∂f_wb_i/∂w]' },
        b: { text: '(1/m) Σᵢ₌₁^m [err_i]', chain: '(1/2m) Σᵢ₌₁^m [∂cost_sum_i/∂err_i * ∂err_i/∂f_wb_i * ∂f_wb_i/∂b]' },
      });
      assert.strictEqual(readable(a.gradientNamed?.w.text ?? '', ['w', 'b']), '(1/m) Σᵢ₌₁^m [err⁽ⁱ⁾ · x⁽ⁱ⁾]');
    });

    it('f_wb = w * x[i] + b; cost = (f_wb - y[i]) ** 2: the residual in terms of f_wb, the term named cost', () => {
      const src = `import numpy as np\n${DATA}\ndef compute_cost(x, y, w, b):\n    m = x.shape[0]\n    cost_sum = 0\n    for i in range(m):\n        f_wb = w * x[i] + b\n        cost = (f_wb - y[i]) ** 2\n        cost_sum = cost_sum + cost\n    total_cost = (1 / (2 * m)) * cost_sum\n    return total_cost\n\nprint(compute_cost(x_train, y_train, 200, 100))\n`;
      check(src, {
        w: { text: '(1/m) Σᵢ₌₁^m [(f_wb_i - y_i) * x_i]', chain: '(1/2m) Σᵢ₌₁^m [∂cost_i/∂f_wb_i * ∂f_wb_i/∂w]' },
        b: { text: '(1/m) Σᵢ₌₁^m [f_wb_i - y_i]', chain: '(1/2m) Σᵢ₌₁^m [∂cost_i/∂f_wb_i * ∂f_wb_i/∂b]' },
      });
    });

    it('a cost that names nothing has only the written-out form', () => {
      const src = `import numpy as np\n${DATA}\ndef cost(x, y, w, b):\n    return np.mean((w * x + b - y) ** 2) / 2\n\nprint(cost(x_train, y_train, 200, 100))\n`;
      const a = analyze(fn(src, 4), lin);
      assert.strictEqual(a.gradientNamed, undefined);
      assert.strictEqual(a.gradient.w, '(1/m) Σᵢ₌₁^m [(w * x_i + b - y_i) * x_i]');
    });
  });

  it('examples/loss.py: 6(a − 0.25)·a·(1 − a) through a = σ(z), z = 3w + b; saddle() names nothing', () => {
    const src = fs.readFileSync(path.join(ROOT, 'examples', 'loss.py'), 'utf8');
    const p = { w: 0.2, b: -0.1 };
    const a = analyze(fn(src, 6), p);
    const zv = 3 * p.w + p.b;
    const av = sigmoid(zv);
    const byHand = { w: 2 * (av - 0.25) * av * (1 - av) * 3, b: 2 * (av - 0.25) * av * (1 - av) };
    for (const [q, text] of [['w', '6(a - 0.25) * a * (1 - a)'], ['b', '2(a - 0.25) * a * (1 - a)']] as const) {
      const n = a.gradientNamed?.[q];
      assert.ok(n);
      assert.strictEqual(n.text, text);
      assert.strictEqual(n.chainText, `∂loss/∂a * ∂a/∂z * ∂z/∂${q}`);
      assert.strictEqual(n.chainTex, `\\frac{\\partial \\mathrm{loss}}{\\partial a} \\cdot \\frac{\\partial a}{\\partial z} \\cdot \\frac{\\partial z}{\\partial ${q}}`);
      const shown = math.evaluate(text.replace(/(\d)\(/, '$1*('), { a: av, z: zv }) as number;
      assert.ok(near(shown, byHand[q]) && near(shown, a.gradientAt[q] as number), `∂/∂${q}: ${shown}, by hand ${byHand[q]}, the engine ${a.gradientAt[q]}`);
    }
    assert.strictEqual(analyze(fn(src, 13), { x: 1, y: -1 }).gradientNamed, undefined, 'saddle() names no intermediate');
  });
});
