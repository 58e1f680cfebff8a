/**
 * Turns a definition and the panel's options into what the panel draws: the
 * descent trace and the curve, contour or slice around the path. Pure, so the
 * extension and the tests share it.
 */
import type { AxisView, FunctionView, PlotView, RaceView, StepView, SweepView, UnboundView } from './views';
import type { DescentStep } from './descent';
import { Racer, raceTraces } from './race';
import { Sweep, sweepMark } from './sweep';
import { analyzeFunction, analyzeUnbound, graphJson, graphTrace, tapeOf, unboundMessage } from './analysis';
import { fmt } from './format';
import { readable } from './notation';
import { extraText, factorText, symbolicGradient } from './symbolic';
import { runDescent } from './descent';
import { optimizerFor } from './optimizers';
import { valueFunction } from './autodiff/compile';
import type { DescentOptions } from './descent';
import { FunctionDefinition } from './source/definition';

export interface ViewOptions extends DescentOptions {
  /** for >2 parameters: which two span the slice, and the step it goes through */
  slice?: { x: string; y: string; step: number };
}

const CURVE_SAMPLES = 241;
const GRID = 64;

const fin = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function functionView(def: FunctionDefinition, file: string, options: ViewOptions, source?: string): FunctionView {
  const a = analyzeFunction(def, { ...options, source, stepChains: true });
  const params = def.params;
  const steps = a.trace.steps.map(stepView);
  const warnings = [
    ...(def.assumed ?? []),
    ...(a.undefinedAt ? [a.undefinedAt.message] : []),
    ...a.checks.filter((c) => c.disagree && c.message).map((c) => c.message as string),
  ];
  return {
    kind: 'function',
    title: `${def.name ?? 'f'}(${params.join(', ')})`,
    file,
    name: def.name,
    params: [...params],
    expression: a.expression,
    expressionTex: a.expressionTex,
    expressionText: a.expressionText,
    gradientTex: a.gradientTex,
    // the panel's plain form (a fallback, and what a screen reader hears) as the hover writes it
    gradientText: Object.fromEntries(Object.entries(a.gradient).map(([p, t]) => [p, readable(t, params)])),
    gradientNamed: a.gradientNamed
      ? Object.fromEntries(Object.entries(a.gradientNamed).map(([p, n]) => [p, { tex: n.tex, text: readable(n.text, params), chainTex: n.chainTex ?? null, chainText: n.chainText === undefined ? null : readable(n.chainText, params), chainSteps: n.chainSteps ?? null }]))
      : null,
    symbolicNote: a.symbolicNote ?? null,
    warnings,
    diagnoses: a.diagnoses,
    options: { learningRate: options.learningRate, maxSteps: options.maxSteps, optimizer: optimizerFor('function', options.optimizer), start: a.at, ...(def.sumForm && options.batchSize ? { batchSize: options.batchSize } : {}) },
    status: a.descent.status,
    statusMessage: a.descent.message,
    steps,
    plot: plotFor(def, steps, options),
    ...sampleGraph(def, a.graph, steps, options, source),
    // the view is JSON for the webview: the data's Float64Arrays become arrays here, once per view
    fit: def.fit ? { ...def.fit, x: Array.from(def.fit.x), y: Array.from(def.fit.y) } : null,
    boundary: def.boundary ? { ...def.boundary, x1: Array.from(def.boundary.x1), x2: Array.from(def.boundary.x2), y: Array.from(def.boundary.y) } : null,
    samples: def.sumForm?.count ?? null,
    data: def.data ?? null,
    roleNames: def.roleNames ?? null,
    // with mini-batches, the full-batch path from the same start, for the noisy path to be compared with
    fullBatchPath: def.sumForm && options.batchSize && options.batchSize < def.sumForm.count
      ? runDescent(tapeOf(def), { learningRate: options.learningRate, maxSteps: options.maxSteps, optimizer: options.optimizer, start: a.at }, {}, def.name ?? 'f').steps.map((st) => st.point.map(fin))
      : null,
  };
}

/**
 * A cost over data with no data: its partials over m symbolic samples (as the
 * hover and the command line write them), one sample's term and its partials
 * (the Backprop view's graph needs numbers; this is what it would run), and
 * how to bind data. Nothing is evaluated.
 */
export function unboundView(def: FunctionDefinition, file: string): UnboundView {
  const a = analyzeUnbound(def);
  const sum = def.symbolicSum as NonNullable<FunctionDefinition['symbolicSum']>;
  const params = def.params;
  const one = symbolicGradient(sum.term, params);
  const f = def.name ?? 'f';
  const plain = (g: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(g).map(([p, t]) => [p, readable(t, params)]));
  return {
    kind: 'unbound',
    title: `${f}(${params.join(', ')})`,
    file,
    name: def.name,
    params: [...params],
    expressionTex: a.expressionTex,
    expressionText: readable(a.expression, params),
    gradientTex: a.gradientTex,
    gradientText: plain(a.gradient),
    term: one.ok ? {
      tex: one.expressionTex,
      text: readable(one.expressionText, params),
      gradientTex: Object.fromEntries(params.map((p) => [p, one.partials[p].tex])),
      gradientText: Object.fromEntries(params.map((p) => [p, readable(one.partials[p].text, params)])),
    } : null,
    termNote: one.ok
      ? `The Backprop view runs this term with one sample's numbers; with data bound it steps through it node by node.${sum.extra ? ` The part without data, ${readable(extraText(sum.extra, { perM: sum.extraPerM }), params)}, is added once, outside the Σ.` : ''}`
      : `One sample's term is not written out here (${one.reason}); bind data and the Backprop view steps through it with numbers.`,
    args: [...sum.unbound],
    message: [...(def.assumed ?? []), unboundMessage(def, 'the button beside this')].join('. '),
  };
}

/** A recorded descent step as the panel gets it: null where not finite. */
function stepView(s: DescentStep): StepView {
  return {
    point: s.point.map(fin),
    value: fin(s.value),
    gradient: s.gradient.map(fin),
    update: s.update ? s.update.map(fin) : null,
    state: s.state ? Object.fromEntries(Object.entries(s.state).map(([k, v]) => [k, v.map(fin)])) : null,
    batch: s.batch ?? null,
    batchGradient: s.batchGradient ? s.batchGradient.map(fin) : null,
  };
}

/**
 * A race in the panel: each racer's descent from the view's start with its step limit (and its batch size, the
 * same seeded batches for all), and the curve or contour around all their paths.
 */
export function raceView(def: FunctionDefinition, options: ViewOptions, racers: readonly Racer[]): RaceView {
  const start = Object.fromEntries(def.params.map((p) => [p, options.start[p] ?? def.defaults[p] ?? 0]));
  const batchSize = def.sumForm && options.batchSize && options.batchSize < def.sumForm.count ? options.batchSize : null;
  const traces = raceTraces(tapeOf(def), racers, { maxSteps: options.maxSteps, start, ...(batchSize ? { batchSize } : {}) }, def.name ?? 'f');
  const runs = traces.map((t, k) => ({ optimizer: racers[k].optimizer, learningRate: racers[k].learningRate, status: t.status, statusMessage: t.message, steps: t.steps.map(stepView) }));
  // the window takes in every path; a slice (more than 2 parameters) goes through the first racer's last point
  const all = runs.flatMap((r) => r.steps);
  const slice = def.params.length > 2 ? { x: options.slice?.x ?? def.params[0], y: options.slice?.y ?? def.params[1], step: runs[0].steps.length - 1 } : undefined;
  return { start, maxSteps: options.maxSteps, batchSize, runs, plot: plotFor(def, all, { ...options, start, slice }) };
}

/** A sweep as the panel gets it, with each rate's mark (converged / oscillating / diverged / …). */
export function sweepView(s: Sweep, start: Record<string, number>, maxSteps: number, ms: number, heldMs: number): SweepView {
  return {
    optimizer: s.optimizer, start, maxSteps, etas: s.etas, status: s.status, finalValue: s.finalValue, steps: s.steps,
    marks: s.status.map((st, k) => sweepMark(st, s.oscillating[k])),
    curvature: s.curvature ?? null, etaLimit: s.etaLimit ?? null, ms, heldMs,
  };
}

/** [min, max] covering the finite values with a margin; the start's neighbourhood at least. */
function span(values: Array<number | null>, around: number): [number, number] {
  // Diverging paths would stretch the window beyond use: keep the first steps that stay near.
  const finite = values.filter((v): v is number => v !== null && Math.abs(v - around) < 1e3 * (1 + Math.abs(around)));
  let lo = Math.min(around, ...finite);
  let hi = Math.max(around, ...finite);
  const width = Math.max(hi - lo, 1e-9);
  const pad = Math.max(width * 0.35, 0.5 * Math.max(1, Math.abs(around) * 0.1));
  lo -= pad;
  hi += pad;
  return [lo, hi];
}

/**
 * The Backprop view's graph: the whole function, or for a cost over data one sample's term (the unrolled
 * graph repeats it m times): the sample chosen, or in stochastic descent with none chosen, at each step
 * the first sample that step's update used, so the graph's partials are the ones the step took.
 */
function sampleGraph(def: FunctionDefinition, whole: FunctionView['graph'], steps: StepView[], options: ViewOptions, source?: string): Pick<FunctionView, 'graph' | 'graphTrace' | 'graphSample' | 'graphSampleAt' | 'graphName' | 'graphNote' | 'graphSumFactor'> {
  const sum = def.sumForm;
  if (!sum) return { graph: whole, graphTrace: graphTrace(def, steps.map((s) => s.point)), graphSample: null, graphSampleAt: null, graphName: null, graphNote: null, graphSumFactor: null };
  const symbols = Object.keys(sum.data);
  const at = options.sample === undefined && steps.some((s) => s.batch) ? stepSamples(steps) : null;
  const k = at ? at[0] : Math.min(Math.max(0, Math.round(options.sample ?? 0)), sum.count - 1);
  const dataOf = (i: number): number[] => symbols.map((sym) => sum.data[sym][i]);
  const extra = dataOf(k);
  const termDef: FunctionDefinition = { ...def, params: [...def.params, ...symbols], body: sum.term, locals: [], sumForm: undefined, fit: undefined, defaults: {} };
  const tape = tapeOf(termDef);
  const start = steps[0]?.point.map((v) => v ?? NaN) ?? [];
  tape.valueAndGradient([...start, ...extra]);
  const f = def.name ?? 'f';
  const factor = factorText(sum.factor).text;
  const times = factor.trim() === '' ? '1' : factor.trim() === '-' ? '−1' : factor.trim();
  const whose = at
    ? 'at each step, the term of the sample that step\'s update used (the first of its batch); choose a sample to stay on one'
    : `this is sample ${k + 1}'s (${symbols.map((sym, j) => `${readable(sym, def.params)} = ${fmt(extra[j])}`).join(', ')})`;
  return {
    graph: graphJson(tape, source),
    graphTrace: graphTrace(termDef, steps.map((s, t) => [...s.point, ...(at ? dataOf(at[t]) : extra)])),
    graphSample: k,
    graphSampleAt: at,
    graphName: `${f}₍${at ? 'ᵢ' : k + 1}₎`,
    graphSumFactor: sum.factor,
    graphNote: `${f} = ${factor}Σ over its ${sum.count} samples of one term${sum.extra ? ` + ${readable(extraText(sum.extra, { count: sum.count, overM: sum.extraOverM }), def.params)} (no data: not in the graph)` : ''}: ${whose}; its partials, times ${times}, are ${at ? 'that' : 'this'} sample's share of ∂${f}.`,
  };
}

/** The sample each step's graph shows in stochastic descent: the first its update used (the last step, which makes none, keeps the one before). */
function stepSamples(steps: readonly StepView[]): number[] {
  let last = 0;
  return steps.map((s) => (last = s.batch?.[0] ?? last));
}

function plotFor(def: FunctionDefinition, steps: StepView[], options: ViewOptions): PlotView {
  const f = valueFunction(tapeOf(def));
  const n = def.params.length;
  const start = def.params.map((p) => options.start[p] ?? 0);
  if (n === 1) {
    const [lo, hi] = span(steps.map((s) => s.point[0]), start[0]);
    const xs: number[] = [];
    const ys: Array<number | null> = [];
    const pt = new Float64Array(1);
    for (let i = 0; i < CURVE_SAMPLES; i++) {
      const x = lo + ((hi - lo) * i) / (CURVE_SAMPLES - 1);
      pt[0] = x;
      xs.push(x);
      ys.push(fin(f(pt)));
    }
    return { kind: 'curve', param: def.params[0], xs, ys };
  }
  let xi = 0;
  let yi = 1;
  let through: Array<number | null> | undefined;
  let base = start;
  if (n > 2) {
    const sx = options.slice ? def.params.indexOf(options.slice.x) : -1;
    const sy = options.slice ? def.params.indexOf(options.slice.y) : -1;
    if (sx >= 0 && sy >= 0 && sx !== sy) {
      xi = sx;
      yi = sy;
    }
    const k = Math.min(options.slice?.step ?? steps.length - 1, steps.length - 1);
    through = steps[k]?.point ?? start;
    base = through.map((v, i) => v ?? start[i]);
  }
  const [x0, x1] = span(steps.map((s) => s.point[xi]), base[xi]);
  const [y0, y1] = span(steps.map((s) => s.point[yi]), base[yi]);
  const values: Array<number | null> = [];
  const pt = Float64Array.from(base);
  for (let r = 0; r < GRID; r++) {
    pt[yi] = y0 + ((y1 - y0) * r) / (GRID - 1);
    for (let c = 0; c < GRID; c++) {
      pt[xi] = x0 + ((x1 - x0) * c) / (GRID - 1);
      values.push(fin(f(pt)));
    }
  }
  const axis = (index: number, min: number, max: number): AxisView => ({ param: def.params[index], index, min, max, n: GRID });
  return { kind: 'contour', x: axis(xi, x0, x1), y: axis(yi, y0, y1), values, through };
}
