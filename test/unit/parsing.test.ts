/**
 * Reading definitions from documents: each case is checked by evaluating the
 * parsed function at a point against a hand-written JavaScript function.
 */
import * as assert from 'assert';
import { Tape } from '../../src/core/autodiff/tape';
import { UserError, offsetBefore } from '../../src/core/errors';
import { findFunction } from '../../src/core/find';
import { FunctionDefinition } from '../../src/core/source/definition';
import { allCandidates } from '../../src/core/find';
import { analyzeDocument } from '../../src/core/document';
import type { FunctionAnalysis } from '../../src/core/analysis';

function evalAt(def: FunctionDefinition, point: number[]): number {
  return new Tape(def.body, def.params).evaluate(point);
}

interface Case {
  name: string;
  language: string;
  source: string;
  line: number;
  params: string[];
  fnName?: string | null;
  /** the same function written by hand */
  f: (...x: number[]) => number;
  at?: number[];
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const cases: Case[] = [
  { name: 'math: implicit multiplication 2ab, 3x^2', language: 'plaintext', source: 'L(a, b) = 2ab + 3a^2b - b', line: 1, params: ['a', 'b'], f: (a, b) => 2 * a * b + 3 * a * a * b - b },
  { name: 'math: Greek subscripts θ0, θ1 and 2θ1', language: 'plaintext', source: 'J(θ0, θ1) = (θ0 + 2θ1 - 4)^2', line: 1, params: ['θ0', 'θ1'], f: (a, b) => (a + 2 * b - 4) ** 2 },
  { name: 'math: w_1 names, ** and unicode minus/times', language: 'plaintext', source: 'f(w_1, w_2) = w_1**2 − 3×w_2', line: 1, params: ['w_1', 'w_2'], f: (a, b) => a * a - 3 * b },
  { name: 'math: unary minus binds looser than ^', language: 'plaintext', source: 'f(x) = -x^2 + 2^-x', line: 1, params: ['x'], f: (x) => -(x ** 2) + 2 ** -x },
  { name: 'math: functions and constants', language: 'plaintext', source: 'f(x) = sigmoid(x) + relu(x - 1) + softplus(x) + square(x) + log2(x) + log10(x) + ln(x) + pi*e', line: 1, params: ['x'],
    f: (x) => sigmoid(x) + Math.max(x - 1, 0) + Math.log1p(Math.exp(x)) + x * x + Math.log2(x) + Math.log10(x) + Math.log(x) + Math.PI * Math.E, at: [1.7] },
  { name: 'math: implicit product of parentheses', language: 'plaintext', source: 'f(a, b) = (a + b)(a - b) + 2(a)', line: 1, params: ['a', 'b'], f: (a, b) => (a + b) * (a - b) + 2 * a },
  { name: 'markdown prose stops at the comma', language: 'markdown', source: '# T\n\nThe cost is L(a, b) = 2a^2 + ab - 4a, a bowl.\n', line: 3, params: ['a', 'b'], f: (a, b) => 2 * a * a + a * b - 4 * a },
  { name: 'markdown $…$ LaTeX with \\frac, \\cdot, x^{2}, \\theta_0', language: 'markdown', source: 'Loss: $J(\\theta_0) = \\frac{1}{2}\\theta_0^{2} + 3 \\cdot \\sin \\theta_0$.\n', line: 1, params: ['θ_0'], f: (t) => 0.5 * t * t + 3 * Math.sin(t) },
  { name: 'markdown LaTeX fractions as TeX reads them: \\frac12, \\frac1x, \\dfrac\\pi2, {a \\over b}', language: 'markdown', source: '$$J(w, x) = \\frac12 (w - 3)^2 + {w \\over 4} + \\frac1x + \\dfrac\\pi2 w + {{w} \\over {x + 1}}$$\n', line: 1, params: ['w', 'x'],
    f: (w, x) => 0.5 * (w - 3) ** 2 + w / 4 + 1 / x + (Math.PI / 2) * w + w / (x + 1), at: [1.3, 0.7] },
  { name: 'markdown $$…$$ with \\left( \\right) and \\sqrt', language: 'markdown', source: 'x\n\n$$\nf(x, y) = \\left(x - 1\\right)^2 + \\sqrt{y^2 + 1}\n$$\n', line: 4, params: ['x', 'y'], f: (x, y) => (x - 1) ** 2 + Math.sqrt(y * y + 1) },
  { name: 'markdown fenced python block', language: 'markdown', source: 'intro\n\n```python\ndef g(w):\n    z = 2 * w\n    return z ** 2\n```\n', line: 4, params: ['w'], fnName: 'g', f: (w) => 4 * w * w },
  { name: 'python: def with locals substituted in order', language: 'python', source: 'import numpy as np\n\ndef loss(w, b):\n    z = 3*w + b\n    a = sigmoid(z)\n    return (a - 0.25)**2\n', line: 3, params: ['w', 'b'], fnName: 'loss', f: (w, b) => (sigmoid(3 * w + b) - 0.25) ** 2 },
  { name: 'python: type hints, defaults, docstring, comments', language: 'python', source: 'def f(x: float = 2.0, y: float = -1) -> float:\n    """Docstring with def g(x): return 1."""\n    # comment: return 0\n    return x**2 + y  # trailing\n', line: 1, params: ['x', 'y'], fnName: 'f', f: (x, y) => x * x + y },
  { name: 'python: parenthesised and backslash continuations', language: 'python', source: 'def f(x):\n    a = (x +\n         1)\n    return a * \\\n        2\n', line: 1, params: ['x'], f: (x) => (x + 1) * 2 },
  { name: 'python: prefixes np. math. torch. jnp. and from-imports', language: 'python', source: 'from math import log\nimport torch\ndef f(x):\n    return np.exp(x) + math.sin(x) + torch.tanh(x) + jnp.cos(x) + log(x) + numpy.sqrt(x)\n', line: 3, params: ['x'],
    f: (x) => Math.exp(x) + Math.sin(x) + Math.tanh(x) + Math.cos(x) + Math.log(x) + Math.sqrt(x), at: [0.7] },
  { name: 'python: lambda', language: 'python', source: 'cost = lambda w: math.exp(-w) + w**2\n', line: 1, params: ['w'], fnName: 'cost', f: (w) => Math.exp(-w) + w * w },
  { name: 'python: module constant and augmented assignment', language: 'python', source: 'ALPHA = 0.5\ndef f(x):\n    s = x ** 2\n    s += ALPHA * x\n    return s\n', line: 2, params: ['x'], f: (x) => x * x + 0.5 * x },
  { name: 'python: one-line def', language: 'python', source: 'def f(x): return 3 * x ** 2\n', line: 1, params: ['x'], f: (x) => 3 * x * x },
  { name: 'js: function with const locals and Math.*', language: 'javascript', source: 'function f(x, y) {\n  const r2 = x * x + y * y;\n  return Math.exp(-r2) + 0.5 * Math.log(1 + x * x);\n}\n', line: 2, params: ['x', 'y'], f: (x, y) => Math.exp(-(x * x + y * y)) + 0.5 * Math.log(1 + x * x) },
  { name: 'js: arrow with expression body', language: 'javascript', source: 'const rosen = (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;\n', line: 1, params: ['x', 'y'], fnName: 'rosen', f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2 },
  { name: 'js: single-parameter arrow without parentheses', language: 'javascript', source: 'let sq = w => w ** 2 / 2\n', line: 1, params: ['w'], f: (w) => (w * w) / 2 },
  { name: 'js: arrow with block body', language: 'javascript', source: 'const g = (a) => {\n  let t = a - 1\n  return t * t\n}\n', line: 3, params: ['a'], f: (a) => (a - 1) ** 2 },
  { name: 'ts: export, typed parameters and return type', language: 'typescript', source: 'export function h(x: number, y: number): number {\n  return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2;\n}\n', line: 1, params: ['x', 'y'], fnName: 'h', f: (x, y) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2 },
  { name: 'ts: typed arrow function', language: 'typescript', source: 'export const q = (w: number): number => 0.5 * (w - 2) ** 2;\n', line: 1, params: ['w'], f: (w) => 0.5 * (w - 2) ** 2 },
  { name: 'js: math notation in a comment', language: 'javascript', source: '// f(x) = x^2 + 1\nconsole.log(1)\n', line: 1, params: ['x'], f: (x) => x * x + 1 },
];

describe('reading definitions', () => {
  for (const c of cases) {
    it(c.name, () => {
      const def = findFunction(c.source, c.language, c.line);
      assert.deepStrictEqual(def.params, c.params);
      if (c.fnName !== undefined) assert.strictEqual(def.name, c.fnName);
      const points = c.at ? [c.at] : [c.params.map((_, i) => 0.3 + 0.4 * i), c.params.map((_, i) => -1.1 + 0.7 * i)];
      for (const p of points) {
        const expected = c.f(...p);
        const got = evalAt(def, p);
        assert.ok(Math.abs(got - expected) <= 1e-12 * (1 + Math.abs(expected)), `at ${p}: ${got} vs ${expected}`);
      }
    });
  }

  it('picks the definition under the cursor, else the next one', () => {
    const src = 'import math\n\ndef a(x):\n    return x\n\n\ndef b(y):\n    return 2 * y\n';
    assert.strictEqual(findFunction(src, 'python', 4).name, 'a');
    assert.strictEqual(findFunction(src, 'python', 7).name, 'b');
    assert.strictEqual(findFunction(src, 'python', 1).name, 'a');
    assert.strictEqual(findFunction(src, 'python', 5).name, 'b');
  });

  it('keeps named locals as labelled tape nodes, shared where used twice', () => {
    const def = findFunction('def f(w):\n    z = 3*w\n    return z * z + z\n', 'python', 1);
    const tape = new Tape(def.body, def.params);
    assert.strictEqual(tape.nodes.filter((n) => n.label === 'z').length, 1);
    tape.forward([2]);
    const g = tape.backward();
    // f = 9w² + 3w, f' = 18w + 3
    assert.strictEqual(g[0], 39);
  });
});

describe('located errors', () => {
  const error = (source: string, language: string, line = 1): UserError => {
    try {
      findFunction(source, language, line);
    } catch (e) {
      assert.ok(e instanceof UserError, `a UserError, got ${String(e)}`);
      return e;
    }
    assert.fail('expected an error');
  };
  const cases: Array<[string, string, string, number, number, RegExp]> = [
    ['while loop', 'python', 'def f(x):\n    while x > 1:\n        x = x / 2\n    return x\n', 2, 5, /a while loop is not supported when its condition depends on a parameter \('x'\)/],
    ['branch', 'python', 'def f(x):\n    if x > 0:\n        return x\n    return -x\n', 2, 5, /branches are not supported/],
    ['try statement', 'python', 'def f(x):\n    try:\n        return x\n    except Exception:\n        return 0\n', 2, 5, /a try statement is not supported/],
    ['js loop', 'javascript', 'function f(x) {\n  while (x > 1) x = x / 2;\n  return x;\n}\n', 2, 3, /a while loop is not supported when its condition depends on a parameter \('x'\)/],
    ['ternary', 'javascript', 'const f = (x) => x > 0 ? x : -x;\n', 1, 20, /comparison|branches/],
    ['python xor', 'python', 'def f(x):\n    return x ^ 2\n', 2, 14, /bitwise xor in Python; write \*\*/],
    ['unknown name', 'python', 'def f(x):\n    return x + k\n', 2, 16, /unknown name 'k'/],
    ['no return', 'python', 'def f(x):\n    y = x\n', 1, 1, /no return statement/],
    ['string', 'javascript', 'const f = (x) => x + "a";\n', 1, 22, /strings are not part/],
    ['wrong arity', 'plaintext', 'f(x) = pow(x)\n', 1, 8, /takes 2 arguments/],
    ['empty parens', 'plaintext', 'f(x) = x + ()\n', 1, 12, /empty parentheses/],
    ['LaTeX unknown command', 'markdown', '$f(x) = \\foo{x}$\n', 1, 9, /LaTeX command '\\foo'/],
  ];
  for (const [name, lang, src, line, col, re] of cases) {
    it(`${name}: ${line}:${col}`, () => {
      const e = error(src, lang);
      assert.match(e.message, re);
      assert.deepStrictEqual([e.line, e.column], [line, col], e.message);
    });
  }
  it('an empty document', () => assert.match(error('  \n', 'plaintext').message, /document is empty/));
  it('prototype names are not functions or constants', () => {
    assert.match(error('f(x) = constructor(x)\n', 'plaintext').message, /unknown function 'constructor'/);
    assert.match(error('def f(x):\n    return x.__class__\n', 'python').message, /unknown name 'x.__class__'/);
  });
});

describe('where text was before an edit (a stale hover finds a layer where it now is)', () => {
  const before = 'a = 1\nlayer(4)\nlayer(1)\n';
  it('an inserted line: text above keeps its offset, text below moves by its length, the inserted text has none', () => {
    const now = 'a = 1\nlayer(4)\nlayer(2 *)\nlayer(1)\n';
    assert.strictEqual(offsetBefore(before, now, now.indexOf('layer(4)')), before.indexOf('layer(4)'));
    assert.strictEqual(offsetBefore(before, now, now.indexOf('layer(1)') + 6), before.indexOf('layer(1)') + 6);
    assert.strictEqual(offsetBefore(before, now, now.indexOf('*')), undefined);
  });
  it('a deletion and a replacement inside a line', () => {
    const deleted = 'a = 1\nlayer(1)\n';
    assert.strictEqual(offsetBefore(before, deleted, deleted.indexOf('layer(1)')), before.indexOf('layer(1)'));
    const replaced = 'a = 1\nlayer(4 +)\nlayer(1)\n';
    assert.strictEqual(offsetBefore(before, replaced, 'a = 1\nlay'.length), 'a = 1\nlay'.length);
    assert.strictEqual(offsetBefore(before, replaced, replaced.indexOf('+')), undefined);
    assert.strictEqual(offsetBefore(before, replaced, replaced.indexOf('layer(1)')), before.indexOf('layer(1)'));
  });
  it('the same text: every offset is its own', () => {
    for (let o = 0; o < before.length; o++) assert.strictEqual(offsetBefore(before, before, o), o);
  });
});

describe('candidates', () => {
  it('finds every definition in a file for CodeLenses', () => {
    const src = 'def a(x):\n    return x\n\ncost = lambda w: w**2\n\ndef b(y):\n    return y\n';
    const found = allCandidates(src, 'python').map((c) => c.build().name);
    assert.deepStrictEqual(found, ['a', 'cost', 'b']);
  });
});

describe('Markdown and LaTeX: sample indices, brackets, functions of the document, fenced blocks', () => {
  /** f(at) and its gradient through the same entry point the command line uses, one descent step. */
  const analyze = (source: string, line: number, at: Record<string, number>): { value: number | null; gradient: Record<string, number | null> } => {
    const a = analyzeDocument(source, 'markdown', line, { start: at, maxSteps: 1 });
    assert.strictEqual(a.kind, 'function');
    const f = a as FunctionAnalysis;
    return { value: f.value, gradient: f.gradientAt };
  };
  const close = (got: number | null, want: number): void => assert.ok(got !== null && Math.abs(got - want) <= 1e-9 * (1 + Math.abs(want)), `${got} vs ${want}`);
  const error = (source: string, language: string, line: number): UserError => {
    try {
      findFunction(source, language, line);
    } catch (e) {
      assert.ok(e instanceof UserError, `a UserError, got ${String(e)}`);
      return e;
    }
    assert.fail('expected an error');
  };

  it('x^{(i)} is sample i of column x, over a table with aligned columns (|:-:|--:|)', () => {
    const src = '| x | y |\n|:-:|--:|\n| 1 | 2 |\n| 3 | 5 |\n\n$$J(w,b) = \\frac{1}{m}\\sum_{i=1}^{m}\\left(w x^{(i)} + b - y^{(i)}\\right)^2$$\n';
    // at w = 1, b = 0 the residuals are -1 and -2: J = (1 + 4)/2, dJ/dw = (-1·1 - 2·3), dJ/db = (-1 - 2)
    const r = analyze(src, 6, { w: 1, b: 0 });
    close(r.value, 2.5);
    close(r.gradient.w, -7);
    close(r.gradient.b, -3);
  });

  it('x_1^{(i)}, x^{(i)}_2, x_{1,i} and x_{i,2} are sample i of columns x_1 and x2 (either spelling in the header)', () => {
    const src = '| x_1 | x2 | y |\n|-----|----|---|\n| 1 | 2 | 3 |\n| 0 | 1 | 1 |\n\n'
      + '$$J(a, b) = \\sum_{i=1}^{m} (a x_1^{(i)} + b x^{(i)}_2 - y^{(i)})^2$$\n\n'
      + '$$K(a, b) = \\sum_{i=1}^{m} (a x_{1,i} + b x_{i,2} - y_i)^2$$\n';
    // at a = b = 0 the residuals are -3 and -1: J = 9 + 1, dJ/da = 2(-3·1 - 1·0), dJ/db = 2(-3·2 - 1·1)
    for (const line of [6, 8]) {
      const r = analyze(src, line, { a: 0, b: 0 });
      close(r.value, 10);
      close(r.gradient.a, -6);
      close(r.gradient.b, -14);
    }
  });

  it('a sample of a column the table does not have is a located message naming its columns', () => {
    const e = error('| x | t |\n|---|---|\n| 1 | 2 |\n\n$$J(w) = \\sum_{i=1}^{m} (w x_i - y_i)^2$$\n', 'markdown', 5);
    assert.match(e.message, /'y_i' is sample i of a column 'y', which the table above does not have \(its columns: x, t\)/);
    assert.deepStrictEqual([e.line, e.column], [5, 34]);
  });

  const bracketCases: Case[] = [
    { name: 'LaTeX [ ], \\left[ \\right], \\left\\{ \\right\\}, \\lbrack \\rbrack and \\left. group like parentheses', language: 'markdown',
      source: '$$f(w, b) = \\frac{1}{2}\\left[(w - 1)^2 + \\left\\{ b + [w]^2 \\right\\} \\right] + \\lbrack b \\rbrack + \\{w\\} + \\left. w \\right.$$\n', line: 1, params: ['w', 'b'],
      f: (w, b) => 0.5 * ((w - 1) ** 2 + (b + w * w)) + b + w + w },
    { name: 'math notation [ ] and { } group like parentheses', language: 'plaintext', source: 'f(w, b) = [ (w - 1)^2 + {b}^2 ] / 2', line: 1, params: ['w', 'b'], f: (w, b) => ((w - 1) ** 2 + b * b) / 2 },
    { name: 'a sum whose body is \\left[ … \\right]^2 stops there: the + after it is outside the sum', language: 'markdown',
      source: '| x | y |\n|---|---|\n| 1 | 2 |\n| 3 | 5 |\n\n$$J(w) = \\frac{1}{m}\\sum_{i=1}^{m}\\left[ w x_i - y_i \\right]^2 + w^2$$\n', line: 6, params: ['w'],
      f: (w) => ((w - 2) ** 2 + (3 * w - 5) ** 2) / 2 + w * w },
    { name: 'σ defined in the prose is called by the cost', language: 'markdown',
      source: '$$L(w) = -\\log\\left(\\sigma(2w)\\right) - \\log(1 - \\sigma(w - 1))$$\n\nwhere $\\sigma(z) = \\frac{1}{1 + e^{-z}}$.\n', line: 1, params: ['w'],
      f: (w) => -Math.log(sigmoid(2 * w)) - Math.log(1 - sigmoid(w - 1)) },
    { name: 'math notation: a function defined on another line is called by name', language: 'plaintext', source: 's(z) = z^2 + 1\nJ(w, b) = s(w - b) * 2 + s[b]\n', line: 2, params: ['w', 'b'],
      f: (w, b) => 2 * ((w - b) ** 2 + 1) + b * b + 1 },
  ];
  for (const c of bracketCases) {
    it(c.name, () => {
      const def = findFunction(c.source, c.language, c.line);
      assert.deepStrictEqual(def.params, c.params);
      for (const p of [c.params.map((_, i) => 0.3 + 0.4 * i), c.params.map((_, i) => -1.1 + 0.7 * i)]) {
        const expected = c.f(...p);
        const got = evalAt(def, p);
        assert.ok(Math.abs(got - expected) <= 1e-12 * (1 + Math.abs(expected)), `at ${p}: ${got} vs ${expected}`);
      }
    });
  }

  const located: Array<[string, string, string, number, number, number, RegExp]> = [
    ['a bracket closed by another kind', 'plaintext', 'f(x) = [x + 1)\n', 1, 1, 14, /'\)' closes the '\[' at column 8; close it with '\]'/],
    ['a defined function called with the wrong number of arguments', 'plaintext', 's(z) = z^2\nJ(w) = s(w, w)\n', 2, 2, 8, /'s' takes 1 argument \(z\), got 2/],
    ['functions calling each other are not a function of the document', 'plaintext', 'f(x) = g(x) + 1\ng(x) = f(x)\n', 1, 2, 8, /unknown function 'f'/],
  ];
  for (const [name, lang, src, line, eLine, eCol, re] of located) {
    it(`${name}: ${eLine}:${eCol}`, () => {
      const e = error(src, lang, line);
      assert.match(e.message, re);
      assert.deepStrictEqual([e.line, e.column], [eLine, eCol], e.message);
    });
  }

  it('a fenced Python block sees the data of the document\'s other Python blocks', () => {
    const src = '# Notes\n\n```python\nimport numpy as np\nx = np.array([1.0, 2.0])\ny = np.array([3.0, 5.0])\n```\n\nThe cost:\n\n```python\ndef cost(w, b):\n    return np.mean((w * x + b - y) ** 2)\n```\n';
    // at w = 1, b = 0 the residuals are -2 and -3: J = (4 + 9)/2, dJ/dw = (2·-2·1 + 2·-3·2)/2, dJ/db = (2·-2 + 2·-3)/2
    const r = analyze(src, 12, { w: 1, b: 0 });
    close(r.value, 6.5);
    close(r.gradient.w, -8);
    close(r.gradient.b, -5);
  });

  it('a fenced JavaScript block sees the other JavaScript blocks, not the Python ones', () => {
    const src = '```js\nconst xs = [1, 2];\nconst ys = [3, 5];\n```\n\n```python\nxs = [10, 20]\n```\n\n```js\nfunction cost(w, b) {\n  let s = 0;\n  for (let i = 0; i < xs.length; i++) s += (w * xs[i] + b - ys[i]) ** 2;\n  return s / xs.length;\n}\n```\n';
    const r = analyze(src, 11, { w: 1, b: 0 });
    close(r.value, 6.5);
    close(r.gradient.w, -8);
    close(r.gradient.b, -5);
  });
});

describe('Markdown as CommonMark (@lezer/markdown with GitHub tables and math)', () => {
  const read = (c: Case): void => {
    const def = findFunction(c.source, c.language, c.line);
    assert.deepStrictEqual(def.params, c.params);
    if (c.fnName !== undefined) assert.strictEqual(def.name, c.fnName);
    for (const p of [c.params.map((_, i) => 0.3 + 0.4 * i), c.params.map((_, i) => -1.1 + 0.7 * i)]) {
      const expected = c.f(...p);
      const got = evalAt(def, p);
      assert.ok(Math.abs(got - expected) <= 1e-12 * (1 + Math.abs(expected)), `at ${p}: ${got} vs ${expected}`);
    }
  };
  const md = (name: string, source: string, line: number, params: string[], fnName: string | null, f: Case['f']): Case => ({ name, language: 'markdown', source, line, params, fnName, f });
  const cases: Case[] = [
    // fences and inline code as CommonMark defines them
    md('a line starting with ``` inside inline code does not open a fence', 'Type `\n```python` to open a block.\n\nLater:\n\n$$f(x) = (x - 1)^2$$\n', 6, ['x'], 'f', (x) => (x - 1) ** 2),
    md('```js``` on its own line is inline code (an info string has no backtick), not a fence', '```js``` is how a block starts.\n\n$g(w) = w^2 + 1$\n', 3, ['w'], 'g', (w) => w * w + 1),
    md('a fence closes only with as many backticks: the ``` inside a ```` fence is its text', '````text\n```\n````\n\n$h(a) = 3a$\n', 5, ['a'], 'h', (a) => 3 * a),
    md('a ~~~ fence holding ``` lines, then a formula after it', '~~~python\n```\ndef f(w):\n```\n~~~\n\n$$J(w) = (w + 2)^2$$\n', 7, ['w'], 'J', (w) => (w + 2) ** 2),
    md('an unclosed fence runs to the end: the formula after the document\'s real fence pair is read', '```python\ndef g(w):\n    return w ** 3\n```\n\n$$k(w) = 2w$$\n', 6, ['w'], 'k', (w) => 2 * w),
    md('a formula in inline code', 'The loss `L(w) = (w - 3)**2` is a bowl.\n', 1, ['w'], 'L', (w) => (w - 3) ** 2),
    // where math stands
    md('GitHub\'s ```math block', '# Notes\n\n```math\nf(x, y) = (x - 1)^2 + 2 y^2\n```\n', 4, ['x', 'y'], 'f', (x, y) => (x - 1) ** 2 + 2 * y * y),
    md('$…$ in a list item', '- the loss: $f(w) = (w - 3)^2$\n- its minimum: $w = 3$\n', 1, ['w'], 'f', (w) => (w - 3) ** 2),
    md('$…$ in a table cell', '| name | formula |\n|---|---|\n| bowl | $f(w) = w^2 + 1$ |\n', 3, ['w'], 'f', (w) => w * w + 1),
    md('$$ … $$ over several lines right after a paragraph, a line starting with + inside it', 'The cost:\n$$\nJ(w, b) = (w - 1)^2\n+ b^2\n$$\n', 3, ['w', 'b'], 'J', (w, b) => (w - 1) ** 2 + b * b),
    md('$5 and $6 are prices, not math: the formula between them is prose', 'From $5 to $6 the price is p(t) = 5 + t, a line.\n', 1, ['t'], 'p', (t) => 5 + t),
    // formulas without a signature
    md('an unnamed formula on its own line is f of its free symbols, alphabetical', 'Rosenbrock:\n\n$100 (y − x^2)^2 + (1 − x)^2$\n', 3, ['x', 'y'], null, (x, y) => 100 * (y - x * x) ** 2 + (1 - x) ** 2),
    md('an unnamed formula alone in a task-list item', '- [ ] $(w - 2)^2 + 1$\n', 1, ['w'], null, (w) => (w - 2) ** 2 + 1),
    md('z = … in display math is z of its free symbols', '$$z = w x + b$$\n', 1, ['b', 'w', 'x'], 'z', (b, w, x) => w * x + b),
    md('z = … inline, letters written together multiply', 'The logit $z = 2wx + b$ feeds the sigmoid.\n', 1, ['b', 'w', 'x'], 'z', (b, w, x) => 2 * w * x + b),
    md('J = … over the table above: the sum\'s index and bound are not variables', '| x | y |\n|---|---|\n| 1 | 2 |\n| 3 | 5 |\n\n$$J = \\frac{1}{2m}\\sum_{i=1}^{m} (w x_i - y_i)^2$$\n', 6, ['w'], 'J', (w) => ((w - 2) ** 2 + (3 * w - 5) ** 2) / 4),
    md('L(θ) = … with θ written as itself', '$$L(θ) = (θ - 2)^2$$\n', 1, ['θ'], 'L', (t) => (t - 2) ** 2),
    md('an unnamed formula calling σ defined in the prose, θ_0 and θ_1 in order', 'where $\\sigma(z) = \\frac{1}{1 + e^{-z}}$:\n\n$$\\sigma(\\theta_1 - 2\\theta_0)$$\n', 3, ['θ_0', 'θ_1'], null, (t0, t1) => sigmoid(t1 - 2 * t0)),
    // operators and functions
    md('−, · and × inside $…$', '$f(x, y) = x·y − 3×x$\n', 1, ['x', 'y'], 'f', (x, y) => x * y - 3 * x),
    md('[ ] group like parentheses in LaTeX', '$$J(w) = 2[w - 1]^2 + [w]$$\n', 1, ['w'], 'J', (w) => 2 * (w - 1) ** 2 + w),
    md('exp{…}, \\exp, \\ln and ln', '$$f(w) = exp{w/2} + \\exp(w) + \\ln(w + 3) + ln{w + 4} + \\exp w$$\n', 1, ['w'], 'f', (w) => Math.exp(w / 2) + 2 * Math.exp(w) + Math.log(w + 3) + Math.log(w + 4)),
    // LaTeX as course notes write it
    md('\\sum\\limits and an equation number \\tag{1}', '| x | y |\n|---|---|\n| 1 | 2 |\n| 3 | 5 |\n\n$$J(w) = \\frac{1}{2m} \\sum\\limits_{i = 0}^{m-1} (w x^{(i)} - y^{(i)})^2 \\tag{1}$$\n', 6, ['w'], 'J', (w) => ((w - 2) ** 2 + (3 * w - 5) ** 2) / 4),
    md('\\log \\sigma(z) is the log of σ(z), not log(σ)·z', 'where $\\sigma(z) = \\frac{1}{1 + e^{-z}}$:\n\n$$L(w) = -\\log \\sigma(2w) + \\sin w(1 + w)$$\n', 3, ['w'], 'L', (w) => -Math.log(sigmoid(2 * w)) + Math.sin(w * (1 + w))),
    md('a Greek subscript without braces: c_\\alpha', '$$f(c_\\alpha) = (c_\\alpha - 1)^2$$\n', 1, ['c_α'], 'f', (c) => (c - 1) ** 2),
    md('the hypothesis h_θ(x) = θ_0 + θ_1 x called by the cost: θ_0, θ_1 are the cost\'s parameters', '| x | y |\n|---|---|\n| 1 | 2 |\n| 3 | 5 |\n\nWith $h_\\theta(x) = \\theta_0 + \\theta_1 x$:\n\n$$J(\\theta_0, \\theta_1) = \\frac{1}{2m}\\sum_{i=1}^{m}(h_\\theta(x_i) - y_i)^2$$\n', 8, ['θ_0', 'θ_1'], 'J', (a, b) => ((a + b - 2) ** 2 + (a + 3 * b - 5) ** 2) / 4),
    md('… and by a cost without a signature, whose free symbols are then θ_0, θ_1', '| x | y |\n|---|---|\n| 1 | 2 |\n| 3 | 5 |\n\nWith $h_\\theta(x) = \\theta_0 + \\theta_1 x$:\n\n$$J = \\frac{1}{2m}\\sum_{i=1}^{m}(h_\\theta(x_i) - y_i)^2$$\n', 8, ['θ_0', 'θ_1'], 'J', (a, b) => ((a + b - 2) ** 2 + (a + 3 * b - 5) ** 2) / 4),
    md('exp{…} and ln in prose', 'Here f(w) = exp{-w} + ln(1 + w^2) is smooth.\n', 1, ['w'], 'f', (w) => Math.exp(-w) + Math.log(1 + w * w)),
  ];
  for (const c of cases) it(c.name, () => read(c));

  it('the cursor on a fence\'s own Python code reads it even after a line that looked like a fence', () => {
    const src = 'Inline: `\n```js` is not a fence.\n\n```python\ndef cost(w):\n    return (w - 1) ** 2\n```\n';
    const def = findFunction(src, 'markdown', 5);
    assert.strictEqual(def.name, 'cost');
    assert.strictEqual(evalAt(def, [3]), 4);
  });

  const none: Array<[string, string, number]> = [
    ['a formula in prose that is not alone on its line', 'So $x^2 + 1$ grows.\n', 1],
    ['an equation, not a function', '$$2x + 1 = 0$$\n', 1],
    ['a value, without a variable', '$$m = 5$$\n', 1],
    ['a formula inside a Python block is its code, not a formula of the note', '```python\ns = "$$f(w) = w^2$$"\n```\n', 2],
    ['an HTML comment', '<!-- $$f(w) = w^2$$ -->\n', 1],
  ];
  for (const [name, src, line] of none) {
    it(`no definition: ${name}`, () => {
      assert.throws(() => findFunction(src, 'markdown', line), (e: unknown) => e instanceof UserError && /no function or network definition found/.test(e.message));
    });
  }

  it('a called function using a name that is not the caller\'s parameter is a located message naming it', () => {
    assert.throws(() => findFunction('s(z) = z^2 + q\nJ(w) = s(w) + 1\n', 'plaintext', 2),
      (e: unknown) => e instanceof UserError && e.message === "'s' uses 'q', which is neither its parameter nor one of this formula's (w)" && e.line === 2 && e.column === 8);
  });

  it('z = … in terms of itself is a located message: an update rule, not a definition', () => {
    assert.throws(() => findFunction('$$z = z^2 + w$$\n', 'markdown', 1), (e: unknown) => e instanceof UserError && /'z' is on both sides of '=': an update rule or an equation, not a definition; write the function itself, such as f\(z, w\) = …/.test(e.message) && e.line === 1);
  });
});
