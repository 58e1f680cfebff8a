/**
 * What the panel's network view draws: the structure and data once, then a
 * frame per slice of training (loss so far, gradient norms, parameters, the
 * model's output over the input plane).
 */
import { neuronViewRefusal } from './neuronView';
import type { GradientCheckView, NetworkFrame, NetworkView } from '../views';
import { Expr } from '../expr/ast';
import { symbolicGradient } from '../symbolic';
import { diagnoseNetwork } from '../diagnose';
import { datasetsFor } from './datasets';
import { NetworkDefinition } from './spec';
import { NetworkGradientCheck, Trainer } from './trainer';
import { gradientCheckText } from './mlp';
import { optimizerFor } from '../optimizers';

const GRID = 40;

export function networkView(def: NetworkDefinition, trainer: Trainer, file: string, lineOf: (offset: number) => number, check: NetworkGradientCheck | null): NetworkView {
  const outputs = def.layers[def.layers.length - 1].units;
  const d = trainer.data;
  const points: NetworkView['points'] = [];
  for (let i = 0; i < d.count && i < 500; i++) {
    const x = Array.from(d.x.subarray(i * d.inputs, i * d.inputs + Math.min(2, d.inputs)));
    let label = d.y[i * outputs];
    if (outputs > 1) {
      let best = 0;
      for (let k = 1; k < outputs; k++) if (d.y[i * outputs + k] > d.y[i * outputs + best]) best = k;
      label = best;
    }
    points.push({ x, label });
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
  mlp.forward(d.x, d.count); // leave the engine's caches on the training data
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
    params: Array.from(mlp.params),
    grads: Array.from(mlp.grads),
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
  mlp.backward(y0);
  const sampleGrads = Array.from(mlp.grads);
  // the weights this pass ran with: the frame's own are the ones after the epoch's update
  const weights = Array.from(mlp.params);
  trainer.step();
  return { phase: 'forward', activations, sampleLoss, sampleGrads, weights, batch: data.count };
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
