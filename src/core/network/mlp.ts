/**
 * A multilayer perceptron of dense layers on Float64Array: forward pass,
 * loss, backpropagation, and a gradient check against central differences.
 *
 * Parameters live in one flat vector so the shared optimizers update them in
 * one call: layer l holds W (units × fanIn, row-major) then b (units).
 * Batches are row-major too: sample i's features at [i·n, (i+1)·n).
 */
import { Local, OP_RULES, TEMPLATE_PRELUDE, canGenerateCode, fillTemplate } from '../autodiff/ops';
import { matmulABt, transpose } from './gemm';
import { Random } from './random';

export const ACTIVATIONS = ['linear', 'relu', 'leaky_relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'gelu', 'softplus'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export const LOSSES = ['mse', 'mae', 'binary_crossentropy', 'categorical_crossentropy'] as const;
export type Loss = (typeof LOSSES)[number];

export interface LossSpec {
  name: Loss;
  /** the loss applies sigmoid/softmax itself (PyTorch BCEWithLogitsLoss, CrossEntropyLoss) */
  fromLogits: boolean;
}

export type Initializer = 'glorot' | 'he' | 'pytorch';

/** What a layer computes: an activation, or GELU in its exact erf form (PyTorch's and Keras' default). */
export type LayerActivation = Activation | 'gelu_erf';

/** A network of at most this many parameters has every one checked against central differences. */
export const GRADIENT_CHECK_EVERY_PARAMETER = 16;
/** Past that, the random directions the gradient check differentiates along, besides its named parameters. */
export const GRADIENT_CHECK_DIRECTIONS = 4;

export interface GradientCheckResult {
  /** the worst of |bp − fd| / max(|bp|, |fd|, 1e-4) over the checks */
  maxRelativeError: number;
  /** where it is: a parameter (`W2[0][3]`, `b1[4]`) or `random direction 2` */
  worst: string;
  /** how many parameters were checked one by one, and along how many random directions */
  parameters: number;
  directions: number;
}

/** What the check did and found, in one sentence for the command line and the panel. */
export function gradientCheckText(c: GradientCheckResult & { on: string }, parameterCount: number): string {
  const what = c.directions === 0 ? (c.parameters >= parameterCount ? 'every parameter' : `${c.parameters} parameters`) : `along ${c.directions} random directions and at each layer's largest ∂L/∂W and ∂L/∂b`;
  return `gradient check (backprop vs central differences, ${what}, on ${c.on}): max relative error ${c.maxRelativeError.toExponential(2)}${c.worst ? ` at ${c.worst}` : ''}`;
}

/** probabilities are clipped to [ε, 1 − ε] inside logs, as Keras does */
const EPS = 1e-7;

/**
 * Per activation, the two loops over a layer, built from the op table's rule
 * (ops.ts): a = act(z), and ∂L/∂z = ∂L/∂a · act′(z). They are compiled from
 * the rule's templates, so the rule inlines into the loop (0.9× a hand-written
 * loop in npm run bench); where code generation is forbidden, closures over
 * the rule's functions do the same more slowly.
 */
interface ActivationKernel {
  activate(z: Float64Array, a: Float64Array, n: number): void;
  backward(dA: Float64Array, z: Float64Array, a: Float64Array, out: Float64Array): void;
}

function kernel(act: Exclude<LayerActivation, 'softmax'>): ActivationKernel {
  const rule = OP_RULES[act];
  if (canGenerateCode()) {
    // Straight loops from the table's templates (fixed text, no data), so each activation's rule inlines.
    const value = fillTemplate(rule.js, { a: 'x', b: 'NaN', v: 'NaN' });
    const local = fillTemplate(rule.jsLocal[0], { a: 'x', b: 'NaN', v: 'v' });
    /* eslint-disable no-new-func -- source from the op table's templates only */
    return {
      activate: new Function('z', 'a', 'n', `"use strict"; ${TEMPLATE_PRELUDE} for (let i = 0; i < n; i++) { const x = z[i]; a[i] = ${value}; }`) as ActivationKernel['activate'],
      backward: new Function('dA', 'z', 'a', 'out', `"use strict"; ${TEMPLATE_PRELUDE} for (let i = 0; i < dA.length; i++) { const x = z[i], v = a[i]; out[i] = dA[i] * (${local}); }`) as ActivationKernel['backward'],
    };
    /* eslint-enable no-new-func */
  }
  const valueOf = rule.value as (x: number, y: number) => number;
  const localOf = rule.local[0] as Local;
  return {
    activate(z, a, n) {
      for (let i = 0; i < n; i++) a[i] = valueOf(z[i], NaN);
    },
    backward(dA, z, a, out) {
      for (let i = 0; i < dA.length; i++) out[i] = dA[i] * localOf(z[i], NaN, a[i]);
    },
  };
}

const KERNELS: Record<Exclude<LayerActivation, 'softmax'>, ActivationKernel> = {
  linear: kernel('linear'), relu: kernel('relu'), leaky_relu: kernel('leaky_relu'), sigmoid: kernel('sigmoid'),
  tanh: kernel('tanh'), elu: kernel('elu'), gelu: kernel('gelu'), gelu_erf: kernel('gelu_erf'), softplus: kernel('softplus'),
};
const sigmoid = OP_RULES.sigmoid.value;

export class MLP {
  readonly sizes: number[];
  readonly params: Float64Array;
  readonly grads: Float64Array;
  /** offset of layer l's W in `params`; its b follows at wOffset + units·fanIn */
  readonly wOffset: number[] = [];
  /** per layer, after forward: pre-activations z and activations a for the batch */
  z: Float64Array[] = [];
  a: Float64Array[] = [];
  /** per layer, ∂L/∂z of the last backward pass, and a scratch ∂L/∂a */
  private delta: Float64Array[] = [];
  private dA: Float64Array[] = [];
  private batch = 0;
  private input: Float64Array = new Float64Array(0);
  /** the transposes of the backward pass, grown to the largest asked for */
  private scratchBuffers: Float64Array[] = [];

  constructor(readonly inputs: number, readonly units: number[], readonly activations: LayerActivation[], readonly loss: LossSpec) {
    this.sizes = [inputs, ...units];
    let n = 0;
    for (let l = 0; l < units.length; l++) {
      this.wOffset.push(n);
      n += units[l] * this.sizes[l] + units[l];
    }
    this.params = new Float64Array(n);
    this.grads = new Float64Array(n);
  }

  get parameterCount(): number {
    return this.params.length;
  }

  /**
   * Seeded initialisation: Glorot-uniform weights and zero biases (Keras and
   * TF.js defaults), He-uniform for the relu family, or PyTorch's
   * U(±1/√fanIn) for weights and biases.
   */
  initialize(seed: number, scheme: Initializer | 'auto' = 'auto'): void {
    const rng = new Random(seed);
    for (let l = 0; l < this.units.length; l++) {
      const fanIn = this.sizes[l];
      const fanOut = this.units[l];
      const act = this.activations[l];
      const s = scheme === 'auto' ? (['relu', 'leaky_relu', 'elu', 'gelu'].includes(act) ? 'he' : 'glorot') : scheme;
      const limit = s === 'he' ? Math.sqrt(6 / fanIn) : s === 'glorot' ? Math.sqrt(6 / (fanIn + fanOut)) : 1 / Math.sqrt(fanIn);
      const w = this.wOffset[l];
      for (let k = 0; k < fanOut * fanIn; k++) this.params[w + k] = rng.uniform(-limit, limit);
      for (let k = 0; k < fanOut; k++) this.params[w + fanOut * fanIn + k] = s === 'pytorch' ? rng.uniform(-limit, limit) : 0;
    }
  }

  /** Forward pass over a batch of `count` samples; returns the output activations. */
  forward(x: Float64Array, count: number): Float64Array {
    this.batch = count;
    this.input = x;
    const L = this.units.length;
    if (this.z.length !== L || this.z[0].length !== count * this.units[0]) {
      this.z = this.units.map((u) => new Float64Array(count * u));
      this.a = this.units.map((u) => new Float64Array(count * u));
      this.delta = this.units.map((u) => new Float64Array(count * u));
      this.dA = this.units.map((u) => new Float64Array(count * u));
    }
    let prev = x;
    for (let l = 0; l < L; l++) {
      const fanIn = this.sizes[l];
      const out = this.units[l];
      const w = this.wOffset[l];
      const b = w + out * fanIn;
      const z = this.z[l];
      const a = this.a[l];
      const act = this.activations[l];
      const P = this.params;
      matmulABt(prev, P.subarray(w, b), z, count, out, fanIn); // z = a_prev·Wᵀ
      for (let i = 0; i < count; i++) for (let j = 0; j < out; j++) z[i * out + j] += P[b + j]; // + b
      if (act === 'softmax') a.set(z.subarray(0, count * out));
      else KERNELS[act].activate(z, a, count * out);
      if (act === 'softmax') for (let i = 0; i < count; i++) softmaxInPlace(a, i * out, out);
      prev = a;
    }
    return this.a[L - 1];
  }

  /** The loss of the last forward pass against targets y (count × outputs). */
  lossValue(y: Float64Array): number {
    const L = this.units.length;
    const K = this.units[L - 1];
    const out = this.a[L - 1];
    const z = this.z[L - 1];
    const n = this.batch;
    let s = 0;
    switch (this.loss.name) {
      case 'mse':
        for (let i = 0; i < n * K; i++) s += (out[i] - y[i]) ** 2;
        return s / (n * K);
      case 'mae':
        for (let i = 0; i < n * K; i++) s += Math.abs(out[i] - y[i]);
        return s / (n * K);
      case 'binary_crossentropy':
        for (let i = 0; i < n * K; i++) {
          if (this.loss.fromLogits) {
            const v = z[i];
            s += Math.max(v, 0) - v * y[i] + Math.log1p(Math.exp(-Math.abs(v))); // stable −[y ln σ + (1−y) ln(1−σ)]
          } else {
            const p = Math.min(Math.max(out[i], EPS), 1 - EPS);
            s -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
          }
        }
        return s / (n * K);
      case 'categorical_crossentropy':
        for (let i = 0; i < n; i++) {
          if (this.loss.fromLogits) {
            // −Σ y log softmax(z) = logsumexp(z) − Σ y z
            let m = -Infinity;
            for (let k = 0; k < K; k++) m = Math.max(m, z[i * K + k]);
            let se = 0;
            for (let k = 0; k < K; k++) se += Math.exp(z[i * K + k] - m);
            const lse = m + Math.log(se);
            for (let k = 0; k < K; k++) s += y[i * K + k] * (lse - z[i * K + k]);
          } else {
            for (let k = 0; k < K; k++) s -= y[i * K + k] * Math.log(Math.min(Math.max(out[i * K + k], EPS), 1 - EPS));
          }
        }
        return s / n;
    }
  }

  /**
   * Backpropagation after `forward`: fills `grads` with ∂L/∂θ and returns
   * per-layer ‖∂L/∂W‖ and ‖∂L/∂b‖.
   */
  backward(y: Float64Array): Array<{ w: number; b: number }> {
    const L = this.units.length;
    const n = this.batch;
    const K = this.units[L - 1];
    const G = this.grads;
    const P = this.params;
    // δ = ∂L/∂z for the output layer
    let delta: Float64Array = this.delta[L - 1];
    const out = this.a[L - 1];
    const zL = this.z[L - 1];
    const lastAct = this.activations[L - 1];
    const loss = this.loss;
    if (loss.name === 'categorical_crossentropy' && (loss.fromLogits || lastAct === 'softmax')) {
      // softmax with cross-entropy, fused: ∂L/∂z = (p − y)/N
      for (let i = 0; i < n; i++) {
        if (loss.fromLogits) {
          const p = new Float64Array(K);
          for (let k = 0; k < K; k++) p[k] = zL[i * K + k];
          softmaxInPlace(p, 0, K);
          for (let k = 0; k < K; k++) delta[i * K + k] = (p[k] - y[i * K + k]) / n;
        } else for (let k = 0; k < K; k++) delta[i * K + k] = (out[i * K + k] - y[i * K + k]) / n;
      }
    } else if (loss.name === 'binary_crossentropy' && (loss.fromLogits || lastAct === 'sigmoid')) {
      // sigmoid with binary cross-entropy, fused: ∂L/∂z = (σ(z) − y)/(N·K)
      for (let i = 0; i < n * K; i++) {
        const p = loss.fromLogits ? sigmoid(zL[i]) : out[i];
        delta[i] = (p - y[i]) / (n * K);
      }
    } else {
      // ∂L/∂a, then through the output activation
      const dA = this.dA[L - 1];
      for (let i = 0; i < n * K; i++) {
        if (loss.name === 'mse') dA[i] = (2 * (out[i] - y[i])) / (n * K);
        // |a − y|: sign(a − y), 0 where they are equal (as PyTorch's L1Loss and Keras' MAE)
        else if (loss.name === 'mae') dA[i] = Math.sign(out[i] - y[i]) / (n * K);
        else if (loss.name === 'binary_crossentropy') {
          const p = out[i];
          dA[i] = p <= EPS || p >= 1 - EPS ? 0 : (p - y[i]) / (p * (1 - p)) / (n * K);
        } else {
          const p = out[i];
          dA[i] = p <= EPS || p >= 1 - EPS ? 0 : -y[i] / p / n;
        }
      }
      delta = this.throughActivation(L - 1, dA);
    }
    const norms: Array<{ w: number; b: number }> = new Array(L);
    for (let l = L - 1; l >= 0; l--) {
      const fanIn = this.sizes[l];
      const units = this.units[l];
      const w = this.wOffset[l];
      const b = w + units * fanIn;
      const prev = l === 0 ? this.input : this.a[l - 1];
      // ∂L/∂W = δᵀ·a_prev, as (δᵀ)·(a_prevᵀ)ᵀ; ∂L/∂b = Σᵢ δ, the rows of δᵀ summed
      const dT = transpose(delta, n, units, this.scratch(0, units * n));
      matmulABt(dT, transpose(prev, n, fanIn, this.scratch(1, fanIn * n)), G.subarray(w, b), units, fanIn, n);
      for (let j = 0; j < units; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += dT[j * n + i];
        G[b + j] = s;
      }
      norms[l] = this.layerNorms(l);
      if (l === 0) break;
      // ∂L/∂a_prev = δ·W, as δ·(Wᵀ)ᵀ; then through the activation: δ_prev = (δ·W) ⊙ act′(z_prev)
      const dPrev = this.dA[l - 1];
      matmulABt(delta, transpose(P.subarray(w, b), units, fanIn, this.scratch(2, fanIn * units)), dPrev, n, fanIn, units);
      delta = this.throughActivation(l - 1, dPrev);
    }
    return norms;
  }

  private scratch(slot: number, size: number): Float64Array {
    if (!(this.scratchBuffers[slot]?.length >= size)) this.scratchBuffers[slot] = new Float64Array(size);
    return this.scratchBuffers[slot];
  }

  /** ‖∂L/∂W‖ and ‖∂L/∂b‖ of layer l in `grads`. */
  private layerNorms(l: number): { w: number; b: number } {
    const G = this.grads;
    const w = this.wOffset[l];
    const b = w + this.units[l] * this.sizes[l];
    let nw = 0;
    for (let k = w; k < b; k++) nw += G[k] * G[k];
    let nb = 0;
    for (let k = b; k < b + this.units[l]; k++) nb += G[k] * G[k];
    return { w: Math.sqrt(nw), b: Math.sqrt(nb) };
  }

  /** Per layer ‖∂L/∂W‖ and ‖∂L/∂b‖ of the gradient now in `grads` (one summed from pieces of a batch, say). */
  gradientNorms(): Array<{ w: number; b: number }> {
    return this.units.map((_, l) => this.layerNorms(l));
  }

  /** ∂L/∂a → ∂L/∂z through layer l's activation. */
  private throughActivation(l: number, dA: Float64Array): Float64Array {
    const act = this.activations[l];
    const units = this.units[l];
    const z = this.z[l];
    const a = this.a[l];
    const out = this.delta[l];
    if (act === 'softmax') {
      // ∂L/∂zₖ = aₖ (∂L/∂aₖ − Σⱼ aⱼ ∂L/∂aⱼ)
      for (let i = 0; i < this.batch; i++) {
        let dot = 0;
        for (let k = 0; k < units; k++) dot += a[i * units + k] * dA[i * units + k];
        for (let k = 0; k < units; k++) out[i * units + k] = a[i * units + k] * (dA[i * units + k] - dot);
      }
      return out;
    }
    KERNELS[act].backward(dA, z, a, out);
    return out;
  }

  /** Another MLP with these parameters (and none of this one's caches). */
  clone(): MLP {
    const m = new MLP(this.inputs, this.units, this.activations, this.loss);
    m.params.set(this.params);
    return m;
  }

  /** L at the current parameters (a forward pass). */
  evaluateLoss(x: Float64Array, y: Float64Array, count: number): number {
    this.forward(x, count);
    return this.lossValue(y);
  }

  /** Layer l's weight or bias at flat index k, as `W1[j][i]` (out × in, PyTorch's layout) or `b1[j]`, layers counted from 1. */
  parameterName(k: number): string {
    let l = this.units.length - 1;
    while (l > 0 && this.wOffset[l] > k) l--;
    const fanIn = this.sizes[l];
    const r = k - this.wOffset[l];
    const units = this.units[l];
    return r < units * fanIn ? `W${l + 1}[${Math.floor(r / fanIn)}][${r % fanIn}]` : `b${l + 1}[${r - units * fanIn}]`;
  }

  /**
   * Backprop against central differences, at a cost that does not grow with
   * the network: every parameter of a network of at most
   * GRADIENT_CHECK_EVERY_PARAMETER; otherwise, per layer, the weight and the
   * bias with the largest |∂L/∂θ|, and the derivative along
   * GRADIENT_CHECK_DIRECTIONS seeded random unit directions u (∇L·u against
   * (L(θ + hu) − L(θ − hu))/2h), which sees a wrong gradient anywhere in a
   * layer. Each check is one pair of forward passes. The error of each is
   * |bp − fd| / max(|bp|, |fd|, 1e-4); the worst is returned with its name.
   */
  gradientCheck(x: Float64Array, y: Float64Array, count: number): GradientCheckResult {
    return finish(this.gradientCheckSteps(x, y, count));
  }

  /** The gradient check as steps: it yields after each pair of forward passes, so a caller can spread it over time slices. */
  *gradientCheckSteps(x: Float64Array, y: Float64Array, count: number): Generator<void, GradientCheckResult> {
    this.forward(x, count);
    this.backward(y);
    const bp = Float64Array.from(this.grads);
    yield;
    const P = this.params;
    let worst = 0;
    let where = '';
    const judge = (analytic: number, numeric: number, name: string): void => {
      const err = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), 1e-4);
      if (err > worst || !where) [worst, where] = [err, name];
    };
    const coordinates: number[] = [];
    if (P.length <= GRADIENT_CHECK_EVERY_PARAMETER) for (let k = 0; k < P.length; k++) coordinates.push(k);
    else {
      const largest = (from: number, to: number): number => {
        let at = from;
        for (let k = from; k < to; k++) if (Math.abs(bp[k]) > Math.abs(bp[at])) at = k;
        return at;
      };
      this.units.forEach((units, l) => {
        const b = this.wOffset[l] + units * this.sizes[l];
        coordinates.push(largest(this.wOffset[l], b), largest(b, b + units));
      });
    }
    for (const k of coordinates) {
      const old = P[k];
      const h = 1e-5 * Math.max(1, Math.abs(old));
      P[k] = old + h;
      const up = this.evaluateLoss(x, y, count);
      P[k] = old - h;
      const down = this.evaluateLoss(x, y, count);
      P[k] = old;
      judge(bp[k], (up - down) / (2 * h), this.parameterName(k));
      yield;
    }
    const directions = P.length <= GRADIENT_CHECK_EVERY_PARAMETER ? 0 : GRADIENT_CHECK_DIRECTIONS;
    const rng = new Random(0x5eed);
    const theta = Float64Array.from(P);
    const u = new Float64Array(P.length);
    for (let d = 0; d < directions; d++) {
      let norm = 0;
      for (let k = 0; k < u.length; k++) norm += (u[k] = rng.normal()) ** 2;
      norm = Math.sqrt(norm);
      let along = 0;
      for (let k = 0; k < u.length; k++) along += bp[k] * (u[k] /= norm);
      const h = 1e-5;
      for (let k = 0; k < u.length; k++) P[k] = theta[k] + h * u[k];
      const up = this.evaluateLoss(x, y, count);
      for (let k = 0; k < u.length; k++) P[k] = theta[k] - h * u[k];
      const down = this.evaluateLoss(x, y, count);
      P.set(theta);
      judge(along, (up - down) / (2 * h), `random direction ${d + 1}`);
      yield;
    }
    this.forward(x, count);
    this.grads.set(bp);
    return { maxRelativeError: worst, worst: where, parameters: coordinates.length, directions };
  }

  /**
   * Whether some kinked unit (relu, leaky_relu, elu) sits within `margin` of its kink on this batch,
   * or, given the targets, an output of a mean absolute error within `margin` of its target.
   */
  nearKink(x: Float64Array, count: number, margin = 1e-3, y?: Float64Array): boolean {
    const out = this.forward(x, count);
    if (y && this.loss.name === 'mae' && out.subarray(0, y.length).some((a, i) => Math.abs(a - y[i]) < margin)) return true;
    return this.activations.some((act, l) => ['relu', 'leaky_relu', 'elu'].includes(act) && this.z[l].some((v) => Math.abs(v) < margin));
  }
}

/** Runs steps to their end and returns what they return. */
export function finish<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

function softmaxInPlace(a: Float64Array, at: number, n: number): void {
  let m = -Infinity;
  for (let k = 0; k < n; k++) m = Math.max(m, a[at + k]);
  let s = 0;
  for (let k = 0; k < n; k++) {
    a[at + k] = Math.exp(a[at + k] - m);
    s += a[at + k];
  }
  for (let k = 0; k < n; k++) a[at + k] /= s;
}
