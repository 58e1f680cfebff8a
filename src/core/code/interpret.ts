/**
 * Reads a program the way a learner's kernel would run it, without running
 * anything: numbers and arrays written in the file are known, parameters stay
 * symbols, loops over data are unrolled, helpers are inlined. The result of a
 * function is one expression tree over its parameters, in the closed
 * vocabulary of expr/ast.ts. Unknown calls are never executed; they get a
 * located message naming what was written.
 */
import { Expr, UnaryFunction, walkNodes } from '../expr/ast';
import type { DataTag } from './fit';
import { FUNCTIONS, METHODS, MODULE_ALIASES, functionNames, moduleConstant } from '../expr/vocabulary';
import { LineIndex, UserError } from '../errors';
import { S, Span, X, dotted, isName } from './ir';
import { Call, Env, FileReader, MAX_ITERATIONS, MAX_OPERATIONS, Syntax, V, isNum, num, superOf } from './values';
import { indexPacked, lengthOf, packedLiteral, packedOf, packedShape, setTag } from './packed';
import { describe, flatten, frameMatrix, shapeOf, shapeText, squeeze, transpose } from './arrays';
import { LossObj, Model, NetworkLibrary, Optim } from './networks';
import { Role, assignedNames, callsMethod, filledNames, namesIn, plainLeaves } from './statements';
import { Arithmetic, neg, opOf } from './arithmetic';
import { Library, TF_OPS, TF_READS, TYPED_ARRAYS } from './library';
import { Frameworks } from './frameworks';

export type { Syntax } from './values';

export interface LocalRecord { name: string; expr: Expr; stmt: Span; nameSpan: Span }

class Return { constructor(readonly value: V) {} }

const PY_ALIASES: Record<string, string> = {
  ...MODULE_ALIASES, 'torch.nn': 'nn', pandas: 'pd', micrograd: 'micrograd', 'micrograd.engine': 'micrograd', 'micrograd.nn': 'micrograd',
};

/** The most numbers a helper called at module level on data alone is run over (feature scaling of a course lab's table; a 100,000-row file stays packed). */
const DATA_TRANSFORM_NUMBERS = 20_000;
/** …and the most operations it may take there: a vectorised scaling takes a few dozen, a loop over rows about ten a row (so one over more than ~200 rows is left unrun), and a helper that trains is stopped early (its numbers fold into ever longer expressions: minutes, not milliseconds) */
const DATA_TRANSFORM_OPERATIONS = 2_000;

/** Python packages that are libraries: never looked for as a module beside the file. */
const LIBRARIES = new Set(['numpy', 'math', 'cmath', 'torch', 'jax', 'autograd', 'scipy', 'pandas', 'micrograd', 'tensorflow', 'keras', 'sklearn',
  'matplotlib', 'seaborn', 'plotly', 'random', 'os', 'sys', 'json', 'time', 'typing', 'dataclasses', 'collections', 'itertools', 'functools', 'csv',
  'copy', 'tqdm', 'IPython', 'pathlib', 're', '__future__', 'warnings', 'statistics', 'operator', 'abc', 'enum', 'pickle', 'logging', 'argparse',
  'torchvision', 'PIL', 'graphviz', 'ipywidgets', 'sympy']);

/**
 * Helpers whose meaning is the same in every course: read as the standard
 * function when their module is not beside the file (the library's name for
 * it in Python and in JavaScript), with a note saying so.
 */
const UNIVERSAL: Record<string, { op: UnaryFunction; python: string; js: string; means: string }> = {
  sigmoid: { op: 'sigmoid', python: 'special.expit', js: 'tf.sigmoid', means: 'σ(z) = 1/(1 + e⁻ᶻ)' },
  relu: { op: 'relu', python: 'F.relu', js: 'tf.relu', means: 'max(0, z)' },
  tanh: { op: 'tanh', python: 'np.tanh', js: 'Math.tanh', means: 'tanh(z)' },
  softplus: { op: 'softplus', python: 'F.softplus', js: 'tf.softplus', means: 'log(1 + eᶻ)' },
};

/**
 * The files a module beside the file is looked for in, first found wins:
 * Python's `lab_utils.common` is lab_utils/common.py; JavaScript's relative
 * `./helpers` is helpers.ts or helpers.js (as TypeScript and bundlers resolve
 * it), `./helpers.js` that file. Undefined for a library (numpy, `@tensorflow/tfjs`).
 */
export function moduleFiles(module: string, syntax: Syntax): string[] | undefined {
  if (syntax === 'python') return module && !LIBRARIES.has(module.split('.')[0]) && !PY_ALIASES[module] ? [`${module.replace(/\./g, '/')}.py`] : undefined;
  if (!/^\.\.?\//.test(module)) return undefined;
  const path = module.replace(/^\.\//, '');
  return /\.[cm]?[jt]s$/.test(path) ? [path] : [`${path}.ts`, `${path}.js`];
}

/** A module beside the file as run: the names it gives, and the file they were read from. */
export interface LoadedModule { file: string; names: Map<string, V> }

/** A module beside the file: what it gives, undefined when it is not there, or why it cannot be read (now). */
export type ModuleLoader = (module: string) => LoadedModule | undefined | { message: string };

export class Interpreter extends Arithmetic {
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
  /** in a script (micrograd Values, requires_grad tensors): module-level assignments that could not be read */
  readonly failedScripts: Array<{ name: string; stmt: Span; err: UserError }> = [];
  scriptMode = false;
  /** a forward pass written over plain numbers (no def, no Value): module-level weights and biases given as numbers are the parameters */
  plainWeights = false;
  /** the user's choice of parameters and held numbers in such a forward pass (name → role) */
  roles: Record<string, Role> = {};
  /** the module-level names such a forward pass gives a written number, in order: what the user may move between parameter and held */
  readonly plainNumbers = new Set<string>();
  /** module-level print(…) / console.log(…) calls, not run, each with the names as they were then: the cursor on one reads its formula (program.ts) */
  readonly prints: Array<{ call: X & { k: 'call' }; stmt: Span; env: Env }> = [];
  /** module-level statements that build a model but could not be read: their message is the model's */
  readonly failedModels: Array<{ stmt: Span; err: UserError }> = [];
  readonly net: NetworkLibrary;
  /** numpy/math/torch/Math functions and data files */
  readonly library: Library;
  /** layers, models, losses, optimizers and the file's classes */
  readonly frameworks: Frameworks;
  private iterations = 0;
  private depth = 0;
  tracking = false;
  moduleLevel = true;

  /** reads `from helpers import f` / `import helpers` from helpers.py beside the file (set by the program reader) */
  loadModule: ModuleLoader | undefined;
  /** the module beside the file whose statements run now (its functions remember it) */
  module: string | undefined;
  /** the operations this reading may take (lowered while a helper runs on data at module level) */
  private opsCeiling = MAX_OPERATIONS;
  /** the libraries the file imports, by the interpreter's name for each (np, torch, tf): what a method means can depend on them */
  readonly imported = new Set<string>();
  /** helpers of modules not beside the file read as the standard function, by the op they became: the note each definition using one carries */
  readonly assumed = new Map<UnaryFunction, string>();
  /** modules imported but not beside the file, by the name they were imported as, with the files looked for: for the messages */
  readonly missingModules = new Map<string, { module: string; files: string }>();
  /** true while another cell of a notebook runs: nothing it makes becomes one of this document's definitions */
  private outside = false;
  /** where another cell's statements count as being, relative to this document (before it: −1, after it: past its end) */
  private outsideAt = 0;

  constructor(
    readonly syntax: Syntax,
    lines: LineIndex,
    readonly readFile: FileReader | undefined,
  ) {
    super(lines);
    this.net = new NetworkLibrary(lines, syntax);
    this.library = new Library(this);
    this.frameworks = new Frameworks(this);
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
        if (!this.outside && x.k === 'call' && this.isPrint(x, env)) this.prints.push({ call: x, stmt: st, env: { vars: new Map(env.vars), parent: env.parent } });
        // method calls build models (model.add, model.compile, layer.weight.copy_); other calls are not run
        // next(reader) takes a header row off a csv.reader
        if (x.k === 'call' && (x.fn.k === 'attr' || (x.fn.k === 'name' && x.fn.name === 'next' && lookup(env, 'next') === undefined))) this.statement(st, env);
        return;
      }
      case 'assign':
        // (a script computes its values through the file's helpers: h = sigmoid(z) is part of its forward pass)
        if (!this.scriptMode && st.value.k === 'call' && st.value.fn.k === 'name' && env.vars.get(st.value.fn.name)?.t === 'fn') {
          // a helper applied to data alone (X_norm, mu, sigma = zscore_normalize_features(X_train)) is run: what it
          // returns is data. Other calls (a cost at a start, a training run) are not: their results are not needed
          if (this.onDataAlone(st.value, env)) {
            // within a small budget of its own: a helper that trains (theta = train(X, y)) is left unrun, not waited for
            const ceiling = this.opsCeiling;
            this.opsCeiling = Math.min(ceiling, this.ops + DATA_TRANSFORM_OPERATIONS);
            try {
              this.exec([st], env);
              return;
            } catch (e) {
              if (!(e instanceof UserError)) throw e;
            } finally {
              this.opsCeiling = ceiling;
            }
          }
          for (const n of assignedNames(st)) env.vars.set(n, { t: 'opaque', what: `the result of ${st.value.fn.name}()` });
          return;
        }
        this.exec([st], env);
        return;
      case 'with':
        this.withTargets(st, env);
        this.runModule(st.body, env);
        return;
      case 'cfor':
        // a module-level while loop (a training loop until a tolerance, input handling) is not run: its end is not known
        if (!st.while) this.exec([st], env);
        return;
      // a branch at module level (if __name__ == "__main__":, a flag) is not run, as the calls in it are not
      case 'if': case 'bad':
        return;
      default:
        this.exec([st], env);
    }
  }

  /** print(…) in Python, console.log(…) in JavaScript (when the file does not define its own). */
  private isPrint(x: X & { k: 'call' }, env: Env): boolean {
    return this.syntax === 'python' ? isName(x.fn, 'print') && !lookup(env, 'print') : dotted(x.fn) === 'console.log' && !lookup(env, 'console');
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
          // (optimizer.minimize(() => …) is a descent step: program.ts reads its closure as the cost)
          if (['print', 'console.log', 'backward', 'zero_grad', 'step', 'minimize', 'append', 'plot', 'show', 'assert', 'log'].includes(last) || name === 'print') return;
          if (/^(plt|console|logging|display|assert)\b/.test(name)) return;
          // x.requires_grad_(): x becomes a parameter from here on
          if (x.fn.k === 'attr' && x.fn.name === 'requires_grad_' && x.fn.obj.k === 'name') {
            const on = x.args[0] ? this.eval(x.args[0], env) : undefined;
            if (!on || (on.t === 'bool' && on.b)) this.requireGrad(x.fn.obj, env, st);
            return;
          }
          // TensorFlow's tape.watch(x): the constant x is differentiated from here on, as requires_grad_() makes a tensor
          const arg = x.args[0];
          if (x.fn.k === 'attr' && x.fn.name === 'watch' && arg?.k === 'name') {
            const tape = this.eval(x.fn.obj, env);
            if (tape.t === 'opaque' && tape.what === 'tf.GradientTape()') {
              this.requireGrad(arg, env, st);
              return;
            }
          }
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
            if (st.while) this.whileOverData(st, st.test, env);
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
      case 'if':
        // module-level code (a training loop's `if i % 100 == 0:`) is not run through a branch: it stops there, as it always has
        if (this.moduleLevel) throw this.err(st, 'a branch (if statement) is not supported here: branches are not supported outside a function of the parameters');
        // in a function: a condition known from data and constants picks its branch (if m == 0: return 0,
        // if y[i] == 1: …); one on a parameter is a branch of the function itself, not differentiable
        const on = this.parameterIn(st.test, env);
        if (on) {
          throw this.err(st, `a branch (if statement) on a parameter ('${on}') is not supported: branches are not supported in a differentiable function (${this.syntax === 'js' ? 'Math.abs and Math.max(0, z)' : 'relu and abs'} cover the usual kinks); a condition on the data or a constant is fine`);
        }
        this.exec(this.truth(this.eval(st.test, env), st.test) ? st.body : st.orelse, env);
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
    const files = this.loadModule ? moduleFiles(st.module, this.syntax) : undefined;
    if (files && this.loadModule) {
      const local = this.loadModule(st.module);
      if (local && !('message' in local)) {
        if (st.alias) env.vars.set(st.alias, { t: 'obj', fields: local.names });
        for (const n of st.names ?? []) {
          const v = local.names.get(n.name);
          env.vars.set(n.alias, !v ? { t: 'err', err: this.err(st, `'${n.name}' is not defined at the top level of ${local.file}`) }
            : v.t === 'err' ? { t: 'err', err: this.err(st, `in ${local.file}, '${n.name}': ${v.err.message}`) } : v);
        }
        return;
      }
      if (local) {
        // there, but not readable (yet): what it gives is unusable, with the reason
        const err = this.err(st, `the module ${local.message}`);
        if (st.alias) env.vars.set(st.alias, { t: 'err', err });
        for (const n of st.names ?? []) env.vars.set(n.alias, { t: 'err', err });
        return;
      }
      // not beside the file: a universal helper is the standard function; anything else says which module is missing
      const missing = files.join(' or ');
      const root = this.syntax === 'python' ? st.module : (files[0].split('/').pop() ?? '').replace(/\.[cm]?[jt]s$/, '');
      for (const n of st.names ?? []) {
        const standard = Object.hasOwn(UNIVERSAL, n.name) ? UNIVERSAL[n.name] : undefined;
        if (standard) {
          env.vars.set(n.alias, { t: 'ns', path: this.syntax === 'python' ? standard.python : standard.js });
          this.assumed.set(standard.op, `${n.alias} is read as the standard ${standard.means}: ${missing} is not beside this file`);
        } else {
          this.missingModules.set(`${root}.${n.name}`, { module: st.module, files: missing });
          env.vars.set(n.alias, { t: 'ns', path: `${root}.${n.name}` });
        }
      }
      if (st.alias) {
        this.missingModules.set(st.alias, { module: st.module, files: missing });
        env.vars.set(st.alias, { t: 'ns', path: st.alias });
      }
      return;
    }
    const canon = (m: string): string => PY_ALIASES[m] ?? (m.startsWith('@tensorflow/tfjs') ? 'tf' : m);
    this.imported.add(canon(st.module).split('.')[0]);
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
    if (this.plainWeights && this.moduleLevel && !this.outside && !st.op) value = plainLeaves(st.target, st.value, value, this.roles, this.plainNumbers);
    if (st.op) {
      const prev = this.eval(st.target, env);
      value = this.binary(opOf(st.op), prev, value, st);
    }
    // x.requires_grad = True on a tensor made earlier (torch.Tensor([2.0]).double()): x is a parameter from here on
    if (st.target.k === 'attr' && st.target.name === 'requires_grad' && st.target.obj.k === 'name' && !st.op) {
      if (value.t === 'bool' && value.b) this.requireGrad(st.target.obj, env, st);
      return;
    }
    if (st.target.k === 'attr') {
      const o = this.eval(st.target.obj, env);
      if (o.t === 'net') {
        this.frameworks.setNetAttr(o.n, st.target.name, value, st.target);
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

  /** Whether a call's arguments are all arrays of numbers, of at most DATA_TRANSFORM_NUMBERS in all (a transform of data, cheap to run). */
  private onDataAlone(x: X & { k: 'call' }, env: Env): boolean {
    if (x.args.length === 0 || x.kw.length > 0) return false;
    let numbers = 0;
    for (const a of x.args) {
      let v: V;
      try {
        v = this.eval(a, env);
      } catch (e) {
        if (e instanceof UserError) return false;
        throw e;
      }
      if (v.t !== 'arr' || packedOf(v)) return false;
      const flat = flatten(v);
      numbers += flat.length;
      if (numbers > DATA_TRANSFORM_NUMBERS || !flat.every(isNum)) return false;
    }
    return true;
  }

  /** A while loop runs as many times as its data says, never as many as a parameter's value would: the cost would not be one expression. */
  private whileOverData(st: Span, test: X, env: Env): void {
    const name = this.parameterIn(test, env);
    if (name) throw this.err(st, `a while loop is not supported when its condition depends on a parameter ('${name}'): the number of iterations must be known from the data, as in ${this.syntax === 'js' ? 'while (i < xs.length)' : "'while i < len(xs):'"}`);
  }

  /** The first name a condition reads whose value depends on a parameter (then it is a branch, not a choice the data makes). */
  private parameterIn(test: X, env: Env): string | undefined {
    const names = new Set<string>();
    namesIn(test, names);
    for (const name of names) {
      const v = lookup(env, name);
      if (v && (v.t === 's' || v.t === 'leaf' || v.t === 'arr') && flatten(v).some((x) => x.t === 's' && hasParam(x.e))) return name;
    }
    return undefined;
  }

  /** A tensor's requires_grad set after it was made: its name is rebound to a leaf, as requires_grad=True would have made it. */
  private requireGrad(target: X & { k: 'name' }, env: Env, st: Span): void {
    const v = this.eval(target, env);
    if (v.t === 'leaf' || (v.t === 's' && v.e.kind === 'param')) return;
    if (!flatten(v).every(isNum)) throw this.err(target, `'${target.name}' must hold numbers written in the file to become a parameter`);
    for (let e: Env | undefined = env; e; e = e.parent) {
      if (e.vars.has(target.name)) {
        this.bind(target, { t: 'leaf', value: v }, e, st);
        return;
      }
    }
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
      // a one-element tensor is one number to backward() (y = x ** 3 over x = torch.tensor([2.0]))
      const one = v.t === 'arr' && !packedOf(v) ? flatten(v) : [v];
      if (st && this.moduleLevel && !this.outside && one.length === 1 && one[0].t === 's' && hasParam(one[0].e)) {
        this.uncancelledShift(one[0].e);
        this.scriptValues.push({ name: target.name, e: one[0].e, stmt: st, nameSpan: target });
      } else if (st && this.moduleLevel && !this.outside && this.scriptMode && v.t === 'arr' && flatten(v).some((x) => x.t === 's' && hasParam(x.e))) {
        this.failedScripts.push({ name: target.name, stmt: st, err: this.err(target, `'${target.name}' holds ${describe(v)}, not one number: reduce it (sum, mean) to visualize its gradient`) });
      }
      if (this.moduleLevel && v.t === 'arr') this.tagData(target.name, v);
      if (st && this.moduleLevel && v.t === 'obj' && v.fields.has('__loader')) this.loaders.push({ loader: v, stmt: this.outside ? { start: this.outsideAt, end: this.outsideAt } : st });
      if (st && this.moduleLevel && v.t === 'net') {
        if (!this.outside && v.n.type === 'layer') this.frameworks.layerNames.set(v.n, { name: target.name, stmt: st });
        if (!this.outside) this.frameworks.register(v.n, target.name, st);
        else if (v.n.type !== 'model') this.frameworks.register(v.n, target.name, { start: this.outsideAt, end: this.outsideAt });
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
  /** when each data number was last named by tagData, in the order of the tagData calls */
  private readonly tagOrder = new Map<Expr, number>();
  private tagCount = 0;

  tagData(name: string, v: V & { t: 'arr' }): void {
    const packed = packedOf(v);
    const shape = packed ? packedShape(packed) : undefined;
    const width = shape ? (shape[1] ?? 0) : v.items.length && v.items[0].t === 'arr' ? v.items[0].items.length : 0;
    // the latest naming wins (x_train = data[:, 0] over data, the argument x over x_train), whenever a packed row happens to be built
    const order = ++this.tagCount;
    this.dataArrays.set(name, v);
    const set = (e: Expr, tag: DataTag): void => {
      if ((this.tagOrder.get(e) ?? 0) > order) return;
      this.tagOrder.set(e, order);
      this.dataTags.set(e, tag);
    };
    const tag = (item: V, i: number): void => {
      if (item.t === 's' && item.e.kind === 'num') set(item.e, { name, index: i });
      else if (item.t === 'arr') {
        item.items.forEach((c, j) => {
          if (c.t !== 's' || c.e.kind !== 'num') return;
          if (width === 1) set(c.e, { name, index: i });
          else if (width === 2) set(c.e, { name: `${name}[:, ${j}]`, index: i });
          else set(c.e, { name, index: i, column: j });
        });
      } else if (item.t === 'obj') {
        for (const [k, f] of item.fields) if (f.t === 's' && f.e.kind === 'num') set(f.e, { name: `${name}.${k}`, index: i });
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
    // the outermost call's result: a softmax shift must have cancelled by now, or not change it
    if (this.depth !== 0 || this.shifts.size === 0) return v;
    const clean = (x: V): V => (x.t === 's' ? { t: 's', e: this.withoutShifts(x.e) } : x.t === 'arr' && !packedOf(x) ? { ...x, items: x.items.map(clean) } : x);
    return clean(v);
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
      // a method's super() starts from the class that defines it, bound to its first argument (Python's __class__ cell)
      const self = f.owner && f.params[0] ? env.vars.get(f.params[0].name) : undefined;
      if (f.owner && self) env.vars.set('super', { t: 'super', of: f.owner, self });
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
    if (++this.ops > this.opsCeiling) throw this.err(x, `the computation takes more than ${MAX_OPERATIONS.toLocaleString('en-US')} operations; use a smaller data set to visualize`);
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
          const constant = dot > 0 ? moduleConstant(v.path.slice(0, dot), v.path.slice(dot + 1)) : undefined;
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
    if (FUNCTIONS.has(n)) return { t: 'ns', path: `builtin.${n}` };
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

  // ---------------------------------------------------------------- attributes, indexing, calls

  private attribute(o: V, name: string, at: X & { k: 'attr' }): V {
    if (o.t === 'net') return this.frameworks.netAttr(o.n, name, at);
    if (o.t === 'opaque' && (o.what === 'super()' || o.what === 'tf.GradientTape()')) return { t: 'method', self: o, name };
    if (o.t === 'super') {
      // the first base of the file's that has it (its own bases included), bound to the instance; else the framework's (nn.Module.__init__: nothing to read)
      for (const b of o.of.bases) {
        const f = b.t === 'class' ? this.frameworks.methodsOf(b).get(name) : undefined;
        if (f) return { ...f, self: o.self };
      }
      return { t: 'method', self: { t: 'opaque', what: 'super()' }, name };
    }
    if (name.startsWith('__') || name === 'constructor' || name === 'prototype') throw this.err(at, `unknown name '${dotted(at) ?? name}'`);
    if (o.t === 'ns') {
      const constant = moduleConstant(o.path, name);
      if (constant) return { t: 's', e: { kind: 'num', value: constant.value, name: constant.name, start: at.start, end: at.end } };
      return { t: 'ns', path: `${o.path}.${name}` };
    }
    if (o.t === 'obj') {
      const f = o.fields.get(name);
      if (f) return f;
      const m = o.cls ? this.frameworks.boundMethod(o.cls, name, o) : undefined;
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
      // micrograd's v.data (in JavaScript, t.data() reads a tensor out)
      if (name === 'data' && this.syntax === 'python') {
        if (o.t === 's' && o.e.kind === 'num') return o;
      }
      if (!SCALAR_METHODS.has(name) && !(this.syntax === 'js' && (TF_OPS.has(name) || TF_READS.has(name)))) throw this.err(at, `unknown name '${dotted(at) ?? name}': a number has no attribute '${name}'`);
      return { t: 'method', self: o, name };
    }
    if (o.t === 'opaque') throw this.err(at, `cannot read '${name}' of ${o.what}`);
    if (o.t === 'class') {
      // Model.loss(w): a static method (or a method given its instance explicitly)
      const m = this.frameworks.boundMethod(o, name);
      if (m) return m;
    }
    throw this.err(at, `${describe(o)} has no attribute '${name}'`);
  }

  index(o: V, idx: Array<V | (X & { k: 'slice' })>, at: Span, env: Env): V {
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
      return this.library.stack(o.path.endsWith('c_') ? 'c_' : 'concatenate', parts, 0, at);
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
    const picked = this.item(o, first, at);
    return rest.length ? this.index(picked, rest, at, env) : picked;
  }

  /** o[k] for one index k; inside a cost, a class label of the data (p[y[i]]) selects through its indicators (selectByLabel). */
  private item(o: V & { t: 'arr' }, k: V, at: Span): V {
    const tag = !this.moduleLevel && isNum(k) ? this.dataTags.get(k.e) : undefined;
    const selected = tag && isNum(k) ? this.selectByLabel(o, k.e, tag, at) : undefined;
    if (selected) return selected;
    const i = this.intOf(k, at);
    const j = i < 0 ? o.items.length + i : i;
    if (j < 0 || j >= o.items.length) throw this.err(at, `index ${i} is out of range: the array has ${o.items.length} elements`);
    return o.items[j];
  }

  /**
   * numpy's indexing by arrays: a[[2, 0]] picks rows; a[mask] keeps the rows where a boolean mask is true;
   * p[np.arange(m), y] picks p[i, y[i]] for each i (the labelled class of each sample).
   */
  private fancyIndex(o: V & { t: 'arr' }, first: V & { t: 'arr' }, rest: Array<V | (X & { k: 'slice' })>, at: Span, env: Env): V {
    const pick = (k: V): V => this.item(o, k, at);
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

  private call(x: X & { k: 'call' }, env: Env): V {
    // const tf = require('@tensorflow/tfjs'), as its import reads
    const required = this.syntax === 'js' && isName(x.fn, 'require') && !lookup(env, 'require') && x.args[0]?.k === 'str' ? x.args[0].v : undefined;
    if (required?.startsWith('@tensorflow/tfjs')) return { t: 'ns', path: 'tf' };
    // const { sigmoid } = require('./helpers'): the module beside the file, as its import reads
    const files = required !== undefined ? moduleFiles(required, 'js') : undefined;
    if (files) {
      const local = this.loadModule?.(required as string);
      if (local && !('message' in local)) return { t: 'obj', fields: local.names };
      throw this.err(x.args[0], local ? `the module ${local.message}` : `the module ${required} is not beside this file (looked for ${files.join(' or ')}): put it there (it is read, never run) or define what it gives in this file`);
    }
    if (x.fn.k === 'name' && lookup(env, x.fn.name) === undefined && !BUILTINS.has(x.fn.name) && !FUNCTIONS.has(x.fn.name) && !(this.syntax === 'js' && TYPED_ARRAYS.has(x.fn.name))) {
      throw this.err(x.fn, `unknown function '${x.fn.name}': not differentiable here (define it in this file, or use ${functionNames()})`);
    }
    const f = this.eval(x.fn, env);
    const c = this.callArgs(x, env);
    if (f.t === 'fn') return this.callFunction(f, c, x);
    if (f.t === 'net') return this.frameworks.callNet(f.n, c, x);
    if (f.t === 'class') return this.frameworks.instantiate(f, c, x);
    if (f.t === 'ns') return this.library.builtin(f.path, c, x);
    if (f.t === 'method') return this.method(f.self, f.name, c, x);
    if (f.t === 'super') return superOf(c) ?? f;
    if (f.t === 'opaque') throw this.err(x.fn, `cannot call ${f.what}`);
    throw this.err(x.fn, `${describe(f)} is not a function`);
  }

  private method(self: V, name: string, c: Call, at: X & { k: 'call' }): V {
    const arg0 = c.args[0];
    if (self.t === 'net') return this.frameworks.netMethod(self.n, name, c, at);
    // TensorFlow.js op chains (pred.sub(label).square().mean()): tf's functions of the tensor
    if (this.syntax === 'js' && TF_OPS.has(name) && (self.t === 'arr' || self.t === 's' || self.t === 'leaf')) return this.library.builtin(`tf.${name}`, { args: [self, ...c.args], kw: c.kw, at }, at);
    if (this.syntax === 'js' && TF_READS.has(name) && (self.t === 'arr' || self.t === 's' || self.t === 'leaf')) {
      const v = self.t === 'leaf' ? this.anonymousLeaf(self, at) : self;
      // dataSync() and data() give the numbers flat, in the typed array they return (a scalar's is [v]); arraySync() as nested as the tensor
      return name === 'dataSync' || name === 'data' ? { t: 'arr', items: flatten(v) } : v;
    }
    // torch.ones(2).requires_grad_(): a tensor of numbers becomes a parameter, as requires_grad=True makes it
    if (name === 'requires_grad_' && (self.t === 'arr' || isNum(self)) && flatten(self).every(isNum) && !(arg0?.t === 'bool' && !arg0.b)) return { t: 'leaf', value: self };
    if (self.t === 'opaque' && self.what === 'super()') return { t: 'none' };
    // TensorFlow's tape.gradient(loss, [w, b]): the partials the reader computes itself (the script's lens sits on this line)
    if (self.t === 'opaque' && self.what === 'tf.GradientTape()' && (name === 'gradient' || name === 'watch')) return name === 'watch' ? { t: 'none' } : { t: 'opaque', what: 'tape.gradient(…)' };
    if (self.t === 's' || self.t === 'leaf') {
      // micrograd Value and torch tensor methods
      const s = self.t === 'leaf' ? this.anonymousLeaf(self, at) : self;
      if (METHODS.has(name)) return this.applyFn(name, s, at);
      if (name === 'item' || name === 'detach' || name === 'float' || name === 'double' || name === 'clone' || name === 'numpy') return s;
      if (name === 'clip' || name === 'clamp') return this.library.clip(s, c.kw.get('min') ?? arg0, c.kw.get('max') ?? c.args[1], at);
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
      if (name === 'sum' || name === 'mean') return this.library.builtin(`np.${name}`, { ...c, args: [self, ...c.args] }, at);
      if ((name === 'std' || name === 'var') && this.syntax === 'python') {
        // x.std() divides by n on a NumPy array and by n − 1 on a torch tensor: the file's imports say which, or the call does
        const said = c.kw.has('ddof') || c.kw.has('unbiased') || c.kw.has('correction');
        if (!said && this.imported.has('np') && this.imported.has('torch')) {
          throw this.err(at.fn, `'.${name}()' divides by n on a NumPy array and by n − 1 on a torch tensor, and this file imports both: write np.${name}(…) or torch.${name}(…), or give ddof= / unbiased=`);
        }
        return this.library.spread(name, this.imported.has('torch') && !this.imported.has('np') ? 'torch' : 'np', self, { ...c, args: [self, ...c.args] }, at);
      }
      if (name === 'max' || name === 'min') return this.library.extremum(name, self, c.kw.get('axis') ?? c.kw.get('dim') ?? arg0, c.kw.get('keepdims') ?? c.kw.get('keepdim'), at);
      if (name === 'reshape' || name === 'flatten' || name === 'float' || name === 'double' || name === 'to_numpy' || name === 'numpy' || name === 'tolist' || name === 'copy' || name === 'astype' || name === 'detach') {
        if (name === 'flatten' || (name === 'reshape' && c.args.length === 1 && isNum(c.args[0]) && c.args[0].e.value === -1)) return { t: 'arr', items: flatten(self) };
        if (name === 'reshape') return this.library.reshape(self, c.args, at);
        return self;
      }
      if (name === 'dot') return this.matmul(self, arg0, at);
      if (name === 'clip' || name === 'clamp') return this.library.clip(self, c.kw.get('min') ?? c.kw.get('a_min') ?? arg0, c.kw.get('max') ?? c.kw.get('a_max') ?? c.args[1], at);
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

}

/** For a message about a name that could not be read: the first failure behind it. */
const ROOT_CAUSE = new WeakMap<UserError, UserError>();

const SCALAR_METHODS = new Set([...METHODS, 'item', 'detach', 'float', 'double', 'clone', 'pow', 'backward', 'data', 'grad', 'zero_']);
const BUILTINS = new Set(['super', 'sum', 'len', 'range', 'zip', 'enumerate', 'abs', 'min', 'max', 'float', 'int', 'list', 'tuple', 'pow', 'print', 'round', 'open', 'next']);

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
