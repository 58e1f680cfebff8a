/** The command line's and the panel's summary of a network: structure, gradient check, training. */
import { NetworkDefinition } from './spec';
import { DEFAULT_SEED, NetworkGradientCheck, Trainer, TrainerOptions } from './trainer';

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
  gradientCheck: NetworkGradientCheck;
  /** the loss at the starting weights, before any update */
  initialLoss: number;
  /**
   * `epochs` run; `planned` is what the file or the default asked for; when
   * no one gave `--epochs`, training stops at the time budget (`stoppedBy`)
   */
  training: { epochs: number; planned: number; stoppedBy: 'epochs' | 'time budget'; seconds: number; loss: number[]; finalLoss: number };
  /** per dense layer, W (out × in) and b: where training starts and where it ends */
  weights: { initial: Array<{ W: number[][]; b: number[] }>; final: Array<{ W: number[][]; b: number[] }> };
  notes: string[];
}

/** Where training stops when neither the file (`fit(epochs=…)`, `range(N)`) nor the user says: the panel and the command line alike. */
export const DEFAULT_EPOCHS = 1000;

/** How long the command line trains when the user did not say how many epochs: a large network gets what fits. */
export const TRAINING_BUDGET_MS = 2000;

export function analyzeNetwork(def: NetworkDefinition, options: TrainerOptions & { epochs?: number } = {}): NetworkAnalysis {
  const trainer = new Trainer(def, options);
  const initial = trainer.weights();
  const initialLoss = trainer.loss();
  const gradientCheck = trainer.gradientCheck();
  const planned = options.epochs ?? def.epochs ?? DEFAULT_EPOCHS;
  const started = Date.now();
  const budget = options.epochs === undefined ? TRAINING_BUDGET_MS : Infinity;
  let epochs = 0;
  // whole epochs (a full batch in one piece), the clock read between them
  while (epochs < planned && Date.now() - started < budget) {
    trainer.step();
    epochs++;
  }
  const seconds = (Date.now() - started) / 1000;
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
    training: { epochs, planned, stoppedBy: epochs < planned ? 'time budget' : 'epochs', seconds, loss: trainer.history.map((h) => finite(h.loss)), finalLoss: finite(trainer.loss()) },
    weights: { initial, final: trainer.weights() },
    notes: def.notes,
  };
}
