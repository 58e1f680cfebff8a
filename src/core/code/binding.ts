/**
 * Where a function over data gets its data, read as a person would: a call
 * anywhere in the file or notebook (inside another function, a loop, an `if
 * __name__ == "__main__":` block, `print(...)`, an f-string, `cost(...)[0]`),
 * else a module-level array named after the argument (`x` ↔ `x_train`), else
 * what the user chose (`--data x=x_train` or `x=house.csv:0`). Every binding
 * says why it was made, so a guess by name can be shown as one.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import type { LineIndex } from '../errors';
import type { DataBinding } from '../source/definition';
import { DescentHints, hintsOf } from '../hints';
import { Table, readDelimited, tableColumn } from './data';
import { npyRows, readNpy } from './npy';
import { lengthOf, packedArray, packedOf } from './packed';
import type { Interpreter, Syntax } from './interpret';
import type { FileReader } from './values';
import type { S, X } from './ir';
import { nested } from './statements';
import { pythonParser, javascriptParser } from './grammars';
import { pythonProgram } from './python';
import { javascriptProgram } from './javascript';
import { Env, V, isNum } from './values';

export type { DataBinding };

/** One call of the function somewhere in the program, its arguments read where the call is (undefined: not readable there). */
export interface CallSite {
  args: Array<V | undefined>; kw: Map<string, V | undefined>; texts: string[]; kwTexts: Map<string, string>;
  /** a call inside the function the cost is passed to: the rate and iterations that function's call gives it */
  trainedWith?: DescentHints;
}

/** A text of the program (this document, or another notebook cell) with its syntax tree and statements. */
export interface ProgramText { doc: string; tree: Tree; body: S[]; syntax: Syntax }

const FUNCTION_NODES = new Set(['FunctionDefinition', 'FunctionDeclaration', 'ArrowFunction', 'MethodDeclaration', 'FunctionExpression']);

/**
 * Every call `name(…)` in the texts, with its arguments evaluated in the
 * module's environment, or — for a call inside another function — after that
 * function's statements before the call (its local data: `x = np.array(…)`).
 * The function passed to another of the file's functions, as course labs pass
 * the cost to their `gradient_descent(x, y, w_in, b_in, alpha, iters,
 * compute_cost, …)`, is called there by its parameter's name:
 * `cost_function(x, y, w, b)` is read with that function's parameters bound to
 * the outer call's arguments (x ← x_train, w ← w_in ← w_init).
 * Nothing is run: the interpreter reads values, it calls nothing.
 */
export function callSites(name: string, texts: ProgramText[], interp: Interpreter, moduleEnv: Env, member = false): CallSite[] {
  const out: CallSite[] = [];
  // the name as an argument of a call (a JavaScript name may hold a $)
  const asArgument = new RegExp(`[(,=]\\s*${name.replace(/\$/g, '\\$')}\\s*[,)]`);
  for (const t of texts) {
    const calls: SyntaxNode[] = [];
    const passed: SyntaxNode[] = [];
    t.tree.iterate({
      enter: (n) => {
        if (n.name !== 'CallExpression') return;
        const callee = n.node.firstChild;
        if (!callee) return;
        if (callee.name === 'VariableName' && t.doc.slice(callee.from, callee.to) === name) calls.push(n.node);
        // a method or a function stored on an object: model.loss(…), Model.loss(…)
        else if (member && callee.name === 'MemberExpression' && callee.lastChild?.name === 'PropertyName' && t.doc.slice(callee.lastChild.from, callee.lastChild.to) === name) calls.push(n.node);
        // scipy.optimize calls it: minimize(cost, x0, args=(X, y))
        else if (OPTIMIZE.test(t.doc.slice(callee.from, callee.to)) && asArgument.test(t.doc.slice(n.from, n.to))) calls.push(n.node);
        // passed to another function, which calls it by its parameter's name
        else if (callee.name === 'VariableName' && asArgument.test(t.doc.slice(callee.to, n.to))) passed.push(n.node);
      },
    });
    const site = (node: SyntaxNode, x: X & { k: 'call' }, bound?: Map<string, V>, boundTexts?: Map<string, string>): CallSite => {
      const env = enclosingEnv(t, node, interp, moduleEnv, bound);
      const read = (a: X): V | undefined => {
        try {
          return interp.eval(a, env);
        } catch {
          return undefined;
        }
      };
      return {
        args: x.args.map((a) => (a.k === 'spread' ? undefined : read(a))),
        kw: new Map(x.kw.map((k) => [k.name, read(k.value)])),
        texts: x.args.map((a) => text(a)),
        kwTexts: new Map(x.kw.map((k) => [k.name, text(k.value)])),
      };
      // a parameter the outer call binds is said as that call wrote it (x ← x_train, not x ← x)
      function text(a: X): string {
        return (a.k === 'name' && boundTexts?.get(a.name)) || t.doc.slice(a.start, a.end);
      }
    };
    for (const node of calls) {
      const written = readCall(t, node);
      const x = written && (member && written.fn.k === 'attr' ? written : optimizeCall(written, name));
      if (x) out.push(site(node, x));
    }
    for (const node of passed) {
      const outer = readCall(t, node);
      const def = outer?.fn.k === 'name' ? topDef(t.body, outer.fn.name) : undefined;
      if (!outer || !def || !Array.isArray(def.body)) continue;
      // the parameter that receives the function, and what the call binds the others to
      const at = outer.args.findIndex((a) => a.k === 'name' && a.name === name);
      const param = at >= 0 ? def.params[at]?.name : outer.kw.find((k) => k.value.k === 'name' && k.value.name === name)?.name;
      if (!param || !def.params.some((q) => q.name === param && q.kind === 'plain')) continue;
      const given = site(node, outer);
      const bound = new Map<string, V>();
      const boundTexts = new Map<string, string>();
      def.params.forEach((q, i) => {
        if (q.kind !== 'plain') return;
        const v = given.kw.get(q.name) ?? given.args[i];
        if (v) bound.set(q.name, v);
        const said = given.kwTexts.get(q.name) ?? given.texts[i];
        if (said !== undefined) boundTexts.set(q.name, said);
      });
      const trainedWith = hintsOf([...bound].flatMap(([q, v]): Array<[string, number]> => (isNum(v) ? [[q, v.e.value]] : [])));
      t.tree.iterate({
        from: def.start,
        to: def.end,
        enter: (n) => {
          const callee = n.name === 'CallExpression' ? n.node.firstChild : null;
          if (!callee || callee.name !== 'VariableName' || t.doc.slice(callee.from, callee.to) !== param) return;
          const inner = readCall(t, n.node);
          if (inner) out.push({ ...site(n.node, inner, bound, boundTexts), trainedWith });
        },
      });
    }
  }
  return out;
}

/** The file's own function of that name at the top level. */
function topDef(body: S[], name: string): (S & { k: 'def' }) | undefined {
  return body.find((st): st is S & { k: 'def' } => st.k === 'def' && st.name === name);
}

/** scipy.optimize's minimizers, which call the function as f(x, *args). */
const OPTIMIZE = /(?:^|\.)(?:minimize|fmin|fmin_bfgs|fmin_cg|fmin_ncg|fmin_tnc|fmin_l_bfgs_b|fmin_powell|least_squares|check_grad|approx_fprime)$/;

/**
 * The call as the function receives it: a direct call as written; a
 * minimizer's call (`minimize(cost, x0, args=(X, y))`, `fmin_tnc(func=cost,
 * x0=theta, args=(X, y))`) as cost(x0, X, y).
 */
function optimizeCall(x: X & { k: 'call' }, name: string): (X & { k: 'call' }) | undefined {
  if (x.fn.k === 'name' && x.fn.name === name) return x;
  const fnKw = x.kw.find((k) => ['fun', 'func', 'f'].includes(k.name));
  const fnArg = fnKw?.value ?? x.args[0];
  if (!fnArg || fnArg.k !== 'name' || fnArg.name !== name) return undefined;
  const rest = fnKw ? x.args : x.args.slice(1);
  const x0 = x.kw.find((k) => k.name === 'x0')?.value ?? rest[0];
  const extra = x.kw.find((k) => k.name === 'args')?.value ?? (x.kw.find((k) => k.name === 'x0') ? rest[0] : rest[1]);
  if (!x0) return undefined;
  const more = extra ? (extra.k === 'list' ? extra.items : [extra]) : [];
  return { ...x, fn: fnArg, args: [x0, ...more], kw: [] };
}

/** The call's own text read as an expression, with offsets in its document. */
function readCall(t: ProgramText, node: SyntaxNode): (X & { k: 'call' }) | undefined {
  const text = t.doc.slice(node.from, node.to);
  const { body } = t.syntax === 'python' ? pythonProgram(pythonParser.parse(text), text) : javascriptProgram(javascriptParser.configure({ dialect: 'ts' }).parse(text), text);
  const st = body[0];
  if (!st || st.k !== 'expr' || st.x.k !== 'call') return undefined;
  return shift(st.x, node.from) as X & { k: 'call' };
}

/** Moves every span of a node tree by `by` characters. */
function shift<T>(node: T, by: number): T {
  if (Array.isArray(node)) return node.map((n) => shift(n, by)) as T;
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = (k === 'start' || k === 'end' || k === 'opAt') && typeof v === 'number' ? v + by : shift(v, by);
  return out as T;
}

/**
 * The environment a call sees: the module's, or that of the function it is written in, up to the call,
 * with that function's parameters `bound` when a call of it says what they are.
 */
function enclosingEnv(t: ProgramText, node: SyntaxNode, interp: Interpreter, moduleEnv: Env, bound?: Map<string, V>): Env {
  let fnNode: SyntaxNode | null = null;
  for (let p = node.parent; p; p = p.parent) if (FUNCTION_NODES.has(p.name)) fnNode = p;
  if (!fnNode) return moduleEnv;
  const def = findDef(t.body, fnNode.from, fnNode.to);
  if (!def || !Array.isArray(def.body)) return moduleEnv;
  const env: Env = { vars: new Map(bound), parent: moduleEnv };
  const saved = interp.tracking;
  interp.tracking = false;
  try {
    for (const st of def.body) {
      // statements wholly before the call: a loop around the call (a sweep over w) is not run
      if (st.end > node.from) break;
      try {
        interp.exec([st], env);
      } catch {
        // a statement that cannot be read (or a return) leaves the names it would assign unknown
      }
    }
  } finally {
    interp.tracking = saved;
  }
  return env;
}

function findDef(body: S[], from: number, to: number): (S & { k: 'def' }) | undefined {
  // the outermost definition around [from, to] (an export or a decorator may start its statement earlier)
  for (const st of body) {
    if (st.start > from || st.end < to - 1) continue;
    if (st.k === 'def') return st;
    if (st.k === 'class') return findDef(st.body, from, to);
    if (st.k === 'for' || st.k === 'with' || st.k === 'cfor' || st.k === 'if') return findDef(nested(st), from, to);
  }
  return undefined;
}

/** The call that binds the most arrays to the function's arguments (the first such call on a tie). */
export function bestSite(sites: CallSite[]): CallSite | undefined {
  let best: CallSite | undefined;
  let bestScore = -1;
  for (const s of sites) {
    const score = [...s.args, ...s.kw.values()].filter((v) => v?.t === 'arr').length;
    if (score > bestScore) { best = s; bestScore = score; }
  }
  return best;
}

/** A numeric array of samples: a list of numbers, or of rows of numbers. */
function samplesOf(v: V | undefined): number | undefined {
  if (!v || v.t !== 'arr' || lengthOf(v) === 0) return undefined;
  if (packedOf(v)) return lengthOf(v);
  const ok = v.items.every((x) => isNum(x) || (x.t === 'arr' && x.items.every(isNum)));
  return ok ? v.items.length : undefined;
}

/**
 * A module-level array named after the argument: `x` ↔ `x` itself first,
 * then `x_train`, `X` ↔ `X_train`, `y` ↔ `y_data`, `xs`; the training set
 * first, the same length as data already bound.
 */
export function byName(arg: string, env: Env, samples: number | undefined): { name: string; value: V } | undefined {
  const found: Array<{ name: string; value: V; rank: number }> = [];
  // x and xs name the same data; x_train and xTrain the same set
  const bases = [...new Set([arg, arg.replace(/s$/, '')])].filter((b) => b.length > 0);
  const rankOf = (name: string): number | undefined => {
    let best: number | undefined;
    for (const b of bases) {
      // the argument's own name at module level (x = np.array(…) beside def cost(x, y, w, b)) first
      const r = name === arg ? -1 : name === `${b}_train` || name === `${b}Train` ? 0
        : name.toLowerCase() === `${b.toLowerCase()}_train` ? 1
          : [`${b}s`, `${b}_data`, `${b}Data`, `${b}_values`, `${b}_vals`].includes(name) ? 2
            : (name.startsWith(`${b}_`) || new RegExp(`^${b}[A-Z]`).test(name)) && !/(?:_|[a-z])(?:test|Test|val|Val|valid|dev|pred|Pred|hat|new|plot|grid|line|range|Range)/.test(name.slice(b.length)) ? 3
              : undefined;
      if (r !== undefined && (best === undefined || r < best)) best = r;
    }
    return best;
  };
  for (const [name, value] of env.vars) {
    const n = samplesOf(value);
    if (n === undefined || (samples !== undefined && n !== samples)) continue;
    const rank = rankOf(name);
    if (rank !== undefined) found.push({ name, value, rank });
  }
  found.sort((a, b) => a.rank - b.rank);
  // two candidates of the same rank (x_a, x_b): no guess
  if (found.length > 1 && found[0].rank === found[1].rank) return undefined;
  return found[0];
}

/** The module-level arrays of samples (a notebook's cells above included), with their shape: what a user can bind an argument to. */
export function moduleArrays(env: Env): Array<{ name: string; samples: number; width: number }> {
  const out: Array<{ name: string; samples: number; width: number }> = [];
  for (const [name, v] of env.vars) {
    const n = samplesOf(v);
    if (n !== undefined && v.t === 'arr') out.push({ name, samples: n, width: v.items[0].t === 'arr' ? v.items[0].items.length : 1 });
  }
  return out;
}

/** Data files whose columns can be bound: delimited text, and NumPy's `.npy`. */
export const DATA_FILE = /\.(?:csv|tsv|txt|dat|npy)$/i;

/**
 * A data file as rows of numbers with its column names (empty without a
 * header), the one reading of a file for `--data` and the panel's picker: a
 * delimited text, or a `.npy` of one or two dimensions. Else why not.
 */
export function dataFileTable(name: string, content: string | Uint8Array): Table | string {
  if (typeof content === 'string') {
    if (/\.npy$/i.test(name)) return `${name} is not a .npy file`;
    const table = readDelimited(content, { delimiter: /\.tsv$/i.test(name) ? '\t' : undefined });
    return typeof table === 'string' ? `${name}: ${table}` : table;
  }
  if (!/\.npy$/i.test(name)) return `${name} is not a text file`;
  const a = readNpy(content);
  if (typeof a === 'string') return `${name} ${a}`;
  const rows = npyRows(a);
  if (!rows) return `${name} holds an array of shape (${a.shape.join(', ')}): only one or two dimensions are columns`;
  return { columns: [], count: rows.count, width: Math.max(rows.width, 1), data: rows.data };
}

/**
 * `--data` sources: a module-level array (`x_train`) or a CSV column beside
 * the file (`house.csv:0`, 0-based, or by its header: `house.csv:size`; a `.npy`'s column: `x.npy:0`). Throws a message naming what is wrong.
 */
export function optionSource(source: string, env: Env, readFile: FileReader | undefined, lines: LineIndex, at: number): V {
  const csv = /^(.+\.(?:csv|tsv|txt|dat|npy)):(\w+)$/i.exec(source);
  if (csv) {
    const content = readFile?.(csv[1]);
    if (content === undefined) throw lines.errorAt(at, `--data: no file '${csv[1]}' beside the source`);
    if (typeof content !== 'string' && !(content instanceof Uint8Array)) throw lines.errorAt(at, `--data: ${csv[1]} ${content.message}`);
    const table = dataFileTable(csv[1], content);
    if (typeof table === 'string') throw lines.errorAt(at, `--data: ${table}`);
    const { width } = table;
    const col = /^\d+$/.test(csv[2]) ? Number(csv[2]) : table.columns.indexOf(csv[2]);
    if (col < 0 || col >= width) throw lines.errorAt(at, `--data: ${csv[1]} has ${width} columns (0 to ${width - 1}${table.columns.length ? `: ${table.columns.join(', ')}` : ''}), not a column ${csv[2]}`);
    return packedArray(tableColumn(table, col), table.count, 0, { start: at, end: at });
  }
  let v: V | undefined;
  for (let e: Env | undefined = env; e && !v; e = e.parent) v = e.vars.get(source);
  if (!v || samplesOf(v) === undefined) throw lines.errorAt(at, `--data: '${source}' is not an array of numbers defined at module level${v ? '' : ' (no such name)'}`);
  return v;
}
