/**
 * Reads a program the way a learner's kernel would run it, without running
 * anything: numbers and arrays written in the file are known, parameters stay
 * symbols, loops over data are unrolled, helpers are inlined. The result of a
 * function is one expression tree over its parameters, in the closed
 * vocabulary of expr/ast.ts. Unknown calls are never executed; they get a
 * located message naming what was written.
 */
import { Expr, UnaryFunction, isUnaryFunction, walkNodes } from '../expr/ast';
import type { Activation } from '../network/mlp';
import { LineIndex, UserError } from '../errors';
import { S, Span, X, dotted } from './ir';
import { Call, Env, FileReader, V, isNum, num } from './values';
import { DataFiles } from './files';
import { indexPacked, lengthOf, packedLiteral, packedOf, packedShape, setTag } from './packed';
import { depthOf, describe, flatten, frameMatrix, frameRows, keep, shapeOf, shapeText, squeeze, transpose } from './arrays';
import { Helpers, Layer, LossObj, Model, NetObj, NetworkLibrary, Optim, Sym } from './networks';
import type { DataTag } from './fit';

export type Syntax = 'python' | 'js';

/** The most loop iterations and scalar operations one reading may take. */
export const MAX_ITERATIONS = 200_000;
export const MAX_OPERATIONS = 2_000_000;


export interface LocalRecord { name: string; expr: Expr; stmt: Span; nameSpan: Span }


class Return { constructor(readonly value: V) {} }

const PY_ALIASES: Record<string, string> = {
  numpy: 'np', 'jax.numpy': 'np', 'autograd.numpy': 'np', jnp: 'np', math: 'math', cmath: 'math', torch: 'torch', 'torch.nn': 'nn', 'torch.nn.functional': 'F',
  'scipy.special': 'special', pandas: 'pd', micrograd: 'micrograd', 'micrograd.engine': 'micrograd', 'micrograd.nn': 'micrograd',
};

/** Python packages that are libraries: never looked for as a module beside the file. */
const LIBRARIES = new Set(['numpy', 'math', 'cmath', 'torch', 'jax', 'autograd', 'scipy', 'pandas', 'micrograd', 'tensorflow', 'keras', 'sklearn',
  'matplotlib', 'seaborn', 'plotly', 'random', 'os', 'sys', 'json', 'time', 'typing', 'dataclasses', 'collections', 'itertools', 'functools', 'csv',
  'copy', 'tqdm', 'IPython', 'pathlib', 're', '__future__', 'warnings', 'statistics', 'operator', 'abc', 'enum', 'pickle', 'logging', 'argparse',
  'torchvision', 'PIL', 'graphviz', 'ipywidgets', 'sympy']);

/** Helpers whose meaning is the same in every course: read as the standard function when their module is not beside the file. */
const UNIVERSAL: Record<string, string> = { sigmoid: 'special.expit', relu: 'F.relu', tanh: 'np.tanh', softplus: 'F.softplus' };

/** A module beside the file: its module-level names, undefined when it is not there, or why it cannot be read (now). */
export type ModuleLoader = (module: string) => Map<string, V> | undefined | { message: string };

const FN_ALIASES: Record<string, UnaryFunction | 'pow' | 'log1p' | 'expm1'> = {
  ln: 'log', expit: 'sigmoid', arcsin: 'asin', arccos: 'acos', arctan: 'atan', fabs: 'abs', absolute: 'abs',
  power: 'pow', pow: 'pow', log1p: 'log1p', expm1: 'expm1',
};

export class Interpreter {
  readonly locals: LocalRecord[] = [];
  /** parameters created from Value(…) / requires_grad tensors, in creation order */
  readonly leaves: Array<{ name: string; value: number; span: Span }> = [];
  /** module-level assignments that hold a tracked scalar (script mode) */
  readonly scriptValues: Array<{ name: string; e: Expr; stmt: Span; nameSpan: Span }> = [];
  /** networks met at module level, with the statement that made or named them */
  readonly models: Array<{ name: string | null; model: Model; stmt: Span }> = [];
  readonly lossDefs: Array<{ loss: LossObj; stmt: Span }> = [];
  readonly optimDefs: Array<{ optim: Optim; stmt: Span }> = [];
  /** module-level training loops (`for epoch in range(N):` with `.backward()`) */
  readonly trainingLoops: Array<{ epochs: number; stmt: Span }> = [];
  readonly classes: Array<{ cls: V & { t: 'class' }; stmt: S & { k: 'class' } }> = [];
  readonly loaders: Array<{ loader: V & { t: 'obj' }; stmt: Span }> = [];
  /** PyTorch layers named at module level (a lone nn.Linear may be the whole model) */
  private readonly layerNames = new Map<Layer, { name: string; stmt: Span }>();
  /** in a script (micrograd Values, requires_grad tensors): module-level assignments that could not be read */
  readonly failedScripts: Array<{ name: string; stmt: Span; err: UserError }> = [];
  scriptMode = false;
  /** a forward pass written over plain numbers (no def, no Value): module-level weights and biases given as numbers are the parameters */
  plainWeights = false;
  /** module-level statements that build a model but could not be read: their message is the model's */
  readonly failedModels: Array<{ stmt: Span; err: UserError }> = [];
  readonly net: NetworkLibrary;
  private readonly files: DataFiles;
  /** where each number of the data came from; a Map, not a WeakMap: the interpreter lives for one reading, and a 100,000-row file tags 200,000 numbers */
  readonly dataTags = new Map<Expr, DataTag>();
  /** maxima over parameter values (a softmax shift), with where each was taken: they must cancel (cancelShift) */
  private readonly shifts = new Map<Expr, Span>();
  private ops = 0;
  private iterations = 0;
  private depth = 0;
  tracking = false;
  moduleLevel = true;

  /** reads `from helpers import f` / `import helpers` from helpers.py beside the file (set by the program reader) */
  loadModule: ModuleLoader | undefined;
  /** the module beside the file whose statements run now (its functions remember it) */
  private module: string | undefined;
  /** modules imported but not beside the file, by the name they were imported as: for the messages */
  private readonly missingModules = new Map<string, string>();
  /** true while another cell of a notebook runs: nothing it makes becomes one of this document's definitions */
  private outside = false;
  /** where another cell's statements count as being, relative to this document (before it: −1, after it: past its end) */
  private outsideAt = 0;

  constructor(
    readonly syntax: Syntax,
    public lines: LineIndex,
    readonly readFile: FileReader | undefined,
  ) {
    this.net = new NetworkLibrary(lines, syntax);
    this.files = new DataFiles(readFile, (at, message) => this.err(at, message));
  }

  /** Runs `f` for another cell's text: its messages are located in that text, its definitions are not this document's. */
  foreign(lines: LineIndex, f: () => void, after = false, module?: string): void {
    const saved = { lines: this.lines, outside: this.outside, outsideAt: this.outsideAt, module: this.module };
    this.module = module ?? this.module;
    // a module imported from another cell or module stays outside: nested runs restore what was
    if (!saved.outside) this.outsideAt = after ? saved.lines.text.length + 1 : -1;
    this.lines = lines;
    this.outside = true;
    try {
      f();
    } finally {
      this.lines = saved.lines;
      this.outside = saved.outside;
      this.outsideAt = saved.outsideAt;
      this.module = saved.module;
    }
  }

  err(at: Span | number, message: string): UserError {
    return this.lines.errorAt(typeof at === 'number' ? at : at.start, message);
  }

  globals(): Env {
    const vars = new Map<string, V>();
    if (this.syntax === 'js') {
      vars.set('Math', { t: 'ns', path: 'Math' });
      vars.set('Number', { t: 'ns', path: 'Number' });
      // TensorFlow.js from a <script> tag is the global tf
      vars.set('tf', { t: 'ns', path: 'tf' });
    } else {
      // a pasted snippet often omits its imports: the usual aliases still mean what they always mean
      for (const [alias, path] of [['np', 'np'], ['numpy', 'np'], ['math', 'math'], ['torch', 'torch'], ['F', 'F'], ['jnp', 'np'], ['nn', 'nn'], ['keras', 'keras'], ['layers', 'keras.layers'], ['tf', 'tf'], ['optim', 'optim'], ['Value', 'micrograd.Value']]) vars.set(alias, { t: 'ns', path });
    }
    return { vars, global: true };
  }

  // ---------------------------------------------------------------- statements

  /** Runs module-level statements; a failing statement makes the names it assigns unusable, with its message. */
  runModule(body: S[], env: Env): void {
    for (const st of body) {
      try {
        this.moduleStatement(st, env);
      } catch (e) {
        // a return outside a function (a half-typed edit) ends nothing at module level
        if (e instanceof Return) continue;
        if (!(e instanceof UserError)) throw e;
        // what it assigns, and the lists it would have filled (xs.append in a loop over a file): read now, they would be silently short
        for (const name of [...assignedNames(st), ...filledNames(st)]) env.vars.set(name, { t: 'err', err: e });
        // a script line that cannot be read still has its place: the cursor on it gets the message
        if (!this.outside && this.scriptMode && st.k === 'assign' && st.target.k === 'name') this.failedScripts.push({ name: st.target.name, stmt: st, err: e });
        if (!this.outside && st.k === 'assign' && /\b(Sequential|sequential|Model|model|MLP)\s*\(/.test(this.lines.text.slice(st.value.start, st.value.end))) this.failedModels.push({ stmt: st, err: e });
      }
    }
  }

  private moduleStatement(st: S, env: Env): void {
    switch (st.k) {
      case 'def':
        env.vars.set(st.name, { t: 'fn', name: st.name, params: st.params, body: st.body, closure: env, module: this.module });
        return;
      case 'class': {
        const bases = st.bases.map((b) => { try { return this.eval(b, env); } catch { return { t: 'opaque', what: 'a base class' } as V; } });
        const cls: V & { t: 'class' } = { t: 'class', name: st.name, bases, body: st.body, closure: env, span: st, instances: 0 };
        env.vars.set(st.name, cls);
        if (!this.outside) this.classes.push({ cls, stmt: st });
        return;
      }
      case 'for':
        if (callsMethod(st.body, 'backward') || callsMethod(st.body, 'fit')) {
          // a training loop: how many epochs, not run
          try {
            const it = this.eval(st.iter, env);
            if (it.t === 'arr') {
              this.trainingLoops.push({ epochs: it.items.length, stmt: this.outside ? { start: this.outsideAt, end: this.outsideAt } : st });
              if (this.scriptMode && it.items.length > 0) this.firstPass(st, it.items[0], env);
            }
          } catch {
            // an epoch count that cannot be read
          }
          return;
        }
        this.exec([st], env);
        return;
      case 'expr': {
        // calls at module level are not run (binding.ts finds the calls that bind a function's data)
        const x = st.x;
        // method calls build models (model.add, model.compile, layer.weight.copy_); other calls are not run
        // next(reader) takes a header row off a csv.reader
        if (x.k === 'call' && (x.fn.k === 'attr' || (x.fn.k === 'name' && x.fn.name === 'next' && lookup(env, 'next') === undefined))) this.statement(st, env);
        return;
      }
      case 'assign':
        // (a script computes its values through the file's helpers: h = sigmoid(z) is part of its forward pass)
        if (!this.scriptMode && st.value.k === 'call' && st.value.fn.k === 'name' && env.vars.get(st.value.fn.name)?.t === 'fn') {
          for (const n of assignedNames(st)) env.vars.set(n, { t: 'opaque', what: `the result of ${st.value.fn.name}()` });
          return;
        }
        this.exec([st], env);
        return;
      case 'with':
        this.withTargets(st, env);
        this.runModule(st.body, env);
        return;
      case 'bad':
        return;
      default:
        this.exec([st], env);
    }
  }

  /**
   * A script's training loop over its own tensors (w, b with requires_grad): its first pass, up to the
   * statement that calls .backward(), computes the loss at the starting values — the loss Gradient Lens
   * descends. The update after it (w -= lr * w.grad) is the descent itself, and is not read. A statement
   * that cannot be read leaves its names unusable, as at module level.
   */
  private firstPass(st: S & { k: 'for' }, first: V, env: Env): void {
    const upTo = st.body.findIndex((s) => callsMethod([s], 'backward'));
    if (upTo <= 0) return;
    try {
      this.bind(st.target, first, env);
    } catch {
      return;
    }
    for (const s of st.body.slice(0, upTo)) {
      if (s.k !== 'assign' && s.k !== 'expr') continue;
      try {
        this.moduleStatement(s, env);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        for (const name of assignedNames(s)) env.vars.set(name, { t: 'err', err: e });
      }
    }
  }

  exec(body: S[], env: Env): void {
    for (const st of body) this.statement(st, env);
  }

  private statement(st: S, env: Env): void {
    switch (st.k) {
      case 'pass': case 'import':
        if (st.k === 'import') this.importStatement(st, env);
        return;
      case 'return':
        throw new Return(st.x ? this.eval(st.x, env) : { t: 'none' });
      case 'expr': {
        const x = st.x;
        if (x.k === 'str') return; // a docstring
        if (x.k === 'call') {
          const name = dotted(x.fn) ?? (x.fn.k === 'attr' ? x.fn.name : '');
          const last = name.split('.').pop() ?? '';
          // a list that grows (errors.append(…), xs.push(…)) holds what is added: its sum, mean and len read it
          if ((last === 'append' || last === 'push' || last === 'extend') && x.fn.k === 'attr' && this.grow(x as X & { k: 'call' }, x.fn, env)) return;
          if (['print', 'console.log', 'backward', 'zero_grad', 'step', 'append', 'plot', 'show', 'assert', 'log'].includes(last) || name === 'print') return;
          if (/^(plt|console|logging|display|assert)\b/.test(name)) return;
          // super().__init__()
          if (x.fn.k === 'attr' && x.fn.obj.k === 'call' && x.fn.obj.fn.k === 'name' && x.fn.obj.fn.name === 'super') return;
        }
        this.eval(x, env);
        return;
      }
      case 'assign':
        this.assign(st, env);
        return;
      case 'for': {
        const iter = this.eval(st.iter, env);
        const items = this.iterate(iter, st.iter);
        for (const item of items) {
          this.tick(st.iter);
          this.bind(st.target, item, env);
          this.exec(st.body, env);
        }
        return;
      }
      case 'cfor': {
        this.exec(st.init, env);
        for (;;) {
          if (st.test) {
            const t = this.eval(st.test, env);
            if (!this.truth(t, st.test)) break;
          }
          this.tick(st);
          this.exec(st.body, env);
          this.exec(st.update, env);
        }
        return;
      }
      case 'def':
        env.vars.set(st.name, { t: 'fn', name: st.name, params: st.params, body: st.body, closure: env, module: this.module });
        return;
      case 'with':
        this.withTargets(st, env);
        this.exec(st.body, env);
        return;
      case 'class':
        throw this.err(st, `a class inside a function is not supported`);
      case 'bad':
        throw this.err(st, `${st.what} is not supported here: ${st.hint}`);
    }
  }

  /** `with open('data.csv') as f:` names the file; other context managers (torch.no_grad()) name nothing read here. */
  private withTargets(st: S & { k: 'with' }, env: Env): void {
    (st.targets ?? []).forEach((t, i) => {
      const item = st.items[i];
      if (!t || !item) return;
      const v = this.eval(item, env);
      if (v.t !== 'none') this.bind(t, v, env);
    });
  }

  /** `xs.append(v)`, `xs.extend(vs)`, `xs.push(a, b)` on a list the code holds: the list grows in place (lists are shared, as in Python and JavaScript). */
  private grow(x: X & { k: 'call' }, fn: X & { k: 'attr' }, env: Env): boolean {
    const list = this.eval(fn.obj, env);
    if (list.t !== 'arr') return false;
    const c = this.callArgs(x, env);
    if (fn.name === 'extend') {
      const more = c.args[0];
      if (!more || more.t !== 'arr' || c.args.length !== 1) throw this.err(x, 'extend() needs one list');
      list.items.push(...more.items);
    } else {
      if (fn.name === 'append' && c.args.length !== 1) throw this.err(x, 'append() takes one value');
      list.items.push(...c.args);
    }
    this.tick(x);
    return true;
  }

  private importStatement(st: S & { k: 'import' }, env: Env): void {
    if (this.syntax === 'python' && st.module && !LIBRARIES.has(st.module.split('.')[0]) && !PY_ALIASES[st.module] && this.loadModule) {
      const local = this.loadModule(st.module);
      if (local instanceof Map) {
        if (st.alias) env.vars.set(st.alias, { t: 'obj', fields: local });
        for (const n of st.names ?? []) {
          const v = local.get(n.name);
          env.vars.set(n.alias, !v ? { t: 'err', err: this.err(st, `'${n.name}' is not defined at the top level of ${st.module}.py`) }
            : v.t === 'err' ? { t: 'err', err: this.err(st, `in ${st.module}.py, '${n.name}': ${v.err.message}`) } : v);
        }
        return;
      }
      if (local) {
        // there, but not readable (yet): what it gives is unusable, with the reason
        const err = this.err(st, `the module ${st.module}.py ${local.message}`);
        if (st.alias) env.vars.set(st.alias, { t: 'err', err });
        for (const n of st.names ?? []) env.vars.set(n.alias, { t: 'err', err });
        return;
      }
      // not beside the file: a universal helper is the standard function; anything else says which module is missing
      for (const n of st.names ?? []) {
        if (UNIVERSAL[n.name]) env.vars.set(n.alias, { t: 'ns', path: UNIVERSAL[n.name] });
        else {
          this.missingModules.set(`${st.module}.${n.name}`, st.module);
          env.vars.set(n.alias, { t: 'ns', path: `${st.module}.${n.name}` });
        }
      }
      if (st.alias) {
        this.missingModules.set(st.alias, st.module);
        env.vars.set(st.alias, { t: 'ns', path: st.alias });
      }
      return;
    }
    const canon = (m: string): string => PY_ALIASES[m] ?? (m.startsWith('@tensorflow/tfjs') ? 'tf' : m);
    if (st.alias) env.vars.set(st.alias, { t: 'ns', path: canon(st.module) });
    for (const n of st.names ?? []) {
      const full = st.module ? `${st.module}.${n.name}` : n.name;
      const path = PY_ALIASES[full] ?? `${canon(st.module)}.${n.name}`;
      env.vars.set(n.alias, { t: 'ns', path });
    }
  }

  private tick(at: Span): void {
    if (++this.iterations > MAX_ITERATIONS) throw this.err(at, `the loops run more than ${MAX_ITERATIONS.toLocaleString('en-US')} iterations in all; use a smaller data set to visualize`);
  }

  private assign(st: S & { k: 'assign' }, env: Env): void {
    let value = this.eval(st.value, env);
    if (this.plainWeights && this.moduleLevel && !this.outside && !st.op) value = plainLeaves(st.target, st.value, value);
    if (st.op) {
      const prev = this.eval(st.target, env);
      value = this.binary(opOf(st.op), prev, value, st);
    }
    if (st.target.k === 'attr') {
      const o = this.eval(st.target.obj, env);
      if (o.t === 'net') {
        this.setNetAttr(o.n, st.target.name, value, st.target);
        return;
      }
      // self.xs = xs in a constructor, obj.loss = (w) => … : an object's field, read back by name
      if (o.t === 'obj' && !o.frame) {
        o.fields.set(st.target.name, value);
        return;
      }
    }
    if (st.target.k === 'attr' || st.target.k === 'index') {
      // `self.w = …`, `w[0] = …` on data: not part of a cost
      throw this.err(st.target, 'assigning to an attribute or an element is not supported in a cost; give the value its own name');
    }
    // JavaScript: assigning to a name declared in an enclosing scope (a closure in forEach/reduce) updates it there
    if (this.syntax === 'js' && !st.decl && st.target.k === 'name') {
      for (let e: Env | undefined = env; e && !e.global; e = e.parent) {
        if (e.vars.has(st.target.name)) {
          this.bind(st.target, value, e, st);
          return;
        }
      }
    }
    this.bind(st.target, value, env, st);
  }

  bind(target: X, value: V, env: Env, st?: Span): void {
    if (target.k === 'name') {
      let v = value;
      if (v.t === 'leaf') v = this.nameLeaf(target.name, v, target);
      else if (v.t === 's' && v.e.kind !== 'num' && v.e.kind !== 'param' && st && this.tracking) {
        const e: Expr = { kind: 'local', name: target.name, expr: v.e, start: target.start, end: target.end };
        v = { t: 's', e };
        this.locals.push({ name: target.name, expr: v.e, stmt: st, nameSpan: target });
      } else if (v.t === 'arr' && st && this.tracking && !packedOf(v)) {
        // a vector or matrix of intermediates (z = X @ w + b, p = softmax(z)): each element keeps the name and its
        // position in its row, so one sample's term reads z⁽ⁱ⁾, or p₁⁽ⁱ⁾ for a sample's class 1
        const intermediate = (x: V): boolean => x.t === 's' && x.e.kind !== 'num' && x.e.kind !== 'param';
        const row = (r: V & { t: 'arr' }): V & { t: 'arr' } => ({ ...r, items: r.items.map((x, k) => ({ t: 's', e: { kind: 'local', name: target.name, expr: (x as V & { t: 's' }).e, element: k, start: target.start, end: target.end } })) });
        if (v.items.every(intermediate)) v = row(v);
        else if (v.items.every((r) => r.t === 'arr' && !packedOf(r) && r.items.every(intermediate))) v = { ...v, items: v.items.map((r) => row(r as V & { t: 'arr' })) };
      }
      if (st && this.moduleLevel && !this.outside && v.t === 's' && hasParam(v.e)) {
        this.uncancelledShift(v.e);
        this.scriptValues.push({ name: target.name, e: v.e, stmt: st, nameSpan: target });
      }
      if (st && this.moduleLevel && !this.outside && this.scriptMode && v.t === 'arr' && flatten(v).some((x) => x.t === 's' && hasParam(x.e))) {
        this.failedScripts.push({ name: target.name, stmt: st, err: this.err(target, `'${target.name}' holds ${describe(v)}, not one number: reduce it (sum, mean) to visualize its gradient`) });
      }
      if (this.moduleLevel && v.t === 'arr') this.tagData(target.name, v);
      if (st && this.moduleLevel && v.t === 'obj' && v.fields.has('__loader')) this.loaders.push({ loader: v, stmt: this.outside ? { start: this.outsideAt, end: this.outsideAt } : st });
      if (st && this.moduleLevel && v.t === 'net') {
        if (!this.outside && v.n.type === 'layer') this.layerNames.set(v.n, { name: target.name, stmt: st });
        if (!this.outside) this.register(v.n, target.name, st);
        else if (v.n.type !== 'model') this.register(v.n, target.name, { start: this.outsideAt, end: this.outsideAt });
      }
      setVar(env, target.name, v);
      return;
    }
    if (target.k === 'list' || target.k === 'obj') {
      if (target.k === 'obj') {
        if (value.t !== 'obj') throw this.err(target, `cannot destructure ${describe(value)} as an object`);
        for (const f of target.fields) {
          const fv = value.fields.get(f.key);
          if (!fv) throw this.err(f.value, `the object has no field '${f.key}'`);
          this.bind(f.value, fv, env, st);
        }
        return;
      }
      if (value.t !== 'arr') throw this.err(target, `cannot unpack ${describe(value)} into ${target.items.length} names`);
      if (value.items.length !== target.items.length) throw this.err(target, `cannot unpack ${value.items.length} values into ${target.items.length} names`);
      target.items.forEach((t, i) => this.bind(t, value.items[i], env, st));
      return;
    }
    throw this.err(target, 'this assignment target is not supported');
  }

  /** Tags each sample of a data array with its name and index (pairs [x, y] as two arrays, objects by field). */
  tagData(name: string, v: V & { t: 'arr' }): void {
    const packed = packedOf(v);
    const shape = packed ? packedShape(packed) : undefined;
    const width = shape ? (shape[1] ?? 0) : v.items.length && v.items[0].t === 'arr' ? v.items[0].items.length : 0;
    const tag = (item: V, i: number): void => {
      if (item.t === 's' && item.e.kind === 'num') this.dataTags.set(item.e, { name, index: i });
      else if (item.t === 'arr') {
        item.items.forEach((c, j) => {
          if (c.t !== 's' || c.e.kind !== 'num') return;
          if (width === 1) this.dataTags.set(c.e, { name, index: i });
          else if (width === 2) this.dataTags.set(c.e, { name: `${name}[:, ${j}]`, index: i });
          else this.dataTags.set(c.e, { name, index: i, column: j });
        });
      } else if (item.t === 'obj') {
        for (const [k, f] of item.fields) if (f.t === 's' && f.e.kind === 'num') this.dataTags.set(f.e, { name: `${name}.${k}`, index: i });
      }
    };
    // a packed array's rows are tagged as code reads them
    if (packed) setTag(packed, tag);
    else v.items.forEach(tag);
  }

  private nameLeaf(name: string, v: V & { t: 'leaf' }, at: Span): V {
    const make = (val: V, label: string): V => {
      if (val.t === 'arr') return { t: 'arr', items: val.items.map((x, i) => make(x, `${label}[${i}]`)) };
      if (!isNum(val)) throw this.err(at, `the starting value of '${label}' must be a number written in the file`);
      this.leaves.push({ name: label, value: val.e.value, span: at });
      return { t: 's', e: { kind: 'param', name: label, start: at.start, end: at.end } };
    };
    return make(v.value, name);
  }

  // ---------------------------------------------------------------- calls into the file's functions

  callFunction(f: V & { t: 'fn' }, call: Call, at: Span): V {
    const v = this.callInner(f, call, at);
    // the outermost call's result: a softmax shift must have cancelled by now
    if (this.depth === 0 && this.shifts.size > 0) for (const x of flatten(v)) if (x.t === 's') this.uncancelledShift(x.e);
    return v;
  }

  /** A function of a module beside the file: its messages are told at this call, naming the module. */
  private callInner(f: V & { t: 'fn' }, call: Call, at: Span): V {
    if (!f.module || f.module === this.module) return this.callHere(f, call, at);
    const saved = this.module;
    this.module = f.module;
    try {
      return this.callHere(f, call, at);
    } catch (e) {
      if (e instanceof UserError) throw this.err(at, `in ${f.module}, ${f.name}(): ${e.message}`);
      throw e;
    } finally {
      this.module = saved;
    }
  }

  private callHere(f: V & { t: 'fn' }, call: Call, at: Span): V {
    if (++this.depth > 50) throw this.err(at, `'${f.name}' calls itself too deeply (recursion is not supported)`);
    try {
      const env: Env = { vars: new Map(), parent: f.closure };
      this.bindParams(f, call, env, at);
      if (!Array.isArray(f.body)) return this.eval(f.body, env);
      try {
        this.exec(f.body, env);
      } catch (e) {
        if (e instanceof Return) return e.value;
        throw e;
      }
      return { t: 'none' };
    } finally {
      this.depth--;
    }
  }

  private bindParams(f: V & { t: 'fn' }, given: Call, env: Env, at: Span): void {
    // a method read through its instance receives the instance first (self, or this in JavaScript)
    const call = f.self ? { ...given, args: [f.self, ...given.args] } : given;
    let k = 0;
    for (const p of f.params) {
      if (p.kind === 'marker') continue;
      // *args takes the positional arguments left, as a tuple; **kwargs the keywords no parameter names
      if (p.kind === 'star') { env.vars.set(p.name, { t: 'arr', items: call.args.slice(k) }); k = call.args.length; continue; }
      if (p.kind === 'kwstar') {
        const named = new Set(f.params.map((q) => q.name));
        env.vars.set(p.name, { t: 'obj', fields: new Map([...call.kw].filter(([name]) => !named.has(name))) });
        continue;
      }
      let v: V | undefined = call.kw.get(p.name);
      if (!v && k < call.args.length) v = call.args[k++];
      if (!v && p.default) v = this.eval(p.default, f.closure);
      if (!v) throw this.err(at, `'${f.name}' is called without a value for '${p.name}'`);
      if (p.pattern) this.bind(p.pattern, v, env);
      else env.vars.set(p.name, v);
    }
  }

  private callArgs(x: X & { k: 'call' }, env: Env): Call {
    const args: V[] = [];
    for (const a of x.args) {
      if (a.k === 'spread') {
        const v = this.eval(a.a, env);
        if (v.t !== 'arr') throw this.err(a, 'only an array can be spread into a call');
        args.push(...v.items);
      } else args.push(this.eval(a, env));
    }
    const kw = new Map<string, V>();
    for (const k of x.kw) kw.set(k.name, this.eval(k.value, env));
    return { args, kw, at: x };
  }

  // ---------------------------------------------------------------- expressions

  eval(x: X, env: Env): V {
    if (++this.ops > MAX_OPERATIONS) throw this.err(x, `the computation takes more than ${MAX_OPERATIONS.toLocaleString('en-US')} operations; use a smaller data set to visualize`);
    switch (x.k) {
      case 'num': return { t: 's', e: { kind: 'num', value: x.v, start: x.start, end: x.end } };
      case 'str': return { t: 'str', s: x.v };
      case 'bool': return { t: 'bool', b: x.v };
      case 'none': return { t: 'none' };
      case 'name': {
        const v = lookup(env, x.name);
        if (v === undefined) return this.unknownName(x);
        if (v.t === 'err') {
          // located where the name is used, naming where it could not be read
          if (v.err.line === this.lines.position(x.start).line) throw v.err;
          const root = ROOT_CAUSE.get(v.err) ?? v.err;
          const wrapped = this.err(x, `'${x.name}' cannot be read: line ${root.line}: ${root.message}`);
          ROOT_CAUSE.set(wrapped, root);
          throw wrapped;
        }
        if (v.t === 'ns') {
          const dot = v.path.lastIndexOf('.');
          const constant = dot > 0 ? namedConstant(v.path.slice(0, dot), v.path.slice(dot + 1)) : undefined;
          if (constant) return { t: 's', e: { kind: 'num', value: constant.value, name: constant.name, start: x.start, end: x.end } };
        }
        return v;
      }
      case 'attr': return this.attribute(this.eval(x.obj, env), x.name, x);
      case 'index': return this.index(this.eval(x.obj, env), x.idx.map((i) => (i.k === 'slice' ? i : this.eval(i, env))), x, env);
      case 'slice': throw this.err(x, 'a slice is only supported inside brackets');
      case 'call': return this.call(x, env);
      case 'bin': {
        if (x.op === 'and' || x.op === '&&' || x.op === 'or' || x.op === '||') {
          const l = this.truth(this.eval(x.l, env), x.l);
          const andOp = x.op === 'and' || x.op === '&&';
          if (andOp ? !l : l) return { t: 'bool', b: l };
          return { t: 'bool', b: this.truth(this.eval(x.r, env), x.r) };
        }
        const l = this.eval(x.l, env);
        const r = this.eval(x.r, env);
        const opSpan = { start: x.opAt ?? x.start, end: (x.opAt ?? x.start) + x.op.length };
        if (x.op === '^' || x.op === '|' || x.op === '&' || x.op === '<<' || x.op === '>>') {
          throw this.err(opSpan, x.op === '^' ? `'^' is bitwise xor in ${this.syntax === 'python' ? 'Python' : 'JavaScript'}; write ** for a power` : `the bitwise operator '${x.op}' is not differentiable`);
        }
        if ((l.t === 'str' || r.t === 'str') && !(l.t === 'str' && r.t === 'str')) throw this.err(l.t === 'str' ? x.l : x.r, 'strings are not part of a math expression');
        // a comparison of data (labels == 1, elementwise over arrays) is a truth value; one that depends on a parameter is a branch
        if (['<', '>', '<=', '>=', '==', '!=', '===', '!=='].includes(x.op) && [...flatten(l), ...flatten(r)].some((v) => v.t === 's' && !isNum(v))) {
          throw this.err(opSpan, 'a comparison that depends on a parameter is not supported: branches are not differentiable (relu and abs cover the usual kinks)');
        }
        return this.binary(x.op, l, r, x);
      }
      case 'un': {
        const a = this.eval(x.a, env);
        if (x.op === '-') return this.map1(a, (e) => (this.dataTags.has(e) ? { kind: 'neg', arg: e, start: x.start, end: x.end } : neg(e, x)), x);
        if (x.op === '+') return a;
        if (x.op === '!') return { t: 'bool', b: !this.truth(a, x.a) };
        throw this.err(x, `the operator '${x.op}' is not supported`);
      }
      case 'list': return packedLiteral(x) ?? { t: 'arr', items: x.items.map((i) => this.eval(i, env)) };
      case 'obj': return { t: 'obj', fields: new Map(x.fields.map((f) => [f.key, this.eval(f.value, env)])) };
      case 'lambda': return { t: 'fn', name: 'lambda', params: x.params, body: x.body, closure: env };
      case 'gen': {
        const out: V[] = [];
        const loop = (k: number, scope: Env): void => {
          if (k === x.fors.length) {
            for (const c of x.conds) if (!this.truth(this.eval(c, scope), c)) return;
            out.push(this.eval(x.elt, scope));
            return;
          }
          const f = x.fors[k];
          for (const item of this.iterate(this.eval(f.iter, scope), f.iter)) {
            this.tick(f.iter);
            this.bind(f.target, item, scope);
            loop(k + 1, scope);
          }
        };
        loop(0, { vars: new Map(), parent: env });
        return { t: 'arr', items: out };
      }
      case 'cond': {
        const t = this.truth(this.eval(x.test, env), x.test);
        return this.eval(t ? x.a : x.b, env);
      }
      case 'spread': throw this.err(x, 'a spread is only supported in a call');
      case 'bad': throw this.err(x, x.message ?? `${x.what} is not supported here`);
    }
  }

  private unknownName(x: X & { k: 'name' }): V {
    const n = x.name;
    if (isUnaryFunction(n) || FN_ALIASES[n]) return { t: 'ns', path: `builtin.${n}` };
    if (this.syntax === 'python' && (n === 'True' || n === 'False')) return { t: 'bool', b: n === 'True' };
    if (BUILTINS.has(n)) return { t: 'ns', path: `builtin.${n}` };
    if (this.syntax === 'js' && (n === 'Infinity' || n === 'NaN' || n === 'undefined')) throw this.err(x, `'${n}' is not a usable value here`);
    if (this.syntax === 'js' && TYPED_ARRAYS.has(n)) return { t: 'ns', path: `builtin.${n}` };
    if (this.syntax === 'js' && (n === 'require' || n === 'eval' || n === 'Function' || n === 'process' || n === 'globalThis' || n === 'window')) {
      throw this.err(x, `'${n}' is not part of a math expression`);
    }
    throw this.err(x, `unknown name '${n}': it is not a parameter, a local variable, a constant or data defined in this file`);
  }

  truth(v: V, at: Span): boolean {
    if (v.t === 'bool') return v.b;
    if (isNum(v)) return v.e.value !== 0;
    if (v.t === 's') throw this.err(at, 'a condition that depends on a parameter is not supported (the function must be one differentiable expression)');
    if (v.t === 'none') return false;
    if (v.t === 'arr') return v.items.length > 0;
    return true;
  }

  iterate(v: V, at: Span): V[] {
    if (v.t === 'arr') return v.items;
    if (v.t === 'obj' && v.frame) throw this.err(at, 'iterate over a column (df["x"]) rather than the whole table');
    if (v.t === 's' && !isNum(v)) throw this.err(at, 'a loop whose length depends on a parameter is not supported');
    throw this.err(at, `cannot loop over ${describe(v)}: loops must run over data or range(n) with n known from the file`);
  }

  // ---------------------------------------------------------------- arithmetic

  binary(op: string, a: V, b: V, at: Span): V {
    if (a.t === 'leaf' || b.t === 'leaf') {
      a = a.t === 'leaf' ? this.anonymousLeaf(a, at) : a;
      b = b.t === 'leaf' ? this.anonymousLeaf(b, at) : b;
    }
    if (op === '@') return this.matmul(a, b, at);
    if (['<', '>', '<=', '>=', '==', '!=', '===', '!=='].includes(op)) {
      // elementwise over arrays of data: an array of truth values (labels == 1)
      if (a.t === 'arr' || b.t === 'arr') return this.broadcast(op, a, b, at);
      if (a.t === 'bool') a = { t: 's', e: num(a.b ? 1 : 0, at) };
      if (b.t === 'bool') b = { t: 's', e: num(b.b ? 1 : 0, at) };
      if (!isNum(a) || !isNum(b)) {
        if (a.t === 'str' && b.t === 'str' && (op === '==' || op === '===')) return { t: 'bool', b: a.s === b.s };
        throw this.err(at, 'a comparison that depends on a parameter is not supported (the function must be one differentiable expression)');
      }
      const p = a.e.value; const q = b.e.value;
      const r = op === '<' ? p < q : op === '>' ? p > q : op === '<=' ? p <= q : op === '>=' ? p >= q : op.startsWith('!') ? p !== q : p === q;
      return { t: 'bool', b: r };
    }
    if (a.t === 'arr' || b.t === 'arr') return this.broadcast(op, a, b, at);
    if (a.t === 'bool') a = { t: 's', e: num(a.b ? 1 : 0, at) };
    if (b.t === 'bool') b = { t: 's', e: num(b.b ? 1 : 0, at) };
    if (a.t !== 's' || b.t !== 's') {
      if (op === '+' && a.t === 'str' && b.t === 'str') return { t: 'str', s: a.s + b.s };
      throw this.err(at, `the operator '${op}' cannot combine ${describe(a)} and ${describe(b)}`);
    }
    return { t: 's', e: this.scalarOp(op, a.e, b.e, at) };
  }

  private anonymousLeaf(v: V & { t: 'leaf' }, at: Span): V {
    // an unnamed Value(…) in an expression: a constant leaf
    if (v.value.t === 's') return v.value;
    throw this.err(at, 'give this tensor a name so it can be a parameter');
  }

  scalarOp(op: string, l: Expr, r: Expr, at: Span): Expr {
    this.ops++;
    const o = opOf(op);
    if (o === '//' || o === '%') {
      if (l.kind === 'num' && r.kind === 'num') return num(o === '//' ? Math.floor(l.value / r.value) : l.value - Math.floor(l.value / r.value) * r.value, at);
      throw this.err(at, `'${op}' of a parameter is not differentiable`);
    }
    if (!['+', '-', '*', '/', '^'].includes(o)) throw this.err(at, `the operator '${op}' is not supported in a differentiable expression`);
    if (this.shifts.size > 0 && (o === '/' || o === '-')) {
      const cancelled = this.cancelShift(o, l, r, at);
      if (cancelled) return cancelled;
    }
    // data samples stay themselves (not folded into other numbers): the Σ over samples and the fit read them
    if (l.kind === 'num' && r.kind === 'num' && !l.name && !r.name && !this.dataTags.has(l) && !this.dataTags.has(r)) {
      const v = o === '+' ? l.value + r.value : o === '-' ? l.value - r.value : o === '*' ? l.value * r.value : o === '/' ? l.value / r.value : Math.pow(l.value, r.value);
      return num(v, at);
    }
    return { kind: 'bin', op: o as '+', left: l, right: r, start: at.start, end: at.end };
  }

  private broadcast(op: string, a: V, b: V, at: Span): V {
    const A = a.t === 'arr' ? a : undefined;
    const B = b.t === 'arr' ? b : undefined;
    if (A && B) {
      if (A.items.length === B.items.length) return { t: 'arr', items: A.items.map((x, i) => this.binary(op, x, B.items[i], at)) };
      if (A.items.length === 1) return { t: 'arr', items: B.items.map((y) => this.binary(op, A.items[0], y, at)) };
      if (B.items.length === 1) return { t: 'arr', items: A.items.map((x) => this.binary(op, x, B.items[0], at)) };
      // rows of a matrix with a vector of the row's length
      if (A.items[0]?.t === 'arr' && depthOf(A) > depthOf(B)) return { t: 'arr', items: A.items.map((x) => this.binary(op, x, B, at)) };
      if (B.items[0]?.t === 'arr' && depthOf(B) > depthOf(A)) return { t: 'arr', items: B.items.map((y) => this.binary(op, A, y, at)) };
      throw this.err(at, `shapes do not match: ${shapeText(A)} and ${shapeText(B)}`);
    }
    if (A) return { t: 'arr', items: A.items.map((x) => this.binary(op, x, b, at)) };
    return { t: 'arr', items: (B as V & { t: 'arr' }).items.map((y) => this.binary(op, a, y, at)) };
  }

  private matmul(a: V, b: V, at: Span): V {
    if (a.t !== 'arr' || b.t !== 'arr') return this.binary('*', a, b, at);
    const da = depthOf(a);
    const db = depthOf(b);
    if (da === 1 && db === 1) {
      if (a.items.length !== b.items.length) throw this.err(at, `shapes do not match for a dot product: ${shapeText(a)} and ${shapeText(b)}`);
      return this.sum(a.items.map((x, i) => this.binary('*', x, b.items[i], at)), at);
    }
    if (da === 2 && db === 1) return { t: 'arr', items: a.items.map((row) => this.matmul(row, b, at)) };
    if (da === 1 && db === 2) {
      const cols = (b.items[0] as V & { t: 'arr' }).items.length;
      return { t: 'arr', items: Array.from({ length: cols }, (_, j) => this.matmul(a, { t: 'arr', items: b.items.map((r) => (r as V & { t: 'arr' }).items[j]) }, at)) };
    }
    if (da === 2 && db === 2) {
      const bt = transpose(b);
      return { t: 'arr', items: a.items.map((row) => ({ t: 'arr', items: bt.items.map((col) => this.matmul(row, col, at)) })) };
    }
    throw this.err(at, `matrix product of ${shapeText(a)} and ${shapeText(b)} is not supported`);
  }

  sum(items: V[], at: Span): V {
    if (items.length === 0) return { t: 's', e: num(0, at) };
    let acc = items[0];
    for (let i = 1; i < items.length; i++) acc = this.binary('+', acc, items[i], at);
    if (acc.t === 'bool') return { t: 's', e: num(acc.b ? 1 : 0, at) };
    return acc;
  }

  map1(v: V, f: (e: Expr) => Expr, at: Span): V {
    if (v.t === 's') return { t: 's', e: f(v.e) };
    if (v.t === 'arr') return { t: 'arr', items: v.items.map((x) => this.map1(x, f, at)) };
    if (v.t === 'bool') return { t: 's', e: f(num(v.b ? 1 : 0, at)) };
    if (v.t === 'leaf') return this.map1(this.anonymousLeaf(v, at), f, at);
    throw this.err(at, `expected a number or an array, found ${describe(v)}`);
  }

  applyFn(name: string, v: V, at: Span): V {
    const fn = FN_ALIASES[name] ?? name;
    return this.map1(v, (e) => {
      this.ops++;
      if (fn === 'log1p') return call('log', this.scalarOp('+', num(1, at), e, at), at);
      if (fn === 'expm1') return this.scalarOp('-', call('exp', e, at), num(1, at), at);
      if (fn === 'square') return this.scalarOp('^', e, num(2, at), at);
      if (!isUnaryFunction(fn)) throw this.err(at, `unknown function '${name}'`);
      if (e.kind === 'num' && !e.name) {
        const value = evalUnary(fn, e.value);
        return num(value, at);
      }
      return call(fn, e, at);
    }, at);
  }

  // ---------------------------------------------------------------- attributes, indexing, calls

  private attribute(o: V, name: string, at: X & { k: 'attr' }): V {
    if (o.t === 'net') return this.netAttr(o.n, name, at);
    if (o.t === 'opaque' && o.what === 'super()') return { t: 'method', self: o, name };
    if (name.startsWith('__') || name === 'constructor' || name === 'prototype') throw this.err(at, `unknown name '${dotted(at) ?? name}'`);
    if (o.t === 'ns') {
      const constant = namedConstant(o.path, name);
      if (constant) return { t: 's', e: { kind: 'num', value: constant.value, name: constant.name, start: at.start, end: at.end } };
      return { t: 'ns', path: `${o.path}.${name}` };
    }
    if (o.t === 'obj') {
      const f = o.fields.get(name);
      if (f) return f;
      const m = o.cls ? this.boundMethod(o.cls, name, o) : undefined;
      if (m) return m;
      if (o.frame && name === 'values') return frameMatrix(o);
      if (name === 'length' || name === 'shape') throw this.err(at, `the object has no '${name}'`);
      return { t: 'method', self: o, name };
    }
    if (o.t === 'arr') {
      if (name === 'shape') return { t: 'arr', items: shapeOf(o).map((n) => ({ t: 's', e: num(n, at) })) };
      if (name === 'length' || name === 'size') return { t: 's', e: num(name === 'size' ? shapeOf(o).reduce((p, q) => p * q, 1) : lengthOf(o), at) };
      if (name === 'T') return transpose(o);
      if (name === 'ndim') return { t: 's', e: num(shapeOf(o).length, at) };
      if (name === 'values' || name === 'data') return o;
      return { t: 'method', self: o, name };
    }
    if (o.t === 's' || o.t === 'leaf') {
      if (['shape', 'size', 'length', 'T', 'ndim'].includes(name)) {
        const who = at.obj.k === 'name' ? `'${at.obj.name}'` : 'this value';
        throw this.err(at, `${who} is used as an array (.${name}) but holds a number here: call the function in the file with its data (e.g. compute_cost(x_train, y_train, w, b)) or define the data at module level`);
      }
      if (name === 'data') {
        if (o.t === 's' && o.e.kind === 'num') return o;
      }
      if (!SCALAR_METHODS.has(name)) throw this.err(at, `unknown name '${dotted(at) ?? name}': a number has no attribute '${name}'`);
      return { t: 'method', self: o, name };
    }
    if (o.t === 'opaque') throw this.err(at, `cannot read '${name}' of ${o.what}`);
    if (o.t === 'class') {
      // Model.loss(w): a static method (or a method given its instance explicitly)
      const m = this.boundMethod(o, name);
      if (m) return m;
    }
    throw this.err(at, `${describe(o)} has no attribute '${name}'`);
  }

  private index(o: V, idx: Array<V | (X & { k: 'slice' })>, at: Span, env: Env): V {
    if (o.t === 'obj') {
      const k = idx[0];
      if (idx.length === 1 && k && 't' in k) {
        if (k.t === 'str') {
          const f = o.fields.get(k.s);
          if (!f) throw this.err(at, `no column or field '${k.s}'${o.frame ? ` (columns: ${[...o.fields.keys()].join(', ')})` : ''}`);
          return f;
        }
        if (k.t === 'arr' && o.frame) {
          // df[['a', 'b']] → a table with those columns
          const fields = new Map<string, V>();
          for (const c of k.items) {
            if (c.t !== 'str' || !o.fields.has(c.s)) throw this.err(at, `no column ${c.t === 'str' ? `'${c.s}'` : ''}`);
            fields.set(c.s, o.fields.get(c.s) as V);
          }
          return { t: 'obj', fields, frame: true };
        }
      }
      throw this.err(at, 'index an object by a field name');
    }
    if (o.t === 'net' && o.n.type === 'model' && idx.length === 1 && 't' in idx[0]) {
      // model[0]: the first module of an nn.Sequential (activations count)
      const i = this.intOf(idx[0] as V, at);
      const item = o.n.items[i < 0 ? o.n.items.length + i : i];
      if (!item) throw this.err(at, `the model has ${o.n.items.length} modules; there is no module ${i}`);
      return { t: 'net', n: item };
    }
    if (o.t === 'ns' && /^(np|torch)\.[cr]_$/.test(o.path)) {
      // np.c_[ones, x]: columns side by side; np.r_[a, b]: one after the other
      const parts = idx.map((i) => { if ('k' in i) throw this.err(at, `a slice inside ${o.path}[…] is not supported`); return i; });
      return this.stack(o.path.endsWith('c_') ? 'c_' : 'concatenate', parts, 0, at);
    }
    if (o.t !== 'arr') {
      if (o.t === 'leaf') return this.index(o.value, idx, at, env);
      throw this.err(at, `cannot index ${describe(o)}`);
    }
    const [first, ...rest] = idx;
    if (!first) return o;
    const packed = packedOf(o);
    if (packed) {
      // numbers of a data file: a view, a row or a number, without building every row
      const bound = (b: X | undefined): number | undefined => (b ? this.intOf(this.eval(b, env), b) : undefined);
      const plain = idx.map((k) => ('k' in k ? { lo: bound(k.lo), hi: bound(k.hi) } : isNum(k) && Number.isInteger(k.e.value) ? k.e.value : undefined));
      const picked = plain.every((k) => k !== undefined) ? indexPacked(packed, plain as Array<number | { lo?: number; hi?: number }>) : undefined;
      if (picked) return picked;
    }
    if ('k' in first) {
      const lo = first.lo ? this.intOf(this.eval(first.lo, env), first.lo) : 0;
      const hi = first.hi ? this.intOf(this.eval(first.hi, env), first.hi) : o.items.length;
      const norm = (i: number): number => (i < 0 ? Math.max(0, o.items.length + i) : Math.min(i, o.items.length));
      const items = o.items.slice(norm(lo), norm(hi));
      if (rest.length === 0) return { t: 'arr', items };
      return { t: 'arr', items: items.map((row) => this.index(row, rest, at, env)) };
    }
    if (first.t === 'arr') return this.fancyIndex(o, first, rest, at, env);
    const i = this.intOf(first, at);
    const j = i < 0 ? o.items.length + i : i;
    if (j < 0 || j >= o.items.length) throw this.err(at, `index ${i} is out of range: the array has ${o.items.length} elements`);
    const picked = o.items[j];
    return rest.length ? this.index(picked, rest, at, env) : picked;
  }

  /**
   * numpy's indexing by arrays: a[[2, 0]] picks rows; a[mask] keeps the rows where a boolean mask is true;
   * p[np.arange(m), y] picks p[i, y[i]] for each i (the labelled class of each sample).
   */
  private fancyIndex(o: V & { t: 'arr' }, first: V & { t: 'arr' }, rest: Array<V | (X & { k: 'slice' })>, at: Span, env: Env): V {
    const pick = (k: V): V => {
      const i = this.intOf(k, at);
      const j = i < 0 ? o.items.length + i : i;
      if (j < 0 || j >= o.items.length) throw this.err(at, `index ${i} is out of range: the array has ${o.items.length} elements`);
      return o.items[j];
    };
    if (first.items.every((k) => k.t === 'bool')) {
      if (first.items.length !== o.items.length) throw this.err(at, `a boolean mask of ${first.items.length} values for an array of ${o.items.length}`);
      const kept = o.items.filter((_, i) => (first.items[i] as { b: boolean }).b);
      return rest.length ? { t: 'arr', items: kept.map((row) => this.index(row, rest, at, env)) } : { t: 'arr', items: kept };
    }
    const [second, ...more] = rest;
    if (second && !('k' in second) && second.t === 'arr') {
      if (second.items.length !== first.items.length) throw this.err(at, `index arrays of ${first.items.length} and ${second.items.length} values do not pair up`);
      return { t: 'arr', items: first.items.map((k, n) => this.index(pick(k), [second.items[n], ...more], at, env)) };
    }
    const rows = first.items.map(pick);
    return rest.length ? { t: 'arr', items: rows.map((row) => this.index(row, rest, at, env)) } : { t: 'arr', items: rows };
  }

  intOf(v: V, at: Span): number {
    if (!isNum(v) || !Number.isInteger(v.e.value)) throw this.err(at, v.t === 's' ? 'an index must be a whole number known from the file, not a parameter' : `an index must be a whole number, found ${describe(v)}`);
    return v.e.value;
  }

  private call(x: X & { k: 'call' }, env: Env): V {
    if (x.fn.k === 'name' && lookup(env, x.fn.name) === undefined && !BUILTINS.has(x.fn.name) && !isUnaryFunction(x.fn.name) && !FN_ALIASES[x.fn.name] && !(this.syntax === 'js' && TYPED_ARRAYS.has(x.fn.name))) {
      throw this.err(x.fn, `unknown function '${x.fn.name}': not differentiable here (define it in this file, or use exp, log, sqrt, abs, trig and hyperbolic functions, sigmoid, relu, softplus, pow)`);
    }
    const f = this.eval(x.fn, env);
    const c = this.callArgs(x, env);
    if (f.t === 'fn') return this.callFunction(f, c, x);
    if (f.t === 'net') return this.callNet(f.n, c, x);
    if (f.t === 'class') return this.instantiate(f, c, x);
    if (f.t === 'ns') return this.builtin(f.path, c, x);
    if (f.t === 'method') return this.method(f.self, f.name, c, x);
    if (f.t === 'opaque') throw this.err(x.fn, `cannot call ${f.what}`);
    throw this.err(x.fn, `${describe(f)} is not a function`);
  }

  private method(self: V, name: string, c: Call, at: X & { k: 'call' }): V {
    const arg0 = c.args[0];
    if (self.t === 'net') return this.netMethod(self.n, name, c, at);
    if (self.t === 'opaque' && self.what === 'super()') return { t: 'none' };
    if (self.t === 's' || self.t === 'leaf') {
      // micrograd Value and torch tensor methods
      const s = self.t === 'leaf' ? this.anonymousLeaf(self, at) : self;
      if (['relu', 'tanh', 'exp', 'log', 'sigmoid', 'sqrt', 'abs', 'sin', 'cos', 'square'].includes(name)) return this.applyFn(name, s, at);
      if (name === 'item' || name === 'detach' || name === 'float' || name === 'double' || name === 'clone') return s;
      if (name === 'clip' || name === 'clamp') return this.clip(s, c.kw.get('min') ?? arg0, c.kw.get('max') ?? c.args[1], at);
      if (name === 'pow' || name === '__pow__') return this.binary('^', s, arg0, at);
      throw this.err(at.fn, `the method '.${name}()' is not supported on a number`);
    }
    if (self.t === 'arr') {
      if (name === 'reduce') {
        const fn = arg0;
        if (!fn || fn.t !== 'fn') throw this.err(at, 'reduce needs a function');
        let acc = c.args[1];
        let items = self.items;
        if (!acc) { acc = items[0]; items = items.slice(1); }
        items.forEach((item, i) => {
          this.tick(at);
          acc = this.callFunction(fn, { args: [acc as V, item, { t: 's', e: num(i, at) }], kw: new Map(), at }, at);
        });
        return acc as V;
      }
      if (name === 'map' || name === 'forEach') {
        const fn = arg0;
        if (!fn || fn.t !== 'fn') throw this.err(at, `${name} needs a function`);
        const out = self.items.map((item, i) => { this.tick(at); return this.callFunction(fn, { args: [item, { t: 's', e: num(i, at) }], kw: new Map(), at }, at); });
        return name === 'map' ? { t: 'arr', items: out } : { t: 'none' };
      }
      if (name === 'sum' || name === 'mean') return this.builtin(`np.${name}`, { ...c, args: [self, ...c.args] }, at);
      if (name === 'max' || name === 'min') return this.extremum(name, self, c.kw.get('axis') ?? c.kw.get('dim') ?? arg0, c.kw.get('keepdims') ?? c.kw.get('keepdim'), at);
      if (name === 'reshape' || name === 'flatten' || name === 'float' || name === 'double' || name === 'to_numpy' || name === 'numpy' || name === 'tolist' || name === 'copy' || name === 'astype' || name === 'detach') {
        if (name === 'flatten' || (name === 'reshape' && c.args.length === 1 && isNum(c.args[0]) && c.args[0].e.value === -1)) return { t: 'arr', items: flatten(self) };
        if (name === 'reshape') return this.reshape(self, c.args, at);
        return self;
      }
      if (name === 'dot') return this.matmul(self, arg0, at);
      if (name === 'clip' || name === 'clamp') return this.clip(self, c.kw.get('min') ?? c.kw.get('a_min') ?? arg0, c.kw.get('max') ?? c.kw.get('a_max') ?? c.args[1], at);
      if (name === 'item' || name === 'squeeze') {
        // an array of one element (a (1, 1) product e.T @ e, a (m, 1) sum) is that number
        const flat = flatten(self);
        if (flat.length === 1) return flat[0];
        if (name === 'squeeze') return squeeze(self);
        throw this.err(at.fn, `'.item()' needs an array of one element; this one has shape ${shapeText(self)}`);
      }
      throw this.err(at.fn, `the method '.${name}()' is not supported on an array`);
    }
    if (self.t === 'obj' && self.frame) {
      if (name === 'to_numpy') return frameMatrix(self);
    }
    throw this.err(at.fn, `the method '.${name}()' is not supported here`);
  }

  /**
   * max(a, b, …) / np.maximum / Math.max: with 0 it is relu; between numbers a number; otherwise
   * max(a, b) = b + relu(a − b), elementwise — the same value, and the derivative of the branch taken
   * (∂/∂a = [a > b], ∂/∂b = [a ≤ b]), with the kink at a = b diagnosed as relu's.
   */
  private maximum(name: string, a: V[], at: Span): V {
    if (a.length < 2) throw this.err(at, `'${name}' needs 2 arguments`);
    if (a.length > 2) return a.slice(1).reduce((acc, q) => this.maximum(name, [acc, q], at), a[0]);
    const [p, q] = a;
    if (isNum(p) && p.e.value === 0) return this.applyFn('relu', q, at);
    if (isNum(q) && q.e.value === 0) return this.applyFn('relu', p, at);
    if (isNum(p) && isNum(q)) return { t: 's', e: num(Math.max(p.e.value, q.e.value), at) };
    return this.binary('+', q, this.applyFn('relu', this.binary('-', p, q, at), at), at);
  }

  /** min(a, b, …) / np.minimum / Math.min: min(a, b) = a − relu(a − b), as max above. */
  private builtinMin(a: V[], at: Span): V {
    if (a.length < 2) throw this.err(at, 'min(a, b) needs 2 arguments');
    if (a.length > 2) return a.slice(1).reduce((acc, q) => this.builtinMin([acc, q], at), a[0]);
    const [p, q] = a;
    if (isNum(p) && isNum(q)) return { t: 's', e: num(Math.min(p.e.value, q.e.value), at) };
    return this.binary('-', p, this.applyFn('relu', this.binary('-', p, q, at), at), at);
  }

  /**
   * np.clip(x, lo, hi) / torch.clamp: min(max(x, lo), hi) as numpy defines it; with number bounds
   * lo ≤ hi that is lo + relu(x − lo) − relu(x − hi), one kink at each bound. A None bound is no bound.
   */
  private clip(x: V, lo: V | undefined, hi: V | undefined, at: Span): V {
    const bound = (v: V | undefined): V | undefined => (v && v.t !== 'none' ? v : undefined);
    const [l, h] = [bound(lo), bound(hi)];
    if (l && h && isNum(l) && isNum(h) && l.e.value <= h.e.value && [...flatten(x)].some((v) => v.t === 's' && !isNum(v))) {
      const up = this.applyFn('relu', this.binary('-', x, l, at), at);
      const over = this.applyFn('relu', this.binary('-', x, h, at), at);
      return this.binary('-', this.binary('+', l, up, at), over, at);
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
  private extremum(kind: 'max' | 'min', v: V & { t: 'arr' }, axis: V | undefined, keepdims: V | undefined, at: Span): V {
    const of = (xs: V[]): V => {
      if (xs.length === 0) throw this.err(at, `the ${kind} of an empty array is undefined`);
      const vals = xs.map((x) => (x.t === 'bool' ? { t: 's', e: num(x.b ? 1 : 0, at) } as V : x));
      if (vals.every(isNum)) {
        const ns = vals.map((x) => (x as { e: { value: number } }).e.value);
        return { t: 's', e: num(kind === 'max' ? Math.max(...ns) : Math.min(...ns), at) };
      }
      const bad = vals.find((x) => x.t !== 's');
      if (bad) throw this.err(at, `${kind}() of ${describe(bad)}`);
      if (kind === 'min') throw this.err(at, 'a min over values that depend on a parameter is not differentiable everywhere (it switches between them)');
      const shift: Expr = { kind: 'param', name: 'max(…)', start: at.start, end: at.end };
      this.shifts.set(shift, at);
      return { t: 's', e: shift };
    };
    if (axis && axis.t !== 'none') {
      const k = this.intOf(axis, at);
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
   * The softmax shift cancels: exp(a − c) / Σₖ exp(bₖ − c) = exp(a) / Σₖ exp(bₖ) and
   * (a − c) − log Σₖ exp(bₖ − c) = a − log Σₖ exp(bₖ) for every finite c (e^{−c} factors out of
   * every term). Only these exact forms, with the same shift c in every term, are rewritten.
   */
  private cancelShift(o: string, l: Expr, r: Expr, at: Span): Expr | undefined {
    const strip = (x: Expr): Expr => { while (x.kind === 'local') x = x.expr; return x; };
    const shifted = (x: Expr): { a: Expr; c: Expr } | undefined => {
      const y = strip(x);
      if (y.kind !== 'bin' || y.op !== '-') return undefined;
      const c = strip(y.right);
      return this.shifts.has(c) ? { a: y.left, c } : undefined;
    };
    const shiftedExp = (x: Expr): { a: Expr; c: Expr } | undefined => {
      const y = strip(x);
      return y.kind === 'call' && y.fn === 'exp' ? shifted(y.arg) : undefined;
    };
    const terms = (x: Expr): Expr[] => {
      const y = strip(x);
      return y.kind === 'bin' && y.op === '+' ? [...terms(y.left), ...terms(y.right)] : [y];
    };
    const sumOfExp = (x: Expr, c: Expr): Expr | undefined => {
      const ts = terms(x).map(shiftedExp);
      if (ts.some((t) => !t || t.c !== c)) return undefined;
      return (ts as Array<{ a: Expr }>).map((t) => call('exp', t.a, at)).reduce((p, q) => ({ kind: 'bin', op: '+', left: p, right: q, start: at.start, end: at.end }));
    };
    if (o === '/') {
      const top = shiftedExp(l);
      const den = top && sumOfExp(r, top.c);
      if (top && den) return { kind: 'bin', op: '/', left: call('exp', top.a, at), right: den, start: at.start, end: at.end };
    }
    if (o === '-') {
      const top = shifted(l);
      const lg = strip(r);
      const den = top && lg.kind === 'call' && lg.fn === 'log' ? sumOfExp(lg.arg, top.c) : undefined;
      if (top && den) return { kind: 'bin', op: '-', left: top.a, right: call('log', den, at), start: at.start, end: at.end };
    }
    return undefined;
  }

  /** A max over parameter values left in a result: it did not cancel, so the result has a kink there. */
  uncancelledShift(e: Expr): void {
    if (this.shifts.size === 0) return;
    let found: Expr | undefined;
    walkNodes(e, (x) => { if (this.shifts.has(x)) { found = x; return true; } return false; });
    if (found) throw this.err(this.shifts.get(found) as Span, 'a max over values that depend on a parameter is not differentiable everywhere; it is read only as the shift of a softmax (z - z.max() inside exp(z - m) / Σ exp(z - m)), where it cancels');
  }

  /**
   * PyTorch's losses on values (F.mse_loss(pred, y), nn.MSELoss()(pred, y), …): the elementwise loss,
   * then its mean (reduction='mean', the default), its sum ('sum') or the elements ('none').
   * Cross-entropy takes logits (n, k) and class indices (n,): log Σⱼ exp zᵢⱼ − zᵢ,yᵢ per sample.
   */
  private functionalLoss(name: string, pred: V, target: V, reduction: string, at: Span): V {
    const p = pred.t === 'leaf' ? this.anonymousLeaf(pred, at) : pred;
    const t = target.t === 'leaf' ? this.anonymousLeaf(target, at) : target;
    const one: V = { t: 's', e: num(1, at) };
    let each: V;
    switch (name) {
      case 'mse_loss': each = this.binary('**', this.binary('-', p, t, at), { t: 's', e: num(2, at) }, at); break;
      case 'l1_loss': each = this.applyFn('abs', this.binary('-', p, t, at), at); break;
      case 'binary_cross_entropy':
        // −[y log p + (1 − y) log(1 − p)]
        each = this.map1(this.binary('+', this.binary('*', t, this.applyFn('log', p, at), at), this.binary('*', this.binary('-', one, t, at), this.applyFn('log', this.binary('-', one, p, at), at), at), at), (e) => neg(e, at), at);
        break;
      case 'binary_cross_entropy_with_logits':
        // −[y log σ(z) + (1 − y) log(1 − σ(z))] = softplus(z) − y z
        each = this.binary('-', this.applyFn('softplus', p, at), this.binary('*', t, p, at), at);
        break;
      case 'cross_entropy': case 'nll_loss': {
        if (p.t !== 'arr' || t.t !== 'arr' || depthOf(p) !== 2 || depthOf(t) !== 1 || p.items.length !== t.items.length) {
          throw this.err(at, `${name}(input, target) is read with input of shape (n, classes) and target of n class indices`);
        }
        each = { t: 'arr', items: p.items.map((row, i) => {
          const r = row as V & { t: 'arr' };
          const picked = this.index(r, [t.items[i]], at, { vars: new Map() });
          if (name === 'nll_loss') return this.map1(picked, (e) => neg(e, at), at);
          return this.binary('-', this.applyFn('log', this.sum(r.items.map((z) => this.applyFn('exp', z, at)), at), at), picked, at);
        }) };
        break;
      }
      default: throw this.err(at, `the loss '${name}' cannot be read as a function here (supported: mse_loss, l1_loss, binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy)`);
    }
    if (reduction === 'none') return each;
    if (reduction !== 'mean' && reduction !== 'sum') throw this.err(at, `reduction='${reduction}' is not supported (mean, sum or none)`);
    const flat = flatten(each);
    const total = this.sum(flat, at);
    return reduction === 'sum' ? total : this.binary('/', total, { t: 's', e: num(flat.length, at) }, at);
  }

  /** np.where(c, a, b) with numpy's broadcasting: c must be known from the data (a comparison of a parameter is refused before). */
  private where(c: V, a: V, b: V, at: Span): V {
    if (c.t === 'arr' || a.t === 'arr' || b.t === 'arr') {
      const n = Math.max(...[c, a, b].map((v) => (v.t === 'arr' ? v.items.length : 1)));
      const part = (v: V, i: number): V => {
        if (v.t !== 'arr') return v;
        if (v.items.length === n) return v.items[i];
        if (v.items.length === 1) return v.items[0];
        throw this.err(at, `np.where: shapes do not match (${[c, a, b].map((u) => (u.t === 'arr' ? shapeText(u) : '()')).join(', ')})`);
      };
      return { t: 'arr', items: Array.from({ length: n }, (_, i) => this.where(part(c, i), part(a, i), part(b, i), at)) };
    }
    if (c.t === 'bool') return c.b ? a : b;
    if (isNum(c)) return c.e.value !== 0 ? a : b;
    throw this.err(at, 'np.where needs a condition known from the data: a condition that depends on a parameter is a branch, not differentiable (relu and abs cover the usual kinks)');
  }

  /** np.linalg.norm: sqrt(Σ v²) by default (ord=2 of a vector, Frobenius of a matrix), Σ |v| with ord=1; along an axis of a matrix. */
  private norm(v: V, ord: V | undefined, axis: V | undefined, at: Span): V {
    const o = ord && ord.t !== 'none' ? this.numberArg(ord, at) : undefined;
    if (o !== undefined && o !== 1 && o !== 2) throw this.err(at, `norm(ord=${o}) is not supported: only the 2-norm (the default) and ord=1`);
    const of = (xs: V[]): V => (o === 1
      ? this.sum(xs.map((x) => this.applyFn('abs', x, at)), at)
      : this.applyFn('sqrt', this.sum(xs.map((x) => this.binary('*', x, x, at)), at), at));
    if (v.t !== 'arr') return this.applyFn('abs', v, at);
    if (axis && axis.t !== 'none') {
      const k = this.intOf(axis, at);
      if (depthOf(v) === 1) { if (k !== 0 && k !== -1) throw this.err(at, `axis ${k} is out of range for a vector`); return of(v.items); }
      if (depthOf(v) !== 2) throw this.err(at, `norm along an axis of an array of shape ${shapeText(v)} is not supported`);
      return this.reduceAxis(v, k === -1 ? 1 : k, at, of);
    }
    if (o !== undefined && depthOf(v) === 2) throw this.err(at, `norm(ord=${o}) of a matrix is not an elementwise norm; write np.linalg.norm(A) (Frobenius) or np.sum(np.abs(A))`);
    return of(flatten(v));
  }

  /** np.column_stack, np.hstack, np.vstack, np.concatenate (and torch.cat / torch.stack), np.c_[…], np.r_[…]. */
  stack(name: string, parts: V[], axis: number, at: Span): V {
    const arrs = parts.map((p) => {
      const v = p.t === 'leaf' ? p.value : p;
      if (v.t === 's' || v.t === 'bool') return { t: 'arr', items: [v.t === 'bool' ? { t: 's', e: num(v.b ? 1 : 0, at) } : v] } as V & { t: 'arr' };
      if (v.t !== 'arr') throw this.err(at, `${name}() of ${describe(v)}`);
      return v;
    });
    if (arrs.length === 0) throw this.err(at, `${name}() needs at least one array`);
    const asColumn = (v: V & { t: 'arr' }): V & { t: 'arr' } => (depthOf(v) === 1 ? { t: 'arr', items: v.items.map((x) => ({ t: 'arr', items: [x] })) } : v);
    const asRow = (v: V & { t: 'arr' }): V & { t: 'arr' } => (depthOf(v) === 1 ? { t: 'arr', items: [v] } : v);
    const concat = (vs: Array<V & { t: 'arr' }>, ax: number): V & { t: 'arr' } => {
      const d = depthOf(vs[0]);
      if (vs.some((v) => depthOf(v) !== d)) throw this.err(at, `${name}(): the arrays have different numbers of dimensions (${vs.map(shapeText).join(', ')})`);
      if (ax === 0 || d === 1) return { t: 'arr', items: vs.flatMap((v) => v.items) };
      if (ax !== 1 && ax !== -1) throw this.err(at, `${name}() along axis ${ax} is not supported`);
      const n = vs[0].items.length;
      if (vs.some((v) => v.items.length !== n)) throw this.err(at, `${name}(): the arrays have different numbers of rows (${vs.map(shapeText).join(', ')})`);
      return { t: 'arr', items: vs[0].items.map((_, i) => ({ t: 'arr', items: vs.flatMap((v) => (v.items[i] as V & { t: 'arr' }).items) })) };
    };
    switch (name) {
      case 'column_stack': case 'c_': return concat(arrs.map(asColumn), 1);
      case 'hstack': return concat(arrs, depthOf(arrs[0]) === 1 ? 0 : 1);
      case 'vstack': case 'row_stack': return concat(arrs.map(asRow), 0);
      case 'stack': {
        const n = arrs[0].items.length;
        if (arrs.some((v) => v.items.length !== n)) throw this.err(at, `stack(): the arrays have different shapes (${arrs.map(shapeText).join(', ')})`);
        if (axis === 0) return { t: 'arr', items: arrs };
        if ((axis === 1 || axis === -1) && arrs.every((v) => depthOf(v) === 1)) return concat(arrs.map(asColumn), 1);
        throw this.err(at, `stack() along axis ${axis} is not supported`);
      }
      default: return concat(arrs, axis);
    }
  }

  private reshape(a: V & { t: 'arr' }, args: V[], at: Span): V {
    const flat = flatten(a);
    const dims = (args.length === 1 && args[0].t === 'arr' ? args[0].items : args).map((d) => this.intOf(d, at));
    const known = dims.filter((d) => d !== -1).reduce((p, q) => p * q, 1);
    const shape = dims.map((d) => (d === -1 ? flat.length / known : d));
    if (shape.reduce((p, q) => p * q, 1) !== flat.length) throw this.err(at, `cannot reshape ${flat.length} elements into (${dims.join(', ')})`);
    let k = 0;
    const build = (level: number): V => (level === shape.length ? flat[k++] : { t: 'arr', items: Array.from({ length: shape[level] }, () => build(level + 1)) });
    return build(0);
  }

  /** Library functions by path: `np.mean`, `Math.exp`, `builtin.sum`, `torch.tensor`, … */
  builtin(path: string, c: Call, at: X & { k: 'call' }): V {
    const parts = path.split('.');
    const name = parts[parts.length - 1];
    const root = parts[0];
    const a = c.args;
    const a0 = a[0];
    const need = (n: number): void => {
      if (a.length < n) throw this.err(at, `'${path.replace(/^builtin\./, '')}' needs ${n} argument${n > 1 ? 's' : ''}`);
    };
    if (name === 'super' && root === 'builtin') return { t: 'opaque', what: 'super()' };
    // micrograd's Value(…) however it was imported
    if (name === 'Value' && this.syntax === 'python') {
      need(1);
      return { t: 'leaf', value: a0 };
    }
    const sym = a.find((v) => v.t === 'net' && v.n.type === 'sym');
    if (sym && sym.t === 'net') return this.applyToSym(name, sym.n as Sym, at, c.kw);
    const made = this.net.construct(path, a, c.kw, at, this.helpers());
    if (made) return 'type' in made ? { t: 'net', n: made } : made;
    if (/^(torch\.)?nn\.Module$|^Module$/.test(path)) return { t: 'opaque', what: 'nn.Module' };
    // constants reached as calls are errors below; named constants are handled by attribute()
    const lib = ['np', 'math', 'torch', 'F', 'Math', 'special', 'tf', 'builtin', 'nn', 'jnp', 'micrograd', 'pd', 'csv'].includes(root);
    const missing = this.missingModules.get(path) ?? this.missingModules.get(root);
    if (!lib && missing) throw this.err(at.fn, `'${path.slice(path.indexOf('.') + 1)}' comes from the module ${missing}, and ${missing}.py is not beside this file: put it there (it is read, never run) or define the function in this file`);
    if (!lib) throw this.err(at.fn, `unknown function '${path}': only the file's own functions and numpy/math/torch (Python) or Math (JS) functions can be read`);
    if (this.syntax === 'js' && root !== 'Math' && root !== 'builtin' && root !== 'tf') throw this.err(at.fn, `'${path}' is not available in JavaScript`);
    if (this.syntax === 'python' && root === 'Math') throw this.err(at.fn, `'Math.${name}' is JavaScript; in Python write math.${name} or np.${name}`);
    switch (name) {
      case 'print': case 'log': if (root === 'builtin' || path === 'console.log') return { t: 'none' }; break;
      default: break;
    }
    if (FN_ALIASES[name] === 'pow' || name === 'pow') {
      need(2);
      return this.binary('**', a[0], a[1], at);
    }
    if (isUnaryFunction(name) || FN_ALIASES[name]) {
      need(1);
      if (name === 'abs' && root === 'builtin' && a0.t === 'arr') throw this.err(at, 'abs() of a list is not defined; use np.abs');
      return this.applyFn(name, a0, at);
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
          throw this.err(arg, `'${arg.name}' is used as data (len(${arg.name})) but holds a parameter here: call the function in the file with its data (e.g. f(x_train, y_train, …)) so its arguments are bound`);
        }
        throw this.err(at, `len() of ${describe(a0)}`);
      }
      case 'range': {
        need(1);
        const symbolic = a.find((v) => v.t === 's' && v.e.kind !== 'num');
        if (symbolic) {
          const i = a.indexOf(symbolic);
          const arg = at.args[i];
          throw this.err(arg ?? at, `range(${arg?.k === 'name' ? arg.name : '…'}) needs a count known from the file, not a parameter: loops run over data or a constant number of times`);
        }
        const [lo, hi, step] = a.length === 1 ? [0, this.intOf(a0, at), 1] : [this.intOf(a[0], at), this.intOf(a[1], at), a[2] ? this.intOf(a[2], at) : 1];
        if (step === 0) throw this.err(at, 'range() step must not be zero');
        const n = Math.max(0, Math.ceil((hi - lo) / step));
        if (n > MAX_ITERATIONS) throw this.err(at, `range of ${n} is larger than the ${MAX_ITERATIONS} iterations a reading may take`);
        return { t: 'arr', items: Array.from({ length: n }, (_, i) => ({ t: 's', e: num(lo + i * step, at) })) };
      }
      case 'zip': {
        const arrs = a.map((v) => { if (v.t !== 'arr') throw this.err(at, `zip() of ${describe(v)}`); return v; });
        const n = Math.min(...arrs.map((v) => v.items.length));
        return { t: 'arr', items: Array.from({ length: n }, (_, i) => ({ t: 'arr', items: arrs.map((v) => v.items[i]) })) };
      }
      case 'enumerate': {
        need(1);
        if (a0.t !== 'arr') throw this.err(at, `enumerate() of ${describe(a0)}`);
        return { t: 'arr', items: a0.items.map((v, i) => ({ t: 'arr', items: [{ t: 's', e: num(i, at) }, v] })) };
      }
      case 'sum': case 'nansum': {
        need(1);
        const axis = c.kw.get('axis') ?? a[1];
        if (a0.t !== 'arr') return a0;
        if (axis && isNum(axis)) return keep(this.reduceAxis(a0, axis.e.value, at, (xs) => this.sum(xs, at)), a0, axis.e.value, c.kw.get('keepdims'));
        const start = root === 'builtin' && a[1] ? a[1] : undefined;
        const s = this.sum(root === 'builtin' ? a0.items : flatten(a0), at);
        return start ? this.binary('+', s, start, at) : s;
      }
      case 'mean': case 'average': case 'nanmean': {
        need(1);
        if (a0.t !== 'arr') return a0;
        const axis = c.kw.get('axis') ?? (name === 'mean' ? a[1] : undefined);
        if (axis && isNum(axis)) return keep(this.reduceAxis(a0, axis.e.value, at, (xs) => this.binary('/', this.sum(xs, at), { t: 's', e: num(xs.length, at) }, at)), a0, axis.e.value, c.kw.get('keepdims'));
        const flat = flatten(a0);
        if (flat.length === 0) throw this.err(at, 'the mean of an empty array is undefined');
        return this.binary('/', this.sum(flat, at), { t: 's', e: num(flat.length, at) }, at);
      }
      case 'dot': case 'matmul': case 'inner':
        need(2);
        return this.matmul(a[0], a[1], at);
      case 'Float64Array': case 'Float32Array': case 'Array': case 'Int32Array':
      case 'array': case 'asarray': case 'tensor': case 'Tensor': case 'FloatTensor': case 'from_numpy': case 'list': case 'tuple': case 'as_tensor': case 'constant': case 'tensor1d': case 'tensor2d': case 'from': {
        if (TYPED_ARRAYS.has(name) || name === 'from') { /* Float64Array.from / new Float64Array([...]) */ }
        if (!a0) return { t: 'arr', items: [] };
        const rg = c.kw.get('requires_grad');
        const v = a0.t === 'leaf' ? a0.value : a0;
        if (rg && rg.t === 'bool' && rg.b) return { t: 'leaf', value: v };
        if (v.t === 'bool') return { t: 's', e: num(v.b ? 1 : 0, at) };
        return v;
      }
      case 'float': case 'int': case 'Number': case 'float64': case 'float32': case 'double':
        need(1);
        if (a0.t === 's') return name === 'int' && isNum(a0) ? { t: 's', e: num(Math.trunc(a0.e.value), at) } : a0;
        if (a0.t === 'str' && Number.isFinite(Number(a0.s))) return { t: 's', e: num(Number(a0.s), at) };
        throw this.err(at, `${name}() of ${describe(a0)}`);
      case 'Value':
        need(1);
        return { t: 'leaf', value: a0 };
      case 'zeros': case 'ones': case 'full': {
        need(1);
        const dims = a0.t === 'arr' ? a0.items.map((d) => this.intOf(d, at)) : a.slice(0, name === 'full' ? 1 : a.length).map((d) => this.intOf(d, at));
        const fill = name === 'full' ? this.numberArg(a[1], at) : name === 'ones' ? 1 : 0;
        const build = (k: number): V => (k === dims.length ? { t: 's', e: num(fill, at) } : { t: 'arr', items: Array.from({ length: dims[k] }, () => build(k + 1)) });
        return build(0);
      }
      case 'linspace': {
        need(2);
        const lo = this.numberArg(a[0], at);
        const hi = this.numberArg(a[1], at);
        const n = a[2] ? this.intOf(a[2], at) : c.kw.get('num') ? this.intOf(c.kw.get('num') as V, at) : 50;
        if (n > MAX_ITERATIONS) throw this.err(at, `linspace of ${n} points is too large`);
        return { t: 'arr', items: Array.from({ length: n }, (_, i) => ({ t: 's', e: num(n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1), at) })) };
      }
      case 'arange': {
        need(1);
        const [lo, hi, step] = a.length === 1 ? [0, this.numberArg(a0, at), 1] : [this.numberArg(a[0], at), this.numberArg(a[1], at), a[2] ? this.numberArg(a[2], at) : 1];
        const n = Math.max(0, Math.ceil((hi - lo) / step));
        if (n > MAX_ITERATIONS) throw this.err(at, `arange of ${n} points is too large`);
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
        if (a0.t !== 'arr') throw this.err(at, `${name}() needs a list of arrays`);
        const axis = c.kw.get('axis') ?? c.kw.get('dim') ?? a[1];
        return this.stack(name, a0.items, axis ? this.intOf(axis, at) : 0, at);
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
        if (!file || file.t !== 'str') throw this.err(at, 'open() needs the file name as a string written in the code');
        const mode = c.kw.get('mode') ?? a[1];
        if (mode && mode.t === 'str' && /[wax+]/.test(mode.s)) throw this.err(at, `open('${file.s}', '${mode.s}') writes a file; only reading data is part of a cost`);
        return { t: 'obj', fields: new Map([['__text', { t: 'str', s: this.files.text(file.s, at) }]]) };
      }
      case 'reader': {
        if (root !== 'csv') break;
        const text = a0?.t === 'obj' ? a0.fields.get('__text') : undefined;
        if (!text || text.t !== 'str') throw this.err(at, 'csv.reader() needs a file opened in the code: with open(\'data.csv\') as f: reader = csv.reader(f)');
        const d = c.kw.get('delimiter');
        const delim = d?.t === 'str' && d.s !== '' ? d.s : ',';
        const rows = text.s.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => ({ t: 'arr', items: l.split(delim).map((cell) => ({ t: 'str', s: cell.trim().replace(/^"(.*)"$/, '$1') }) as V) }) as V);
        if (rows.length > MAX_ITERATIONS) throw this.err(at, `the file has ${rows.length} rows, more than the ${MAX_ITERATIONS} iterations a reading may take`);
        return { t: 'arr', items: rows, iterator: true };
      }
      case 'next': {
        if (root !== 'builtin') break;
        need(1);
        if (a0.t !== 'arr' || !a0.iterator) throw this.err(at, `next() of ${describe(a0)} is not read here (only a csv.reader's header row)`);
        const first = a0.items.shift();
        if (!first) throw this.err(at, 'next() of an iterator with no rows left');
        return first;
      }
      case 'no_grad': case 'manual_seed': case 'seed':
        return { t: 'none' };
      default:
        break;
    }
    throw this.err(at.fn, `unknown function '${path.replace(/^builtin\./, '')}': not differentiable here (supported: exp, log, sqrt, abs, trig and hyperbolic functions, sigmoid, relu, softplus, pow, sum, mean, dot, len, range, zip, enumerate)`);
  }

  // ---------------------------------------------------------------- networks

  private register(n: NetObj, name: string | null, stmt: Span): void {
    if (n.type === 'model') {
      if (!this.models.some((m) => m.model === n)) this.models.push({ name, model: n, stmt });
      else {
        const m = this.models.find((x) => x.model === n);
        if (m && m.name === null) m.name = name;
      }
    } else if (n.type === 'loss') this.lossDefs.push({ loss: n, stmt });
    else if (n.type === 'optim') this.optimDefs.push({ optim: n, stmt });
  }

  helpers(): Helpers {
    return {
      sequential: (framework, args, at) => {
        const items: Layer[] = [];
        const add = (v: V): void => {
          if (v.t === 'arr') {
            // OrderedDict([('fc1', nn.Linear(…)), …]) or a list of layers
            if (v.items.length === 2 && v.items[0].t === 'str' && v.items[1].t === 'net') { add(v.items[1]); return; }
            v.items.forEach(add);
          } else if (v.t === 'net' && v.n.type === 'layer') items.push(v.n);
          else if (v.t === 'net' && v.n.type === 'sym') items.push({ type: 'layer', kind: 'input', cls: 'Input', framework, span: at, inputs: v.n.inputs });
          else if (v.t === 'net' && v.n.type === 'model') items.push(...v.n.items);
          else if (v.t === 'ns' && /OrderedDict$/.test(v.path)) return;
          else throw this.err(at, `cannot read ${describe(v)} as a layer of the model`);
        };
        args.forEach(add);
        return { type: 'model', framework, items, span: at, notes: [] };
      },
      functionalModel: (inputs, outputs, at) => {
        if (!outputs || outputs.t !== 'net' || outputs.n.type !== 'sym') throw this.err(at, 'the model\'s outputs must be the result of layers applied to an Input');
        const out = outputs.n;
        const inp = inputs && inputs.t === 'net' && inputs.n.type === 'sym' ? inputs.n : undefined;
        return { type: 'model', framework: out.framework, items: [...out.chain], inputs: inp?.inputs ?? out.inputs, span: at, notes: [] };
      },
      init: (name, args, at) => {
        const ref = args[0];
        if (!ref || ref.t !== 'net' || ref.n.type !== 'param') throw this.err(at, `nn.init.${name} needs a layer's weight or bias`);
        const v = name === 'zeros_' ? 0 : name === 'ones_' ? 1 : name === 'constant_' ? this.numberArg(args[1], at) : undefined;
        if (v === undefined) return { t: 'none' };
        this.fillParam(ref.n, v);
        return { t: 'none' };
      },
    };
  }

  private fillParam(ref: { layer: Layer; which: 'weight' | 'bias' }, v: number): void {
    const l = ref.layer;
    const out = l.units ?? 1;
    const fin = l.inFeatures ?? 1;
    if (ref.which === 'weight') l.weight = Array.from({ length: out }, () => Array.from({ length: fin }, () => v));
    else l.bias = Array.from({ length: out }, () => v);
  }

  private numbersOf(v: V, at: Span): number[] | number[][] {
    const val = v.t === 'leaf' ? v.value : v;
    if (val.t !== 'arr') throw this.err(at, 'expected an array of numbers written in the file');
    const toNum = (x: V): number => { if (!isNum(x)) throw this.err(at, 'expected numbers written in the file'); return x.e.value; };
    if (val.items.every((x) => x.t === 'arr')) return val.items.map((r) => (r as V & { t: 'arr' }).items.map(toNum));
    return val.items.map(toNum);
  }

  private setParam(ref: { layer: Layer; which: 'weight' | 'bias' }, v: V, at: Span): void {
    const l = ref.layer;
    if (v.t === 's' && isNum(v)) { this.fillParam(ref, v.e.value); return; }
    const nums = this.numbersOf(v, at);
    if (ref.which === 'weight') {
      if (!Array.isArray(nums[0])) throw this.err(at, 'a weight matrix needs rows: [[…], […]]');
      const W = nums as number[][];
      if (l.units !== undefined && l.inFeatures !== undefined && (W.length !== l.units || W.some((r) => r.length !== l.inFeatures))) {
        throw this.err(at, `the weight has shape (${W.length}, ${W[0]?.length ?? 0}) but ${l.cls}(${l.inFeatures}, ${l.units}) needs (${l.units}, ${l.inFeatures})`);
      }
      l.weight = W;
    } else {
      const b = (Array.isArray(nums[0]) ? (nums as number[][]).flat() : nums) as number[];
      if (l.units !== undefined && b.length !== l.units) throw this.err(at, `the bias has ${b.length} values but the layer has ${l.units} units`);
      l.bias = b;
    }
  }

  private setNetAttr(n: NetObj, name: string, value: V, at: Span): void {
    if (n.type === 'model' && n.module) {
      if (value.t === 'net' && value.n.type === 'model' && !value.n.module) {
        // an nn.Sequential held by a module
        n.module.attrs.set(name, value);
        return;
      }
      if (value.t === 'ns' && /ModuleList$/.test(value.path)) throw this.err(at, 'nn.ModuleList is not supported: hold the layers in attributes or an nn.Sequential');
      n.module.attrs.set(name, value);
      return;
    }
    if (n.type === 'param' && name === 'data') { this.setParam(n, value, at); return; }
    if (n.type === 'layer' && (name === 'weight' || name === 'bias')) {
      const v = value.t === 'net' && value.n.type === 'param' ? undefined : value;
      if (v) this.setParam({ layer: n, which: name }, v, at);
      return;
    }
    throw this.err(at, `setting '${name}' here is not supported`);
  }

  private netAttr(n: NetObj, name: string, at: X & { k: 'attr' }): V {
    if (n.type === 'model') {
      if (n.module) {
        const v = n.module.attrs.get(name);
        if (v) return v;
        const m = this.classMethod(n, name);
        if (m) return m;
      }
      if (name === 'layers') return { t: 'arr', items: n.items.map((l) => ({ t: 'net', n: l }) as V) };
      return { t: 'method', self: { t: 'net', n }, name };
    }
    if (n.type === 'layer' && (name === 'weight' || name === 'bias' || name === 'kernel')) {
      if (n.kind !== 'dense') throw this.err(at, `${n.cls} has no ${name}`);
      return { t: 'net', n: { type: 'param', layer: n, which: name === 'bias' ? 'bias' : 'weight' } };
    }
    if (n.type === 'param' && name === 'data') return { t: 'net', n };
    return { t: 'method', self: { t: 'net', n }, name };
  }

  private classMethod(model: Model, name: string): V | undefined {
    const cls = (model as Model & { cls?: V & { t: 'class' } }).cls;
    if (!cls) return undefined;
    const methods = this.methodsOf(cls);
    const fn = methods.get(name);
    if (!fn) return undefined;
    const self: V = { t: 'net', n: model };
    return { ...fn, self, closure: fn.closure } as V;
  }

  private methodsOf(cls: V & { t: 'class' }): Map<string, V & { t: 'fn' }> {
    const out = new Map<string, V & { t: 'fn' }>();
    // a base class of the file first: the subclass's own methods override its
    for (const b of cls.bases) if (b.t === 'class') for (const [k, f] of this.methodsOf(b)) out.set(k, f);
    for (const st of cls.body) if (st.k === 'def') out.set(st.name, { t: 'fn', name: st.name, params: st.params, body: st.body, closure: cls.closure, module: this.module });
    return out;
  }

  /**
   * A method of a plain class of the file: through an instance it receives the instance first when its first
   * parameter is self (Python) or this (JavaScript, whose reader adds it to instance methods); a static method
   * and a method read off the class itself receive only what the call gives.
   */
  boundMethod(cls: V & { t: 'class' }, name: string, self?: V): (V & { t: 'fn' }) | undefined {
    const f = this.methodsOf(cls).get(name);
    if (!f) return undefined;
    const first = f.params[0]?.name;
    return self && (first === 'self' || first === 'this') ? { ...f, self } : f;
  }

  /** An instance of an nn.Module class the file never instantiates (or instantiates with arguments we cannot read). */
  instantiateForReading(cls: V & { t: 'class' }, at: S & { k: 'class' }): Model {
    const v = this.instantiate(cls, { args: [], kw: new Map(), at }, { ...at, k: 'call', fn: { ...at, k: 'name', name: cls.name }, args: [], kw: [] });
    if (v.t !== 'net' || v.n.type !== 'model') throw this.err(at.nameSpan, `${cls.name} is not an nn.Module`);
    return v.n;
  }

  /** An instance of a plain class the file never instantiates: its constructor run with no arguments, else no fields. */
  instanceForReading(cls: V & { t: 'class' }): V {
    const at: X & { k: 'call' } = { ...cls.span, k: 'call', fn: { ...cls.span, k: 'name', name: cls.name }, args: [], kw: [] };
    try {
      return this.plainInstance(cls, { args: [], kw: new Map(), at }, at);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      return { t: 'obj', fields: new Map(), cls };
    }
  }

  private instantiate(cls: V & { t: 'class' }, c: Call, at: X & { k: 'call' }): V {
    const isModule = cls.bases.some((b) => (b.t === 'ns' && /(^|\.)Module$/.test(b.path)) || (b.t === 'opaque' && b.what === 'nn.Module') || (b.t === 'class' && b.bases.length > 0));
    if (!isModule) return this.plainInstance(cls, c, at);
    const model: Model & { cls?: V & { t: 'class' } } = {
      type: 'model', framework: 'pytorch', items: [], span: cls.span, notes: [],
      module: { cls: cls.name, attrs: new Map(), classSpan: cls.span },
    };
    model.cls = cls;
    const self: V = { t: 'net', n: model };
    const methods = this.methodsOf(cls);
    const saved = this.moduleLevel;
    this.moduleLevel = false;
    try {
      const init = methods.get('__init__');
      if (init) this.callFunction(init, { args: [self, ...c.args], kw: c.kw, at }, at);
    } finally {
      this.moduleLevel = saved;
    }
    const forward = methods.get('forward');
    (model.module as NonNullable<Model['module']>).forward = () => {
      if (!forward) throw this.err(cls.span, `the class ${cls.name} has no forward method`);
      const input: V = { t: 'net', n: { type: 'sym', framework: 'pytorch', chain: [] } };
      const savedLevel = this.moduleLevel;
      this.moduleLevel = false;
      try {
        const r = this.callFunction(forward, { args: [self, input], kw: new Map(), at }, at);
        if (r.t !== 'net' || r.n.type !== 'sym') throw this.err(forward.params[0] ?? cls.span, `forward of ${cls.name} must return the result of its layers`);
        return r.n.chain;
      } finally {
        this.moduleLevel = savedLevel;
      }
    };
    cls.instances++;
    return self;
  }

  /**
   * An instance of a plain class (a model written as a class, its data stored by the constructor): an object
   * whose fields are what __init__ / the constructor assigns to self / this, its methods read through it.
   */
  private plainInstance(cls: V & { t: 'class' }, c: Call, at: X & { k: 'call' }): V {
    const self: V & { t: 'obj' } = { t: 'obj', fields: new Map(), cls };
    const init = this.boundMethod(cls, '__init__', self);
    if (init) {
      const saved = this.moduleLevel;
      this.moduleLevel = false;
      try {
        this.callFunction(init, c, at);
      } finally {
        this.moduleLevel = saved;
      }
    }
    cls.instances++;
    return self;
  }

  private applyToSym(name: string, sym: Sym, at: Span, kw?: Map<string, V>): V {
    const acts: Record<string, Activation> = {
      relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax', gelu: 'gelu', elu: 'elu', leaky_relu: 'leaky_relu', softplus: 'softplus', log_softmax: 'softmax',
    };
    if (Object.prototype.hasOwnProperty.call(acts, name)) {
      const approx = kw?.get('approximate');
      const note = name === 'log_softmax' ? 'logsoftmax' : approx?.t === 'str' && approx.s === 'tanh' ? 'gelu_tanh' : undefined;
      const layer: Layer = { type: 'layer', kind: 'act', cls: name, framework: sym.framework, span: at, activation: acts[name], note };
      return { t: 'net', n: { ...sym, chain: [...sym.chain, layer] } };
    }
    if (['flatten', 'view', 'reshape', 'squeeze', 'float', 'double', 'dropout'].includes(name)) return { t: 'net', n: sym };
    throw this.err(at, `'${name}' on a tensor inside forward is not supported: only layers and activations (relu, sigmoid, tanh, softmax, gelu, elu, softplus)`);
  }

  private callNet(n: NetObj, c: Call, at: X & { k: 'call' }): V {
    const arg = c.args[0];
    const sym = arg && arg.t === 'net' && arg.n.type === 'sym' ? arg.n : undefined;
    if (n.type === 'layer') {
      if (!sym) return { t: 'opaque', what: `the output of ${n.cls}` };
      return { t: 'net', n: { ...sym, chain: [...sym.chain, n] } };
    }
    if (n.type === 'model') {
      if (!sym) return { t: 'opaque', what: 'the model\'s output' };
      const chain = n.module?.forward ? n.module.forward() : n.items;
      return { t: 'net', n: { ...sym, chain: [...sym.chain, ...chain] } };
    }
    if (n.type === 'loss') {
      // criterion(pred, y) on values (a script, a cost function): the loss itself
      if (arg && c.args[1] && !sym && arg.t !== 'opaque' && arg.t !== 'net') {
        const red = c.kw.get('reduction');
        return this.functionalLoss(TORCH_LOSS[n.key] ?? n.key, arg, c.args[1], red?.t === 'str' ? red.s : n.reduction ?? 'mean', at);
      }
      return { t: 'opaque', what: 'the loss value' };
    }
    throw this.err(at, 'this cannot be called');
  }

  private netMethod(n: NetObj, name: string, c: Call, at: X & { k: 'call' }): V {
    try {
      return this.netMethodOf(n, name, c, at);
    } catch (e) {
      // a model's compile/fit/add that cannot be read is that model's error, said when it is visualized
      if (n.type === 'model' && e instanceof UserError) (n.errors ??= []).push(e);
      throw e;
    }
  }

  private netMethodOf(n: NetObj, name: string, c: Call, at: X & { k: 'call' }): V {
    const a0 = c.args[0];
    if (n.type === 'sym') return this.applyToSym(name, n, at);
    if (n.type === 'param') {
      if (name === 'copy_') { this.setParam(n, a0, at); return { t: 'none' }; }
      if (name === 'fill_') { this.fillParam(n, this.numberArg(a0, at)); return { t: 'none' }; }
      if (name === 'zero_') { this.fillParam(n, 0); return { t: 'none' }; }
      return { t: 'none' };
    }
    if (n.type === 'layer') {
      if (name === 'set_weights') { this.setKerasWeights([n], a0, at); return { t: 'none' }; }
      // TF.js functional API: layer.apply(symbolicTensor)
      if (name === 'apply') return this.callNet(n, c, at);
      // a lone nn.Linear trained by itself (linear regression): it is the model
      if (name === 'parameters' && n.kind === 'dense' && n.framework === 'pytorch') {
        const named = this.layerNames.get(n);
        const model: Model = { type: 'model', framework: 'pytorch', items: [n], span: named?.stmt ?? n.span, notes: [] };
        if (named) this.register(model, named.name, named.stmt);
        this.layerNames.delete(n);
        return { t: 'net', n: model };
      }
      return { t: 'opaque', what: `${n.cls}.${name}()` };
    }
    if (n.type === 'model') {
      switch (name) {
        case 'add': {
          if (!a0 || a0.t !== 'net') throw this.err(at, 'add() needs a layer');
          if (a0.n.type === 'layer') n.items.push(a0.n);
          else if (a0.n.type === 'model') n.items.push(...a0.n.items);
          n.span = { start: n.span.start, end: Math.max(n.span.end, at.end) };
          return { t: 'none' };
        }
        case 'compile': {
          const cfg = a0 && a0.t === 'obj' ? a0.fields : c.kw;
          const opt = cfg.get('optimizer') ?? (a0 && a0.t !== 'obj' ? a0 : undefined);
          const loss = cfg.get('loss') ?? c.args[1];
          if (opt) n.optimizer = opt.t === 'str' ? this.net.optimizer(opt.s, [], new Map(), at, n.framework) : opt.t === 'net' && opt.n.type === 'optim' ? opt.n : undefined;
          if (opt && !n.optimizer) throw this.err(at, 'cannot read the optimizer');
          if (loss) {
            const key = loss.t === 'str' ? loss.s : loss.t === 'ns' ? loss.path.split('.').pop() ?? '' : loss.t === 'net' && loss.n.type === 'loss' ? loss.n.key : undefined;
            if (!key) throw this.err(at, 'cannot read the loss');
            n.loss = { type: 'loss', key, span: at, fromLogits: loss.t === 'net' && loss.n.type === 'loss' ? loss.n.fromLogits : undefined };
          }
          return { t: 'none' };
        }
        case 'fit': {
          const cfg = c.args[2] && c.args[2].t === 'obj' ? c.args[2].fields : c.kw;
          const num = (v: V | undefined): number | undefined => (v && isNum(v) ? v.e.value : undefined);
          const sh = cfg.get('shuffle');
          n.fit = { x: c.kw.get('x') ?? c.args[0], y: c.kw.get('y') ?? c.args[1], epochs: num(cfg.get('epochs')), batchSize: num(cfg.get('batch_size') ?? cfg.get('batchSize')), shuffle: sh?.t === 'bool' ? sh.b : undefined };
          return { t: 'none' };
        }
        case 'parameters': case 'named_parameters':
          return { t: 'net', n };
        case 'set_weights': {
          this.setKerasWeights(n.items.filter((l) => l.kind === 'dense'), a0, at);
          return { t: 'none' };
        }
        default:
          return { t: 'opaque', what: `model.${name}()` };
      }
    }
    return { t: 'none' };
  }

  /** Keras set_weights([W1, b1, W2, b2, …]) with W in (in × out). */
  private setKerasWeights(dense: Layer[], v: V | undefined, at: Span): void {
    if (!v || v.t !== 'arr') throw this.err(at, 'set_weights needs a list [W, b, …]');
    for (let k = 0; k < dense.length && 2 * k < v.items.length; k++) {
      const W = this.numbersOf(v.items[2 * k], at);
      if (!Array.isArray(W[0])) throw this.err(at, 'a kernel needs rows');
      const Wt = (W as number[][])[0].map((_, j) => (W as number[][]).map((r) => r[j]));
      dense[k].weight = Wt;
      const b = v.items[2 * k + 1];
      if (b) dense[k].bias = (this.numbersOf(b, at) as number[]).flat() as number[];
    }
  }

  private numberArg(v: V | undefined, at: Span): number {
    if (!v || !isNum(v)) throw this.err(at, 'expected a number written in the file');
    return v.e.value;
  }

  private reduceAxis(a: V & { t: 'arr' }, axis: number, _at: Span, f: (xs: V[]) => V): V {
    void _at;
    if (depthOf(a) !== 2) return f(flatten(a));
    if (axis === 0) return { t: 'arr', items: transpose(a).items.map((col) => f((col as V & { t: 'arr' }).items)) };
    return { t: 'arr', items: a.items.map((row) => f((row as V & { t: 'arr' }).items)) };
  }

  /** A data file beside the code as the host read it: text, or bytes (`.npy`); a message at the file name when there is none. */

}

/** For a message about a name that could not be read: the first failure behind it. */
const ROOT_CAUSE = new WeakMap<UserError, UserError>();

/** nn.MSELoss() and the others, called on values: the functional loss they compute. */
const TORCH_LOSS: Record<string, string> = {
  MSELoss: 'mse_loss', L1Loss: 'l1_loss', BCELoss: 'binary_cross_entropy', BCEWithLogitsLoss: 'binary_cross_entropy_with_logits', CrossEntropyLoss: 'cross_entropy', NLLLoss: 'nll_loss',
};

const SCALAR_METHODS = new Set(['relu', 'tanh', 'exp', 'log', 'sigmoid', 'sqrt', 'abs', 'sin', 'cos', 'square', 'item', 'detach', 'float', 'double', 'clone', 'pow', 'backward', 'data', 'grad', 'zero_']);
const BUILTINS = new Set(['super', 'sum', 'len', 'range', 'zip', 'enumerate', 'abs', 'min', 'max', 'float', 'int', 'list', 'tuple', 'pow', 'print', 'round', 'open', 'next']);
const TYPED_ARRAYS = new Set(['Float64Array', 'Float32Array', 'Array', 'Int32Array']);

/** `np.pi`, `math.e`, `Math.PI`, `Math.E`, `torch.pi`. */
function namedConstant(ns: string, name: string): { value: number; name: string } | undefined {
  if (!['np', 'math', 'torch', 'Math'].includes(ns)) return undefined;
  if (name === 'pi' || name === 'PI') return { value: Math.PI, name: 'pi' };
  if (name === 'e' || name === 'E') return { value: Math.E, name: 'e' };
  return undefined;
}

/** Whether statements call `.name(…)` anywhere (a training loop calls .backward()). */
export function callsMethod(body: S[], name: string): boolean {
  let found = false;
  const visitX = (x: X): void => {
    if (found) return;
    if (x.k === 'call') {
      if (x.fn.k === 'attr' && x.fn.name === name) { found = true; return; }
      visitX(x.fn); x.args.forEach(visitX);
    } else if (x.k === 'attr') visitX(x.obj);
    else if (x.k === 'bin') { visitX(x.l); visitX(x.r); }
  };
  const visitS = (st: S): void => {
    if (st.k === 'expr') visitX(st.x);
    else if (st.k === 'assign') visitX(st.value);
    else if (st.k === 'for' || st.k === 'with' || st.k === 'cfor') st.body.forEach(visitS);
  };
  body.forEach(visitS);
  return found;
}

function opOf(op: string): string {
  if (op === '**') return '^';
  return op;
}


function neg(e: Expr, at: Span): Expr {
  if (e.kind === 'num' && !e.name) return num(-e.value, at);
  return { kind: 'neg', arg: e, start: at.start, end: at.end };
}

function call(fn: UnaryFunction, arg: Expr, at: Span): Expr {
  return { kind: 'call', fn, arg, start: at.start, end: at.end };
}

function evalUnary(fn: UnaryFunction, x: number): number {
  switch (fn) {
    case 'sigmoid': return 1 / (1 + Math.exp(-x));
    case 'relu': return Math.max(0, x);
    case 'softplus': return Math.log1p(Math.exp(x));
    case 'square': return x * x;
    case 'log': return Math.log(x);
    default: return (Math as unknown as Record<string, (v: number) => number>)[fn](x);
  }
}

/** Whether an expression depends on a parameter (stops at the first one). */
export function hasParam(e: Expr): boolean {
  let found = false;
  walkNodes(e, (x) => (found = x.kind === 'param'));
  return found;
}

export function lookup(env: Env, name: string): V | undefined {
  for (let e: Env | undefined = env; e; e = e.parent) {
    const v = e.vars.get(name);
    if (v !== undefined) return v;
  }
  return undefined;
}

function setVar(env: Env, name: string, v: V): void {
  env.vars.set(name, v);
}

/** Names a weight or bias goes by in a hand-written forward pass: w, w1, w_1, W2, b_o, theta0, weight_h, bias2 (not beta, width). */
export const WEIGHT_NAME = /^(?:[wWbB]|theta|weight|bias)(?:_?\d+[a-z]?\d*|_[A-Za-z]\w*)?$/;

/** A number written as such: 0.15, -0.3. */
function literalNumber(x: X): boolean {
  return x.k === 'num' || (x.k === 'un' && (x.op === '-' || x.op === '+') && x.a.k === 'num');
}

/** `w1, w2 = 0.15, 0.2` in a plain-number forward pass: each weight given as a number becomes a parameter (a leaf, as Value(0.15) is). */
function plainLeaves(target: X, x: X, v: V): V {
  if (target.k === 'name') return WEIGHT_NAME.test(target.name) && literalNumber(x) && isNum(v) ? { t: 'leaf', value: v } : v;
  if (target.k === 'list' && x.k === 'list' && v.t === 'arr' && target.items.length === x.items.length && v.items.length === x.items.length) {
    return { ...v, items: v.items.map((item, i) => plainLeaves(target.items[i], x.items[i], item)) };
  }
  return v;
}

export function assignedNames(st: S): string[] {
  const out: string[] = [];
  const walk = (x: X): void => {
    if (x.k === 'name') out.push(x.name);
    else if (x.k === 'list') x.items.forEach(walk);
  };
  if (st.k === 'assign') walk(st.target);
  if (st.k === 'def' || st.k === 'class') out.push(st.name);
  if (st.k === 'for') walk(st.target);
  return out;
}

/** Names a block assigns or grows (`xs.append(…)`) inside its loops and with blocks. */
function filledNames(st: S): string[] {
  const out: string[] = [];
  const visit = (s: S): void => {
    if (s.k === 'for' || s.k === 'with' || s.k === 'cfor') {
      if (s.k === 'for') out.push(...assignedNames(s));
      (s.k === 'with' ? (s.targets ?? []) : []).forEach((t) => { if (t?.k === 'name') out.push(t.name); });
      s.body.forEach(visit);
    } else if (s.k === 'assign') out.push(...assignedNames(s));
    else if (s.k === 'expr' && s.x.k === 'call' && s.x.fn.k === 'attr' && ['append', 'extend', 'push'].includes(s.x.fn.name) && s.x.fn.obj.k === 'name') out.push(s.x.fn.obj.name);
  };
  if (st.k === 'for' || st.k === 'with' || st.k === 'cfor') visit(st);
  return out;
}
