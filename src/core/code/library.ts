/**
 * The library calls a program makes: numpy, math, torch, scipy.special and
 * JavaScript's Math functions by path (`np.mean`, `Math.exp`, `builtin.sum`),
 * reductions and their axes, stacking and reshaping, PyTorch's functional
 * losses, and the data files read by np.loadtxt / pd.read_csv / open.
 * Nothing is executed: each call builds values from values.
 */
import type { Expr } from '../expr/ast';
import { FUNCTIONS, functionNames } from '../expr/vocabulary';
import type { Span, X } from './ir';
import type { Helpers, NetworkLibrary } from './networks';
import { Call, Env, FileReader, MAX_ITERATIONS, Syntax, V, isNum, num, superOf } from './values';
import { DataFiles } from './files';
import { lengthOf } from './packed';
import { depthOf, describe, flatten, frameRows, keep, shapeText, transpose } from './arrays';
import type { Sym } from './networks';
import { Arithmetic, MAX_CLASSES, neg } from './arithmetic';

/** What the library uses of the evaluator (interpret.ts): its arithmetic, indexing, imports and framework objects. */
export interface LibraryHost extends Arithmetic {
  readonly syntax: Syntax;
  readonly readFile: FileReader | undefined;
  readonly net: NetworkLibrary;
  /** names imported from modules that are not beside the file, with their module */
  readonly missingModules: ReadonlyMap<string, { module: string; files: string }>;
  readonly frameworks: { helpers(): Helpers; applyToSym(name: string, sym: Sym, at: Span, kw?: Map<string, V>): V };
  index(o: V, idx: Array<V | (X & { k: 'slice' })>, at: Span, env: Env): V;
}

export const TYPED_ARRAYS = new Set(['Float64Array', 'Float32Array', 'Array', 'Int32Array']);

/** TensorFlow's binary functions as operators: TensorFlow.js's (tf.sub(a, b), and as methods a.sub(b)) and Python's (tf.subtract). */
const TF_BINARY: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/', pow: '**', matMul: '@', dot: '@', subtract: '-', multiply: '*', divide: '/', matmul: '@' };
/** TensorFlow.js's tensor methods read as tf's functions of the tensor (pred.sub(label).square().mean()). */
export const TF_OPS = new Set([...Object.keys(TF_BINARY), 'squaredDifference', 'square', 'mean', 'sum', 'exp', 'log', 'sqrt', 'abs', 'neg', 'sigmoid', 'relu', 'tanh', 'variable']);
/** What reads a TensorFlow.js tensor's numbers out (t.dataSync(), await t.data(), t.arraySync()): for the reader, the tensor's value. */
export const TF_READS = new Set(['dataSync', 'data', 'arraySync', 'array']);

export class Library {
  private readonly files: DataFiles;

  constructor(private readonly ip: LibraryHost) {
    this.files = new DataFiles(ip.readFile, (at, message) => ip.err(at, message));
  }

  /**
   * max(a, b, …) / np.maximum / Math.max: with 0 it is relu; between numbers a number; otherwise
   * max(a, b) = b + relu(a − b), elementwise — the same value, and the derivative of the branch taken
   * (∂/∂a = [a > b], ∂/∂b = [a ≤ b]), with the kink at a = b diagnosed as relu's.
   */
  private maximum(name: string, a: V[], at: Span): V {
    if (a.length < 2) throw this.ip.err(at, `'${name}' needs 2 arguments`);
    if (a.length > 2) return a.slice(1).reduce((acc, q) => this.maximum(name, [acc, q], at), a[0]);
    const [p, q] = a;
    if (isNum(p) && p.e.value === 0) return this.ip.applyFn('relu', q, at);
    if (isNum(q) && q.e.value === 0) return this.ip.applyFn('relu', p, at);
    if (isNum(p) && isNum(q)) return { t: 's', e: num(Math.max(p.e.value, q.e.value), at) };
    return this.ip.binary('+', q, this.ip.applyFn('relu', this.ip.binary('-', p, q, at), at), at);
  }

  /** min(a, b, …) / np.minimum / Math.min: min(a, b) = a − relu(a − b), as max above. */
  private builtinMin(a: V[], at: Span): V {
    if (a.length < 2) throw this.ip.err(at, 'min(a, b) needs 2 arguments');
    if (a.length > 2) return a.slice(1).reduce((acc, q) => this.builtinMin([acc, q], at), a[0]);
    const [p, q] = a;
    if (isNum(p) && isNum(q)) return { t: 's', e: num(Math.min(p.e.value, q.e.value), at) };
    return this.ip.binary('-', p, this.ip.applyFn('relu', this.ip.binary('-', p, q, at), at), at);
  }

  /**
   * np.clip(x, lo, hi) / torch.clamp: min(max(x, lo), hi) as numpy defines it; with number bounds
   * lo ≤ hi that is lo + relu(x − lo) − relu(x − hi), one kink at each bound. A None bound is no bound.
   */
  clip(x: V, lo: V | undefined, hi: V | undefined, at: Span): V {
    const bound = (v: V | undefined): V | undefined => (v && v.t !== 'none' ? v : undefined);
    const [l, h] = [bound(lo), bound(hi)];
    if (l && h && isNum(l) && isNum(h) && l.e.value <= h.e.value && [...flatten(x)].some((v) => v.t === 's' && !isNum(v))) {
      const up = this.ip.applyFn('relu', this.ip.binary('-', x, l, at), at);
      const over = this.ip.applyFn('relu', this.ip.binary('-', x, h, at), at);
      return this.ip.binary('-', this.ip.binary('+', l, up, at), over, at);
    }
    const floor = l ? this.maximum('clip', [x, l], at) : x;
    return h ? this.builtinMin([floor, h], at) : floor;
  }

  /**
   * np.max / np.min / .max() / .min() (also along an axis, keepdims): over numbers (data) a number.
   * Over values that depend on a parameter a max is a kink, not differentiable everywhere: it is read
   * only as the shift of a softmax (z - z.max() inside exp(·) / Σ exp(·), or a log-softmax), where it
   * cancels exactly (see cancelShift); anywhere else the reading ends with a located message.
   */
  extremum(kind: 'max' | 'min', v: V & { t: 'arr' }, axis: V | undefined, keepdims: V | undefined, at: Span): V {
    const of = (xs: V[]): V => {
      if (xs.length === 0) throw this.ip.err(at, `the ${kind} of an empty array is undefined`);
      const vals = xs.map((x) => (x.t === 'bool' ? { t: 's', e: num(x.b ? 1 : 0, at) } as V : x));
      if (vals.every(isNum)) {
        const ns = vals.map((x) => (x as { e: { value: number } }).e.value);
        return { t: 's', e: num(kind === 'max' ? Math.max(...ns) : Math.min(...ns), at) };
      }
      const bad = vals.find((x) => x.t !== 's');
      if (bad) throw this.ip.err(at, `${kind}() of ${describe(bad)}`);
      if (kind === 'min') throw this.ip.err(at, 'a min over values that depend on a parameter is not differentiable everywhere (it switches between them)');
      const shift: Expr = { kind: 'param', name: 'max(…)', start: at.start, end: at.end };
      this.ip.shifts.set(shift, at);
      return { t: 's', e: shift };
    };
    if (axis && axis.t !== 'none') {
      const k = this.ip.intOf(axis, at);
      const r = depthOf(v) === 1 ? of(v.items) : this.reduceAxis(v, k === -1 ? 1 : k, at, of);
      return keep(r, v, k, keepdims);
    }
    const r = of(flatten(v));
    if (!(keepdims && keepdims.t === 'bool' && keepdims.b)) return r;
    let out: V = r;
    for (let d = 0; d < depthOf(v); d++) out = { t: 'arr', items: [out] };
    return out;
  }


  /**
   * PyTorch's losses on values (F.mse_loss(pred, y), nn.MSELoss()(pred, y), …): the elementwise loss,
   * then its mean (reduction='mean', the default), its sum ('sum') or the elements ('none').
   * Cross-entropy takes logits (n, k) and class indices (n,): log Σⱼ exp zᵢⱼ − zᵢ,yᵢ per sample.
   */
  functionalLoss(name: string, pred: V, target: V, reduction: string, at: Span): V {
    const p = pred.t === 'leaf' ? this.ip.anonymousLeaf(pred, at) : pred;
    const t = target.t === 'leaf' ? this.ip.anonymousLeaf(target, at) : target;
    const one: V = { t: 's', e: num(1, at) };
    let each: V;
    switch (name) {
      case 'mse_loss': each = this.ip.binary('**', this.ip.binary('-', p, t, at), { t: 's', e: num(2, at) }, at); break;
      case 'l1_loss': each = this.ip.applyFn('abs', this.ip.binary('-', p, t, at), at); break;
      case 'binary_cross_entropy':
        // −[y log p + (1 − y) log(1 − p)]
        each = this.ip.map1(this.ip.binary('+', this.ip.binary('*', t, this.ip.applyFn('log', p, at), at), this.ip.binary('*', this.ip.binary('-', one, t, at), this.ip.applyFn('log', this.ip.binary('-', one, p, at), at), at), at), (e) => neg(e, at), at);
        break;
      case 'binary_cross_entropy_with_logits':
        // −[y log σ(z) + (1 − y) log(1 − σ(z))] = softplus(z) − y z
        each = this.ip.binary('-', this.ip.applyFn('softplus', p, at), this.ip.binary('*', t, p, at), at);
        break;
      case 'cross_entropy': case 'nll_loss': {
        if (p.t !== 'arr' || t.t !== 'arr' || depthOf(p) !== 2 || depthOf(t) !== 1 || p.items.length !== t.items.length) {
          throw this.ip.err(at, `${name}(input, target) is read with input of shape (n, classes) and target of n class indices`);
        }
        each = { t: 'arr', items: p.items.map((row, i) => {
          const r = row as V & { t: 'arr' };
          const picked = this.ip.index(r, [t.items[i]], at, { vars: new Map() });
          if (name === 'nll_loss') return this.ip.map1(picked, (e) => neg(e, at), at);
          return this.ip.binary('-', this.ip.applyFn('log', this.ip.sum(r.items.map((z) => this.ip.applyFn('exp', z, at)), at), at), picked, at);
        }) };
        break;
      }
      default: throw this.ip.err(at, `the loss '${name}' cannot be read as a function here (supported: mse_loss, l1_loss, binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, nll_loss; Keras' MeanSquaredError, MeanAbsoluteError)`);
    }
    if (reduction === 'none') return each;
    if (reduction !== 'mean' && reduction !== 'sum') throw this.ip.err(at, `reduction='${reduction}' is not supported (mean, sum or none)`);
    const flat = flatten(each);
    const total = this.ip.sum(flat, at);
    return reduction === 'sum' ? total : this.ip.binary('/', total, { t: 's', e: num(flat.length, at) }, at);
  }

  /** np.where(c, a, b) with numpy's broadcasting: c must be known from the data (a comparison of a parameter is refused before). */
  private where(c: V, a: V, b: V, at: Span): V {
    if (c.t === 'arr' || a.t === 'arr' || b.t === 'arr') {
      const n = Math.max(...[c, a, b].map((v) => (v.t === 'arr' ? v.items.length : 1)));
      const part = (v: V, i: number): V => {
        if (v.t !== 'arr') return v;
        if (v.items.length === n) return v.items[i];
        if (v.items.length === 1) return v.items[0];
        throw this.ip.err(at, `np.where: shapes do not match (${[c, a, b].map((u) => (u.t === 'arr' ? shapeText(u) : '()')).join(', ')})`);
      };
      return { t: 'arr', items: Array.from({ length: n }, (_, i) => this.where(part(c, i), part(a, i), part(b, i), at)) };
    }
    if (c.t === 'bool') return c.b ? a : b;
    if (isNum(c)) return c.e.value !== 0 ? a : b;
    throw this.ip.err(at, 'np.where needs a condition known from the data: a condition that depends on a parameter is a branch, not differentiable (relu and abs cover the usual kinks)');
  }

  /** np.linalg.norm: sqrt(Σ v²) by default (ord=2 of a vector, Frobenius of a matrix), Σ |v| with ord=1; along an axis of a matrix. */
  private norm(v: V, ord: V | undefined, axis: V | undefined, at: Span): V {
    const o = ord && ord.t !== 'none' ? this.numberArg(ord, at) : undefined;
    if (o !== undefined && o !== 1 && o !== 2) throw this.ip.err(at, `norm(ord=${o}) is not supported: only the 2-norm (the default) and ord=1`);
    const of = (xs: V[]): V => (o === 1
      ? this.ip.sum(xs.map((x) => this.ip.applyFn('abs', x, at)), at)
      : this.ip.applyFn('sqrt', this.ip.sum(xs.map((x) => this.ip.binary('*', x, x, at)), at), at));
    if (v.t !== 'arr') return this.ip.applyFn('abs', v, at);
    if (axis && axis.t !== 'none') {
      const k = this.ip.intOf(axis, at);
      if (depthOf(v) === 1) { if (k !== 0 && k !== -1) throw this.ip.err(at, `axis ${k} is out of range for a vector`); return of(v.items); }
      if (depthOf(v) !== 2) throw this.ip.err(at, `norm along an axis of an array of shape ${shapeText(v)} is not supported`);
      return this.reduceAxis(v, k === -1 ? 1 : k, at, of);
    }
    if (o !== undefined && depthOf(v) === 2) throw this.ip.err(at, `norm(ord=${o}) of a matrix is not an elementwise norm; write np.linalg.norm(A) (Frobenius) or np.sum(np.abs(A))`);
    return of(flatten(v));
  }

  /** np.column_stack, np.hstack, np.vstack, np.concatenate (and torch.cat / torch.stack), np.c_[…], np.r_[…]. */
  stack(name: string, parts: V[], axis: number, at: Span): V {
    const arrs = parts.map((p) => {
      const v = p.t === 'leaf' ? p.value : p;
      if (v.t === 's' || v.t === 'bool') return { t: 'arr', items: [v.t === 'bool' ? { t: 's', e: num(v.b ? 1 : 0, at) } : v] } as V & { t: 'arr' };
      if (v.t !== 'arr') throw this.ip.err(at, `${name}() of ${describe(v)}`);
      return v;
    });
    if (arrs.length === 0) throw this.ip.err(at, `${name}() needs at least one array`);
    const asColumn = (v: V & { t: 'arr' }): V & { t: 'arr' } => (depthOf(v) === 1 ? { t: 'arr', items: v.items.map((x) => ({ t: 'arr', items: [x] })) } : v);
    const asRow = (v: V & { t: 'arr' }): V & { t: 'arr' } => (depthOf(v) === 1 ? { t: 'arr', items: [v] } : v);
    const concat = (vs: Array<V & { t: 'arr' }>, ax: number): V & { t: 'arr' } => {
      const d = depthOf(vs[0]);
      if (vs.some((v) => depthOf(v) !== d)) throw this.ip.err(at, `${name}(): the arrays have different numbers of dimensions (${vs.map(shapeText).join(', ')})`);
      if (ax === 0 || d === 1) return { t: 'arr', items: vs.flatMap((v) => v.items) };
      if (ax !== 1 && ax !== -1) throw this.ip.err(at, `${name}() along axis ${ax} is not supported`);
      const n = vs[0].items.length;
      if (vs.some((v) => v.items.length !== n)) throw this.ip.err(at, `${name}(): the arrays have different numbers of rows (${vs.map(shapeText).join(', ')})`);
      return { t: 'arr', items: vs[0].items.map((_, i) => ({ t: 'arr', items: vs.flatMap((v) => (v.items[i] as V & { t: 'arr' }).items) })) };
    };
    switch (name) {
      case 'column_stack': case 'c_': return concat(arrs.map(asColumn), 1);
      case 'hstack': return concat(arrs, depthOf(arrs[0]) === 1 ? 0 : 1);
      case 'vstack': case 'row_stack': return concat(arrs.map(asRow), 0);
      case 'stack': {
        const n = arrs[0].items.length;
        if (arrs.some((v) => v.items.length !== n)) throw this.ip.err(at, `stack(): the arrays have different shapes (${arrs.map(shapeText).join(', ')})`);
        if (axis === 0) return { t: 'arr', items: arrs };
        if ((axis === 1 || axis === -1) && arrs.every((v) => depthOf(v) === 1)) return concat(arrs.map(asColumn), 1);
        throw this.ip.err(at, `stack() along axis ${axis} is not supported`);
      }
      default: return concat(arrs, axis);
    }
  }

  reshape(a: V & { t: 'arr' }, args: V[], at: Span): V {
    const flat = flatten(a);
    const dims = (args.length === 1 && args[0].t === 'arr' ? args[0].items : args).map((d) => this.ip.intOf(d, at));
    const known = dims.filter((d) => d !== -1).reduce((p, q) => p * q, 1);
    const shape = dims.map((d) => (d === -1 ? flat.length / known : d));
    if (shape.reduce((p, q) => p * q, 1) !== flat.length) throw this.ip.err(at, `cannot reshape ${flat.length} elements into (${dims.join(', ')})`);
    let k = 0;
    const build = (level: number): V => (level === shape.length ? flat[k++] : { t: 'arr', items: Array.from({ length: shape[level] }, () => build(level + 1)) });
    return build(0);
  }

  /**
   * The variance or standard deviation (feature scaling's `(x - x.mean()) / x.std()`) as each library defines it:
   * NumPy's and TensorFlow's divide by n − ddof with ddof = 0 unless given; PyTorch's by n − 1 unless
   * `unbiased=False` or `correction=0`. Over all entries, or along `axis` / `dim` (keepdims as given).
   */
  spread(name: string, root: string, v: V, c: Call, at: X & { k: 'call' }): V {
    if (v.t !== 'arr') throw this.ip.err(at, `${name}() of ${describe(v)}: it needs an array`);
    const kw = (k: string): V | undefined => c.kw.get(k);
    const unbiased = kw('unbiased');
    const correction = kw('correction') ?? kw('ddof');
    const ddof = correction && isNum(correction) ? correction.e.value : unbiased?.t === 'bool' ? (unbiased.b ? 1 : 0) : root === 'torch' ? 1 : 0;
    const axis = kw('axis') ?? kw('dim') ?? (root === 'torch' || root === 'np' ? c.args[1] : undefined);
    const of = (xs: V[]): V => {
      if (xs.length - ddof <= 0) throw this.ip.err(at, `${name}() of ${xs.length} value${xs.length === 1 ? '' : 's'} with ddof = ${ddof} divides by ${xs.length - ddof}`);
      const n = (k: number): V => ({ t: 's', e: num(k, at) });
      const mean = this.ip.binary('/', this.ip.sum(xs, at), n(xs.length), at);
      const squares = xs.map((x) => { const d = this.ip.binary('-', x, mean, at); return this.ip.binary('*', d, d, at); });
      const variance = this.ip.binary('/', this.ip.sum(squares, at), n(xs.length - ddof), at);
      return /std/.test(name) ? this.ip.applyFn('sqrt', variance, at) : variance;
    };
    if (axis && isNum(axis)) return keep(this.reduceAxis(v, axis.e.value, at, of), v, axis.e.value, kw('keepdims') ?? kw('keepdim'));
    return of(flatten(v));
  }

  /** Library functions by path: `np.mean`, `Math.exp`, `builtin.sum`, `torch.tensor`, … */
  builtin(path: string, c: Call, at: X & { k: 'call' }): V {
    const parts = path.split('.');
    const name = parts[parts.length - 1];
    const root = parts[0];
    const a = c.args;
    const a0 = a[0];
    const need = (n: number): void => {
      if (a.length < n) throw this.ip.err(at, `'${path.replace(/^builtin\./, '')}' needs ${n} argument${n > 1 ? 's' : ''}`);
    };
    if (name === 'super' && root === 'builtin') return superOf(c) ?? { t: 'opaque', what: 'super()' };
    // micrograd's Value(…) however it was imported
    if (name === 'Value' && this.ip.syntax === 'python') {
      need(1);
      return { t: 'leaf', value: a0 };
    }
    const sym = a.find((v) => v.t === 'net' && v.n.type === 'sym');
    if (sym && sym.t === 'net') return this.ip.frameworks.applyToSym(name, sym.n as Sym, at, c.kw);
    // Keras' loss functions on values (tf.keras.losses.mse(y, y_pred), MAE): the loss, (y_true, y_pred) as Keras orders them
    if (/^tf\.keras\.losses\.(?:mse|MSE|mean_squared_error|mae|MAE|mean_absolute_error)$/.test(path) && a.length >= 2 && !sym) {
      return this.functionalLoss(/^(?:mae|MAE|mean_absolute_error)$/.test(name) ? 'l1_loss' : 'mse_loss', a[1], a[0], 'mean', at);
    }
    const made = this.ip.net.construct(path, a, c.kw, at, this.ip.frameworks.helpers());
    if (made) return 'type' in made ? { t: 'net', n: made } : made;
    if (/^(torch\.)?nn\.Module$|^Module$/.test(path)) return { t: 'opaque', what: 'nn.Module' };
    if (root === 'tf') {
      // TensorFlow.js: tf.scalar(v) is the number, tf.variable(v) a parameter (a leaf, as requires_grad makes one); Python's tf.Variable(v) too
      if (name === 'scalar' || name === 'variable' || name === 'Variable') {
        need(1);
        return name === 'scalar' ? a0 : { t: 'leaf', value: a0 };
      }
      // Python: tf.reduce_mean / tf.reduce_sum are the mean and the sum; the tape records, its gradient() is what the reader computes itself
      if (name === 'reduce_mean' || name === 'reduce_sum') return this.builtin(`tf.${name.slice('reduce_'.length)}`, c, at);
      if (name === 'GradientTape') return { t: 'opaque', what: 'tf.GradientTape()' };
      if (name === 'neg') return this.ip.binary('*', { t: 's', e: num(-1, at) }, a0, at);
      if (TF_BINARY[name]) {
        need(2);
        return this.ip.binary(TF_BINARY[name], a0, a[1], at);
      }
      // tf.squaredDifference(a, b); tf.losses.meanSquaredError(labels, predictions), its mean
      if (name === 'squaredDifference' || path === 'tf.losses.meanSquaredError') {
        need(2);
        const sq = this.ip.binary('**', this.ip.binary('-', a[1], a0, at), { t: 's', e: num(2, at) }, at);
        return name === 'squaredDifference' ? sq : this.builtin('tf.mean', { args: [sq], kw: new Map(), at }, at);
      }
    }
    // constants reached as calls are errors below; named constants are handled by attribute()
    const lib = ['np', 'math', 'torch', 'F', 'Math', 'special', 'tf', 'builtin', 'nn', 'jnp', 'micrograd', 'pd', 'csv', 'copy'].includes(root);
    const missing = this.ip.missingModules.get(path) ?? this.ip.missingModules.get(root);
    if (!lib && missing) throw this.ip.err(at.fn, `'${path.slice(path.indexOf('.') + 1)}' comes from the module ${missing.module}, and ${missing.files} is not beside this file: put it there (it is read, never run) or define the function in this file`);
    if (!lib) throw this.ip.err(at.fn, `unknown function '${path}': only the file's own functions and numpy/math/torch (Python) or Math (JS) functions can be read`);
    if (this.ip.syntax === 'js' && root !== 'Math' && root !== 'builtin' && root !== 'tf') throw this.ip.err(at.fn, `'${path}' is not available in JavaScript`);
    if (this.ip.syntax === 'python' && root === 'Math') throw this.ip.err(at.fn, `'Math.${name}' is JavaScript; in Python write math.${name} or np.${name}`);
    switch (name) {
      case 'print': if (root === 'builtin') return { t: 'none' }; break;
      // the labs' w = copy.deepcopy(w_in), np.copy(x): values read here are never changed in place, so a copy is the value
      case 'deepcopy': case 'copy': if ((root === 'copy' || root === 'np') && a0) return a0; break;
      // console.log(…), or a logger log('…') of the file's own: nothing; a bare log(x) of a value is the logarithm
      case 'log': if (path === 'console.log' || (root === 'builtin' && a0?.t === 'str')) return { t: 'none' }; break;
      // the tutorials' tf.variable(tf.scalar(Math.random())): a start that differs on every run cannot be shown as this run's
      case 'random': if (path === 'Math.random') throw this.ip.err(at, 'Math.random() gives a different number on every run, so the starting point it gives cannot be shown: write the start as a number (tf.scalar(0.5)), and move it in the panel'); break;
      default: break;
    }
    // np.random.randn(2), tf.random.normal([2]), torch.randn(2): the same in Python
    if ((/^(?:np|tf|torch)\.random\./.test(path) && name !== 'seed' && name !== 'set_seed') || /^torch\.(?:randn|rand|randint|normal)$/.test(path)) {
      throw this.ip.err(at, `${path}(…) draws random numbers, which Gradient Lens cannot know without running the code: write the numbers in the file (a start such as tf.Variable(0.5) or np.array([0.5, -0.2])), and move the start in the panel`);
    }
    // torch's constructors (tensor, zeros, ones, full, arange, …) take requires_grad=True: what they build is a parameter, whatever it is filled with
    const rg = c.kw.get('requires_grad');
    if (rg?.t === 'bool' && rg.b) {
      const built = this.builtin(path, { ...c, kw: new Map([...c.kw].filter(([k]) => k !== 'requires_grad')) }, at);
      return { t: 'leaf', value: built.t === 'leaf' ? built.value : built };
    }
    const word = FUNCTIONS.get(name);
    if (word?.arity === 2) {
      // the power, the vocabulary's one function of two arguments, with NumPy's broadcasting
      need(2);
      return this.ip.binary('**', a[0], a[1], at);
    }
    if (word) {
      need(1);
      if (name === 'abs' && root === 'builtin' && a0.t === 'arr') throw this.ip.err(at, 'abs() of a list is not defined; use np.abs');
      return this.ip.applyFn(name, a0, at);
    }
    switch (name) {
      case 'max': case 'min': case 'amax': case 'amin': case 'nanmax': case 'nanmin':
        if (a.length === 1 || (name !== 'max' && name !== 'min')) {
          need(1);
          if (a0.t !== 'arr') return a0;
          return this.extremum(/max/.test(name) ? 'max' : 'min', a0, c.kw.get('axis') ?? c.kw.get('dim') ?? (root === 'builtin' ? undefined : a[1]), c.kw.get('keepdims') ?? c.kw.get('keepdim'), at);
        }
        if (name === 'min') return this.builtinMin(a, at);
        return this.maximum(name, a, at);
      case 'maximum': case 'fmax':
        return this.maximum(name, a, at);
      case 'minimum': case 'fmin':
        return this.builtinMin(a, at);
      case 'clip': case 'clamp': case 'clip_by_value':
        need(1);
        return this.clip(a[0], c.kw.get('a_min') ?? c.kw.get('min') ?? c.kw.get('clip_value_min') ?? a[1], c.kw.get('a_max') ?? c.kw.get('max') ?? c.kw.get('clip_value_max') ?? a[2], at);
      case 'len': {
        need(1);
        if (a0.t === 'arr') return { t: 's', e: num(lengthOf(a0), at) };
        if (a0.t === 'str') return { t: 's', e: num(a0.s.length, at) };
        if (a0.t === 'obj' && a0.frame) return { t: 's', e: num(frameRows(a0), at) };
        const arg = at.args[0];
        if (a0.t === 's' && a0.e.kind !== 'num' && arg?.k === 'name') {
          throw this.ip.err(arg, `'${arg.name}' is used as data (len(${arg.name})) but holds a parameter here: call the function in the file with its data (e.g. f(x_train, y_train, …)) so its arguments are bound`);
        }
        throw this.ip.err(at, `len() of ${describe(a0)}`);
      }
      case 'range': {
        need(1);
        const symbolic = a.find((v) => v.t === 's' && v.e.kind !== 'num');
        if (symbolic) {
          const i = a.indexOf(symbolic);
          const arg = at.args[i];
          throw this.ip.err(arg ?? at, `range(${arg?.k === 'name' ? arg.name : '…'}) needs a count known from the file, not a parameter: loops run over data or a constant number of times`);
        }
        const [lo, hi, step] = a.length === 1 ? [0, this.ip.intOf(a0, at), 1] : [this.ip.intOf(a[0], at), this.ip.intOf(a[1], at), a[2] ? this.ip.intOf(a[2], at) : 1];
        if (step === 0) throw this.ip.err(at, 'range() step must not be zero');
        const n = Math.max(0, Math.ceil((hi - lo) / step));
        if (n > MAX_ITERATIONS) throw this.ip.err(at, `range of ${n} is larger than the ${MAX_ITERATIONS} iterations a reading may take`);
        return { t: 'arr', items: Array.from({ length: n }, (_, i) => ({ t: 's', e: num(lo + i * step, at) })) };
      }
      case 'zip': {
        const arrs = a.map((v) => { if (v.t !== 'arr') throw this.ip.err(at, `zip() of ${describe(v)}`); return v; });
        const n = Math.min(...arrs.map((v) => v.items.length));
        return { t: 'arr', items: Array.from({ length: n }, (_, i) => ({ t: 'arr', items: arrs.map((v) => v.items[i]) })) };
      }
      case 'enumerate': {
        need(1);
        if (a0.t !== 'arr') throw this.ip.err(at, `enumerate() of ${describe(a0)}`);
        return { t: 'arr', items: a0.items.map((v, i) => ({ t: 'arr', items: [{ t: 's', e: num(i, at) }, v] })) };
      }
      case 'sum': case 'nansum': {
        need(1);
        const axis = c.kw.get('axis') ?? a[1];
        if (a0.t !== 'arr') return a0;
        if (axis && isNum(axis)) return keep(this.reduceAxis(a0, axis.e.value, at, (xs) => this.ip.sum(xs, at)), a0, axis.e.value, c.kw.get('keepdims'));
        const start = root === 'builtin' && a[1] ? a[1] : undefined;
        const s = this.ip.sum(root === 'builtin' ? a0.items : flatten(a0), at);
        return start ? this.ip.binary('+', s, start, at) : s;
      }
      case 'mean': case 'average': case 'nanmean': {
        need(1);
        if (a0.t !== 'arr') return a0;
        const axis = c.kw.get('axis') ?? (name === 'mean' ? a[1] : undefined);
        if (axis && isNum(axis)) return keep(this.reduceAxis(a0, axis.e.value, at, (xs) => this.ip.binary('/', this.ip.sum(xs, at), { t: 's', e: num(xs.length, at) }, at)), a0, axis.e.value, c.kw.get('keepdims'));
        const flat = flatten(a0);
        if (flat.length === 0) throw this.ip.err(at, 'the mean of an empty array is undefined');
        return this.ip.binary('/', this.ip.sum(flat, at), { t: 's', e: num(flat.length, at) }, at);
      }
      case 'std': case 'var': case 'nanstd': case 'nanvar': case 'reduce_std': case 'reduce_variance': {
        need(1);
        return this.spread(name, root, a0, c, at);
      }
      case 'dot': case 'matmul': case 'inner':
        need(2);
        return this.ip.matmul(a[0], a[1], at);
      case 'Float64Array': case 'Float32Array': case 'Array': case 'Int32Array':
      case 'array': case 'asarray': case 'tensor': case 'Tensor': case 'FloatTensor': case 'from_numpy': case 'list': case 'tuple': case 'as_tensor': case 'constant': case 'tensor1d': case 'tensor2d': case 'from': {
        if (!a0) return { t: 'arr', items: [] };
        const v = a0.t === 'leaf' ? a0.value : a0;
        if (v.t === 'bool') return { t: 's', e: num(v.b ? 1 : 0, at) };
        return v;
      }
      case 'float': case 'int': case 'Number': case 'float64': case 'float32': case 'double':
        need(1);
        // int() of a whole number is that number (a label int(y[i]) stays the data it is)
        if (a0.t === 's') return name === 'int' && isNum(a0) && !Number.isInteger(a0.e.value) ? { t: 's', e: num(Math.trunc(a0.e.value), at) } : a0;
        if (a0.t === 'str' && Number.isFinite(Number(a0.s))) return { t: 's', e: num(Number(a0.s), at) };
        throw this.ip.err(at, `${name}() of ${describe(a0)}`);
      case 'Value':
        need(1);
        return { t: 'leaf', value: a0 };
      case 'zeros': case 'ones': case 'full': {
        need(1);
        const dims = a0.t === 'arr' ? a0.items.map((d) => this.ip.intOf(d, at)) : a.slice(0, name === 'full' ? 1 : a.length).map((d) => this.ip.intOf(d, at));
        const fill = name === 'full' ? this.numberArg(a[1], at) : name === 'ones' ? 1 : 0;
        const build = (k: number): V => (k === dims.length ? { t: 's', e: num(fill, at) } : { t: 'arr', items: Array.from({ length: dims[k] }, () => build(k + 1)) });
        return build(0);
      }
      case 'eye': case 'identity': {
        // np.eye(K): the one-hot rows np.eye(K)[y] picks by label
        need(1);
        const n = this.ip.intOf(a0, at);
        if (n > MAX_CLASSES) throw this.ip.err(at, `${name}(${n}) is too large (at most ${MAX_CLASSES} classes)`);
        return { t: 'arr', items: Array.from({ length: n }, (_, i) => ({ t: 'arr', items: Array.from({ length: n }, (_, j) => ({ t: 's', e: num(i === j ? 1 : 0, at) })) })) };
      }
      case 'linspace': {
        need(2);
        const lo = this.numberArg(a[0], at);
        const hi = this.numberArg(a[1], at);
        const n = a[2] ? this.ip.intOf(a[2], at) : c.kw.get('num') ? this.ip.intOf(c.kw.get('num') as V, at) : 50;
        if (n > MAX_ITERATIONS) throw this.ip.err(at, `linspace of ${n} points is too large`);
        return { t: 'arr', items: Array.from({ length: n }, (_, i) => ({ t: 's', e: num(n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1), at) })) };
      }
      case 'arange': {
        need(1);
        const [lo, hi, step] = a.length === 1 ? [0, this.numberArg(a0, at), 1] : [this.numberArg(a[0], at), this.numberArg(a[1], at), a[2] ? this.numberArg(a[2], at) : 1];
        const n = Math.max(0, Math.ceil((hi - lo) / step));
        if (n > MAX_ITERATIONS) throw this.ip.err(at, `arange of ${n} points is too large`);
        return { t: 'arr', items: Array.from({ length: n }, (_, i) => ({ t: 's', e: num(lo + i * step, at) })) };
      }
      case 'where': {
        // np.where(labels == 1, a, b): a choice made by data, element by element
        need(3);
        return this.where(a[0], a[1], a[2], at);
      }
      case 'zeros_like': case 'ones_like': case 'full_like': {
        // the shape of the argument, filled with a number written in the file
        need(name === 'full_like' ? 2 : 1);
        const fill = name === 'full_like' ? this.numberArg(a[1], at) : name === 'ones_like' ? 1 : 0;
        const like = (v: V): V => (v.t === 'arr' ? { t: 'arr', items: v.items.map(like) } : { t: 's', e: num(fill, at) });
        return like(a0.t === 'leaf' ? a0.value : a0);
      }
      case 'norm': {
        need(1);
        return this.norm(a0, c.kw.get('ord') ?? a[1], c.kw.get('axis') ?? a[2], at);
      }
      case 'column_stack': case 'hstack': case 'vstack': case 'concatenate': case 'cat': case 'stack': {
        need(1);
        if (a0.t !== 'arr') throw this.ip.err(at, `${name}() needs a list of arrays`);
        const axis = c.kw.get('axis') ?? c.kw.get('dim') ?? a[1];
        return this.stack(name, a0.items, axis ? this.ip.intOf(axis, at) : 0, at);
      }
      case 'mse_loss': case 'l1_loss': case 'binary_cross_entropy': case 'binary_cross_entropy_with_logits': case 'cross_entropy': case 'nll_loss': {
        if (root !== 'F' && !(root === 'torch' && parts[1] === 'nn')) break;
        need(2);
        const red = c.kw.get('reduction');
        return this.functionalLoss(name, a[0], a[1], red?.t === 'str' ? red.s : 'mean', at);
      }
      case 'loadtxt': case 'genfromtxt': case 'read_csv': case 'fromfile':
        return this.files.delimited(name, c, at);
      case 'load':
        if (root !== 'np') break;
        return this.files.npy(c, at);
      case 'open': {
        if (root !== 'builtin') break;
        // a data file beside the code, read as text (never written): csv.reader or a loop over its lines reads it
        const file = a0;
        if (!file || file.t !== 'str') throw this.ip.err(at, 'open() needs the file name as a string written in the code');
        const mode = c.kw.get('mode') ?? a[1];
        if (mode && mode.t === 'str' && /[wax+]/.test(mode.s)) throw this.ip.err(at, `open('${file.s}', '${mode.s}') writes a file; only reading data is part of a cost`);
        return { t: 'obj', fields: new Map([['__text', { t: 'str', s: this.files.text(file.s, at) }]]) };
      }
      case 'reader': {
        if (root !== 'csv') break;
        const text = a0?.t === 'obj' ? a0.fields.get('__text') : undefined;
        if (!text || text.t !== 'str') throw this.ip.err(at, 'csv.reader() needs a file opened in the code: with open(\'data.csv\') as f: reader = csv.reader(f)');
        const d = c.kw.get('delimiter');
        const delim = d?.t === 'str' && d.s !== '' ? d.s : ',';
        const rows = text.s.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => ({ t: 'arr', items: l.split(delim).map((cell) => ({ t: 'str', s: cell.trim().replace(/^"(.*)"$/, '$1') }) as V) }) as V);
        if (rows.length > MAX_ITERATIONS) throw this.ip.err(at, `the file has ${rows.length} rows, more than the ${MAX_ITERATIONS} iterations a reading may take`);
        return { t: 'arr', items: rows, iterator: true };
      }
      case 'next': {
        if (root !== 'builtin') break;
        need(1);
        if (a0.t !== 'arr' || !a0.iterator) throw this.ip.err(at, `next() of ${describe(a0)} is not read here (only a csv.reader's header row)`);
        const first = a0.items.shift();
        if (!first) throw this.ip.err(at, 'next() of an iterator with no rows left');
        return first;
      }
      case 'no_grad': case 'manual_seed': case 'seed':
        return { t: 'none' };
      default:
        break;
    }
    throw this.ip.err(at.fn, `unknown function '${path.replace(/^builtin\./, '')}': not differentiable here (supported: ${functionNames()}; sum, mean, dot, len, range, zip, enumerate)`);
  }


  numberArg(v: V | undefined, at: Span): number {
    if (!v || !isNum(v)) throw this.ip.err(at, 'expected a number written in the file');
    return v.e.value;
  }

  private reduceAxis(a: V & { t: 'arr' }, axis: number, _at: Span, f: (xs: V[]) => V): V {
    void _at;
    if (depthOf(a) !== 2) return f(flatten(a));
    if (axis === 0) return { t: 'arr', items: transpose(a).items.map((col) => f((col as V & { t: 'arr' }).items)) };
    return { t: 'arr', items: a.items.map((row) => f((row as V & { t: 'arr' }).items)) };
  }
}
