/**
 * Data bound wherever the code binds it (issue: costs over data as symbols):
 * a call anywhere, a name that matches, the user's choice — and no data at
 * all is not an error. Every case runs through the command line as a shell
 * runs it; the expected numbers are computed here by plain loops over the
 * same data, not by Gradient Lens.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { CLI } from './helpers';
import { readDelimited } from '../../src/core/code/data';
import { findDefinition } from '../../src/core/find';
import { analyzeFunction } from '../../src/core/analysis';
import type { FunctionDefinition } from '../../src/core/source/definition';

interface Binding { arg: string; source: string; samples: number; why: string }
/** The fields of the command line's JSON these tests read. */
interface Out {
  data: { bound: boolean; samples: number | null; bindings: Binding[] };
  params: string[];
  at: Record<string, number>;
  value: number;
  gradientAt: Record<string, number>;
  gradient: Record<string, string>;
  expression: string;
  descent: unknown;
  message: string;
}
interface Run { code: number; json?: Out; stderr: string; stdout: string }

function cli(files: Record<string, string>, main: string, args: string[]): Run {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-binding-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const r = spawnSync(process.execPath, [CLI, 'analyze', path.join(dir, main), ...args], { encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  let json: Out | undefined;
  try {
    json = args.includes('--json') ? (JSON.parse(r.stdout) as Out) : undefined;
  } catch {
    json = undefined;
  }
  return { code: r.status ?? -1, json, stderr: r.stderr, stdout: r.stdout };
}

/** J = (1/2m) Σ (w·xᵢ + b − yᵢ)² and its partials, by a plain loop. */
function squaredError(x: number[], y: number[], w: number, b: number, half = true): { value: number; w: number; b: number } {
  const m = x.length;
  const c = half ? 1 / (2 * m) : 1 / m;
  let v = 0;
  let gw = 0;
  let gb = 0;
  for (let i = 0; i < m; i++) {
    const r = w * x[i] + b - y[i];
    v += r * r;
    gw += 2 * r * x[i];
    gb += 2 * r;
  }
  return { value: c * v, w: c * gw, b: c * gb };
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

const LOOP_COST = `def compute_cost(x, y, w, b):
    m = x.shape[0]
    cost_sum = 0
    for i in range(m):
        f_wb = w * x[i] + b
        cost_sum = cost_sum + (f_wb - y[i]) ** 2
    return (1 / (2 * m)) * cost_sum
`;

describe('data bound wherever the code binds it', () => {
  it('a call inside main(), with arrays local to main, binds them (why: call); a sweep loop around the call is not run', () => {
    const src = `import numpy as np\n\n${LOOP_COST}\ndef main():\n    sizes = np.array([1.0, 2.0, 3.0])\n    prices = np.array([2.0, 4.1, 6.2])\n    for w in np.arange(0, 3, 0.5):\n        print(f"w={w}: {compute_cost(sizes, prices, w, 0.1):.3f}")\n\nif __name__ == "__main__":\n    main()\n`;
    const r = cli({ 'lab.py': src }, 'lab.py', ['--line', '3', '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = r.json!;
    assert.deepStrictEqual(j.data.bindings.map((b) => [b.arg, b.source, b.samples, b.why]), [['x', 'sizes', 3, 'call'], ['y', 'prices', 3, 'call']]);
    // w is the loop's variable, unknown before the loop: the default start; b the call's 0.1
    assert.deepStrictEqual(j.at, { w: 1, b: 0.1 });
    const e = squaredError([1, 2, 3], [2, 4.1, 6.2], 1, 0.1);
    assert.ok(close(j.value, e.value) && close(j.gradientAt.w, e.w) && close(j.gradientAt.b, e.b), JSON.stringify([j.value, j.gradientAt, e]));
  });

  it('a call inside an f-string under if __name__ == "__main__" binds module-level arrays of other names', () => {
    const src = 'import numpy as np\nX = np.array([1.0, 2.0, 3.0])\nY = np.array([1.0, 2.5, 3.5])\ndef mse(x, y, w, b):\n    return np.mean((w * x + b - y) ** 2)\nif __name__ == "__main__":\n    print(f"cost: {mse(X, Y, 0.5, 0.0)}")\n';
    const j = cli({ 'a.py': src }, 'a.py', ['--line', '4', '--json']).json!;
    assert.deepStrictEqual(j.data.bindings.map((b) => [b.arg, b.source, b.why]), [['x', 'X', 'call'], ['y', 'Y', 'call']]);
    const e = squaredError([1, 2, 3], [1, 2.5, 3.5], 0.5, 0, false);
    assert.ok(close(j.value, e.value) && close(j.gradientAt.w, e.w), JSON.stringify(j.gradientAt));
  });

  it('a JavaScript call inside a function binds module-level consts (camelCase xTrain)', () => {
    const src = 'const xTrain = [1, 2, 3, 4];\nconst yTrain = [2, 4, 6, 8];\nfunction cost(xs, ys, w, b) {\n  return xs.reduce((s, x, i) => s + (w * x + b - ys[i]) ** 2, 0) / xs.length;\n}\nfunction main() {\n  console.log(`cost=${cost(xTrain, yTrain, 0.5, 0)}`);\n}\nmain();\n';
    const j = cli({ 'a.js': src }, 'a.js', ['--line', '3', '--json']).json!;
    assert.deepStrictEqual(j.data.bindings.map((b) => [b.arg, b.source, b.why]), [['xs', 'xTrain', 'call'], ['ys', 'yTrain', 'call']]);
    const e = squaredError([1, 2, 3, 4], [2, 4, 6, 8], 0.5, 0, false);
    assert.ok(close(j.value, e.value) && close(j.gradientAt.b, e.b));
  });

  it('never called: module-level x_train / y_train bound by name, marked as a guess in the JSON and the report', () => {
    const src = `import numpy as np\nx_train = np.array([1.0, 2.0, 3.0, 4.0])\ny_train = np.array([3.1, 4.9, 7.2, 8.8])\nx_test = np.array([5.0, 6.0, 7.0, 8.0])\n\n${LOOP_COST}`;
    const j = cli({ 'lab.py': src }, 'lab.py', ['--line', '6', '--json']).json!;
    assert.deepStrictEqual(j.data, { bound: true, samples: 4, bindings: [{ arg: 'x', source: 'x_train', samples: 4, why: 'name' }, { arg: 'y', source: 'y_train', samples: 4, why: 'name' }] });
    const e = squaredError([1, 2, 3, 4], [3.1, 4.9, 7.2, 8.8], 1, 1);
    assert.ok(close(j.value, e.value) && close(j.gradientAt.w, e.w) && close(j.gradientAt.b, e.b));
    const text = cli({ 'lab.py': src }, 'lab.py', ['--line', '6']).stdout;
    assert.match(text, /x ← x_train \(4 samples, matched by name\).*a guess by name/);
  });

  it('--data chooses arrays (why: option), over a call and over a name; a CSV column by index or by header', () => {
    const src = `import numpy as np\nx_train = np.array([1.0, 2.0])\ny_train = np.array([1.0, 1.0])\nsize = np.array([1.0, 2.0, 3.0])\nprice = np.array([2.0, 2.0, 5.0])\n\n${LOOP_COST}\ncompute_cost(x_train, y_train, 1.0, 0.0)\n`;
    const j = cli({ 'lab.py': src }, 'lab.py', ['--line', '7', '--data', 'x=size,y=price', '--json']).json!;
    assert.deepStrictEqual(j.data.bindings.map((b) => [b.arg, b.source, b.samples, b.why]), [['x', 'size', 3, 'option'], ['y', 'price', 3, 'option']]);
    const e = squaredError([1, 2, 3], [2, 2, 5], 1, 0);
    assert.ok(close(j.value, e.value) && close(j.gradientAt.w, e.w));
    const csv = 'size,price\n1.5,3\n2.5,4\n4,9\n';
    const c = cli({ 'lab.py': `import numpy as np\n\n${LOOP_COST}`, 'house.csv': csv }, 'lab.py', ['--line', '3', '--data', 'x=house.csv:0,y=house.csv:price', '--json']).json!;
    assert.deepStrictEqual(c.data.bindings.map((b) => [b.arg, b.source, b.samples]), [['x', 'house.csv:0', 3], ['y', 'house.csv:price', 3]]);
    const ec = squaredError([1.5, 2.5, 4], [3, 4, 9], 1, 1);
    assert.ok(close(c.value, ec.value) && close(c.gradientAt.b, ec.b));
  });

  it('--data that names no argument, no array or no column: exit 2 and a located message', () => {
    const src = `import numpy as np\nx_train = np.array([1.0, 2.0])\n\n${LOOP_COST}`;
    const a = cli({ 'lab.py': src }, 'lab.py', ['--line', '4', '--data', 'z=x_train']);
    assert.strictEqual(a.code, 2);
    assert.match(a.stderr, /lab\.py:4:5: --data names 'z', not an argument of 'compute_cost' \(arguments: x, y, w, b\)/);
    const b = cli({ 'lab.py': src }, 'lab.py', ['--line', '4', '--data', 'x=nothing']);
    assert.strictEqual(b.code, 2);
    assert.match(b.stderr, /lab\.py:4:\d+: --data: 'nothing' is not an array of numbers defined at module level/);
    const c = cli({ 'lab.py': src, 'd.csv': '1,2\n3,4\n' }, 'lab.py', ['--line', '4', '--data', 'x=d.csv:5']);
    assert.strictEqual(c.code, 2);
    assert.match(c.stderr, /d\.csv has 2 columns/);
    assert.doesNotMatch(a.stderr + b.stderr + c.stderr, /\n\s+at /, 'no stack trace');
  });

  it('two arrays that match a name equally well (x_a, x_b) are not guessed between', () => {
    const src = `import numpy as np\nx_a = np.array([1.0, 2.0])\nx_b = np.array([3.0, 4.0])\n\n${LOOP_COST}`;
    const j = cli({ 'lab.py': src }, 'lab.py', ['--line', '5', '--json']).json!;
    assert.strictEqual(j.data.bound, false);
  });
});

describe('data standardised at module level, and arrays with the argument\'s own name', () => {
  it('z-score normalisation as the course lab writes it (np.mean and np.std along axis 0, x.std(), np.var with ddof) is computed over the data, and the cost is read over the scaled features', () => {
    const X = [[2104, 5], [1416, 3], [852, 2], [1534, 3]];
    const Y = [460, 232, 178, 315];
    const src = `import numpy as np\nX_train = np.array(${JSON.stringify(X)})\ny_train = np.array(${JSON.stringify(Y)})\n\ndef zscore_normalize_features(X):\n    mu = np.mean(X, axis=0)\n    sigma = np.std(X, axis=0)\n    X_norm = (X - mu) / sigma\n    return X_norm, mu, sigma\n\nX_norm, X_mu, X_sigma = zscore_normalize_features(X_train)\ny_scaled = (y_train - y_train.mean()) / y_train.std()\nspread = np.var(y_train, ddof=1)\n\ndef compute_cost(X, y, w, b):\n    return np.sum((X @ w + b - y) ** 2) / (2 * X.shape[0])\n\nprint(compute_cost(X_norm, y_scaled, np.array([0.5, -0.2]), 0.1))\n`;
    const j = cli({ 'a.py': src }, 'a.py', ['--line', '15', '--json']).json!;
    // by hand: population mean and std per column (ddof = 0), as NumPy's defaults
    const col = (k: number): number[] => X.map((r) => r[k]);
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    const std = (v: number[]): number => Math.sqrt(mean(v.map((t) => (t - mean(v)) ** 2)));
    const Z = X.map((r) => r.map((t, k) => (t - mean(col(k))) / std(col(k))));
    const ys = Y.map((t) => (t - mean(Y)) / std(Y));
    let v = 0, g0 = 0;
    Z.forEach((r, i) => { const e = 0.5 * r[0] - 0.2 * r[1] + 0.1 - ys[i]; v += e * e; g0 += e * r[0]; });
    assert.deepStrictEqual(j.params, ['w[0]', 'w[1]', 'b']);
    assert.ok(close(j.value, v / 8) && close(j.gradientAt['w[0]'], g0 / 4), JSON.stringify([j.value, j.gradientAt, v / 8, g0 / 4]));
  });
  it('np.var(ddof=1), torch.std (n − 1 unless unbiased=False), and x.std() refused where the file imports both NumPy and torch', () => {
    const v = [1, 2, 4, 7];
    const m = 3.5;
    const ss = v.reduce((a, t) => a + (t - m) ** 2, 0);
    const at = (src: string): Out => cli({ 'a.py': src }, 'a.py', ['--line', src.split('\n').findIndex((l) => l.startsWith('def ')) + 1 + '', '--at', 'w=1', '--json']).json!;
    assert.ok(close(at(`import numpy as np\nv = np.array(${JSON.stringify(v)})\ndef f(w):\n    return w * np.var(v, ddof=1)\n`).value, ss / 3));
    assert.ok(close(at(`import torch\nv = torch.tensor(${JSON.stringify(v)})\ndef f(w):\n    return w * torch.std(v)\n`).value, Math.sqrt(ss / 3)));
    assert.ok(close(at(`import torch\nv = torch.tensor(${JSON.stringify(v)})\ndef f(w):\n    return w * v.std(unbiased=False)\n`).value, Math.sqrt(ss / 4)));
    const both = cli({ 'a.py': `import numpy as np\nimport torch\nv = np.array(${JSON.stringify(v)})\ndef f(w):\n    return w * v.std()\n` }, 'a.py', ['--line', '4']);
    assert.match(both.stderr + both.stdout, /a\.py:5:16: '\.std\(\)' divides by n on a NumPy array and by n − 1 on a torch tensor, and this file imports both/);
  });
  it('a helper at module level that trains (theta = train(X, Y), 100,000 iterations) is not run: the cost beside it reads at once, its result unknown', () => {
    const src = 'import numpy as np\nX = np.array([1.0, 2.0, 3.0, 4.0])\nY = np.array([2.0, 4.1, 6.2, 7.9])\n\ndef train(x, y):\n    w = 0.0\n    for it in range(100000):\n        w = w - 0.01 * np.mean((w * x - y) * x)\n    return w\n\nw_fit = train(X, Y)\n\ndef cost(w):\n    return np.mean((w * X - Y) ** 2)\n\ndef at_fit(b):\n    return (w_fit - b) ** 2\n';
    const j = cli({ 'a.py': src }, 'a.py', ['--line', '13', '--at', 'w=1', '--json']).json!;
    assert.ok(close(j.value, [1, 2, 3, 4].reduce((a, x, i) => a + (x - [2, 4.1, 6.2, 7.9][i]) ** 2, 0) / 4), `${j.value}`);
    const r = cli({ 'a.py': src }, 'a.py', ['--line', '16']);
    assert.match(r.stderr + r.stdout, /the result of train\(\)/);
  });
  it("a module-level array with the argument's own name is bound to it, first among names, and marked a guess", () => {
    const src = 'import numpy as np\n\nx = np.array([1.0, 2.0, 3.0])\nx_train = np.array([9.0, 9.0, 9.0])\ny = np.array([2.0, 4.1, 5.9])\n\ndef cost(x, y, w, b):\n    return np.mean((w * x + b - y) ** 2)\n';
    const j = cli({ 'a.py': src }, 'a.py', ['--line', '7', '--at', 'w=1,b=1', '--json']).json!;
    assert.deepStrictEqual(j.data.bindings.map((d: { arg: string; source: string; why: string }) => [d.arg, d.source, d.why]), [['x', 'x', 'name'], ['y', 'y', 'name']]);
    const e = [1, 2, 3].reduce((a, x, i) => a + (x + 1 - [2, 4.1, 5.9][i]) ** 2, 0) / 3;
    assert.ok(close(j.value, e), `${j.value} vs ${e}`);
  });
});

describe('no data anywhere is not an error', () => {
  it('the loop form: exit 0, data.bound false, nothing evaluated, the partials under Σ over i = 1 … m with (1/2m)', () => {
    const r = cli({ 'lab.py': `import numpy as np\n\n${LOOP_COST}` }, 'lab.py', ['--line', '3', '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = r.json!;
    assert.deepStrictEqual(j.data, { bound: false, samples: null, bindings: [] });
    assert.strictEqual(j.value, null);
    assert.strictEqual(j.gradientAt, null);
    assert.strictEqual(j.descent, null);
    assert.deepStrictEqual(j.params, ['w', 'b']);
    // the textbook's: the term's 2 joins the Σ's 1/2m
    assert.strictEqual(j.gradient.b, '(1/m) Σᵢ₌₁^m [w * x_i + b - y_i]');
    assert.strictEqual(j.gradient.w, '(1/m) Σᵢ₌₁^m [(w * x_i + b - y_i) * x_i]');
    assert.match(j.message, /no data for x, y.*compute_cost\(x_train, y_train, …\).*--data/);
  });

  it('np.mean is (1/m), np.sum a plain Σ, a mean of log-losses (1/m): the factor read at two sample counts', () => {
    const src = 'import numpy as np\n\ndef mse(X, Y, w, b):\n    return np.mean((w * X + b - Y) ** 2)\n\ndef sse(x, y, w):\n    return np.sum((y - w * x) ** 2)\n\ndef loss(x, y, w):\n    m = len(x)\n    total = 0.0\n    for i in range(m):\n        total += np.log(1 + np.exp(-y[i] * w * x[i]))\n    return total / m\n';
    const at = (line: number): Out => cli({ 'a.py': src }, 'a.py', ['--line', String(line), '--json']).json!;
    // the factors read, 1/m, 1 and 1/m, times each term's partial's own: 2, −2 and −1
    assert.strictEqual(at(3).gradient.b, '(2/m) Σᵢ₌₁^m [w * X_i + b - Y_i]');
    assert.strictEqual(at(6).gradient.w, '-2 · Σᵢ₌₁^m [(y_i - w * x_i) * x_i]');
    assert.strictEqual(at(9).gradient.w, '-(1/m) Σᵢ₌₁^m [x_i * y_i * (1 - σ(y_i * w * x_i))]');
  });

  it("the course lab's regularised cost: λ/(2m)·Σ w² over m as the textbook writes it, lambda_ held at its default", () => {
    const reg = (lambda: string): string => `import numpy as np\n\ndef compute_cost_linear_reg(X, y, w, b, lambda_ = ${lambda}):\n    m  = X.shape[0]\n    n  = len(w)\n    cost = 0.\n    for i in range(m):\n        f_wb_i = np.dot(X[i], w) + b\n        cost = cost + (f_wb_i - y[i])**2\n    cost = cost / (2 * m)\n    reg_cost = 0\n    for j in range(n):\n        reg_cost += (w[j]**2)\n    reg_cost = (lambda_/(2*m)) * reg_cost\n    return cost + reg_cost\n`;
    const r = cli({ 'lab.py': reg('1') }, 'lab.py', ['--line', '3', '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const j = r.json!;
    // a regularisation strength is a hyperparameter: held, not descended on
    assert.deepStrictEqual(j.params, ['w[0]', 'w[1]', 'b']);
    // by hand: ∂/∂w_j of λ/(2m)·Σⱼ w_j² is (λ/m)·w_j, and the Σ's (1/2m)·2 is 1/m
    assert.strictEqual(j.gradient['w[0]'], '(1/m) Σᵢ₌₁^m [(X0_i * w_0 + X1_i * w_1 + b - y_i) * X0_i] + (1/m) w_0');
    assert.strictEqual(j.gradient.b, '(1/m) Σᵢ₌₁^m [X0_i * w_0 + X1_i * w_1 + b - y_i]');
    // the loop's reg_cost = 0 adds no "0 +"
    assert.match(j.expression, / \+ \(1\/2m\) \(w_0\^2 \+ w_1\^2\)$/);
    const k = cli({ 'lab.py': reg('0.7') }, 'lab.py', ['--line', '3', '--json']).json!;
    assert.strictEqual(k.gradient['w[1]'], '(1/m) Σᵢ₌₁^m [(X0_i * w_0 + X1_i * w_1 + b - y_i) * X1_i] + (0.7/m) · w_1');
    assert.match(k.expression, / \+ \(0\.35\/m\) · \(w_0\^2 \+ w_1\^2\)$/);
  });

  it('the same cost over 20,000 rows of a CSV is one Σ read over a prefix, its λ/(2m) at the 20,000 rows: value and partials equal a plain loop', () => {
    // read sample by sample it overflowed the stack (an internal error) before the part without data was read over m
    const rows = Array.from({ length: 20_000 }, (_, i) => [Math.sin(i) * 2, Math.cos(3 * i), 1 + Math.sin(7 * i)]);
    const csv = `a,b,y\n${rows.map((r) => r.map((v) => v.toFixed(6)).join(',')).join('\n')}\n`;
    const src = `import numpy as np\ndata = np.loadtxt('d.csv', delimiter=',', skiprows=1)\nX_train = data[:, :2]\ny_train = data[:, 2]\n\ndef compute_cost_linear_reg(X, y, w, b, lambda_ = 1):\n    m  = X.shape[0]\n    cost = 0.\n    for i in range(m):\n        f_wb_i = np.dot(X[i], w) + b\n        cost = cost + (f_wb_i - y[i])**2\n    cost = cost / (2 * m)\n    reg_cost = 0\n    for j in range(2):\n        reg_cost += (w[j]**2)\n    return cost + (lambda_/(2*m)) * reg_cost\n\nprint(compute_cost_linear_reg(X_train, y_train, np.array([0.5, -0.2]), 0.1, 0.7))\n`;
    const j = cli({ 'lab.py': src, 'd.csv': csv }, 'lab.py', ['--line', '6', '--json']).json!;
    const data = rows.map((r) => r.map((v) => Number(v.toFixed(6))));
    const [w0, w1, b, lambda, m] = [0.5, -0.2, 0.1, 0.7, data.length];
    let value = 0;
    let g0 = 0;
    for (const [x0, x1, y] of data) {
      const e = w0 * x0 + w1 * x1 + b - y;
      value += e * e;
      g0 += e * x0;
    }
    value = value / (2 * m) + (lambda / (2 * m)) * (w0 * w0 + w1 * w1);
    g0 = g0 / m + (lambda / m) * w0;
    assert.ok(close(j.value, value) && close(j.gradientAt['w[0]'], g0), JSON.stringify([j.value, value, j.gradientAt['w[0]'], g0]));
    // over m as the lab writes it, not 0.0000175 and 0.000035
    assert.match(j.expression, /^\(1\/2m\) Σᵢ₌₁\^m \[.*\] \+ \(0\.35\/m\) · \(w\[0\] \^ 2 \+ w\[1\] \^ 2\)$/);
    assert.strictEqual(j.gradient['w[0]'], '(1/m) Σᵢ₌₁^m [(X0_i * w_0 + X1_i * w_1 + b - y_i) * X0_i] + (0.7/m) · w_0');
  });

  it('without data the readable report shows the partials and how to bind data, exit 0', () => {
    const r = cli({ 'lab.py': `import numpy as np\n\n${LOOP_COST}` }, 'lab.py', ['--line', '3']);
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /∂compute_cost\/∂b = \(1\/m\) Σᵢ₌₁\^m \[w · x⁽ⁱ⁾ \+ b − y⁽ⁱ⁾\]/);
    assert.match(r.stdout, /no data for x, y in the file/);
  });
});

describe('a function that returns several values', () => {
  it('(cost, dj_dw, dj_db) and cost(...)[0] are read as their cost; the hand-written gradient is not read', () => {
    // np.linalg.pinv is nothing Gradient Lens reads: only the unread gradient uses it
    const src = `import numpy as np\nx_train = np.array([1.0, 2.0, 3.0, 4.0])\ny_train = np.array([3.0, 5.5, 6.5, 9.0])\n\ndef compute_cost_and_gradient(x, y, w, b):\n    m = x.shape[0]\n    err = w * x + b - y\n    cost = np.sum(err ** 2) / (2 * m)\n    dj_dw = np.linalg.pinv(err)\n    dj_db = np.sum(err) / m\n    return cost, dj_dw, dj_db\n\nprint(compute_cost_and_gradient(x_train, y_train, 0.5, 1.0)[0])\n`;
    const r = cli({ 'lab.py': src }, 'lab.py', ['--line', '5', '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const e = squaredError([1, 2, 3, 4], [3, 5.5, 6.5, 9], 0.5, 1);
    assert.ok(close(r.json!.value, e.value) && close(r.json!.gradientAt.w, e.w) && close(r.json!.gradientAt.b, e.b));
  });
  it('JavaScript: return [cost / (2 * m), dw / m, db / m] in a function named for its cost', () => {
    const src = 'const x = [1, 2, 3];\nconst y = [2, 3, 5];\nfunction costAndGradient(w, b) {\n  let cost = 0, dw = 0;\n  for (let i = 0; i < x.length; i++) { const e = w * x[i] + b - y[i]; cost += e * e; dw += e * x[i]; }\n  return [cost / (2 * x.length), dw / x.length];\n}\n';
    const j = cli({ 'a.js': src }, 'a.js', ['--line', '3', '--at', 'w=0.5,b=0.25', '--json']).json!;
    const e = squaredError([1, 2, 3], [2, 3, 5], 0.5, 0.25);
    assert.ok(close(j.value, e.value) && close(j.gradientAt.w, e.w));
  });
  it('(dj_db, dj_dw) leads with a gradient: still a located message that says what to do', () => {
    const src = 'import numpy as np\nx = np.array([1.0, 2.0])\ny = np.array([1.0, 2.0])\ndef compute_gradient(x, y, w, b):\n    dj_dw = np.mean((w * x + b - y) * x)\n    dj_db = np.mean(w * x + b - y)\n    return dj_db, dj_dw\n';
    const r = cli({ 'g.py': src }, 'g.py', ['--line', '4']);
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /g\.py:7:12: 'compute_gradient' returns 2 values \(dj_db, dj_dw\), not one number/);
  });
});

describe('vector parameters from use', () => {
  const X = [[1, 2], [2, 1], [3, 3], [4, 2.5]];
  const Y = [4, 3.5, 7.1, 7.9];
  /** (1/2m) Σ (X[i]·w + b − y[i])² and ∂/∂w[0], by a plain loop */
  const byHand = (w: number[], b: number): { value: number; w0: number } => {
    let v = 0;
    let g = 0;
    X.forEach((row, i) => { const r = row[0] * w[0] + row[1] * w[1] + b - Y[i]; v += r * r; g += r * row[0]; });
    return { value: v / (2 * X.length), w0: g / X.length };
  };
  it('X @ w with X bound by name and w never given: w has as many components as X has columns', () => {
    const src = `import numpy as np\nX_train = np.array(${JSON.stringify(X)})\ny_train = np.array(${JSON.stringify(Y)})\n\ndef compute_cost(X, y, w, b):\n    m = X.shape[0]\n    err = X @ w + b - y\n    return (err ** 2).sum() / (2 * m)\n`;
    const j = cli({ 'a.py': src }, 'a.py', ['--line', '5', '--at', 'w[0]=0.5,w[1]=-0.25,b=0.1', '--json']).json!;
    assert.deepStrictEqual(j.params, ['w[0]', 'w[1]', 'b']);
    const e = byHand([0.5, -0.25], 0.1);
    assert.ok(close(j.value, e.value) && close(j.gradientAt['w[0]'], e.w0), JSON.stringify([j.value, j.gradientAt, e]));
  });
  it('w[j] over the features with the call passing w = np.array([1.0, 1.0]): a vector of the data\'s width is parameters, not data', () => {
    const src = `import numpy as np\nX = np.array(${JSON.stringify(X)})\ny = np.array(${JSON.stringify(Y)})\n\ndef compute_cost(X, y, w, b):\n    m, n = X.shape\n    cost = 0.0\n    for i in range(m):\n        f = b\n        for j in range(n):\n            f = f + w[j] * X[i, j]\n        cost += (f - y[i]) ** 2\n    return cost / (2 * m)\n\nprint(compute_cost(X, y, np.array([1.0, 1.0]), 0.5))\n`;
    const j = cli({ 'a.py': src }, 'a.py', ['--line', '5', '--json']).json!;
    assert.deepStrictEqual(j.at, { 'w[0]': 1, 'w[1]': 1, b: 0.5 });
    const e = byHand([1, 1], 0.5);
    assert.ok(close(j.value, e.value) && close(j.gradientAt['w[0]'], e.w0));
  });
  it('the dot product with the data in a helper of the file (f_wb_i = predict(X[i], w, b), model(X, w, b) = X @ w + b): w still has as many components as X has columns, with data and without', () => {
    const helpers = 'def predict(x, w, b):\n    p = np.dot(x, w) + b\n    return p\n\ndef model(X, w, b):\n    return X @ w + b\n\n';
    const loop = 'def compute_cost(X, y, w, b):\n    m = X.shape[0]\n    cost = 0.0\n    for i in range(m):\n        f_wb_i = predict(X[i], w, b)\n        cost = cost + (f_wb_i - y[i]) ** 2\n    return cost / (2 * m)\n\n';
    const vectorised = 'def cost(X, y, w, b):\n    return np.sum((model(X, w, b) - y) ** 2) / (2 * X.shape[0])\n';
    const src = `import numpy as np\nX_train = np.array(${JSON.stringify(X)})\ny_train = np.array(${JSON.stringify(Y)})\n\n${helpers}${loop}${vectorised}`;
    const e = byHand([0.5, -0.25], 0.1);
    for (const line of [12, 21]) {
      const j = cli({ 'a.py': src }, 'a.py', ['--line', String(line), '--at', 'w[0]=0.5,w[1]=-0.25,b=0.1', '--json']).json!;
      assert.deepStrictEqual(j.params, ['w[0]', 'w[1]', 'b'], `line ${line}`);
      assert.ok(close(j.value, e.value) && close(j.gradientAt['w[0]'], e.w0), JSON.stringify([line, j.value, j.gradientAt, e]));
    }
    // no data in the file: the partials over m samples, written for two of X's features
    const none = cli({ 'b.py': `import numpy as np\n\n${helpers}${loop}` }, 'b.py', ['--line', '10', '--json']).json!;
    assert.deepStrictEqual(none.params, ['w[0]', 'w[1]', 'b']);
    assert.deepStrictEqual(none.data, { bound: false, samples: null, bindings: [] });
    assert.strictEqual(none.gradient['w[1]'], '(1/m) Σᵢ₌₁^m [(X0_i * w_0 + X1_i * w_1 + b - y_i) * X1_i]');
  });
  it('a cost that returns a (1, 1) array, (1/2m)·(Xθ − y)ᵀ(Xθ − y) with θ of shape (2, 1) as the Octave exercises port it, is that one number; a longer array is refused with its NumPy shape', () => {
    const src = `import numpy as np\nX = np.array(${JSON.stringify(X)})\ny = np.array(${JSON.stringify(Y.map((v) => [v]))})\n\ndef cost_function(X, y, theta):\n    m = len(y)\n    J = (1 / (2 * m)) * ((X.dot(theta) - y).T).dot(X.dot(theta) - y)\n    return J\n\ndef residuals(X, y, theta):\n    return X.dot(theta) - y\n\ntheta = np.array([[0.5], [-0.25]])\nprint(cost_function(X, y, theta), residuals(X, y, theta))\n`;
    const j = cli({ 'a.py': src }, 'a.py', ['--line', '5', '--json']).json!;
    assert.deepStrictEqual(j.params, ['theta[0]', 'theta[1]']);
    const e = byHand([0.5, -0.25], 0);
    assert.ok(close(j.value, e.value) && close(j.gradientAt['theta[0]'], e.w0), JSON.stringify([j.value, j.gradientAt, e]));
    const r = cli({ 'a.py': src }, 'a.py', ['--line', '10']);
    assert.match(r.stderr + r.stdout, /a\.py:10:5: 'residuals' returns an array of shape \(4, 1\); a cost must be one number/);
  });
  it('a default of None the call leaves alone is held, not a parameter; a column vector theta of shape (2, 1) is the parameters theta[0], theta[1]', () => {
    const src = `import numpy as np\nX = np.array(${JSON.stringify(X)})\ny = np.array(${JSON.stringify(Y.map((v) => [v]))})\n\ndef cost(X, y, theta, lambda_=None):\n    m = len(y)\n    return np.sum((X.dot(theta) - y) ** 2) / (2 * m)\n\ntheta = np.zeros((2, 1))\nprint(cost(X, y, theta))\n`;
    const j = cli({ 'a.py': src }, 'a.py', ['--line', '5', '--json']).json!;
    assert.deepStrictEqual(j.params, ['theta[0]', 'theta[1]']);
    const e = byHand([0, 0], 0);
    assert.ok(close(j.value, e.value) && close(j.gradientAt['theta[0]'], e.w0), JSON.stringify([j.value, j.gradientAt, e]));
  });
});

describe('samples are named by the binding the code makes last', () => {
  const csv = 'size,price\n1.0,300\n1.5,410\n2.0,520\n';
  it("columns of a loaded matrix passed to compute_cost(x, y, …) are x⁽ⁱ⁾ and y⁽ⁱ⁾, not the matrix's data₀⁽ⁱ⁾ (the names the UI check's screenshot showed)", () => {
    const src = `import numpy as np\ndata = np.loadtxt('house.csv', delimiter=',', skiprows=1)\nx_train = data[:, 0]\ny_train = data[:, 1]\n\n${LOOP_COST}\nprint(compute_cost(x_train, y_train, 100, 50))\n`;
    const r = cli({ 'main.py': src, 'house.csv': csv }, 'main.py', ['--line', '7', '--steps', '0']);
    assert.strictEqual(r.code, 0, r.stderr);
    const partial = r.stdout.split('\n').find((l) => l.includes('∂compute_cost/∂w')) ?? '';
    assert.ok(partial.includes('x⁽ⁱ⁾') && partial.includes('y⁽ⁱ⁾') && !partial.includes('data'), partial);
  });
  it('a cost reading the module-level names x_train, y_train says x_train⁽ⁱ⁾, whichever array was built first', () => {
    const src = `import numpy as np\ndata = np.loadtxt('house.csv', delimiter=',', skiprows=1)\nx_train = data[:, 0]\ny_train = data[:, 1]\n\ndef cost(w, b):\n    return np.mean((w * x_train + b - y_train) ** 2)\n`;
    const r = cli({ 'main.py': src, 'house.csv': csv }, 'main.py', ['--line', '6', '--steps', '0']);
    assert.strictEqual(r.code, 0, r.stderr);
    const partial = r.stdout.split('\n').find((l) => l.includes('∂cost/∂w')) ?? '';
    assert.ok(partial.includes('x_train⁽ⁱ⁾') && partial.includes('y_train⁽ⁱ⁾') && !partial.includes('data'), partial);
  });
});

describe('a cost over many samples is read once, over its first samples, then bound to all', () => {
  /** deterministic data: integer hundredths, so the CSV text is exact */
  const rows = (n: number): Array<[number, number]> => Array.from({ length: n }, (_, i) => {
    const x = ((i * 7919) % 1000) / 100;
    return [x, Math.round((3 * x + 2 + (((i * 104729) % 201) - 100) / 100) * 100) / 100];
  });
  it('the course lab loop over a 100,000-row CSV (it needed more than 2,000,000 operations unrolled) equals a plain loop over the file', () => {
    const data = rows(100_000);
    const csv = 'x,y\n' + data.map(([x, y]) => `${x},${y}`).join('\n') + '\n';
    const src = `import numpy as np\n\ndata = np.loadtxt('big.csv', delimiter=',', skiprows=1)\nx_train, y_train = data[:, 0], data[:, 1]\n\n${LOOP_COST}\nprint(compute_cost(x_train, y_train, 2.5, 1.0))\n`;
    const r = cli({ 'big.py': src, 'big.csv': csv }, 'big.py', ['--line', '6', '--steps', '2', '--json']);
    assert.strictEqual(r.code, 0, r.stderr);
    const e = squaredError(data.map((d) => d[0]), data.map((d) => d[1]), 2.5, 1);
    assert.strictEqual(r.json!.data.samples, 100_000);
    assert.ok(Math.abs(r.json!.value - e.value) <= 1e-9 * e.value && Math.abs(r.json!.gradientAt.w - e.w) <= 1e-9 * Math.abs(e.w), JSON.stringify([r.json!.value, r.json!.gradientAt, e]));
  });
  it('module-level arrays of 20,000 samples read by a def (a notebook cell above): the same Σ, equal to a plain loop', () => {
    const data = rows(20_000);
    const src = `import numpy as np\nx = np.array(${JSON.stringify(data.map((d) => d[0]))})\ny = np.array(${JSON.stringify(data.map((d) => d[1]))})\n\ndef cost(w, b):\n    s = 0.0\n    for i in range(len(x)):\n        s += (w * x[i] + b - y[i]) ** 2\n    return s / (2 * len(x))\n`;
    const def = findDefinition(src, 'python', 5) as FunctionDefinition;
    assert.strictEqual(def.sumForm?.count, 20_000);
    const a = analyzeFunction(def, { maxSteps: 0, symbolic: false, graph: false, start: { w: 2.5, b: 1 } });
    const e = squaredError(data.map((d) => d[0]), data.map((d) => d[1]), 2.5, 1);
    assert.ok(Math.abs((a.value as number) - e.value) <= 1e-9 * e.value && Math.abs((a.gradientAt.b as number) - e.b) <= 1e-9 * Math.abs(e.b));
  });
  it('edits read again only what they touch: one of 20,000 numbers changed, a line inserted above the data, the cost edited; each equals a plain loop over the text as it is then', () => {
    const data = rows(20_000);
    const xs = data.map((d) => d[0]);
    const ys = data.map((d) => d[1]);
    const doc = (head: string, x: number[], power: string): string => `${head}import numpy as np\nx = np.array(${JSON.stringify(x)})\ny = np.array(${JSON.stringify(ys)})\n\ndef cost(w, b):\n    s = 0.0\n    for i in range(len(x)):\n        s += (w * x[i] + b - y[i]) ** ${power}\n    return s / (2 * len(x))\n`;
    const changed = xs.slice();
    changed[12_345] = 77.5;
    const edits: Array<[string, number[], string]> = [['', xs, '2'], ['', changed, '2'], ['# data\n', changed, '2'], ['# data\n', changed, '2.0'], ['', xs, '2']];
    for (const [head, x, power] of edits) {
      const src = doc(head, x, power);
      const def = findDefinition(src, 'python', src.split('\n').findIndex((l) => l.startsWith('def')) + 2) as FunctionDefinition;
      const a = analyzeFunction(def, { maxSteps: 0, symbolic: false, graph: false, start: { w: 2.5, b: 1 } });
      const e = squaredError(x, ys, 2.5, 1);
      assert.ok(Math.abs((a.value as number) - e.value) <= 1e-9 * e.value && Math.abs((a.gradientAt.w as number) - e.w) <= 1e-9 * Math.abs(e.w), JSON.stringify([head, power, a.value, e.value]));
    }
  });
  it('a cost that centres its data (x − mean(x)) is not bound from its first samples: the mean of 48 is not the mean of all', () => {
    const data = rows(1100);
    const src = `import numpy as np\nxs = np.array(${JSON.stringify(data.map((d) => d[0]))})\nys = np.array(${JSON.stringify(data.map((d) => d[1]))})\n\ndef cost(x, y, w, b):\n    xc = x - np.mean(x)\n    return np.mean((w * xc + b - y) ** 2)\n\ncost(xs, ys, 1.0, 0.0)\n`;
    const def = findDefinition(src, 'python', 5) as FunctionDefinition;
    const a = analyzeFunction(def, { maxSteps: 0, symbolic: false, graph: false });
    const j = { value: a.value as number, gradientAt: a.gradientAt as Record<string, number> };
    const mean = data.reduce((s, d) => s + d[0], 0) / data.length;
    const e = squaredError(data.map((d) => d[0] - mean), data.map((d) => d[1]), 1, 0, false);
    assert.ok(Math.abs(j.value - e.value) <= 1e-9 * e.value && Math.abs(j.gradientAt.w - e.w) <= 1e-9 * Math.abs(e.w), JSON.stringify([j.value, e.value]));
  });
});

describe('more places the code binds data', () => {
  const X = [[1, 0.3], [1, 1.1], [1, 2.4], [1, 3.0]];
  const Y = [0.8, 1.9, 3.1, 4.2];
  /** (1/2m) Σ (X[i]·θ − y[i])² and ∂/∂θ[1], by a plain loop */
  const byHand = (t: number[]): { value: number; t1: number } => {
    let v = 0;
    let g = 0;
    X.forEach((row, i) => { const r = row[0] * t[0] + row[1] * t[1] - Y[i]; v += r * r; g += r * row[1]; });
    return { value: v / (2 * X.length), t1: g / X.length };
  };
  it('scipy.optimize.minimize(cost, x0=np.zeros(2), args=(X, y)) calls cost(x0, X, y): X and y are data, theta has x0\'s size and start', () => {
    const src = `import numpy as np\nfrom scipy.optimize import minimize\nX = np.array(${JSON.stringify(X)})\ny = np.array(${JSON.stringify(Y)})\n\ndef cost(theta, X, y):\n    m = len(y)\n    return np.sum((X @ theta - y) ** 2) / (2 * m)\n\nresult = minimize(cost, x0=np.array([0.5, 0.25]), args=(X, y), method='BFGS')\n`;
    const j = cli({ 'a.py': src }, 'a.py', ['--line', '6', '--json']).json!;
    assert.deepStrictEqual(j.at, { 'theta[0]': 0.5, 'theta[1]': 0.25 });
    assert.deepStrictEqual(j.data.bindings.map((b) => [b.arg, b.source, b.why]), [['X', 'X', 'call'], ['y', 'y', 'call']]);
    const e = byHand([0.5, 0.25]);
    assert.ok(close(j.value, e.value) && close(j.gradientAt['theta[1]'], e.t1));
  });
  it('data computed at module level (a column of ones by np.c_, features scaled) is numbers; a helper with an unused *argv is inlined', () => {
    const src = `import numpy as np\nraw = np.array(${JSON.stringify(X.map((r) => [r[1] * 100]))})\nX = np.c_[np.ones((4, 1)), raw] / np.array([1, 100])\ny = np.array(${JSON.stringify(Y)})\n\ndef sq(X, y, theta, *argv):\n    return np.sum((X @ theta - y) ** 2)\n\ndef cost(theta, X, y):\n    return sq(X, y, theta) / (2 * len(y))\n\nprint(cost(np.array([0.5, 0.25]), X, y))\n`;
    const j = cli({ 'a.py': src }, 'a.py', ['--line', '9', '--json']).json!;
    const e = byHand([0.5, 0.25]);
    assert.ok(close(j.value, e.value) && close(j.gradientAt['theta[1]'], e.t1), JSON.stringify([j.value, j.gradientAt, e]));
  });
  it('one flat parameter vector sliced into w and b (as minimize wants it) is the parameters, though it is sliced like data', () => {
    const src = `import numpy as np\nX = np.array(${JSON.stringify(X)})\ny = np.array(${JSON.stringify(Y)})\n\ndef cost(params):\n    w = params[:2]\n    b = params[2]\n    return sum((X.dot(w) + b - y) ** 2) / (2 * len(y))\n\nprint(cost(np.array([0.5, 0.25, 0.0])))\n`;
    const j = cli({ 'a.py': src }, 'a.py', ['--line', '5', '--json']).json!;
    assert.deepStrictEqual(j.params, ['params[0]', 'params[1]', 'params[2]']);
    const e = byHand([0.5, 0.25]);
    assert.ok(close(j.value, e.value) && close(j.gradientAt['params[1]'], e.t1));
  });
});

describe('data files read as packed numbers', () => {
  it('every cell of a CSV is the number Number() reads from its text (plain decimals from their digits, the rest by Number), and a bad cell is located', () => {
    const cell = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 12 })).map(([a, d]) => (a / 997).toFixed(d)),
      fc.tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.integer({ min: 0, max: 16 })).map(([a, d]) => a.toExponential(d)),
      fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map((b) => `${b}.${String(b < 0n ? -b : b).slice(0, 7)}`),
      fc.constantFrom('0', '-0', '+5', '.5', '5.', '0.1', '0.30000000000000004', '123456789012345.6', '1234567890123456789', ' 7.25 ', '"3.5"'),
    );
    fc.assert(fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 20 }), (rows) => {
      const t = readDelimited(`a,b,c\n${rows.map((r) => r.join(',')).join('\n')}\n`, {});
      assert.ok(typeof t !== 'string', String(t));
      rows.flat().forEach((c, k) => assert.ok(Object.is(t.data[k], Number(c.replace(/"/g, ''))), `${c}: ${t.data[k]}`));
      // the same cells separated by blanks (np.loadtxt's default) and by a separator of two characters
      for (const [text, delimiter] of [[rows.map((r) => r.map((c) => c.trim()).join(' \t ')).join('\n'), undefined], [rows.map((r) => r.join('; ')).join('\n'), '; ']] as const) {
        const u = readDelimited(`a b c\n${text}\n`, { delimiter, skipRows: 1 });
        assert.ok(typeof u !== 'string', String(u));
        rows.flat().forEach((c, k) => assert.ok(Object.is(u.data[k], Number(c.replace(/"/g, ''))), `${JSON.stringify(delimiter)} ${c}: ${u.data[k]}`));
      }
    }), { numRuns: 300 });
    assert.deepStrictEqual(Array.from((readDelimited('x y\n1 2\n3   4.5\n', {}) as { data: Float64Array }).data), [1, 2, 3, 4.5]);
    assert.strictEqual(readDelimited('x,y\n1,2\n3,\n', {}), "line 3: '' is not a number");
    assert.strictEqual(readDelimited('x,y\n1,2\n3,4,5\n', {}), 'line 3: more values than the first row has 2');
    assert.strictEqual(readDelimited('1,2\n3\n', {}), 'line 2: 1 values where the first row has 2');
    assert.strictEqual(readDelimited('1,2\n3,abc\n', {}), "line 2: 'abc' is not a number");
  });
  it('slices of a data file read as NumPy reads them: data[:, :2], data[10:, 2], X[10:], Xs[i, 0] and Xs[i][1]', () => {
    const n = 1500;
    const rows = Array.from({ length: n }, (_, i) => [((i * 37) % 101) / 10, ((i * 53) % 97) / 10, ((i * 29) % 89) / 10]);
    const csv = `a,b,c\n${rows.map((r) => r.join(',')).join('\n')}\n`;
    const src = `import numpy as np\ndata = np.loadtxt('d.csv', delimiter=',', skiprows=1)\nX = data[:, :2]\ny = data[10:, 2]\nXs = X[10:]\n\ndef cost(w1, w2, b):\n    s = 0.0\n    for i in range(len(y)):\n        s += (w1 * Xs[i, 0] + w2 * Xs[i][1] + b - y[i]) ** 2\n    return s / len(y)\n`;
    const def = findDefinition(src, 'python', 8, { readFile: () => csv }) as FunctionDefinition;
    assert.strictEqual(def.sumForm?.count, n - 10);
    const at = { w1: 0.3, w2: -0.2, b: 0.1 };
    const a = analyzeFunction(def, { maxSteps: 0, symbolic: false, graph: false, start: at });
    let s = 0, g1 = 0;
    for (let i = 10; i < n; i++) {
      const r = at.w1 * rows[i][0] + at.w2 * rows[i][1] + at.b - rows[i][2];
      s += r * r; g1 += 2 * r * rows[i][0];
    }
    assert.ok(Math.abs((a.value as number) - s / (n - 10)) <= 1e-12 * s, `${a.value} vs ${s / (n - 10)}`);
    assert.ok(Math.abs((a.gradientAt.w1 as number) - g1 / (n - 10)) <= 1e-12 * Math.abs(g1), `${a.gradientAt.w1}`);
  });
  it('a data file changed on disk is read anew, and each edit of the code over the same file reads its numbers as they are (its parse is kept between edits)', () => {
    const n = 1500;
    const rows = Array.from({ length: n }, (_, i) => [((i * 37) % 101) / 10, ((i * 53) % 97) / 10]);
    const csvOf = (rs: number[][]): string => `x,y\n${rs.map((r) => r.join(',')).join('\n')}\n`;
    const changed = rows.map((r, i) => (i === 3 || i === 1200 ? [r[0] + 1, r[1] - 2] : r));
    const src = (note: string): string => `import numpy as np\ndata = np.loadtxt('d.csv', delimiter=',', skiprows=1)\nx = data[:, 0]\ny = data[:, 1]\n\ndef cost(w, b):  # ${note}\n    return np.mean((w * x + b - y) ** 2)\n`;
    const at = { w: 0.4, b: -0.3 };
    const read = (csv: string, note: string): { value: number; w: number } => {
      const def = findDefinition(src(note), 'python', 6, { readFile: () => csv }) as FunctionDefinition;
      assert.strictEqual(def.sumForm?.count, n);
      const a = analyzeFunction(def, { maxSteps: 0, symbolic: false, graph: false, start: at });
      return { value: a.value as number, w: a.gradientAt.w as number };
    };
    const loop = (rs: number[][]): { value: number; w: number } => {
      let s = 0, gw = 0;
      for (const [x, y] of rs) { const r = at.w * x + at.b - y; s += r * r; gw += 2 * r * x; }
      return { value: s / rs.length, w: gw / rs.length };
    };
    const before = csvOf(rows);
    for (const [csv, rs, note] of [[before, rows, 'first'], [csvOf(changed), changed, 'file changed'], [before, rows, 'file back'], [before, rows, 'code edited']] as const) {
      const got = read(csv, note);
      const want = loop(rs as number[][]);
      assert.ok(Math.abs(got.value - want.value) <= 1e-12 * want.value && Math.abs(got.w - want.w) <= 1e-12 * Math.abs(want.w), `${note}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`);
    }
  });
});

describe("the user's choice of data, per function (the panel's picker)", () => {
  const src = `import numpy as np\nx_train = np.array([1.0, 2.0, 4.0])\ny_train = np.array([2.0, 3.0, 9.0])\nsize = np.array([1.5, 2.5])\nprice = np.array([3.0, 4.0])\nX = np.array([[1.0, 2.0], [3.0, 4.0]])\n\n${LOOP_COST}\n${LOOP_COST.replace('compute_cost', 'other_cost')}`;
  it('a choice for compute_cost binds it (why: option) and leaves other_cost bound by name; the definition lists the arrays it could take and their shapes', () => {
    const chosen = findDefinition(src, 'python', 8, { choices: { compute_cost: { x: 'size', y: 'price' } } }) as FunctionDefinition;
    assert.deepStrictEqual(chosen.data, [{ arg: 'x', source: 'size', samples: 2, why: 'option' }, { arg: 'y', source: 'price', samples: 2, why: 'option' }]);
    const a = analyzeFunction(chosen, { start: { w: 0.5, b: -1 }, maxSteps: 0 });
    const e = squaredError([1.5, 2.5], [3, 4], 0.5, -1);
    assert.ok(close(a.value as number, e.value) && close(a.gradientAt.w as number, e.w) && close(a.gradientAt.b as number, e.b), JSON.stringify([a.value, a.gradientAt, e]));
    const other = findDefinition(src, 'python', 16, { choices: { compute_cost: { x: 'size', y: 'price' } } }) as FunctionDefinition;
    assert.deepStrictEqual(other.data?.map((d) => [d.arg, d.source, d.why]), [['x', 'x_train', 'name'], ['y', 'y_train', 'name']]);
    assert.deepStrictEqual(chosen.dataChoice, {
      args: [{ arg: 'x', width: 1 }, { arg: 'y', width: 1 }],
      arrays: [{ name: 'x_train', samples: 3, width: 1 }, { name: 'y_train', samples: 3, width: 1 }, { name: 'size', samples: 2, width: 1 }, { name: 'price', samples: 2, width: 1 }, { name: 'X', samples: 2, width: 2 }],
    });
  });

  it('one argument chosen: the other keeps its binding by name', () => {
    const d = findDefinition(src, 'python', 8, { choices: { compute_cost: { y: 'x_train' } } }) as FunctionDefinition;
    assert.deepStrictEqual(d.data?.map((b) => [b.arg, b.source, b.why]), [['x', 'x_train', 'name'], ['y', 'x_train', 'option']]);
  });

  it('a cost with no data lists what it could take; chosen, it is bound and equals a plain loop', () => {
    const none = 'import numpy as np\na = np.array([1.0, 2.0, 3.0])\nb = np.array([0.5, 1.5, 2.0])\n\ndef squared_error(u, v, p, c):\n    m = len(u)\n    return sum((p * u[i] + c - v[i]) ** 2 for i in range(m)) / m\n';
    const unbound = findDefinition(none, 'python', 5) as FunctionDefinition;
    assert.ok(unbound.symbolicSum && !unbound.data);
    assert.deepStrictEqual(unbound.dataChoice?.args, [{ arg: 'u', width: 1 }, { arg: 'v', width: 1 }]);
    assert.deepStrictEqual(unbound.dataChoice?.arrays.map((x) => x.name), ['a', 'b']);
    const bound = findDefinition(none, 'python', 5, { choices: { squared_error: { u: 'a', v: 'b' } } }) as FunctionDefinition;
    assert.ok(!bound.symbolicSum);
    const g = analyzeFunction(bound, { start: { p: 2, c: 0.5 }, maxSteps: 0 });
    const e = squaredError([1, 2, 3], [0.5, 1.5, 2], 2, 0.5, false);
    assert.ok(close(g.value as number, e.value) && close(g.gradientAt.p as number, e.w) && close(g.gradientAt.c as number, e.b), JSON.stringify([g.gradientAt, e]));
  });

  it('--data takes a column of a .npy beside the file (1-D: column 0; 2-D: by index); a 3-D array is refused with its shape', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-npy-'));
    const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'npy');
    fs.copyFileSync(path.join(fixtures, 'v2_f8_3.npy'), path.join(dir, 'v.npy'));
    fs.copyFileSync(path.join(fixtures, 'u1_2x2x2.npy'), path.join(dir, 'cube.npy'));
    fs.writeFileSync(path.join(dir, 'y.csv'), 'y\n2\n3\n7\n');
    fs.writeFileSync(path.join(dir, 'lab.py'), `import numpy as np\n\n${LOOP_COST}`);
    const run = (data: string): Run => {
      const r = spawnSync(process.execPath, [CLI, 'analyze', path.join(dir, 'lab.py'), '--line', '3', '--data', data, '--json'], { encoding: 'utf8' });
      return { code: r.status ?? -1, json: r.status === 0 ? JSON.parse(r.stdout) as Out : undefined, stderr: r.stderr, stdout: r.stdout };
    };
    try {
      const j = run('x=v.npy:0,y=y.csv:y').json!;
      // v2_f8_3.npy holds [1, 2, 3] (np.load, see make_fixtures.py)
      const e = squaredError([1, 2, 3], [2, 3, 7], 1, 1);
      assert.deepStrictEqual(j.data.bindings.map((b) => [b.arg, b.source, b.samples, b.why]), [['x', 'v.npy:0', 3, 'option'], ['y', 'y.csv:y', 3, 'option']]);
      assert.ok(close(j.value, e.value) && close(j.gradientAt.w, e.w));
      const cube = run('x=cube.npy:0,y=y.csv:0');
      assert.strictEqual(cube.code, 2);
      assert.match(cube.stderr, /lab\.py:\d+:\d+: --data: cube\.npy holds an array of shape \(2, 2, 2\): only one or two dimensions are columns/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
