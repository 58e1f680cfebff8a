/** The command line's and the panel's summary of a network: structure, gradient check, training. */
import { NetworkDefinition } from './spec';
import { DEFAULT_SEED, Trainer, TrainerOptions } from './trainer';

export interface NetworkAnalysis {
  kind: 'network';
  framework: string;
  name: string | null;
  range: { startLine: number; endLine: number };
  inputs: number;
  layers: Array<{ units: number; activation: string }>;
  parameters: number;
  loss: string;
  fromLogits: boolean;
  optimizer: { name: string; learningRate: number } & Record<string, unknown>;
  data: { source: string; samples: number };
  seed: number;
  /** `checked`: the parameters differentiated numerically (every one, or an even sample of a large network) */
  gradientCheck: { maxRelativeError: number; on: 'data' | 'random inputs'; checked: number };
  /** the loss at the starting weights, before any update */
  initialLoss: number;
  training: { epochs: number; loss: number[]; finalLoss: number };
  /** per dense layer, W (out × in) and b: where training starts and where it ends */
  weights: { initial: Array<{ W: number[][]; b: number[] }>; final: Array<{ W: number[][]; b: number[] }> };
  notes: string[];
}

/** Where training stops when neither the file (`fit(epochs=…)`, `range(N)`) nor the user says: the panel and the command line alike. */
export const DEFAULT_EPOCHS = 1000;

export function analyzeNetwork(def: NetworkDefinition, options: TrainerOptions & { epochs?: number } = {}): NetworkAnalysis {
  const trainer = new Trainer(def, options);
  const initial = trainer.weights();
  const initialLoss = trainer.loss();
  const gradientCheck = trainer.gradientCheck();
  const epochs = options.epochs ?? def.epochs ?? DEFAULT_EPOCHS;
  trainer.run(epochs);
  const finite = (v: number): number => (Number.isFinite(v) ? v : NaN);
  return {
    kind: 'network',
    framework: def.framework,
    name: def.name,
    range: { startLine: def.startLine, endLine: def.endLine },
    inputs: def.inputs,
    layers: def.layers.map((l) => ({ units: l.units, activation: l.activation })),
    parameters: trainer.mlp.parameterCount,
    loss: def.loss,
    fromLogits: def.fromLogits,
    // the hyperparameters the file sets and its framework's defaults for the rest
    optimizer: { ...(trainer.optimizer.name === def.optimizer.name ? def.optimizer : {}), name: trainer.optimizer.name, learningRate: trainer.optimizer.learningRate },
    data: { source: trainer.source, samples: trainer.data.count },
    seed: options.seed ?? DEFAULT_SEED,
    gradientCheck,
    initialLoss: finite(initialLoss),
    training: { epochs, loss: trainer.history.map((h) => finite(h.loss)), finalLoss: finite(trainer.loss()) },
    weights: { initial, final: trainer.weights() },
    notes: def.notes,
  };
}
