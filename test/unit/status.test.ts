/**
 * What the end of a descent is, on functions whose end is known by hand: a
 * bowl's minimum, the saddle of x² − y², w³ falling without limit, the flat
 * tail of a sigmoid, η past 2/L. And as properties: a positive-definite
 * quadratic descended with a small η converges; the same with a negative
 * eigenvalue, started on the stable manifold, never does.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { Tape } from '../../src/core/autodiff/tape';
import { gradientFunction } from '../../src/core/autodiff/compile';
import { DESCENT_STATUSES, DescentTrace, runDescent } from '../../src/core/descent';
import { symmetricEigen } from '../../src/core/eigen';
import { findFunction } from '../../src/core/find';
import { numericHessian } from '../../src/core/numeric';
import { ROOT } from './helpers';

const tapeOf = (src: string): Tape => {
  const d = findFunction(src, 'plaintext', 1);
  return new Tape(d.body, d.params);
};
const descend = (src: string, start: Record<string, number>, learningRate: number, maxSteps = 1000): DescentTrace =>
  runDescent(tapeOf(src), { learningRate, maxSteps, optimizer: 'gd', start });

describe('the end of a descent', () => {
  it('a bowl (x − 1)² + 2(y + 2)² converges at its minimum', () => {
    const t = descend('f(x, y) = (x - 1)^2 + 2*(y + 2)^2', { x: 0, y: 0 }, 0.1);
    assert.strictEqual(t.status, 'converged', t.message);
    const end = t.steps[t.steps.length - 1].point;
    assert.ok(Math.abs(end[0] - 1) < 1e-8 && Math.abs(end[1] + 2) < 1e-8, String(end));
    assert.match(t.message, /^converged after \d+ steps: ‖∇f‖ = /);
  });

  it('x² − y² from (1, 0) runs into the saddle at 0 and says f curves down along y with curvature −2', () => {
    const t = descend('f(x, y) = x^2 - y^2', { x: 1, y: 0 }, 0.1);
    assert.strictEqual(t.status, 'saddle', t.message);
    // ∂²f/∂y² = −2 by hand
    assert.match(t.message, /^saddle point after \d+ steps: .*curves down along y \(curvature -2\)/);
  });

  it('w³ at its inflection point 0 is a saddle: f still falls towards smaller w', () => {
    const t = descend('f(w) = w^3', { w: 0 }, 0.1);
    assert.strictEqual(t.status, 'saddle', t.message);
    // 0.001 towards smaller w: f = (−0.001)³ = −1e-9
    assert.match(t.message, /a step of 0\.001 towards smaller w lowers f to -1\.000e-9/);
  });

  it('w³ from −0.5 is unbounded, and the odd power is named as the reason', () => {
    const t = descend('f(w) = w^3', { w: -0.5 }, 0.1);
    assert.strictEqual(t.status, 'unbounded', t.message);
    const values = t.steps.map((s) => s.value);
    for (let k = 1; k < values.length; k++) assert.ok(values[k] < values[k - 1], `f fell at step ${k}`);
    assert.match(t.message, /w\^3 is an odd power, which has no minimum/);
    assert.match(t.message, /No learning rate helps/);
  });

  it('a product a·b from (1, −0.5) is unbounded: a product of parameters has no minimum', () => {
    const t = descend('f(a, b) = a * b', { a: 1, b: -0.5 }, 0.1);
    assert.strictEqual(t.status, 'unbounded', t.message);
    assert.match(t.message, /a·b is a product of parameters, which has no minimum/);
  });

  it('(1/(1 + e^−w) − 1)² from w = −30 stalls on the flat tail: its gradient is ~1e-13, yet 30 farther f is 0.25', () => {
    const t = descend('f(w) = (1/(1 + exp(-w)) - 1)^2', { w: -30 }, 0.1);
    assert.strictEqual(t.status, 'stalled', t.message);
    // the first probe that finds f lower: 30 (= 1 × max(1, |w|)) towards larger w, where f(0) = (1/2 − 1)² = 0.25
    assert.match(t.message, /because f is flat here .* a step of 30 towards larger w lowers f to 0\.25 from 1$/);
  });

  it('sigmoid(w) far in its tail is named: its argument −30 and its slope σ′(−30)', () => {
    const t = descend('f(w) = (sigmoid(w) - 1)^2', { w: -30 }, 0.1);
    assert.strictEqual(t.status, 'stalled', t.message);
    const slope = Math.exp(-30) / (1 + Math.exp(-30)) ** 2;
    assert.ok(t.message.includes(`because sigmoid(w) saturated (its argument is -30, where its slope is ${slope.toExponential(3)})`), t.message);
  });

  it('a sigmoid saturated at a true minimum is not a stall: σ(w² + 30) is least at w = 0', () => {
    assert.strictEqual(descend('f(w) = sigmoid(w^2 + 30)', { w: 0 }, 0.1).status, 'converged');
  });

  it('η past 2/L diverges and says L: 2w² has L = 4, so η = 0.6 is past 2/L = 0.5', () => {
    const t = descend('f(w) = 2*w^2', { w: 1 }, 0.6);
    assert.strictEqual(t.status, 'diverged', t.message);
    assert.match(t.message, /it is past 2\/L = 0\.5, where L = 4 is the largest curvature at step 0/);
  });

  it('a flat minimum is still a minimum: (w + b − 3)² has a level valley along w = −b', () => {
    assert.strictEqual(descend('f(w, b) = (w + b - 3)^2', { w: 0, b: 0 }, 0.1).status, 'converged');
  });
});

describe('the curvature behind the statuses', () => {
  it('Jacobi: the eigenvalues of [[2, 1], [1, 2]] are 1 and 3 with eigenvectors (1, ∓1)/√2', () => {
    const { values, vectors } = symmetricEigen([[2, 1], [1, 2]]);
    assert.ok(Math.abs(values[0] - 1) < 1e-14 && Math.abs(values[1] - 3) < 1e-14, String(values));
    assert.ok(Math.abs(Math.abs(vectors[0][0]) - Math.SQRT1_2) < 1e-14 && Math.abs(vectors[0][0] + vectors[0][1]) < 1e-14);
  });

  it('Jacobi: A·v = λ·v for every pair of a random symmetric 6 × 6 matrix, and the values sum to the trace', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 36, maxLength: 36 }), (entries) => {
      const A = Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (__, j) => (entries[6 * i + j] + entries[6 * j + i]) / 2));
      const { values, vectors } = symmetricEigen(A);
      values.forEach((l, k) => {
        const v = vectors[k];
        A.forEach((row, i) => assert.ok(Math.abs(row.reduce((s, a, j) => s + a * v[j], 0) - l * v[i]) < 1e-10, `pair ${k}`));
      });
      const trace = A.reduce((s, row, i) => s + row[i], 0);
      assert.ok(Math.abs(values.reduce((s, l) => s + l, 0) - trace) < 1e-10);
    }), { numRuns: 100, seed: 17 });
  });

  it('the Hessian of x²y + y³ at (1, 2) by differences of the tape\'s gradient is [[2y, 2x], [2x, 6y]] = [[4, 2], [2, 12]]', () => {
    const H = numericHessian(gradientFunction(tapeOf('f(x, y) = x^2*y + y^3')), [1, 2]);
    [[4, 2], [2, 12]].forEach((row, i) => row.forEach((h, j) => assert.ok(Math.abs(H[i][j] - h) < 1e-8, `H[${i}][${j}] = ${H[i][j]}`)));
  });
});

/** A 2 × 2 symmetric matrix R·diag(l1, l2)·Rᵀ, R the rotation by `angle`, as f(x, y) = ½[x y]A[x y]ᵀ + px + qy in text. */
function quadratic(l1: number, l2: number, angle: number, p: number, q: number): { src: string; A: number[][] } {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  // rounded to 9 decimals so the text is exact; the eigenvalues move by about 1e-9
  const r = (v: number): number => Number(v.toFixed(9));
  const A = [[r(l1 * c * c + l2 * s * s), r((l1 - l2) * c * s)], [r((l1 - l2) * c * s), r(l1 * s * s + l2 * c * c)]];
  const t = (v: number): string => `(${v.toFixed(9)})`;
  return { src: `f(x, y) = 0.5*${t(A[0][0])}*x^2 + ${t(A[0][1])}*x*y + 0.5*${t(A[1][1])}*y^2 + ${t(p)}*x + ${t(q)}*y`, A };
}

describe('statuses as properties of quadratics', () => {
  const eigenvalue = fc.integer({ min: 1, max: 10 }).map((k) => k / 2);
  const angle = fc.integer({ min: 0, max: 179 }).map((d) => (d * Math.PI) / 180);
  const coordinate = fc.integer({ min: -5, max: 5 });

  it('a positive-definite quadratic descended with η = 0.2/L is converged, at the solution of A·x = −b (60 runs)', () => {
    fc.assert(fc.property(eigenvalue, eigenvalue, angle, coordinate, coordinate, coordinate, coordinate, (l1, l2, a, p, q, x0, y0) => {
      const { src, A } = quadratic(l1, l2, a, p, q);
      const L = Math.max(l1, l2);
      const t = descend(src, { x: x0, y: y0 }, 0.2 / L, 5000);
      assert.strictEqual(t.status, 'converged', `${src}: ${t.message}`);
      // the minimum by Cramer's rule
      const det = A[0][0] * A[1][1] - A[0][1] * A[1][0];
      const x = (-p * A[1][1] + q * A[0][1]) / det;
      const y = (-q * A[0][0] + p * A[1][0]) / det;
      const end = t.steps[t.steps.length - 1].point;
      assert.ok(Math.abs(end[0] - x) < 1e-6 && Math.abs(end[1] - y) < 1e-6, `${end} vs ${x}, ${y}`);
    }), { numRuns: 60, seed: 3 });
  });

  it('with a negative eigenvalue, started on the stable manifold (the positive eigenvector through the saddle), it is never converged (60 runs)', () => {
    fc.assert(fc.property(eigenvalue, eigenvalue, angle, fc.integer({ min: 1, max: 5 }), (l1, l2, a, r) => {
      // no linear term: the saddle is at 0 and the stable manifold is the line along (cos a, sin a)
      const { src } = quadratic(l1, -l2, a, 0, 0);
      const t = descend(src, { x: r * Math.cos(a), y: r * Math.sin(a) }, 0.2 / Math.max(l1, l2), 5000);
      assert.notStrictEqual(t.status, 'converged', `${src}: ${t.message}`);
      if (t.status === 'saddle') assert.match(t.message, /curves down along/);
    }), { numRuns: 60, seed: 5 });
  });
});

describe('the panel colours the status', () => {
  it('every status has a colour of its own rule in panel.css, and only converged is green', () => {
    const css = fs.readFileSync(path.join(ROOT, 'media', 'panel.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    const rules = [...css.matchAll(/([^{}]+)\{([^}]*)\}/g)].map((m) => ({ selectors: m[1].split(',').map((s) => s.trim()), body: m[2] }));
    for (const s of DESCENT_STATUSES) {
      const own = rules.filter((r) => r.selectors.includes(`.status.${s}`));
      assert.ok(own.some((r) => /border-color:/.test(r.body)), `a border colour for ${s}`);
      assert.strictEqual(own.some((r) => /green/.test(r.body)), s === 'converged', `green for ${s}`);
    }
  });
});
