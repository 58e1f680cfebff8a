/**
 * Why a descent behaved as it did, in words a learner can act on: steps that
 * flip sign (η near 2/L, with L the curvature along the path), a kink of
 * |u| or relu(u) crossed on the way, a run cut short by the step limit.
 * Read from the trace and the tape; nothing here changes the descent.
 */
import type { DescentStatus, DescentTrace } from './descent';
import type { Tape } from './autodiff/tape';
import { fmt } from './format';

/** Ends of a run that did not settle: a kink crossed on the way is one the steps keep bouncing around. */
const bouncing: ReadonlySet<DescentStatus> = new Set(['diverged', 'max-steps', 'undefined']);

/** Consecutive sign flips of a coordinate's step that count as oscillation. */
const FLIPS = 4;

/** The longest run of consecutive sign flips of coordinate `i`'s step among `updated` (the steps that have an update), and the step where it starts. */
function signFlips(updated: ReadonlyArray<{ update?: number[] }>, i: number): { best: number; at: number } {
  let run = 0;
  let best = 0;
  let at = -1;
  for (let k = 1; k < updated.length; k++) {
    const a = updated[k - 1].update?.[i] ?? 0;
    const b = updated[k].update?.[i] ?? 0;
    if (a !== 0 && b !== 0 && Math.sign(a) !== Math.sign(b)) {
      run++;
      if (run > best) { best = run; at = k - run + 1; }
    } else run = 0;
  }
  return { best, at };
}

/** Whether a descent oscillates: some coordinate's step flips sign FLIPS times in a row (what the diagnosis calls oscillation). */
export function oscillates(trace: DescentTrace): boolean {
  const updated = trace.steps.filter((s) => s.update);
  const n = trace.steps[0]?.point.length ?? 0;
  for (let i = 0; i < n; i++) if (signFlips(updated, i).best >= FLIPS) return true;
  return false;
}

export function diagnoseDescent(tape: Tape, trace: DescentTrace, learningRate: number, name: string): string[] {
  const out: string[] = [];
  const steps = trace.steps.filter((s) => s.update);
  const params = tape.params;

  let kinkMessage: string | undefined;
  // A kink crossed: the argument of |u| or relu(u) changes sign between two steps.
  const kinks = tape.nodes.filter((n) => n.op === 'abs' || n.op === 'relu');
  if (kinks.length > 0 && trace.steps.length > 1) {
    let previous: number[] | undefined;
    for (let k = 0; k < trace.steps.length; k++) {
      const p = trace.steps[k].point;
      if (!p.every(Number.isFinite)) break;
      tape.forward(p);
      const signs = kinks.map((n) => Math.sign(tape.values[n.args[0]]));
      if (previous) {
        const j = signs.findIndex((s, q) => s !== 0 && previous?.[q] !== 0 && s !== previous?.[q]);
        if (j >= 0) {
          const n = kinks[j];
          const what = n.op === 'abs' ? '|u|' : 'relu(u)';
          const slopes = n.op === 'abs' ? 'its slope jumps between −1 and +1' : 'its slope jumps between 0 and 1';
          kinkMessage = `kink: between steps ${k - 1} and ${k} the path crossed the kink of ${what} at u = 0, where ${name} has no derivative; ${slopes}, so a fixed step ${bouncing.has(trace.status) ? 'keeps bouncing around it instead of settling' : 'crossed it'}.`;
          break;
        }
      }
      previous = signs;
    }
  }

  // Oscillation: a coordinate's step changes sign again and again.
  for (let i = 0; i < params.length; i++) {
    const { best, at } = signFlips(steps, i);
    if (best < FLIPS) continue;
    // the curvature along this coordinate, from the change of the slope over the change of the point (a secant)
    const k = at;
    const dx = (steps[k].point[i] - steps[k - 1].point[i]);
    const dg = (steps[k].gradient[i] - steps[k - 1].gradient[i]);
    const L = dx !== 0 ? Math.abs(dg / dx) : NaN;
    const r = learningRate * L;
    const outcome = Math.abs(r - 2) < 1e-6 ? 'each step lands exactly as far on the other side of the minimum, forever'
      : r > 2 ? (trace.status === 'diverged' ? 'each step overshoots the minimum and lands farther away' : 'each step there overshoots and lands farther away, until the path reaches a flatter region')
        : 'each step overshoots the minimum but lands a little closer (a damped zig-zag)';
    const curvature = kinkMessage ? ' It is bouncing across a kink (below).'
      : Number.isFinite(L) && L > 0
        ? ` ${at > 1 ? `Where it starts, the` : 'The'} curvature along ${params[i]} is about L = ${fmt(L)}, and η = ${fmt(learningRate)} is ${r > 2 + 1e-6 ? 'past' : Math.abs(r - 2) < 1e-6 ? 'exactly' : 'between 1/L and'} 2/L = ${fmt(2 / L)}: ${outcome}. With η below 1/L = ${fmt(1 / L)} the steps do not overshoot.`
        : '';
    out.push(`oscillation: the step in ${params[i]} flips sign ${best + 1} times in a row from step ${at - 1}.${curvature}`);
  }

  if (kinkMessage) out.push(kinkMessage);

  // Still descending when the step limit came (and not because it oscillates).
  if (trace.status === 'max-steps' && out.length === 0 && trace.steps.length > 2) {
    const first = trace.steps[0];
    const last = trace.steps[trace.steps.length - 1];
    if (last.value < first.value) {
      out.push(`step limit: ${name} fell from ${fmt(first.value)} to ${fmt(last.value)} in ${trace.steps.length - 1} steps and ‖∇${name}‖ is still ${fmt(Math.hypot(...last.gradient))}: it was still descending. More steps, or a larger η (below 2/L, where L is the curvature), would go further.`);
    }
  }
  return out;
}

/** What a network's training looks like from inside, after a forward pass over the data (`mlp.z`, `mlp.a` filled). */
export interface NetworkState {
  units: number[];
  activations: string[];
  /** per layer, for the batch: pre-activations and activations, sample-major */
  z: Float64Array[];
  a: Float64Array[];
  count: number;
  /** per layer ‖∂L/∂W‖ of the last backward pass */
  gradNorms: number[];
  /** loss per epoch so far */
  losses: number[];
}

/** Plateaus, vanishing gradients (and where), dead ReLUs, saturated units. */
export function diagnoseNetwork(s: NetworkState): string[] {
  const out: string[] = [];
  const L = s.units.length;
  // dead ReLUs: never positive on any sample
  for (let l = 0; l < L; l++) {
    if (s.activations[l] !== 'relu' || s.count === 0) continue;
    const n = s.units[l];
    let dead = 0;
    for (let j = 0; j < n; j++) {
      let alive = false;
      for (let i = 0; i < s.count && !alive; i++) if (s.z[l][i * n + j] > 0) alive = true;
      if (!alive) dead++;
    }
    if (dead > 0) out.push(`dead ReLUs: ${dead} of ${n} units in layer ${l + 1} are never active on the data (z ≤ 0 for every sample), so no gradient flows through them and they cannot recover.`);
  }
  // saturation: sigmoid or tanh units pinned near their flat ends
  for (let l = 0; l < L; l++) {
    const act = s.activations[l];
    if ((act !== 'sigmoid' && act !== 'tanh') || s.count === 0) continue;
    const a = s.a[l];
    const total = s.count * s.units[l];
    let flat = 0;
    for (let k = 0; k < total; k++) {
      const v = act === 'tanh' ? Math.abs(a[k]) > 0.99 : a[k] < 0.01 || a[k] > 0.99;
      if (v) flat++;
    }
    if (flat / total > 0.9 && l < L - 1) out.push(`saturation: ${Math.round((100 * flat) / total)}% of the ${act} activations in layer ${l + 1} sit on its flat ends (|slope| < 0.01), so gradients through them are nearly zero. Smaller starting weights or inputs scaled to about [−1, 1] help.`);
  }
  // vanishing gradients: far smaller towards the input
  const norms = s.gradNorms;
  if (norms.length > 1) {
    const top = Math.max(...norms);
    const first = norms.findIndex((g) => g < 1e-6 * top || g < 1e-12);
    if (top > 0 && first >= 0 && first < norms.length - 1) {
      out.push(`vanishing gradients: ‖∂L/∂W‖ is ${fmt(norms[first])} in layer ${first + 1} against ${fmt(top)} in layer ${norms.indexOf(top) + 1}; the layers before layer ${first + 2} barely learn.`);
    }
  }
  // plateau: the loss has not moved for a while
  const h = s.losses;
  const W = 100;
  if (h.length > W) {
    const now = h[h.length - 1];
    const then = h[h.length - 1 - W];
    if (Number.isFinite(now) && Number.isFinite(then) && Math.abs(then - now) <= 1e-4 * Math.max(Math.abs(then), 1e-12) && now > 1e-3) {
      out.push(`plateau: the loss stayed at ${fmt(now)} for the last ${W} epochs${norms.length ? ` (‖∂L/∂W‖ ≤ ${fmt(Math.max(...norms))})` : ''}. ${out.length ? 'The notes above say why.' : 'A larger η, momentum or Adam, or new starting weights (New seed) may get it moving.'}`);
    }
  }
  return out;
}
