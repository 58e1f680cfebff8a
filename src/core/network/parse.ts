/**
 * Reads small networks from code without running it: Keras `Sequential`
 * (list and `.add` forms), PyTorch `nn.Sequential`, TensorFlow.js
 * `tf.sequential`, and a plain spec in a comment
 * (`network: 2 -> 4 tanh -> 1 sigmoid, loss=bce, lr=0.5`).
 */
import { LineIndex } from '../errors';
import { OptimizerName } from '../optimizers';
import { Candidate, OffsetRange } from '../candidate';
import { maskCode, matchingParen, splitTopLevel } from '../text/scan';
import { ACTIVATIONS, Activation, Loss } from './mlp';
import { Framework, LayerSpec, NetworkDefinition } from './spec';

/** An argument of a call: `key=value`, `key: value` or positional, with its document range. */
interface Arg {
  key: string | null;
  value: string;
  start: number;
  end: number;
  /** document offset where `value` starts */
  valueStart: number;
}

/** A call `callee(args)` found in the masked text, read from the original text. */
interface Call {
  callee: string;
  start: number;
  open: number;
  close: number;
  args: Arg[];
}

const ID = '[A-Za-z_$][\\w$]*';

function readArgs(doc: string, open: number, close: number): Arg[] {
  const inner = doc.slice(open + 1, close);
  const args: Arg[] = [];
  for (const [a, b] of splitTopLevel(inner, ',')) {
    const raw = inner.slice(a, b);
    if (raw.trim() === '') continue;
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    const kv = /^([A-Za-z_$][\w$]*)\s*(?:=(?!=)|:)\s*([\s\S]*)$/.exec(text);
    const start = open + 1 + a + lead;
    const value = kv ? kv[2].trim() : text;
    args.push({ key: kv ? kv[1] : null, value, start, end: start + text.length, valueStart: kv ? start + text.length - value.length : start });
  }
  return args;
}

/** `{ units: 5, activation: 'tanh' }` → args, for TF.js's config objects. */
function objectArgs(doc: string, arg: Arg): Arg[] {
  const t = arg.value;
  if (!t.startsWith('{')) return [];
  const open = arg.valueStart;
  const close = matchingParen(doc, open, arg.end + 1);
  return close > 0 ? readArgs(doc, open, close) : [];
}

function calls(doc: string, masked: string, re: RegExp): Call[] {
  const out: Call[] = [];
  for (const m of masked.matchAll(re)) {
    const open = m.index + m[0].length - 1;
    const close = matchingParen(masked, open, masked.length);
    if (close < 0) continue;
    out.push({ callee: m[1] ?? m[0], start: m.index, open, close, args: readArgs(doc, open, close) });
  }
  return out;
}

const str = (v: string): string | undefined => {
  const m = /^(['"`])(.*)\1$/s.exec(v.trim());
  return m ? m[2] : undefined;
};
const num = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const x = Number(v.trim().replace(/_/g, ''));
  return v.trim() !== '' && Number.isFinite(x) ? x : undefined;
};
const tupleFirst = (v: string): number | undefined => num(/^[([]\s*([^,\])]+)\s*,?\s*[)\]]$/.exec(v.trim())?.[1]);

const ACTIVATION_ALIASES: Record<string, Activation> = {
  linear: 'linear', none: 'linear', relu: 'relu', leaky_relu: 'leaky_relu', leakyrelu: 'leaky_relu', sigmoid: 'sigmoid', tanh: 'tanh',
  softmax: 'softmax', elu: 'elu', gelu: 'gelu', softplus: 'softplus', leakyReLU: 'leaky_relu',
};

function activationOf(value: string, lines: LineIndex, at: number): Activation {
  const s = str(value);
  const name = (s ?? value.replace(/^(tf\.nn\.|tf\.keras\.activations\.|keras\.activations\.|activations\.|nn\.functional\.|F\.)/, '').replace(/\(\)$/, '')).trim();
  if (name === 'None') return 'linear';
  const a = Object.prototype.hasOwnProperty.call(ACTIVATION_ALIASES, name) ? ACTIVATION_ALIASES[name] : ACTIVATION_ALIASES[name.toLowerCase()];
  if (!a) throw lines.errorAt(at, `activation '${name}' is not supported (supported: ${ACTIVATIONS.join(', ')})`);
  return a;
}

const PYTORCH_ACTIVATIONS: Record<string, Activation> = { ReLU: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', LeakyReLU: 'leaky_relu', Softmax: 'softmax', ELU: 'elu', GELU: 'gelu', Softplus: 'softplus', Identity: 'linear' };
const IGNORED = /^(Dropout|AlphaDropout|GaussianDropout|GaussianNoise|Flatten|ActivityRegularization|Identity)$/;
const UNSUPPORTED = /^(Conv\w*|LSTM\w*|GRU\w*|RNN\w*|SimpleRNN|Embedding|BatchNorm\w*|BatchNormalization|LayerNorm\w*|LayerNormalization|MaxPool\w*|AvgPool\w*|MaxPooling\w*|AveragePooling\w*|Attention|MultiheadAttention|MultiHeadAttention|Transformer\w*|Bilinear|Reshape|Permute|Upsample\w*|UpSampling\w*|ZeroPadding\w*)$/;

const LOSSES: Record<string, { loss: Loss; fromLogits?: boolean; sparse?: boolean }> = {
  mse: { loss: 'mse' }, mean_squared_error: { loss: 'mse' }, meanSquaredError: { loss: 'mse' }, MeanSquaredError: { loss: 'mse' }, MSELoss: { loss: 'mse' },
  binary_crossentropy: { loss: 'binary_crossentropy' }, binaryCrossentropy: { loss: 'binary_crossentropy' }, BinaryCrossentropy: { loss: 'binary_crossentropy' }, bce: { loss: 'binary_crossentropy' }, BCELoss: { loss: 'binary_crossentropy' },
  BCEWithLogitsLoss: { loss: 'binary_crossentropy', fromLogits: true },
  categorical_crossentropy: { loss: 'categorical_crossentropy' }, categoricalCrossentropy: { loss: 'categorical_crossentropy' }, CategoricalCrossentropy: { loss: 'categorical_crossentropy' }, cce: { loss: 'categorical_crossentropy' }, ce: { loss: 'categorical_crossentropy' },
  sparse_categorical_crossentropy: { loss: 'categorical_crossentropy', sparse: true }, sparseCategoricalCrossentropy: { loss: 'categorical_crossentropy', sparse: true }, SparseCategoricalCrossentropy: { loss: 'categorical_crossentropy', sparse: true },
  CrossEntropyLoss: { loss: 'categorical_crossentropy', fromLogits: true, sparse: true },
};

const OPTIMIZERS: Record<string, { name: OptimizerName; lr: number }> = {
  sgd: { name: 'sgd', lr: 0.01 }, SGD: { name: 'sgd', lr: 0.01 }, adam: { name: 'adam', lr: 0.001 }, Adam: { name: 'adam', lr: 0.001 }, AdamW: { name: 'adam', lr: 0.001 },
  rmsprop: { name: 'rmsprop', lr: 0.001 }, RMSprop: { name: 'rmsprop', lr: 0.001 }, adagrad: { name: 'adagrad', lr: 0.01 }, Adagrad: { name: 'adagrad', lr: 0.01 },
  momentum: { name: 'momentum', lr: 0.01 }, nesterov: { name: 'nesterov', lr: 0.01 },
};

function lossOf(value: string, lines: LineIndex, at: number): { loss: Loss; fromLogits: boolean; sparse: boolean } {
  const s = str(value);
  const m = s ? [s, s] : /(?:[\w.]*\.)?(\w+)\s*\(([^)]*)\)/.exec(value) ?? [value, value.trim()];
  const key = s ?? m[1];
  const l = Object.prototype.hasOwnProperty.call(LOSSES, key) ? LOSSES[key] : undefined;
  if (!l) throw lines.errorAt(at, `loss '${key}' is not supported (supported: mse, binary cross-entropy, categorical cross-entropy)`);
  const logits = /from_logits\s*=\s*True|fromLogits\s*:\s*true/.test(value);
  return { loss: l.loss, fromLogits: l.fromLogits ?? logits, sparse: l.sparse ?? false };
}

/** `Adam(learning_rate=0.01)`, `'adam'`, `tf.train.sgd(0.3)`, `torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)`. */
function optimizerOf(doc: string, value: string, start: number, lines: LineIndex): { name: OptimizerName; learningRate: number; momentum?: number } {
  const s = str(value);
  if (s !== undefined) {
    const o = Object.prototype.hasOwnProperty.call(OPTIMIZERS, s) ? OPTIMIZERS[s] : undefined;
    if (!o) throw lines.errorAt(start, `optimizer '${s}' is not supported (supported: sgd, momentum, nesterov, adagrad, rmsprop, adam)`);
    return { name: o.name, learningRate: o.lr };
  }
  const m = /([\w$]+)\s*\(/.exec(value);
  if (!m) throw lines.errorAt(start, `cannot read the optimizer '${value.slice(0, 40)}'`);
  const key = m[1];
  const o = Object.prototype.hasOwnProperty.call(OPTIMIZERS, key) ? OPTIMIZERS[key] : undefined;
  if (!o) throw lines.errorAt(start, `optimizer '${key}' is not supported (supported: SGD (with momentum/nesterov), Adagrad, RMSprop, Adam)`);
  const open = start + value.indexOf('(', m.index);
  const close = matchingParen(doc, open, start + value.length + 1);
  const args = close > 0 ? readArgs(doc, open, close) : [];
  const kw = (k: string): string | undefined => args.find((a) => a.key === k)?.value;
  const positional = args.filter((a) => a.key === null && !/parameters\s*\(/.test(a.value));
  const lr = num(kw('learning_rate') ?? kw('lr') ?? kw('learningRate') ?? positional[0]?.value) ?? o.lr;
  const momentum = num(kw('momentum') ?? (o.name === 'sgd' && positional[1] ? positional[1].value : undefined));
  let name = o.name;
  if (name === 'sgd' && momentum && momentum > 0) name = /nesterov\s*=\s*True|nesterov\s*:\s*true/.test(value) ? 'nesterov' : 'momentum';
  return { name, learningRate: lr, momentum };
}

/** Numeric nested lists as written: `[[0, 0], [0, 1]]` (no evaluation). */
function parseNumbers(text: string): number[][] | undefined {
  const cleaned = text.replace(/\s+/g, '').replace(/,(?=[\])])/g, '').replace(/(\d)\.(?=[,\]])/g, '$1');
  if (!/^\[[-+0-9.eE,[\]]*\]$/.test(cleaned)) return undefined;
  try {
    const v = JSON.parse(cleaned) as unknown;
    if (!Array.isArray(v)) return undefined;
    const rows = v.map((r) => (Array.isArray(r) ? r : [r]));
    if (!rows.every((r) => r.every((x) => typeof x === 'number' && Number.isFinite(x)))) return undefined;
    return rows as number[][];
  } catch {
    return undefined;
  }
}

const DATA_NAMES: Array<[string, string]> = [['X', 'y'], ['X', 'Y'], ['x', 'y'], ['x_train', 'y_train'], ['X_train', 'y_train'], ['xs', 'ys'], ['inputs', 'targets'], ['features', 'labels']];

function findData(doc: string, masked: string): NetworkDefinition['data'] {
  const bound = (name: string): { rows: number[][]; start: number; end: number } | undefined => {
    const re = new RegExp(`(?:^|[\\s;])(?:const\\s+|let\\s+|var\\s+)?${name}\\s*(?::[^=]*)?=\\s*(?:(?:np|numpy|torch|tf|jnp)\\.(?:array|tensor|tensor2d|tensor1d|Tensor|asarray|FloatTensor)\\s*\\()?\\s*\\[`, 'gm');
    for (const m of masked.matchAll(re)) {
      const open = m.index + m[0].length - 1;
      const close = matchingParen(masked, open, masked.length);
      if (close < 0) continue;
      const rows = parseNumbers(doc.slice(open, close + 1));
      if (rows) return { rows, start: m.index, end: close + 1 };
    }
    return undefined;
  };
  for (const [xn, yn] of DATA_NAMES) {
    const x = bound(xn);
    const y = bound(yn);
    if (x && y && x.rows.length === y.rows.length && x.rows.length > 0) {
      return { x: x.rows, y: y.rows, range: { start: Math.min(x.start, y.start), end: Math.max(x.end, y.end) } };
    }
  }
  return undefined;
}

interface Pending {
  framework: Framework;
  name: string;
  nameRange: OffsetRange;
  start: number;
  end: number;
  build: () => NetworkDefinition;
}

export function networkCandidates(doc: string, lines: LineIndex, language: string): Candidate<NetworkDefinition>[] {
  const syntax = language === 'python' ? 'python' : ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'].includes(language) ? 'js' : undefined;
  const found: Pending[] = [...specCandidates(doc, lines)];
  const masked = syntax ? maskCode(doc, syntax) : doc;
  if (syntax) {
    if (syntax === 'python') found.push(...kerasCandidates(doc, masked, lines), ...pytorchCandidates(doc, masked, lines));
    else found.push(...tfjsCandidates(doc, masked, lines));
  }
  return found.map((p) => ({
    startLine: lines.position(p.start).line,
    endLine: lines.position(Math.max(p.start, p.end - 1)).line,
    build: () => withEpochs(p.build(), masked),
  }));
}

function finish(
  lines: LineIndex, framework: Framework, name: string | null, nameRange: OffsetRange | null, inputs: number | undefined,
  layers: LayerSpec[], start: number, end: number, extra: Partial<NetworkDefinition>, notes: string[],
): NetworkDefinition {
  if (layers.length === 0) throw lines.errorAt(start, 'the model has no Dense/Linear layers');
  if (inputs === undefined) throw lines.errorAt(layers[0].range.start, 'the input size is not given: add input_shape=(n,) / input_dim=n to the first layer (or inputShape: [n] in TF.js)');
  layers.forEach((l, i) => {
    if (l.activation === 'softmax' && i !== layers.length - 1) notes.push(`layer ${i + 1} uses softmax inside the network`);
  });
  const outputs = layers[layers.length - 1].units;
  const data = extra.data;
  if (data) {
    const width = data.x[0].length;
    if (data.x.some((r) => r.length !== width)) throw lines.errorAt(data.range.start, 'the rows of the input data have different lengths');
    if (width !== inputs) throw lines.errorAt(data.range.start, `the input data has ${width} feature${width === 1 ? '' : 's'} per sample but the model takes ${inputs}`);
    const yw = data.y[0].length;
    if (yw !== outputs && !(yw === 1 && outputs > 1)) throw lines.errorAt(data.range.start, `the targets have ${yw} value${yw === 1 ? '' : 's'} per sample but the model outputs ${outputs}`);
  }
  const p = { start: lines.position(start).line, end: lines.position(Math.max(start, end - 1)).line };
  return {
    kind: 'network', framework, name, nameRange, inputs, layers,
    loss: extra.loss ?? 'mse', fromLogits: extra.fromLogits ?? false, sparseLabels: extra.sparseLabels ?? false,
    optimizer: extra.optimizer ?? { name: 'sgd', learningRate: 0.01 },
    initializer: extra.initializer ?? 'auto',
    data: extra.data, notes, range: { start, end }, startLine: p.start, endLine: p.end,
  };
}

// ------------------------------------------------------------------ Keras

function kerasLayer(c: Call, lines: LineIndex, layers: LayerSpec[], notes: string[], state: { inputs?: number }): void {
  const cls = c.callee.split('.').pop() as string;
  const kw = (k: string): Arg | undefined => c.args.find((a) => a.key === k);
  if (cls === 'Dense') {
    const unitsArg = kw('units') ?? c.args.find((a) => a.key === null);
    const units = num(unitsArg?.value);
    if (!units || !Number.isInteger(units) || units < 1) throw lines.errorAt(c.start, 'Dense needs a positive integer number of units');
    const act = kw('activation');
    const shape = kw('input_shape') ?? kw('inputShape');
    const dim = kw('input_dim') ?? kw('inputDim');
    if (shape) state.inputs = tupleFirst(shape.value);
    if (dim) state.inputs = num(dim.value);
    layers.push({ units, activation: act ? activationOf(act.value, lines, act.valueStart) : 'linear', range: { start: c.start, end: c.close + 1 } });
  } else if (cls === 'Activation') {
    const a = c.args[0];
    if (!a || layers.length === 0) throw lines.errorAt(c.start, 'Activation needs a preceding Dense layer and a name');
    const last = layers[layers.length - 1];
    if (last.activation !== 'linear') throw lines.errorAt(c.start, `layer ${layers.length} already has the activation ${last.activation}`);
    last.activation = activationOf(a.value, lines, a.valueStart);
    last.range = { start: last.range.start, end: c.close + 1 };
  } else if (cls === 'Input' || cls === 'InputLayer') {
    const shape = kw('shape') ?? kw('input_shape') ?? c.args.find((a) => a.key === null);
    if (shape) state.inputs = tupleFirst(shape.value);
  } else if (['ReLU', 'LeakyReLU', 'ELU', 'Softmax'].includes(cls)) {
    const last = layers[layers.length - 1];
    if (!last) throw lines.errorAt(c.start, `${cls} needs a preceding Dense layer`);
    last.activation = activationOf(cls, lines, c.start);
  } else if (IGNORED.test(cls)) {
    notes.push(`${cls} (line ${lines.position(c.start).line}) is ignored: training here runs without it`);
  } else if (UNSUPPORTED.test(cls)) {
    throw lines.errorAt(c.start, `layer ${cls} is not supported: Gradient Lens trains dense (fully connected) networks`);
  } else {
    throw lines.errorAt(c.start, `unknown layer '${c.callee}'`);
  }
}

function kerasCandidates(doc: string, masked: string, lines: LineIndex): Pending[] {
  const out: Pending[] = [];
  const re = new RegExp(`(?:^|\\n)[ \\t]*(${ID})\\s*=\\s*((?:tf\\.)?(?:keras\\.)?(?:models\\.)?Sequential)\\s*\\(`, 'g');
  for (const m of masked.matchAll(re)) {
    const name = m[1];
    const nameStart = m.index + m[0].indexOf(name);
    const open = m.index + m[0].length - 1;
    const close = matchingParen(masked, open, masked.length);
    if (close < 0) continue;
    if (/\bLinear\s*\(/.test(masked.slice(open, close))) continue; // a PyTorch Sequential imported bare
    const compile = calls(doc, masked, new RegExp(`\\b${escapeRegExp(name)}\\.compile\\s*\\(`, 'g'))[0];
    const adds = calls(doc, masked, new RegExp(`\\b${escapeRegExp(name)}\\.add\\s*\\(`, 'g')).filter((c) => c.start > close);
    const end = Math.max(close + 1, ...adds.map((a) => a.close + 1));
    out.push({
      framework: 'keras', name, nameRange: { start: nameStart, end: nameStart + name.length }, start: nameStart, end,
      build: () => {
        const layers: LayerSpec[] = [];
        const notes: string[] = [];
        const state: { inputs?: number } = {};
        const layerRe = new RegExp(`((?:tf\\.)?(?:keras\\.)?(?:layers\\.)?[A-Z]\\w*)\\s*\\(`, 'g');
        const inList = calls(doc, masked.slice(0, close).padEnd(masked.length, ' '), layerRe).filter((c) => c.start > open && c.close < close && !nestedIn(c, open, masked));
        const fromAdds = adds.map((a) => calls(doc, masked.slice(0, a.close).padEnd(masked.length, ' '), layerRe).find((c) => c.start > a.open && c.close < a.close)).filter((c): c is Call => c !== undefined);
        for (const c of [...inList, ...fromAdds]) kerasLayer(c, lines, layers, notes, state);
        const extra: Partial<NetworkDefinition> = {};
        if (compile) {
          const loss = compile.args.find((a) => a.key === 'loss') ?? compile.args.filter((a) => a.key === null)[1];
          if (loss) Object.assign(extra, ((l) => ({ loss: l.loss, fromLogits: l.fromLogits, sparseLabels: l.sparse }))(lossOf(loss.value, lines, loss.valueStart)));
          const opt = compile.args.find((a) => a.key === 'optimizer') ?? compile.args.filter((a) => a.key === null)[0];
          if (opt) extra.optimizer = optimizerOf(doc, opt.value, opt.valueStart, lines);
        } else notes.push('no model.compile(...) found: mean squared error and SGD (η = 0.01) are assumed');
        extra.data = findData(doc, masked);
        return finish(lines, 'keras', name, { start: nameStart, end: nameStart + name.length }, state.inputs, layers, nameStart, end, extra, notes);
      },
    });
  }
  return out;
}

/** A call is a direct element of the list (not an argument of another call inside it). */
function nestedIn(c: Call, open: number, masked: string): boolean {
  let depth = 0;
  for (let i = open + 1; i < c.start; i++) {
    const ch = masked[i];
    if (ch === '(' || ch === '{') depth++;
    else if (ch === ')' || ch === '}') depth--;
  }
  return depth > 0;
}

// ------------------------------------------------------------------ PyTorch

function pytorchCandidates(doc: string, masked: string, lines: LineIndex): Pending[] {
  const out: Pending[] = [];
  const re = new RegExp(`(?:^|\\n)[ \\t]*(?:self\\.)?(${ID})\\s*=\\s*((?:torch\\.)?nn\\.Sequential|Sequential)\\s*\\(`, 'g');
  for (const m of masked.matchAll(re)) {
    const name = m[1];
    const nameStart = m.index + m[0].indexOf(name, m[0].search(/\S/));
    const open = m.index + m[0].length - 1;
    const close = matchingParen(masked, open, masked.length);
    if (close < 0) continue;
    // Keras also spells Sequential; PyTorch's holds nn.Linear
    if (!/\b(?:nn\.)?Linear\s*\(/.test(masked.slice(open, close)) && !/nn\.Sequential/.test(m[2])) continue;
    out.push({
      framework: 'pytorch', name, nameRange: { start: nameStart, end: nameStart + name.length }, start: nameStart, end: close + 1,
      build: () => {
        const layers: LayerSpec[] = [];
        const notes: string[] = [];
        let inputs: number | undefined;
        const modules = calls(doc, masked, /((?:torch\.)?(?:nn\.)?[A-Z]\w*)\s*\(/g).filter((c) => c.start > open && c.close < close && !nestedIn(c, open, masked));
        let lastOut: { units: number; call: Call } | undefined;
        for (const c of modules) {
          const cls = c.callee.split('.').pop() as string;
          if (cls === 'Linear') {
            const pos = c.args.filter((a) => a.key === null);
            const fin = num(c.args.find((a) => a.key === 'in_features')?.value ?? pos[0]?.value);
            const fout = num(c.args.find((a) => a.key === 'out_features')?.value ?? pos[1]?.value);
            if (!fin || !fout) throw lines.errorAt(c.start, 'Linear needs in_features and out_features as numbers');
            if (lastOut && lastOut.units !== fin) {
              throw lines.errorAt(c.start, `inconsistent sizes: ${src(doc, lastOut.call)} outputs ${lastOut.units} features but ${src(doc, c)} expects ${fin}`);
            }
            if (inputs === undefined) inputs = fin;
            layers.push({ units: fout, activation: 'linear', range: { start: c.start, end: c.close + 1 } });
            lastOut = { units: fout, call: c };
          } else if (Object.prototype.hasOwnProperty.call(PYTORCH_ACTIVATIONS, cls)) {
            const last = layers[layers.length - 1];
            if (!last) throw lines.errorAt(c.start, `${cls} comes before any Linear layer`);
            if (last.activation !== 'linear') throw lines.errorAt(c.start, `two activations in a row (${last.activation}, then ${cls}) after layer ${layers.length}`);
            last.activation = PYTORCH_ACTIVATIONS[cls];
            last.range = { start: last.range.start, end: c.close + 1 };
          } else if (IGNORED.test(cls)) {
            notes.push(`${cls} (line ${lines.position(c.start).line}) is ignored: training here runs without it`);
          } else if (UNSUPPORTED.test(cls)) {
            throw lines.errorAt(c.start, `layer ${cls} is not supported: Gradient Lens trains dense (fully connected) networks`);
          } else throw lines.errorAt(c.start, `unknown module '${c.callee}'`);
        }
        const extra: Partial<NetworkDefinition> = { initializer: 'pytorch' };
        const loss = calls(doc, masked, /\b(?:torch\.)?(?:nn\.)?(MSELoss|BCELoss|BCEWithLogitsLoss|CrossEntropyLoss|L1Loss|NLLLoss|HuberLoss|SmoothL1Loss)\s*\(/g)[0];
        if (loss) {
          if (!Object.prototype.hasOwnProperty.call(LOSSES, loss.callee)) throw lines.errorAt(loss.start, `loss ${loss.callee} is not supported (supported: MSELoss, BCELoss, BCEWithLogitsLoss, CrossEntropyLoss)`);
          const l = LOSSES[loss.callee];
          Object.assign(extra, { loss: l.loss, fromLogits: l.fromLogits ?? false, sparseLabels: l.sparse ?? false });
        } else notes.push('no loss found: nn.MSELoss() is assumed');
        const opt = calls(doc, masked, /\b(?:torch\.)?optim\.(\w+)\s*\(/g)[0];
        if (opt) extra.optimizer = optimizerOf(doc, doc.slice(opt.start, opt.close + 1).replace(/^(?:torch\.)?optim\./, ''), opt.start + (doc.slice(opt.start).match(/^(?:torch\.)?optim\./)?.[0].length ?? 0), lines);
        else notes.push('no torch.optim optimizer found: SGD (η = 0.01) is assumed');
        extra.data = findData(doc, masked);
        return finish(lines, 'pytorch', name, { start: nameStart, end: nameStart + name.length }, inputs, layers, nameStart, close + 1, extra, notes);
      },
    });
  }
  return out;
}

function src(doc: string, c: Call): string {
  return doc.slice(c.start, c.close + 1).replace(/\s+/g, ' ').replace(/^(?:torch\.)?/, '');
}

// ------------------------------------------------------------------ TensorFlow.js

function tfjsCandidates(doc: string, masked: string, lines: LineIndex): Pending[] {
  const out: Pending[] = [];
  const re = new RegExp(`(?:const|let|var)\\s+(${ID})\\s*(?::[^=]*)?=\\s*tf\\.sequential\\s*\\(`, 'g');
  for (const m of masked.matchAll(re)) {
    const name = m[1];
    const nameStart = m.index + m[0].indexOf(name, m[0].indexOf(' '));
    const open = m.index + m[0].length - 1;
    const close = matchingParen(masked, open, masked.length);
    if (close < 0) continue;
    const adds = calls(doc, masked, new RegExp(`\\b${escapeRegExp(name)}\\.add\\s*\\(`, 'g')).filter((c) => c.start > close);
    const compile = calls(doc, masked, new RegExp(`\\b${escapeRegExp(name)}\\.compile\\s*\\(`, 'g'))[0];
    const end = Math.max(close + 1, ...adds.map((a) => a.close + 1));
    out.push({
      framework: 'tfjs', name, nameRange: { start: nameStart, end: nameStart + name.length }, start: m.index, end,
      build: () => {
        const layers: LayerSpec[] = [];
        const notes: string[] = [];
        const state: { inputs?: number } = {};
        const layerRe = /tf\.layers\.(\w+)\s*\(/g;
        const found = calls(doc, masked, layerRe).filter((c) => (c.start > open && c.close < close) || adds.some((a) => c.start > a.open && c.close < a.close));
        for (const c of found) {
          const cls = c.callee;
          const cfg = c.args[0] ? objectArgs(doc, c.args[0]) : [];
          const kw = (k: string): Arg | undefined => cfg.find((a) => a.key === k);
          if (cls === 'dense') {
            const units = num(kw('units')?.value);
            if (!units) throw lines.errorAt(c.start, 'tf.layers.dense needs {units: n}');
            const shape = kw('inputShape') ?? kw('batchInputShape');
            const dim = kw('inputDim');
            if (shape) state.inputs = tupleFirst(shape.value.replace(/^\[\s*null\s*,/, '['));
            if (dim) state.inputs = num(dim.value);
            const act = kw('activation');
            layers.push({ units, activation: act ? activationOf(act.value, lines, act.valueStart) : 'linear', range: { start: c.start, end: c.close + 1 } });
          } else if (cls === 'activation') {
            const act = kw('activation');
            const last = layers[layers.length - 1];
            if (!act || !last) throw lines.errorAt(c.start, 'tf.layers.activation needs a preceding dense layer and {activation}');
            last.activation = activationOf(act.value, lines, act.valueStart);
          } else if (/^(dropout|flatten|gaussianNoise|gaussianDropout|alphaDropout)$/.test(cls)) {
            notes.push(`tf.layers.${cls} (line ${lines.position(c.start).line}) is ignored: training here runs without it`);
          } else throw lines.errorAt(c.start, `layer tf.layers.${cls} is not supported: Gradient Lens trains dense (fully connected) networks`);
        }
        const extra: Partial<NetworkDefinition> = {};
        if (compile) {
          const cfg = compile.args[0] ? objectArgs(doc, compile.args[0]) : [];
          const loss = cfg.find((a) => a.key === 'loss');
          if (loss) Object.assign(extra, ((l) => ({ loss: l.loss, fromLogits: l.fromLogits, sparseLabels: l.sparse }))(lossOf(loss.value, lines, loss.valueStart)));
          const opt = cfg.find((a) => a.key === 'optimizer');
          if (opt) extra.optimizer = optimizerOf(doc, opt.value.replace(/^tf\.train\./, ''), opt.valueStart + (opt.value.startsWith('tf.train.') ? 9 : 0), lines);
        } else notes.push('no model.compile(...) found: mean squared error and SGD (η = 0.01) are assumed');
        extra.data = findData(doc, masked);
        return finish(lines, 'tfjs', name, { start: nameStart, end: nameStart + name.length }, state.inputs, layers, m.index, end, extra, notes);
      },
    });
  }
  return out;
}

// ------------------------------------------------------------------ plain spec

/** `network: 2 -> 4 tanh -> 1 sigmoid, loss=bce, lr=0.5, optimizer=adam` in any file. */
function specCandidates(doc: string, lines: LineIndex): Pending[] {
  const out: Pending[] = [];
  for (const m of doc.matchAll(/network:\s*([^\n]*)/g)) {
    const start = m.index;
    const end = m.index + m[0].length;
    out.push({
      framework: 'spec', name: 'network', nameRange: { start, end: start + 7 }, start, end,
      build: () => {
        const body = m[1];
        const parts = splitTopLevel(body, ',');
        const arch = body.slice(parts[0][0], parts[0][1]);
        const stages = arch.split(/->|→/).map((s) => s.trim());
        const inputs = num(stages[0]);
        if (!inputs || !Number.isInteger(inputs)) throw lines.errorAt(start, "the spec starts with the input size: 'network: 2 -> 4 tanh -> 1 sigmoid'");
        const layers: LayerSpec[] = stages.slice(1).map((s) => {
          const at = start + 9 + body.indexOf(s);
          const mm = /^(\d+)\s*(\w*)$/.exec(s);
          if (!mm) throw lines.errorAt(at, `cannot read the layer '${s}': write units and an activation, e.g. '4 tanh'`);
          return { units: Number(mm[1]), activation: mm[2] ? activationOf(mm[2], lines, at) : 'linear', range: { start: at, end: at + s.length } };
        });
        const extra: Partial<NetworkDefinition> = {};
        for (const [a, b] of parts.slice(1)) {
          const kv = /^\s*(\w+)\s*=\s*([\w.+-]+)\s*$/.exec(body.slice(a, b));
          const at = start + 9 + a;
          if (!kv) throw lines.errorAt(at, `cannot read '${body.slice(a, b).trim()}': use key=value (loss, lr, optimizer, epochs)`);
          if (kv[1] === 'loss') Object.assign(extra, ((l) => ({ loss: l.loss, fromLogits: l.fromLogits, sparseLabels: l.sparse }))(lossOf(`'${kv[2]}'`, lines, at)));
          else if (kv[1] === 'lr' || kv[1] === 'learning_rate') extra.optimizer = { ...(extra.optimizer ?? { name: 'sgd', learningRate: 0.01 }), learningRate: Number(kv[2]) };
          else if (kv[1] === 'optimizer') extra.optimizer = { ...optimizerOf(doc, `'${kv[2]}'`, at, lines), learningRate: extra.optimizer?.learningRate ?? OPTIMIZERS[kv[2]]?.lr ?? 0.01 };
          else if (kv[1] === 'epochs') {
            const n = Number(kv[2]);
            if (!Number.isInteger(n) || n < 1) throw lines.errorAt(at, `epochs must be a whole number ≥ 1, not '${kv[2]}'`);
            extra.epochs = Math.min(n, MAX_EPOCHS);
          } else throw lines.errorAt(at, `unknown key '${kv[1]}' (use loss, lr, optimizer, epochs)`);
        }
        return finish(lines, 'spec', null, null, inputs, layers, start, end, extra, []);
      },
    });
  }
  return out;
}

/**
 * How many epochs the file trains for, when it says: `fit(..., epochs=500)`,
 * `{ epochs: 500 }`, `epochs=EPOCHS` with `EPOCHS = 500` in the file, or a
 * `for epoch in range(500):` loop whose body calls `.backward()`. Read from
 * the masked text, so comments and strings do not count.
 */
function epochsIn(masked: string): number | undefined {
  const constant = (name: string): number | undefined => {
    const m = new RegExp(`^\\s*${name}\\s*=\\s*(\\d+)\\s*$`, 'm').exec(masked);
    return m ? Number(m[1]) : undefined;
  };
  const value = (v: string): number | undefined => (/^\d+$/.test(v) ? Number(v) : /^[A-Za-z_]\w*$/.test(v) ? constant(v) : undefined);
  const fit = /\bepochs\s*[=:]\s*([A-Za-z_]\w*|\d+)/.exec(masked);
  if (fit) {
    const n = value(fit[1]);
    if (n !== undefined && n >= 1) return Math.min(n, MAX_EPOCHS);
  }
  for (const m of masked.matchAll(/^([ \t]*)for\s+\w+\s+in\s+range\(\s*([A-Za-z_]\w*|\d+)\s*\)\s*:/gm)) {
    const indent = m[1].length;
    const rest = masked.slice((m.index ?? 0) + m[0].length).split('\n');
    const body: string[] = [];
    for (const line of rest.slice(1)) {
      if (line.trim() === '') continue;
      if ((/^[ \t]*/.exec(line)?.[0].length ?? 0) <= indent) break;
      body.push(line);
    }
    if (!body.some((l) => l.includes('.backward(') || l.includes('.step('))) continue;
    const n = value(m[2]);
    if (n !== undefined && n >= 1) return Math.min(n, MAX_EPOCHS);
  }
  return undefined;
}

/** Training in the panel stops here whatever the file says. */
export const MAX_EPOCHS = 100_000;

function withEpochs(def: NetworkDefinition, masked: string): NetworkDefinition {
  if (def.epochs !== undefined) return def;
  const epochs = epochsIn(masked);
  return epochs === undefined ? def : { ...def, epochs };
}

/** A name as a literal inside a RegExp (`$` is a legal JS identifier character). */
function escapeRegExp(s: string): string {
  return s.replace(/[$.*+?^{}()|[\]\\]/g, '\\$&');
}
