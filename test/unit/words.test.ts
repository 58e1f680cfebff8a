/**
 * One vocabulary (expr/vocabulary.ts) for every reader: each function name and constant of the table
 * is accepted by the math parser and by the code interpreter (Python bare and under np., JavaScript
 * under Math.), with the same value and the same derivative at a sample point. The expected numbers
 * come from the plain JavaScript functions below (written here, not from the table), the expected
 * derivative from their central differences. A refusal's "supported" list is the table's names.
 */
import * as assert from 'assert';
import { UserError } from '../../src/core/errors';
import { findDefinition } from '../../src/core/find';
import type { LanguageId } from '../../src/core/source/definition';
import type { FunctionDefinition } from '../../src/core/source/definition';
import { Tape } from '../../src/core/autodiff/tape';
import { CONSTANTS, FUNCTIONS } from '../../src/core/expr/vocabulary';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
/** Each name's meaning by hand, at x (a power's exponent is 1.5). */
const PLAIN: Record<string, (x: number) => number> = {
  exp: Math.exp, log: Math.log, log10: Math.log10, log2: Math.log2, sqrt: Math.sqrt, abs: Math.abs,
  sin: Math.sin, cos: Math.cos, tan: Math.tan, asin: Math.asin, acos: Math.acos, atan: Math.atan,
  sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh, sigmoid, relu: (x) => Math.max(0, x),
  softplus: (x) => Math.log1p(Math.exp(x)), square: (x) => x * x,
  ln: Math.log, expit: sigmoid, arcsin: Math.asin, arccos: Math.acos, arctan: Math.atan, fabs: Math.abs, absolute: Math.abs,
  pow: (x) => x ** 1.5, power: (x) => x ** 1.5, log1p: Math.log1p, expm1: Math.expm1,
};
/** Sample points inside every domain (asin/acos need |x| < 1) and away from kinks; negative for abs and relu's other side. */
const POINTS = [0.37, -0.61];

function read(source: string, language: LanguageId, line: number): FunctionDefinition {
  const d = findDefinition(source, language, line);
  assert.strictEqual(d.kind, 'function', `${source}: ${d.kind}`);
  return d as FunctionDefinition;
}

function valueAndSlope(d: FunctionDefinition, x: number): { value: number; slope: number } {
  assert.deepStrictEqual(d.params, ['x']);
  const { value, gradient } = new Tape(d.body, d.params).valueAndGradient([x]);
  return { value, slope: gradient[0] };
}

const close = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol * (1 + Math.abs(b));

describe('one vocabulary for the math parser and the interpreter', () => {
  it('the test knows every name of the table (a new name needs its meaning by hand here)', () => {
    assert.deepStrictEqual(Object.keys(PLAIN).sort(), [...FUNCTIONS.keys()].sort());
  });

  for (const name of FUNCTIONS.keys()) {
    it(`${name}: same value and derivative in math notation, Python and JavaScript, against the plain function`, () => {
      const args = FUNCTIONS.get(name)?.arity === 2 ? 'x, 1.5' : 'x';
      const readings: Array<[string, FunctionDefinition]> = [
        ['math', read(`f(x) = ${name}(${args})`, 'plaintext', 1)],
        ['python', read(`def f(x):\n    return ${name}(${args})\n`, 'python', 1)],
        ['python np.', read(`import numpy as np\n\ndef f(x):\n    return np.${name}(${args})\n`, 'python', 3)],
        ['js Math.', read(`function f(x) {\n  return Math.${name}(${args});\n}\n`, 'javascript', 1)],
      ];
      for (const x of POINTS) {
        if (Number.isNaN(PLAIN[name](x))) continue; // outside the domain (log, sqrt, pow of a negative)
        const h = 1e-6;
        const want = PLAIN[name](x);
        const slope = (PLAIN[name](x + h) - PLAIN[name](x - h)) / (2 * h);
        const [, first] = readings[0];
        const base = valueAndSlope(first, x);
        for (const [reader, d] of readings) {
          const got = valueAndSlope(d, x);
          assert.ok(close(got.value, want, 1e-12), `${reader} ${name}(${x}) = ${got.value}, by hand ${want}`);
          assert.ok(close(got.slope, slope, 1e-6), `${reader} ${name}′(${x}) = ${got.slope}, by differences ${slope}`);
          assert.ok(close(got.value, base.value, 1e-14) && close(got.slope, base.slope, 1e-14), `${reader} and math notation differ for ${name} at ${x}`);
        }
      }
    });
  }

  it('the constants mean the same number in math notation, np./math./torch. and Math.', () => {
    for (const [name, c] of CONSTANTS) {
      assert.strictEqual(valueAndSlope(read(`f(x) = x * ${name}`, 'plaintext', 1), 1).value, c.value, `math ${name}`);
      if (name === 'π') continue; // not a name in code
      for (const mod of ['np', 'math', 'torch']) {
        assert.strictEqual(valueAndSlope(read(`import ${mod === 'np' ? 'numpy as np' : mod}\n\ndef f(x):\n    return x * ${mod}.${name}\n`, 'python', 3), 1).value, c.value, `${mod}.${name}`);
      }
      assert.strictEqual(valueAndSlope(read(`function f(x) {\n  return x * Math.${name};\n}\n`, 'javascript', 1), 1).value, c.value, `Math.${name}`);
    }
    assert.strictEqual(Math.PI, CONSTANTS.get('pi')?.value);
    assert.strictEqual(Math.E, CONSTANTS.get('e')?.value);
  });

  it("a refusal's supported list is the table's names, in every reader", () => {
    const names = [...FUNCTIONS.keys()];
    const listIn = (source: string, language: LanguageId, line: number, pattern: RegExp): string[] => {
      let message = '';
      assert.throws(() => read(source, language, line), (e: unknown) => { assert.ok(e instanceof UserError, String(e)); message = e.message; return true; });
      const m = pattern.exec(message);
      assert.ok(m, message);
      return m[1].split(', ');
    };
    assert.deepStrictEqual(listIn('f(x) = hinge(x)', 'plaintext', 1, /supported: ([^)]*)\)/), names);
    assert.deepStrictEqual(listIn('def f(x):\n    return hinge(x)\n', 'python', 1, /or use ([^)]*)\)/), names);
    assert.deepStrictEqual(listIn('import numpy as np\n\ndef f(x):\n    return np.hinge(x)\n', 'python', 3, /supported: ([^;]*);/), names);
    assert.deepStrictEqual(listIn('function f(x) {\n  return Math.hinge(x);\n}\n', 'javascript', 1, /supported: ([^;]*);/), names);
  });
});
