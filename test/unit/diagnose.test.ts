/**
 * Diagnoses in words: what the panel and the command line say about a
 * descent or a training run, checked on cases whose behaviour is known by
 * hand (w² has curvature L = 2, so η = 1 = 2/L bounces forever and η = 0.8
 * zig-zags inwards; |x| from 1 with η = 0.3 crosses its kink at step 4).
 */
import * as assert from 'assert';
import { analyzeFunction } from '../../src/core/analysis';
import { diagnoseNetwork } from '../../src/core/diagnose';
import { findFunction } from '../../src/core/find';

const run = (src: string, lr: number, steps: number, start: Record<string, number>): string[] =>
  analyzeFunction(findFunction(src, 'plaintext', 1), { learningRate: lr, maxSteps: steps, optimizer: 'gd', start }).diagnoses;

describe('diagnoses', () => {
  it('η = 2/L on w²: oscillation forever, with L = 2 read from the path', () => {
    const d = run('f(w) = w^2', 1, 20, { w: 1 });
    assert.strictEqual(d.length, 1, d.join('\n'));
    assert.match(d[0], /^oscillation: the step in w flips sign 20 times in a row from step 0\. The curvature along w is about L = 2, and η = 1 is exactly 2\/L = 1: each step lands exactly as far on the other side of the minimum, forever\. With η below 1\/L = 0\.5/);
  });

  it('1/L < η < 2/L: a damped zig-zag; η > 2/L: farther away each step', () => {
    assert.match(run('f(w) = w^2', 0.8, 20, { w: 1 })[0], /between 1\/L and 2\/L = 1: each step overshoots the minimum but lands a little closer/);
    assert.match(run('f(w) = w^2', 1.1, 20, { w: 1 })[0], /past 2\/L = 1: each step overshoots the minimum and lands farther away/);
    assert.deepStrictEqual(run('f(w) = w^2', 0.3, 200, { w: 1 }), [], 'η < 1/L converges without comment');
  });

  it('|x| from 1 with η = 0.3 crosses the kink between steps 3 and 4 and keeps bouncing', () => {
    // x: 1 → 0.7 → 0.4 → 0.1 → −0.2 → 0.1 → …
    const d = run('g(x) = abs(x)', 0.3, 20, { x: 1 });
    assert.ok(d.some((m) => /^kink: between steps 3 and 4 the path crossed the kink of \|u\| at u = 0, where g has no derivative/.test(m)), d.join('\n'));
    assert.ok(d.some((m) => /bouncing across a kink/.test(m)), 'the oscillation is attributed to the kink, not to a curvature');
  });

  it('a run cut short by the step limit while still descending says so', () => {
    const d = run('f(w) = (w - 3)^2', 0.01, 10, { w: 0 });
    assert.strictEqual(d.length, 1);
    assert.match(d[0], /^step limit: f fell from 9 to [\d.]+ in 10 steps and ‖∇f‖ is still [\d.]+: it was still descending/);
  });

  it('networks: dead ReLUs, saturated units, vanishing gradients and a plateau, each located', () => {
    // layer 1: 3 relu units over 2 samples; unit 2 is never positive
    const z1 = Float64Array.from([1, -1, 0.5, 2, -3, -0.1]);
    // layer 2: 2 tanh units, all pinned at ±1
    const a2 = Float64Array.from([0.999, -0.995, 0.998, -0.999]);
    const d = diagnoseNetwork({
      units: [3, 2, 1], activations: ['relu', 'tanh', 'sigmoid'],
      z: [z1, Float64Array.from([5, -5, 5, -5]), new Float64Array(2)], a: [z1.map((v) => Math.max(v, 0)), a2, new Float64Array(2)], count: 2,
      gradNorms: [1e-12, 1e-3, 0.5],
      losses: Array.from({ length: 150 }, () => 0.6931),
    });
    assert.ok(d.some((m) => /^dead ReLUs: 1 of 3 units in layer 1 are never active/.test(m)), d.join('\n'));
    assert.ok(d.some((m) => /^saturation: 100% of the tanh activations in layer 2/.test(m)), d.join('\n'));
    assert.ok(d.some((m) => /^vanishing gradients: ‖∂L\/∂W‖ is 1\.000e-12 in layer 1 against 0\.5 in layer 3/.test(m)), d.join('\n'));
    assert.ok(d.some((m) => /^plateau: the loss stayed at 0\.6931 for the last 100 epochs/.test(m)), d.join('\n'));
    // and a healthy run says nothing
    assert.deepStrictEqual(diagnoseNetwork({
      units: [2, 1], activations: ['tanh', 'sigmoid'], z: [Float64Array.from([0.3, -0.2]), new Float64Array(1)], a: [Float64Array.from([0.29, -0.19]), new Float64Array(1)], count: 1,
      gradNorms: [0.1, 0.2], losses: Array.from({ length: 150 }, (_, k) => 1 / (k + 1)),
    }), []);
  });
});
