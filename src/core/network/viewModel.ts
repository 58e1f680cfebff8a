/**
 * What the panel's network view draws: the structure and data once, then a
 * frame per slice of training (loss so far, gradient norms, parameters, the
 * model's output over the input plane). A network too wide to draw unit by
 * unit is drawn as bands: its frames carry per-layer summaries instead of
 * every parameter, and one layer's W at a time as a heat map on request.
 */
import { neuronViewRefusal } from './neuronView';
import type { GradientCheckView, LayerHeatmap, LayerSummary, NetworkFrame, NetworkView } from '../views';
import { Expr } from '../expr/ast';
import { symbolicGradient } from '../symbolic';
import { diagnoseNetwork } from '../diagnose';
import { datasetsFor } from './datasets';
import { NetworkDefinition } from './spec';
import { NetworkGradientCheck, Trainer } from './trainer';
import { gradientCheckText } from './mlp';
import { optimizerFor } from '../optimizers';

const GRID = 40;

/**
 * The diagram draws every unit and weight, and frames carry every parameter
 * and its gradient, up to these sizes. 2,000 parameters and their gradients
 * are about 80 kB of JSON a frame (some 20 characters a number), under the
 * 100 kB a frame may take; past 32 units a column would show fewer than a
 * third of its units (it draws 12 and says "+N more"), so the picture says
 * more as a band with its count.
 */
export const DRAWN_UNITS = 32;
export const DRAWN_PARAMETERS = 2000;
/** A heat map of W has at most this many cells a side (block averages past it). */
export const HEATMAP_CELLS = 128;
/** How many image samples the view draws. */
export const IMAGE_SAMPLES = 12;

/** Whether a network is drawn unit by unit or as bands: the one rule, for the view and its frames. */
export function diagramOf(mlp: { sizes: number[]; parameterCount: number }): NetworkView['diagram'] {
  return mlp.parameterCount <= DRAWN_PARAMETERS && Math.max(...mlp.sizes) <= DRAWN_UNITS ? 'units' : 'bands';
}

/**
 * Inputs that are an image: a square of side ≥ 8 (64 = 8 × 8, 784 = 28 × 28)
 * for one channel, or 3 squares for RGB (3072 = 32 × 32 × 3, channels first
 * as CIFAR's arrays and PyTorch's tensors hold them). Smaller squares (4, 9,
 * 16 … 49 inputs) are far more often a table's columns than pixels.
 */
export function imageShape(inputs: number): { width: number; height: number; channels: number } | null {
  for (const channels of [1, 3]) {
    const side = Math.round(Math.sqrt(inputs / channels));
    if (side >= 8 && side * side * channels === inputs) return { width: side, height: side, channels };
  }
  return null;
}

/**
 * The class a row of K outputs (or targets) says: the largest of several, or
 * for one output whether it reaches `threshold` (0.5 for a probability, 0
 * for a logit). Regression: the first value itself.
 */
export function classOf(row: ArrayLike<number>, at: number, K: number, threshold: number): number {
  if (K === 1) return row[at] >= threshold ? 1 : 0;
  let best = 0;
  for (let k = 1; k < K; k++) if (row[at + k] > row[at + best]) best = k;
  return best;
}

/** The fraction of `count` samples whose output's class is the target's (targets: one-hot, or 0/1 for one output). */
export function accuracy(outputs: ArrayLike<number>, targets: ArrayLike<number>, count: number, K: number, threshold: number): number {
  let right = 0;
  for (let i = 0; i < count; i++) if (classOf(outputs, i * K, K, threshold) === classOf(targets, i * K, K, 0.5)) right++;
  return count ? right / count : 0;
}

/** Where one output is read as a class: at 0.5 for a probability, at 0 for a logit (BCEWithLogitsLoss). */
function outputThreshold(trainer: Trainer): number {
  return trainer.mlp.loss.fromLogits ? 0 : 0.5;
}

/** The label a sample shows: its class (classification) or its first target. */
function labelOf(trainer: Trainer, i: number): number {
  const d = trainer.data;
  return d.task === 'classification' ? classOf(d.y, i * d.outputs, d.outputs, 0.5) : d.y[i * d.outputs];
}

/** The first samples, pixels scaled to 0–255 over them, for the view's grid of images. */
function imageSamples(trainer: Trainer): NetworkView['images'] {
  const d = trainer.data;
  const shape = imageShape(d.inputs);
  if (!shape) return null;
  const n = Math.min(IMAGE_SAMPLES, d.count);
  let [lo, hi] = [Infinity, -Infinity];
  for (let k = 0; k < n * d.inputs; k++) { lo = Math.min(lo, d.x[k]); hi = Math.max(hi, d.x[k]); }
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  const samples = Array.from({ length: n }, (_, i) => ({
    index: i,
    pixels: Array.from(d.x.subarray(i * d.inputs, (i + 1) * d.inputs), (v) => Math.round((v - lo) * scale)),
    label: labelOf(trainer, i),
  }));
  return { ...shape, samples };
}

/** Per dense layer: W's shape, ‖W‖, the last backward pass's ‖∂L/∂W‖, and W's smallest, largest and mean weight. */
export function layerSummaries(trainer: Trainer): LayerSummary[] {
  const { mlp } = trainer;
  return mlp.units.map((rows, l) => {
    const cols = mlp.sizes[l];
    const W = mlp.params.subarray(mlp.wOffset[l], mlp.wOffset[l] + rows * cols);
    let [sq, sum, min, max] = [0, 0, Infinity, -Infinity];
    for (const w of W) { sq += w * w; sum += w; if (w < min) min = w; if (w > max) max = w; }
    const g = trainer.gradNorms[l]?.w;
    return { rows, cols, norm: Math.sqrt(sq), gradNorm: g !== undefined && Number.isFinite(g) ? g : null, min, max, mean: sum / W.length };
  });
}

/**
 * A rows × cols matrix (row-major) as at most maxCells × maxCells block
 * averages: blocks of ⌈rows/maxCells⌉ × ⌈cols/maxCells⌉, the last row and
 * column of blocks averaging the fewer weights left.
 */
export function blockAverage(W: ArrayLike<number>, rows: number, cols: number, maxCells: number): Pick<LayerHeatmap, 'gridRows' | 'gridCols' | 'blockRows' | 'blockCols' | 'values'> {
  const blockRows = Math.ceil(rows / maxCells);
  const blockCols = Math.ceil(cols / maxCells);
  const gridRows = Math.ceil(rows / blockRows);
  const gridCols = Math.ceil(cols / blockCols);
  const sum = new Float64Array(gridRows * gridCols);
  const n = new Float64Array(gridRows * gridCols);
  for (let r = 0; r < rows; r++) {
    const g = Math.floor(r / blockRows) * gridCols;
    for (let c = 0; c < cols; c++) {
      const cell = g + Math.floor(c / blockCols);
      sum[cell] += W[r * cols + c];
      n[cell]++;
    }
  }
  return { gridRows, gridCols, blockRows, blockCols, values: Array.from(sum, (v, i) => v / n[i]) };
}

/** The heat map of dense layer `layer`'s W (0-based) at the current parameters; undefined for no such layer. */
export function layerHeatmap(trainer: Trainer, layer: number, maxCells = HEATMAP_CELLS): LayerHeatmap | undefined {
  const { mlp } = trainer;
  if (!Number.isInteger(layer) || layer < 0 || layer >= mlp.units.length) return undefined;
  const rows = mlp.units[layer];
  const cols = mlp.sizes[layer];
  const W = mlp.params.subarray(mlp.wOffset[layer], mlp.wOffset[layer] + rows * cols);
  let [min, max] = [Infinity, -Infinity];
  for (const w of W) { if (w < min) min = w; if (w > max) max = w; }
  return { layer, epoch: trainer.epoch, rows, cols, ...blockAverage(W, rows, cols, maxCells), min, max };
}

export function networkView(def: NetworkDefinition, trainer: Trainer, file: string, lineOf: (offset: number) => number, check: NetworkGradientCheck | null): NetworkView {
  const outputs = def.layers[def.layers.length - 1].units;
  const d = trainer.data;
  const points: NetworkView['points'] = [];
  for (let i = 0; i < d.count && i < 500; i++) {
    const x = Array.from(d.x.subarray(i * d.inputs, i * d.inputs + Math.min(2, d.inputs)));
    points.push({ x, label: outputs > 1 ? classOf(d.y, i * outputs, outputs, 0.5) : d.y[i * outputs] });
  }
  return {
    kind: 'network',
    title: `${def.name ?? 'network'}: ${def.inputs} → ${def.layers.map((l) => `${l.units} ${l.activation}`).join(' → ')}`,
    file,
    framework: def.framework,
    inputs: def.inputs,
    layers: def.layers.map((l) => ({ units: l.units, activation: l.activation, line: lineOf(l.range.start) })),
    parameters: trainer.mlp.parameterCount,
    loss: def.loss,
    optimizer: { name: optimizerFor('network', trainer.optimizer.name), learningRate: trainer.optimizer.learningRate },
    seed: trainer.seed,
    dataset: trainer.source === 'file' ? 'file' : trainer.source.slice('builtin:'.length),
    datasets: [...(def.data ? ['file'] : []), ...datasetsFor(def.inputs, outputs)],
    points,
    task: d.task,
    gradientCheck: check && gradientCheckView(check, trainer),
    neurons: ((reason) => ({ available: reason === undefined, reason: reason ?? null }))(neuronViewRefusal(def, trainer.mlp.parameterCount)),
    notes: def.notes,
    symbolic: symbolicBridge(def, trainer),
    diagram: diagramOf(trainer.mlp),
    images: imageSamples(trainer),
  };
}

/** The check as the panel shows it. */
export function gradientCheckView(check: NetworkGradientCheck, trainer: Trainer): GradientCheckView {
  return { text: gradientCheckText(check, trainer.mlp.parameterCount) };
}

/** What a frame says about the run, besides the trainer's state. */
export interface RunState {
  status: NetworkFrame['status'];
  targetEpochs: number;
  epochsPerSecond: number;
}

export function networkFrame(trainer: Trainer, run: RunState, pass: NetworkFrame['pass'] = null, from = 0): NetworkFrame {
  const mlp = trainer.mlp;
  const d = trainer.data;
  let surface: NetworkFrame['surface'] = null;
  const fin = (v: number): number | null => (Number.isFinite(v) ? v : null);
  if (d.inputs === 2) {
    let [xmin, xmax, ymin, ymax] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < d.count; i++) {
      xmin = Math.min(xmin, d.x[2 * i]); xmax = Math.max(xmax, d.x[2 * i]);
      ymin = Math.min(ymin, d.x[2 * i + 1]); ymax = Math.max(ymax, d.x[2 * i + 1]);
    }
    const px = (xmax - xmin) * 0.15 || 0.5;
    const py = (ymax - ymin) * 0.15 || 0.5;
    [xmin, xmax, ymin, ymax] = [xmin - px, xmax + px, ymin - py, ymax + py];
    const grid = new Float64Array(GRID * GRID * 2);
    for (let r = 0; r < GRID; r++) for (let c = 0; c < GRID; c++) {
      grid[2 * (r * GRID + c)] = xmin + ((xmax - xmin) * c) / (GRID - 1);
      grid[2 * (r * GRID + c) + 1] = ymin + ((ymax - ymin) * r) / (GRID - 1);
    }
    const out = mlp.forward(grid, GRID * GRID);
    const K = mlp.units[mlp.units.length - 1];
    const values: number[] = [];
    for (let i = 0; i < GRID * GRID; i++) {
      if (K === 1) values.push(out[i]);
      else {
        let best = 0;
        for (let k = 1; k < K; k++) if (out[i * K + k] > out[i * K + best]) best = k;
        values.push(best + Math.min(0.999, out[i * K + best])); // class index + confidence
      }
    }
    surface = { kind: 'grid', xmin, xmax, ymin, ymax, n: GRID, values };
  } else if (d.inputs === 1) {
    let [lo, hi] = [Infinity, -Infinity];
    for (let i = 0; i < d.count; i++) { lo = Math.min(lo, d.x[i]); hi = Math.max(hi, d.x[i]); }
    const xs = Array.from({ length: 120 }, (_, i) => lo + ((hi - lo) * i) / 119);
    const out = mlp.forward(Float64Array.from(xs), xs.length);
    const K = mlp.units[mlp.units.length - 1];
    surface = { kind: 'curve', xs, ys: xs.map((_, i) => out[i * K]) };
  }
  const out = mlp.forward(d.x, d.count); // leave the engine's caches on the training data
  const K = d.outputs;
  const images = imageShape(d.inputs) ? Math.min(IMAGE_SAMPLES, d.count) : 0;
  const full = diagramOf(mlp) === 'units';
  const diagnoses = diagnoseNetwork({
    units: mlp.units, activations: mlp.activations, z: mlp.z, a: mlp.a, count: d.count,
    gradNorms: trainer.gradNorms.map((g) => g.w), losses: trainer.history.map((h) => h.loss),
  });
  return {
    epoch: trainer.epoch,
    ...run,
    current: fin(mlp.lossValue(d.y)),
    from,
    loss: trainer.history.slice(from).map((h) => fin(h.loss)),
    gradNorms: trainer.history.slice(from).map((h) => h.gradNorms.map((g) => g.w)),
    params: full ? Array.from(mlp.params) : null,
    grads: full ? Array.from(mlp.grads) : null,
    layers: layerSummaries(trainer),
    accuracy: d.task === 'classification' ? accuracy(out, d.y, d.count, K, outputThreshold(trainer)) : null,
    predictions: images ? Array.from({ length: images }, (_, i) => (d.task === 'classification' ? classOf(out, i * K, K, outputThreshold(trainer)) : out[i * K])) : null,
    surface,
    pass,
    diagnoses,
  };
}

/**
 * One pass shown phase by phase: the first sample's forward pass, its loss and
 * its own gradients (∂L₁/∂W, one sample in every phase), then one epoch's
 * update, which uses the mean gradient over the whole batch.
 */
export function passWithActivations(trainer: Trainer): NonNullable<NetworkFrame['pass']> {
  const { mlp, data } = trainer;
  const x0 = Float64Array.from(data.x.subarray(0, data.inputs));
  const y0 = Float64Array.from(data.y.subarray(0, data.outputs));
  mlp.forward(x0, 1);
  const activations = [Array.from(x0), ...mlp.a.map((a) => Array.from(a))];
  const sampleLoss = mlp.lossValue(y0);
  const norms = mlp.backward(y0);
  const drawn = diagramOf(mlp) === 'units';
  const sampleGrads = drawn ? Array.from(mlp.grads) : null;
  // the weights this pass ran with: the frame's own are the ones after the epoch's update
  const weights = drawn ? Array.from(mlp.params) : null;
  trainer.step();
  return { phase: 'forward', activations, sampleLoss, sampleGrads, sampleGradNorms: norms.map((g) => g.w), weights, batch: data.count };
}

/**
 * The bridge between the function view and the network view: for networks
 * of at most 10 parameters, the loss of the first sample written as a
 * function of the weights, differentiated symbolically, next to backprop.
 */
function symbolicBridge(def: NetworkDefinition, trainer: Trainer): NetworkView['symbolic'] {
  const mlp = trainer.mlp;
  if (mlp.parameterCount > 10) return null;
  const supported = ['linear', 'sigmoid', 'tanh', 'relu', 'softplus'];
  if (!def.layers.every((l) => supported.includes(l.activation)) || def.fromLogits || def.loss === 'categorical_crossentropy') return null;
  const at = { start: -1, end: -1 };
  const num = (value: number): Expr => ({ kind: 'num', value, ...at });
  const param = (name: string): Expr => ({ kind: 'param', name, ...at });
  const bin = (op: '+' | '-' | '*' | '/' | '^', left: Expr, right: Expr): Expr => ({ kind: 'bin', op, left, right, ...at });
  const d = trainer.data;
  let prev: Expr[] = Array.from(d.x.subarray(0, d.inputs)).map(num);
  def.layers.forEach((layer, l) => {
    const fanIn = mlp.sizes[l];
    const next: Expr[] = [];
    for (let j = 0; j < layer.units; j++) {
      let z: Expr = param(`b${l + 1}${layer.units > 1 ? `_${j + 1}` : ''}`);
      for (let k = 0; k < fanIn; k++) z = bin('+', z, bin('*', param(`w${l + 1}_${j + 1}${k + 1}`), prev[k]));
      next.push(layer.activation === 'linear' ? z : { kind: 'call', fn: layer.activation as 'tanh', arg: z, ...at });
    }
    prev = next;
  });
  const K = prev.length;
  const y = Array.from(d.y.subarray(0, K));
  let loss: Expr;
  if (def.loss === 'mse') {
    loss = prev.map((a, k) => bin('^', bin('-', a, num(y[k])), num(2))).reduce((s, t) => bin('+', s, t));
    if (K > 1) loss = bin('/', loss, num(K));
  } else if (def.loss === 'mae') {
    loss = prev.map((a, k): Expr => ({ kind: 'call', fn: 'abs', arg: bin('-', a, num(y[k])), ...at })).reduce((s, t) => bin('+', s, t));
    if (K > 1) loss = bin('/', loss, num(K));
  } else {
    // −[y ln a + (1 − y) ln(1 − a)]
    const log = (e: Expr): Expr => ({ kind: 'call', fn: 'log', arg: e, ...at });
    loss = prev.map((a, k) => bin('+', bin('*', num(-y[k]), log(a)), bin('*', num(-(1 - y[k])), log(bin('-', num(1), a))))).reduce((s, t) => bin('+', s, t));
    if (K > 1) loss = bin('/', loss, num(K));
  }
  // engine order: per layer W row-major then b; the names above interleave, so map by name
  const order: string[] = [];
  def.layers.forEach((layer, l) => {
    const fanIn = mlp.sizes[l];
    for (let j = 0; j < layer.units; j++) for (let k = 0; k < fanIn; k++) order.push(`w${l + 1}_${j + 1}${k + 1}`);
    for (let j = 0; j < layer.units; j++) order.push(`b${l + 1}${layer.units > 1 ? `_${j + 1}` : ''}`);
  });
  const sym = symbolicGradient(loss, order);
  if (!sym.ok) return null;
  const point = Object.fromEntries(order.map((n, i) => [n, mlp.params[i]]));
  // backprop on the same single sample
  mlp.forward(Float64Array.from(d.x.subarray(0, d.inputs)), 1);
  mlp.backward(Float64Array.from(d.y.subarray(0, K)));
  const bp = Array.from(mlp.grads);
  mlp.forward(d.x, d.count);
  const v = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return {
    lossTex: sym.expressionTex,
    partials: order.map((n, i) => ({ name: n, tex: sym.partials[n].tex, value: v(sym.partials[n].evaluate(point)), backprop: bp[i] })),
  };
}
