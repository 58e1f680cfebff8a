/**
 * First-order optimizers over flat parameter vectors, shared by the function
 * descent and the network trainer. Each `step` turns the gradient into the
 * update Δ it subtracts (θ ← θ − Δ), writing Δ into `update`.
 */
export const OPTIMIZER_NAMES = ['gd', 'sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface OptimizerInfo {
  /** what the panel's menu says */
  label: string;
  /** offered for functions, for networks, or both (gd and sgd are one rule under two names) */
  for: ReadonlyArray<'function' | 'network'>;
  /** the update rule, in KaTeX, over the parameter θ, the gradient g and the step t */
  ruleTex: string;
  /** the update rule in plain text (screen readers, the command line) */
  ruleText: string;
  /** Δ = η × this where the rule is that product: the gradient g (gd, sgd) or the velocity v (momentum) */
  product?: 'g' | 'v';
}

/** Every optimizer's name, menu label and update rule: the one list the panel, the protocol and the command line use. */
export const OPTIMIZERS: Readonly<Record<OptimizerName, OptimizerInfo>> = {
  gd: { label: 'gradient descent', for: ['function'], ruleTex: '\\theta \\leftarrow \\theta - \\eta\\, g', ruleText: 'θ ← θ − η·g', product: 'g' },
  sgd: { label: 'sgd', for: ['network'], ruleTex: '\\theta \\leftarrow \\theta - \\eta\\, g', ruleText: 'θ ← θ − η·g', product: 'g' },
  momentum: { label: 'momentum', for: ['function', 'network'], ruleTex: 'v \\leftarrow \\mu v + g,\\quad \\theta \\leftarrow \\theta - \\eta\\, v', ruleText: 'v ← μ·v + g, θ ← θ − η·v', product: 'v' },
  nesterov: { label: 'nesterov', for: ['function', 'network'], ruleTex: 'v \\leftarrow \\mu v + g,\\quad \\theta \\leftarrow \\theta - \\eta\\,(g + \\mu v)', ruleText: 'v ← μ·v + g, θ ← θ − η·(g + μ·v)' },
  adagrad: { label: 'adagrad', for: ['function', 'network'], ruleTex: 'G \\leftarrow G + g^2,\\quad \\theta \\leftarrow \\theta - \\frac{\\eta\\, g}{\\sqrt{G} + \\varepsilon}', ruleText: 'G ← G + g², θ ← θ − η·g / (√G + ε)' },
  rmsprop: { label: 'rmsprop', for: ['function', 'network'], ruleTex: 's \\leftarrow \\rho s + (1-\\rho) g^2,\\quad \\theta \\leftarrow \\theta - \\frac{\\eta\\, g}{\\sqrt{s} + \\varepsilon}', ruleText: 's ← ρ·s + (1−ρ)·g², θ ← θ − η·g / (√s + ε)' },
  adam: {
    label: 'adam', for: ['function', 'network'],
    ruleTex: 'm \\leftarrow \\beta_1 m + (1-\\beta_1) g,\\ v \\leftarrow \\beta_2 v + (1-\\beta_2) g^2,\\ \\theta \\leftarrow \\theta - \\frac{\\eta\\, \\hat m}{\\sqrt{\\hat v} + \\varepsilon}',
    ruleText: 'm ← β₁·m + (1−β₁)·g, v ← β₂·v + (1−β₂)·g², θ ← θ − η·m̂ / (√v̂ + ε)',
  },
};

/** gd and sgd are one rule under two names: the name a function's descent (gd) or a network's training (sgd) gives it. */
export function optimizerFor(kind: 'function' | 'network', name: OptimizerName): OptimizerName {
  if (kind === 'function' && name === 'sgd') return 'gd';
  if (kind === 'network' && name === 'gd') return 'sgd';
  return name;
}

/** The optimizers the panel offers for a function or a network, in menu order. */
export function optimizerMenu(kind: 'function' | 'network'): OptimizerName[] {
  return OPTIMIZER_NAMES.filter((n) => OPTIMIZERS[n].for.includes(kind));
}

export interface OptimizerOptions {
  learningRate: number;
  /** momentum coefficient μ (momentum, nesterov) */
  momentum?: number;
  /** β₁, β₂ for adam; β₂ is rmsprop's decay ρ */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** L2 penalty added to the gradient (PyTorch's weight_decay): g ← g + λθ */
  weightDecay?: number;
  /** the decay applied to the weights directly, before the update (AdamW): θ ← θ(1 − ηλ) */
  decoupledWeightDecay?: boolean;
  /** rmsprop's momentum (PyTorch RMSprop(momentum=…)) */
  rmsMomentum?: number;
  /** adagrad's learning-rate decay: η_t = η / (1 + (t − 1)·decay) */
  lrDecay?: number;
  /** adagrad's starting accumulator (Keras 0.1, PyTorch 0) */
  initialAccumulator?: number;
  /**
   * adam's ε is the paper's ε̂, as Keras has it: θ ← θ − η·√(1−β₂ᵗ)/(1−β₁ᵗ)·m / (√v + ε)
   * (PyTorch and TF.js: θ ← θ − η·m̂ / (√v̂ + ε); the two differ only through ε)
   */
  epsilonHat?: boolean;
}

export interface Optimizer {
  readonly name: OptimizerName;
  learningRate: number;
  /** θ ← θ − Δ; Δ is written to `update` when given. */
  step(theta: Float64Array, gradient: Float64Array, update?: Float64Array): void;
  reset(): void;
  /** The state the update rule keeps, by the names its rule uses (after the last step): v, G, s, m̂ and v̂. */
  state(): Record<string, number[]>;
}

export function isOptimizerName(s: string): s is OptimizerName {
  return (OPTIMIZER_NAMES as readonly string[]).includes(s);
}

/** The momentum μ, β₁, β₂ (rmsprop's ρ) and ε an optimizer uses: what `options` sets, the defaults for the rest. */
export function hyperparameters(name: OptimizerName, options: OptimizerOptions): { momentum: number; beta1: number; beta2: number; epsilon: number } {
  return {
    momentum: options.momentum ?? 0.9,
    beta1: options.beta1 ?? 0.9,
    beta2: options.beta2 ?? (name === 'rmsprop' ? 0.9 : 0.999),
    epsilon: options.epsilon ?? (name === 'adagrad' ? 1e-10 : name === 'rmsprop' ? 1e-7 : 1e-8),
  };
}

export function createOptimizer(name: OptimizerName, size: number, options: OptimizerOptions): Optimizer {
  const { momentum: mu, beta1: b1, beta2: b2, epsilon: eps } = hyperparameters(name, options);
  const wd = options.weightDecay ?? 0;
  const decoupled = options.decoupledWeightDecay ?? false;
  const epsilonHat = options.epsilonHat ?? false;
  const rmsMu = options.rmsMomentum ?? 0;
  const lrDecay = options.lrDecay ?? 0;
  const acc0 = options.initialAccumulator ?? 0;
  const m = new Float64Array(size); // first moment / velocity
  const s = new Float64Array(size).fill(acc0); // second moment / accumulated squares
  const buf = new Float64Array(size); // rmsprop's momentum buffer
  let t = 0;
  const scratch = new Float64Array(size);
  const opt: Optimizer = {
    name,
    learningRate: options.learningRate,
    reset() { m.fill(0); s.fill(acc0); buf.fill(0); t = 0; },
    state(): Record<string, number[]> {
      switch (name) {
        case 'gd': case 'sgd': return {};
        case 'momentum': case 'nesterov': return { v: Array.from(m) };
        case 'adagrad': return { G: Array.from(s) };
        case 'rmsprop': return { s: Array.from(s) };
        case 'adam': return {
          'm̂': Array.from(m, (x) => x / (1 - Math.pow(b1, t))),
          'v̂': Array.from(s, (x) => x / (1 - Math.pow(b2, t))),
        };
      }
    },
    step(theta, grad, update = scratch) {
      const lr = opt.learningRate;
      t++;
      let g = grad;
      if (wd !== 0 && !decoupled) {
        // L2 penalty in the gradient: g ← g + λθ
        g = new Float64Array(size);
        for (let i = 0; i < size; i++) g[i] = grad[i] + wd * theta[i];
      }
      const before = decoupled && wd !== 0 ? Float64Array.from(theta) : undefined;
      if (before) for (let i = 0; i < size; i++) theta[i] *= 1 - lr * wd; // AdamW: θ ← θ(1 − ηλ)
      // Adam's bias corrections 1 − βᵗ and its ε̂ form's step η_t = η√(1 − β₂ᵗ)/(1 − β₁ᵗ), once a step
      const c1 = 1 - Math.pow(b1, t);
      const c2 = 1 - Math.pow(b2, t);
      const lrHat = (lr * Math.sqrt(c2)) / c1;
      for (let i = 0; i < size; i++) {
        let d: number;
        switch (name) {
          case 'gd': case 'sgd':
            d = lr * g[i]; // Δ = η g
            break;
          case 'momentum':
            m[i] = mu * m[i] + g[i]; // v ← μv + g
            d = lr * m[i]; // Δ = η v
            break;
          case 'nesterov':
            m[i] = mu * m[i] + g[i]; // v ← μv + g
            d = lr * (g[i] + mu * m[i]); // Δ = η (g + μv), the look-ahead form
            break;
          case 'adagrad':
            s[i] += g[i] * g[i]; // G ← G + g²
            d = ((lr / (1 + (t - 1) * lrDecay)) * g[i]) / (Math.sqrt(s[i]) + eps); // Δ = η_t g / (√G + ε)
            break;
          case 'rmsprop':
            s[i] = b2 * s[i] + (1 - b2) * g[i] * g[i]; // E[g²] ← ρE[g²] + (1−ρ)g²
            if (rmsMu > 0) {
              buf[i] = rmsMu * buf[i] + g[i] / (Math.sqrt(s[i]) + eps); // b ← μb + g / (√E[g²] + ε)
              d = lr * buf[i];
            } else d = (lr * g[i]) / (Math.sqrt(s[i]) + eps); // Δ = η g / (√E[g²] + ε)
            break;
          case 'adam': {
            m[i] = b1 * m[i] + (1 - b1) * g[i]; // m ← β₁m + (1−β₁)g
            s[i] = b2 * s[i] + (1 - b2) * g[i] * g[i]; // v ← β₂v + (1−β₂)g²
            if (epsilonHat) {
              d = lrHat * (m[i] / (Math.sqrt(s[i]) + eps)); // Δ = η_t m / (√v + ε̂)
              break;
            }
            const mh = m[i] / c1; // bias corrections
            const vh = s[i] / c2;
            d = (lr * mh) / (Math.sqrt(vh) + eps); // Δ = η m̂ / (√v̂ + ε)
            break;
          }
        }
        update[i] = before ? d + (before[i] - theta[i]) : d;
        theta[i] -= d;
      }
    },
  };
  return opt;
}
