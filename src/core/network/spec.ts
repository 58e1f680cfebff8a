/** A network as read from the user's code: dense layers, loss, optimizer, data. */
import type { OffsetRange } from '../candidate';
import type { OptimizerName, OptimizerOptions } from '../optimizers';
import type { Activation, Initializer, Loss } from './mlp';

export type Framework = 'keras' | 'pytorch' | 'tfjs' | 'spec';

export interface LayerSpec {
  units: number;
  activation: Activation;
  /** the source of the layer (and of its activation module, for PyTorch) */
  range: OffsetRange;
  /** PyTorch: the layer's name in the model's state_dict (`0`, `fc1`, `net.2`) */
  key?: string;
}

export interface NetworkDefinition {
  kind: 'network';
  framework: Framework;
  /** the model's variable name, when it has one */
  name: string | null;
  nameRange: OffsetRange | null;
  inputs: number;
  layers: LayerSpec[];
  /** GELU as its framework computes it: the exact erf form (PyTorch nn.GELU(), Keras) or the tanh approximation */
  geluForm?: 'erf' | 'tanh';
  loss: Loss;
  fromLogits: boolean;
  /** a sparse label column (class indices) instead of one-hot targets */
  sparseLabels: boolean;
  /** the optimizer with every hyperparameter the code sets, and the framework's defaults for the rest */
  optimizer: { name: OptimizerName } & OptimizerOptions;
  initializer: Initializer | 'auto';
  /** data bound in the file (X/y, x_train/y_train, xs/ys) */
  data?: { x: number[][]; y: number[][]; range: OffsetRange };
  /** the epochs the file trains for (`fit(epochs=…)`, `for epoch in range(…)`), when it says */
  epochs?: number;
  /** starting weights the file sets, per dense layer (W in PyTorch's out × in layout); unset parts are initialised as the framework would */
  initialWeights?: Array<{ W?: number[][]; b?: number[] }>;
  /** mini-batch size from fit(batch_size=…) or a DataLoader; full batch when absent */
  batchSize?: number;
  /** the mini-batches are shuffled each epoch (seeded) */
  shuffle?: boolean;
  /** things read but not modelled (Dropout, …), said to the user */
  notes: string[];
  range: OffsetRange;
  startLine: number;
  endLine: number;
}

/** The model's weights and biases, from its sizes alone (no network built). */
export function parameterCount(def: NetworkDefinition): number {
  return def.layers.reduce((n, l, i) => n + l.units * ((i === 0 ? def.inputs : def.layers[i - 1].units) + 1), 0);
}

/**
 * Whether two readings of a model train the same way: everything but where
 * things are in the file (ranges, lines, the line numbers in notes), so a
 * comment or a blank line typed above a model leaves its training running.
 * The data is compared number by number, not written out: a model of real
 * size re-read on every keystroke carries hundreds of thousands of them.
 */
export function sameModel(a: NetworkDefinition, b: NetworkDefinition): boolean {
  const where = new Set(['range', 'nameRange', 'startLine', 'endLine', 'data']);
  const key = (d: NetworkDefinition): string => JSON.stringify(d, (k, v: unknown) => (where.has(k) ? undefined : k === 'notes' ? (v as string[]).map((n) => n.replace(/\bline \d+/g, 'line')) : v));
  return key(a) === key(b) && sameData(a.data, b.data);
}

function sameData(a: NetworkDefinition['data'], b: NetworkDefinition['data']): boolean {
  if (!a || !b) return a === b;
  const rows = (p: number[][], q: number[][]): boolean => p.length === q.length && p.every((r, i) => r.length === q[i].length && r.every((v, k) => Object.is(v, q[i][k])));
  return rows(a.x, b.x) && rows(a.y, b.y);
}
