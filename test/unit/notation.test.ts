/**
 * How names and formulas are written for people (#18.3): one rule for the
 * hover, the command line, the panel's TeX and the Backprop view. Every
 * expected string is written here by hand.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { mathjsName, readable, texName, withSampleCount } from '../../src/core/notation';
import { breakFormula } from '../../src/core/format';
import { findDefinition } from '../../src/core/find';
import { analyzeFunction } from '../../src/core/analysis';
import { functionView } from '../../src/core/viewModel';
import { graphNames } from '../../src/core/graphNames';
import type { FunctionDefinition } from '../../src/core/source/definition';
import { ROOT } from './helpers';

describe('notation: names and formulas for people', () => {
  it('a parameter is written as the code writes it in text, its index a subscript in TeX', () => {
    assert.strictEqual(mathjsName('w[0]'), 'w_0');
    assert.strictEqual(readable('w_0 * x - b', ['w[0]', 'b']), 'w[0] · x − b');
    assert.strictEqual(texName('w[0]'), 'w_{0}');
    assert.strictEqual(texName('W[1][2]'), 'W_{1,2}');
    assert.strictEqual(texName('w0'), 'w_{0}');
    assert.strictEqual(texName('w_0'), 'w_{0}');
    assert.strictEqual(texName('theta_1'), '\\theta_{1}');
    assert.strictEqual(texName('θ0'), 'θ_{0}');
    assert.strictEqual(texName('b'), 'b');
  });

  it('variables are italic, a function\'s own name upright when it is a word, and no underscore ever shows', () => {
    assert.strictEqual(texName('f_wb'), 'f_{\\mathit{wb}}');
    assert.strictEqual(texName('net_h1'), '\\mathit{net}_{\\mathit{h1}}');
    assert.strictEqual(texName('lr'), '\\mathit{lr}');
    assert.strictEqual(texName('loss', { upright: true }), '\\mathrm{loss}');
    assert.strictEqual(texName('f', { upright: true }), 'f');
    assert.strictEqual(texName('compute_cost_logistic', { upright: true }), '\\mathrm{compute\\,cost\\,logistic}');
    // an underscore in TeX is a subscript's, before {
    for (const name of ['w_0', 'f_wb_i', 'x_train', 'compute_cost', 'a_b_c_d', '_x', 'x__y']) assert.ok(!/_(?!\{)/.test(texName(name)), `${name}: ${texName(name)}`);
    assert.strictEqual(texName('_x'), 'x');
  });

  it('samples are x⁽ⁱ⁾, in text and TeX; a matrix column X₀⁽ⁱ⁾', () => {
    assert.strictEqual(readable('(σ(X0_i * w_0 + X1_i * w_1 + b) - y_i) * X0_i', ['w[0]', 'w[1]', 'b']), '(σ(X₀⁽ⁱ⁾ · w[0] + X₁⁽ⁱ⁾ · w[1] + b) − y⁽ⁱ⁾) · X₀⁽ⁱ⁾');
    assert.strictEqual(texName('y_i', { sample: true }), 'y^{(i)}');
    assert.strictEqual(texName('X0_i', { sample: true }), 'X_{0}^{(i)}');
    assert.strictEqual(texName('x_train_i', { sample: true }), 'x_{\\mathit{train}}^{(i)}');
    // a parameter that happens to end in _i is a parameter
    assert.strictEqual(readable('2 * w_i', ['w_i']), '2 · w_i');
  });

  it('text: · for ×, − for minus, integer powers as superscripts; numbers and Σ bounds kept', () => {
    assert.strictEqual(readable('(1 / (1 + exp(-(3 * w + b))) - 0.25) ^ 2', ['w', 'b']), '(1 / (1 + exp(−(3 · w + b))) − 0.25)²');
    assert.strictEqual(readable('2.5e-7 * x^2 - x^(-1)', ['x']), '2.5e-7 · x² − x^(−1)');
    assert.strictEqual(readable('(1/6) Σᵢ₌₁^6 [σ(w * x_i) - y_i]', ['w']), '(1/6) Σᵢ₌₁^6 [σ(w · x⁽ⁱ⁾) − y⁽ⁱ⁾]');
    assert.strictEqual(breakFormula('∂J/∂w = a · b + cccccc − d', 8), '∂J/∂w = a · b\n    + cccccc\n    − d');
  });

  it('m’s value beside a Σ over m samples bound to data, in text and TeX; nothing without data or without a Σ over m', () => {
    assert.strictEqual(withSampleCount('∂J/∂w = (1/m) Σᵢ₌₁^m [w · x⁽ⁱ⁾ − y⁽ⁱ⁾]', 97), '∂J/∂w = (1/m) Σᵢ₌₁^m [w · x⁽ⁱ⁾ − y⁽ⁱ⁾],  m = 97');
    assert.strictEqual(withSampleCount('\\frac{1}{m}\\sum_{i=1}^{m} \\Bigl(w\\Bigr)', 97, true), '\\frac{1}{m}\\sum_{i=1}^{m} \\Bigl(w\\Bigr),\\quad m = 97');
    assert.strictEqual(withSampleCount('∂J/∂w = (1/m) Σᵢ₌₁^m [w]', null), '∂J/∂w = (1/m) Σᵢ₌₁^m [w]');
    assert.strictEqual(withSampleCount('∂f/∂w = 2(w − 3)', 97), '∂f/∂w = 2(w − 3)');
  });

  it('logistic regression\'s partials: the hover text and the panel TeX, exactly', () => {
    const src = fs.readFileSync(path.join(ROOT, 'examples', 'logistic_regression.py'), 'utf8');
    const def = findDefinition(src, 'python', 11) as FunctionDefinition;
    const a = analyzeFunction(def, { start: { 'w[0]': 1, 'w[1]': 1, b: -3 }, maxSteps: 0, graph: false });
    assert.strictEqual(readable(a.gradient['w[1]'], def.params), '(1/m) Σᵢ₌₁^m [(σ(X₀⁽ⁱ⁾ · w[0] + X₁⁽ⁱ⁾ · w[1] + b) − y⁽ⁱ⁾) · X₁⁽ⁱ⁾]');
    assert.strictEqual(a.gradientTex['w[1]'],
      '\\frac{1}{m}\\sum_{i=1}^{m} \\Bigl(\\left(\\sigma\\left(X_{0}^{(i)} \\cdot w_{0} + X_{1}^{(i)} \\cdot w_{1} + b\\right) - y^{(i)}\\right) \\cdot X_{1}^{(i)}\\Bigr)');
    assert.strictEqual(a.gradientTex.b, '\\frac{1}{m}\\sum_{i=1}^{m} \\Bigl(\\sigma\\left(X_{0}^{(i)} \\cdot w_{0} + X_{1}^{(i)} \\cdot w_{1} + b\\right) - y^{(i)}\\Bigr)');
    for (const t of [a.expressionTex, ...Object.values(a.gradientTex)]) assert.ok(!/\\_|_[A-Za-z0-9]/.test(t), `no literal underscore: ${t}`);
  });
});

describe('Backprop node names: readable and unique (#18.4)', () => {
  const view = (file: string, line: number, start: Record<string, number>): ReturnType<typeof functionView> => {
    const src = fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8');
    return functionView(findDefinition(src, 'python', line) as FunctionDefinition, file, { learningRate: 0.1, maxSteps: 1, optimizer: 'gd', start }, src);
  };

  it('logistic regression: np.dot is one node, its products named by their operands, samples as x⁽ⁱ⁾, no two names alike', () => {
    const v = view('logistic_regression.py', 11, { 'w[0]': 1, 'w[1]': 1, b: -3 });
    const names = graphNames(v.graph, v.params);
    const all = v.graph.nodes.filter((n) => n.op !== 'const').map((n) => names.name(n.id));
    assert.deepStrictEqual(all.filter((n, i) => all.indexOf(n) !== i), [], `unique: ${all.join(' | ')}`);
    for (const want of ['w[0]', 'w[1]', 'b', 'y⁽ⁱ⁾', 'X₀⁽ⁱ⁾', 'X₁⁽ⁱ⁾', 'X₀⁽ⁱ⁾ · w[0]', 'X₁⁽ⁱ⁾ · w[1]', 'np.dot(X[i], w)']) assert.ok(all.includes(want), `${want} in ${all.join(' | ')}`);
    const product = v.graph.nodes.find((n) => names.name(n.id) === 'X₀⁽ⁱ⁾ · w[0]') as { id: number };
    assert.strictEqual(names.partial(product.id), '(X₀⁽ⁱ⁾ · w[0])');
    assert.strictEqual(names.title(product.id), 'X₀⁽ⁱ⁾ · w[0]');
    const oneMinus = v.graph.nodes.find((n) => names.name(n.id) === '1-y[i]') as { id: number };
    assert.strictEqual(names.partial(oneMinus.id), '(1-y[i])', 'source text with an operator is parenthesised after ∂');
  });

  it('loss.py: named nodes show their operation (z = +, a = ÷), a source text after ∂ is parenthesised', () => {
    const v = view('loss.py', 6, { w: 1, b: 1 });
    const names = graphNames(v.graph, v.params);
    const id = (name: string): number => (v.graph.nodes.find((n) => names.name(n.id) === name) as { id: number }).id;
    assert.strictEqual(names.title(id('z')), 'z = +');
    assert.strictEqual(names.title(id('a')), 'a = ÷');
    assert.strictEqual(names.partial(id('a - 0.25')), '(a - 0.25)');
    assert.strictEqual(names.title(id('(a - 0.25) ** 2')), '(a - 0.25) ** 2');
    assert.strictEqual(names.partial(id('w')), 'w');
  });

  it('a hand-made graph: the same source text twice is numbered, an operation without a name is its operands, a long one elided', () => {
    const node = (id: number, op: string, label: string | null, text: string | null, value: number | null = null) => ({ id, op, label, text, value, grad: null, start: -1, end: -1 });
    const g = {
      nodes: [node(0, 'input', 'w', null), node(1, 'const', null, null, 2), node(2, 'mul', null, 'w * 2'), node(3, 'mul', null, 'w * 2'),
        node(4, 'add', null, null), node(5, 'sigmoid', 'net_h1', 'sigmoid(a_very_long_expression_here)'), node(6, 'pow', null, null)],
      edges: [[0, 2], [1, 2], [0, 3], [1, 3], [2, 4], [3, 4], [4, 5], [5, 6], [1, 6]] as Array<[number, number]>,
    };
    const names = graphNames(g, ['w']);
    assert.deepStrictEqual([2, 3, 4, 5, 6].map((k) => names.name(k)), ['w * 2 #1', 'w * 2 #2', '(w * 2 #1) + (w * 2 #2)', 'net_h1', 'net_h1²']);
    assert.deepStrictEqual([2, 4, 5, 6].map((k) => names.title(k)), ['w * 2 #1', '… + …', 'net_h1 = σ', 'net_h1²']);
    assert.strictEqual(names.partial(4), '((w * 2 #1) + (w * 2 #2))');
    assert.strictEqual(names.operation(6), '(·)²');
  });
});
