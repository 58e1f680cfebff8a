/**
 * The op table (src/core/autodiff/ops.ts) is the one place each rule is
 * written. These tests check every rule against independent arithmetic, and
 * check that the Backprop view's chain-rule factors (Tape.localDerivative,
 * derived from the same table) multiply along every path of the graph to the
 * adjoints the backward pass computes.
 */
import * as assert from 'assert';
import fc from 'fast-check';
import { OP_NAMES, OpName, ruleOf, TEMPLATE_PRELUDE } from '../../src/core/autodiff/ops';
import { Tape } from '../../src/core/autodiff/tape';
import { compileGradient } from '../../src/core/autodiff/compile';
import { findFunction } from '../../src/core/find';

/** Richardson-extrapolated central difference: accurate to ~1e-10 for smooth g. */
function derivative(g: (t: number) => number, t: number): number {
  const d = (h: number): number => (g(t + h) - g(t - h)) / (2 * h);
  const h = 1e-3 * Math.max(1, Math.abs(t));
  return (4 * d(h / 2) - d(h)) / 3;
}

const near = (a: number, b: number, tol = 1e-6): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

/** Points inside each op's domain and away from its kink. */
function domain(op: OpName): [number, number] {
  switch (op) {
    case 'log': case 'log10': case 'log2': case 'sqrt': return [0.2, 4];
    case 'asin': case 'acos': return [-0.9, 0.9];
    case 'tan': return [-1.2, 1.2];
    default: return [-3, 3];
  }
}

describe('op table', () => {
  const unary = OP_NAMES.filter((n) => ruleOf(n).arity === 1);
  const binary = OP_NAMES.filter((n) => ruleOf(n).arity === 2);

  for (const op of unary) {
    it(`${op}: the local derivative is the slope of the value (central differences, 40 points)`, () => {
      const rule = ruleOf(op);
      const [lo, hi] = domain(op);
      fc.assert(fc.property(fc.double({ min: lo, max: hi, noNaN: true }), (x) => {
        if (['abs', 'relu', 'leaky_relu', 'elu'].includes(op) && Math.abs(x) < 1e-2) return; // the kink
        const v = rule.value(x, NaN);
        const expected = derivative((t) => rule.value(t, NaN), x);
        const got = rule.local[0](x, NaN, v);
        assert.ok(near(got, expected), `${op}′(${x}) = ${got}, slope ${expected}`);
      }), { numRuns: 40, seed: 7 });
    });
  }

  for (const op of binary) {
    it(`${op}: both local derivatives are the partial slopes of the value`, () => {
      const rule = ruleOf(op);
      fc.assert(fc.property(fc.double({ min: 0.3, max: 3, noNaN: true }), fc.double({ min: 0.3, max: 2.5, noNaN: true }), fc.boolean(), (x, m, negative) => {
        const y = negative ? -m : m; // away from y = 0, where x/y has its pole
        const v = rule.value(x, y);
        assert.ok(near(rule.local[0](x, y, v), derivative((t) => rule.value(t, y), x)), `∂${op}/∂x at (${x}, ${y})`);
        assert.ok(near(rule.local[1](x, y, v), derivative((t) => rule.value(x, t), y)), `∂${op}/∂y at (${x}, ${y})`);
      }), { numRuns: 40, seed: 8 });
    });
  }

  it('known values: σ′(0) = 1/4, tanh′(0) = 1, relu′(0) = 0 and |x|′(0) = 0 (framework convention), d(x^y)/dy = x^y ln x', () => {
    assert.strictEqual(ruleOf('sigmoid').local[0](0, NaN, ruleOf('sigmoid').value(0, NaN)), 0.25);
    assert.strictEqual(ruleOf('tanh').local[0](0, NaN, 0), 1);
    assert.strictEqual(ruleOf('relu').local[0](0, NaN, 0), 0);
    assert.strictEqual(ruleOf('abs').local[0](0, NaN, 0), 0);
    assert.strictEqual(ruleOf('leaky_relu').local[0](-1, NaN, -0.01), 0.01);
    assert.ok(near(ruleOf('pow').local[1](2, 3, 8), 8 * Math.log(2), 1e-15));
  });

  it('the compiled templates compute the same values and local derivatives as the rules, bit for bit', () => {
    for (const op of [...unary, ...binary]) {
      const rule = ruleOf(op);
      const [lo, hi] = domain(op);
      for (let k = 0; k <= 10; k++) {
        const x = lo + ((hi - lo) * k) / 10 + 0.0123;
        const y = 0.5 + k / 7;
        // eslint-disable-next-line no-new-func -- the table's own fixed templates, no data
        const js = (t: string): number => new Function('$a', '$b', '$v', `${TEMPLATE_PRELUDE} return ${t.replace(/\$([abv])/g, '$$$1')};`)(x, y, rule.value(x, y)) as number;
        assert.ok(Object.is(js(rule.js), rule.value(x, y)), `${op} value template at ${x}`);
        rule.jsLocal.forEach((t, i) => assert.ok(Object.is(js(t), rule.local[i](x, y, rule.value(x, y))), `${op} local ${i} template at ${x}`));
      }
    }
  });
});

const PARAMS = ['x', 'y'];
const UNARY = ['exp', 'log', 'sqrt', 'abs', 'sin', 'cos', 'tan', 'atan', 'tanh', 'sigmoid', 'relu', 'softplus', 'square'];
const exprText: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y', '2', '0.5'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/'), tie('e')).map(([a, o, b]) => `(${a} ${o} ${b})`),
    fc.tuple(tie('e'), fc.constantFrom('2', '3')).map(([a, k]) => `(${a})^${k}`),
    fc.tuple(fc.constantFrom(...UNARY), tie('e')).map(([f, a]) => `${f}(${a})`),
  ),
})).e;

describe('chain rule along paths', () => {
  it('Σ over paths of the product of local derivatives = the adjoint of every node (400 random graphs)', () => {
    let checked = 0;
    fc.assert(fc.property(exprText, fc.double({ min: 0.1, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), (text, x, y) => {
      const def = findFunction(`f(x, y) = ${text}`, 'plaintext', 1);
      const tape = new Tape(def.body, PARAMS);
      tape.forward([x, y]);
      tape.backward();
      if (!Array.from(tape.values).every(Number.isFinite) || !Array.from(tape.adjoints).every((g) => Number.isFinite(g) && Math.abs(g) < 1e8)) return;
      // paths(n) = Σ over the paths from n up to the output of Π ∂parent/∂child,
      // computed top-down by the definition (every use of n, each use once).
      const uses: Array<Array<[number, number]>> = tape.nodes.map(() => []);
      tape.nodes.forEach((n) => n.args.forEach((a, k) => uses[a].push([n.id, k])));
      const memo = new Map<number, number>();
      const paths = (id: number): number => {
        if (id === tape.output) return 1;
        const known = memo.get(id);
        if (known !== undefined) return known;
        let s = 0;
        for (const [parent, k] of uses[id]) s += paths(parent) * tape.localDerivative(parent, k);
        memo.set(id, s);
        return s;
      };
      for (const n of tape.nodes) {
        if (tape.isConstant(n.id)) continue;
        assert.ok(near(paths(n.id), tape.adjoints[n.id], 1e-9), `node ${n.id} (${n.op}): paths ${paths(n.id)} vs adjoint ${tape.adjoints[n.id]} in ${text}`);
      }
      // and the compiled code agrees with the interpreter
      const g = new Float64Array(2);
      compileGradient(tape)([x, y], g);
      PARAMS.forEach((_, i) => assert.ok(Object.is(g[i], tape.adjoints[tape.inputs[i]]), `compiled ∂/∂${PARAMS[i]}`));
      checked++;
    }), { numRuns: 400, seed: 11 });
    assert.ok(checked >= 200, `only ${checked} graphs were finite`);
  });
});
