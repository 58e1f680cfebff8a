import * as assert from 'assert';
import { analyzeFunction } from '../../src/core/analysis';
import { runDescent } from '../../src/core/descent';
import { Tape } from '../../src/core/autodiff/tape';
import { findFunction } from '../../src/core/find';
import { parseFromWebview, parseToWebview } from '../../src/protocol';
import { functionView } from '../../src/core/viewModel';

const def = (src: string, lang = 'plaintext', line = 1) => findFunction(src, lang, line);
const tape = (src: string) => {
  const d = def(src);
  return new Tape(d.body, d.params);
};

describe('descent', () => {
  it('gradient descent on (w-3)^2 follows w ← w − η·2(w−3) exactly', () => {
    const t = runDescent(tape('f(w) = (w - 3)^2'), { learningRate: 0.1, maxSteps: 5, optimizer: 'gd', start: { w: 0 } });
    let w = 0;
    for (let k = 0; k <= 5; k++) {
      assert.ok(Math.abs(t.steps[k].point[0] - w) < 1e-12, `step ${k}`);
      w = w - 0.1 * 2 * (w - 3);
    }
    assert.strictEqual(t.status, 'max-steps');
    assert.ok(Math.abs((t.steps[0].update as number[])[0] - 0.1 * -6) < 1e-12, 'update η·f′');
  });
  it('converges when ‖∇f‖ falls below the tolerance', () => {
    const t = runDescent(tape('f(w) = (w - 3)^2'), { learningRate: 0.5, maxSteps: 100, optimizer: 'gd', start: { w: 0 } });
    assert.strictEqual(t.status, 'converged');
    assert.strictEqual(t.steps.length, 2, 'η = 0.5 reaches the minimum in one step');
    assert.match(t.message, /converged after 1 steps/);
  });
  it('diverges with η too large and says so at the step it detected it', () => {
    const t = runDescent(tape('f(w) = w^2'), { learningRate: 1.5, maxSteps: 50, optimizer: 'gd', start: { w: 1 } });
    assert.strictEqual(t.status, 'diverged');
    const k = t.steps.length - 1;
    assert.ok(k < 50);
    assert.match(t.message, new RegExp(`diverged at step ${k}`));
    assert.match(t.message, /too large/);
  });
  it('reports undefined when a step leaves the domain', () => {
    // f(x) = sqrt(x) + x: the slope pushes x below 0
    const t = runDescent(tape('f(x) = sqrt(x) + x'), { learningRate: 1, maxSteps: 20, optimizer: 'gd', start: { x: 0.5 } });
    assert.strictEqual(t.status, 'undefined');
    assert.match(t.message, /undefined at x = -?[0-9.e-]+/);
  });
  // every optimizer's rule is checked step by step in optimizers.test.ts
});

describe('analysis', () => {
  it('flags abs at 0 where symbolic and numeric disagree', () => {
    const a = analyzeFunction(def('f(x) = abs(x)'), { start: { x: 0 } });
    assert.strictEqual(a.checks[0].disagree, true);
    assert.strictEqual(a.gradientAt.x, null);
    assert.strictEqual(a.numericGradientAt.x, 0);
  });
  it('relu at 0 is flagged too, and fine elsewhere', () => {
    assert.strictEqual(analyzeFunction(def('f(x) = relu(x)'), { start: { x: 0 } }).checks[0].disagree, true);
    const a = analyzeFunction(def('f(x) = relu(x)'), { start: { x: 2 } });
    assert.strictEqual(a.checks[0].disagree, false);
    assert.strictEqual(a.gradientAt.x, 1);
  });
  it('log of a negative: undefined with the reason, no number shown', () => {
    const a = analyzeFunction(def('f(x) = log(x) + x'), { start: { x: -1 } });
    assert.strictEqual(a.value, null);
    assert.match(a.undefinedAt?.message ?? '', /f is undefined at x = -1 \(log of a negative number/);
    assert.strictEqual(a.descent.status, 'undefined');
  });
  it('the start point defaults to the signature default, else 1', () => {
    const a = analyzeFunction(def('def f(x, y=3):\n    return x + y\n', 'python'), {});
    assert.deepStrictEqual(a.at, { x: 1, y: 3 });
  });
  it('symbolic partials are simplified and written as a person writes them', () => {
    const a = analyzeFunction(def('f(x, y) = x^2 + 3*y^2'), {});
    assert.strictEqual(a.gradient.x, '2x');
    assert.strictEqual(a.gradient.y, '6y');
    // each rule of the tidy-up, as exact strings (the style of mathjs' derivative tests)
    const g = (src: string, p = 'x'): string => analyzeFunction(def(src), {}).gradient[p];
    assert.strictEqual(g('f(x) = 2.1*x^2 - 0.5*x'), '4.2x - 0.5', 'decimals stay decimals; no + −');
    assert.strictEqual(g('f(x) = abs(x)'), 'sign(x)', 'd|x|/dx = sign(x)');
    assert.strictEqual(g('f(w) = (w - 3)^2', 'w'), '2(w - 3)', 'an implicit product before a bracket');
    assert.strictEqual(g('f(w, b) = tanh(3*w + b) - 0.5', 'w'), '3(1 - tanh(3w + b)^2)', 'coefficients first, powers tight, tanh′ = 1 − tanh²');
    assert.strictEqual(g('f(x, y) = x^2 + 3*y^2 - x*y', 'y'), '6y - x');
    assert.strictEqual(g('f(x) = -3*x + 1'), '-3');
    // and the symbolic value is still evaluated from the untidied derivative: undefined at the kink
    assert.strictEqual(analyzeFunction(def('f(x) = abs(x)'), { start: { x: 0 } }).checks[0].disagree, true);
  });
});

describe('view model', () => {
  it('1-D: a curve that contains the path', () => {
    const v = functionView(def('f(w) = (w - 3)^2 + 1'), 'f.txt', { learningRate: 0.1, maxSteps: 30, optimizer: 'gd', start: { w: 0 } });
    assert.strictEqual(v.plot.kind, 'curve');
    if (v.plot.kind !== 'curve') return;
    const xs = v.plot.xs;
    assert.ok(xs[0] <= 0 && xs[xs.length - 1] >= 3, `curve spans the path: ${xs[0]}..${xs[xs.length - 1]}`);
    const i = xs.findIndex((x) => x >= 3);
    assert.ok(Math.abs((v.plot.ys[i] as number) - ((xs[i] - 3) ** 2 + 1)) < 1e-9);
  });
  it('2-D: a grid over both parameters; >2: a slice through a step over the chosen pair', () => {
    const v = functionView(def('f(x, y) = x^2 + 3y^2'), 'f.txt', { learningRate: 0.1, maxSteps: 10, optimizer: 'gd', start: { x: 2, y: 1 } });
    assert.strictEqual(v.plot.kind, 'contour');
    const w = functionView(def('f(a, b, c) = a^2 + b^2 + c^2'), 'f.txt', { learningRate: 0.1, maxSteps: 10, optimizer: 'gd', start: { a: 1, b: 1, c: 1 }, slice: { x: 'c', y: 'a', step: 3 } });
    assert.ok(w.plot.kind === 'contour' && w.plot.x.param === 'c' && w.plot.y.param === 'a');
    if (w.plot.kind !== 'contour') return;
    // the slice goes through step 3, where b = 0.8³
    assert.ok(Math.abs((w.plot.through?.[1] as number) - 0.8 ** 3) < 1e-12);
  });
});

describe('protocol validation', () => {
  it('accepts well-formed messages from the webview', () => {
    assert.deepStrictEqual(parseFromWebview({ type: 'ready' }), { type: 'ready', shown: false });
    assert.deepStrictEqual(parseFromWebview({ type: 'ready', shown: true }), { type: 'ready', shown: true });
    assert.deepStrictEqual(parseFromWebview({ type: 'ready', shown: 'yes' }), { type: 'ready', shown: false });
    assert.deepStrictEqual(parseFromWebview({ type: 'setOptions', options: { learningRate: 0.01, start: { w: 2 } } }), { type: 'setOptions', options: { learningRate: 0.01, start: { w: 2 } } });
  });
  it('drops unknown or malformed messages', () => {
    for (const bad of [null, 3, 'ready', {}, { type: 'eval', code: '1' }, { type: 'step', step: -1 }, { type: 'step', step: '2' },
      { type: 'setOptions', options: { learningRate: -1 } }, { type: 'setOptions', options: { learningRate: Number.NaN } },
      { type: 'setOptions', options: { optimizer: 'lbfgs' } }, { type: 'setOptions', options: { start: { w: 'x' } } }, { type: 'revealNode', node: 1.5 }]) {
      assert.strictEqual(parseFromWebview(bad), undefined, JSON.stringify(bad));
    }
    assert.strictEqual(parseToWebview({ type: 'show' }), undefined);
    assert.strictEqual(parseToWebview({ type: 'control', action: 'explode' }), undefined);
    assert.deepStrictEqual(parseToWebview({ type: 'reveal', section: 'backprop', extra: '<img>' }), { type: 'reveal', section: 'backprop' });
    assert.strictEqual(parseToWebview({ type: 'reveal', section: 'steps' }), undefined);
    // a replay is checked message by message: one bad one, or a replay inside it, drops the whole
    assert.deepStrictEqual(parseToWebview({ type: 'replay', messages: [{ type: 'sweepProgress', done: 1, total: 2, x: 1 }, { type: 'stale', problem: null }] }),
      { type: 'replay', messages: [{ type: 'sweepProgress', done: 1, total: 2 }, { type: 'stale', problem: null }] });
    assert.strictEqual(parseToWebview({ type: 'replay', messages: [{ type: 'stale', problem: null }, { type: 'show' }] }), undefined);
    assert.strictEqual(parseToWebview({ type: 'replay', messages: [{ type: 'replay', messages: [] }] }), undefined);
    assert.strictEqual(parseToWebview({ type: 'replay', messages: 'all' }), undefined);
  });
  it('race, sweep and the exports: what the panel sends passes, anything else is dropped', () => {
    const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==';
    assert.deepStrictEqual(parseFromWebview({ type: 'race', racers: [{ optimizer: 'gd', learningRate: 0.1 }, { optimizer: 'adam', learningRate: 0.01, extra: 1 }] }),
      { type: 'race', racers: [{ optimizer: 'gd', learningRate: 0.1 }, { optimizer: 'adam', learningRate: 0.01 }] });
    assert.deepStrictEqual(parseFromWebview({ type: 'race', racers: [] }), { type: 'race', racers: [] });
    assert.deepStrictEqual(parseFromWebview({ type: 'sweep', etas: [1] }), { type: 'sweep' });
    assert.deepStrictEqual(parseFromWebview({ type: 'exportDescent', format: 'numpy' }), { type: 'exportDescent', format: 'numpy' });
    assert.deepStrictEqual(parseFromWebview({ type: 'exportSteps', path: '/etc/passwd' }), { type: 'exportSteps' });
    assert.deepStrictEqual(parseFromWebview({ type: 'saveImage', chart: 'sweep', png }), { type: 'saveImage', chart: 'sweep', png });
    for (const bad of [
      { type: 'race' }, { type: 'race', racers: 'gd' }, { type: 'race', racers: [null] }, { type: 'race', racers: [{ optimizer: 'gd' }] },
      { type: 'race', racers: [{ optimizer: 'sgd', learningRate: 0.1 }] }, { type: 'race', racers: [{ optimizer: 'lbfgs', learningRate: 0.1 }] },
      { type: 'race', racers: [{ optimizer: 'gd', learningRate: 0 }] }, { type: 'race', racers: [{ optimizer: 'gd', learningRate: 101 }] },
      { type: 'race', racers: [{ optimizer: 'gd', learningRate: Infinity }] },
      { type: 'race', racers: [{ optimizer: 'gd', learningRate: 0.1 }, { optimizer: 'gd', learningRate: 0.2 }] },
      { type: 'race', racers: Array.from({ length: 7 }, (_, i) => ({ optimizer: ['gd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'gd'][i], learningRate: 0.1 })) },
      { type: 'exportDescent' }, { type: 'exportDescent', format: 'json' }, { type: 'exportDescent', format: 'NUMPY' },
      { type: 'saveImage', chart: 'plot' }, { type: 'saveImage', chart: 'desktop', png }, { type: 'saveImage', chart: 'plot', png: 'data:image/jpeg;base64,AAAA' },
      { type: 'saveImage', chart: 'plot', png: 'data:image/png;base64,AA AA' }, { type: 'saveImage', chart: 'plot', png: `${png}"><script>` },
      { type: 'saveImage', chart: 'plot', png: `data:image/png;base64,${'A'.repeat(16 * 1024 * 1024)}` },
    ]) {
      assert.strictEqual(parseFromWebview(bad), undefined, JSON.stringify(bad).slice(0, 200));
    }
    assert.strictEqual(parseToWebview({ type: 'race', race: { runs: 'x' } }), undefined);
    assert.strictEqual(parseToWebview({ type: 'sweep', sweep: { etas: [] } }), undefined);
    assert.strictEqual(parseToWebview({ type: 'sweepProgress', done: -1, total: 41 }), undefined);
    assert.deepStrictEqual(parseToWebview({ type: 'race', race: null }), { type: 'race', race: null });
    assert.deepStrictEqual(parseToWebview({ type: 'sweep', sweep: null }), { type: 'sweep', sweep: null });
  });
  it('stale: a located problem, or null once the code reads; anything else is dropped', () => {
    const problem = { message: "unexpected operator '*'", location: 'f.txt:1:17' };
    assert.deepStrictEqual(parseToWebview({ type: 'stale', problem: { ...problem, html: '<b>' } }), { type: 'stale', problem });
    assert.deepStrictEqual(parseToWebview({ type: 'stale', problem: null }), { type: 'stale', problem: null });
    for (const bad of [{ type: 'stale' }, { type: 'stale', problem: true }, { type: 'stale', problem: { message: 3, location: 'f.txt' } },
      { type: 'stale', problem: { message: 'x' } }, { type: 'stale', problem: { message: 'x'.repeat(10_001), location: 'f.txt' } }]) {
      assert.strictEqual(parseToWebview(bad), undefined, JSON.stringify(bad).slice(0, 200));
    }
  });
  it('a network\'s race and landscape: network optimizers only, each once, at an η in (0, 100]; a landscape\'s grid must be side × side', () => {
    assert.deepStrictEqual(parseFromWebview({ type: 'networkRace', racers: [{ optimizer: 'sgd', learningRate: 0.5 }, { optimizer: 'adam', learningRate: 0.01 }] }),
      { type: 'networkRace', racers: [{ optimizer: 'sgd', learningRate: 0.5 }, { optimizer: 'adam', learningRate: 0.01 }] });
    assert.deepStrictEqual(parseFromWebview({ type: 'networkRace', racers: [] }), { type: 'networkRace', racers: [] });
    assert.deepStrictEqual(parseFromWebview({ type: 'landscape', side: 1e6 }), { type: 'landscape' });
    for (const bad of [
      { type: 'networkRace' }, { type: 'networkRace', racers: [{ optimizer: 'gd', learningRate: 0.1 }] },
      { type: 'networkRace', racers: [{ optimizer: 'sgd', learningRate: 0.1 }, { optimizer: 'sgd', learningRate: 0.2 }] },
      { type: 'networkRace', racers: [{ optimizer: 'adam', learningRate: -1 }] },
    ]) assert.strictEqual(parseFromWebview(bad), undefined, JSON.stringify(bad));
    const landscape = { epoch: 3, side: 3, extent: 1, values: [1, 2, 3, 4, 5, 6, 7, 8, null], centre: 5, path: [], pathNote: null, seed: 1, parameters: 9, samples: 4, ms: 1, heldMs: 1 };
    assert.deepStrictEqual(parseToWebview({ type: 'landscape', landscape }), { type: 'landscape', landscape });
    assert.strictEqual(parseToWebview({ type: 'landscape', landscape: { ...landscape, values: [1, 2, 3] } }), undefined);
    assert.strictEqual(parseToWebview({ type: 'networkRace', race: { epochs: 3, runs: [{ losses: 'x' }] } }), undefined);
    assert.strictEqual(parseToWebview({ type: 'networkProgress', task: 'sweep', done: 1, total: 2 }), undefined);
    assert.deepStrictEqual(parseToWebview({ type: 'networkProgress', task: 'landscape', done: 1, total: 2 }), { type: 'networkProgress', task: 'landscape', done: 1, total: 2 });
  });
});
