/**
 * Gradient descent on a scalar function, step by step, keeping everything a
 * learner wants to see: each step's point, value, gradient and the update
 * η·∇f that moved it, and why it stopped.
 */
import { Tape } from './autodiff/tape';
import { BatchGradientFn, batchGradientFunction, gradientFunction, sampleCount } from './autodiff/compile';
import { Random } from './network/random';
import { Optimizer, createOptimizer } from './optimizers';
import { fmt } from './format';
import { DESCENT_STATUSES, DescentOptions, DescentStatus } from './views';
import { runawayVerdict, settledVerdict } from './status';

export { DESCENT_STATUSES };
export type { DescentOptions, DescentStatus };

export interface DescentStep {
  point: number[];
  value: number;
  gradient: number[];
  /** Δ subtracted to reach the next step (absent on the last step) */
  update?: number[];
  /** the optimizer's state after computing `update` (momentum's v, Adam's m̂ and v̂) */
  state?: Record<string, number[]>;
  /** stochastic / mini-batch descent: the samples this step's update used (0-based, in the shuffled order) */
  batch?: number[];
  /** the gradient on `batch` that the optimizer turned into `update` (`gradient` is the full-data one) */
  batchGradient?: number[];
}

/** When a descent counts as converged (tests and benchmarks set these to 0 to run every step). */
export interface StoppingRule {
  /** stop when ‖∇f‖ falls below this */
  gradientTolerance?: number;
  /** stop when the step length ‖Δ‖ falls below this */
  stepTolerance?: number;
}

export interface DescentTrace {
  status: DescentStatus;
  /** step 0 is the start point */
  steps: DescentStep[];
  /** why it stopped and what the end point is: a sentence for the user */
  message: string;
}

/** Values beyond these are treated as blown up. */
const EXPLODE_VALUE = 1e100;
const EXPLODE_POINT = 1e12;
/** Consecutive rises of f, with growing steps, that count as divergence. */
const RISING_STEPS = 5;

/** Steps between the pauses of a resumable descent (descentInSteps). */
const STEPS_PER_PAUSE = 64;

/** `f`: the function's name, for the messages. */
export function runDescent(tape: Tape, options: DescentOptions, stopping: StoppingRule = {}, f = 'f'): DescentTrace {
  const run = descentInSteps(tape, options, stopping, f);
  for (;;) {
    const r = run.next();
    if (r.done) return r.value;
  }
}

/**
 * The same descent, pausing every STEPS_PER_PAUSE steps (the generator yields the steps done so far) so a
 * caller on the extension host can give the event loop a turn in a long run on a large cost; it returns the trace.
 */
export function* descentInSteps(tape: Tape, options: DescentOptions, stopping: StoppingRule = {}, f = 'f'): Generator<number, DescentTrace, void> {
  const n = tape.params.length;
  const theta = Float64Array.from(tape.params, (p) => options.start[p] ?? 0);
  const grad = new Float64Array(n);
  const update = new Float64Array(n);
  const optimizer: Optimizer = createOptimizer(options.optimizer, n, { learningRate: options.learningRate });
  const gradTol = stopping.gradientTolerance ?? 1e-8;
  const stepTol = stopping.stepTolerance ?? 1e-12;
  const steps: DescentStep[] = [];
  // Steps in a row where f rose and the step grew: the signature of η too large.
  let rising = 0;
  let lastStepLength = 0;
  let previousStepLength = 0;
  const names = tape.params;
  const describePoint = (): string => names.map((p, i) => `${p} = ${fmt(theta[i])}`).join(', ');
  const fullGradient = gradientFunction(tape);
  // mini-batch descent on a cost over data: the update follows the batch's gradient (seeded shuffling,
  // a new permutation each pass over the data); the value and the stopping test use all the samples
  const batchGradient = options.batchSize ? batchGradientFunction(tape) : undefined;
  const m = sampleCount(tape) ?? 0;
  const B = batchGradient ? Math.max(1, Math.min(options.batchSize ?? m, m)) : 0;
  const stochastic = batchGradient !== undefined && B < m;
  // the permutation is built only for a descent that draws batches (a 100,000-sample cost read for a hover draws none)
  const order = stochastic ? Array.from({ length: m }, (_, i) => i) : [];
  const rng = new Random(1);
  let cursor = m;
  const nextBatch = (): number[] => {
    if (cursor + B > m) {
      for (let i = m - 1; i > 0; i--) { const j = Math.floor(rng.uniform(0, 1) * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
      cursor = 0;
    }
    const batch = order.slice(cursor, cursor + B);
    cursor += B;
    return batch;
  };
  const batchGrad = new Float64Array(n);
  const valueAndGradient = fullGradient;
  const copy = (v: Float64Array): number[] => {
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = v[i];
    return out;
  };
  const allFinite = (v: Float64Array): boolean => {
    for (let i = 0; i < n; i++) if (!Number.isFinite(v[i])) return false;
    return true;
  };
  const exploded = (v: Float64Array): boolean => {
    for (let i = 0; i < n; i++) if (Math.abs(v[i]) > EXPLODE_POINT) return true;
    return false;
  };
  const norm = (v: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i] * v[i];
    return Math.sqrt(s);
  };

  for (let k = 0; ; k++) {
    if (k % STEPS_PER_PAUSE === STEPS_PER_PAUSE - 1) yield k;
    const value = valueAndGradient(theta, grad);
    if (!Number.isFinite(value) || !allFinite(grad)) {
      tape.forward(theta); // the interpreter keeps every node's value, to find the one that failed
      const bad = tape.firstInvalid();
      const domain = bad && /of a negative|of 0|outside|division by zero|non-integer power|negative power|undefined here/.test(bad.reason);
      if (Number.isFinite(value) && !bad) {
        // f is defined but its derivative is not (e.g. sqrt at 0)
        steps.push({ point: copy(theta), value, gradient: copy(grad) });
        return { status: 'undefined', steps, message: `the gradient is undefined at ${describePoint()} (step ${k})` };
      }
      steps.push({ point: copy(theta), value, gradient: copy(grad) });
      if (domain || k === 0) {
        return { status: 'undefined', steps, message: `${f} is undefined at ${describePoint()}${bad ? ` (${bad.reason})` : ''}${k > 0 ? `, reached at step ${k}` : ''}` };
      }
      return { ...runawayVerdict(tape, fullGradient, steps, k, 'the values overflowed', options.learningRate, f), steps };
    }
    const gradNorm = norm(grad);
    steps.push({ point: copy(theta), value, gradient: copy(grad) });
    if (k > 1 && value > steps[k - 1].value && lastStepLength > previousStepLength) rising++;
    else rising = 0;
    if (Math.abs(value) > EXPLODE_VALUE || exploded(theta) || rising >= RISING_STEPS) {
      const why = rising >= RISING_STEPS ? `${f} rose for ${rising} steps in a row, each step longer than the last (${f} = ${fmt(value)})` : `the values exploded (${f} = ${fmt(value)})`;
      return { ...runawayVerdict(tape, fullGradient, steps, k, why, options.learningRate, f), steps };
    }
    if (gradNorm < gradTol) return { ...settledVerdict(tape, fullGradient, theta, value, grad, k, `‖∇${f}‖ = ${fmt(gradNorm)}`, f), steps };
    if (k >= options.maxSteps) return { status: 'max-steps', steps, message: `stopped after ${k} steps (the step limit); ‖∇${f}‖ = ${fmt(gradNorm)}` };
    if (stochastic) {
      const batch = nextBatch();
      (batchGradient as BatchGradientFn)(theta, batchGrad, batch);
      optimizer.step(theta, batchGrad, update);
      steps[k].batch = batch;
      steps[k].batchGradient = copy(batchGrad);
    } else optimizer.step(theta, grad, update);
    const stepLength = norm(update);
    steps[k].update = copy(update);
    const state = optimizer.state();
    if (Object.keys(state).length > 0) steps[k].state = state;
    previousStepLength = lastStepLength;
    lastStepLength = stepLength;
    if (stepLength < stepTol && !stochastic) {
      const v = valueAndGradient(theta, grad);
      steps.push({ point: copy(theta), value: v, gradient: copy(grad) });
      return { ...settledVerdict(tape, fullGradient, theta, v, grad, k + 1, `the step length fell to ${fmt(stepLength)}`, f), steps };
    }
  }
}
