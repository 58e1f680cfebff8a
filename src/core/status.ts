/**
 * What the end of a descent is, read from the function and not from the
 * stopping test alone. A vanished gradient is a minimum only if f curves up
 * (or stays level) in every direction there: the Hessian, by central
 * differences of the tape's exact gradient, and its eigenvalues say so where
 * the curvature is clear; where it is flat, probes of f along the flat
 * directions decide. A runaway is `diverged` when f rose (the steps
 * overshoot: η past 2/L) and `unbounded` when f kept falling (no η helps).
 */
import type { Tape } from './autodiff/tape';
import { GradientFn, valueFunction } from './autodiff/compile';
import { symmetricEigen } from './eigen';
import { fmt } from './format';
import { numericHessian } from './numeric';
import type { DescentStatus } from './views';

export interface Verdict {
  status: DescentStatus;
  message: string;
}

/** A point of the path and f there. */
interface PathPoint {
  point: number[];
  value: number;
}

/**
 * Above this many parameters the Hessian (2n gradients, O(n³) per Jacobi
 * sweep) is not formed; probes along the coordinate axes stand in for it.
 */
const HESSIAN_LIMIT = 200;
/**
 * Curvature counts as none below this fraction of the largest |eigenvalue|
 * (or of 1): the Hessian's difference error is about ε^⅔ ≈ 4e-11 relative,
 * far below it, and a true curvature this small shows in the probes instead.
 */
const FLAT_CURVATURE = 1e-6;
/** A probe must find f lower by this fraction of max(1, |f|): less is rounding. */
const FALL = 1e-10;
/**
 * Probe distances, in units of max(1, ‖θ‖∞). A fall at the first NEAR of them
 * is next to the point (f bends down there: a saddle, like w³ at 0); a fall
 * only farther out means f is flat around the point and lower beyond (stalled).
 */
const PROBES = [1e-3, 1e-2, 1e-1, 1, 10];
const NEAR = 2;
/** A sigmoid or tanh whose slope is below this fraction of its steepest sits far in its tail (|u| > 15 for σ, > 7.6 for tanh). */
const SATURATED = 1e-6;
const STEEPEST: Partial<Record<string, number>> = { sigmoid: 0.25, tanh: 1 };

/**
 * The gradient vanished (or the step became negligible) at `point` after `k`
 * steps; `how` says which, in words. Converged only at a minimum.
 */
export function settledVerdict(tape: Tape, gradient: GradientFn, point: ArrayLike<number>, value: number, grad: ArrayLike<number>, k: number, how: string, f: string): Verdict {
  const n = point.length;
  const names = tape.params;
  const converged: Verdict = { status: 'converged', message: `converged after ${k} steps: ${how}` };
  const axes = names.map((_, i): number[] => names.map((__, j) => (i === j ? 1 : 0)));
  // directions along which the curvature does not settle the question: the probes decide there
  let flat = axes;
  const hessian = n <= HESSIAN_LIMIT ? numericHessian(gradient, point) : undefined;
  if (hessian && hessian.every((row) => row.every(Number.isFinite))) {
    const { values, vectors } = symmetricEigen(hessian);
    const tolerance = FLAT_CURVATURE * Math.max(1, Math.abs(values[0]), Math.abs(values[n - 1]));
    if (values[0] < -tolerance) {
      return { status: 'saddle', message: `saddle point after ${k} steps: ${how}, but ${f} curves down along ${direction(names, vectors[0], false)} (curvature ${fmt(values[0])}): not a minimum, ${f} still falls that way` };
    }
    flat = vectors.filter((_, i) => values[i] <= tolerance);
  }
  if (flat.length === 0) return converged;
  const fall = firstFall(valueFunction(tape), point, value, grad, flat);
  if (!fall) return converged;
  const lower = `a step of ${fmt(fall.t)} ${direction(names, fall.direction, true)} lowers ${f} to ${fmt(fall.value)}`;
  const unit = saturatedUnit(tape, point);
  if (unit) {
    return { status: 'stalled', message: `stalled after ${k} steps: ${how} because ${unit.text} saturated (its argument is ${fmt(unit.argument)}, where its slope is ${fmt(unit.slope)}); ${f} = ${fmt(value)} is not a minimum: ${lower}` };
  }
  if (fall.near) {
    return { status: 'saddle', message: `saddle point after ${k} steps: ${how}, but ${f} still falls: ${lower} from ${fmt(value)} (${f} is level to second order here, not at a minimum)` };
  }
  return { status: 'stalled', message: `stalled after ${k} steps: ${how} because ${f} is flat here (no curvature), not at a minimum: ${lower} from ${fmt(value)}` };
}

/**
 * The path ran away at step `k` (`what` says how, in words): `unbounded` when
 * f fell on the last step (it has no minimum that way), else `diverged`, with
 * the curvature L where the rise began and 2/L, the largest η that does not
 * overshoot there.
 */
export function runawayVerdict(tape: Tape, gradient: GradientFn, steps: readonly PathPoint[], k: number, what: string, learningRate: number, f: string): Verdict {
  const last = steps[k];
  const fell = k > 0 && (last.value === -Infinity || last.value < steps[k - 1].value);
  if (fell) {
    // the last point every coordinate of which is finite, to read the tape at
    const at = last.point.every(Number.isFinite) ? last : steps[k - 1];
    const reached = Number.isFinite(last.value) ? last : steps[k - 1];
    return { status: 'unbounded', message: `unbounded: ${f} kept falling, to ${fmt(reached.value)} at step ${steps.indexOf(reached)}: ${unboundedWhy(tape, at.point, f)}. No learning rate helps: a smaller η only slows the fall` };
  }
  // the step the rise began from: f rose (or left the numbers) on every step after it
  let j = k;
  while (j > 0 && !(steps[j].value <= steps[j - 1].value)) j--;
  const from = steps[j].point;
  let curvature = '';
  if (from.length <= HESSIAN_LIMIT && from.every(Number.isFinite)) {
    const values = symmetricEigen(numericHessian(gradient, from)).values;
    const L = values[values.length - 1];
    if (Number.isFinite(L) && learningRate * L > 2) {
      curvature = `: it is past 2/L = ${fmt(2 / L)}, where L = ${fmt(L)} is the largest curvature at step ${j} (the Hessian's largest eigenvalue), so each step overshoots; try η below ${fmt(2 / L)}`;
    }
  }
  return { status: 'diverged', message: `diverged at step ${k}: ${what}; the learning rate η = ${fmt(learningRate)} is too large${curvature || ', try a smaller one'}` };
}

/** The nearest probe, along a flat direction or its opposite, where f is lower than the linear part of f predicts. */
function firstFall(value: (x: ArrayLike<number>) => number, point: ArrayLike<number>, f0: number, grad: ArrayLike<number>, directions: number[][]): { direction: number[]; t: number; value: number; near: boolean } | undefined {
  const n = point.length;
  let scale = 1;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(point[i]));
  const noise = FALL * Math.max(1, Math.abs(f0));
  const x = new Float64Array(n);
  for (let p = 0; p < PROBES.length; p++) {
    const t = PROBES[p] * scale;
    for (const v of directions) {
      for (const sign of [1, -1]) {
        let slope = 0;
        for (let i = 0; i < n; i++) {
          x[i] = point[i] + sign * t * v[i];
          slope += sign * v[i] * grad[i];
        }
        const fx = value(x);
        // the remainder after the (vanishing) linear term: what the curvature and higher terms add
        if (Number.isFinite(fx) && fx - f0 - t * slope < -noise) return { direction: v.map((c) => sign * c), t, value: fx, near: p < NEAR };
      }
    }
  }
  return undefined;
}

/** Nodes whose value depends on a parameter. */
function dependsOnParams(tape: Tape): boolean[] {
  const out: boolean[] = [];
  for (const node of tape.nodes) out.push(node.op === 'input' || node.args.some((a) => out[a]));
  return out;
}

/** The sigmoid or tanh far in its tail through which the most gradient would flow if it were not (none: undefined). */
function saturatedUnit(tape: Tape, point: ArrayLike<number>): { text: string; argument: number; slope: number } | undefined {
  tape.forward(point);
  tape.backward();
  const depends = dependsOnParams(tape);
  let best: { text: string; argument: number; slope: number; held: number } | undefined;
  for (const node of tape.nodes) {
    const steepest = STEEPEST[node.op];
    if (steepest === undefined || !depends[node.args[0]]) continue;
    const slope = tape.localDerivative(node.id, 0);
    // the gradient the unit would pass at its steepest: what its saturation holds back
    const held = Math.abs(tape.adjoints[node.id]) * steepest;
    if (slope < SATURATED * steepest && held > 0 && held > (best?.held ?? 0)) {
      best = { text: describe(tape, node.id), argument: tape.values[node.args[0]], slope, held };
    }
  }
  return best;
}

/** Why f falls without limit, from the operation at `point` that has no minimum and is largest there. */
function unboundedWhy(tape: Tape, point: ArrayLike<number>, f: string): string {
  tape.forward(point);
  const depends = dependsOnParams(tape);
  let best: { id: number; size: number; kind: 'product' | 'odd power' } | undefined;
  for (const node of tape.nodes) {
    const [a, b] = node.args;
    const kind = node.op === 'mul' && depends[a] && depends[b] ? 'product'
      : node.op === 'pow' && depends[a] && tape.isConstant(b) && tape.constantOf(b) > 0 && tape.constantOf(b) % 2 === 1 ? 'odd power' : undefined;
    const size = Math.abs(tape.values[node.id]);
    if (kind && Number.isFinite(size) && size > (best?.size ?? 0)) best = { id: node.id, size, kind };
  }
  if (best?.kind === 'product') {
    return `${describe(tape, best.id)} is a product of parameters, which has no minimum: it falls without limit as its factors grow with opposite signs`;
  }
  if (best?.kind === 'odd power') {
    return `${describe(tape, best.id)} is an odd power, which has no minimum: it falls without limit as ${describe(tape, tape.nodes[best.id].args[0])} → −∞`;
  }
  // no operation to name: the coordinate that ran farthest
  let i = 0;
  for (let q = 1; q < point.length; q++) if (Math.abs(point[q]) > Math.abs(point[i])) i = q;
  return `${f} has no lower bound: it falls without limit as ${tape.params[i]} → ${point[i] < 0 ? '−' : ''}∞`;
}

const INFIX: Partial<Record<string, string>> = { add: ' + ', sub: ' − ', mul: '·', div: '/', pow: '^' };

/** A node as math text: named operands by their names, two levels deep (`sigmoid(w)`, `L = d·f`). */
function describe(tape: Tape, id: number): string {
  const text = (i: number, depth: number, top: boolean): string => {
    const node = tape.nodes[i];
    if (node.op === 'input') return node.label ?? '?';
    if (node.op === 'const') return fmt(tape.constantOf(i));
    if (node.label && !top) return node.label;
    if (depth === 0) return '…';
    const [a, b] = node.args.map((x) => text(x, depth - 1, false));
    const infix = INFIX[node.op];
    const body = infix ? `${a}${infix}${b}` : node.op === 'neg' ? `−${a}` : `${node.op}(${a})`;
    return infix && !top ? `(${body})` : body;
  };
  const node = tape.nodes[id];
  const body = text(id, 2, true);
  return node.label && node.op !== 'input' ? `${node.label} = ${body}` : body;
}

/** A unit direction in words: a parameter's axis by name, else its components. */
function direction(names: readonly string[], v: readonly number[], signed: boolean): string {
  const i = v.findIndex((c) => Math.abs(c) > 0.999);
  if (i >= 0) return signed ? `towards ${v[i] > 0 ? 'larger' : 'smaller'} ${names[i]}` : names[i];
  return `${signed ? 'along ' : ''}(${v.map((c) => fmt(c)).join(', ')}) in (${names.join(', ')})`;
}
