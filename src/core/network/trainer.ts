/**
 * Training a network read from code: data (the file's or a built-in set),
 * the MLP, the shared optimizers, epoch by epoch, so the panel can train in
 * slices without blocking the editor.
 */
import { OptimizerName, createOptimizer, Optimizer } from '../optimizers';
import { Dataset, DatasetName, datasetsFor, makeDataset } from './datasets';
import { GradientCheckResult, MLP, finish } from './mlp';
import { Random } from './random';
import { NetworkDefinition } from './spec';

export const DEFAULT_SEED = 42;

/**
 * The work of one piece of a full-batch epoch trained in slices, in samples
 * × parameters (about 2 ms here): 45 samples of a 2-64-64-1 network, the
 * whole batch of a small one. The pieces' gradients, each weighted by its
 * share of the samples, add up to the full batch's, and the update comes
 * when the last piece is in.
 */
export const PIECE_WORK = 200_000;

export interface TrainerOptions {
  seed?: number;
  learningRate?: number;
  optimizer?: OptimizerName;
  /** a built-in dataset instead of the file's data */
  dataset?: DatasetName;
}

/** The gradient check, and whether it ran on the data or on random inputs (the data sits on a relu kink). */
export type NetworkGradientCheck = GradientCheckResult & { on: 'data' | 'random inputs' };

export interface EpochRecord {
  epoch: number;
  loss: number;
  /** per layer ‖∂L/∂W‖, ‖∂L/∂b‖ of the epoch's backward pass */
  gradNorms: Array<{ w: number; b: number }>;
}

export interface TrainerFigures {
  epoch: number;
  parameterCount: number;
  optimizer: string;
  learningRate: number;
  /** per layer ‖∂L/∂W‖, ‖∂L/∂b‖ of the last backward pass */
  gradNorms: Array<{ w: number; b: number }>;
  /** the last epoch's record, or the loss before training */
  last: { epoch: number; loss: number } | null;
  lossBefore: number | null;
}

export class Trainer {
  readonly mlp: MLP;
  readonly data: Dataset;
  readonly source: 'file' | `builtin:${string}`;
  readonly seed: number;
  readonly optimizer: Optimizer;
  readonly history: EpochRecord[] = [];
  epoch = 0;
  /** the last backward pass's norms (before any epoch: at the initial parameters) */
  gradNorms: Array<{ w: number; b: number }> = [];
  /** called after every epoch's update (the panel records the weights' path for the loss landscape) */
  afterEpoch: ((t: Trainer) => void) | undefined;
  /** an epoch under way in slices: the samples' order, how many are done, their loss, the gradient summed so far */
  private pending: { order: number[] | null; done: number; total: number; sum: Float64Array | null } | undefined;

  constructor(readonly def: NetworkDefinition, options: TrainerOptions = {}) {
    this.seed = options.seed ?? DEFAULT_SEED;
    const outputs = def.layers[def.layers.length - 1].units;
    this.mlp = new MLP(def.inputs, def.layers.map((l) => l.units), def.layers.map((l) => (l.activation === 'gelu' && def.geluForm === 'erf' ? 'gelu_erf' : l.activation)), { name: def.loss, fromLogits: def.fromLogits });
    this.mlp.initialize(this.seed, def.initializer);
    // weights the file sets are the starting weights
    def.initialWeights?.forEach((w, l) => {
      const fanIn = this.mlp.sizes[l];
      const out = this.mlp.units[l];
      const o = this.mlp.wOffset[l];
      if (w.W) for (let j = 0; j < out; j++) for (let k = 0; k < fanIn; k++) this.mlp.params[o + j * fanIn + k] = w.W[j][k];
      if (w.b) for (let j = 0; j < out; j++) this.mlp.params[o + out * fanIn + j] = w.b[j];
    });
    if (def.data && !options.dataset) {
      this.data = fileDataset(def, outputs);
      this.source = 'file';
    } else {
      const name = options.dataset ?? datasetsFor(def.inputs, outputs)[0];
      this.data = targetsFor(makeDataset(name, def.inputs, outputs, this.seed), def.loss);
      this.source = `builtin:${name}`;
    }
    // the file's hyperparameters; a different optimizer chosen in the panel starts from its own defaults
    const chosen = options.optimizer ?? def.optimizer.name;
    const { name: _n, ...hyper } = def.optimizer;
    void _n;
    this.optimizer = createOptimizer(chosen, this.mlp.parameterCount, {
      ...(chosen === def.optimizer.name ? hyper : { momentum: def.optimizer.momentum }),
      learningRate: options.learningRate ?? def.optimizer.learningRate,
    });
  }

  /** Per dense layer, W (out × in, PyTorch's layout) and b at the current parameters. */
  weights(): Array<{ W: number[][]; b: number[] }> {
    const { mlp } = this;
    return mlp.units.map((out, l) => {
      const fanIn = mlp.sizes[l];
      const o = mlp.wOffset[l];
      return {
        W: Array.from({ length: out }, (_, j) => Array.from(mlp.params.subarray(o + j * fanIn, o + (j + 1) * fanIn))),
        b: Array.from(mlp.params.subarray(o + out * fanIn, o + out * fanIn + out)),
      };
    });
  }

  /**
   * What the hover and the editor's inline figures read of the training:
   * where it is, the last backward pass's norms, the last loss. Before
   * training, the loss over all the data: `lossBefore` when the caller has
   * just computed it by a forward pass (a model of real size takes a while
   * per pass), else one more pass.
   */
  figures(lossBefore?: number): TrainerFigures {
    const last = this.history[this.history.length - 1];
    return {
      epoch: this.epoch,
      parameterCount: this.mlp.parameterCount,
      optimizer: this.optimizer.name,
      learningRate: this.optimizer.learningRate,
      gradNorms: this.gradNorms,
      last: last ? { epoch: last.epoch, loss: last.loss } : null,
      lossBefore: last ? null : lossBefore ?? this.loss(),
    };
  }

  /** The loss at the current parameters over all the data. */
  loss(): number {
    return this.mlp.evaluateLoss(this.data.x, this.data.y, this.data.count);
  }

  /**
   * One epoch: full batch (forward, loss, backward, update; the loss is the
   * one before the update), or, when the file sets a batch size
   * (`fit(batch_size=…)`, a `DataLoader`), one update per mini-batch in order
   * (shuffled with the seed when the file asks for shuffling); the epoch's
   * loss is then the samples' mean of the batch losses, as the frameworks report it.
   */
  step(): EpochRecord {
    return this.advance(Infinity) as EpochRecord;
  }

  /**
   * Trains on until the epoch ends (its record) or the clock passes
   * `deadline` (undefined; the next call goes on where this one stopped). In
   * slices a full-batch epoch goes in pieces of PIECE_WORK / parameters samples, a
   * mini-batch epoch a batch at a time, so no slice runs a whole epoch of a
   * large network; without a deadline a full batch is one piece.
   */
  advance(deadline: number): EpochRecord | undefined {
    const { mlp, data } = this;
    const N = data.count;
    const B = this.def.batchSize;
    const mini = !!B && B < N;
    if (!this.pending) this.pending = { order: mini ? this.epochOrder() : null, done: 0, total: 0, sum: null };
    const p = this.pending;
    while (p.done < N) {
      if (mini && p.order) {
        const idx = p.order.slice(p.done, p.done + (B as number));
        const x = new Float64Array(idx.length * data.inputs);
        const y = new Float64Array(idx.length * data.outputs);
        idx.forEach((i, r) => {
          x.set(data.x.subarray(i * data.inputs, (i + 1) * data.inputs), r * data.inputs);
          y.set(data.y.subarray(i * data.outputs, (i + 1) * data.outputs), r * data.outputs);
        });
        mlp.forward(x, idx.length);
        p.total += mlp.lossValue(y) * idx.length;
        this.gradNorms = mlp.backward(y);
        this.optimizer.step(mlp.params, mlp.grads);
        p.done += idx.length;
      } else if (p.done === 0 && deadline === Infinity) {
        // the whole batch at once
        mlp.forward(data.x, N);
        p.total = mlp.lossValue(data.y) * N;
        this.gradNorms = mlp.backward(data.y);
        this.optimizer.step(mlp.params, mlp.grads);
        p.done = N;
      } else {
        // a piece: its mean gradient, weighted by its share of the samples, into the sum
        const n = Math.min(Math.max(8, Math.floor(PIECE_WORK / mlp.parameterCount)), N - p.done);
        const x = data.x.subarray(p.done * data.inputs, (p.done + n) * data.inputs);
        const y = data.y.subarray(p.done * data.outputs, (p.done + n) * data.outputs);
        mlp.forward(x, n);
        p.total += mlp.lossValue(y) * n;
        mlp.backward(y);
        const sum = (p.sum ??= new Float64Array(mlp.parameterCount));
        for (let k = 0; k < sum.length; k++) sum[k] += (mlp.grads[k] * n) / N;
        p.done += n;
        if (p.done === N) {
          mlp.grads.set(sum);
          this.gradNorms = mlp.gradientNorms();
          this.optimizer.step(mlp.params, mlp.grads);
        }
      }
      if (p.done < N && Date.now() >= deadline) return undefined;
    }
    this.pending = undefined;
    const rec = { epoch: this.epoch, loss: p.total / N, gradNorms: this.gradNorms };
    this.epoch++;
    this.history.push(rec);
    this.afterEpoch?.(this);
    return rec;
  }

  /** The samples' order for this epoch's mini-batches: shuffled with the seed when the file asks for it. */
  private epochOrder(): number[] {
    const order = Array.from({ length: this.data.count }, (_, i) => i);
    if (this.def.shuffle) {
      const rng = new Random(this.seed * 7919 + this.epoch);
      for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(rng.uniform(0, 1) * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
    }
    return order;
  }

  /**
   * Epochs until `count` have run or `budgetMs` is spent (training in
   * slices): the slice stops within a piece of an epoch of its budget, and
   * an epoch it leaves unfinished goes on in the next.
   */
  run(count: number, budgetMs = Infinity): number {
    const deadline = budgetMs === Infinity ? Infinity : Date.now() + budgetMs;
    let done = 0;
    while (done < count) {
      if (this.advance(deadline)) done++;
      if (Date.now() >= deadline) break;
    }
    return done;
  }

  /**
   * The gradient check (MLP.gradientCheck) at the current weights. Where a
   * relu family unit sits on its kink for this data (the derivative does not
   * exist there), the check runs on seeded random inputs instead.
   */
  gradientCheck(): NetworkGradientCheck {
    return finish(this.gradientCheckSteps());
  }

  /**
   * The same check as steps over a copy of the network taken now, so
   * training may go on between the steps (the panel checks in time slices
   * while the first epochs run); it checks the weights of the moment it was asked.
   */
  gradientCheckSteps(): Generator<void, NetworkGradientCheck> {
    return this.checkSteps(this.mlp.clone());
  }

  private *checkSteps(mlp: MLP): Generator<void, NetworkGradientCheck> {
    const { data } = this;
    const kinked = mlp.nearKink(data.x, data.count, undefined, data.y);
    yield;
    if (!kinked) return { ...(yield* mlp.gradientCheckSteps(data.x, data.y, data.count)), on: 'data' };
    const probe = makeDataset('teacher', data.inputs, data.outputs, this.seed + 1, 16);
    const y = data.task === 'classification' ? probe.y.map((v) => (v > 0 ? 1 : 0)) : probe.y;
    if (this.def.loss === 'categorical_crossentropy') {
      // one-hot targets for the probe
      const K = data.outputs;
      for (let i = 0; i < probe.count; i++) {
        let best = 0;
        for (let k = 1; k < K; k++) if (probe.y[i * K + k] > probe.y[i * K + best]) best = k;
        for (let k = 0; k < K; k++) y[i * K + k] = k === best ? 1 : 0;
      }
    }
    return { ...(yield* mlp.gradientCheckSteps(probe.x, y, probe.count)), on: 'random inputs' };
  }
}

/**
 * A built-in dataset's targets as the loss reads them: cross-entropy takes a
 * one-hot class (the largest output of a teacher network), binary
 * cross-entropy a 0/1 label; regression targets are left as they are.
 */
function targetsFor(d: Dataset, loss: NetworkDefinition['loss']): Dataset {
  if (loss === 'mse' || loss === 'mae' || d.task === 'classification') return d;
  const y = new Float64Array(d.y.length);
  const K = d.outputs;
  for (let i = 0; i < d.count; i++) {
    if (loss === 'binary_crossentropy') {
      for (let k = 0; k < K; k++) y[i * K + k] = d.y[i * K + k] > 0 ? 1 : 0;
    } else {
      let best = 0;
      for (let k = 1; k < K; k++) if (d.y[i * K + k] > d.y[i * K + best]) best = k;
      y[i * K + best] = 1;
    }
  }
  return { ...d, y, task: 'classification' };
}

/** The file's X/y as a dataset; class indices become one-hot for several outputs. */
function fileDataset(def: NetworkDefinition, outputs: number): Dataset {
  const d = def.data as NonNullable<NetworkDefinition['data']>;
  const n = d.x.length;
  const x = new Float64Array(n * def.inputs);
  d.x.forEach((row, i) => row.forEach((v, k) => { if (k < def.inputs) x[i * def.inputs + k] = v; }));
  const y = new Float64Array(n * outputs);
  const classification = def.loss !== 'mse' && def.loss !== 'mae';
  d.y.forEach((row, i) => {
    if (outputs > 1 && row.length === 1) y[i * outputs + Math.max(0, Math.min(outputs - 1, Math.round(row[0])))] = 1;
    else row.forEach((v, k) => { if (k < outputs) y[i * outputs + k] = v; });
  });
  return { name: 'file', x, y, count: n, inputs: def.inputs, outputs, task: classification ? 'classification' : 'regression' };
}
