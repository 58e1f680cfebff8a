/**
 * Reading code as people write it (issue: a real grammar for Python and
 * JS/TS): the review findings, each with the input that exposed it, and a
 * property over every example file: single-character edits anywhere never
 * throw, never hide a definition the edit did not touch, and keep every
 * message inside the file.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { UserError } from '../../src/core/errors';
import { allCandidates, findDefinition, lensesOf } from '../../src/core/find';
import { languageFromPath } from '../../src/core/languages';
import type { NetworkDefinition } from '../../src/core/network/spec';
import type { FunctionDefinition } from '../../src/core/source/definition';
import { cellDocument, readNotebook } from '../../src/core/notebook';
import { Trainer } from '../../src/core/network/trainer';
import { analyzeFunction, analyzeUnbound, tapeOf } from '../../src/core/analysis';
import { readable } from '../../src/core/notation';
import { functionView } from '../../src/core/viewModel';
import { analyzeDocument } from '../../src/core/document';
import { descentHints } from '../../src/core/hints';
import { batchGradientFunction, gradientFunction } from '../../src/core/autodiff/compile';
import { Tape } from '../../src/core/autodiff/tape';
import { ROOT } from './helpers';

const fn = (src: string, language: string, line: number): FunctionDefinition => {
  const d = findDefinition(src, language, line);
  assert.strictEqual(d.kind, 'function');
  return d as FunctionDefinition;
};
const net = (src: string, language: string, line: number): NetworkDefinition => {
  const d = findDefinition(src, language, line);
  assert.strictEqual(d.kind, 'network');
  return d as NetworkDefinition;
};
const names = (src: string, language: string): Array<string | null> => allCandidates(src, language).map((c) => {
  try {
    return c.build().name;
  } catch {
    return '(error)';
  }
});

describe('review findings, each with its input', () => {
  it('a $ in a model\'s name is a name, not a pattern', () => {
    const d = net('const $model = tf.sequential();\n$model.add(tf.layers.dense({ units: 3, inputShape: [2], activation: "relu" }));\n$model.add(tf.layers.dense({ units: 1 }));\n$model.compile({ optimizer: tf.train.adam(0.02), loss: "meanSquaredError" });\n', 'javascript', 1);
    assert.strictEqual(d.name, '$model');
    assert.deepStrictEqual(d.layers.map((l) => l.units), [3, 1]);
    assert.deepStrictEqual([d.optimizer.name, d.optimizer.learningRate], ['adam', 0.02]);
  });
  it('with two PyTorch models, each gets its own loss and optimizer', () => {
    const src = [
      'import torch.nn as nn, torch',
      'a = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))',
      'loss_a = nn.MSELoss()',
      'opt_a = torch.optim.SGD(a.parameters(), lr=0.1)',
      'b = nn.Sequential(nn.Linear(2, 5), nn.ReLU(), nn.Linear(5, 1), nn.Sigmoid())',
      'loss_b = nn.BCELoss()',
      'opt_b = torch.optim.Adam(b.parameters(), lr=0.003)',
      '',
    ].join('\n');
    const da = net(src, 'python', 2);
    const db = net(src, 'python', 5);
    assert.deepStrictEqual([da.loss, da.optimizer.name, da.optimizer.learningRate], ['mse', 'sgd', 0.1]);
    assert.deepStrictEqual([db.loss, db.optimizer.name, db.optimizer.learningRate], ['binary_crossentropy', 'adam', 0.003]);
  });
  it('a network: spec error points at the word it names', () => {
    const src = '# network: 2 -> 4 swish -> 1, loss=mse\n';
    try {
      findDefinition(src, 'python', 1);
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof UserError);
      assert.strictEqual(e.column, src.indexOf('4 swish') + 1, e.message);
      assert.match(e.message, /activation 'swish'/);
    }
  });
  it('def f(x, *, y=2.0) reads x and y (keyword-only after *)', () => {
    const d = fn('def f(x, *, y=2.0):\n    return x**2 + y**2\n', 'python', 1);
    assert.deepStrictEqual(d.params, ['x', 'y']);
    assert.strictEqual(d.defaults.y, 2);
  });
  it('a JS regex literal holding a quote does not hide the next function', () => {
    assert.deepStrictEqual(names('const re = /"[^"]*"/g;\nfunction f(x) { return x * x; }\n', 'javascript'), ['f']);
  });
  it('generics, a typed binding and export default function are found', () => {
    assert.deepStrictEqual(names('function id<T>(v: T): T { return v; }\nlet f: (x: number) => number = (x) => x * x;\nexport default function g(w: number) { return (w - 1) ** 2; }\n', 'typescript'), ['id', 'f', 'g']);
    assert.deepStrictEqual(fn('let f: (x: number) => number = (x) => x * x;\n', 'typescript', 1).params, ['x']);
  });
  it('two definitions on one line are both found', () => {
    assert.deepStrictEqual(names('const f = (x) => x * x; const g = (y) => (y - 1) ** 2;\n', 'javascript'), ['f', 'g']);
  });
  it('a half-typed line above a def hides neither the def nor its CodeLens', () => {
    const src = 'def f(x):\n    y = (x +\n\ndef g(w):\n    return (w - 3)**2\n';
    const cs = allCandidates(src, 'python');
    const g = cs.find((c) => c.startLine === 4);
    assert.ok(g, `candidates start at ${cs.map((c) => c.startLine).join(', ')}`);
    assert.strictEqual((g.build() as FunctionDefinition).name, 'g');
    assert.throws(() => findDefinition(src, 'python', 1), (e: unknown) => e instanceof UserError && e.line === 2);
  });
  it('the cursor decides: a script line reads that line, not a def higher up', () => {
    const src = 'import numpy as np\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n\nimport torch\nw = torch.tensor(0.5, requires_grad=True)\nloss = (torch.sigmoid(3 * w) - 1) ** 2\n';
    const d = fn(src, 'python', 7);
    assert.strictEqual(d.name, 'loss');
    assert.deepStrictEqual(d.params, ['w']);
  });
  it('the cursor decides: on code outside every definition it is told the nearest one, never given another', () => {
    const src = 'import numpy as np\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n\nxs = [1.0, 2.0]\nprint(sigmoid(0.5))\n';
    assert.throws(() => findDefinition(src, 'python', 7), (e: unknown) => e instanceof UserError && e.line === 7 && /line 7 is not inside a function or network definition; the nearest is 'sigmoid' at lines 3–4/.test(e.message));
    // the course lab's print of its own cost over its data is that cost's use, not a formula of b_tmp unrolled over the samples
    const lab = 'import numpy as np\nX_train = np.array([[0.5, 1.5], [1, 1], [3, 0.5]])\ny_train = np.array([0, 0, 1])\n\ndef cost(X, y, w, b):\n    return np.mean((X @ w + b - y) ** 2)\n\nw_tmp = np.array([1, 1])\nb_tmp = -3\nprint(cost(X_train, y_train, w_tmp, b_tmp))\n';
    assert.throws(() => findDefinition(lab, 'python', 10), (e: unknown) => e instanceof UserError && e.line === 10 && /the nearest is 'cost' at lines 5–6/.test(e.message));
    // above a definition, past blank lines, comments and imports, the definition below is the one meant
    assert.strictEqual(fn(src, 'python', 1).name, 'sigmoid');
    assert.strictEqual(fn(src, 'python', 2).name, 'sigmoid');
  });
  it('a comment is never the nearest definition, and prose in a comment (#, //, /* */, docstring) is no broken definition', () => {
    const message = (src: string, language: string, line: number): string => {
      try {
        findDefinition(src, language, line);
      } catch (e) {
        assert.ok(e instanceof UserError, String(e));
        return e.message;
      }
      throw new Error(`line ${line} read as a definition`);
    };
    // examples/rosenbrock.js: its second line says 'The classic start is (x, y) = (−1.2, 1)'
    const rosenbrock = fs.readFileSync(path.join(ROOT, 'examples', 'rosenbrock.js'), 'utf8');
    for (const line of [1, 2, 5]) assert.match(message(rosenbrock, 'javascript', line), new RegExp(`^line ${line} is not inside a function or network definition; the nearest is 'rosenbrock' at line 8`));
    assert.match(message('# start at (x, y) = (1, 2)\nlr = 0.1\n\ndef f(x, y):\n    return x**2 + y**2\n', 'python', 1), /the nearest is 'f' at lines 4–5/);
    assert.match(message('/*\n * the start: (x, y) = (1, 2)\n */\nconst k = 2;\nconst f = (x) => x * x;\n', 'javascript', 2), /the nearest is 'f' at line 5/);
    // a docstring's prose inside a def: the def
    assert.strictEqual(fn('def f(w):\n    """Starts at (w, b) = (1, 2)."""\n    return (w - 3)**2\n', 'python', 2).name, 'f');
    // a formula in a comment is read with the cursor on it, but never offered from elsewhere
    const src = '// g(x) = x^2\nconst a = 1;\n\nconsole.log(a);\n';
    assert.strictEqual(fn(src, 'javascript', 1).name, 'g');
    assert.match(message(src, 'javascript', 4), /^no function or network definition found at line 4/);
    assert.match(message('# h(w) = (w - 1)^2\nprint(1)\n\ndef f(w):\n    return w**2\n\nprint(2)\n', 'python', 2), /the nearest is 'f' at lines 4–5/);
  });
  it('one CodeLens per definition: a script on its .backward() (else its last value), a model once, a docstring formula none', () => {
    const lenses = (src: string, language: string): string[] => lensesOf(allCandidates(src, language), (c) => {
      try {
        return c.build();
      } catch {
        return undefined;
      }
    }).map((l) => `${l.def.name} on ${l.line}, reads ${l.target}`);
    // examples/micrograd_script.py had a CodeLens on each of its 7 assignments
    const micrograd = fs.readFileSync(path.join(ROOT, 'examples', 'micrograd_script.py'), 'utf8');
    assert.deepStrictEqual(lenses(micrograd, 'python'), ['L on 12, reads 11']);
    assert.strictEqual(fn(micrograd, 'python', 11).name, 'L');
    // without .backward(): on the last value; each .backward() its own
    const script = 'from micrograd.engine import Value\na = Value(2.0)\nb = a * a\nc = b + a\n';
    assert.deepStrictEqual(lenses(script, 'python'), ['c on 4, reads 4']);
    assert.deepStrictEqual(lenses(`${script}c.backward()\nd = c * 3\nd.backward()\n`, 'python'), ['c on 5, reads 4', 'd on 7, reads 6']);
    // examples/xor_module.py had two: on the class and on `net = XorNet()`
    const xor = fs.readFileSync(path.join(ROOT, 'examples', 'xor_module.py'), 'utf8');
    assert.deepStrictEqual(lenses(xor, 'python'), ['net on 8, reads 8']);
    assert.deepStrictEqual(lenses('def f(w):\n    """f(w) = (w - 3)^2"""\n    return (w - 3)**2\n', 'python'), ['f on 1, reads 1']);
  });
  it('messages name what the user wrote: a tuple assignment is an assignment; an arrow in reduce is a function', () => {
    assert.deepStrictEqual(fn('def f(p):\n    x, y = p[0], p[1]\n    return x**2 + y**2\n\nf([1.0, 2.0])\n', 'python', 1).params, ['p[0]', 'p[1]']);
    const e = ((): UserError => { try { findDefinition('const xs = [1, 2];\nconst f = (w) => xs.reduce((s, x) => s + (w * x) % 2, 0);\n', 'javascript', 2); } catch (err) { return err as UserError; } throw new Error('expected an error'); })();
    assert.match(e.message, /'%' of a parameter is not differentiable/);
    assert.doesNotMatch(e.message, /comparison/);
  });
  it('a training function is not taken for a cost, and data used without a binding call says how to bind it', () => {
    assert.throws(() => findDefinition('def train(model, X, y, epochs=100):\n    for epoch in range(epochs):\n        loss = criterion(model(X), y)\n        loss.backward()\n', 'python', 1), /'train' trains a model \(it calls \.backward\(\)\): put the cursor on the model's definition/);
    // a matrix of samples with no data: its width is unknown, so the partials are written for 2 features, and said
    const nodata = fn('import numpy as np\ndef cost(theta, X, y):\n    m = len(y)\n    return np.sum((X @ theta - y) ** 2) / (2 * m)\n', 'python', 2);
    assert.deepStrictEqual(nodata.params, ['theta[0]', 'theta[1]']);
    assert.deepStrictEqual(nodata.symbolicSum?.features, { arg: 'X', shown: 2 });
    const u = analyzeUnbound(nodata);
    assert.strictEqual(readable(u.gradient['theta[1]'], nodata.params), '(1/m) Σᵢ₌₁^m [(X₀⁽ⁱ⁾ · theta[0] + X₁⁽ⁱ⁾ · theta[1] − y⁽ⁱ⁾) · X₁⁽ⁱ⁾]');
    assert.match(u.message, /^no data for X, y in the file: these are the partials over m samples, written for 2 features of X \(without data its width is unknown; the partial by each further weight has the same form\)\. To see numbers, call cost\(X_train, y_train, …\)/);
    assert.throws(() => findDefinition('def f(w, n):\n    s = 0\n    for i in range(n):\n        s += w\n    return s\n', 'python', 1), /range\(n\) needs a count known from the file, not a parameter/);
  });
  it('Python names mean what Python says: a bare E is unknown, np.e is Euler\'s number, torch.nn.functional.relu is relu', () => {
    assert.throws(() => findDefinition('def f(x):\n    return E * x\n', 'python', 1), /unknown name 'E'/);
    const d = fn('import torch\ndef f(x):\n    return np.e * torch.nn.functional.relu(x)\n', 'python', 2);
    assert.strictEqual(d.params.length, 1);
    assert.throws(() => findDefinition('const f = (x) => np.exp(x);\n', 'javascript', 1), /not available in JavaScript|unknown name 'np'/);
  });
  it('a notebook code cell sees the data of earlier cells and the call of a later one', () => {
    const nb = JSON.stringify({ cells: [
      { cell_type: 'code', source: 'import numpy as np\nxs = np.array([1.0, 2.0, 3.0])\n' },
      { cell_type: 'markdown', source: '$$J(w) = w^2$$' },
      { cell_type: 'code', source: 'def J(w, x):\n    return np.mean((w * x - 2) ** 2)\n' },
      { cell_type: 'code', source: 'J(0.5, xs)\n' },
    ], metadata: { language_info: { name: 'python' } } });
    const cells = readNotebook(nb);
    const doc = cellDocument(cells, 2);
    const d = fn(doc.text, doc.language, doc.firstLine);
    assert.deepStrictEqual(d.params, ['w']);
    assert.strictEqual(d.defaults.w, 0.5);
    assert.deepStrictEqual(doc.locate(d.startLine), { cell: 3, line: 1 });
    const md = cellDocument(cells, 1);
    assert.strictEqual(md.language, 'markdown');
    assert.deepStrictEqual(fn(md.text, md.language, 1).params, ['w']);
  });
});

describe('costs over data: the sum over samples stays a sum', () => {
  it('compute_cost: ∂J/∂w is written once per sample under a Σ, and its value is the sum', () => {
    const src = 'import numpy as np\nx_train = np.array([1.0, 2.0, 3.0, 4.0])\ny_train = np.array([3.1, 4.9, 7.2, 8.8])\n\ndef compute_cost(x, y, w, b):\n    m = x.shape[0]\n    cost_sum = 0\n    for i in range(m):\n        f_wb = w * x[i] + b\n        cost = (f_wb - y[i]) ** 2\n        cost_sum = cost_sum + cost\n    return (1 / (2 * m)) * cost_sum\n\ncompute_cost(x_train, y_train, 1.5, 0.5)\n';
    const d = fn(src, 'python', 5);
    assert.ok(d.sumForm, 'a sum over the samples');
    assert.deepStrictEqual([d.sumForm.factor, d.sumForm.count], [1 / 8, 4]);
    assert.deepStrictEqual(d.sumForm.data, { x_i: Float64Array.of(1, 2, 3, 4), y_i: Float64Array.of(3.1, 4.9, 7.2, 8.8) });
    const a = analyzeFunction(d, { maxSteps: 0 });
    assert.strictEqual(a.gradient.w, '(1/m) Σᵢ₌₁^m [(w * x_i + b - y_i) * x_i]');
    assert.strictEqual(a.gradient.b, '(1/m) Σᵢ₌₁^m [w * x_i + b - y_i]');
    // (1/4) Σ (1.5x + 0.5 − y)·x by hand
    const xs = [1, 2, 3, 4];
    const ys = [3.1, 4.9, 7.2, 8.8];
    const dw = xs.reduce((s, x, i) => s + (1.5 * x + 0.5 - ys[i]) * x, 0) / 4;
    assert.ok(Math.abs((a.gradientAt.w as number) - dw) < 1e-12);
    assert.deepStrictEqual(Array.from(d.fit?.x ?? []), xs);
  });
  it('logistic regression on two features, as a loop or vectorised: the classifier beside the cost is σ(w·x + b), its boundary at ½, the labels the 0/1 array', () => {
    const X = [[0.5, 1.5], [1, 1], [1.5, 0.5], [3, 0.5], [2, 2], [1, 2.5]];
    const Y = [0, 0, 0, 1, 1, 1];
    const head = `import numpy as np\nX = np.array(${JSON.stringify(X)})\ny = np.array(${JSON.stringify(Y)})\n\n`;
    const loop = head + 'def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n\ndef cost(w, b):\n    total = 0.0\n    for i in range(X.shape[0]):\n        f = sigmoid(np.dot(X[i], w) + b)\n        total += -y[i] * np.log(f) - (1 - y[i]) * np.log(1 - f)\n    return total / X.shape[0]\n\ncost(np.zeros(2), 0.0)\n';
    const vec = head + 'def cost(w, b):\n    z = X @ w + b\n    p = 1 / (1 + np.exp(-z))\n    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))\n\ncost(np.zeros(2), 0.0)\n';
    for (const [src, line, factor] of [[loop, 8, 1 / 6], [vec, 5, -1 / 6]] as const) {
      const d = fn(src, 'python', line);
      // −np.mean(a + b): one Σ of a sample's two terms, times −1/6 (not twelve terms that match nothing)
      assert.ok(d.sumForm && Math.abs(d.sumForm.factor - factor) < 1e-15 && d.sumForm.count === 6, `${d.sumForm?.factor} × Σ of ${d.sumForm?.count}`);
      assert.ok(d.boundary, 'a decision boundary');
      assert.strictEqual(d.fit, undefined, 'not a curve of y against one input');
      assert.strictEqual(d.boundary.threshold, 0.5);
      assert.deepStrictEqual(Array.from(d.boundary.y), Y);
      assert.deepStrictEqual(Array.from(d.boundary.x1, (a, i) => [a, d.boundary?.x2[i]]), X);
      // the model is σ(w₀x₁ + w₁x₂ + b): compare with the formula at a point
      const t = new Tape(d.boundary.model, [...d.params, ...d.boundary.inputs]);
      const [w0, w1, b, a, c] = [0.7, -1.3, 0.4, 2, 0.5];
      assert.ok(Math.abs(t.evaluate([w0, w1, b, a, c]) - 1 / (1 + Math.exp(-(w0 * a + w1 * c + b)))) < 1e-12);
    }
    // a regression on two inputs (targets not 0/1) has no decision boundary
    const reg = fn(head.replace(JSON.stringify(Y), '[0.5, 1.2, 0.3, 2, 1, 1]') + 'def cost(w, b):\n    return np.mean((X @ w + b - y) ** 2)\n\ncost(np.zeros(2), 0.0)\n', 'python', 5);
    assert.ok(reg.sumForm, 'still a cost over data');
    assert.strictEqual(reg.boundary, undefined);
  });
  it('the tape of a cost over data is the parameters and one Σ node over the sample\'s term: the same value and gradient as the unrolled sum, and an undefined term names its sample', () => {
    const src = 'import numpy as np\nx = np.array([2.0, 1.0, 0.0, 3.0])\ny = np.array([1.0, 0.5, 0.2, 2.0])\n\ndef cost(w, b):\n    return np.mean((np.log(w * x + b) - y) ** 2)\n';
    const d = fn(src, 'python', 5);
    assert.ok(d.sumForm);
    const t = tapeOf(d);
    assert.strictEqual(t.size, 3, 'w, b and Σ');
    const unrolled = new Tape(d.body, d.params);
    for (const p of [[0.7, 0.4], [1.3, 2]]) {
      const a = t.valueAndGradient(p);
      const u = unrolled.valueAndGradient(p);
      assert.ok(Math.abs(a.value - u.value) < 1e-12 * (1 + Math.abs(u.value)), `${a.value} vs ${u.value}`);
      a.gradient.forEach((g, k) => assert.ok(Math.abs(g - u.gradient[k]) < 1e-12 * (1 + Math.abs(u.gradient[k])), `∂/∂${d.params[k]} ${g} vs ${u.gradient[k]}`));
    }
    // at b = 0 the third sample (x = 0) takes log 0
    const a = analyzeFunction(d, { start: { w: 1, b: 0 }, maxSteps: 0, graph: false });
    assert.match(a.undefinedAt?.message ?? '', /cost is undefined at w = 1, b = 0 \(sample 3: log of 0\)/);
  });
  it('the course lab\'s regularised logistic cost: `cost = 0.` is a float, w (dotted with X[i], indexed w[j] over the features) is the weight vector, lambda_ is a hyperparameter held at the call\'s value', () => {
    const src = fs.readFileSync(path.join(ROOT, 'test', 'unit', 'fixtures', 'logistic_reg_lab.py'), 'utf8');
    const d = fn(src, 'python', 13);
    assert.deepStrictEqual(d.params, ['w[0]', 'w[1]', 'b']);
    assert.deepStrictEqual([d.defaults['w[0]'], d.defaults['w[1]'], d.defaults.b], [0.5, -0.5, 0.5]);
    // the lab's cost by hand at the call's values (λ = 0.7): the mean log loss + λ/(2m)·Σ w²
    const X = [[0.5, 1.5], [1, 1], [1.5, 0.5], [3, 0.5], [2, 2], [1, 2.5]];
    const Y = [0, 0, 0, 1, 1, 1];
    const cost = (w0: number, w1: number, b: number): number => X.reduce((s, [a, c], i) => {
      const f = 1 / (1 + Math.exp(-(w0 * a + w1 * c + b)));
      return s - Y[i] * Math.log(f) - (1 - Y[i]) * Math.log(1 - f);
    }, 0) / 6 + (0.7 / 12) * (w0 * w0 + w1 * w1);
    const a = analyzeFunction(d, { maxSteps: 0, graph: false });
    assert.ok(Math.abs((a.value as number) - cost(0.5, -0.5, 0.5)) < 1e-12, `${a.value}`);
    const h = 1e-6;
    const dw0 = (cost(0.5 + h, -0.5, 0.5) - cost(0.5 - h, -0.5, 0.5)) / (2 * h);
    assert.ok(Math.abs((a.gradientAt['w[0]'] as number) - dw0) < 1e-7, `${a.gradientAt['w[0]']} vs ${dw0}`);
    // one Σ of the samples' log loss plus the regularisation, which holds no data
    assert.ok(d.sumForm?.extra, 'a Σ and a part without data');
    assert.deepStrictEqual([d.sumForm.count, d.sumForm.factor], [6, 1 / 6]);
    // λ/(2m) = 0.7/12 over m as the lab writes it, with no "0 +" from the loop's reg_cost = 0
    assert.match(a.expression, /^\(1\/m\) Σᵢ₌₁\^m \[.*\] \+ \(0\.35\/m\) · \(w\[0\] \^ 2 \+ w\[1\] \^ 2\)$/);
    // the Σ tape, the compiled loop and a batch of every sample all give the unrolled tape's value and gradient
    const unrolled = new Tape(d.body, d.params).valueAndGradient([0.3, 0.8, -0.2]);
    const sigma = tapeOf(d).valueAndGradient([0.3, 0.8, -0.2]);
    const g = new Float64Array(3);
    const compiled = gradientFunction(tapeOf(d))([0.3, 0.8, -0.2], g);
    const gb = new Float64Array(3);
    const batch = (batchGradientFunction(tapeOf(d)) as NonNullable<ReturnType<typeof batchGradientFunction>>)([0.3, 0.8, -0.2], gb, [0, 1, 2, 3, 4, 5]);
    for (const [what, v, grad] of [['Σ tape', sigma.value, sigma.gradient], ['compiled', compiled, g], ['batch', batch, gb]] as const) {
      assert.ok(Math.abs(v - unrolled.value) < 1e-12, `${what} value ${v} vs ${unrolled.value}`);
      grad.forEach((x, k) => assert.ok(Math.abs(x - unrolled.gradient[k]) < 1e-12, `${what} ∂/∂${d.params[k]} ${x} vs ${unrolled.gradient[k]}`));
    }
  });
  it('the course lab\'s four-feature cost is one Σ over X0_i … X3_i; its compute_gradient, which returns (dj_db, dj_dw), is told apart from a cost', () => {
    const src = fs.readFileSync(path.join(ROOT, 'test', 'unit', 'fixtures', 'multiple_features_lab.py'), 'utf8');
    const d = fn(src, 'python', 15);
    assert.deepStrictEqual(d.params, ['w[0]', 'w[1]', 'w[2]', 'w[3]', 'b']);
    assert.deepStrictEqual(Object.keys(d.sumForm?.data ?? {}), ['X0_i', 'X1_i', 'X2_i', 'X3_i', 'y_i']);
    assert.deepStrictEqual(d.sumForm?.data.X0_i, Float64Array.of(2104, 1416, 852));
    // the lab prints the cost at its w_init, b_init: 1.5578904428966628e-12
    const a = analyzeFunction(d, { maxSteps: 0, graph: false });
    assert.ok(Math.abs((a.value as number) - 1.5578904428966628e-12) < 1e-15, `${a.value}`);
    assert.strictEqual(a.gradient['w[2]'], '(1/m) Σᵢ₌₁^m [(X0_i * w_0 + X1_i * w_1 + X2_i * w_2 + X3_i * w_3 + b - y_i) * X2_i]');
    assert.throws(() => fn(src, 'python', 25), (e: UserError) => e.line === 35 && /'compute_gradient' returns 2 values \(dj_db, dj_dw\), not one number/.test(e.message));
  });
  it('20,000 samples: read, analysed and descended without overflowing the stack; the loop over the data matches the formula', () => {
    const m = 20_000;
    const xs = Array.from({ length: m }, (_, i) => (i % 97) / 10);
    const ys = xs.map((x, i) => 2 * x - 1 + ((i % 7) - 3) / 10);
    const src = `import numpy as np\nx = np.array([${xs.join(', ')}])\ny = np.array([${ys.join(', ')}])\n\ndef cost(w, b):\n    return np.mean((w * x + b - y) ** 2) / 2\n`;
    const d = fn(src, 'python', 5);
    assert.strictEqual(d.sumForm?.count, m);
    const a = analyzeFunction(d, { start: { w: 0.5, b: 0.2 }, learningRate: 0.01, maxSteps: 50, graph: false });
    const dw = xs.reduce((s, x, i) => s + (0.5 * x + 0.2 - ys[i]) * x, 0) / m;
    assert.ok(Math.abs((a.gradientAt.w as number) - dw) < 1e-9 * (1 + Math.abs(dw)), `${a.gradientAt.w} vs ${dw}`);
    assert.ok(Math.abs((a.backpropGradientAt.w as number) - dw) < 1e-9 * (1 + Math.abs(dw)));
    assert.strictEqual(a.descent.steps.length, 51);
    // what the panel and the command line show is the Σ, before mathjs is loaded too — not 20,000 terms
    const early = analyzeFunction(d, { maxSteps: 0, symbolic: false, graph: false });
    assert.strictEqual(early.expression, '(1/2m) Σᵢ₌₁^m [(w * x_i + b - y_i) ^ 2]');
    assert.strictEqual(early.expressionText, early.expression);
  });
  it('mini-batch gradients: their sample-weighted mean over one pass is the full gradient; stochastic descent is seeded and ends near the full-batch minimum', () => {
    const xs = [0.5, 1, 1.5, 2, 2.5, 3];
    const ys = [1.1, 2.1, 2.9, 4.2, 5.0, 5.9];
    const d = fn(`xs = [${xs.join(', ')}]\nys = [${ys.join(', ')}]\ndef J(w, b):\n    return sum((w * x + b - y) ** 2 for x, y in zip(xs, ys)) / ${xs.length}\n`, 'python', 3);
    const tape = tapeOf(d);
    const batch = batchGradientFunction(tape);
    assert.ok(batch);
    const full = new Float64Array(2);
    gradientFunction(tape)([0.3, -0.2], full);
    const acc = [0, 0];
    for (const part of [[0, 1], [2, 3], [4, 5]]) {
      const g = new Float64Array(2);
      batch([0.3, -0.2], g, part);
      acc[0] += g[0] / 3;
      acc[1] += g[1] / 3;
    }
    assert.ok(Math.abs(acc[0] - full[0]) < 1e-12 && Math.abs(acc[1] - full[1]) < 1e-12, `${acc} vs ${Array.from(full)}`);
    const run = (batchSize: number): number[][] => analyzeFunction(d, { start: { w: 0, b: 0 }, learningRate: 0.05, maxSteps: 400, batchSize, graph: false }).trace.steps.map((st) => st.point);
    const sgd = run(2);
    assert.deepStrictEqual(sgd, run(2), 'seeded');
    const gd = run(0);
    assert.notDeepStrictEqual(sgd.slice(0, 5), gd.slice(0, 5), 'a different, noisier path');
    const end = (p: number[][]): number[] => p[p.length - 1];
    assert.ok(Math.abs(end(sgd)[0] - end(gd)[0]) < 0.2 && Math.abs(end(sgd)[1] - end(gd)[1]) < 0.3, `${end(sgd)} vs ${end(gd)}`);
  });
  it('one-sample descent: the Backprop graph at each step is the term of the sample that step used, its ∂/∂w that sample\'s; a chosen sample stays', () => {
    const xs = [1.0, 1.7, 2.0, 2.5, 3.0, 3.2];
    const ys = [250, 300, 480, 430, 630, 730];
    const src = `x = [${xs.join(', ')}]\ny = [${ys.join(', ')}]\ndef cost(w, b):\n    total = 0\n    for i in range(len(x)):\n        total += (w * x[i] + b - y[i]) ** 2\n    return total / (2 * len(x))\n`;
    const d = fn(src, 'python', 3);
    const v = functionView(d, 'c.py', { learningRate: 0.05, maxSteps: 12, optimizer: 'sgd', start: { w: 100, b: 50 }, batchSize: 1 });
    assert.ok(v.graphSampleAt, 'the graph follows the samples');
    const w = (v.graph.nodes.find((n) => n.op === 'input' && n.label === 'w') as { id: number }).id;
    const seen = new Set<number>();
    v.graphTrace.steps.forEach((t, k) => {
      const step = v.steps[t];
      if (!step.batch) return;
      const i = step.batch[0];
      seen.add(i);
      assert.strictEqual((v.graphSampleAt as number[])[t], i);
      const [pw, pb] = step.point as number[];
      // the term (w·xᵢ + b − yᵢ)², by hand: ∂/∂w = 2(w·xᵢ + b − yᵢ)·xᵢ
      const byHand = 2 * (pw * xs[i] + pb - ys[i]) * xs[i];
      assert.ok(Math.abs((v.graphTrace.grads[k][w] as number) - byHand) < 1e-9 * Math.abs(byHand), `step ${t}, sample ${i + 1}: ${v.graphTrace.grads[k][w]} vs ${byHand}`);
    });
    assert.ok(seen.size > 1, `the steps used several samples: ${[...seen]}`);
    const chosen = functionView(d, 'c.py', { learningRate: 0.05, maxSteps: 12, optimizer: 'sgd', start: { w: 100, b: 50 }, batchSize: 1, sample: 4 });
    assert.strictEqual(chosen.graphSampleAt, null);
    assert.strictEqual(chosen.graphSample, 4);
    assert.match(chosen.graphNote ?? '', /this is sample 5's/);
  });
  it('a cost passed to the lab\'s own gradient_descent(…, compute_cost, …) is bound where that function calls it: the data, the start, η and the iterations of the lab, whose result the descent reproduces; by keyword too', () => {
    const sizes = [1.0, 2.0, 3.0];
    const prices = [300.0, 500.0, 680.0];
    const src = `import math, copy
import numpy as np
sizes = np.array([${sizes.join(', ')}])
prices = np.array([${prices.join(', ')}])

def compute_cost(x, y, w, b):
    m = x.shape[0]
    cost = 0
    for i in range(m):
        f_wb = w * x[i] + b
        cost = cost + (f_wb - y[i]) ** 2
    return 1 / (2 * m) * cost

def compute_gradient(x, y, w, b):
    m = x.shape[0]
    dj_dw = 0
    dj_db = 0
    for i in range(m):
        f_wb = w * x[i] + b
        dj_dw += (f_wb - y[i]) * x[i]
        dj_db += f_wb - y[i]
    return dj_dw / m, dj_db / m

def gradient_descent(x, y, w_in, b_in, alpha, num_iters, cost_function, gradient_function):
    J_history = []
    w = copy.deepcopy(w_in)
    b = b_in
    for i in range(num_iters):
        dj_dw, dj_db = gradient_function(x, y, w, b)
        b = b - alpha * dj_db
        w = w - alpha * dj_dw
        J_history.append(cost_function(x, y, w, b))
    return w, b, J_history

w_init = 0
b_init = 0
iterations = 1500
tmp_alpha = 1.0e-2
w_final, b_final, J_hist = gradient_descent(sizes, prices, w_init, b_init, tmp_alpha, iterations, compute_cost, compute_gradient)
`;
    const a = analyzeDocument(src, 'python', 6);
    assert.strictEqual(a.kind, 'function');
    if (a.kind !== 'function' || !a.descent) return;
    assert.deepStrictEqual(a.data?.bindings.map((b) => [b.arg, b.source, b.why]), [['x', 'sizes', 'call'], ['y', 'prices', 'call']]);
    assert.deepStrictEqual(a.descent.steps[0].point, { w: 0, b: 0 });
    assert.strictEqual(a.descent.learningRate, 0.01);
    // the lab's own loop, by hand: its final (w, b) after 1500 iterations
    let [w, b] = [0, 0];
    for (let k = 0; k < 1500; k++) {
      let gw = 0;
      let gb = 0;
      sizes.forEach((x, i) => { gw += (w * x + b - prices[i]) * x; gb += w * x + b - prices[i]; });
      [w, b] = [w - 0.01 * (gw / sizes.length), b - 0.01 * (gb / sizes.length)];
    }
    const last = a.descent.steps[a.descent.steps.length - 1].point as Record<string, number>;
    assert.strictEqual(a.descent.steps.length, 1501);
    assert.ok(Math.abs(last.w - w) < 1e-9 * Math.abs(w) && Math.abs(last.b - b) < 1e-9 * Math.abs(b), `(${last.w}, ${last.b}) vs the lab's (${w}, ${b})`);
    // the parameter named as the function passed to it (def gradient_descent(…, compute_cost, …)): the same reading
    const same = analyzeDocument(src.replace(/cost_function/g, 'compute_cost'), 'python', 6);
    assert.ok(same.kind === 'function' && same.descent);
    if (same.kind !== 'function' || !same.descent) return;
    assert.deepStrictEqual([same.data?.bindings.map((b) => b.why), same.descent.steps[0].point, same.descent.learningRate], [['call', 'call'], { w: 0, b: 0 }, 0.01]);
    // passed by keyword, with the rate and epochs the training call gives, over a module-level alpha
    const kw = `import numpy as np
alpha = 0.3
X_feat = np.array([[2.1, 5.0], [1.4, 3.0], [0.9, 2.0]])
targets = np.array([460.0, 232.0, 178.0])

def cost_fn(X, y, w, b):
    err = X @ w + b - y
    return np.sum(err ** 2) / (2 * X.shape[0])

def run_gd(X, y, w0, b0, cost=None, lr=1e-3, epochs=100):
    w, b = w0.copy(), b0
    history = []
    for _ in range(epochs):
        history.append(cost(X, y, w, b))
    return w, b

w, b = run_gd(X_feat, targets, np.zeros(2), 0.0, cost=cost_fn, lr=5e-3, epochs=200)
`;
    const k = analyzeDocument(kw, 'python', 6);
    assert.ok(k.kind === 'function' && k.descent);
    if (k.kind !== 'function' || !k.descent) return;
    assert.deepStrictEqual(k.data?.bindings.map((b) => [b.arg, b.source, b.why]), [['X', 'X_feat', 'call'], ['y', 'targets', 'call']]);
    assert.deepStrictEqual([k.descent.learningRate, k.descent.steps.length], [0.005, 201]);
    assert.deepStrictEqual(k.descent.steps[0].point, { 'w[0]': 0, 'w[1]': 0, b: 0 });
  });
  it('the learning rate as labs name it: alpha, lr, or a rate word with another (tmp_alpha, base_lr, initialLearningRate), not the rate of something else (lr_decay, alpha_l2)', () => {
    assert.strictEqual(descentHints('tmp_alpha = 1.0e-2\n').learningRate, 0.01);
    assert.strictEqual(descentHints('base_lr = 0.003\n').learningRate, 0.003);
    assert.strictEqual(descentHints('const initialLearningRate = 0.2;\n').learningRate, 0.2);
    assert.strictEqual(descentHints('lr_decay = 0.9\nalpha_l2 = 0.01\nmin_lr = 1e-5\n').learningRate, undefined);
    // the rate's own name wins over one with a word around it, wherever it is
    assert.strictEqual(descentHints('tmp_alpha = 0.5\nalpha = 0.01\n').learningRate, 0.01);
  });
  it('terms that are not the same expression of their sample are not forced into a Σ', () => {
    const d = fn('xs = [1.0, 2.0]\ndef f(w):\n    return (w * xs[0]) ** 2 + (w - xs[1]) ** 2\n', 'python', 2);
    assert.strictEqual(d.sumForm, undefined);
  });
});

describe('property: random costs over random data', () => {
  // per-sample terms over the parameters w, b and the sample (x, y), in Python and in math notation
  const TERMS: Array<[string, string]> = [
    ['(w * X + b - Y) ** 2', '(w * X + b - Y)^2'],
    ['np.log(1 + np.exp(-Y * (w * X + b)))', 'log(1 + exp(-Y * (w * X + b)))'],
    ['(np.tanh(w * X) + b - Y) ** 2', '(tanh(w * X) + b - Y)^2'],
    ['np.abs(w * X - Y) + b ** 2', 'abs(w * X - Y) + b^2'],
    ['(1 / (1 + np.exp(-(w * X + b))) - Y) ** 2', '(sigmoid(w * X + b) - Y)^2'],
    ['w * w * X * X + np.sin(b * Y)', 'w * w * X * X + sin(b * Y)'],
  ];
  it('a loop over the data equals the same cost written out sample by sample; symbolic, backprop and central differences agree', () => {
    fc.assert(fc.property(
      fc.integer({ min: 2, max: 9 }), fc.integer({ min: 0, max: TERMS.length - 1 }), fc.integer({ min: 0, max: 10_000 }), fc.constantFrom('loop', 'mean', 'comprehension'),
      (m, k, seed, style) => {
        const r = (j: number): number => Math.round(Math.sin(seed * 7.1 + j * 3.7) * 200) / 100;
        const xs = Array.from({ length: m }, (_, i) => r(i));
        const ys = Array.from({ length: m }, (_, i) => r(100 + i));
        const [py, math] = TERMS[k];
        const header = `import numpy as np\nxs = np.array([${xs.join(', ')}])\nys = np.array([${ys.join(', ')}])\n`;
        const body = style === 'loop'
          ? `def J(w, b):\n    s = 0.0\n    for i in range(len(xs)):\n        s += ${py.replace(/X/g, 'xs[i]').replace(/Y/g, 'ys[i]')}\n    return s / len(xs)\n`
          : style === 'mean'
            ? `def J(w, b):\n    return np.mean(${py.replace(/X/g, 'xs').replace(/Y/g, 'ys')})\n`
            : `def J(w, b):\n    return sum(${py.replace(/X/g, 'x').replace(/Y/g, 'y')} for x, y in zip(xs, ys)) / ${m}\n`;
        const loop = fn(header + body, 'python', 4);
        const written = fn(`J(w, b) = (${xs.map((x, i) => `(${math.replace(/X/g, `(${x})`).replace(/Y/g, `(${ys[i]})`)})`).join(' + ')}) / ${m}`, 'plaintext', 1);
        const at = { w: 0.3 + r(7) / 4, b: -0.2 + r(8) / 4 };
        const a = analyzeFunction(loop, { start: at, maxSteps: 0 });
        // the compiled loop over the samples equals the unrolled tape, value and gradient
        if (loop.sumForm) {
          const g1 = new Float64Array(2);
          const g2 = new Float64Array(2);
          const v1 = gradientFunction(tapeOf(loop))([at.w, at.b], g1);
          const v2 = new Tape(loop.body, loop.params).valueAndGradient([at.w, at.b], g2).value;
          assert.ok(Math.abs(v1 - v2) <= 1e-12 * (1 + Math.abs(v2)) || (Number.isNaN(v1) && Number.isNaN(v2)), `loop ${v1} vs unrolled ${v2}`);
          for (let q = 0; q < 2; q++) assert.ok(Math.abs(g1[q] - g2[q]) <= 1e-10 * (1 + Math.abs(g2[q])) || !Number.isFinite(g2[q]), `∂ ${g1[q]} vs ${g2[q]}`);
        }
        const b = analyzeFunction(written, { start: at, maxSteps: 0 });
        const near = (p: number, q: number, tol = 1e-8): boolean => Math.abs(p - q) <= tol * (1 + Math.abs(q));
        assert.ok(near(a.value as number, b.value as number, 1e-12), `value ${a.value} vs written out ${b.value}`);
        for (const p of ['w', 'b']) {
          const sym = a.gradientAt[p] as number;
          const bp = a.backpropGradientAt[p] as number;
          const numeric = a.numericGradientAt[p] as number;
          if (!Number.isFinite(bp)) continue;
          // |x| has a kink: central differences may straddle it
          if (k === 3 && a.checks.some((c) => c.disagree)) continue;
          assert.ok(near(bp, b.backpropGradientAt[p] as number, 1e-10), `∂/∂${p}: backprop ${bp} vs written out ${b.backpropGradientAt[p]}`);
          assert.ok(near(sym, bp, 1e-8), `∂/∂${p}: symbolic ${sym} vs backprop ${bp} (${a.gradient[p]})`);
          assert.ok(near(numeric, bp, 1e-5), `∂/∂${p}: central differences ${numeric} vs backprop ${bp}`);
        }
      },
    ), { numRuns: Number(process.env.PROP_RUNS ?? 60), seed: Number(process.env.PROP_SEED ?? 11) });
  });
});

describe('property: single-character edits of every example file', () => {
  const dir = path.join(ROOT, 'examples');
  const files = fs.readdirSync(dir).filter((f) => /\.(py|js|ts|md|txt)$/.test(f));
  for (const name of files) {
    it(`${name}: never throws, keeps untouched definitions, locates every message inside the file`, () => {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      const language = languageFromPath(name);
      const before = allCandidates(text, language).map((c) => {
        let b: string;
        let byCall = false;
        try {
          const d = c.build();
          b = `${d.kind}:${d.name}`;
          // its arguments receive the data of a call further down the file
          byCall = d.kind === 'function' && (d.data?.length ?? 0) > 0;
        } catch {
          b = 'error';
        }
        return { startLine: c.startLine, endLine: c.endLine, what: b, byCall };
      });
      const alphabet = fc.constantFrom(...'()[]{}:;,.=+-*/"\'#\n xw0'.split(''));
      fc.assert(
        fc.property(fc.nat(text.length), fc.boolean(), alphabet, (pos, insert, ch) => {
          const edited = insert ? text.slice(0, pos) + ch + text.slice(pos) : text.slice(0, pos) + text.slice(pos + 1);
          // an edit that opens or closes a block comment changes what is a comment, as in the language itself
          fc.pre(!/\.(js|ts)$/.test(name) || !(insert ? '*/'.includes(ch) : '*/'.includes(text[pos])));
          // so does an edit of a Markdown fence's line (or joining a line to it): an unclosed fence runs to the end, as in CommonMark
          const touched = text.slice(text.lastIndexOf('\n', pos - 1) + 1, text.indexOf('\n', pos + 1) === -1 ? text.length : text.indexOf('\n', pos + 1));
          fc.pre(!/\.md$/.test(name) || !touched.includes('```'));
          const editLine = text.slice(0, pos).split('\n').length;
          const lines = edited.split('\n').length;
          const after = allCandidates(edited, language);
          const shift = (insert ? (ch === '\n' ? 1 : 0) : text[pos] === '\n' ? -1 : 0);
          for (const c of after) {
            let d;
            try {
              d = c.build();
            } catch (e) {
              assert.ok(e instanceof UserError, `only located messages, got ${String(e)}`);
              assert.ok(e.line >= 1 && e.line <= lines && e.column >= 1, `message at ${e.line}:${e.column} outside the file`);
              continue;
            }
            assert.ok(d.startLine >= 1 && d.endLine <= lines);
          }
          // every definition entirely above the edit's line is still found, the same
          for (const b of before) {
            if (b.endLine >= editLine - 1 || b.what === 'error') continue;
            const same = after.find((c) => c.startLine === b.startLine);
            assert.ok(same, `${b.what} at line ${b.startLine} vanished after an edit at line ${editLine}`);
            let what: string;
            try { const d = same.build(); what = `${d.kind}:${d.name}`; } catch { what = 'error'; }
            // a name, a network or a call binding the data read from a later line can change meaning; the definition itself is there
            assert.ok(what !== 'error' || b.what.startsWith('network') || b.byCall, `${b.what} at line ${b.startLine} fails after an edit at line ${editLine}`);
          }
          // and every definition entirely below it, moved by the lines the edit added or removed
          for (const b of before) {
            if (b.startLine <= editLine + 1 || b.what === 'error' || b.what.startsWith('network')) continue;
            assert.ok(after.some((c) => c.startLine === b.startLine + shift), `${b.what} at line ${b.startLine} vanished after an edit at line ${editLine}`);
          }
        }),
        { numRuns: Number(process.env.PROP_RUNS ?? 150), seed: Number(process.env.PROP_SEED ?? 7) },
      );
    });
  }
});

describe('mini-batches as the file asks for them', () => {
  it('Keras fit(batch_size=2) trains in shuffled mini-batches, seeded; a DataLoader without shuffle keeps its order', () => {
    const src = 'from tensorflow import keras\nimport numpy as np\nmodel = keras.Sequential([keras.layers.Dense(3, activation="tanh", input_shape=(2,)), keras.layers.Dense(1)])\nmodel.compile(optimizer="sgd", loss="mse")\nX = np.array([[0, 1], [1, 0], [1, 1], [0, 0], [0.5, 0.5]])\ny = np.array([[1], [1], [0], [0], [0.5]])\nmodel.fit(X, y, epochs=5, batch_size=2)\n';
    const d = net(src, 'python', 3);
    assert.deepStrictEqual([d.batchSize, d.shuffle, d.epochs], [2, true, 5]);
    const run = (seed: number): number[] => { const t = new Trainer(d, { seed }); t.run(5); return t.history.map((h) => h.loss); };
    assert.deepStrictEqual(run(1), run(1), 'seeded: the same seed gives the same epochs');
    const full = new Trainer({ ...d, batchSize: undefined }, { seed: 1 });
    full.run(5);
    assert.notDeepStrictEqual(run(1), full.history.map((h) => h.loss), 'mini-batches are not the full batch');
    const torch = net('import torch\nfrom torch import nn\nfrom torch.utils.data import DataLoader, TensorDataset\nmodel = nn.Sequential(nn.Linear(2, 1))\nX = torch.tensor([[0., 1.], [1., 0.], [1., 1.]])\nY = torch.tensor([[1.], [1.], [0.]])\nloader = DataLoader(TensorDataset(X, Y), batch_size=2)\nloss_fn = nn.MSELoss()\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n', 'python', 4);
    assert.deepStrictEqual([torch.batchSize, torch.shuffle, torch.data?.x.length], [2, false, 3]);
  });
});

describe('more models as people write them', () => {
  it('TF.js functional API with TypeScript casts: tf.input → layer.apply(x) as tf.SymbolicTensor → tf.model', () => {
    const d = net("import * as tf from '@tensorflow/tfjs';\nconst input = tf.input({shape: [4]});\nconst h = tf.layers.dense({units: 10, activation: 'relu'}).apply(input) as tf.SymbolicTensor;\nconst out = tf.layers.dense({units: 3, activation: 'softmax'}).apply(h) as tf.SymbolicTensor;\nconst model = tf.model({inputs: input, outputs: out});\nmodel.compile({optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy'});\n", 'typescript', 5);
    assert.deepStrictEqual([d.inputs, ...d.layers.map((l) => `${l.units} ${l.activation}`)], [4, '10 relu', '3 softmax']);
    assert.deepStrictEqual([d.loss, d.optimizer.name, d.optimizer.learningRate], ['categorical_crossentropy', 'adam', 0.01]);
  });
  it('mean absolute error as each framework names it: nn.L1Loss(), Keras loss=\'mae\' and MeanAbsoluteError(), TF.js tf.losses.absoluteDifference', () => {
    const cases: Array<[string, string, number]> = [
      ['import torch\nfrom torch import nn\nmodel = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))\nloss_fn = nn.L1Loss()\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n', 'python', 3],
      ["from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(3, activation='relu', input_shape=(2,)), keras.layers.Dense(1)])\nmodel.compile(optimizer='sgd', loss='mae')\n", 'python', 2],
      ['from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(3, activation="relu", input_shape=(2,)), keras.layers.Dense(1)])\nmodel.compile(optimizer="sgd", loss=keras.losses.MeanAbsoluteError())\n', 'python', 2],
      ["import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\nmodel.add(tf.layers.dense({units: 3, activation: 'relu', inputShape: [2]}));\nmodel.add(tf.layers.dense({units: 1}));\nmodel.compile({optimizer: 'sgd', loss: tf.losses.absoluteDifference});\n", 'typescript', 2],
    ];
    for (const [src, lang, line] of cases) assert.strictEqual(net(src, lang, line).loss, 'mae', src);
  });
  it('micrograd\'s MLP(2, [16, 16, 1]) is a network: ReLU on every layer but the last, as micrograd.nn builds it', () => {
    const d = net('from micrograd.engine import Value\nfrom micrograd.nn import Neuron, Layer, MLP\n\nmodel = MLP(2, [16, 16, 1])\nprint(model)\n', 'python', 4);
    assert.deepStrictEqual([d.inputs, ...d.layers.map((l) => `${l.units} ${l.activation}`)], [2, '16 relu', '16 relu', '1 linear']);
    assert.strictEqual(d.notes.filter((n) => /micrograd/.test(n)).length, 1);
    assert.ok(!d.notes.some((n) => /model\.compile/.test(n)), 'no Keras note');
    assert.throws(() => net('from micrograd.nn import MLP\nmodel = MLP(2, 16)\n', 'python', 2), /MLP\(nin, nouts\) needs the number of inputs and a list of layer sizes/);
  });
  it('a lone nn.Linear trained by itself is the model (linear regression in PyTorch)', () => {
    const d = net('import torch\nimport torch.nn as nn\nmodel = nn.Linear(3, 1)\nloss_fn = nn.MSELoss()\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n', 'python', 3);
    assert.deepStrictEqual([d.inputs, d.layers.length, d.layers[0].units, d.loss, d.optimizer.learningRate], [3, 1, 1, 'mse', 0.1]);
  });
  it('Keras Flatten(input_shape=(28, 28)) gives 784 inputs; a large network is gradient-checked along random directions and on its largest partials, and a built-in dataset gives cross-entropy one-hot targets', () => {
    const d = net("import tensorflow as tf\nmodel = tf.keras.Sequential([\n    tf.keras.layers.Flatten(input_shape=(28, 28)),\n    tf.keras.layers.Dense(16, activation='relu'),\n    tf.keras.layers.Dense(10)\n])\nmodel.compile(optimizer='adam', loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))\n", 'python', 2);
    assert.strictEqual(d.inputs, 784);
    const t = new Trainer(d);
    const check = t.gradientCheck();
    assert.deepStrictEqual([check.directions, check.parameters], [4, 4], 'four directions, and per layer the largest ∂L/∂W and ∂L/∂b');
    assert.ok(check.maxRelativeError < 1e-4, `${check.maxRelativeError}`);
    t.run(2);
    assert.ok(t.history.every((h) => h.loss > 0), `cross-entropy is positive: ${t.history.map((h) => h.loss)}`);
  });
});

describe('scopes as each language has them', () => {
  it('JavaScript: a closure in forEach adds to the enclosing let (it read 0 before)', () => {
    const d = fn('const xs = new Float64Array([1, 2, 3]);\nconst ys = Float64Array.from([2, 4, 6]);\nexport function loss(w) {\n  let s = 0;\n  xs.forEach((x, i) => { s += Math.pow(w * x - ys[i], 2); });\n  return s / xs.length;\n}\n', 'javascript', 3);
    const a = analyzeFunction(d, { start: { w: 1 }, maxSteps: 0 });
    assert.ok(Math.abs((a.value as number) - 14 / 3) < 1e-12, `${a.value}`);
    assert.ok(Math.abs((a.gradientAt.w as number) - -28 / 3) < 1e-12, `${a.gradientAt.w}`);
  });
  it('Python numbers as Python 3 reads them: 0o755 is 493, 0x1F is 31, 1_000 is 1000, 00 and 01.5 are fine, 0755 is a located syntax error', () => {
    const d = fn('def f(w):\n    return 0o755 * w + 0x1F + 1_000 + 00 + 01.5\n', 'python', 1);
    const a = analyzeFunction(d, { start: { w: 2 }, maxSteps: 0 });
    assert.strictEqual(a.value, 493 * 2 + 31 + 1000 + 0 + 1.5);
    assert.strictEqual(a.gradientAt.w, 493);
    assert.throws(() => analyzeFunction(fn('def f(w):\n    return (w - 0755) ** 2\n', 'python', 1), { start: { w: 1 }, maxSteps: 0 }), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /0755 is a syntax error in Python 3.*0o755/);
      assert.deepStrictEqual([e.line, e.column], [2, 17]);
      return true;
    });
  });
  it('modules beside the file: sigmoid from a missing module is the standard one; a module\'s own error is told at the call, naming it; a missing helper names its module', () => {
    const files: Record<string, string> = { 'helpers.py': 'import numpy as np\n\ndef squash(z):\n    return np.floor(z)\n' };
    const readFile = (name: string): string | undefined => files[name];
    const read = (src: string, line: number): FunctionDefinition => findDefinition(src, 'python', line, { readFile }) as FunctionDefinition;
    // σ(2w) at w = 0.3: σ(0.6) and its derivative 2σ(1 − σ), by hand
    const s = 1 / (1 + Math.exp(-0.6));
    const standard = read('from lab_utils_common import sigmoid\n\ndef f(w):\n    return sigmoid(2 * w)\n', 3);
    assert.deepStrictEqual(standard.assumed, ['sigmoid is read as the standard σ(z) = 1/(1 + e⁻ᶻ): lab_utils_common.py is not beside this file']);
    const a = analyzeFunction(standard, { start: { w: 0.3 }, maxSteps: 0 });
    assert.ok(Math.abs((a.value as number) - s) < 1e-15 && Math.abs((a.gradientAt.w as number) - 2 * s * (1 - s)) < 1e-15, `${a.value} ${a.gradientAt.w}`);
    const located = (src: string, line: number, message: RegExp, at: [number, number]): void => {
      assert.throws(() => analyzeFunction(read(src, line), { start: { w: 1 }, maxSteps: 0 }), (e: unknown) => {
        assert.ok(e instanceof UserError, String(e));
        assert.match(e.message, message);
        assert.deepStrictEqual([e.line, e.column], at);
        return true;
      });
    };
    located('from helpers import squash\n\ndef f(w):\n    return squash(w) ** 2\n', 3, /^in helpers\.py, squash\(\): .*floor/, [4, 12]);
    located('from course_helpers import compute_z\n\ndef f(w):\n    return compute_z(w) ** 2\n', 3, /comes from the module course_helpers, and course_helpers\.py is not beside this file/, [4, 12]);
  });
  it('JavaScript modules beside the file: import { … } from \'./helpers\' (helpers.ts before helpers.js), import * as, require of module.exports and exports.f; a missing module\'s sigmoid is the standard one, said in a note; a missing helper names the files looked for', () => {
    const files: Record<string, string> = {
      'mathutil.ts': 'export const relu = (z: number): number => Math.max(0, z);\nexport function square(v: number): number { return v * v; }\n',
      'mathutil.js': 'export function square(v) { return 100 * v; }\n',
      'cjs.js': 'function sigmoid(z) { return 1 / (1 + Math.exp(-z)); }\nconst scale = 0.5;\nmodule.exports = { sigmoid, scale };\n',
      'loss.js': 'exports.mse = (p, y) => (p - y) ** 2;\n',
    };
    const readFile = (name: string): string | undefined => files[name];
    const read = (src: string, line: number): FunctionDefinition => findDefinition(src, 'typescript', line, { readFile }) as FunctionDefinition;
    const src = "import { relu, square } from './mathutil';\nimport * as mu from './mathutil';\nconst { sigmoid, scale } = require('./cjs');\nconst h = require('./loss.js');\n\nfunction f(w: number, b: number): number {\n  return square(relu(2 * w + b) - 1) + scale * sigmoid(w) + h.mse(w, b) + mu.square(b);\n}\n";
    const d = read(src, 6);
    assert.strictEqual(d.assumed, undefined);
    // at (w, b) = (1, 0.5), by hand: (2.5 − 1)² + 0.5σ(1) + (0.5)² + 0.5²; ∂/∂w = 2·1.5·2 + 0.5σ(1)(1 − σ(1)) + 2·0.5
    const s1 = 1 / (1 + Math.exp(-1));
    const a = analyzeFunction(d, { start: { w: 1, b: 0.5 }, maxSteps: 0 });
    assert.ok(Math.abs((a.value as number) - (2.25 + 0.5 * s1 + 0.25 + 0.25)) < 1e-12, `${a.value}`);
    assert.ok(Math.abs((a.gradientAt.w as number) - (6 + 0.5 * s1 * (1 - s1) + 1)) < 1e-12, `${a.gradientAt.w}`);
    assert.ok(Math.abs((a.gradientAt.b as number) - (3 - 1 + 1)) < 1e-12, `${a.gradientAt.b}`);
    const standard = read("import { sigmoid } from './course_helpers';\n\nfunction g(w: number): number {\n  return 2 * sigmoid(w);\n}\nfunction k(w: number): number {\n  return w * w;\n}\n", 3);
    const g = analyzeFunction(standard, { start: { w: 1 }, maxSteps: 0 });
    assert.ok(Math.abs((g.value as number) - 2 * s1) < 1e-15 && Math.abs((g.gradientAt.w as number) - 2 * s1 * (1 - s1)) < 1e-15);
    assert.deepStrictEqual(standard.assumed, ['sigmoid is read as the standard σ(z) = 1/(1 + e⁻ᶻ): course_helpers.ts or course_helpers.js is not beside this file']);
    assert.strictEqual(read("import { sigmoid } from './course_helpers';\n\nfunction k(w: number): number {\n  return w * w;\n}\n", 3).assumed, undefined, 'no note on a function that does not use it');
    for (const [code, message] of [
      ["import { costFn } from './course_helpers';\nfunction k(w) {\n  return costFn(w);\n}\n", /^'costFn' comes from the module \.\/course_helpers, and course_helpers\.ts or course_helpers\.js is not beside this file/],
      ["const { costFn } = require('./nothere');\nfunction k(w) {\n  return costFn(w);\n}\n", /^'costFn' cannot be read: line 1: the module \.\/nothere is not beside this file \(looked for nothere\.ts or nothere\.js\)/],
    ] as const) {
      assert.throws(() => analyzeFunction(read(code, 2), { start: { w: 1 }, maxSteps: 0 }), (e: unknown) => {
        assert.ok(e instanceof UserError, String(e));
        assert.match(e.message, message);
        assert.deepStrictEqual([e.line, e.column], [3, 10]);
        return true;
      });
    }
  });
  it('a method of a network class is the network; a method of a plain class is a function of its parameters', () => {
    const net = 'import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(2, 1)\n\n    def forward(self, x):\n        return torch.sigmoid(self.fc(x))\n';
    assert.strictEqual(findDefinition(net, 'python', 10).kind, 'network');
    // (w·2 + b − 5)² at w = 1, b = 0: 9, ∂/∂w = 2·(−3)·2, ∂/∂b = 2·(−3), by hand
    const plain = 'class Fit:\n    def __init__(self):\n        self.x = 2.0\n\n    def loss(self, w, b):\n        return (w * self.x + b - 5) ** 2\n';
    const a = analyzeFunction(findDefinition(plain, 'python', 6) as FunctionDefinition, { start: { w: 1, b: 0 }, maxSteps: 0 });
    assert.deepStrictEqual([a.value, a.gradientAt.w, a.gradientAt.b], [9, -12, -6]);
  });
  it('Python: an assignment inside a nested function stays local to it', () => {
    const d = fn('def f(w):\n    s = w\n    def g():\n        s = 100\n        return s\n    g()\n    return s * s\n', 'python', 1);
    assert.strictEqual(analyzeFunction(d, { start: { w: 3 }, maxSteps: 0 }).value, 9);
  });
  it('pandas: columns by name from a CSV beside the file', () => {
    const d = findDefinition('import numpy as np\nimport pandas as pd\ndf = pd.read_csv("s.csv")\nX = df[["hours", "sleep"]].values\ny = df["score"].values\ndef cost(w1, w2, b):\n    return np.mean((w1 * X[:, 0] + w2 * X[:, 1] + b - y) ** 2)\n', 'python', 6, { readFile: () => 'hours,sleep,score\n1,7,52\n2,6,55\n3,8,61\n' }) as FunctionDefinition;
    const a = analyzeFunction(d, { start: { w1: 1, w2: 1, b: 0 }, maxSteps: 0 });
    const want = ((1 + 7 - 52) ** 2 + (2 + 6 - 55) ** 2 + (3 + 8 - 61) ** 2) / 3;
    assert.ok(Math.abs((a.value as number) - want) < 1e-9, `${a.value} vs ${want}`);
  });
});

describe('JavaScript / TypeScript forms (#19.2): console.log, extends with super, minimize closures, reading a tensor out', () => {
  /** The definition's value and partials at a point, by its tape; expected numbers are derived by hand in each test. */
  const at = (d: FunctionDefinition, point: Record<string, number>): { value: number; grad: Record<string, number> } => {
    const r = tapeOf(d).valueAndGradient(d.params.map((p) => point[p]));
    return { value: r.value, grad: Object.fromEntries(d.params.map((p, k) => [p, r.gradient[k]])) };
  };
  const near = (got: number, want: number, what: string): void => assert.ok(Math.abs(got - want) < 1e-12 * (1 + Math.abs(want)), `${what}: ${got} vs ${want}`);

  it('a formula only inside console.log or a template literal is read, named by its label; the data names held', () => {
    const src = "const x = 3;\nconst y = 2;\nlet k = 0.5;\nconsole.log('J:', (k * x - y) ** 2);\nconsole.log(`loss = ${((k * x - y) ** 2 / 2).toFixed(3)}`);\n";
    const [j, loss] = [fn(src, 'javascript', 4), fn(src, 'javascript', 5)];
    assert.deepStrictEqual([j.name, j.params, loss.name, loss.params], ['J', ['k'], 'loss', ['k']]);
    // (k·3 − 2)² at k = 0.5: 0.25, ∂/∂k = 2·(k·3 − 2)·3 = −3; the template's is half of it
    const a = at(j, { k: 0.5 });
    near(a.value, 0.25, 'J');
    near(a.grad.k, -3, '∂J/∂k');
    near(at(loss, { k: 0.5 }).grad.k, -1.5, '∂loss/∂k');
  });

  it('class … extends a class of the file named Model: super(xs, ys) stores the data, super.cost(w, b) is the base\'s cost', () => {
    const src = [
      'class Model {',
      '  constructor(xs, ys) { this.xs = xs; this.ys = ys; }',
      '  cost(w, b) { return this.xs.reduce((s, x, i) => s + (w * x + b - this.ys[i]) ** 2, 0) / this.xs.length; }',
      '}',
      'class Ridge extends Model {',
      '  constructor(xs, ys, lambda) { super(xs, ys); this.lambda = lambda; }',
      '  cost(w, b) { return super.cost(w, b) + this.lambda * w * w; }',
      '}',
      'const model = new Ridge([1, 2], [1, 3], 0.5);',
      '',
    ].join('\n');
    const d = fn(src, 'javascript', 7);
    assert.deepStrictEqual([d.name, d.params], ['cost', ['w', 'b']]);
    // at w = 1, b = 0 the residuals are 0 and −1: ((0)² + (−1)²)/2 + 0.5·1² = 1; ∂w = (2·0·1 + 2·(−1)·2)/2 + 2·0.5·1 = −1; ∂b = (0 − 2)/2 = −1
    const a = at(d, { w: 1, b: 0 });
    near(a.value, 1, 'cost');
    near(a.grad.w, -1, '∂/∂w');
    near(a.grad.b, -1, '∂/∂b');
  });

  it('optimizer.minimize(() => …) is the cost over the tf.variables, at module level and in a train(xs, ys) the file calls', () => {
    const loop = [
      "const tf = require('@tensorflow/tfjs');",
      'const xs = tf.tensor1d([1, 2]);',
      'const ys = tf.tensor1d([2, 5]);',
      'const m = tf.variable(tf.scalar(1));',
      'const c = tf.scalar(0).variable();',
      'const optimizer = tf.train.sgd(0.1);',
      'for (let i = 0; i < 10; i++) {',
      '  optimizer.minimize(() => xs.mul(m).add(c).sub(ys).square().mean());',
      '}',
      '',
    ].join('\n');
    const d = fn(loop, 'javascript', 8);
    assert.deepStrictEqual(d.params, ['m', 'c']);
    // residuals at m = 1, c = 0: −1, −3: value (1 + 9)/2 = 5; ∂m = (2·(−1)·1 + 2·(−3)·2)/2 = −7; ∂c = (−2 − 6)/2 = −4
    const a = at(d, { m: 1, c: 0 });
    near(a.value, 5, 'loss');
    near(a.grad.m, -7, '∂/∂m');
    near(a.grad.c, -4, '∂/∂c');
    const train = [
      "import * as tf from '@tensorflow/tfjs';",
      'const w = tf.variable(tf.scalar(2));',
      'const loss = (pred, label) => pred.sub(label).square().sum();',
      'function train(inputs, targets) {',
      '  for (let i = 0; i < 5; i++) optimizer.minimize(() => { const p = inputs.mul(w); return loss(p, targets); });',
      '}',
      'const optimizer = tf.train.adam(0.1);',
      'train(tf.tensor1d([1, 3]), tf.tensor1d([1, 2]));',
      '',
    ].join('\n');
    const t = fn(train, 'javascript', 5);
    // Σ (w·x − y)² over the call's data at w = 2: 1 + 16 = 17; ∂w = 2·1·1 + 2·4·3 = 26
    const b = at(t, { w: 2 });
    near(b.value, 17, 'train loss');
    near(b.grad.w, 26, '∂/∂w');
    const random = loop.replace('tf.scalar(1)', 'tf.scalar(Math.random())');
    assert.throws(() => findDefinition(random, 'javascript', 8), (e: unknown) => e instanceof UserError && e.line === 8 && /line 4: Math\.random\(\) gives a different number on every run/.test(e.message));
  });

  it('.dataSync()[0], await t.data() and .arraySync() read a tensor out as its value', () => {
    const src = [
      "const tf = require('@tensorflow/tfjs');",
      'const xs = tf.tensor1d([1, 2]);',
      'const ys = tf.tensor1d([0, 1]);',
      'const w = tf.variable(tf.scalar(1.5));',
      'const sse = xs.mul(w).sub(ys).square().sum().dataSync()[0];',
      'const [sse2] = await xs.mul(w).sub(ys).square().sum().data();',
      'const preds = xs.mul(w).arraySync();',
      'const sse3 = preds.reduce((s, p, i) => s + (p - [0, 1][i]) ** 2, 0);',
      '',
    ].join('\n');
    // Σ (1.5·x − y)² = 1.5² + 2² = 6.25; ∂w = 2·1.5·1 + 2·2·2 = 11
    for (const line of [5, 6, 8]) {
      const d = fn(src, 'javascript', line);
      assert.deepStrictEqual(d.params, ['w'], `line ${line}`);
      const a = at(d, { w: 1.5 });
      near(a.value, 6.25, `line ${line}`);
      near(a.grad.w, 11, `∂/∂w, line ${line}`);
    }
  });
});

describe('branches whose condition the data or a constant decides', () => {
  const xs = [0.5, 1.5, 2.0, 3.0, 3.5];
  const ys = [0, 0, 1, 1, 1];
  /** the mean log-loss and its partials at (w, b), by a plain loop */
  const byHand = (w: number, b: number): { value: number; w: number; b: number } => {
    let v = 0, gw = 0, gb = 0;
    xs.forEach((x, i) => { const f = 1 / (1 + Math.exp(-(w * x + b))); v += ys[i] === 1 ? -Math.log(f) : -Math.log(1 - f); gw += (f - ys[i]) * x; gb += f - ys[i]; });
    return { value: v / xs.length, w: gw / xs.length, b: gb / xs.length };
  };
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
  it('Python: a guard on the sample count and a per-sample if / elif / else on the label pick their branch; a branch on a parameter is refused at the if', () => {
    const src = `import numpy as np\nX_train = np.array(${JSON.stringify(xs)})\ny_train = np.array(${JSON.stringify(ys)})\n\ndef cost(x, y, w, b):\n    m = len(x)\n    if m == 0:\n        return 0.0\n    total = 0.0\n    for i in range(m):\n        f = 1 / (1 + np.exp(-(w * x[i] + b)))\n        if y[i] == 1:\n            total += -np.log(f)\n        elif y[i] == 0:\n            total += -np.log(1 - f)\n        else:\n            raise ValueError('labels are 0 or 1')\n    return total / m\n\nprint(cost(X_train, y_train, 1.0, -2.0))\n`;
    const a = analyzeFunction(fn(src, 'python', 5), { maxSteps: 0 });
    const e = byHand(1, -2);
    assert.ok(close(a.value as number, e.value) && close(a.gradientAt.w as number, e.w) && close(a.gradientAt.b as number, e.b), JSON.stringify([a.value, a.gradientAt, e]));
    assert.throws(() => fn('def f(w):\n    z = w * 2\n    if z > 1:\n        return z\n    return 1\n', 'python', 1), (err: unknown) => err instanceof UserError && err.line === 3 && err.column === 5 && /a branch \(if statement\) on a parameter \('z'\) is not supported/.test(err.message));
  });
  it('JavaScript: if (…) return guard and if / else on the label, as Python', () => {
    const src = `const xs = ${JSON.stringify(xs)};\nconst ys = ${JSON.stringify(ys)};\nfunction logLoss(w, b) {\n  if (xs.length === 0) return 0;\n  let total = 0;\n  for (let i = 0; i < xs.length; i++) {\n    const f = 1 / (1 + Math.exp(-(w * xs[i] + b)));\n    if (ys[i] === 1) {\n      total -= Math.log(f);\n    } else total -= Math.log(1 - f);\n  }\n  return total / xs.length;\n}\n`;
    const a = analyzeFunction(fn(src, 'javascript', 3), { start: { w: 0.5, b: 0.25 }, maxSteps: 0 });
    const e = byHand(0.5, 0.25);
    assert.ok(close(a.value as number, e.value) && close(a.gradientAt.w as number, e.w), JSON.stringify([a.value, a.gradientAt, e]));
  });
  it('a network whose forward branches on a flag it sets in __init__ is the branch the flag takes', () => {
    const src = 'import torch\nfrom torch import nn\n\nclass Net(nn.Module):\n    def __init__(self, relu=True):\n        super().__init__()\n        self.fc1 = nn.Linear(2, 4)\n        self.fc2 = nn.Linear(4, 1)\n        self.use_relu = relu\n\n    def forward(self, x):\n        x = self.fc1(x)\n        if self.use_relu:\n            x = torch.relu(x)\n        else:\n            x = torch.tanh(x)\n        return torch.sigmoid(self.fc2(x))\n\nnet = Net(relu=False)\n';
    const n = net(src, 'python', 4);
    assert.deepStrictEqual(n.layers.map((l) => l.activation), ['tanh', 'sigmoid']);
  });
});

describe("PyTorch's tutorial: forward and loss as functions of the script", () => {
  const src = "import torch\n\nX = torch.tensor([1, 2, 3, 4], dtype=torch.float32)\nY = torch.tensor([2, 4, 6, 8], dtype=torch.float32)\nw = torch.tensor(0.0, dtype=torch.float32, requires_grad=True)\n\ndef forward(x):\n    return w * x\n\ndef loss(y, y_predicted):\n    return ((y_predicted - y)**2).mean()\n\nfor epoch in range(100):\n    y_pred = forward(X)\n    l = loss(Y, y_pred)\n    l.backward()\n    with torch.no_grad():\n        w -= 0.01 * w.grad\n    w.grad.zero_()\n";
  it('the cursor in def forward or def loss reads the l that l.backward() differentiates, and says so; a function the script never calls keeps its own message', () => {
    // l(w) = mean((w·x − 2x)²) over x = 1 … 4 at w = 0: (4 + 16 + 36 + 64) / 4 = 30, dl/dw = mean(2(w − 2)x²) = −30, by hand
    for (const [line, name] of [[8, 'forward'], [11, 'loss']] as const) {
      const d = fn(src, 'python', line);
      assert.deepStrictEqual(d.params, ['w']);
      assert.deepStrictEqual(d.assumed, [`${name}(…) is read as l, which the script computes with it and differentiates with l.backward()`]);
      const a = analyzeFunction(d, { start: { w: 0 }, maxSteps: 0 });
      assert.ok(Math.abs((a.value as number) - 30) < 1e-12 && Math.abs((a.gradientAt.w as number) + 30) < 1e-12, `${a.value} ${a.gradientAt.w}`);
    }
    // one CodeLens, on l.backward(): the two functions read as l do not take it away
    const lenses = lensesOf(allCandidates(src, 'python'), (c) => {
      try {
        return c.build();
      } catch {
        return undefined;
      }
    }).map((l) => `${l.def.name} on ${l.line}, reads ${l.target}`);
    assert.deepStrictEqual(lenses, ['l on 16, reads 15']);
    const unused = `${src}\ndef unused(y, y_predicted):\n    return y_predicted.shape\n`;
    assert.throws(() => fn(unused, 'python', 21), (e: unknown) => e instanceof UserError && !/is read as l/.test(e.message));
  });
});

describe('TensorFlow in Python: tf.Variable, GradientTape, tape.watch, opt.minimize', () => {
  const lenses = (src: string): string[] => lensesOf(allCandidates(src, 'python'), (c) => {
    try {
      return c.build();
    } catch {
      return undefined;
    }
  }).map((l) => `${l.def.name} on ${l.line}, reads ${l.target}`);
  const at = (d: FunctionDefinition, point: Record<string, number>): { value: number; gradient: Record<string, number> } => {
    const a = analyzeFunction(d, { start: point, maxSteps: 0, graph: false });
    return { value: a.value as number, gradient: a.gradientAt as Record<string, number> };
  };
  it('the guide\'s first tape: y = x**2 + 2x under tf.GradientTape over x = tf.Variable(3.0); the cursor on tape.gradient(y, x) reads y, and the lens sits there', () => {
    const src = 'import tensorflow as tf\n\nx = tf.Variable(3.0)\n\nwith tf.GradientTape() as tape:\n    y = x**2 + 2 * x\n\ndy_dx = tape.gradient(y, x)\nprint(dy_dx.numpy())\n';
    const d = fn(src, 'python', 8);
    assert.strictEqual(d.name, 'y');
    assert.deepStrictEqual([d.params, d.defaults], [['x'], { x: 3 }]);
    // by hand: 3² + 2·3 = 15, dy/dx = 2x + 2 = 8
    assert.deepStrictEqual(at(d, { x: 3 }), { value: 15, gradient: { x: 8 } });
    assert.deepStrictEqual(lenses(src), ['y on 8, reads 6']);
  });
  it('a variable started at tf.random.normal is refused where it is made, saying why and what to write; a seed is no refusal', () => {
    const src = 'import tensorflow as tf\ntf.random.set_seed(0)\nw = tf.Variable(tf.random.normal([2]))\nx = tf.constant([1.0, 2.0])\nwith tf.GradientTape() as tape:\n    loss = tf.reduce_sum(w * x) ** 2\ng = tape.gradient(loss, w)\n';
    assert.throws(() => findDefinition(src, 'python', 7), (e: unknown) => e instanceof UserError && /line 3: tf\.random\.normal\(…\) draws random numbers, which Gradient Lens cannot know without running the code: write the numbers in the file/.test(e.message));
    assert.deepStrictEqual(fn(src.replace('tf.random.normal([2])', '[0.5, -0.25]'), 'python', 7).params, ['w[0]', 'w[1]']);
  });
  it("Keras' losses on values under the tape: MeanSquaredError()(y, y_pred), tf.keras.losses.mse and MAE, (y_true, y_pred) as Keras orders them", () => {
    const src = (loss: string): string => `import tensorflow as tf\nmse = tf.keras.losses.MeanSquaredError()\nw = tf.Variable(1.0)\nx = tf.constant([1.0, 2.0, 3.0])\ny = tf.constant([2.0, 4.0, 6.0])\nwith tf.GradientTape() as tape:\n    loss = ${loss}\ng = tape.gradient(loss, w)\n`;
    // by hand at w = 0.5: residuals y − wx = 1.5, 3, 4.5; mean square 10.5, ∂/∂w = −(2/3) Σ r·x = −14; mean |r| = 3, ∂/∂w = −(1/3) Σ x = −2
    for (const loss of ['mse(y, w * x)', 'tf.keras.losses.mse(y, w * x)', 'tf.keras.losses.MeanSquaredError()(y, w * x)']) {
      assert.deepStrictEqual(at(fn(src(loss), 'python', 8), { w: 0.5 }), { value: 10.5, gradient: { w: -14 } }, loss);
    }
    assert.deepStrictEqual(at(fn(src('tf.keras.losses.MAE(y, w * x)'), 'python', 8), { w: 0.5 }), { value: 3, gradient: { w: -2 } });
  });
  it('tape.watch(x) on a tf.constant makes x the variable, as TensorFlow does', () => {
    const d = fn('import tensorflow as tf\nx = tf.constant(3.0)\nwith tf.GradientTape() as g:\n    g.watch(x)\n    y = x * x\ndy_dx = g.gradient(y, x)\n', 'python', 6);
    assert.deepStrictEqual(d.params, ['x']);
    assert.deepStrictEqual(at(d, { x: 3 }), { value: 9, gradient: { x: 6 } });
  });
  it('a training loop with the tape: tf.reduce_mean(tf.square(y - y_pred)) over tf.constant data, the learning rate of assign_sub\'s loop', () => {
    const src = 'import tensorflow as tf\n\nx = tf.constant([1.0, 2.0, 3.0, 4.0])\ny = tf.constant([3.0, 5.0, 7.0, 9.0])\nw = tf.Variable(0.0)\nb = tf.Variable(0.0)\nlearning_rate = 0.05\n\nfor epoch in range(100):\n    with tf.GradientTape() as tape:\n        y_pred = w * x + b\n        loss = tf.reduce_mean(tf.square(y - y_pred))\n    dw, db = tape.gradient(loss, [w, b])\n    w.assign_sub(learning_rate * dw)\n    b.assign_sub(learning_rate * db)\n';
    const d = fn(src, 'python', 13);
    assert.deepStrictEqual(d.params, ['w', 'b']);
    // by hand: mean of (y − wx − b)² at w = 1.5, b = −0.5, and its partials −(2/4) Σ (y − wx − b)·x and −(2/4) Σ (y − wx − b)
    const xs = [1, 2, 3, 4];
    const ys = [3, 5, 7, 9];
    const r = xs.map((x, i) => ys[i] - 1.5 * x + 0.5);
    const got = at(d, { w: 1.5, b: -0.5 });
    assert.ok(Math.abs(got.value - r.reduce((s, e) => s + e * e, 0) / 4) < 1e-12);
    assert.ok(Math.abs(got.gradient.w + r.reduce((s, e, i) => s + e * xs[i], 0) / 2) < 1e-12);
    assert.ok(Math.abs(got.gradient.b + r.reduce((s, e) => s + e, 0) / 2) < 1e-12);
    assert.strictEqual(descentHints(src).learningRate, 0.05);
  });
  it('def loss(): over a tf.Variable is a cost of it, on its def and on opt.minimize(loss, var_list=[w]); a lambda given to minimize too', () => {
    const src = 'import tensorflow as tf\n\nw = tf.Variable(5.0)\n\ndef loss():\n    return (w - 3.0) ** 2 + 1.0\n\nopt = tf.keras.optimizers.SGD(learning_rate=0.1)\nfor step in range(50):\n    opt.minimize(loss, var_list=[w])\n';
    for (const line of [5, 10]) {
      const d = fn(src, 'python', line);
      assert.deepStrictEqual([d.name, d.params, d.defaults], ['loss', ['w'], { w: 5 }], `line ${line}`);
      // by hand: (5 − 3)² + 1 = 5, 2(w − 3) = 4
      assert.deepStrictEqual(at(d, { w: 5 }), { value: 5, gradient: { w: 4 } });
    }
    // one lens, on the def: not on the variable as made, nor again on the minimize(loss, …) that names it
    assert.deepStrictEqual(lenses(src), ['loss on 5, reads 5']);
    const d = fn('import tensorflow as tf\nw = tf.Variable(0.5)\nb = tf.Variable(0.0)\nopt = tf.keras.optimizers.Adam(0.1)\nopt.minimize(lambda: tf.square(2.0 * w + b - 1.0), [w, b])\n', 'python', 5);
    assert.deepStrictEqual(d.params, ['w', 'b']);
    // by hand: (2·0.5 + 0 − 1)² = 0 at the start; at (1, 1): (2)² = 4, ∂/∂w = 2·2·2 = 8, ∂/∂b = 4
    assert.deepStrictEqual(at(d, { w: 1, b: 1 }), { value: 4, gradient: { w: 8, b: 4 } });
  });
});
