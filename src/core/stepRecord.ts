/**
 * How a recorded descent step is written out: the samples it used, its update
 * line with numbers and the step table's headings. The panel's update lines,
 * its step table, the Backprop view and the command line all take them from
 * here; every number comes from the record the descent kept, none is
 * recomputed for display.
 */
import { fmt } from './format';
import { OPTIMIZERS, OptimizerName } from './optimizers';
import type { FunctionView } from './views';

type Num = number | null | undefined;

/** A descent step as recorded (the core's DescentStep or the panel's StepView): what the update used and did. */
export interface RecordedStep {
  point: ArrayLike<Num>;
  gradient: ArrayLike<Num>;
  update?: ArrayLike<Num> | null;
  state?: Record<string, ArrayLike<Num>> | null;
  batch?: readonly number[] | null;
  batchGradient?: ArrayLike<Num> | null;
}

/** One parameter's update at a recorded step: θ ← θ − Δ, from this step's point to the next step's. */
export interface WorkedUpdate {
  from: number | null;
  to: number | null;
  delta: number | null;
  eta: number;
  /** the gradient the step used: the batch's in stochastic / mini-batch descent, else the full one */
  gradient: number | null;
  /** Δ = η × factor where the rule is that product (gd: the gradient used; momentum: v); else null */
  factor: { symbol: 'g' | 'v'; value: number | null } | null;
  /** the optimizer's state after the step, by its rule's names */
  state: Array<{ name: string; value: number | null }>;
}

const num = (v: Num): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The update of parameter `i` at `step`, `next` the step it led to; undefined on the last step (no update). */
export function workedUpdate(optimizer: OptimizerName, eta: number, step: RecordedStep, next: RecordedStep | undefined, i: number): WorkedUpdate | undefined {
  if (!step.update || !next) return undefined;
  const gradient = num((step.batchGradient ?? step.gradient)[i]);
  const state = Object.entries(step.state ?? {}).map(([name, values]) => ({ name, value: num(values[i]) }));
  const product = OPTIMIZERS[optimizer].product;
  return {
    from: num(step.point[i]),
    to: num(next.point[i]),
    delta: num(step.update[i]),
    eta,
    gradient,
    factor: product === 'g' ? { symbol: 'g', value: gradient } : product === 'v' ? { symbol: 'v', value: state.find((s) => s.name === 'v')?.value ?? null } : null,
    state,
  };
}

/** Whether a descent's updates used samples (stochastic / mini-batch): its first step says so. */
export function isStochastic(steps: ReadonlyArray<Pick<RecordedStep, 'batch'>>): boolean {
  return Boolean(steps[0]?.batch);
}

/** Samples shown by number before the list is cut short. */
const LISTED_SAMPLES = 8;

/** The samples a step used, 1-based as the panel counts them: "sample 3", "batch of 4: samples 2, 5, 7, 1"; null for full batch. */
export function samplesText(batch: readonly number[] | null | undefined): string | null {
  if (!batch || batch.length === 0) return null;
  if (batch.length === 1) return `sample ${batch[0] + 1}`;
  const listed = batch.slice(0, LISTED_SAMPLES).map((k) => String(k + 1));
  return `batch of ${batch.length}: samples ${listed.join(', ')}${batch.length > LISTED_SAMPLES ? ', …' : ''}`;
}

/** The sample whose term the Backprop view shows at a descent step (0-based), or null when the cost is not a Σ over samples. */
export function sampleShown(v: Pick<FunctionView, 'graphSample' | 'graphSampleAt'>, step: number): number | null {
  return v.graphSampleAt ? v.graphSampleAt[Math.max(0, Math.min(step, v.graphSampleAt.length - 1))] : v.graphSample;
}

/** A number as a factor: negative ones in parentheses. */
function paren(x: number | null): string {
  return x !== null && x < 0 ? `(${fmt(x)})` : fmt(x);
}

/**
 * The update line in plain text: `w ← w − η·∂J/∂w (sample 3) = 1.98 − 0.05 × (−1.5) = 2.06`,
 * the state first where the rule keeps one (`v = 0.3; w ← w − η·v = …`).
 */
export function updateText(f: string, p: string, w: WorkedUpdate, batch?: readonly number[] | null): string {
  const on = samplesText(batch);
  const state = w.state.map((s) => `${s.name} = ${fmt(s.value)}`).join(', ');
  const rule = w.factor?.symbol === 'g'
    ? `${p} ← ${p} − η·∂${f}/∂${p}${on ? ` (${on})` : ''} = ${fmt(w.from)} − ${fmt(w.eta)} × ${paren(w.factor.value)} = ${fmt(w.to)}`
    : w.factor?.symbol === 'v'
      ? `${p} ← ${p} − η·v = ${fmt(w.from)} − ${fmt(w.eta)} × ${paren(w.factor.value)} = ${fmt(w.to)}`
      : `${p} ← ${p} − Δ${p} = ${fmt(w.from)} − ${paren(w.delta)} = ${fmt(w.to)}`;
  return state ? `${state}; ${rule}` : rule;
}

/** The step table's heading for Δp: `Δw = η·∂J/∂w`, with the batch's gradient `Δw = η·∂J/∂w (batch)`, else the optimizer's step. */
export function deltaHeading(optimizer: OptimizerName, f: string, p: string, stochastic: boolean): string {
  const product = OPTIMIZERS[optimizer].product;
  if (product === 'g') return `Δ${p} = η·∂${f}/∂${p}${stochastic ? ' (batch)' : ''}`;
  if (product === 'v') return `Δ${p} = η·v`;
  return `Δ${p} (${OPTIMIZERS[optimizer].label} step)`;
}

/** The step table's heading for the batch's gradient of p. */
export function batchGradientHeading(f: string, p: string): string {
  return `∂${f}/∂${p} (batch)`;
}

/** The step table's column headings: step, the point, f, the gradient, (the samples and the batch's gradient), Δ. */
export function stepTableHead(optimizer: OptimizerName, f: string, params: readonly string[], stochastic: boolean): string[] {
  const batchColumns = stochastic ? ['samples', ...params.map((p) => batchGradientHeading(f, p))] : [];
  return ['step', ...params, f, ...params.map((p) => `∂${f}/∂${p}`), ...batchColumns, ...params.map((p) => deltaHeading(optimizer, f, p, stochastic))];
}

/**
 * Step `i`'s row of the step table, aligned with stepTableHead; `cell` writes each number (the panel: fmt; the
 * CSV export: every digit). The samples are 1-based, as the panel counts them; a step without an update (the last) has empty Δ cells.
 */
export function stepTableRow(s: RecordedStep & { value: Num }, i: number, stochastic: boolean, cell: (x: Num) => string): string[] {
  const n = s.point.length;
  const each = (v: ArrayLike<Num> | null | undefined): string[] => Array.from({ length: n }, (_, q) => (v ? cell(v[q]) : ''));
  const batchCells = stochastic ? [s.batch ? s.batch.map((b) => b + 1).join(', ') : '', ...each(s.batchGradient)] : [];
  return [String(i), ...each(s.point), cell(s.value), ...each(s.gradient), ...batchCells, ...each(s.update)];
}

/** A number in a CSV cell: every digit (it reads back as the same double), empty where not finite. */
export const csvNumber = (x: Num): string => (typeof x === 'number' && Number.isFinite(x) ? String(x) : '');

/** The whole step table as CSV (RFC 4180: a cell with a comma, quote or line break is quoted), every number with all its digits. */
export function stepTableCsv(optimizer: OptimizerName, f: string, params: readonly string[], steps: ReadonlyArray<RecordedStep & { value: Num }>): string {
  const stochastic = isStochastic(steps);
  const quote = (c: string): string => (/[",\n\r]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  const lines = [stepTableHead(optimizer, f, params, stochastic), ...steps.map((s, i) => stepTableRow(s, i, stochastic, csvNumber))];
  return `${lines.map((l) => l.map(quote).join(',')).join('\n')}\n`;
}
