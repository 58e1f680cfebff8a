/**
 * First-order optimizers over flat parameter vectors, shared by the function
 * descent and the network trainer. Each `step` turns the gradient into the
 * update Δ it subtracts (θ ← θ − Δ), writing Δ into `update`.
 */
export const OPTIMIZER_NAMES = ['gd', 'sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface OptimizerOptions {
  learningRate: number;
  /** momentum coefficient μ (momentum, nesterov) */
  momentum?: number;
  /** β₁, β₂ for adam; β₂ is rmsprop's decay ρ */
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export interface Optimizer {
  readonly name: OptimizerName;
  learningRate: number;
  /** θ ← θ − Δ; Δ is written to `update` when given. */
  step(theta: Float64Array, gradient: Float64Array, update?: Float64Array): void;
  reset(): void;
}

export function isOptimizerName(s: string): s is OptimizerName {
  return (OPTIMIZER_NAMES as readonly string[]).includes(s);
}

export function createOptimizer(name: OptimizerName, size: number, options: OptimizerOptions): Optimizer {
  const mu = options.momentum ?? 0.9;
  const b1 = options.beta1 ?? 0.9;
  const b2 = options.beta2 ?? (name === 'rmsprop' ? 0.9 : 0.999);
  const eps = options.epsilon ?? (name === 'adagrad' ? 1e-10 : name === 'rmsprop' ? 1e-7 : 1e-8);
  const m = new Float64Array(size); // first moment / velocity
  const s = new Float64Array(size); // second moment / accumulated squares
  let t = 0;
  const scratch = new Float64Array(size);
  const opt: Optimizer = {
    name,
    learningRate: options.learningRate,
    reset() { m.fill(0); s.fill(0); t = 0; },
    step(theta, g, update = scratch) {
      const lr = opt.learningRate;
      t++;
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
            d = (lr * g[i]) / (Math.sqrt(s[i]) + eps); // Δ = η g / (√G + ε)
            break;
          case 'rmsprop':
            s[i] = b2 * s[i] + (1 - b2) * g[i] * g[i]; // E[g²] ← ρE[g²] + (1−ρ)g²
            d = (lr * g[i]) / (Math.sqrt(s[i]) + eps); // Δ = η g / (√E[g²] + ε)
            break;
          case 'adam': {
            m[i] = b1 * m[i] + (1 - b1) * g[i]; // m ← β₁m + (1−β₁)g
            s[i] = b2 * s[i] + (1 - b2) * g[i] * g[i]; // v ← β₂v + (1−β₂)g²
            const mh = m[i] / (1 - Math.pow(b1, t)); // bias corrections
            const vh = s[i] / (1 - Math.pow(b2, t));
            d = (lr * mh) / (Math.sqrt(vh) + eps); // Δ = η m̂ / (√v̂ + ε)
            break;
          }
        }
        update[i] = d;
        theta[i] -= d;
      }
    },
  };
  return opt;
}
