/**
 * A learning-rate sweep: the same descent from the same start for learning
 * rates spaced evenly in log, and the curvature that explains where it stops
 * converging. Near a minimum f ≈ f* + ½ δᵀHδ, and gradient descent multiplies
 * δ's component along each eigenvector of H by 1 − ηλ per step: it converges
 * when η < 2/L, L the largest eigenvalue of H.
 */
import { Tape } from './autodiff/tape';
import { gradientFunction } from './autodiff/compile';
import { DescentStatus, descentInSteps } from './descent';
import { symmetricEigen } from './eigen';
import { numericHessian } from './numeric';
import type { OptimizerName } from './optimizers';
import { finite } from './analysis';
import { oscillates } from './diagnose';
import type { SweepMark } from './views';

/** The sweep's learning rates: 41, evenly in log from 1e-4 to 10 (eight per decade, so 1e-3, 1e-2, … are among them). */
export const SWEEP_RATES = { from: 1e-4, to: 10, count: 41 } as const;

export interface SweepOptions {
  optimizer: OptimizerName;
  maxSteps: number;
  start: Record<string, number>;
  /** the learning rates: SWEEP_RATES unless given */
  rates?: { from: number; to: number; count: number };
}

export interface Sweep {
  optimizer: OptimizerName;
  etas: number[];
  /** per learning rate: how its descent ended, the value there (null where not finite), the steps it took */
  status: DescentStatus[];
  finalValue: Array<number | null>;
  steps: number[];
  /** per learning rate: whether its steps zig-zag (a coordinate's step flips sign again and again, as the diagnosis says) */
  oscillating: boolean[];
  /** the minimum the best converged run reached (the lowest final value), where the curvature is measured */
  minimum?: Record<string, number>;
  /** L, the largest eigenvalue of the Hessian at `minimum` */
  curvature?: number;
  /** 2/L: gradient descent converges near `minimum` for η below it (present when L > 0) */
  etaLimit?: number;
}

/** `count` numbers from `from` to `to`, evenly spaced in log (the ends exact). */
export function logSpace(from: number, to: number, count: number): number[] {
  const a = Math.log10(from);
  const b = Math.log10(to);
  return Array.from({ length: count }, (_, k) => (k === 0 ? from : k === count - 1 ? to : Math.pow(10, a + ((b - a) * k) / (count - 1))));
}

/** The largest eigenvalue of ∇²f at `point` (finite differences of the exact gradient). */
export function largestCurvature(tape: Tape, point: ArrayLike<number>): number {
  const eigenvalues = symmetricEigen(numericHessian(gradientFunction(tape), point)).values;
  return eigenvalues[eigenvalues.length - 1];
}

/** How the sweep marks a learning rate (SWEEP_MARKS): a zig-zag is oscillating whether or not it settled. */
export function sweepMark(status: DescentStatus, oscillating: boolean): SweepMark {
  if (status === 'diverged' || status === 'unbounded') return status;
  if (oscillating && (status === 'converged' || status === 'max-steps')) return 'oscillating';
  if (status === 'converged' || status === 'max-steps') return status;
  return 'other';
}

/**
 * The sweep in small pieces: the generator yields the number of rates done, after each rate's descent and
 * within a long one, so a caller (the extension host) can give the event loop a turn; it returns the whole sweep.
 */
export function* sweepByRate(tape: Tape, options: SweepOptions, f = 'f'): Generator<number, Sweep, void> {
  const { from, to, count } = options.rates ?? SWEEP_RATES;
  const etas = logSpace(from, to, count);
  const out: Sweep = { optimizer: options.optimizer, etas, status: [], finalValue: [], steps: [], oscillating: [] };
  let best: number[] | undefined;
  let bestValue = Infinity;
  for (const eta of etas) {
    // the descent pauses every few dozen steps: so does the sweep (a long run on a large cost is many slices)
    const run = descentInSteps(tape, { learningRate: eta, maxSteps: options.maxSteps, optimizer: options.optimizer, start: options.start }, {}, f);
    let r = run.next();
    for (; !r.done; r = run.next()) yield out.status.length;
    const trace = r.value;
    const last = trace.steps[trace.steps.length - 1];
    out.status.push(trace.status);
    out.finalValue.push(finite(last.value));
    out.steps.push(trace.steps.length - 1);
    out.oscillating.push(oscillates(trace));
    if (trace.status === 'converged' && last.value < bestValue) {
      bestValue = last.value;
      best = last.point;
    }
    yield out.status.length;
  }
  if (best) {
    const L = largestCurvature(tape, best);
    out.minimum = Object.fromEntries(tape.params.map((p, i) => [p, (best as number[])[i]]));
    out.curvature = L;
    if (L > 0) out.etaLimit = 2 / L;
  }
  return out;
}

export function runSweep(tape: Tape, options: SweepOptions, f = 'f'): Sweep {
  const runs = sweepByRate(tape, options, f);
  for (;;) {
    const r = runs.next();
    if (r.done) return r.value;
  }
}
