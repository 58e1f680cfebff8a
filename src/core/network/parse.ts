/**
 * The vocabulary of networks (activations, losses, optimizers and their
 * framework names), the checks every network definition passes, and the
 * plain spec readable in any file
 * (`network: 2 -> 4 tanh -> 1 sigmoid, loss=bce, lr=0.5`). Models written in
 * Python and JavaScript/TypeScript are read by the interpreter
 * (code/networks.ts), which uses this vocabulary.
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

const str = (v: string): string | undefined => {
  const m = /^(['"`])(.*)\1$/s.exec(v.trim());
  return m ? m[2] : undefined;
};
const num = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const x = Number(v.trim().replace(/_/g, ''));
  return v.trim() !== '' && Number.isFinite(x) ? x : undefined;
};

export const ACTIVATION_ALIASES: Record<string, Activation> = {
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

export const PYTORCH_ACTIVATIONS: Record<string, Activation> = { ReLU: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', LeakyReLU: 'leaky_relu', Softmax: 'softmax', ELU: 'elu', GELU: 'gelu', Softplus: 'softplus', Identity: 'linear' };
export const IGNORED = /^(Dropout|AlphaDropout|GaussianDropout|GaussianNoise|Flatten|ActivityRegularization|Identity)$/;
export const UNSUPPORTED = /^(Conv\w*|LSTM\w*|GRU\w*|RNN\w*|SimpleRNN|Embedding|BatchNorm\w*|BatchNormalization|LayerNorm\w*|LayerNormalization|MaxPool\w*|AvgPool\w*|MaxPooling\w*|AveragePooling\w*|Attention|MultiheadAttention|MultiHeadAttention|Transformer\w*|Bilinear|Reshape|Permute|Upsample\w*|UpSampling\w*|ZeroPadding\w*)$/;

export const LOSSES: Record<string, { loss: Loss; fromLogits?: boolean; sparse?: boolean }> = {
  mse: { loss: 'mse' }, mean_squared_error: { loss: 'mse' }, meanSquaredError: { loss: 'mse' }, MeanSquaredError: { loss: 'mse' }, MSELoss: { loss: 'mse' },
  mae: { loss: 'mae' }, mean_absolute_error: { loss: 'mae' }, meanAbsoluteError: { loss: 'mae' }, MeanAbsoluteError: { loss: 'mae' }, L1Loss: { loss: 'mae' }, absoluteDifference: { loss: 'mae' },
  binary_crossentropy: { loss: 'binary_crossentropy' }, binaryCrossentropy: { loss: 'binary_crossentropy' }, BinaryCrossentropy: { loss: 'binary_crossentropy' }, bce: { loss: 'binary_crossentropy' }, BCELoss: { loss: 'binary_crossentropy' },
  BCEWithLogitsLoss: { loss: 'binary_crossentropy', fromLogits: true },
  categorical_crossentropy: { loss: 'categorical_crossentropy' }, categoricalCrossentropy: { loss: 'categorical_crossentropy' }, CategoricalCrossentropy: { loss: 'categorical_crossentropy' }, cce: { loss: 'categorical_crossentropy' }, ce: { loss: 'categorical_crossentropy' },
  sparse_categorical_crossentropy: { loss: 'categorical_crossentropy', sparse: true }, sparseCategoricalCrossentropy: { loss: 'categorical_crossentropy', sparse: true }, SparseCategoricalCrossentropy: { loss: 'categorical_crossentropy', sparse: true },
  CrossEntropyLoss: { loss: 'categorical_crossentropy', fromLogits: true, sparse: true },
};

export const OPTIMIZERS: Record<string, { name: OptimizerName; lr: number }> = {
  sgd: { name: 'sgd', lr: 0.01 }, SGD: { name: 'sgd', lr: 0.01 }, adam: { name: 'adam', lr: 0.001 }, Adam: { name: 'adam', lr: 0.001 }, AdamW: { name: 'adam', lr: 0.001 },
  rmsprop: { name: 'rmsprop', lr: 0.001 }, RMSprop: { name: 'rmsprop', lr: 0.001 }, adagrad: { name: 'adagrad', lr: 0.01 }, Adagrad: { name: 'adagrad', lr: 0.01 },
  momentum: { name: 'momentum', lr: 0.01 }, nesterov: { name: 'nesterov', lr: 0.01 },
  adamw: { name: 'adam', lr: 0.001 },
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
  // models in Python and JavaScript code are read by the interpreter (code/networks.ts); the spec works in any file
  const found: Pending[] = [...specCandidates(doc, lines)];
  const masked = syntax ? maskCode(doc, syntax) : doc;
  return found.map((p) => ({
    startLine: lines.position(p.start).line,
    endLine: lines.position(Math.max(p.start, p.end - 1)).line,
    build: () => withEpochs(p.build(), masked),
  }));
}

export function finish(
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
