/**
 * Networks read by the interpreter: framework constructors (nn.Linear,
 * layers.Dense, tf.layers.dense, losses, optimizers) evaluate to layer,
 * model, loss and optimizer objects; nn.Module classes are instantiated by
 * running __init__ and traced by running forward on a symbolic tensor;
 * Keras' functional API is traced the same way. Nothing is executed: only
 * the file's own text is read.
 */
import { LineIndex, UserError } from '../errors';
import type { Activation } from '../network/mlp';
import { ACTIVATION_ALIASES, IGNORED, LOSSES, MAX_EPOCHS, OPTIMIZERS, PYTORCH_ACTIVATIONS, UNSUPPORTED, finish } from '../network/parse';
import type { Framework, LayerSpec, NetworkDefinition } from '../network/spec';
import type { OptimizerName } from '../optimizers';
import type { Span } from './ir';
import type { Layer, LossObj, Model, NetObj, Optim, Sym, V } from './values';

export type { Layer, LossObj, Model, NetObj, Optim, Sym };

const PT_LOSSES = /^(MSELoss|L1Loss|BCELoss|BCEWithLogitsLoss|CrossEntropyLoss|NLLLoss|HuberLoss|SmoothL1Loss)$/;

/** An nn.Module subclass: nn.Module among its bases, or a class of the file that is one (`class Deep(Base)`). */
export function isModuleClass(cls: V & { t: 'class' }): boolean {
  return cls.bases.some((b) => (b.t === 'ns' && /(^|\.)Module$/.test(b.path)) || (b.t === 'opaque' && b.what === 'nn.Module') || (b.t === 'class' && isModuleClass(b)));
}

/** Whether `cls` is `base` or derives from it. */
export function derivesFrom(cls: V & { t: 'class' }, base: V & { t: 'class' }): boolean {
  return cls === base || cls.bases.some((b) => b.t === 'class' && derivesFrom(b, base));
}

/** The dotted path without the package prefixes people vary: `tf.keras.layers.Dense` → `keras.layers.Dense`. */
export function canonicalPath(path: string): string {
  return path
    .replace(/^tensorflow\./, 'tf.')
    .replace(/^tf\.keras\./, 'keras.')
    .replace(/^tensorflow$/, 'tf')
    .replace(/^torch\.nn\.functional\./, 'F.')
    .replace(/^torch\.nn\./, 'nn.')
    .replace(/^torch\.optim\./, 'optim.')
    .replace(/^nn\.functional\./, 'F.');
}

export class NetworkLibrary {
  constructor(readonly lines: LineIndex, readonly syntax: 'python' | 'js') {}

  err(at: Span, message: string): UserError {
    return this.lines.errorAt(at.start, message);
  }

  /** A library call that makes a network object, or undefined when `path` is not one. */
  construct(rawPath: string, args: V[], kw: Map<string, V>, at: Span, helpers: Helpers): NetObj | V | undefined {
    const path = canonicalPath(rawPath);
    const parts = path.split('.');
    const name = parts[parts.length - 1];
    const root = parts[0];
    const num = (v: V | undefined): number | undefined => (v && v.t === 's' && v.e.kind === 'num' ? v.e.value : undefined);
    const firstOfShape = (v: V | undefined): number | undefined => {
      if (!v) return undefined;
      if (v.t === 'arr') {
        const items = v.items.filter((x) => x.t !== 'none');
        return num(items[items.length - 1]);
      }
      return num(v);
    };
    const activation = (v: V | undefined, where: Span): Activation | undefined => {
      if (!v || v.t === 'none') return undefined;
      const key = v.t === 'str' ? v.s : v.t === 'ns' ? v.path.split('.').pop() ?? '' : v.t === 'net' && v.n.type === 'layer' && v.n.kind === 'act' ? v.n.activation ?? 'linear' : '';
      const a = ACTIVATION_ALIASES[key] ?? ACTIVATION_ALIASES[key.toLowerCase()];
      if (!a) throw this.err(where, `activation '${key}' is not supported (supported: ${Object.keys(ACTIVATION_ALIASES).filter((k) => k === k.toLowerCase()).join(', ')})`);
      return a;
    };
    const layer = (l: Omit<Layer, 'type' | 'span'>): Layer => ({ type: 'layer', span: at, ...l });
    const isTorch = root === 'nn' || root === 'torch';
    const isKeras = root === 'keras' || root === 'layers' || (root === 'tf' && parts[1] !== 'layers' && parts[1] !== 'train' && parts[1] !== 'losses' && this.syntax === 'python') || path.startsWith('keras.');
    const isTfjs = this.syntax === 'js' && root === 'tf';

    // ---- micrograd's MLP(nin, nouts): ReLU on every layer but the last, as micrograd.nn builds it
    if (name === 'MLP' && root === 'micrograd' && this.syntax === 'python') {
      const nin = num(args[0] ?? kw.get('nin'));
      const nouts = args[1] ?? kw.get('nouts');
      const sizes = nouts && nouts.t === 'arr' ? nouts.items.map((v) => num(v)) : [];
      if (nin === undefined || sizes.length === 0 || sizes.some((u) => u === undefined || u < 1 || !Number.isInteger(u))) throw this.err(at, "micrograd's MLP(nin, nouts) needs the number of inputs and a list of layer sizes written in the code, e.g. MLP(2, [16, 16, 1])");
      let fanIn = nin;
      const items = (sizes as number[]).map((u, k) => {
        const l = layer({ kind: 'dense', cls: 'Layer', framework: 'spec', units: u, inFeatures: fanIn, activation: k < sizes.length - 1 ? 'relu' : 'linear' });
        fanIn = u;
        return l;
      });
      return {
        type: 'model', framework: 'spec', items, span: at, inputs: nin,
        notes: ["micrograd's MLP: ReLU on every layer but the last (micrograd.nn); micrograd leaves the loss and the update to your code, so it trains here with mean squared error and SGD (η = 0.01)"],
      };
    }

    // ---- PyTorch data: a TensorDataset and the DataLoader that batches it
    if (name === 'TensorDataset' && this.syntax === 'python') {
      if (args.length < 2) throw this.err(at, 'TensorDataset needs the inputs and the targets');
      return { t: 'obj', fields: new Map([['__dataset_x', args[0]], ['__dataset_y', args[1]]]) };
    }
    if (name === 'DataLoader' && this.syntax === 'python') {
      const ds = args[0];
      const bs = num(kw.get('batch_size') ?? args[1]);
      const sh = kw.get('shuffle');
      return { t: 'obj', fields: new Map<string, V>([['__loader', ds ?? { t: 'none' }], ['batch_size', { t: 's', e: { kind: 'num', value: bs ?? 1, start: at.start, end: at.end } }], ['shuffle', { t: 'bool', b: sh?.t === 'bool' ? sh.b : false }]]) };
    }
    // ---- PyTorch
    if (isTorch && parts.includes('nn') || root === 'nn') {
      if (name === 'Linear') {
        const fin = num(kw.get('in_features') ?? args[0]);
        const fout = num(kw.get('out_features') ?? args[1]);
        if (fin === undefined || fout === undefined) throw this.err(at, 'Linear needs in_features and out_features as numbers (written in the file or in constants)');
        if (kw.get('bias')?.t === 'bool' && (kw.get('bias') as { b: boolean }).b === false) throw this.err(at, 'Linear(..., bias=False) is not supported: every layer here has a bias');
        return layer({ kind: 'dense', cls: 'Linear', framework: 'pytorch', units: fout, inFeatures: fin });
      }
      if (Object.prototype.hasOwnProperty.call(PYTORCH_ACTIVATIONS, name)) {
        const approx = kw.get('approximate');
        const slope = kw.get('negative_slope') ?? args[0];
        if (name === 'LeakyReLU' && slope && num(slope) !== undefined && num(slope) !== 0.01) throw this.err(at, 'LeakyReLU with a slope other than 0.01 is not supported');
        if ((name === 'ELU' || name === 'Softplus') && (args.length > 0 || kw.size > 0)) throw this.err(at, `${name} with parameters other than the defaults is not supported`);
        return layer({ kind: 'act', cls: name, framework: 'pytorch', activation: PYTORCH_ACTIVATIONS[name], note: approx?.t === 'str' && approx.s === 'tanh' ? 'gelu_tanh' : undefined });
      }
      if (name === 'LogSoftmax') return layer({ kind: 'act', cls: name, framework: 'pytorch', activation: 'softmax', note: 'logsoftmax' });
      if (name === 'Sequential') return helpers.sequential('pytorch', args, at);
      if (name === 'ModuleList') return undefined;
      if (PT_LOSSES.test(name)) {
        if (!Object.prototype.hasOwnProperty.call(LOSSES, name) && name !== 'NLLLoss') throw this.err(at, `loss ${name} is not supported (supported: MSELoss, L1Loss, BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss after LogSoftmax)`);
        const reduction = kw.get('reduction');
        return { type: 'loss', key: name, span: at, ...(reduction?.t === 'str' ? { reduction: reduction.s } : {}) };
      }
      if (IGNORED.test(name)) return layer({ kind: 'ignored', cls: name, framework: 'pytorch' });
      if (UNSUPPORTED.test(name)) throw this.err(at, `layer ${name} is not supported: Gradient Lens trains dense (fully connected) networks`);
      if (parts[1] === 'init') return helpers.init(name, args, at);
      if (name === 'Module') return undefined;
    }
    if (root === 'optim' || (root === 'torch' && parts[1] === 'optim')) {
      return this.optimizer(name, args, kw, at, 'pytorch');
    }
    // ---- Keras
    if (isKeras && !isTfjs) {
      if (name === 'Dense') {
        const units = num(kw.get('units') ?? args[0]);
        if (!units || !Number.isInteger(units) || units < 1) throw this.err(at, 'Dense needs a positive integer number of units');
        const l = layer({ kind: 'dense', cls: 'Dense', framework: 'keras', units, activation: activation(kw.get('activation') ?? args[1], at) ?? 'linear', inputs: firstOfShape(kw.get('input_shape')) ?? num(kw.get('input_dim')) });
        const ki = kw.get('kernel_initializer');
        const bi = kw.get('bias_initializer');
        const constant = (v: V | undefined): number | undefined => (v && v.t === 'net' && v.n.type === 'param' ? undefined : v && v.t === 'str' ? (v.s === 'zeros' ? 0 : v.s === 'ones' ? 1 : undefined) : v && v.t === 'obj' ? num(v.fields.get('value')) : undefined);
        const kc = constant(ki);
        const bc = constant(bi);
        if (kc !== undefined) l.weight = [[kc]];
        if (bc !== undefined) l.bias = [bc];
        return l;
      }
      if (name === 'Activation') return layer({ kind: 'act', cls: 'Activation', framework: 'keras', activation: activation(args[0] ?? kw.get('activation'), at) ?? 'linear' });
      if (['ReLU', 'LeakyReLU', 'ELU', 'Softmax'].includes(name)) return layer({ kind: 'act', cls: name, framework: 'keras', activation: activation({ t: 'str', s: name }, at) });
      if (name === 'Input' || name === 'InputLayer') {
        const n = firstOfShape(kw.get('shape') ?? kw.get('input_shape') ?? args[0]);
        if (n === undefined) throw this.err(at, `${name} needs shape=(n,)`);
        if (name === 'Input') return { type: 'sym', framework: 'keras', chain: [], inputs: n };
        return layer({ kind: 'input', cls: name, framework: 'keras', inputs: n });
      }
      if (name === 'Sequential') return helpers.sequential('keras', args, at);
      if (name === 'Model') return helpers.functionalModel(kw.get('inputs') ?? args[0], kw.get('outputs') ?? args[1], at);
      if (parts.includes('losses')) {
        const key = name;
        if (!Object.prototype.hasOwnProperty.call(LOSSES, key)) throw this.err(at, `loss '${key}' is not supported (supported: mse, mae, binary cross-entropy, categorical cross-entropy)`);
        const fl = kw.get('from_logits');
        return { type: 'loss', key, span: at, fromLogits: fl?.t === 'bool' ? fl.b : undefined };
      }
      if (parts.includes('optimizers')) return this.optimizer(name, args, kw, at, 'keras');
      if (parts.includes('initializers')) {
        const v = num(kw.get('value') ?? args[0]);
        if (name === 'Constant' || name === 'constant') return { t: 'obj', fields: new Map([['value', { t: 's', e: { kind: 'num', value: v ?? 0, start: at.start, end: at.end } }]]) };
        if (name === 'Zeros' || name === 'zeros') return { t: 'str', s: 'zeros' };
        if (name === 'Ones' || name === 'ones') return { t: 'str', s: 'ones' };
        return undefined;
      }
      if (name === 'Flatten') {
        // Flatten(input_shape=(28, 28)) gives the model's inputs: the product of the shape
        const shape = kw.get('input_shape');
        const dims = shape && shape.t === 'arr' ? shape.items.map(num) : [];
        const n = dims.length && dims.every((d) => d !== undefined) ? (dims as number[]).reduce((p, q) => p * q, 1) : undefined;
        return n !== undefined ? layer({ kind: 'input', cls: 'Flatten', framework: 'keras', inputs: n }) : layer({ kind: 'ignored', cls: name, framework: 'keras' });
      }
      if (IGNORED.test(name)) return layer({ kind: 'ignored', cls: name, framework: 'keras' });
      if (UNSUPPORTED.test(name)) throw this.err(at, `layer ${name} is not supported: Gradient Lens trains dense (fully connected) networks`);
    }
    // ---- TensorFlow.js
    if (isTfjs) {
      const cfg = args[0] && args[0].t === 'obj' ? args[0].fields : new Map<string, V>();
      if (parts[1] === 'layers') {
        if (name === 'dense') {
          const units = num(cfg.get('units'));
          if (!units) throw this.err(at, 'tf.layers.dense needs {units: n}');
          const shape = cfg.get('inputShape') ?? cfg.get('batchInputShape');
          return layer({ kind: 'dense', cls: 'dense', framework: 'tfjs', units, activation: activation(cfg.get('activation'), at) ?? 'linear', inputs: firstOfShape(shape) ?? num(cfg.get('inputDim')) });
        }
        if (name === 'activation') return layer({ kind: 'act', cls: name, framework: 'tfjs', activation: activation(cfg.get('activation'), at) ?? 'linear' });
        if (/^(dropout|flatten|gaussianNoise|gaussianDropout|alphaDropout)$/.test(name)) return layer({ kind: 'ignored', cls: `tf.layers.${name}`, framework: 'tfjs' });
        throw this.err(at, `layer tf.layers.${name} is not supported: Gradient Lens trains dense (fully connected) networks`);
      }
      if (name === 'sequential') return helpers.sequential('tfjs', cfg.get('layers') ? [cfg.get('layers') as V] : [], at);
      if (parts[1] === 'train') return this.optimizer(name, args, kw, at, 'tfjs');
      if (name === 'input') {
        const n = firstOfShape(cfg.get('shape'));
        return { type: 'sym', framework: 'tfjs', chain: [], inputs: n };
      }
      if (name === 'model') return helpers.functionalModel(cfg.get('inputs'), cfg.get('outputs'), at);
    }
    return undefined;
  }

  optimizer(name: string, args: V[], kw: Map<string, V>, at: Span, framework: Framework): Optim {
    const o = Object.prototype.hasOwnProperty.call(OPTIMIZERS, name) ? OPTIMIZERS[name] : undefined;
    if (!o) throw this.err(at, `optimizer '${name}' is not supported (supported: SGD (with momentum/nesterov), Adagrad, RMSprop, Adam, AdamW)`);
    const num = (v: V | undefined): number | undefined => (v && v.t === 's' && v.e.kind === 'num' ? v.e.value : undefined);
    const positional = args.filter((a) => !(a.t === 'net' || a.t === 'opaque' || a.t === 'method'));
    const owner = args.find((a) => a.t === 'net' && a.n.type === 'model');
    const hyper: Record<string, number | boolean> = {};
    for (const [k, v] of kw) {
      if (v.t === 's' && v.e.kind === 'num') hyper[k] = v.e.value;
      else if (v.t === 'bool') hyper[k] = v.b;
      else if (v.t === 'arr' && k === 'betas' && v.items.length === 2) { hyper.beta_1 = num(v.items[0]) ?? NaN; hyper.beta_2 = num(v.items[1]) ?? NaN; }
      else if (v.t === 'obj' && framework === 'tfjs') for (const [kk, vv] of v.fields) if (vv.t === 's' && vv.e.kind === 'num') hyper[kk] = vv.e.value;
    }
    // what PyTorch does not do the way Gradient Lens trains: said, not ignored
    if (framework === 'pytorch') {
      if (hyper.dampening) throw this.err(at, 'SGD(dampening=…) is not supported');
      if (hyper.amsgrad === true) throw this.err(at, `${name}(amsgrad=True) is not supported`);
      if (hyper.centered === true) throw this.err(at, 'RMSprop(centered=True) is not supported');
      if (hyper.maximize === true) throw this.err(at, `${name}(maximize=True) is not supported`);
    }
    const lr = num(kw.get('learning_rate') ?? kw.get('lr') ?? kw.get('learningRate') ?? positional[0]);
    const momentum = num(kw.get('momentum') ?? (framework === 'tfjs' && name === 'momentum' ? positional[1] : undefined));
    const nesterov = kw.get('nesterov');
    return {
      type: 'optim', key: name, span: at, lr: lr ?? defaultRate(name, framework) ?? o.lr, momentum, nesterov: nesterov?.t === 'bool' ? nesterov.b : undefined,
      owner: owner && owner.t === 'net' ? (owner.n as Model) : undefined, hyper, framework,
    };
  }
}

/** Each framework's default learning rate where it differs from the table's. */
function defaultRate(name: string, framework: Framework): number | undefined {
  if (framework === 'pytorch' && name === 'RMSprop') return 0.01;
  if (framework === 'keras' && /^(adagrad|Adagrad)$/.test(name)) return 0.001;
  return undefined;
}

/** The optimizer with its framework's exact hyperparameters: what the code sets, the framework's defaults for the rest. */
export function optimizerSpec(opt: Optim): NetworkDefinition['optimizer'] {
  const base = OPTIMIZERS[opt.key];
  const h = opt.hyper;
  const n = (k: string): number | undefined => (typeof h[k] === 'number' ? (h[k] as number) : undefined);
  let name: OptimizerName = base.name;
  if (name === 'sgd' && opt.momentum && opt.momentum > 0) name = opt.nesterov ? 'nesterov' : 'momentum';
  if (opt.key === 'momentum') name = 'momentum';
  const spec: NetworkDefinition['optimizer'] = { name, learningRate: opt.lr ?? base.lr, momentum: opt.momentum };
  const torch = opt.framework === 'pytorch';
  const keras = opt.framework === 'keras';
  const wd = n('weight_decay');
  if (wd !== undefined && wd !== 0) spec.weightDecay = wd;
  switch (base.name) {
    case 'adam':
      spec.beta1 = n('beta_1') ?? n('beta1') ?? 0.9;
      spec.beta2 = n('beta_2') ?? n('beta2') ?? 0.999;
      spec.epsilon = n('eps') ?? n('epsilon') ?? (keras ? 1e-7 : 1e-8);
      // Keras' ε is the paper's ε̂ (applied to √v, not to √v̂)
      if (keras) spec.epsilonHat = true;
      if (opt.key === 'AdamW') {
        spec.decoupledWeightDecay = true;
        spec.weightDecay = wd ?? (torch ? 0.01 : 0.004);
      }
      break;
    case 'rmsprop':
      spec.beta2 = n('alpha') ?? n('rho') ?? n('decay') ?? (torch ? 0.99 : 0.9);
      spec.epsilon = n('eps') ?? n('epsilon') ?? (torch ? 1e-8 : keras ? 1e-7 : 1e-10);
      if (opt.momentum) { spec.rmsMomentum = opt.momentum; spec.momentum = undefined; }
      break;
    case 'adagrad':
      spec.epsilon = n('eps') ?? n('epsilon') ?? (torch ? 1e-10 : 1e-7);
      spec.initialAccumulator = n('initial_accumulator_value') ?? n('initialAccumulatorValue') ?? (torch ? 0 : 0.1);
      if (n('lr_decay')) spec.lrDecay = n('lr_decay');
      break;
    default:
      break;
  }
  return spec;
}

export interface Helpers {
  sequential(framework: Framework, args: V[], at: Span): Model;
  functionalModel(inputs: V | undefined, outputs: V | undefined, at: Span): Model;
  init(name: string, args: V[], at: Span): V;
}

export const lossKey = (v: V): { key: string; fromLogits?: boolean } | undefined => {
  if (v.t === 'str') return { key: v.s };
  if (v.t === 'ns') return { key: v.path.split('.').pop() ?? '' };
  if (v.t === 'net' && v.n.type === 'loss') return { key: v.n.key, fromLogits: v.n.fromLogits };
  return undefined;
};

export { OptimizerName };

// ------------------------------------------------------------------ definitions

export interface NetworkContext {
  lines: LineIndex;
  /** DataLoaders at module level: their dataset, batch size and shuffling */
  loaders: Array<{ loader: V & { t: 'obj' }; stmt: Span }>;
  models: Array<{ name: string | null; model: Model; stmt: Span }>;
  lossDefs: Array<{ loss: LossObj; stmt: Span }>;
  optimDefs: Array<{ optim: Optim; stmt: Span }>;
  trainingLoops: Array<{ epochs: number; stmt: Span }>;
  /** module-level names, for data (X/y, x_train/y_train, xs/ys) */
  lookup(name: string): V | undefined;
  /** why a module-level name could not be read (its statement failed), if it could not */
  failure(name: string): UserError | undefined;
}

const DATA_NAMES: Array<[string, string]> = [['X', 'y'], ['X', 'Y'], ['x', 'y'], ['x_train', 'y_train'], ['X_train', 'y_train'], ['xs', 'ys'], ['inputs', 'targets'], ['features', 'labels'], ['x_data', 'y_data'], ['data', 'labels']];

function matrixOf(v: V | undefined): number[][] | undefined {
  if (!v || v.t !== 'arr' || v.items.length === 0) return undefined;
  const num = (x: V): number | undefined => (x.t === 's' && x.e.kind === 'num' ? x.e.value : undefined);
  const rows: number[][] = [];
  for (const r of v.items) {
    if (r.t === 'arr') {
      const row = r.items.map(num);
      if (row.some((x) => x === undefined)) return undefined;
      rows.push(row as number[]);
    } else {
      const x = num(r);
      if (x === undefined) return undefined;
      rows.push([x]);
    }
  }
  return rows;
}

/** A PyTorch layer's name in its model's state_dict: its index in an nn.Sequential, its attribute in an nn.Module. */
function stateKey(model: Model, layer: Layer): string | undefined {
  if (model.framework !== 'pytorch') return undefined;
  if (!model.module) {
    const i = model.items.indexOf(layer);
    return i >= 0 ? String(i) : undefined;
  }
  for (const [name, v] of model.module.attrs) {
    if (v.t !== 'net') continue;
    if (v.n === layer) return name;
    if (v.n.type === 'model' && v.n.items.includes(layer)) return `${name}.${v.n.items.indexOf(layer)}`;
  }
  return undefined;
}

/** The nearest definition after the model's statement (before the next model), else the last one before it. */
function nearest<T extends { stmt: Span }>(defs: T[], at: Span, nextModel: number): T | undefined {
  return defs.find((d) => d.stmt.start >= at.start && d.stmt.start < nextModel) ?? [...defs].reverse().find((d) => d.stmt.start < at.start);
}

export function networkDefinition(ctx: NetworkContext, entry: { name: string | null; model: Model; stmt: Span; nameSpan: Span | null }, range: Span): NetworkDefinition {
  const { lines } = ctx;
  const err = (at: Span, m: string): UserError => lines.errorAt(at.start, m);
  const model = entry.model;
  if (model.errors?.length) throw model.errors[0];
  const notes = [...model.notes];
  const items = model.module?.forward ? model.module.forward() : model.items;
  const layers: LayerSpec[] = [];
  const dense: Layer[] = [];
  const written = (l: Layer): string => lines.text.slice(l.span.start, l.span.end).replace(/\s+/g, ' ').replace(/^torch\./, '');
  let inputs = model.inputs;
  let logSoftmax = false;
  for (const it of items) {
    if (it.kind === 'input') { inputs = it.inputs; continue; }
    if (it.kind === 'dense') {
      if (dense.includes(it)) throw err(it.span, `the layer ${it.cls} is applied twice (shared weights are not supported)`);
      if (dense.length === 0 && inputs === undefined) inputs = it.inFeatures ?? it.inputs;
      if (dense.length === 0 && it.inputs !== undefined) inputs = it.inputs;
      const prev = dense[dense.length - 1];
      if (it.inFeatures !== undefined && prev && prev.units !== it.inFeatures) {
        throw err(it.span, `inconsistent sizes: ${written(prev)} outputs ${prev.units} features but ${written(it)} expects ${it.inFeatures}`);
      }
      if (it.inFeatures !== undefined && !prev && inputs !== undefined && inputs !== it.inFeatures) {
        throw err(it.span, `inconsistent sizes: the input has ${inputs} features but ${it.cls} expects ${it.inFeatures}`);
      }
      layers.push({ units: it.units as number, activation: it.activation ?? 'linear', range: { start: it.span.start, end: it.span.end }, key: stateKey(model, it) });
      dense.push(it);
    } else if (it.kind === 'act') {
      const last = layers[layers.length - 1];
      if (!last) throw err(it.span, `${it.cls} comes before any layer`);
      if (last.activation !== 'linear') throw err(it.span, `two activations in a row (${last.activation}, then ${it.cls}) after layer ${layers.length}`);
      last.activation = it.activation ?? 'linear';
      if (it.note === 'logsoftmax') logSoftmax = true;
    } else if (it.kind === 'ignored') {
      notes.push(`${it.cls} (line ${lines.position(it.span.start).line}) is ignored: training here runs without it`);
    }
  }
  const nextModel = Math.min(...ctx.models.filter((m) => m.stmt.start > entry.stmt.start).map((m) => m.stmt.start), Infinity);
  const extra: Partial<NetworkDefinition> = { initializer: model.framework === 'pytorch' ? 'pytorch' : 'glorot' };
  // loss
  const lossObj = model.loss ?? nearest(ctx.lossDefs, entry.stmt, nextModel)?.loss;
  if (lossObj) {
    let key = lossObj.key;
    if (key === 'NLLLoss') {
      if (!logSoftmax) throw err(lossObj.span, 'NLLLoss needs log-probabilities: end the model with nn.LogSoftmax(dim=1) (or use CrossEntropyLoss on logits)');
      // LogSoftmax + NLLLoss is cross-entropy on the logits
      layers[layers.length - 1].activation = 'linear';
      key = 'CrossEntropyLoss';
    }
    if (!Object.prototype.hasOwnProperty.call(LOSSES, key)) throw err(lossObj.span, `loss '${key}' is not supported (supported: mean squared error, mean absolute error, binary cross-entropy, categorical cross-entropy)`);
    const l = LOSSES[key];
    Object.assign(extra, { loss: l.loss, fromLogits: lossObj.fromLogits ?? l.fromLogits ?? false, sparseLabels: l.sparse ?? false });
  } else if (model.framework !== 'spec') notes.push(model.framework === 'pytorch' ? 'no loss found: nn.MSELoss() is assumed' : 'no model.compile(...) found: mean squared error and SGD (η = 0.01) are assumed');
  // optimizer
  const opt = model.optimizer ?? ctx.optimDefs.find((o) => o.optim.owner === model)?.optim ?? nearest(ctx.optimDefs.filter((o) => !o.optim.owner), entry.stmt, nextModel)?.optim;
  if (opt) extra.optimizer = optimizerSpec(opt);
  else if (model.framework === 'pytorch') notes.push('no torch.optim optimizer found: SGD (η = 0.01) is assumed');
  // data
  const fx = matrixOf(model.fit?.x);
  const fy = matrixOf(model.fit?.y);
  const loader = nearest(ctx.loaders, entry.stmt, nextModel)?.loader;
  const ds = loader?.fields.get('__loader');
  const lx = ds && ds.t === 'obj' ? matrixOf(ds.fields.get('__dataset_x')) : undefined;
  const ly = ds && ds.t === 'obj' ? matrixOf(ds.fields.get('__dataset_y')) : undefined;
  if (fx && fy && fx.length === fy.length) extra.data = { x: fx, y: fy, range: { start: range.start, end: range.end } };
  else if (lx && ly && lx.length === ly.length) extra.data = { x: lx, y: ly, range: { start: range.start, end: range.end } };
  else {
    for (const [xn, yn] of DATA_NAMES) {
      const x = matrixOf(ctx.lookup(xn));
      const y = matrixOf(ctx.lookup(yn));
      if (x && y && x.length === y.length) { extra.data = { x, y, range: { start: range.start, end: range.end } }; break; }
    }
  }
  if (!extra.data) {
    // data the file loads but that could not be read (a refused .npy, a missing CSV): said, not silently replaced
    const failed = DATA_NAMES.flat().map((n) => [n, ctx.failure(n)] as const).find(([, e]) => e);
    if (failed?.[1]) notes.push(`${failed[0]} (line ${failed[1].line}, column ${failed[1].column}) could not be read: ${failed[1].message}; a built-in dataset is used instead`);
  }
  const epochs = model.fit?.epochs ?? nearest(ctx.trainingLoops, entry.stmt, Infinity)?.epochs;
  if (epochs !== undefined && epochs >= 1) extra.epochs = Math.min(epochs, MAX_EPOCHS);
  if (model.fit?.batchSize) extra.batchSize = model.fit.batchSize;
  // Keras and TF.js shuffle in fit() unless told not to; a DataLoader only with shuffle=True
  if (model.fit?.batchSize) extra.shuffle = model.fit.shuffle ?? true;
  if (loader && model.framework === 'pytorch') {
    const bs = loader.fields.get('batch_size');
    const sh = loader.fields.get('shuffle');
    if (bs && bs.t === 's' && bs.e.kind === 'num') extra.batchSize = bs.e.value;
    extra.shuffle = sh?.t === 'bool' ? sh.b : false;
  }
  const def = finish(lines, model.framework, entry.name, entry.nameSpan ? { start: entry.nameSpan.start, end: entry.nameSpan.end } : null, inputs, layers, range.start, range.end, extra, notes);
  // GELU as the framework computes it: the exact erf form in PyTorch (unless approximate='tanh') and Keras
  if (layers.some((l) => l.activation === 'gelu')) {
    def.geluForm = model.framework === 'tfjs' || items.some((l) => l.note === 'gelu_tanh') ? 'tanh' : 'erf';
  }
  if (extra.epochs !== undefined) def.epochs = extra.epochs;
  if (extra.batchSize !== undefined) def.batchSize = extra.batchSize;
  if (extra.shuffle !== undefined) def.shuffle = extra.shuffle;
  // starting weights the file sets
  if (dense.some((l) => l.weight || l.bias)) {
    const sizes = [def.inputs, ...def.layers.map((l) => l.units)];
    def.initialWeights = dense.map((l, k) => {
      const out = sizes[k + 1];
      const fin = sizes[k];
      let W = l.weight;
      if (W && W.length === 1 && W[0].length === 1 && (out > 1 || fin > 1)) W = Array.from({ length: out }, () => Array.from({ length: fin }, () => (W as number[][])[0][0]));
      let b = l.bias;
      if (b && b.length === 1 && out > 1) b = Array.from({ length: out }, () => (b as number[])[0]);
      if (W && (W.length !== out || W.some((r) => r.length !== fin))) throw err(l.span, `the weights set for this layer have shape (${W.length}, ${W[0]?.length ?? 0}); the layer needs (${out}, ${fin})`);
      return { ...(W ? { W } : {}), ...(b ? { b } : {}) };
    });
  }
  return def;
}
