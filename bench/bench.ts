/**
 * `npm run bench`: a benchmark, not a test. Prints a table and writes
 * bench-results.json. Every "ours" figure sits beside a baseline measured in
 * the same run on the same machine.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Tape } from '../src/core/autodiff/tape';
import { gradientFunction } from '../src/core/autodiff/compile';
import { runDescent } from '../src/core/descent';
import { findFunction } from '../src/core/source/find';
import { symbolicGradient } from '../src/core/symbolic';

const ROOT = path.resolve(__dirname, '..', '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

/** Calls per second of fn, over at least `ms` milliseconds (after a warm-up). */
function rate(fn: () => void, ms = 600): number {
  for (let i = 0; i < 2000; i++) fn();
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 1000; i++) fn();
    n += 1000;
    now = performance.now();
  }
  return n / ((now - start) / 1000);
}

function activation(): { median: number; runs: number[] } {
  const runs: number[] = [];
  for (let i = 0; i < 11; i++) {
    const out = execFileSync(process.execPath, [path.join(ROOT, 'bench', 'activation.cjs')], { encoding: 'utf8' });
    runs.push((JSON.parse(out) as { ms: number }).ms);
  }
  return { median: median(runs), runs };
}

interface StubDoc {
  uri: { toString(): string };
  version: number;
  languageId: string;
  getText(r?: { start: { line: number; character: number }; end: { line: number; character: number } }): string;
  getWordRangeAtPosition(p: { line: number; character: number }, re: RegExp): unknown;
  offsetAt(p: { line: number; character: number }): number;
  lineAt(n: number): { text: string };
}

function hover(): { p95: number; cold: number } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('module') as { _load: (r: string, ...a: unknown[]) => unknown };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const stub = require(path.join(ROOT, 'bench', 'vscode-stub.cjs')) as { registered: { hover: Array<{ provideHover(d: StubDoc, p: unknown): unknown }> }; Position: new (l: number, c: number) => { line: number; character: number }; Range: new (...a: unknown[]) => unknown };
  const load = Module._load;
  Module._load = function (request: string, ...rest: unknown[]) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ext = require(path.join(ROOT, 'dist', 'extension.js')) as { activate(c: unknown): void };
  ext.activate({ subscriptions: [], extensionUri: {} });
  const provider = stub.registered.hover[0];
  const text = fs.readFileSync(path.join(ROOT, 'examples', 'loss.py'), 'utf8');
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }): number => lines.slice(0, p.line).reduce((s, l) => s + l.length + 1, 0) + p.character;
  const doc: StubDoc = {
    uri: { toString: () => 'file:///examples/loss.py' }, version: 1, languageId: 'python',
    getText: (r) => (r ? text.slice(offset(r.start), offset(r.end)) : text),
    getWordRangeAtPosition: (p, re) => {
      const line = lines[p.line];
      const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
      for (const m of line.matchAll(g)) {
        if (m.index <= p.character && p.character <= m.index + m[0].length) return new stub.Range(p.line, m.index, p.line, m.index + m[0].length);
      }
      return undefined;
    },
    offsetAt: offset,
    lineAt: (n) => ({ text: lines[n] }),
  };
  const pos = new stub.Position(7, lines[7].indexOf('w') + 1);
  const t0 = performance.now();
  if (!provider.provideHover(doc, pos)) throw new Error('the hover answered nothing');
  const cold = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    provider.provideHover(doc, pos);
    times.push(performance.now() - t);
  }
  return { p95: percentile(times, 0.95), cold };
}

function main(): void {
  const source = 'f(x, y) = sin(x) * cos(y) + 0.1 * (x^2 + y^2) + exp(-x*y)';
  const def = findFunction(source, 'plaintext', 1);
  const tape = new Tape(def.body, def.params);
  const point = new Float64Array([0.5, -1]);
  const grad = new Float64Array(2);
  let sink = 0;

  // ours: the compiled tape (straight-line forward + backward sweep), used by descent and plots
  const compiled = gradientFunction(tape);
  const ours = rate(() => { point[0] += 1e-12; sink += compiled(point, grad) + grad[0]; });
  // the tape interpreter (typed arrays, one switch per node): used where every node's value is shown
  const tapeInterpreter = rate(() => { point[0] += 1e-12; sink += tape.valueAndGradient(point, grad).value + grad[0]; });
  // mathjs: f and both symbolic partials, compiled by mathjs, evaluated with a scope
  const sym = symbolicGradient(def.body, def.params);
  if (!sym.ok) throw new Error(sym.reason);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mathjs = (require('../src/core/mathjsEngine') as typeof import('../src/core/mathjsEngine')).createMathjs();
  const fC = mathjs.parse('sin(x) * cos(y) + 0.1 * (x^2 + y^2) + exp(-x*y)').compile();
  const dxC = mathjs.parse(sym.partials.x.text).compile();
  const dyC = mathjs.parse(sym.partials.y.text).compile();
  const scope = { x: 0.5, y: -1 };
  const mathjsCompiled = rate(() => { scope.x += 1e-12; sink += (fC.evaluate(scope) as number) + (dxC.evaluate(scope) as number) + (dyC.evaluate(scope) as number); });
  // hand-written closure: f and its gradient, derived by hand
  const hand = (x: number, y: number, g: Float64Array): number => {
    const s = Math.sin(x), c = Math.cos(y), e = Math.exp(-x * y);
    g[0] = Math.cos(x) * c + 0.2 * x - y * e;
    g[1] = -s * Math.sin(y) + 0.2 * y - x * e;
    return s * c + 0.1 * (x * x + y * y) + e;
  };
  let hx = 0.5;
  const handWritten = rate(() => { hx += 1e-12; sink += hand(hx, -1, grad); });

  // 10,000 descent steps on a 2-parameter function (tolerances off so all steps run)
  const bowl = findFunction('f(x, y) = (x - 1)^2 + 10(y + 2)^2 + 0.1x*y', 'plaintext', 1);
  const bowlTape = new Tape(bowl.body, bowl.params);
  const runs: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    const trace = runDescent(bowlTape, [3, 3], { learningRate: 0.01, maxSteps: 10_000, gradientTolerance: 0, stepTolerance: 0 });
    runs.push(performance.now() - t);
    if (trace.steps.length !== 10_001) throw new Error(`descent ran ${trace.steps.length - 1} steps`);
  }
  const descent10kStepsMs = median(runs);

  const act = activation();
  const h = hover();
  const size = (f: string): number => fs.statSync(path.join(ROOT, 'dist', f)).size;
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    activationMs: act.median,
    hoverWarmP95Ms: h.p95,
    hoverColdMs: h.cold,
    gradientEvalsPerSec: { ours, tapeInterpreter, mathjsCompiled, handWritten },
    descent10kStepsMs,
    bundleBytes: { extension: size('extension.js'), mathjsEngine: size('mathjs-engine.js'), webview: size('webview.js') },
  };
  fs.writeFileSync(path.join(ROOT, 'bench-results.json'), JSON.stringify(results, null, 2));
  const row = (name: string, value: string, goal: string, ok: boolean): string => `${name.padEnd(34)} ${value.padStart(16)}   ${goal.padEnd(28)} ${ok ? 'ok' : 'MISSED'}`;
  const k = (v: number): string => `${(v / 1e6).toFixed(2)} M/s`;
  console.log(`${'measure'.padEnd(34)} ${'value'.padStart(16)}   ${'goal'.padEnd(28)}`);
  console.log(row('activation (median of 11)', `${act.median.toFixed(1)} ms`, '≤ 30 ms', act.median <= 30));
  console.log(row('hover, warm p95 (300 hovers)', `${h.p95.toFixed(3)} ms`, '≤ 5 ms', h.p95 <= 5));
  console.log(row('hover, cold (loads mathjs)', `${h.cold.toFixed(1)} ms`, '(information)', true));
  console.log(row('gradient evals: ours (compiled tape)', k(ours), '', true));
  console.log(row('gradient evals: tape interpreter', k(tapeInterpreter), '(the Backprop view\'s engine)', true));
  console.log(row('gradient evals: mathjs compiled', k(mathjsCompiled), `ours/mathjs ${(ours / mathjsCompiled).toFixed(1)}× ≥ 10×`, ours / mathjsCompiled >= 10));
  console.log(row('gradient evals: hand-written', k(handWritten), `ours/hand ${(ours / handWritten).toFixed(2)}× ≥ 0.3×`, ours / handWritten >= 0.3));
  console.log(row('10k descent steps (median of 9)', `${descent10kStepsMs.toFixed(2)} ms`, '≤ 20 ms', descent10kStepsMs <= 20));
  console.log(row('bundle: extension.js', `${(results.bundleBytes.extension / 1024).toFixed(0)} kB`, '≤ 800 kB', results.bundleBytes.extension <= 800 * 1024));
  console.log(row('bundle: mathjs-engine.js (lazy)', `${(results.bundleBytes.mathjsEngine / 1024).toFixed(0)} kB`, 'with extension ≤ 800 kB', results.bundleBytes.extension + results.bundleBytes.mathjsEngine <= 800 * 1024));
  console.log(row('bundle: webview.js', `${(results.bundleBytes.webview / 1024).toFixed(0)} kB`, '≤ 700 kB', results.bundleBytes.webview <= 700 * 1024));
  console.log(`\nwrote bench-results.json${sink === 42 ? ' ' : ''}`);
}

main();
