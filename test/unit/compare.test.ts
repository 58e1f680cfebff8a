/**
 * Comparisons and export: the race of optimizers against textbook updates
 * written out here, the learning-rate sweep's 2/L against quadratics whose
 * eigenvalues are known by construction, the Jacobi eigenvalues, and the
 * exported NumPy and Node scripts run as they are against the descent.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';
import { spawnSync } from 'child_process';
import fc from 'fast-check';
import { CLI, ROOT } from './helpers';
import { UserError } from '../../src/core/errors';
import { analyzeFunction, tapeOf } from '../../src/core/analysis';
import { analyzeDocument } from '../../src/core/document';
import { symmetricEigen } from '../../src/core/eigen';
import { DescentExportFormat, exportDescent } from '../../src/core/exportDescent';
import { findDefinition, findFunction } from '../../src/core/find';
import { raceTraces, runRace } from '../../src/core/race';
import { runDescent } from '../../src/core/descent';
import { stepTableCsv } from '../../src/core/stepRecord';
import { logSpace, runSweep, sweepByRate, sweepMark } from '../../src/core/sweep';
import type { FunctionDefinition } from '../../src/core/source/definition';
import type { OptimizerName } from '../../src/core/optimizers';

const PYTHON = '/usr/bin/python3';

/** A random rotation of ℝⁿ as a product of plane rotations, and A = Q·diag(λ)·Qᵀ. */
function withEigenvalues(lambdas: number[], angles: number[]): number[][] {
  const n = lambdas.length;
  const Q = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j): number => (i === j ? 1 : 0)));
  let k = 0;
  for (let p = 0; p < n; p++) {
    for (let q = p + 1; q < n; q++) {
      const c = Math.cos(angles[k % angles.length]);
      const s = Math.sin(angles[k++ % angles.length]);
      for (const row of Q) [row[p], row[q]] = [c * row[p] - s * row[q], s * row[p] + c * row[q]];
    }
  }
  return Q.map((_, i) => Q.map((__, j) => lambdas.reduce((sum, l, m) => sum + Q[i][m] * l * Q[j][m], 0)));
}

const runs = (code: string, format: DescentExportFormat): string[][] => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gl-export-'));
  const file = path.join(dir, format === 'js' ? 'descent.js' : 'descent.py');
  fs.writeFileSync(file, code);
  const r = spawnSync(format === 'js' ? process.execPath : PYTHON, [file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  fs.rmSync(dir, { recursive: true });
  assert.strictEqual(r.status, 0, `${format} script failed: ${r.stderr}`);
  assert.strictEqual(r.stderr, '', `${format} script wrote to stderr`);
  return r.stdout.trim().split('\n').map((l) => l.split(','));
};

/** Python's and Node's spellings of the numbers that are not finite. */
const parse = (s: string): number => (s === 'nan' ? NaN : s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s));

/**
 * The script's CSV against the descent's steps: the same number of lines, the step, and each parameter and
 * the value to 1e-12 relative — relative to the number, or where the number is near zero (a parameter crossing
 * 0, f near a minimum of 0) to the largest of its column: there f is ill-conditioned, and the gradient's
 * last-bit differences (the script's symbolic partials against the tape's backprop) move it by more.
 */
function assertSameDescent(csv: string[][], steps: Array<{ point: number[]; value: number }>, what: string): void {
  assert.strictEqual(csv.length, steps.length, `${what}: ${csv.length} lines for ${steps.length} steps`);
  const columns = steps.map((s) => [...s.point, s.value]);
  const scale = columns[0].map((_, j) => Math.max(...columns.map((c) => (Number.isFinite(c[j]) ? Math.abs(c[j]) : 0))));
  csv.forEach((line, k) => {
    assert.strictEqual(line[0], String(k), `${what}: line ${k} is step ${line[0]}`);
    const got = line.slice(1).map(parse);
    assert.strictEqual(got.length, columns[k].length, `${what}: step ${k} has ${got.length} numbers`);
    got.forEach((a, j) => {
      const b = columns[k][j];
      if (!Number.isFinite(b) || !Number.isFinite(a)) return assert.ok(Object.is(a, b), `${what}: step ${k}, column ${j + 1}: ${a} vs ${b}`);
      assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b), scale[j]), `${what}: step ${k}, column ${j + 1}: ${a} vs ${b}`);
    });
  });
}

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [CLI, 'analyze', ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('comparisons: race, sweep, curvature', function () {
  this.timeout(120_000);

  it('Jacobi eigenvalues of symmetric matrices built from known eigenvalues (2–6 rows, 200 random cases)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 2, max: 6 }).chain((n) => fc.tuple(
        fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: n, maxLength: n }),
        fc.array(fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }), { minLength: 1, maxLength: 15 }),
      )),
      ([lambdas, angles]) => {
        const got = symmetricEigen(withEigenvalues(lambdas, angles)).values;
        const want = [...lambdas].sort((a, b) => a - b);
        const size = Math.max(1, ...lambdas.map(Math.abs));
        got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) <= 1e-12 * size, `λ${i} ${g} vs ${want[i]}`));
      },
    ), { numRuns: 200 });
    // a 2×2 by its characteristic polynomial: [[2, 1], [1, 2]] has 1 and 3
    assert.deepStrictEqual(symmetricEigen([[2, 1], [1, 2]]).values.map((x) => Math.round(x * 1e12) / 1e12), [1, 3]);
  });

  it('a race where each optimizer has its own η, and on a cost over data with mini-batches every racer draws the same seeded batches', () => {
    // f = 2(w − 3)² from 0: gd at 0.1 and momentum (μ = 0.9) at 0.05, their iterates written out here
    const def = findFunction('f(w) = 2(w - 3)^2', 'plaintext', 1);
    const [gd, mo] = raceTraces(tapeOf(def), [{ optimizer: 'gd', learningRate: 0.1 }, { optimizer: 'momentum', learningRate: 0.05 }], { maxSteps: 30, start: { w: 0 } });
    let w = 0;
    let u = 0;
    let v = 0;
    for (let k = 0; k <= 20; k++) {
      assert.ok(Math.abs(gd.steps[k].point[0] - w) <= 1e-12 * (1 + Math.abs(w)), `gd step ${k}`);
      assert.ok(Math.abs(mo.steps[k].point[0] - u) <= 1e-12 * (1 + Math.abs(u)), `momentum step ${k}`);
      w -= 0.1 * 4 * (w - 3);
      v = 0.9 * v + 4 * (u - 3);
      u -= 0.05 * v;
    }
    const data = findFunction('import numpy as np\nx = np.array([1.0, 2.0, 3.0, 4.0, 5.0])\ny = np.array([2.0, 4.1, 5.9, 8.2, 9.9])\ndef cost(w, b):\n    return np.mean((w * x + b - y) ** 2)\n', 'python', 4);
    const runs = raceTraces(tapeOf(data), ['gd', 'adam', 'rmsprop'].map((o) => ({ optimizer: o as OptimizerName, learningRate: 0.01 })), { maxSteps: 12, start: { w: 0, b: 0 }, batchSize: 2 });
    for (let k = 0; k < 12; k++) {
      assert.strictEqual(runs[0].steps[k].batch?.length, 2);
      for (const r of runs.slice(1)) assert.deepStrictEqual(r.steps[k].batch, runs[0].steps[k].batch, `step ${k}`);
    }
  });

  it('the sweep marks each rate: gd on a(w − c)² zig-zags between 1/L and 2/L and diverges past it; the marks follow the statuses', () => {
    const def = findFunction('f(w) = 2(w - 3)^2', 'plaintext', 1);
    const sweep = runSweep(tapeOf(def), { optimizer: 'gd', maxSteps: 200, start: { w: 0 } });
    sweep.etas.forEach((eta, k) => {
      const mark = sweepMark(sweep.status[k], sweep.oscillating[k]);
      // 1 − η·4 is the factor each step multiplies w − 3 by: negative (a zig-zag) above η = 1/4, beyond −1 above 1/2
      if (eta > 0.5) assert.strictEqual(mark, 'diverged', `η = ${eta}`);
      else if (eta > 0.25 && sweep.steps[k] > 5) assert.strictEqual(mark, 'oscillating', `η = ${eta}`);
      else if (eta < 0.25) assert.ok(mark === 'converged' || mark === 'max-steps', `η = ${eta}: ${mark}`);
    });
    assert.strictEqual(sweepMark('unbounded', false), 'unbounded');
    assert.strictEqual(sweepMark('saddle', true), 'other');
    assert.strictEqual(sweepMark('max-steps', true), 'oscillating');
  });

  it('sweepByRate yields after every rate and within long runs, and returns what runSweep does', () => {
    const def = findFunction('f(x, y) = x^2 + 3y^2', 'plaintext', 1);
    const runs = sweepByRate(tapeOf(def), { optimizer: 'gd', maxSteps: 100, start: { x: 1, y: 1 } });
    const yielded: number[] = [];
    let r = runs.next();
    for (; !r.done; r = runs.next()) yielded.push(r.value);
    // after every rate (the count of rates done), and within the long runs of the smallest rates
    for (let k = 1; k <= 41; k++) assert.ok(yielded.includes(k), `after rate ${k}`);
    assert.ok(yielded.filter((n) => n === 0).length >= 1, 'the first (slowest) rate pauses within its run');
    assert.deepStrictEqual(yielded, [...yielded].sort((a, b) => a - b));
    assert.deepStrictEqual(r.value, runSweep(tapeOf(def), { optimizer: 'gd', maxSteps: 100, start: { x: 1, y: 1 } }));
  });

  it('the step table as CSV: the panel\'s columns, every step, every digit, quoted where a cell has a comma', () => {
    const def = findFunction('import numpy as np\nx = np.array([1.0, 2.0, 3.0, 4.0])\ny = np.array([2.0, 4.1, 5.9, 8.2])\ndef cost(w, b):\n    return np.mean((w * x + b - y) ** 2)\n', 'python', 4);
    const trace = runDescent(tapeOf(def), { learningRate: 0.01, maxSteps: 5, optimizer: 'gd', start: { w: 0, b: 0 }, batchSize: 2 });
    const csv = stepTableCsv('gd', 'cost', ['w', 'b'], trace.steps).trim().split('\n');
    assert.strictEqual(csv[0], 'step,w,b,cost,∂cost/∂w,∂cost/∂b,samples,∂cost/∂w (batch),∂cost/∂b (batch),Δw = η·∂cost/∂w (batch),Δb = η·∂cost/∂b (batch)');
    assert.strictEqual(csv.length, trace.steps.length + 1);
    const s1 = trace.steps[1];
    const batch = (s1.batch as number[]).map((i) => i + 1).join(', ');
    assert.strictEqual(csv[2], [1, s1.point[0], s1.point[1], s1.value, s1.gradient[0], s1.gradient[1], `"${batch}"`, ...(s1.batchGradient as number[]), ...(s1.update as number[])].join(','));
    // the last step made no update: its Δ cells are empty
    assert.match(csv[csv.length - 1], /,,$/);
  });

  it('the sweep\'s 41 learning rates: 1e-4 to 10, eight per decade, evenly in log', () => {
    const etas = logSpace(1e-4, 10, 41);
    assert.strictEqual(etas.length, 41);
    assert.strictEqual(etas[0], 1e-4);
    assert.strictEqual(etas[40], 10);
    for (let k = 0; k <= 5; k++) assert.ok(Math.abs(etas[8 * k] - 10 ** (k - 4)) <= 1e-15 * 10 ** (k - 4), `decade ${k}: ${etas[8 * k]}`);
    for (let k = 1; k < 41; k++) assert.ok(Math.abs(etas[k] / etas[k - 1] - 10 ** (1 / 8)) < 1e-12);
  });

  it('for f = a·(w − c)² the sweep measures L = 2a and etaLimit = 2/(2a) = 1/a to 1e-9', () => {
    for (const a of [0.05, 0.5, 1, 3, 7.5, 40]) {
      for (const c of [-2, 0, 4.5]) {
        const def = findFunction(`f(w) = ${a} * (w - (${c}))^2`, 'plaintext', 1);
        const sweep = runSweep(tapeOf(def), { optimizer: 'gd', maxSteps: 100, start: { w: c + 1 } });
        assert.ok(sweep.etaLimit !== undefined && sweep.curvature !== undefined, `a = ${a}, c = ${c}: no run converged`);
        assert.ok(Math.abs(sweep.curvature - 2 * a) <= 1e-9 * 2 * a, `a = ${a}, c = ${c}: L = ${sweep.curvature}`);
        assert.ok(Math.abs(sweep.etaLimit - 1 / a) <= 1e-9 / a, `a = ${a}, c = ${c}: 2/L = ${sweep.etaLimit}`);
        assert.ok(Math.abs((sweep.minimum?.w ?? NaN) - c) < 1e-6, `the minimum reached is w = ${sweep.minimum?.w}`);
        assert.deepStrictEqual([sweep.etas.length, sweep.status.length, sweep.finalValue.length, sweep.steps.length], [41, 41, 41, 41]);
      }
    }
  });

  it('random positive-definite quadratics in 2–5 dimensions: 2/L is the largest eigenvalue\'s, and lies between the last converging and the first diverging η of a fine sweep', () => {
    fc.assert(fc.property(
      fc.integer({ min: 2, max: 5 }).chain((n) => fc.tuple(
        fc.array(fc.double({ min: 0.5, max: 8, noNaN: true }), { minLength: n, maxLength: n }),
        fc.array(fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n }),
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }).filter((d) => Math.abs(d) > 0.1), { minLength: n, maxLength: n }),
      )),
      ([lambdas, angles, center, offset]) => {
        const n = lambdas.length;
        const A = withEigenvalues(lambdas, angles);
        const x = Array.from({ length: n }, (_, i) => `x${i}`);
        const terms = A.flatMap((row, i) => row.map((a, j) => `(${a}) * (${x[i]} - (${center[i]})) * (${x[j]} - (${center[j]}))`));
        const def = findFunction(`f(${x.join(', ')}) = 0.5 * (${terms.join(' + ')})`, 'plaintext', 1);
        const start = Object.fromEntries(x.map((p, i) => [p, center[i] + offset[i]]));
        const sweep = runSweep(tapeOf(def), { optimizer: 'gd', maxSteps: 1000, start, rates: { from: 0.05, to: 10, count: 241 } });
        const L = Math.max(...lambdas);
        assert.ok(sweep.etaLimit !== undefined, 'no run converged');
        assert.ok(Math.abs(sweep.etaLimit - 2 / L) <= 1e-9 * (2 / L), `2/L ${sweep.etaLimit} vs ${2 / L}`);
        const converged = sweep.etas.filter((_, k) => sweep.status[k] === 'converged');
        const diverged = sweep.etas.filter((_, k) => sweep.status[k] === 'diverged');
        assert.ok(diverged.length > 0, 'no run diverged');
        assert.ok(Math.max(...converged) < sweep.etaLimit && sweep.etaLimit < Math.min(...diverged),
          `last converging ${Math.max(...converged)}, 2/L ${sweep.etaLimit}, first diverging ${Math.min(...diverged)}`);
      },
    ), { numRuns: 40 });
  });

  it('a race runs each optimizer from the same start with the same η: its paths are the textbook updates', () => {
    // f(w) = (w − 3)², g = 2(w − 3), from w = 0 with η = 0.1, 30 steps at most
    const def = findFunction('f(w) = (w - 3)^2', 'plaintext', 1);
    const race = runRace(tapeOf(def), ['gd', 'momentum', 'adam'], { learningRate: 0.1, maxSteps: 30, start: { w: 0 } });
    assert.deepStrictEqual(race.map((e) => e.optimizer), ['gd', 'momentum', 'adam']);
    const textbook = (name: OptimizerName): number[] => {
      let w = 0, v = 0, m = 0, s = 0;
      const path = [w];
      for (let t = 1; t <= 30; t++) {
        const g = 2 * (w - 3);
        if (name === 'gd') w -= 0.1 * g;
        else if (name === 'momentum') { v = 0.9 * v + g; w -= 0.1 * v; }
        else {
          m = 0.9 * m + 0.1 * g;
          s = 0.999 * s + 0.001 * g * g;
          w -= (0.1 * (m / (1 - 0.9 ** t))) / (Math.sqrt(s / (1 - 0.999 ** t)) + 1e-8);
        }
        path.push(w);
      }
      return path;
    };
    for (const e of race) {
      const want = textbook(e.optimizer);
      assert.strictEqual(e.learningRate, 0.1);
      assert.strictEqual(e.steps, 30);
      assert.strictEqual(e.status, 'max-steps');
      assert.strictEqual(e.path.length, 31);
      e.path.forEach((p, k) => assert.ok(Math.abs((p.w as number) - want[k]) <= 1e-12 * Math.max(1, Math.abs(want[k])), `${e.optimizer} step ${k}: ${p.w} vs ${want[k]}`));
      assert.deepStrictEqual(e.final.point, e.path[30]);
      assert.ok(Math.abs((e.final.value as number) - (want[30] - 3) ** 2) <= 1e-12);
    }
    // gd's closed form: w_k = 3 − 3·0.8^k
    assert.ok(Math.abs((race[0].path[30].w as number) - (3 - 3 * 0.8 ** 30)) < 1e-12);
  });

  it('the command line: --race and --sweep in the JSON (the descent\'s η where --lr is absent) and in the text report; bad input is a usage error', () => {
    const file = path.join(ROOT, 'examples', 'functions.txt');
    const r = cli([file, '--line', '4', '--race', 'gd,momentum,adam', '--sweep', '--json']);
    assert.strictEqual(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { descent: { learningRate: number; steps: Array<{ point: { w: number } }> }; race: Array<{ optimizer: string; learningRate: number; steps: number; status: string; path: Array<{ w: number }>; final: { value: number } }>; sweep: { etas: number[]; status: string[]; finalValue: number[]; steps: number[]; curvature: number; etaLimit: number } };
    assert.deepStrictEqual(out.race.map((e) => [e.optimizer, e.learningRate]), [['gd', 0.1], ['momentum', 0.1], ['adam', 0.1]]);
    // the race's gd is the descent itself: f(w) = (w − 3)² + 1 from w = 1
    assert.deepStrictEqual(out.race[0].path, out.descent.steps.map((s) => s.point));
    assert.strictEqual(out.race[0].steps, out.descent.steps.length - 1);
    // f″ = 2 everywhere: L = 2 and 2/L = 1
    assert.strictEqual(out.sweep.etas.length, 41);
    assert.ok(Math.abs(out.sweep.curvature - 2) < 2e-9 && Math.abs(out.sweep.etaLimit - 1) < 1e-9, `L = ${out.sweep.curvature}, 2/L = ${out.sweep.etaLimit}`);
    // below 1 gd converges (given the steps); from 1 on it cannot: |1 − 2η| ≥ 1
    out.sweep.etas.forEach((eta, k) => { if (eta >= 1) assert.notStrictEqual(out.sweep.status[k], 'converged', `η = ${eta}`); });
    const text = cli([file, '--line', '4', '--race', 'gd,adam', '--sweep']);
    assert.strictEqual(text.status, 0, text.stderr);
    assert.match(text.stdout, /race: from w = 1, at most 100 steps each/);
    assert.match(text.stdout, /^\s+adam\s+0\.1\s+/m);
    assert.match(text.stdout, /learning-rate sweep: gd from w = 1, 41 rates from 0\.0001 to 10/);
    assert.match(text.stdout, /the Hessian's largest eigenvalue is L = 2\n {2}gradient descent converges near it for η < 2\/L = 1$/m);
    const bad = cli([file, '--line', '4', '--race', 'gd,fast']);
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /--race: 'fast' is not an optimizer/);
    const net = cli([path.join(ROOT, 'examples', 'xor_keras.py'), '--line', '5', '--sweep']);
    assert.strictEqual(net.status, 2);
    assert.match(net.stderr, /xor_keras\.py:\d+:1: --race and --sweep are for functions/);
  });
});

/** The descent of the definition at `line`, as the command line runs it, and its export. */
function exported(text: string, language: string, line: number, format: DescentExportFormat, options: { optimizer?: OptimizerName; learningRate?: number; maxSteps?: number; readFile?: (n: string) => string | undefined } = {}): { csv: string[][]; steps: Array<{ point: number[]; value: number }> } {
  const context = { readFile: options.readFile ?? (() => undefined) };
  const a = analyzeDocument(text, language, line, { optimizer: options.optimizer, learningRate: options.learningRate, maxSteps: options.maxSteps, context });
  if (a.kind !== 'function' || a.descent === null) throw new Error('not a function with data');
  const def = findDefinition(text, language, line, context) as FunctionDefinition;
  const code = exportDescent(def, { optimizer: a.descent.optimizer, learningRate: a.descent.learningRate, start: a.at, steps: a.trace.steps.length - 1 }, format);
  return { csv: runs(code, format), steps: a.trace.steps };
}

describe('export of a descent: the NumPy and Node scripts recompute it', function () {
  this.timeout(120_000);
  const FORMATS: DescentExportFormat[] = ['numpy', 'js'];
  const examples = (name: string): string => fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8');
  const readExample = (n: string): string | undefined => { try { return examples(n); } catch { return undefined; } };

  it('1-D and 2-D functions, each optimizer for functions (gd, momentum, nesterov, adagrad, rmsprop, adam)', () => {
    const functions = examples('functions.txt');
    for (const format of FORMATS) {
      const one = exported(functions, 'plaintext', 4, format);
      assertSameDescent(one.csv, one.steps, `f(w), ${format}`);
      for (const optimizer of ['gd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as OptimizerName[]) {
        const two = exported(functions, 'plaintext', 6, format, { optimizer, learningRate: 0.05 });
        assertSameDescent(two.csv, two.steps, `g(x, y), ${optimizer}, ${format}`);
      }
    }
  });

  it('functions with locals and the helpers of the op table (sigmoid, relu, softplus, log), a vector\'s components, a Unicode name', () => {
    const loss = examples('loss.py');
    const sources: Array<[string, string, number, OptimizerName]> = [
      [loss, 'python', 6, 'adam'],
      [loss, 'python', 13, 'momentum'],
      ['J(θ0, θ1) = (θ0 + 2θ1 - 4)^2 + relu(θ0 - θ1 + 1)^2 + sigmoid(θ1) + softplus(θ0) + log(θ0^2 + 1)\n', 'plaintext', 1, 'nesterov'],
      ['def f(p):\n    x, y = p[0], p[1]\n    return (x - 1)**2 + 3*(y + 2)**2 + np.sin(x*y)\n\nf([1.0, 2.0])\n', 'python', 1, 'rmsprop'],
    ];
    for (const format of FORMATS) {
      for (const [text, language, line, optimizer] of sources) {
        const r = exported(text, language, line, format, { optimizer, learningRate: 0.01 });
        assertSameDescent(r.csv, r.steps, `${text.split('\n')[0]} (line ${line}), ${optimizer}, ${format}`);
      }
    }
  });

  it('costs over data: the data written into the script (a CSV file\'s columns, a regularised cost with w[j])', () => {
    const lab = fs.readFileSync(path.join(ROOT, 'test', 'unit', 'fixtures', 'logistic_reg_lab.py'), 'utf8');
    for (const format of FORMATS) {
      const cost = exported(examples('compute_cost.py'), 'python', 10, format, { learningRate: 0.01, readFile: readExample });
      assertSameDescent(cost.csv, cost.steps, `compute_cost over house_prices.csv, ${format}`);
      for (const optimizer of ['gd', 'adam'] as OptimizerName[]) {
        const reg = exported(lab, 'python', 13, format, { optimizer });
        assertSameDescent(reg.csv, reg.steps, `the regularised logistic cost, ${optimizer}, ${format}`);
      }
    }
  });

  it('the command line prints the script; run as is, its lines equal the JSON\'s descent.steps', () => {
    const file = path.join(ROOT, 'examples', 'compute_cost.py');
    const json = cli([file, '--line', '10', '--lr', '0.01', '--steps', '40', '--optimizer', 'momentum', '--json']);
    assert.strictEqual(json.status, 0, json.stderr);
    const d = JSON.parse(json.stdout) as { params: string[]; descent: { steps: Array<{ point: Record<string, number>; value: number }> } };
    const steps = d.descent.steps.map((s) => ({ point: d.params.map((p) => s.point[p]), value: s.value }));
    for (const format of FORMATS) {
      const r = cli([file, '--line', '10', '--lr', '0.01', '--steps', '40', '--optimizer', 'momentum', '--export', format]);
      assert.strictEqual(r.status, 0, r.stderr);
      assertSameDescent(runs(r.stdout, format), steps, `the command line's ${format} export`);
    }
    const wrong = cli([path.join(ROOT, 'examples', 'functions.txt'), '--line', '4', '--export', 'csv']);
    assert.strictEqual(wrong.status, 2);
    assert.match(wrong.stderr, /--export csv is for networks; a function's descent exports as numpy or js/);
    const network = cli([path.join(ROOT, 'examples', 'xor_keras.py'), '--line', '5', '--export', 'numpy']);
    assert.strictEqual(network.status, 2);
    assert.match(network.stderr, /--export numpy is for a function's descent; a network exports as json, code, csv/);
  });

  it('names are never code: a parameter named with quotes, a newline and a statement is renamed, and reaches the script only as an escaped string', () => {
    const evil = ['a"); process.exit(3); ("\n__import__("os")._exit(3)#', 'lambda', 'np', '_x', 'b😀'];
    const param = (name: string): FunctionDefinition['body'] => ({ kind: 'param', name, start: 0, end: 0 });
    const num = (value: number): FunctionDefinition['body'] => ({ kind: 'num', value, start: 0, end: 0 });
    const square = (e: FunctionDefinition['body'], c: number): FunctionDefinition['body'] => ({ kind: 'bin', op: '^', left: { kind: 'bin', op: '-', left: e, right: num(c), start: 0, end: 0 }, right: num(2), start: 0, end: 0 });
    const body = evil.slice(1).reduce<FunctionDefinition['body']>((sum, p, k) => ({ kind: 'bin', op: '+', left: sum, right: square(param(p), k + 1), start: 0, end: 0 }), square(param(evil[0]), 0));
    const base = findFunction('f(x) = x^2', 'plaintext', 1);
    const def: FunctionDefinition = { ...base, params: evil, body, defaults: {} };
    const a = analyzeFunction(def, { learningRate: 0.1, maxSteps: 20, start: Object.fromEntries(evil.map((p) => [p, 5])) });
    for (const format of FORMATS) {
      const code = exportDescent(def, { optimizer: 'gd', learningRate: 0.1, start: a.at, steps: a.trace.steps.length - 1 }, format);
      assertSameDescent(runs(code, format), a.trace.steps, `the names ${JSON.stringify(evil)}, ${format}`);
      const names = /^(?:const )?NAMES = (.*?);?$/m.exec(code)?.[1] ?? '';
      assert.match(names, /^\[[\x20-\x7e]*\]$/, 'NAMES is one line of ASCII');
      const decoded = format === 'js'
        ? vm.runInNewContext(names) as string[]
        : JSON.parse(spawnSync(PYTHON, ['-c', 'import ast, json, sys; print(json.dumps(ast.literal_eval(sys.stdin.read())))'], { input: names, encoding: 'utf8' }).stdout) as string[];
      assert.deepStrictEqual([...decoded], evil);
      assert.match(code, format === 'js' ? /^function f\(_p0, _p1, _p2, _p3, _p4\) \{$/m : /^def f\(_p0, _p1, _p2, _p3, _p4\):$/m);
    }
  });

  it('a body whose shared locals would be written out to more than a million characters is a located message, not a hang', () => {
    // z₀ = w, zₖ₊₁ = zₖ · zₖ: 24 nodes shared on the tape, 2²³ copies of w written out
    let z: FunctionDefinition['body'] = { kind: 'param', name: 'w', start: 0, end: 0 };
    for (let k = 1; k <= 23; k++) z = { kind: 'local', name: `z${k}`, expr: { kind: 'bin', op: '*', left: z, right: z, start: 0, end: 0 }, start: 0, end: 0 };
    const def: FunctionDefinition = { ...findFunction('f(w) = w', 'plaintext', 1), body: z };
    for (const format of FORMATS) {
      assert.throws(() => exportDescent(def, { optimizer: 'gd', learningRate: 0.1, start: { w: 1 }, steps: 1 }, format),
        (e: Error) => e instanceof UserError && e.line === 1 && /an expression written out has more than 1000000 characters/.test(e.message));
    }
  });
});
