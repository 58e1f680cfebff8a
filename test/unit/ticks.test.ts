/**
 * Axis labels (src/webview/ticks.ts): the cases a review found — "1.5" twice,
 * "1E56" three times, "-0.0", "1.000000000000" — and what a person expects.
 */
import * as assert from 'assert';
import { linearTick, logTick } from '../../src/webview/ticks';
import { breakFormula } from '../../src/core/format';

const labels = (values: number[], f = linearTick): string[] => {
  const ticks = values.map((value) => ({ value }));
  return values.map((v, i) => f(v, i, ticks));
};

describe('axis ticks', () => {
  it('as many decimals as the step needs, the same on every tick, and no duplicates', () => {
    assert.deepStrictEqual(labels([1.4, 1.45, 1.5, 1.55, 1.6]), ['1.40', '1.45', '1.50', '1.55', '1.60']);
    assert.deepStrictEqual(labels([0, 0.25, 0.5, 0.75, 1]), ['0', '0.25', '0.50', '0.75', '1.00']);
    assert.deepStrictEqual(labels([-10, 0, 10, 20]), ['-10', '0', '10', '20']);
    // ends set by the data window (Chart.js includes them as ticks): the interior step decides
    assert.deepStrictEqual(labels([-1.387494, -1, -0.5, 0, 0.5, 1, 1.548929]), ['-1.4', '-1.0', '-0.5', '0', '0.5', '1.0', '1.5']);
    const many = labels(Array.from({ length: 11 }, (_, i) => 1.3 + i * 0.02));
    assert.strictEqual(new Set(many).size, many.length, many.join(' '));
  });

  it('an exact 0 instead of -0.0 or 5.5e-17, and floating-point noise hidden', () => {
    const t = labels([-0.2, -0.1, 0.1 - 0.1 - 5.551115123125783e-17, 0.1, 0.30000000000000004]);
    assert.deepStrictEqual(t, ['-0.2', '-0.1', '0', '0.1', '0.3']);
  });

  it('huge and tiny values in scientific notation with digits enough to tell ticks apart', () => {
    const t = labels([1.2e56, 1.4e56, 1.6e56]);
    assert.deepStrictEqual(t, ['1.2e56', '1.4e56', '1.6e56']);
    assert.deepStrictEqual(labels([2e-5, 4e-5, 6e-5]), ['2e-5', '4e-5', '6e-5']);
  });

  it('log axes: powers of ten, with 2 and 5 only over few decades; sparse over many', () => {
    assert.deepStrictEqual(labels([0.1, 0.2, 0.3, 0.5, 1], logTick), ['0.1', '0.2', '', '0.5', '1']);
    const wide = labels(Array.from({ length: 21 }, (_, k) => 10 ** (k - 10)), logTick).filter(Boolean);
    // 20 decades: every third power, evenly spaced, 1 among them
    assert.deepStrictEqual(wide, ['1e-9', '1e-6', '0.001', '1', '1000', '1e6', '1e9']);
  });
});


describe('long formulas in hovers', () => {
  it('break at top-level + and − into lines of about the width, never inside brackets', () => {
    const f = '∂f/∂x = 2x + 3 sin(x + y - 1) - 4 exp(-x) + 5 cos(2x) - 6(x - y + 2) + 7';
    const lines = breakFormula(f, 30).split('\n');
    assert.ok(lines.length >= 3, lines.join(' | '));
    assert.strictEqual(lines.map((l) => l.trim()).join(' '), f, 'nothing lost or reordered');
    for (const l of lines) {
      assert.strictEqual((l.match(/\(/g) ?? []).length, (l.match(/\)/g) ?? []).length, `balanced: ${l}`);
    }
    assert.ok(lines.slice(1).every((l) => /^ {4}[+-] /.test(l)), 'continuations start with their operator');
    assert.strictEqual(breakFormula('∂f/∂x = 2x', 30), '∂f/∂x = 2x');
  });
  it('a formula whose terms all sit inside a Σ\'s bracket breaks between terms inside it, and after the comma before m = …', () => {
    const f = '∂J/∂w[0] = (1/m) Σᵢ₌₁^m [(σ(X₀⁽ⁱ⁾ · w[0] + X₁⁽ⁱ⁾ · w[1] + b) − y⁽ⁱ⁾) · X₀⁽ⁱ⁾],  m = 6';
    assert.strictEqual(breakFormula(f, 40), '∂J/∂w[0] = (1/m) Σᵢ₌₁^m [(σ(X₀⁽ⁱ⁾ · w[0]\n    + X₁⁽ⁱ⁾ · w[1] + b)\n    − y⁽ⁱ⁾) · X₀⁽ⁱ⁾],  m = 6');
    assert.strictEqual(breakFormula(f, 60), '∂J/∂w[0] = (1/m) Σᵢ₌₁^m [(σ(X₀⁽ⁱ⁾ · w[0] + X₁⁽ⁱ⁾ · w[1] + b)\n    − y⁽ⁱ⁾) · X₀⁽ⁱ⁾],  m = 6');
    assert.strictEqual(breakFormula('∂J/∂b = (1/m) Σᵢ₌₁^m [σ(z⁽ⁱ⁾) − y⁽ⁱ⁾],  m = 6', 40), '∂J/∂b = (1/m) Σᵢ₌₁^m [σ(z⁽ⁱ⁾) − y⁽ⁱ⁾],\n    m = 6');
    // of the places that fit, the outermost: the − before y⁽ⁱ⁾ (inside [ ) rather than the + b (inside σ( )
    assert.strictEqual(breakFormula('J = Σ [(σ(a + b) − y) · x] + Σ [(σ(c + d) − z) · x]', 28), 'J = Σ [(σ(a + b) − y) · x]\n    + Σ [(σ(c + d) − z) · x]');
    assert.strictEqual(breakFormula('J = Σ [(σ(a + b) − yy) · xx]', 20), 'J = Σ [(σ(a + b)\n    − yy) · xx]');
  });
});
