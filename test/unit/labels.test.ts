/**
 * Softmax regression with integer class labels (#16, #18): p[y[i]] and its
 * relatives index a vector of the parameters by a number of the data. Read as
 * a person reads them — one Σ over the samples, the label y as K indicator
 * columns [y = k] — the reading does not grow with the sample count, the
 * partials are the textbook's (p − y)·x, and their values are PyTorch's
 * autograd's (scripts/labels_oracle.py executes test/unit/fixtures/labels_softmax.py).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findDefinition } from '../../src/core/find';
import type { FunctionDefinition } from '../../src/core/source/definition';
import { analyzeFunction } from '../../src/core/analysis';
import { countNodes, toMathString } from '../../src/core/expr/ast';
import { UserError } from '../../src/core/errors';
import { ROOT } from './helpers';

const FIXTURES = path.join(ROOT, 'test', 'unit', 'fixtures');
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'labels_expected.json'), 'utf8')) as {
  point: Record<string, number>;
  cases: Record<string, { loss: number; gradient: Record<string, number> }>;
};
// the fixture's own cost function, as the learner wrote it
const fixture = fs.readFileSync(path.join(FIXTURES, 'labels_softmax.py'), 'utf8');
const costText = fixture.slice(fixture.indexOf('def cost('));

/** make_data(m) of the fixture: the same rule, the same IEEE operations */
function makeData(m: number): { X: number[][]; y: number[] } {
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < m; i++) {
    X.push([((i * 37) % 17) / 8 - 1, ((i * 11) % 13) / 4 - 1.5]);
    y.push((i * 7 + Math.floor(i / 3)) % 3);
  }
  return { X, y };
}

function source(X: number[][], y: number[]): { text: string; line: number } {
  const head = `import numpy as np\n\nX_train = np.array(${JSON.stringify(X)})\ny_train = np.array(${JSON.stringify(y)})\n\n`;
  const call = '\nW_start = np.array([[0.2, -0.1, 0.4], [0.3, 0.5, -0.2]])\nb_start = np.array([0.1, -0.3, 0.2])\nprint(cost(X_train, y_train, W_start, b_start))\n';
  return { text: head + costText + call, line: head.split('\n').length };
}

function read(m: number): FunctionDefinition {
  const { X, y } = makeData(m);
  const { text, line } = source(X, y);
  const d = findDefinition(text, 'python', line);
  assert.strictEqual(d.kind, 'function');
  return d as FunctionDefinition;
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('integer class labels: p[y[i]] as one Σ over the samples', () => {
  it('the term is the same at 4 and at 400 samples (the reading does not grow with m), y as three indicator columns', () => {
    const small = read(4);
    const large = read(400);
    for (const [d, m] of [[small, 4], [large, 400]] as const) {
      assert.ok(d.sumForm, `a Σ over the ${m} samples`);
      assert.strictEqual(d.sumForm.count, m);
      assert.ok(Math.abs(d.sumForm.factor - 1 / m) < 1e-15, `factor ${d.sumForm.factor}`);
      assert.deepStrictEqual(Object.keys(d.sumForm.data).sort(), ['X0_i', 'X1_i', 'y0_i', 'y1_i', 'y2_i']);
      const { y } = makeData(m);
      for (let k = 0; k < 3; k++) assert.deepStrictEqual(Array.from(d.sumForm.data[`y${k}_i`]), y.map((v) => (v === k ? 1 : 0)));
    }
    assert.strictEqual(toMathString(large.sumForm!.term), toMathString(small.sumForm!.term));
    assert.strictEqual(countNodes(large.sumForm!.term, 1e6), countNodes(small.sumForm!.term, 1e6));
    const a = analyzeFunction(small, { maxSteps: 0 });
    const b = analyzeFunction(large, { maxSteps: 0 });
    assert.strictEqual(b.expression, a.expression);
    assert.ok(a.expression.startsWith('(1/m) Σᵢ₌₁^m [-(y0_i * log('), a.expression);
  });

  it("the partials are the textbook's (pₖ − yₖ)·xⱼ and equal PyTorch's autograd at a point (m = 4, 400)", () => {
    for (const m of [4, 400]) {
      const a = analyzeFunction(read(m), { start: expected.point, maxSteps: 0 });
      const want = expected.cases[String(m)];
      assert.ok(close(a.value as number, want.loss), `J = ${a.value}, torch ${want.loss}`);
      for (const [p, g] of Object.entries(want.gradient)) assert.ok(close(a.gradientAt[p] as number, g), `∂J/∂${p} = ${a.gradientAt[p]}, torch ${g}`);
      // ∂J/∂W[0][1] = (1/m) Σ (p₁ − y₁)·x₀ with p₁ the softmax exp(z₁)/Σ exp(zⱼ); ∂J/∂b[2] = (1/m) Σ (p₂ − y₂)
      assert.match(a.gradient['W[0][1]'], /^\(1\/m\) Σᵢ₌₁\^m \[\(exp\(X0_i \* W_0_1 \+ X1_i \* W_1_1 \+ b_1\) \/ \(.*\) - y1_i\) \* X0_i\]$/);
      assert.match(a.gradient['b[2]'], /^\(1\/m\) Σᵢ₌₁\^m \[exp\(X0_i \* W_0_2 \+ X1_i \* W_1_2 \+ b_2\) \/ \(.*\) - y2_i\]$/);
      // in the code's own names (it calls the softmax p): the textbook's line exactly
      assert.strictEqual(a.gradientNamed?.['W[1][2]']?.text, '(1/m) Σᵢ₌₁^m [(p2_i - y2_i) * X1_i]');
      assert.strictEqual(a.gradientNamed?.['b[0]']?.text, '(1/m) Σᵢ₌₁^m [p0_i - y0_i]');
    }
  });

  it('2000 samples are read over a prefix and bound to every sample: the indicator columns hold all 2000 labels', () => {
    const d = read(2000);
    assert.strictEqual(d.sumForm?.count, 2000);
    const { y } = makeData(2000);
    assert.deepStrictEqual(Array.from(d.sumForm.data.y2_i), y.map((v) => (v === 2 ? 1 : 0)));
    const a = analyzeFunction(d, { start: expected.point, maxSteps: 0 });
    const want = expected.cases['2000'];
    assert.ok(close(a.value as number, want.loss), `J = ${a.value}, torch ${want.loss}`);
    for (const [p, g] of Object.entries(want.gradient)) assert.ok(close(a.gradientAt[p] as number, g), `∂J/∂${p} = ${a.gradientAt[p]}, torch ${g}`);
  });

  it('a label that is not a class (3 of three, 1.5, −1) is refused at the index, naming the sample, also past the prefix', () => {
    for (const [m, at, bad] of [[6, 2, 3], [6, 4, 1.5], [6, 0, -1], [2000, 1500, 3]] as const) {
      const { X, y } = makeData(m);
      y[at] = bad;
      const { text, line } = source(X, y);
      const index = text.indexOf('p[y[i]]');
      assert.throws(() => findDefinition(text, 'python', line), (e: unknown) => {
        assert.ok(e instanceof UserError, String(e));
        assert.strictEqual(e.message, `the label y[${at}] = ${bad} is not a class: it indexes 3 classes, so it must be a whole number from 0 to 2`);
        const before = text.slice(0, index).split('\n');
        assert.deepStrictEqual([e.line, e.column], [before.length, before[before.length - 1].length + 1]);
        return true;
      });
    }
  });

  it('a max over the parameters is dropped only where the result does not depend on it: Σ (s − max s)² is still refused at the max', () => {
    const text = 'import numpy as np\n\nX = np.array([[0.3, -1.2], [1.4, 0.2], [-0.5, 0.9]])\n\ndef f(W):\n    s = X @ W\n    s = s - np.max(s, axis=1, keepdims=True)\n    return np.sum(s ** 2)\n\nprint(f(np.zeros((2, 3))))\n';
    assert.throws(() => findDefinition(text, 'python', 5), (e: unknown) => {
      assert.ok(e instanceof UserError, String(e));
      assert.match(e.message, /^a max over values that depend on a parameter is not differentiable everywhere/);
      assert.deepStrictEqual([e.line, e.column], [7, 13]);
      return true;
    });
  });

  it('a list of feature positions (for j in features: theta[j]) is not labels: each sample reads the same components, and the cost stays Σ (θ·xᵢ − yᵢ)²', () => {
    const X = [[1, 2, 0.5], [0.5, -1, 1.5], [2, 0, -0.5], [1, 1, 1]];
    const Y = [3, 0.5, 2.5, 2];
    const text = `import numpy as np\nX = np.array(${JSON.stringify(X)})\ny = np.array(${JSON.stringify(Y)})\nfeatures = [0, 1, 2]\n\ndef cost(theta):\n    total = 0.0\n    for i in range(len(y)):\n        pred = 0.0\n        for j in features:\n            pred += theta[j] * X[i][j]\n        total += (pred - y[i]) ** 2\n    return total / (2 * len(y))\n\nprint(cost(np.array([0.5, -0.25, 1.0])))\n`;
    const d = findDefinition(text, 'python', 6) as FunctionDefinition;
    assert.deepStrictEqual(Object.keys(d.sumForm?.data ?? {}).sort(), ['X0_i', 'X1_i', 'X2_i', 'y_i']);
    const theta = [0.5, -0.25, 1];
    const a = analyzeFunction(d, { start: { 'theta[0]': theta[0], 'theta[1]': theta[1], 'theta[2]': theta[2] }, maxSteps: 0 });
    // ∂J/∂θⱼ = (1/m) Σ (θ·xᵢ − yᵢ)·xᵢⱼ by hand
    const r = X.map((x, i) => x.reduce((s, v, j) => s + theta[j] * v, 0) - Y[i]);
    for (let j = 0; j < 3; j++) assert.ok(close(a.gradientAt[`theta[${j}]`] as number, r.reduce((s, v, i) => s + v * X[i][j], 0) / 4));
  });
});
