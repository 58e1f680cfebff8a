/**
 * The library vocabulary the interpreter reads (one rule each, not one case each): `.item()` of a
 * one-element array, `np.linalg.norm`, `*_like`, stacking, max over data and the softmax shift,
 * PyTorch's losses on values, a script's training loop, a list that grows, `csv.reader`, comparisons
 * of data and fancy indexing. Every expected number is computed here by a plain loop over the same
 * data; gradients against central differences of that loop.
 */
import * as assert from 'assert';
import { UserError } from '../../src/core/errors';
import { findDefinition } from '../../src/core/find';
import type { CodeContext } from '../../src/core/code/program';
import type { FunctionDefinition } from '../../src/core/source/definition';
import { Tape } from '../../src/core/autodiff/tape';

const fn = (src: string, line: number, ctx: CodeContext = {}): FunctionDefinition => {
  const d = findDefinition(src, 'python', line, ctx);
  assert.strictEqual(d.kind, 'function');
  return d as FunctionDefinition;
};

/** The reading's value and gradient at `point` against a plain function and its central differences. */
function agrees(d: FunctionDefinition, params: string[], point: number[], plain: (p: number[]) => number): void {
  assert.deepStrictEqual(d.params, params);
  const { value, gradient } = new Tape(d.body, d.params).valueAndGradient(point);
  const want = plain(point);
  assert.ok(Math.abs(value - want) <= 1e-10 * (1 + Math.abs(want)), `value ${value}, by hand ${want}`);
  point.forEach((_, k) => {
    const h = 1e-6;
    const up = point.slice(); up[k] += h;
    const down = point.slice(); down[k] -= h;
    const g = (plain(up) - plain(down)) / (2 * h);
    assert.ok(Math.abs(gradient[k] - g) <= 1e-6 * (1 + Math.abs(g)), `∂/∂${params[k]} ${gradient[k]}, by differences ${g}`);
  });
}

const refused = (src: string, line: number, pattern: RegExp, at?: { line: number }): void => {
  assert.throws(() => fn(src, line), (e: unknown) => {
    assert.ok(e instanceof UserError, String(e));
    assert.match(e.message, pattern);
    if (at) assert.strictEqual(e.line, at.line);
    return true;
  });
};

const X = [[1, 1.5], [1, 2], [1, 3.5], [1, 4]];
const Y = [2.1, 2.9, 5.2, 5.8];

describe('library vocabulary: numpy', () => {
  it('.item() of a one-element array is its number: (e.T @ e).item() with a column vector theta (m, 1) is Σ e²', () => {
    const src = `import numpy as np\nX = np.array(${JSON.stringify(X)})\ny = np.array(${JSON.stringify(Y.map((v) => [v]))})\n\ndef cost(theta):\n    e = X @ theta - y\n    return (e.T @ e).item() / (2 * len(y))\n\ncost(np.array([[0.5], [1.0]]))\n`;
    agrees(fn(src, 5), ['theta[0]', 'theta[1]'], [0.5, 1], ([a, b]) => X.reduce((s, r, i) => s + (a * r[0] + b * r[1] - Y[i]) ** 2, 0) / 8);
    // more than one element: no number to take
    refused(src.replace('(e.T @ e).item()', 'e.item()'), 5, /'\.item\(\)' needs an array of one element; this one has shape \(4, 1\)/);
  });

  it('np.linalg.norm is sqrt(Σ v²) (ord=2, the default), Σ |v| with ord=1, per row with axis=1', () => {
    const A = [[2, 1], [1, 3], [0, 1]];
    const b = [1, 2, 0.5];
    const head = `import numpy as np\nA = np.array(${JSON.stringify(A)})\nb = np.array(${JSON.stringify(b)})\n\n`;
    const r = ([u, v]: number[]): number[] => A.map((row, i) => row[0] * u + row[1] * v - b[i]);
    agrees(fn(`${head}def f(x):\n    return 0.5 * np.linalg.norm(A @ x - b) ** 2\n\nf(np.array([0.2, 0.3]))\n`, 5), ['x[0]', 'x[1]'], [0.2, 0.3],
      (p) => 0.5 * Math.sqrt(r(p).reduce((s, e) => s + e * e, 0)) ** 2);
    agrees(fn(`${head}def f(x):\n    return np.linalg.norm(A @ x - b, ord=1)\n\nf(np.array([0.2, 0.3]))\n`, 5), ['x[0]', 'x[1]'], [0.2, 0.3],
      (p) => r(p).reduce((s, e) => s + Math.abs(e), 0));
    // the norm of each row of x * A, summed
    agrees(fn(`${head}def f(x):\n    return np.sum(np.linalg.norm(A * x, axis=1))\n\nf(np.array([0.2, 0.3]))\n`, 5), ['x[0]', 'x[1]'], [0.2, 0.3],
      ([u, v]) => A.reduce((s, row) => s + Math.hypot(row[0] * u, row[1] * v), 0));
  });

  it('np.ones_like, np.column_stack, np.c_ and np.hstack build the design matrix a loop would', () => {
    const x = [-1, -0.5, 0, 0.5, 1];
    const y = [2.1, 0.8, 0.2, 0.4, 1.9];
    const plain = (w: number[]): number => x.reduce((s, xi, i) => s + (w[0] + w[1] * xi + w[2] * xi * xi - y[i]) ** 2, 0) / (2 * x.length);
    for (const build of [
      'np.column_stack([np.ones_like(x), x, x ** 2])',
      'np.c_[np.ones(len(x)), x, x ** 2]',
      'np.hstack([np.full_like(x, 1.0).reshape(-1, 1), x.reshape(-1, 1), (x ** 2).reshape(-1, 1)])',
      'np.vstack([np.zeros_like(x) + 1, x, x ** 2]).T',
    ]) {
      const src = `import numpy as np\nx = np.array(${JSON.stringify(x)})\ny = np.array(${JSON.stringify(y)})\nF = ${build}\n\ndef cost(w):\n    return np.sum((F @ w - y) ** 2) / (2 * len(x))\n\ncost(np.array([0.1, 0.2, 0.9]))\n`;
      agrees(fn(src, 6), ['w[0]', 'w[1]', 'w[2]'], [0.1, 0.2, 0.9], plain);
    }
  });

  it('a comparison of data is a number: np.where(labels == 1, …) and y[i] == 1 are read; a branch on the residual is refused where it is written', () => {
    const s = [0.3, 1.2, 2.8, 3.1, 4.4];
    const t = [0, 0, 1, 0, 1];
    const head = `import numpy as np\ns = np.array(${JSON.stringify(s)})\nt = np.array(${JSON.stringify(t)})\n\n`;
    const plain = ([w, b]: number[]): number => s.reduce((acc, si, i) => {
      const p = 1 / (1 + Math.exp(-(w * si + b)));
      return acc + (t[i] === 1 ? -Math.log(p) : -Math.log(1 - p));
    }, 0) / s.length;
    agrees(fn(`${head}def ce(w, b):\n    p = 1 / (1 + np.exp(-(w * s + b)))\n    return np.where(t == 1, -np.log(p), -np.log(1 - p)).mean()\n\nce(1.0, -2.0)\n`, 5), ['w', 'b'], [1, -2], plain);
    agrees(fn(`${head}def ce(w, b):\n    total = 0\n    for i in range(len(s)):\n        p = 1 / (1 + np.exp(-(w * s[i] + b)))\n        total = total + (t[i] == 1) * -np.log(p) + (t[i] != 1) * -np.log(1 - p)\n    return total / len(s)\n\nce(1.0, -2.0)\n`, 5), ['w', 'b'], [1, -2], plain);
    // Huber: the branch is on r, which depends on w and b
    refused(`${head}def huber(w, b):\n    r = w * s + b - t\n    small = np.abs(r) <= 1.0\n    return np.mean(np.where(small, 0.5 * r ** 2, np.abs(r) - 0.5))\n`, 5,
      /a comparison that depends on a parameter is not supported/, { line: 7 });
  });

  it('a max over data is a number; over parameters it is read only as a softmax shift, which cancels', () => {
    const Xs = [[1, 0.2], [0.1, 1], [-1, -0.5]];
    const labels = [0, 1, 2];
    const W0 = [[0.1, -0.2, 0.3], [0.4, 0, -0.1]];
    const head = `import numpy as np\nX = np.array(${JSON.stringify(Xs)})\nY = np.array(${JSON.stringify(labels)})\n\n`;
    // the unshifted softmax cross-entropy, by hand
    const plain = (w: number[]): number => Xs.reduce((acc, x, i) => {
      const z = [0, 1, 2].map((k) => x[0] * w[k] + x[1] * w[3 + k]);
      return acc - Math.log(Math.exp(z[labels[i]]) / z.reduce((s, v) => s + Math.exp(v), 0));
    }, 0) / Xs.length;
    const names = ['W[0][0]', 'W[0][1]', 'W[0][2]', 'W[1][0]', 'W[1][1]', 'W[1][2]'];
    const point = W0.flat();
    const shifted = `${head}def loss(W):\n    z = X @ W\n    z = z - z.max(axis=1, keepdims=True)\n    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)\n    return -np.mean(np.log(p[np.arange(len(Y)), Y]))\n\nloss(np.array(${JSON.stringify(W0)}))\n`;
    agrees(fn(shifted, 5), names, point, plain);
    // the log-softmax form: (z − m) − log Σ exp(z − m)
    const logForm = `${head}def loss(W):\n    z = X @ W\n    z = z - np.max(z, axis=1, keepdims=True)\n    logp = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))\n    return -np.mean(logp[np.arange(len(Y)), Y])\n\nloss(np.array(${JSON.stringify(W0)}))\n`;
    agrees(fn(logForm, 5), names, point, plain);
    // a max that does not cancel is a kink: a located message at the max
    refused(`${head}def loss(W):\n    z = X @ W\n    return np.sum(z - z.max())\n\nloss(np.array(${JSON.stringify(W0)}))\n`, 5, /a max over values that depend on a parameter is not differentiable everywhere/, { line: 7 });
    refused(`${head}def loss(W):\n    z = X @ W\n    return np.sum(z.min(axis=1))\n\nloss(np.array(${JSON.stringify(W0)}))\n`, 5, /a min over values that depend on a parameter/);
    // over data alone a max is a number: y / y.max() scales the targets
    const y = [2, 8, 4];
    agrees(fn(`import numpy as np\nx = np.array([1.0, 2.0, 3.0])\ny = np.array(${JSON.stringify(y)})\n\ndef cost(w, b):\n    t = y / y.max()\n    return np.mean((w * x + b - t) ** 2)\n\ncost(0.5, 0.1)\n`, 5), ['w', 'b'], [0.5, 0.1],
      ([w, b]) => [1, 2, 3].reduce((s, xi, i) => s + (w * xi + b - y[i] / 8) ** 2, 0) / 3);
  });
});

describe('library vocabulary: PyTorch losses and scripts', () => {
  const x = [0.5, -1.2, 2, 0.3];
  const t = [1, 0, 1, 0];
  const head = `import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\nx = torch.tensor(${JSON.stringify(x)})\nt = torch.tensor(${JSON.stringify(t)})\nw = torch.tensor(0.8, requires_grad=True)\nb = torch.tensor(-0.1, requires_grad=True)\n`;
  const sig = (z: number): number => 1 / (1 + Math.exp(-z));
  const cases: Array<[string, (w: number, b: number) => number]> = [
    ['F.mse_loss(w * x + b, t)', (w, b) => x.reduce((s, xi, i) => s + (w * xi + b - t[i]) ** 2, 0) / 4],
    ["F.mse_loss(w * x + b, t, reduction='sum')", (w, b) => x.reduce((s, xi, i) => s + (w * xi + b - t[i]) ** 2, 0)],
    ['nn.MSELoss()(w * x + b, t)', (w, b) => x.reduce((s, xi, i) => s + (w * xi + b - t[i]) ** 2, 0) / 4],
    ['F.l1_loss(w * x + b, t)', (w, b) => x.reduce((s, xi, i) => s + Math.abs(w * xi + b - t[i]), 0) / 4],
    ['F.binary_cross_entropy(torch.sigmoid(w * x + b), t)', (w, b) => -x.reduce((s, xi, i) => s + t[i] * Math.log(sig(w * xi + b)) + (1 - t[i]) * Math.log(1 - sig(w * xi + b)), 0) / 4],
    ['nn.BCEWithLogitsLoss()(w * x + b, t)', (w, b) => -x.reduce((s, xi, i) => s + t[i] * Math.log(sig(w * xi + b)) + (1 - t[i]) * Math.log(1 - sig(w * xi + b)), 0) / 4],
  ];
  for (const [expr, plain] of cases) {
    it(`loss = ${expr} in a script is the loss of w and b`, () => {
      agrees(fn(`${head}loss = ${expr}\nloss.backward()\n`, 9), ['w', 'b'], [0.8, -0.1], ([w, b]) => plain(w, b));
    });
  }
  it('a criterion made on its own line, called on values: criterion = nn.L1Loss(reduction="sum"); loss = criterion(pred, t)', () => {
    agrees(fn(`${head}criterion = nn.L1Loss(reduction='sum')\npred = w * x + b\nloss = criterion(pred, t)\nloss.backward()\n`, 11), ['w', 'b'], [0.8, -0.1],
      ([w, b]) => x.reduce((s, xi, i) => s + Math.abs(w * xi + b - t[i]), 0));
  });
  it('a script\'s training loop: its first pass up to .backward() is the loss at the starting values; the update after it is not read', () => {
    const src = `${head}lr = 0.01\n\nfor epoch in range(100):\n    pred = w * x + b\n    loss = ((pred - t) ** 2).mean()\n    loss.backward()\n    with torch.no_grad():\n        w -= lr * w.grad\n        b -= lr * b.grad\n`;
    const d = fn(src, 13);
    agrees(d, ['w', 'b'], [0.8, -0.1], ([w, b]) => x.reduce((s, xi, i) => s + (w * xi + b - t[i]) ** 2, 0) / 4);
    assert.deepStrictEqual(d.defaults, { w: 0.8, b: -0.1 });
  });
  it('cross-entropy on logits (n, k) and class indices (n,): log Σ exp z − z_y per sample, averaged', () => {
    const src = 'import torch\nimport torch.nn.functional as F\n\nx = torch.tensor([1.0, -0.5, 2.0])\ny = torch.tensor([0, 2, 1])\na = torch.tensor(0.3, requires_grad=True)\nz = torch.stack([a * x, -a * x, x * 0.0], dim=1)\nloss = F.cross_entropy(z, y)\n';
    const xs = [1, -0.5, 2];
    const ys = [0, 2, 1];
    agrees(fn(src, 8), ['a'], [0.3], ([a]) => xs.reduce((s, xi, i) => {
      const z = [a * xi, -a * xi, 0];
      return s + Math.log(z.reduce((q, v) => q + Math.exp(v), 0)) - z[ys[i]];
    }, 0) / 3);
  });
});

describe('library vocabulary: values the code builds', () => {
  it('a list that grows in a loop (errors.append) and is then summed holds what was appended', () => {
    const x = [1, 2, 3, 4, 5];
    const y = [1.8, 4.3, 5.9, 8.2, 9.9];
    const src = `import numpy as np\nx = np.array(${JSON.stringify(x)})\ny = np.array(${JSON.stringify(y)})\n\ndef cost(w, b):\n    errors = []\n    for i in range(len(x)):\n        errors.append((w * x[i] + b - y[i]) ** 2)\n    return sum(errors) / (2 * len(errors))\n\ncost(1.0, 1.0)\n`;
    agrees(fn(src, 5), ['w', 'b'], [1, 1], ([w, b]) => x.reduce((s, xi, i) => s + (w * xi + b - y[i]) ** 2, 0) / 10);
  });
  it('rows of csv.reader after next(reader) takes the header: with open(…) as f names the file', () => {
    const csv = 'temp,sales\n14,215\n16,325\n12,185\n';
    const src = "import csv\n\nxs, ys = [], []\nwith open('temps.csv') as f:\n    reader = csv.reader(f)\n    next(reader)\n    for row in reader:\n        xs.append(float(row[0]))\n        ys.append(float(row[1]))\n\ndef cost(a, b):\n    return sum((a * x + b - y) ** 2 for x, y in zip(xs, ys)) / (2 * len(xs))\n\ncost(10.0, 100.0)\n";
    const d = fn(src, 11, { readFile: (name) => (name === 'temps.csv' ? csv : undefined) });
    const rows = [[14, 215], [16, 325], [12, 185]];
    agrees(d, ['a', 'b'], [10, 100], ([a, b]) => rows.reduce((s, [u, v]) => s + (a * u + b - v) ** 2, 0) / 6);
    // a file opened for writing is not data
    assert.throws(() => fn(src.replace("open('temps.csv')", "open('temps.csv', 'w')"), 11, { readFile: () => csv }), /xs' cannot be read|writes a file/);
  });
  it('p[np.arange(m), y] picks each sample\'s labelled column; a boolean mask keeps the rows where it is true', () => {
    const src = 'import numpy as np\nP = np.array([[0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])\ny = np.array([1, 0, 1])\n\ndef f(w):\n    picked = (w * P)[np.arange(len(y)), y]\n    kept = (w * P)[:, 0][y == 1]\n    return np.sum(picked) + np.sum(kept)\n\nf(2.0)\n';
    agrees(fn(src, 5), ['w'], [2], ([w]) => w * (0.8 + 0.6 + 0.7) + w * (0.2 + 0.3));
  });
});
