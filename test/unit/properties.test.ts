/**
 * Property-based checks over random expressions built from every supported
 * function: the symbolic (mathjs), backprop (tape) and numeric (central
 * differences) gradients agree wherever f is defined and smooth; random text
 * never makes the parser throw anything but a located UserError.
 */
import * as assert from 'assert';
import fc from 'fast-check';
import { Tape } from '../../src/core/autodiff/tape';
import { gradientFunction } from '../../src/core/autodiff/compile';
import { UserError } from '../../src/core/errors';
import { toMathString } from '../../src/core/expr/ast';
import { numericGradient, close } from '../../src/core/numeric';
import { findFunction } from '../../src/core/find';
import { symbolicGradient } from '../../src/core/symbolic';

const PARAMS = ['x', 'y'];
const UNARY = ['exp', 'log', 'log10', 'log2', 'sqrt', 'abs', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'sigmoid', 'relu', 'softplus', 'square'];

/** Random expression text in math notation over x and y. */
const exprText: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y', '2', '0.5', '3', 'pi'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/'), tie('e')).map(([a, o, b]) => `(${a} ${o} ${b})`),
    fc.tuple(tie('e'), fc.constantFrom('2', '3', '0.5')).map(([a, k]) => `(${a})^${k}`),
    fc.tuple(fc.constantFrom(...UNARY), tie('e')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `pow(${a}, 2) + ${b}`),
    tie('e').map((a) => `-(${a})`),
  ),
})).e;

const point = fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }));

describe('properties', function () {
  this.timeout(120_000);

  it('symbolic, backprop and numeric gradients agree wherever f is smooth (700 random expressions, at least 300 of them smooth at their point)', () => {
    let compared = 0;
    fc.assert(
      fc.property(exprText, point, (text, [x, y]) => {
        const def = findFunction(`f(x, y) = ${text}`, 'plaintext', 1);
        const tape = new Tape(def.body, PARAMS);
        const p = [x, y];
        const f = tape.forward(p);
        const bp = Array.from(tape.backward());
        // the compiled straight-line code computes exactly what the interpreter does
        const g = new Float64Array(2);
        const fc2 = gradientFunction(tape)(p, g);
        assert.ok(Object.is(fc2, f) || Math.abs(fc2 - f) <= 1e-12 * Math.abs(f), `compiled f ${fc2} vs ${f}`);
        for (let i = 0; i < 2; i++) assert.ok(Object.is(g[i], bp[i]) || Math.abs(g[i] - bp[i]) <= 1e-12 * (1 + Math.abs(bp[i])), `compiled ∂/∂${PARAMS[i]} ${g[i]} vs ${bp[i]}`);
        if (!Number.isFinite(f) || Math.abs(f) > 1e8) return; // outside the domain: nothing to compare
        // Smoothness probe: near kinks and poles finite differences are meaningless.
        const h = 1e-3;
        const around = [[x + h, y], [x - h, y], [x, y + h], [x, y - h]].map((q) => tape.evaluate(q));
        if (!around.every(Number.isFinite)) return;
        const curvature = Math.max(Math.abs(around[0] + around[1] - 2 * f), Math.abs(around[2] + around[3] - 2 * f)) / (h * h);
        // A kink (abs, relu at 0): one-sided slopes differ.
        const kink = [[around[0], around[1]], [around[2], around[3]]].some(([up, down]) => !close((up - f) / h, (f - down) / h, 1e-3, 1e-2));
        if (kink || curvature > 1e4 || !bp.every(Number.isFinite) || bp.some((g) => Math.abs(g) > 1e6)) return;
        const numeric = numericGradient((q) => tape.evaluate(q), p);
        const sym = symbolicGradient(def.body, PARAMS);
        assert.ok(sym.ok, `symbolic failed on ${toMathString(def.body)}`);
        for (let i = 0; i < 2; i++) {
          const s = sym.partials[PARAMS[i]].evaluate({ x, y });
          // A kink exactly crossed by the stencil shows as disagreement; the curvature probe excludes most.
          if (!Number.isFinite(numeric[i])) return;
          assert.ok(close(bp[i], numeric[i]), `backprop ∂/∂${PARAMS[i]} ${bp[i]} vs numeric ${numeric[i]} for ${toMathString(def.body)} at (${x}, ${y})`);
          assert.ok(Number.isFinite(s) && close(s, numeric[i]), `symbolic ∂/∂${PARAMS[i]} = ${sym.partials[PARAMS[i]].text} = ${s} vs numeric ${numeric[i]} for ${toMathString(def.body)} at (${x}, ${y})`);
        }
        compared++;
      }),
      { numRuns: 700, seed: 20261128 },
    );
    assert.ok(compared >= 300, `only ${compared} expressions were smooth at their point`);
    console.log(`      ${compared} of 700 random expressions compared (the others are undefined or not smooth at their random point)`);
  });

  it('random text never throws anything but a located UserError (1000 inputs)', () => {
    const alphabet = fc.constantFrom(...'xyz()+-*/^.,=;:$\\{}[]"\'`#\n _0123456789abcdefθ√²−×'.split(''), 'def ', 'return ', 'lambda ', 'function ', '=>', 'const ', '**', 'np.', 'Math.', '\\frac', 'sin(', 'f(x) = ', 'f(x, y) =');
    const text = fc.array(alphabet, { maxLength: 60 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, fc.constantFrom('plaintext', 'markdown', 'python', 'javascript', 'typescript'), fc.integer({ min: 1, max: 5 }), (src, lang, line) => {
        try {
          const def = findFunction(src, lang, line);
          // what parses must evaluate without throwing
          new Tape(def.body, def.params).evaluate(def.params.map(() => 0.5));
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          const lines = src.split('\n').length;
          assert.ok(e.line >= 1 && e.line <= Math.max(lines, line), `line ${e.line} out of range`);
          assert.ok(e.column >= 1, 'column ≥ 1');
          assert.ok(e.message.length > 0);
        }
      }),
      { numRuns: Number(process.env.PROP_RUNS ?? 1000), seed: Number(process.env.PROP_SEED ?? 42) },
    );
  });
});
