/**
 * A small network as one scalar function of its weights, neuron by neuron:
 * every weight and bias a parameter (w1, w2, … in PyTorch's row-major order
 * across layers, b1, b2, … per neuron), every neuron's net input and output
 * a named intermediate (net_h1, out_h1, net_o1, out_o1, as the classic worked
 * example writes them), and the loss exactly as the framework computes it.
 * The function panel's Backprop view then steps through the forward and
 * backward pass edge by edge, with the update of each weight in numbers.
 */
import type { Expr } from './expr/ast';
import type { FunctionDefinition, LocalDefinition } from './source/definition';
import type { NetworkDefinition } from './network/spec';
export { NEURON_VIEW_MAX_PARAMETERS, neuronViewRefusal } from './network/neuronView';

/** The samples the scalar function sums over (the first ones of the data). */
export const NEURON_VIEW_MAX_SAMPLES = 8;

export interface NeuronFunction {
  def: FunctionDefinition;
  /** what the function leaves out or changes, in words */
  notes: string[];
}

export function networkAsFunction(
  def: NetworkDefinition,
  weights: Array<{ W: number[][]; b: number[] }>,
  data: { x: number[][]; y: number[][] },
): NeuronFunction {
  const notes: string[] = [];
  const L = def.layers.length;
  /** parameters and neurons point at their layer's source; the operations between them at none (the graph names them by their op) */
  const at = (l: number): { start: number; end: number } => def.layers[Math.min(l, L - 1)].range;
  const none = (_l?: number): { start: number; end: number } => { void _l; return { start: -1, end: -1 }; };
  const num = (v: number, l = 0): Expr => ({ kind: 'num', value: v, ...none(l) });
  const bin = (op: '+' | '-' | '*' | '/' | '^', left: Expr, right: Expr, l = 0): Expr => ({ kind: 'bin', op, left, right, ...none(l) });
  const call = (fn: 'sigmoid' | 'tanh' | 'relu' | 'softplus' | 'exp' | 'log' | 'abs', arg: Expr, l = 0): Expr => ({ kind: 'call', fn, arg, ...none(l) });
  const params: string[] = [];
  const defaults: Record<string, number> = {};
  const paramRanges: Array<{ start: number; end: number }> = [];
  const W: Expr[][][] = [];
  const B: Expr[][] = [];
  let wk = 0;
  let bk = 0;
  weights.forEach((layer, l) => {
    W.push(layer.W.map((row) => row.map((v) => {
      const name = `w${++wk}`;
      params.push(name);
      defaults[name] = v;
      paramRanges.push(at(l));
      return { kind: 'param', name, ...at(l) } as Expr;
    })));
  });
  weights.forEach((layer, l) => {
    B.push(layer.b.map((v) => {
      const name = `b${++bk}`;
      params.push(name);
      defaults[name] = v;
      paramRanges.push(at(l));
      return { kind: 'param', name, ...at(l) } as Expr;
    }));
  });
  const n = Math.min(data.x.length, NEURON_VIEW_MAX_SAMPLES);
  if (data.x.length > n) notes.push(`the loss here sums over the first ${n} of the ${data.x.length} samples`);
  const locals: LocalDefinition[] = [];
  const local = (name: string, expr: Expr, l: number): Expr => {
    const e: Expr = { kind: 'local', name, expr, ...at(l) };
    locals.push({ name, expr, range: at(l), nameRange: at(l) });
    return e;
  };
  const K = def.layers[L - 1].units;
  const neuron = (l: number, j: number): string => (l === L - 1 ? `o${j + 1}` : L === 2 ? `h${j + 1}` : `h${l + 1}_${j + 1}`);
  const terms: Expr[] = [];
  for (let i = 0; i < n; i++) {
    const suffix = n > 1 ? `[${i + 1}]` : '';
    let prev: Expr[] = data.x[i].map((v) => num(v));
    let zs: Expr[] = [];
    for (let l = 0; l < L; l++) {
      const act = def.layers[l].activation;
      zs = W[l].map((row, j) => {
        let z: Expr = B[l][j];
        row.forEach((w, k) => { z = bin('+', z, bin('*', w, prev[k], l), l); });
        return local(`net_${neuron(l, j)}${suffix}`, z, l);
      });
      const outs = zs.map((z, j) => {
        let a: Expr;
        switch (act) {
          case 'sigmoid': case 'tanh': case 'relu': case 'softplus': a = call(act, z, l); break;
          case 'leaky_relu': a = bin('-', call('relu', z, l), bin('*', num(0.01, l), call('relu', { kind: 'neg', arg: z, ...none(l) }, l), l), l); break;
          case 'softmax': {
            let sum: Expr = call('exp', zs[0], l);
            for (let q = 1; q < zs.length; q++) sum = bin('+', sum, call('exp', zs[q], l), l);
            a = bin('/', call('exp', z, l), sum, l);
            break;
          }
          default: a = z;
        }
        return act === 'linear' ? z : local(`out_${neuron(l, j)}${suffix}`, a, l);
      });
      prev = outs;
    }
    const t = data.y[i];
    const target = (k: number): number => (t.length === 1 && K > 1 ? (Math.round(t[0]) === k ? 1 : 0) : t[k]);
    for (let k = 0; k < K; k++) {
      const tk = target(k);
      const o = prev[k];
      const z = zs[k];
      switch (def.loss) {
        case 'mse':
          terms.push(bin('^', bin('-', o, num(tk, L - 1), L - 1), num(2, L - 1), L - 1));
          break;
        case 'mae':
          terms.push(call('abs', bin('-', o, num(tk, L - 1), L - 1), L - 1));
          break;
        case 'binary_crossentropy': {
          // −[t log o + (1 − t) log(1 − o)], o = σ(z) when the loss takes logits
          const p = def.fromLogits ? call('sigmoid', z, L - 1) : o;
          if (tk !== 0) terms.push(bin('*', num(-tk, L - 1), call('log', p, L - 1), L - 1));
          if (tk !== 1) terms.push(bin('*', num(-(1 - tk), L - 1), call('log', bin('-', num(1, L - 1), p, L - 1), L - 1), L - 1));
          break;
        }
        case 'categorical_crossentropy': {
          if (tk === 0) break;
          // −t log softmax(z)_k = −t (z_k − log Σ exp z)
          let logp: Expr;
          if (def.fromLogits || def.layers[L - 1].activation !== 'softmax') {
            let sum: Expr = call('exp', zs[0], L - 1);
            for (let q = 1; q < zs.length; q++) sum = bin('+', sum, call('exp', zs[q], L - 1), L - 1);
            logp = bin('-', z, call('log', sum, L - 1), L - 1);
          } else logp = call('log', o, L - 1);
          terms.push(bin('*', num(-tk, L - 1), logp, L - 1));
          break;
        }
      }
    }
  }
  let total: Expr = terms[0] ?? num(0);
  for (let q = 1; q < terms.length; q++) total = bin('+', total, terms[q], L - 1);
  // the mean the framework takes: over samples × outputs (MSE, BCE), over samples (cross-entropy)
  const count = def.loss === 'categorical_crossentropy' ? n : n * K;
  const body = bin('*', num(1 / count, L - 1), total, L - 1);
  const name = def.loss === 'mse' ? 'E_total' : 'L';
  const fn: FunctionDefinition = {
    kind: 'function',
    name,
    language: 'network',
    params,
    defaults,
    paramRanges,
    locals,
    body: { kind: 'local', name, expr: body, ...at(L - 1) },
    range: def.range,
    nameRange: def.nameRange ?? def.range,
    startLine: def.startLine,
    endLine: def.endLine,
  };
  return { def: fn, notes };
}
