/**
 * The Python and JavaScript/TypeScript front end: a real grammar (Lezer) for
 * structure, the interpreter of interpret.ts for meaning. Finds the functions
 * of a document (defs, function declarations, lambdas and arrow functions)
 * and, in scripts without a def, each assignment that computes a value from
 * parameters (micrograd `Value`s, tensors with `requires_grad=True`).
 */
import type { Tree, TreeFragment } from '@lezer/common';
import { LineIndex, UserError } from '../errors';
import { Expr, paramsOf, rewrite, toMathString, walkNodes } from '../expr/ast';
import type { Candidate, FunctionDefinition, LanguageId, LocalDefinition } from '../source/definition';
import type { Candidate as AnyCandidate } from '../candidate';
import type { NetworkDefinition } from '../network/spec';
import { derivesFrom, isModuleClass, networkDefinition } from './networks';
import { dataSymbol, findBoundary, findFitModel, findSumForm, fitFromSum } from './fit';
import { SampleSum, Tape } from '../autodiff/tape';
import { S, Span, X, dotted, isName } from './ir';
import { pythonProgram } from './python';
import { javascriptProgram } from './javascript';
import type { Reuse } from './reader';
import { Interpreter, LoadedModule, LocalRecord, ModuleLoader, Syntax, hasParam, lookup, moduleFiles } from './interpret';
import { Role, WEIGHT_NAME, assignedNames, callsMethod, namesIn, nested, readNames } from './statements';
import { depthOf, describe, flatten, shapeOf, shapeText } from './arrays';
import { columnNumbers, firstRows, lengthOf, packedOf } from './packed';
import { Env, FileReader, V, isNum } from './values';
import { DataBinding, ProgramText, bestSite, byName, callSites, moduleArrays, optionSource } from './binding';

import * as grammars from './grammars';
import { markdownCandidates as readMarkdown } from './markdown';

type Grammars = typeof grammars;

function loadGrammars(): Grammars {
  return grammars;
}

export interface Program {
  syntax: Syntax;
  tree: Tree;
  body: S[];
  doc: string;
  /** trees of statements re-read after a broken one (see recover), by their first offset */
  segments: Array<{ from: number; tree: Tree }>;
}

const cache: Array<{ doc: string; syntax: Syntax; program: Program }> = [];

/** The most recent tree per syntax: the next parse reuses what an edit did not touch. */
const previous = new Map<Syntax, { doc: string; tree: Tree }>();
/** The most recent program tree's top-level statements per syntax: the next reading reuses those before the edit. */
const lastRead = new Map<Syntax, { doc: string; topLevel: ReadonlyMap<string, S[]> }>();

function parser(syntax: Syntax): { parse(input: string, fragments?: readonly TreeFragment[]): Tree } {
  const g = loadGrammars();
  return syntax === 'python' ? g.pythonParser : g.javascriptParser.configure({ dialect: 'ts' });
}

/** The changed range between two texts (one edit: common prefix and suffix). */
function changedRange(a: string, b: string): { fromA: number; toA: number; fromB: number; toB: number } {
  let start = 0;
  const n = Math.min(a.length, b.length);
  while (start < n && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) { endA--; endB--; }
  return { fromA: start, toA: endA, fromB: start, toB: endB };
}

/** The syntax tree of a text, reusing the previous tree of the same syntax where the text did not change. */
export function parseTree(doc: string, syntax: Syntax, incremental = true): Tree {
  const prev = previous.get(syntax);
  let fragments: readonly TreeFragment[] | undefined;
  if (incremental && prev && prev.doc !== doc) {
    const { TreeFragment: Fragment } = loadGrammars();
    fragments = Fragment.applyChanges(Fragment.addTree(prev.tree), [changedRange(prev.doc, doc)]);
  }
  const tree = parser(syntax).parse(doc, fragments);
  previous.set(syntax, { doc, tree });
  return tree;
}

/** The program tree of a document, one parse per document text (the last few are kept). */
export function parseProgram(doc: string, syntax: Syntax): Program {
  const hit = cache.find((c) => c.doc === doc && c.syntax === syntax);
  if (hit) return hit.program;
  const tree = parseTree(doc, syntax);
  const read = (t: Tree, text: string, reuse?: Reuse): { body: S[]; topLevel: Map<string, S[]> } => (syntax === 'python' ? pythonProgram(t, text, reuse) : javascriptProgram(t, text, reuse));
  const last = lastRead.get(syntax);
  const { body, topLevel } = read(tree, doc, last ? { before: changedRange(last.doc, doc).fromB, spans: last.topLevel } : undefined);
  lastRead.set(syntax, { doc, topLevel });
  const program: Program = { syntax, tree, body, doc, segments: [] };
  recover(program, (text) => {
    const t = parser(syntax).parse(text);
    return { tree: t, body: read(t, text).body };
  });
  cache.unshift({ doc, syntax, program });
  if (cache.length > 32) cache.pop();
  return program;
}

/** A line that starts a definition at the left margin. */
const HEADER: Record<Syntax, RegExp> = {
  // in Python any statement at the left margin starts afresh once the broken one is cut
  python: /^[\p{L}_@]/gmu,
  js: /^(?:export[ \t]+)?(?:default[ \t]+)?(?:async[ \t]+)?function\b|^(?:export[ \t]+)?(?:const|let|var)[ \t]+[\p{L}_$][\p{L}\p{N}_$]*[ \t]*(?::[^=\n]*)?=/gmu,
};

/**
 * A half-typed line (an unclosed parenthesis or string, say) makes the
 * grammar's error recovery swallow the definitions below it. A top-level
 * statement with a syntax error that runs past a line starting a new
 * statement at the left margin (Python) or a new definition (JS/TS) is cut
 * there, and the text from there on is read again on its own, so the
 * definitions the edit did not touch are still found.
 */
function recover(p: Program, reparse: (text: string) => { tree: Tree; body: S[] }): void {
  if (!hasError(p.tree)) return;
  for (let round = 0; round < 50; round++) {
    let changed = false;
    for (let k = 0; k < p.body.length; k++) {
      const st = p.body[k];
      const re = new RegExp(HEADER[p.syntax].source, HEADER[p.syntax].flags);
      re.lastIndex = st.start + 1;
      let cut = -1;
      for (let m = re.exec(p.doc); m && m.index < st.end; m = re.exec(p.doc)) {
        if (m.index > st.start && (p.doc[m.index - 1] === '\n')) { cut = m.index; break; }
      }
      if (cut < 0 || !errorIn(treeAt(p, st.start), st.start, st.end)) continue;
      // blank what comes before the cut (newlines kept): offsets stay the document's
      const text = p.doc.slice(0, cut).replace(/[^\n]/g, ' ') + p.doc.slice(cut);
      const again = reparse(text);
      const rest = again.body.filter((x) => x.start >= cut);
      p.body = [...p.body.slice(0, k), { ...st, end: cut - 1 } as S, ...rest];
      p.segments.push({ from: cut, tree: again.tree });
      changed = true;
      break;
    }
    if (!changed) return;
  }
}

function hasError(tree: Tree): boolean {
  let found = false;
  tree.iterate({ enter: (n) => { if (found) return false; if (n.type.isError) { found = true; return false; } return undefined; } });
  return found;
}

/** A syntax error starting in [from, to] (an error at the cut itself counts: it is where the swallowing begins). */
function errorIn(tree: Tree, from: number, to: number): boolean {
  let found = false;
  tree.iterate({ from, to: to + 1, enter: (n) => { if (found) return false; if (n.type.isError && n.from >= from && n.from <= to) { found = true; return false; } return undefined; } });
  return found;
}

/** The tree a statement was read from. */
function treeAt(p: Program, offset: number): Tree {
  let t = p.tree;
  for (const s of p.segments) if (s.from <= offset) t = s.tree;
  return t;
}

/** The first syntax error inside [from, to), as a located message. */
export function syntaxErrorIn(p: Program, lines: LineIndex, from: number, to: number): UserError | undefined {
  let found: number | undefined;
  treeAt(p, from).iterate({
    from, to,
    enter: (n) => {
      if (found !== undefined) return false;
      if (n.type.isError && n.from >= from && n.from < to) {
        // Lezer's Python reads a float written `0.` as the number 0 with an unfinished `.attribute`:
        // that is a number, not an error (the converter reads it so)
        const parent = n.node.parent;
        if (parent?.name === 'MemberExpression' && parent.firstChild?.name === 'Number' && parent.firstChild.nextSibling?.name === '.') return false;
        found = n.from;
        return false;
      }
      return undefined;
    },
  });
  if (found === undefined) return undefined;
  let at = found;
  while (at < p.doc.length && /[ \t]/.test(p.doc[at])) at++;
  const ch = p.doc[at];
  if (at >= to || ch === undefined || ch === '\n' || ch === '\r') return lines.errorAt(Math.max(from, found - 1), 'syntax error: the expression is unfinished (missing closing parenthesis or operand?)');
  const token = /^[\p{L}_][\p{L}\p{N}_]*|^[0-9.]+|^\*\*|^\/\/|^[^\s]/u.exec(p.doc.slice(at))?.[0] ?? ch;
  return lines.errorAt(at, /^[-+*/^%@<>=!&|~]+$/.test(token) ? `unexpected operator '${token}' (syntax error)` : `syntax error: unexpected '${token}'`);
}

/** A script whose values carry gradients: micrograd Values, tensors with requires_grad, TensorFlow's variables (Python's and TensorFlow.js's). */
const SCRIPT = /\bValue\s*\(|requires_grad\s*=\s*True|\.requires_grad_\s*\(|\btf\.variable\s*\(|\.variable\s*\(\s*\)|\b(?:tf|tensorflow)\.Variable\s*\(|\bGradientTape\s*\(/;

/** WEIGHT_NAME without its anchors, to be placed in a larger pattern. */
const WEIGHT = WEIGHT_NAME.source.slice(1, -1);

/**
 * A forward pass written over plain numbers (`w1, w2 = 0.15, 0.2` … `E = 0.5 * (t - o) ** 2`): Python with
 * no class or lambda, where a weight or bias is given as a number at the left margin and no def takes a
 * weight as an argument (a helper such as `def sigmoid(z)` may be there; a cost `def cost(x, y, w, b)` means
 * the module-level w is a starting value, not this). Those weights and biases are its parameters; inputs and
 * targets stay the numbers they are.
 */
function plainScript(doc: string, syntax: Syntax): boolean {
  if (syntax !== 'python' || SCRIPT.test(doc) || /^[ \t]*class\b|\blambda\b/m.test(doc)) return false;
  for (const m of doc.matchAll(/^[ \t]*def\s+\w+\s*\(([^)]*)\)/gm)) {
    if (m[1].split(',').some((p) => WEIGHT_NAME.test(p.replace(/[:=].*$/s, '').trim()))) return false;
  }
  return new RegExp(`^(?:[A-Za-z_]\\w*[ \\t]*,[ \\t]*)*${WEIGHT}[ \\t]*(?:,[ \\t]*[A-Za-z_]\\w*[ \\t]*)*=[ \\t]*[-+]?\\.?\\d`, 'm').test(doc);
}

export interface CodeContext {
  /** reads a data file named in the code, relative to the document */
  readFile?: FileReader;
  /** a notebook cell: the code of the notebook's other cells of its language, before and after it in cell order */
  before?: string[];
  after?: string[];
  /** the user's choice of data for a function's arguments: argument → a module-level array or `file.csv:column` */
  data?: Record<string, string>;
  /** the same, per function name (the panel's picker): it takes the place of `data` for that function */
  choices?: Record<string, Record<string, string>>;
  /** a plain-number forward pass: the names the user made parameters or held (`--free`, `--hold`, the panel's choice); the others go by name */
  roles?: Record<string, Role>;
}

/** The definitions of a Markdown document (markdown.ts), its Python and JS/TS code blocks read by this front end. */
export function markdownCandidates(doc: string, lines: LineIndex): Array<AnyCandidate<FunctionDefinition | NetworkDefinition>> {
  return readMarkdown(doc, lines, (only, l, language, syntax) => codeCandidates(only, l, language, syntax));
}

export function codeCandidates(doc: string, lines: LineIndex, language: LanguageId, syntax: Syntax, ctx: CodeContext = {}): Array<Candidate | AnyCandidate<NetworkDefinition>> {
  const program = parseProgram(doc, syntax);
  const out: Array<Candidate | AnyCandidate<NetworkDefinition>> = [];
  let module: ModuleRun | undefined;
  const run = (): ModuleRun => (module ??= runModule(program, lines, ctx));
  for (const place of functionPlaces(program.body)) {
    const { st } = place;
    const startLine = lines.position(st.start).line;
    const endLine = lines.position(Math.max(st.start, st.end - 1)).line;
    out.push({ startLine, endLine, build: () => { const m = run(); return withAssumed(readFunction(program, lines, language, place, m, ctx), m); } });
  }
  // networks: models built with PyTorch, Keras or TensorFlow.js
  if (/\b(nn|keras|layers|tf|torch)\b|Sequential|Dense|Linear/.test(doc + (ctx.before ?? []).join('\n'))) {
    const m = run();
    out.push(...networkCandidates(m, lines));
  }
  // scripts: an assignment computed from Value(…) / requires_grad tensors, or from the weights of a plain-number forward pass
  if (SCRIPT.test(doc + (ctx.before ?? []).join('\n')) || plainScript(doc + (ctx.before ?? []).join('\n'), syntax)) {
    const m = run();
    const script: Array<Candidate & { name: string; at: number; bare?: true }> = [];
    for (const f of m.interp.failedScripts) {
      // a line that computed a value before the edit: its message, at its place
      script.push({ ...position(lines, f.stmt), name: f.name, at: f.stmt.start, build: () => { throw f.err; } });
    }
    for (const sv of m.interp.scriptValues) {
      // a variable as made (w = tf.Variable(5.0), a = Value(2.0)) reads with the cursor on it, but is no CodeLens of its own
      script.push({ ...position(lines, sv.stmt), name: sv.name, at: sv.stmt.start, ...(sv.e.kind === 'param' ? { bare: true as const } : {}), build: () => withAssumed(buildScript(m, lines, language, sv), m) });
    }
    script.sort((a, b) => a.at - b.at);
    const calls = backwardCalls(program.body);
    const differentiated = (b: { name: string; stmt: Span }): (typeof script)[number] | undefined => script.filter((c) => c.name === b.name && c.at < b.stmt.start).pop();
    // one CodeLens for the script: on each `x.backward()` for the x it differentiates, else on its last value
    for (const c of script) c.lensLine = false;
    for (const b of calls) {
      const target = differentiated(b);
      if (target) target.lensLine = lines.position(b.stmt.start).line;
    }
    const last = script.filter((c) => !c.bare).pop();
    if (last && script.every((c) => c.lensLine === false)) delete last.lensLine;
    out.push(...script);
    // the line `L.backward()` ends the script it reads: the last assignment to L before it (read or not), whose lens sits on this line
    for (const b of calls) {
      const target = differentiated(b);
      if (target) out.push({ ...position(lines, b.stmt), lensLine: false, build: target.build });
    }
  }
  // print(…) / console.log(…) of a formula at module level (`print("J:", 0.5 * (a - 3) ** 2)`, an f-string's field, a template
  // literal's `${…}`): the cursor on it reads the formula
  if (/^[ \t]*(?:print|console\.log)\s*\(/m.test(doc)) {
    const m = run();
    for (const p of m.interp.prints) {
      const shown = printedFormula(p.call, doc);
      // a print that reads no number by name (print(sigmoid(0.5))) is no formula, nor one that calls the file's own function
      // over numbers that are not the script's parameters (print(compute_cost(x_train, y_train, w, b)) binds that function's data)
      if (shown && readsNumbers(shown.x, p.env) && !(callsOwnFunction(shown.x, p.env) && !readsParameters(shown.x, p.env))) out.push({ ...position(lines, p.stmt), lensLine: false, build: () => buildPrinted(m, lines, language, p, shown) });
    }
  }
  // optimizer.minimize(() => …) in TensorFlow.js, opt.minimize(loss, var_list=[w]) in Python: the function is the cost the optimizer descends, over the variables it reads
  if (/\.minimize\s*\(/.test(doc)) {
    // a function of the file given by name (opt.minimize(loss, …)) has its lens on its def
    for (const site of minimizeSites(program.body)) out.push({ ...position(lines, site.stmt), ...(site.closure.k === 'name' ? { lensLine: false } : {}), build: () => buildMinimized(run(), lines, language, site) });
  }
  return out;
}

/** An optimizer's minimize(f) call, the statement holding it, and the function of the file it is written in. */
interface MinimizeSite { call: X & { k: 'call' }; closure: X; stmt: Span; outer?: S & { k: 'def' } }

/**
 * The statements calling `….minimize(f)` at module level, in loops, and in a function of the file (the training loop
 * of a `train(xs, ys)`), f a function of no parameters written there or named.
 */
function minimizeSites(body: S[], outer?: S & { k: 'def' }): MinimizeSite[] {
  const out: MinimizeSite[] = [];
  for (const st of body) {
    if (st.k === 'def' && Array.isArray(st.body)) out.push(...minimizeSites(st.body, st));
    else if (nested(st).length) out.push(...minimizeSites(nested(st), outer));
    else {
      const x = st.k === 'expr' ? st.x : st.k === 'assign' ? st.value : st.k === 'return' ? st.x : undefined;
      const f = x?.k === 'call' && x.fn.k === 'attr' && x.fn.name === 'minimize' ? x.args[0] : undefined;
      if (x?.k === 'call' && f && ((f.k === 'lambda' && f.params.length === 0) || f.k === 'name')) out.push({ call: x, closure: f, stmt: st, outer });
    }
  }
  return out;
}

/**
 * The cost an optimizer.minimize(f) descends: f called with the names as the file leaves them (in a function, its statements
 * before the loop run with the arguments of the file's call of it, as for a nested function), its parameters the
 * tf.variables it reads.
 */
function buildMinimized(m: ModuleRun, lines: LineIndex, language: LanguageId, site: MinimizeSite): FunctionDefinition {
  const env = site.outer ? outerScope(site.outer, (site.outer.body as S[]).filter((b) => b.end <= site.stmt.start), m) : m.env;
  const { closure } = site;
  const f = closure.k === 'lambda' ? ({ t: 'fn', name: 'minimize', params: [], body: closure.body, closure: env } as V) : m.interp.eval(closure, env);
  if (f.t !== 'fn') throw lines.errorAt(closure.start, `minimize needs the function that computes the loss; ${describe(f)} is not one`);
  const e = scalarOf(m.interp.callFunction(f, { args: [], kw: new Map(), at: site.call }, site.call));
  if (!e) throw lines.errorAt(closure.start, 'the function given to minimize computes no number of a tf.variable: its parameters are the tf.variable(…) values it reads (const w = tf.variable(tf.scalar(0.5)))');
  // the loss is named by the function the closure calls (() => loss(predict(xs), ys)), else 'loss'
  const body = closure.k === 'lambda' && !Array.isArray(closure.body) ? closure.body : undefined;
  const name = closure.k === 'name' ? closure.name : body?.k === 'call' && body.fn.k === 'name' ? body.fn.name : 'loss';
  return buildScript(m, lines, language, { name, e, stmt: site.stmt, nameSpan: closure });
}

/** A value that is one number depending on a parameter (an array of one: a tensor's dataSync(), a (1, 1) product), as an expression. */
function scalarOf(v: V): Expr | undefined {
  const one = v.t === 'arr' && !packedOf(v) ? flatten(v) : [v];
  return one.length === 1 && one[0].t === 's' && hasParam(one[0].e) ? one[0].e : undefined;
}

/** An expression that computes something: an operation, a call, or an attribute of one (`(a * b + c).data`). */
const computes = (x: X): boolean => x.k === 'bin' || x.k === 'un' || x.k === 'call' || (x.k === 'attr' && computes(x.obj));

/** Whether an expression reads a name whose value passes a test. */
function readsName(x: X, env: Env, test: (v: V) => boolean): boolean {
  const names = new Set<string>();
  namesIn(x, names);
  return [...names].some((n) => {
    const v = lookup(env, n);
    return !!v && test(v);
  });
}
const holdsParameter = (v: V): boolean => v.t === 'leaf' || (v.t === 's' && hasParam(v.e));
/** Whether an expression reads a name holding a number or a parameter. */
const readsNumbers = (x: X, env: Env): boolean => readsName(x, env, (v) => isNum(v) || holdsParameter(v));
/** Whether it reads one of the script's parameters (a Value, a tensor with requires_grad, a plain pass's weight). */
const readsParameters = (x: X, env: Env): boolean => readsName(x, env, holdsParameter);
/** Whether it calls a function or class the file defines. */
const callsOwnFunction = (x: X, env: Env): boolean => readsName(x, env, (v) => v.t === 'fn' || v.t === 'class');

/** The first argument of a print (or field of its f-string or template literal) that computes something, and the label before it (`"J:"`, `loss = `). */
function printedFormula(call: X & { k: 'call' }, doc: string): { x: X; name: string } | undefined {
  let label = '';
  for (const a of call.args) {
    for (const field of a.k === 'str' ? a.parts ?? [] : [a]) {
      // (a * b + c).data, JavaScript's (…).toFixed(4) print the number the formula computes: the formula is what to read
      const x = field.k === 'attr' && field.name === 'data' ? field.obj : field.k === 'call' && field.fn.k === 'attr' && /^to(Fixed|Precision)$/.test(field.fn.name) ? field.fn.obj : field;
      if (!computes(x)) continue;
      // the string's text up to the field, its earlier fields dropped
      const before = a.k === 'str' ? doc.slice(a.start, x.start).replace(/\$?\{[^}]*\}/g, '') : label;
      return { x, name: /([A-Za-z_]\w*)\s*[:=]?[\s${(]*$/.exec(before)?.[1] ?? 'f' };
    }
    label = a.k === 'str' ? a.v : '';
  }
  return undefined;
}

/**
 * A printed formula, read with the names as they were at the print. Its parameters are the script's (Values,
 * tensors with requires_grad, a plain-number forward pass's weights); where it reads none, the numbers it
 * reads by name are (its data names x, y, … held when other names remain).
 */
function buildPrinted(m: ModuleRun, lines: LineIndex, language: LanguageId, p: { stmt: Span; env: Env }, shown: { x: X; name: string }): FunctionDefinition {
  const { interp } = m;
  let v = interp.eval(shown.x, p.env);
  let e = scalarOf(v);
  if (!e) {
    const names = new Set<string>();
    namesIn(shown.x, names);
    const numbers = [...names].filter((n) => { const w = lookup(p.env, n); return !!w && isNum(w); });
    const held = numbers.filter((n) => !DATA_NAME.test(n));
    const env: Env = { vars: new Map(), parent: p.env };
    for (const n of held.length ? held : numbers) interp.bind(nameIn(shown.x, n) ?? { ...shown.x, k: 'name', name: n }, { t: 'leaf', value: lookup(p.env, n) as V }, env);
    v = interp.eval(shown.x, env);
    e = scalarOf(v);
  }
  if (!e) {
    throw lines.errorAt(shown.x.start, v.t === 's'
      ? 'this print shows a number computed from no number named in the file: print a formula of named numbers (print((w * x - y) ** 2)), or write it as a def'
      : `this print shows ${describe(v)}, not one number: reduce it (sum, mean) to visualize its gradient`);
  }
  return buildScript(m, lines, language, { name: shown.name, e, stmt: p.stmt, nameSpan: shown.x });
}

/** Where an expression first reads a name. */
function nameIn(x: X, name: string): (X & { k: 'name' }) | undefined {
  if (x.k === 'name') return x.name === name ? x : undefined;
  for (const v of Object.values(x)) {
    for (const c of Array.isArray(v) ? v : [v]) {
      if (c && typeof c === 'object' && 'k' in c && 'start' in c) {
        const found = nameIn(c as X, name);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** Statements `name.backward()` (or TensorFlow's `… = tape.gradient(name, …)`) at module level or in a module-level loop. */
function backwardCalls(body: S[]): Array<{ name: string; stmt: Span }> {
  const out: Array<{ name: string; stmt: Span }> = [];
  for (const st of body) {
    const x = st.k === 'expr' ? st.x : st.k === 'assign' ? st.value : undefined;
    if (st.k === 'expr' && st.x.k === 'call' && st.x.fn.k === 'attr' && st.x.fn.name === 'backward' && isName(st.x.fn.obj)) out.push({ name: st.x.fn.obj.name, stmt: st });
    else if (x?.k === 'call' && x.fn.k === 'attr' && x.fn.name === 'gradient' && x.args[0] && isName(x.args[0])) out.push({ name: x.args[0].name, stmt: st });
    else if (st.k === 'for' || st.k === 'with' || st.k === 'if') out.push(...backwardCalls(nested(st)));
  }
  return out;
}

interface FnStatement { name: string | null; nameSpan: Span; params: (S & { k: 'def' })['params']; body: S[] | X }

/**
 * A function as people place it: at module level, a method of a class, a function stored on an object
 * (`const model = { loss(w) {…} }`, `model.loss = (w) => …`), or one nested in another function that
 * closes over its constants. `scope` gives what it closes over and what self / this is.
 */
interface FnPlace {
  fn: FnStatement;
  /** the text it spans */
  st: Span;
  scope?: (m: ModuleRun) => { env: Env; self?: V };
  /** the file calls it as obj.name(…) */
  member?: boolean;
}

function functionStatement(st: S): FnStatement | undefined {
  if (st.k === 'def') return st;
  if (st.k === 'assign' && st.target.k === 'name' && st.value.k === 'lambda' && !st.op) {
    return { name: st.target.name, nameSpan: st.target, params: st.value.params, body: st.value.body };
  }
  return undefined;
}

/** A framework's module as a base class (nn.Module, keras.Model, tf.layers.Layer): such a class is a network, read as one. */
const NETWORK_BASE = /(?:^|\.)(?:Module|Model|Layer|Sequential)$/;

function functionPlaces(body: S[]): FnPlace[] {
  const out: FnPlace[] = [];
  // classes that are networks, also through a base class of the file
  const networks = new Set<string>();
  // a base that is one of the file's own classes (`class Linear extends Model`, Model written above) is a network only if that class is
  const own = new Set(body.flatMap((st) => (st.k === 'class' ? [st.name] : [])));
  for (const st of body) {
    if (st.k === 'class' && st.bases.some((b) => { const name = dotted(b) ?? ''; return own.has(name) ? networks.has(name) : NETWORK_BASE.test(name); })) networks.add(st.name);
  }
  for (const st of body) {
    const fn = functionStatement(st);
    if (fn) {
      out.push({ fn, st });
      if (st.k === 'def' && Array.isArray(st.body)) out.push(...nestedPlaces(st));
      continue;
    }
    if (st.k === 'class') {
      if (networks.has(st.name)) continue;
      for (const d of st.body) {
        if (d.k !== 'def' || /^__\w+__$/.test(d.name)) continue;
        out.push({ fn: d, st: d, member: true, scope: (m) => classScope(st.name, m) });
      }
      continue;
    }
    // const model = { loss(w, b) {…}, predict: (x) => … }: each function stored on the object
    if (st.k === 'assign' && st.target.k === 'name' && st.value.k === 'obj' && !st.op) {
      const owner = st.target.name;
      for (const f of st.value.fields) {
        if (f.value.k !== 'lambda') continue;
        const lambda = f.value;
        out.push({ fn: { name: f.key, nameSpan: f.keySpan ?? lambda, params: lambda.params, body: lambda.body }, st: lambda, member: true, scope: (m) => ownerScope(owner, m) });
      }
      continue;
    }
    // model.loss = (w) => …
    if (st.k === 'assign' && st.target.k === 'attr' && st.target.obj.k === 'name' && st.value.k === 'lambda' && !st.op) {
      const owner = st.target.obj.name;
      const nameSpan = { start: st.target.end - st.target.name.length, end: st.target.end };
      out.push({ fn: { name: st.target.name, nameSpan, params: st.value.params, body: st.value.body }, st, member: true, scope: (m) => ownerScope(owner, m) });
    }
  }
  return out;
}

/** An object's functions see it as `this`. */
function ownerScope(owner: string, m: ModuleRun): { env: Env; self?: V } {
  const self = m.env.vars.get(owner);
  return { env: { vars: new Map(self ? [['this', self]] : []), parent: m.env }, self };
}

/** A method's scope: self / this is the class's instance, and super() / super.f(…) start from its class, as a call through the instance has them. */
function classScope(className: string, m: ModuleRun): { env: Env; self?: V } {
  const cls = m.env.vars.get(className);
  const self = instanceOf(className, m);
  return { env: cls?.t === 'class' && self ? { vars: new Map<string, V>([['super', { t: 'super', of: cls, self }]]), parent: m.env } : m.env, self };
}

/** The instance a method reads through self / this: the file's own (`model = LinearModel(…)`), else one built with no arguments. */
function instanceOf(className: string, m: ModuleRun): V | undefined {
  const cls = m.env.vars.get(className);
  if (cls?.t !== 'class') return undefined;
  for (const v of m.env.vars.values()) if (v.t === 'obj' && v.cls === cls) return v;
  return m.interp.frameworks.instanceForReading(cls);
}

/**
 * Functions defined inside a function (`def make_loss(): target = 4; def loss(w): …`): each closes over
 * the statements of the outer one before it, run with the outer's arguments from the file's call of it
 * (else their defaults).
 */
function nestedPlaces(outer: S & { k: 'def' }): FnPlace[] {
  const out: FnPlace[] = [];
  const body = outer.body as S[];
  body.forEach((st, k) => {
    const fn = functionStatement(st);
    if (!fn) return;
    out.push({ fn, st, scope: (m) => ({ env: outerScope(outer, body.slice(0, k), m) }) });
  });
  return out;
}

function outerScope(outer: S & { k: 'def' }, before: S[], m: ModuleRun): Env {
  const { interp } = m;
  const env: Env = { vars: new Map(), parent: m.env };
  const site = bestSite(callSites(outer.name, m.texts, interp, m.env));
  let k = 0;
  for (const p of outer.params) {
    if (p.kind !== 'plain') continue;
    let v = site ? site.kw.get(p.name) ?? site.args[k] : undefined;
    k++;
    if (!v && p.default) {
      try { v = interp.eval(p.default, m.env); } catch { v = undefined; }
    }
    if (v) env.vars.set(p.name, v);
  }
  const saved = { tracking: interp.tracking, moduleLevel: interp.moduleLevel };
  interp.tracking = false;
  interp.moduleLevel = false;
  try {
    for (const st of before) {
      try {
        interp.exec([st], env);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        // a statement that cannot be read leaves what it assigns unusable, with its message
        for (const name of assignedNames(st)) env.vars.set(name, { t: 'err', err: e });
      }
    }
  } finally {
    Object.assign(interp, saved);
  }
  return env;
}

interface ModuleRun {
  interp: Interpreter;
  env: Env;
  /** this document and the notebook's other cells, where calls that bind data are looked for */
  texts: ProgramText[];
}

function runModule(program: Program, lines: LineIndex, ctx: CodeContext): ModuleRun {
  const interp = new Interpreter(program.syntax, lines, ctx.readFile);
  const env: Env = { vars: new Map(), parent: interp.globals() };
  interp.loadModule = moduleLoader(interp, ctx);
  interp.tracking = true;
  interp.moduleLevel = true;
  interp.plainWeights = plainScript(program.doc + (ctx.before ?? []).join('\n'), program.syntax);
  interp.roles = ctx.roles ?? {};
  interp.scriptMode = SCRIPT.test(program.doc + (ctx.before ?? []).join('\n')) || interp.plainWeights;
  // other cells run as the kernel would (earlier ones first); what they define is in scope,
  // what they call binds, but only this cell's statements become definitions
  const texts: ProgramText[] = [{ doc: program.doc, tree: program.tree, body: program.body, syntax: program.syntax }];
  const foreign = (cells: string[] | undefined, after: boolean): void => {
    for (const text of cells ?? []) {
      let other: Program;
      try {
        other = parseProgram(text, program.syntax);
      } catch {
        continue;
      }
      texts.push({ doc: text, tree: other.tree, body: other.body, syntax: program.syntax });
      interp.foreign(new LineIndex(text), () => interp.runModule(other.body, env), after);
    }
  };
  foreign(ctx.before, false);
  interp.runModule(program.body, env);
  foreign(ctx.after, true);
  return { interp, env, texts };
}

/** How deep modules beside the file may import each other. */
const MODULE_DEPTH = 3;

/**
 * Modules beside the file (`from lab_utils import sigmoid`, `import { sigmoid }
 * from './helpers'`, `require('./helpers')`): read through the same reader as
 * data files, parsed and run as the file's own statements are (read, never
 * executed), each once per reading, at most MODULE_DEPTH deep and never in a
 * cycle. A JavaScript module gives what it exports: `module.exports = {…}` or
 * `exports.f = …` where it assigns them, else its top-level names (`export function f`).
 */
function moduleLoader(interp: Interpreter, ctx: CodeContext): ModuleLoader {
  const done = new Map<string, LoadedModule>();
  const open: string[] = [];
  const syntax = interp.syntax;
  return (module) => {
    const known = done.get(module);
    if (known) return known;
    const files = moduleFiles(module, syntax) ?? [];
    let file = files[0];
    let read: ReturnType<NonNullable<CodeContext['readFile']>>;
    for (const name of files) {
      file = name;
      read = ctx.readFile?.(name);
      if (read !== undefined) break;
    }
    if (open.includes(module)) return { message: `${file} imports itself through ${open.join(' → ')}: a cycle is not read` };
    if (open.length >= MODULE_DEPTH) return { message: `${file} is imported more than ${MODULE_DEPTH} modules deep (${open.join(' → ')}); define what it gives in this file` };
    if (read === undefined) return undefined;
    if (typeof read === 'object' && 'message' in read) return { message: `${file} ${read.message}` };
    const text = typeof read === 'string' ? read : new TextDecoder('utf-8').decode(read);
    let p: Program;
    try {
      p = parseProgram(text, syntax);
    } catch (e) {
      return { message: `${file} cannot be read: ${e instanceof Error ? e.message : String(e)}` };
    }
    const env: Env = { vars: new Map(), parent: interp.globals() };
    const exports: V = { t: 'obj', fields: new Map() };
    const commonjs: V & { t: 'obj' } = { t: 'obj', fields: new Map([['exports', exports]]) };
    if (syntax === 'js') {
      env.vars.set('module', commonjs);
      env.vars.set('exports', exports);
    }
    // Its statements are placed nowhere in this document (spans −1): a graph node made by its code has
    // no source text here, and its messages are told at the call or import, naming the module.
    const body = unplaced(structuredClone(p.body));
    open.push(module);
    try {
      interp.foreign(new LineIndex(text), () => interp.runModule(body, env), false, file);
    } finally {
      open.pop();
    }
    const given = commonjs.fields.get('exports');
    const names = given?.t === 'obj' && given.fields.size ? given.fields : env.vars;
    if (syntax === 'js' && names === env.vars) {
      env.vars.delete('module');
      env.vars.delete('exports');
    }
    const loaded = { file, names };
    done.set(module, loaded);
    return loaded;
  };
}

/** The definition with a note for each helper it uses that was read as the standard function (sigmoid from a module not beside the file). */
function withAssumed(def: FunctionDefinition, m: ModuleRun): FunctionDefinition {
  if (m.interp.assumed.size === 0) return def;
  const used = new Set<string>();
  for (const root of [def.body, def.sumForm?.term, def.symbolicSum?.term]) if (root) walkNodes(root, (e) => { if (e.kind === 'call') used.add(e.fn); });
  const assumed = [...m.interp.assumed].filter(([op]) => used.has(op)).map(([, note]) => note);
  return assumed.length ? { ...def, assumed } : def;
}

function unplaced<T>(node: T): T {
  if (Array.isArray(node)) node.forEach(unplaced);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.start === 'number' && typeof o.end === 'number') [o.start, o.end] = [-1, -1];
    for (const k of Object.keys(o)) if (o[k] && typeof o[k] === 'object') unplaced(o[k]);
  }
  return node;
}

function networkCandidates(m: ModuleRun, lines: LineIndex): Array<AnyCandidate<NetworkDefinition>> {
  const { interp } = m;
  const ctx = {
    lines, loaders: interp.loaders, models: interp.models, lossDefs: interp.lossDefs, optimDefs: interp.optimDefs, trainingLoops: interp.trainingLoops,
    lookup: (name: string): V | undefined => { const v = m.env.vars.get(name); return v && v.t !== 'err' ? v : undefined; },
    failure: (name: string): UserError | undefined => { const v = m.env.vars.get(name); return v?.t === 'err' ? v.err : undefined; },
  };
  const out: Array<AnyCandidate<NetworkDefinition>> = [];
  const add = (range: Span, build: () => NetworkDefinition): void => {
    out.push({ ...position(lines, range), build });
  };
  for (const entry of interp.models) {
    const model = entry.model;
    if (model.module) continue;
    const stmt = entry.stmt;
    const range = { start: Math.min(stmt.start, model.span.start), end: Math.max(stmt.end, model.span.end) };
    const nameSpan = findNameSpan(stmt, entry.name);
    add(range, () => networkDefinition(ctx, { ...entry, nameSpan }, range));
  }
  for (const f of interp.failedModels) add(f.stmt, () => { throw f.err; });
  // nn.Module subclasses: the class itself and each line that instantiates it
  const classOf = (e: (typeof interp.models)[number]): (V & { t: 'class' }) | undefined => interp.classes.find((c) => c.cls.span === e.model.module?.classSpan)?.cls;
  for (const { cls, stmt } of interp.classes) {
    if (!isModuleClass(cls)) continue;
    const instance = interp.models.find((e) => classOf(e) === cls);
    // a base class the file only instantiates through a subclass (its layers, the subclass's sizes): the subclass's model
    const derived = instance ? undefined : interp.models.find((e) => { const c = classOf(e); return !!c && derivesFrom(c, cls); });
    const build = (): NetworkDefinition => {
      let entry = instance ?? derived;
      if (!entry) {
        const self = interp.frameworks.instantiateForReading(cls, stmt);
        entry = { name: null, model: self, stmt };
      }
      return networkDefinition(ctx, { ...entry, nameSpan: entry.name ? findNameSpan(entry.stmt, entry.name) : stmt.nameSpan }, stmt);
    };
    add(stmt, build);
    if (instance) add(instance.stmt, build);
  }
  return out;
}

/** Where the model's name is written in the statement that names it. */
function findNameSpan(stmt: Span, name: string | null): Span | null {
  if (!name) return null;
  if (stmt && 'target' in stmt) {
    const t = (stmt as S & { k: 'assign' }).target;
    if (t && t.k === 'name') return t;
  }
  return { start: stmt.start, end: stmt.start + name.length };
}

function position(lines: LineIndex, sp: Span): { startLine: number; endLine: number } {
  return { startLine: lines.position(sp.start).line, endLine: lines.position(Math.max(sp.start, sp.end - 1)).line };
}

function toLocals(records: LocalRecord[]): LocalDefinition[] {
  // one entry per name: its last assignment (a loop assigns the same name many times)
  const last = new Map<string, LocalRecord>();
  for (const r of records) last.set(r.name, r);
  return [...last.values()].map((r) => ({ name: r.name, expr: r.expr, range: { start: r.stmt.start, end: r.stmt.end }, nameRange: { start: r.nameSpan.start, end: r.nameSpan.end } }));
}

/**
 * A function of the file as its own cost, or, where it cannot be one, the script value it is part of:
 * PyTorch's tutorial writes `def forward(x): return w * x` (an array) and `def loss(y, y_predicted)`
 * (called with the predictions, expressions of w) and differentiates `l = loss(Y, forward(X))` with
 * `l.backward()`. The cursor in either reads that l, and says so; any other failure is its own message.
 */
function readFunction(program: Program, lines: LineIndex, language: LanguageId, place: FnPlace, m: ModuleRun, ctx: CodeContext): FunctionDefinition {
  try {
    return buildFunction(program, lines, language, place, m, ctx);
  } catch (e) {
    const name = place.fn.name;
    if (!(e instanceof UserError) || !name || m.interp.leaves.length === 0) throw e;
    for (const b of backwardCalls(program.body)) {
      const target = m.interp.scriptValues.filter((sv) => sv.name === b.name && sv.stmt.start < b.stmt.start).pop();
      // the function is called on the way to what .backward() differentiates
      const called = target && new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\s*\\(`).test(lines.text.slice(place.st.end, b.stmt.start));
      if (target && called) {
        return { ...buildScript(m, lines, language, target), assumed: [`${name}(…) is read as ${target.name}, which the script computes with it and differentiates with ${target.name}.backward()`] };
      }
    }
    throw e;
  }
}

function buildFunction(program: Program, lines: LineIndex, language: LanguageId, place: FnPlace, m: ModuleRun, ctx: CodeContext): FunctionDefinition {
  let fn = place.fn;
  const st = place.st;
  const scope = place.scope?.(m) ?? { env: m.env };
  const syntaxError = syntaxErrorIn(program, lines, st.start, st.end);
  if (syntaxError) throw syntaxError;
  // a training loop (it calls .backward() or .step()) is not a cost: the model it trains is what to look at
  if (Array.isArray(fn.body) && (callsMethod(fn.body, 'backward') || callsMethod(fn.body, 'fit'))) {
    throw lines.errorAt(fn.nameSpan.start, `'${fn.name ?? 'this function'}' trains a model (it calls ${callsMethod(fn.body, 'backward') ? '.backward()' : '.fit()'}): put the cursor on the model's definition to see it train, or on a loss function of the parameters`);
  }
  // a function that returns several values: (cost, grad) is read as its cost; (dj_db, dj_dw) computes gradients by hand, not one cost
  const several = Array.isArray(fn.body) ? tupleReturn(fn.body, program.syntax) : undefined;
  if (several && Array.isArray(fn.body)) {
    if (!costFirst(several, fn.name)) {
      const names = several.items.map((x) => (x.k === 'name' ? x.name : '…')).join(', ');
      throw lines.errorAt(several.start, `'${fn.name ?? 'this function'}' returns ${several.items.length} values (${names}), not one number: Gradient Lens differentiates a cost itself — put the cursor on the cost function; its hover and panel show these partial derivatives`);
    }
    fn = { ...fn, body: firstReturned(fn.body) };
  }
  // a function of no arguments over the script's variables (TensorFlow's def loss(): return (w - 3.0) ** 2 with
  // w = tf.Variable(5.0), the function minimize() is given): a cost of those variables, as the script reads it
  if (fn.params.length === 0 && m.interp.leaves.length > 0) {
    let e: Expr | undefined;
    try {
      e = scalarOf(m.interp.callFunction({ t: 'fn', name: fn.name ?? 'loss', params: [], body: fn.body, closure: scope.env }, { args: [], kw: new Map(), at: st }, st));
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
    }
    if (e && [...paramsOf(e)].some((p) => m.interp.leaves.some((l) => l.name === p))) return buildScript(m, lines, language, { name: fn.name ?? 'loss', e, stmt: st, nameSpan: fn.nameSpan });
  }
  const { interp } = m;
  const what = fn.name ? `'${fn.name}'` : 'this function';
  const chosenData = (fn.name ? ctx.choices?.[fn.name] : undefined) ?? ctx.data;
  const site = fn.name ? bestSite(callSites(fn.name, m.texts, interp, m.env, place.member)) : undefined;
  const env: Env = { vars: new Map(), parent: scope.env };
  const params: string[] = [];
  const defaults: Record<string, number> = {};
  const paramRanges: Array<{ start: number; end: number }> = [];
  const data: DataBinding[] = [];
  const unbound: string[] = [];
  const loopVars = loopNames(fn.body, (name) => {
    const v = lookup(scope.env, name);
    return v?.t === 'fn' ? v : undefined;
  });
  // an argument read as data: looped over, indexed per sample, sized — or named as data in a function that reduces over it
  const reduces = /\b(?:sum|mean|average|dot|matmul|reduce|forEach|len)\s*\(|@|\.length\b|\.shape\b/.test(lines.text.slice(st.start, st.end));
  const usedAsData = (name: string): boolean => !loopVars.weights.has(name) && (loopVars.data.has(name) || (reduces && DATA_NAME.test(name)));
  // first what each argument receives (a call, the user's choice, a name that matches, a default) …
  let k = 0;
  const received = fn.params.map((p, idx) => {
    if (p.kind === 'marker') return undefined;
    // *args and **kwargs of the definition read are empty: what it differentiates is named
    if (p.kind === 'star' || p.kind === 'kwstar') { env.vars.set(p.name, p.kind === 'star' ? { t: 'arr', items: [] } : { t: 'obj', fields: new Map() }); return undefined; }
    if (idx === 0 && (((p.name === 'self' || p.name === 'cls') && program.syntax === 'python') || (p.name === 'this' && program.syntax === 'js'))) {
      // the instance the method reads its fields through
      env.vars.set(p.name, scope.self ?? { t: 'obj', fields: new Map() });
      return undefined;
    }
    let v: V | undefined;
    let fromDefault = false;
    let source: string | undefined;
    let why: DataBinding['why'] = 'call';
    if (site) {
      if (site.kw.has(p.name)) { v = site.kw.get(p.name); source = site.kwTexts.get(p.name); }
      else if (k < site.args.length) { v = site.args[k]; source = site.texts[k]; }
      k++;
    }
    const chosen = chosenData?.[p.name];
    if (chosen !== undefined) {
      v = optionSource(chosen, m.env, ctx.readFile, lines, p.start);
      source = chosen;
      why = 'option';
    } else if ((!v || v.t === 'none') && usedAsData(p.name)) {
      const guess = byName(p.name, m.env, undefined);
      if (guess) { v = guess.value; source = guess.name; why = 'name'; }
    }
    if (!v && p.default) {
      try {
        v = interp.eval(p.default, scope.env);
        fromDefault = true;
      } catch {
        v = undefined;
      }
    }
    return { p, idx, v, fromDefault, source, why };
  });
  // … then the data's shape: a matrix of samples says how many components a weight vector has
  const samplesMatrix = received.find((r) => r?.v?.t === 'arr' && depthOf(r.v) === 2 && usedAsData(r.p.name) && (packedOf(r.v) !== undefined || flatten(r.v).every(isNum)))?.v as (V & { t: 'arr' }) | undefined;
  // a matrix of samples with no data anywhere: its width is unknown, so the partials are written for SHOWN_FEATURES
  // features (∂/∂w[j] has the same form for every j), and said
  const unknownMatrix = samplesMatrix ? undefined : received.find((r) => r && !r.v && loopVars.matrices.has(r.p.name))?.p.name;
  const [samples, width] = samplesMatrix ? shapeOf(samplesMatrix) : unknownMatrix ? [undefined, SHOWN_FEATURES] : [];
  for (const r of received) {
    if (!r) continue;
    const { p, idx, v, fromDefault, source, why } = r;
    const range = { start: p.start, end: p.start + p.name.length };
    const scalarParam = (name: string, start?: number): V => {
      params.push(name);
      paramRanges.push(range);
      if (start !== undefined) defaults[name] = start;
      return { t: 's', e: { kind: 'param', name, start: range.start, end: range.end } };
    };
    if (p.pattern) {
      // a destructured parameter: ([x, y]) => …
      if (!v) throw lines.errorAt(p.start, `cannot tell what the destructured parameter ${p.name} receives: call ${what} in the file with its data`);
      env.vars.set(`#${idx}`, v);
      interp.bind(p.pattern, v, env);
      continue;
    }
    // a weight vector the file never fills (X @ w, w[j] over the features): as many components as the data has features
    const weightVector = width !== undefined && width > 1 && (loopVars.weights.has(p.name) || (loopVars.data.has(p.name) && !DATA_NAME.test(p.name)));
    if (!v || (v.t === 'none' && !fromDefault)) {
      const indexed = weightVector ? undefined : literalIndexCount(fn.body, p.name);
      if (weightVector) env.vars.set(p.name, { t: 'arr', items: Array.from({ length: width }, (_, i) => scalarParam(`${p.name}[${i}]`)) });
      // a parameter vector read only as p[0], p[1] (or unpacked: const [x, y] = p): as many components as it reads
      else if (indexed !== undefined) env.vars.set(p.name, { t: 'arr', items: Array.from({ length: indexed }, (_, i) => scalarParam(`${p.name}[${i}]`)) });
      // data nowhere in the file: read over symbolic samples below
      else if (usedAsData(p.name)) unbound.push(p.name);
      else env.vars.set(p.name, scalarParam(p.name));
      continue;
    }
    if (isNum(v)) {
      // a default the call leaves alone stays a constant when the file calls the function, and so does a
      // regularisation strength (lambda_), called or by its default: a hyperparameter, not a parameter to learn
      if ((fromDefault && site) || ((site || fromDefault) && HYPERPARAMETER.test(p.name))) { env.vars.set(p.name, v); continue; }
      env.vars.set(p.name, scalarParam(p.name, v.e.value));
      continue;
    }
    if (v.t === 'leaf' && isNum(v.value)) { env.vars.set(p.name, scalarParam(p.name, v.value.e.value)); continue; }
    if (v.t === 'arr') {
      // parameters come in vectors and matrices of at most 64; data may be 100,000 packed rows, never flattened here
      const few = lengthOf(v) <= 64;
      const flat = few ? flatten(v) : [];
      const numeric = few ? flat.every(isNum) : packedOf(v) !== undefined || flatten(v).every(isNum);
      const start = (x: V): number => (x as { e: { value: number } }).e.value;
      // a vector of the data's width, not of its sample count (w[j] over the features), is parameters
      const featureSized = width !== undefined && lengthOf(v) === width && width !== samples;
      // data: read per sample (sizes, loops, indexing by the loop variable) or named as data (x, y, xs, X_train, …)
      // a column vector (n, 1) of parameters (theta for X @ theta) keeps its shape; its components are named theta[i]
      const column = few && depthOf(v) === 2 && v.items.every((r) => r.t === 'arr' && r.items.length === 1);
      // a lone argument (f(x) = ½‖A x − b‖²) is the variable whatever its name: a function of its data alone has nothing to differentiate
      const lone = fn.params.filter((q) => q.kind === 'plain' && q.name !== 'self' && q.name !== 'this').length === 1;
      // a weight matrix (X @ W, or the lone argument), or a row of biases of shape (1, K) (b = np.zeros((1, K))): its entries W[i][j] are the parameters
      const matrix = few && !column && depthOf(v) === 2 && (lone || loopVars.weights.has(p.name) || v.items.length === 1) && flat.length <= 64;
      const parameters = lone || featureSized || (!loopVars.data.has(p.name) && !DATA_NAME.test(p.name));
      if (numeric && (depthOf(v) === 1 || column || matrix) && parameters && few) {
        // a vector parameter: its components are the parameters
        const comp = (x: V, name: string): V => scalarParam(name, start(flatten(x)[0]));
        env.vars.set(p.name, { t: 'arr', items: v.items.map((x, i) => (column ? { t: 'arr', items: [comp(x, `${p.name}[${i}]`)] }
          : matrix ? { t: 'arr', items: (x as V & { t: 'arr' }).items.map((y, j) => comp(y, `${p.name}[${i}][${j}]`)) } : comp(x, `${p.name}[${i}]`))) });
        continue;
      }
      // data computed at module level (np.c_[ones, data] / scale) is numbers: the arithmetic is done here, once
      const samplesV = numeric ? v : constantArray(v);
      if (!samplesV) throw lines.errorAt(p.start, `'${p.name}' receives ${describe(v)} with entries that are not numbers written in the file`);
      data.push({ arg: p.name, source: source ?? p.name, samples: lengthOf(samplesV), why });
      interp.tagData(p.name, samplesV);
      env.vars.set(p.name, samplesV);
      continue;
    }
    env.vars.set(p.name, v);
  }
  const args = fn.params.map((p) => p.name);
  const stray = Object.keys(chosenData ?? {}).filter((a) => !args.includes(a));
  if (stray.length) throw lines.errorAt(fn.nameSpan.start, `--data names ${stray.map((a) => `'${a}'`).join(', ')}, not ${stray.length > 1 ? 'arguments' : 'an argument'} of ${what} (arguments: ${args.join(', ')})`);
  const f: V & { t: 'fn' } = { t: 'fn', name: fn.name ?? 'lambda', params: [], body: fn.body, closure: env };
  const evaluate = (): Expr => {
    interp.locals.length = 0;
    interp.tracking = true;
    interp.moduleLevel = false;
    const returned = interp.callFunction(f, { args: [], kw: new Map(), at: st }, st);
    // an array of one number is that number: the (1, 1) of (1/2m)·(Xθ − y)ᵀ(Xθ − y) with θ of shape (n, 1), as NumPy prints J
    const result = returned.t === 'arr' && flatten(returned).length === 1 ? flatten(returned)[0] : returned;
    if (result.t === 'arr') throw lines.errorAt(fn.nameSpan.start, `${what} returns an array of shape ${shapeText(result)}; a cost must be one number (sum or average it: np.mean, np.sum)`);
    if (result.t !== 's') throw lines.errorAt(result.t === 'none' ? st.start : fn.nameSpan.start, result.t === 'none' ? `no return statement found in ${what}` : `${what} returns ${describe(result)}, not a number`);
    if (params.length === 0) throw lines.errorAt(fn.nameSpan.start, `${what} has no parameters to differentiate`);
    return result.e;
  };
  // what the user may bind instead: each argument read as data (its width: 1 for a column of samples) and the module's arrays
  const dataChoice = data.length + unbound.length > 0 ? {
    args: [...data.map((d) => ({ arg: d.arg, width: rowWidth(env.vars.get(d.arg)) })), ...unbound.map((arg) => ({ arg, width: 1 }))],
    arrays: moduleArrays(m.env),
  } : undefined;
  // a matrix of samples with no data whose weights are not seen as a vector here (X @ w in a helper): which of the
  // parameters spans the features is not known, so nothing is shown rather than a guess
  if (unknownMatrix && unbound.includes(unknownMatrix) && !params.some((q) => q.includes('['))) {
    const p = fn.params.find((q) => q.name === unknownMatrix) as { start: number };
    throw lines.errorAt(p.start, `'${unknownMatrix}' holds samples of several features, and no data in the file says how many: call ${fn.name ?? 'the function'}(${unbound.map((a) => `${a}_train`).join(', ')}, …) in the file, name the arrays ${unbound.map((a) => `${a}_train`).join(', ')} at module level, or choose them (--data ${unknownMatrix}=…)`);
  }
  if (unbound.length > 0) return { ...unboundFunction(fn, st, lines, language, { params, defaults, paramRanges, unbound, env, interp, evaluate, what, features: unknownMatrix && unbound.includes(unknownMatrix) ? unknownMatrix : undefined }), dataChoice };
  const sp = st;
  // many samples: read over the first few and bind every sample to the term found (the reading costs the same at any size)
  // the arrays of samples it reads: its data arguments, and module-level data it names (x, y of a notebook cell above)
  const large = new Map<string, V & { t: 'arr' }>();
  for (const d of data) large.set(d.arg, env.vars.get(d.arg) as V & { t: 'arr' });
  const free = new Set<string>();
  if (Array.isArray(fn.body)) fn.body.forEach((b) => readNames(b, free)); else namesIn(fn.body, free);
  for (const name of free) {
    const v = large.has(name) ? undefined : lookup(scope.env, name);
    if (v?.t === 'arr' && lengthOf(v) > PREFIX_ABOVE && isTaggedData(v, interp)) large.set(name, v);
  }
  const prefixed = large.size > 0 && [...large.values()].every((v) => lengthOf(v) > PREFIX_ABOVE) ? readOverPrefix(large, env, interp, evaluate) : undefined;
  const body: Expr = prefixed?.body ?? evaluate();
  const pos = position(lines, sp);
  // a sum over samples first: its one sample's term gives the model beside the cost, whatever the sample count
  const sumForm = prefixed?.sum ?? findSumForm(body, interp.dataTags);
  const fit = sumForm ? fitFromSum(sumForm) : findFitModel(body, interp.dataTags);
  const boundary = sumForm && !fit ? findBoundary(sumForm) : undefined;
  return {
    kind: 'function',
    name: fn.name,
    language,
    params,
    defaults,
    paramRanges,
    locals: toLocals(interp.locals),
    body,
    range: { start: sp.start, end: sp.end },
    nameRange: { start: fn.nameSpan.start, end: fn.nameSpan.end },
    ...pos,
    ...(data.length ? { data } : {}),
    ...(site?.trainedWith && Object.keys(site.trainedWith).length ? { trainedWith: site.trainedWith } : {}),
    ...(dataChoice ? { dataChoice } : {}),
    ...(fit ? { fit } : {}),
    ...(sumForm ? { sumForm } : {}),
    ...(boundary ? { boundary } : {}),
  };
}

/** Numbers per sample of an array of samples: 1 for a column, the row's length for rows. */
function rowWidth(v: V | undefined): number {
  const first = v?.t === 'arr' ? v.items[0] : undefined;
  return first?.t === 'arr' ? first.items.length : 1;
}

/** The most entries of computed data folded into numbers (a tape per entry). */
const MAX_FOLDED = 20_000;

/** An array whose entries are expressions of numbers only, as numbers; undefined where one holds a parameter. */
function constantArray(v: V & { t: 'arr' }): (V & { t: 'arr' }) | undefined {
  if (flatten(v).length > MAX_FOLDED) return undefined;
  const fold = (x: V): V | undefined => {
    if (x.t === 'arr') {
      const items = x.items.map(fold);
      return items.every((i) => i !== undefined) ? { t: 'arr', items: items as V[] } : undefined;
    }
    if (x.t !== 's' || paramsOf(x.e).size > 0) return undefined;
    const value = new Tape(x.e, []).forward(new Float64Array(0));
    return Number.isFinite(value) ? { t: 's', e: { kind: 'num', value, start: x.e.start, end: x.e.end } } : undefined;
  };
  return fold(v) as (V & { t: 'arr' }) | undefined;
}

/** A 1-D array of numbers tagged as data (samples at module level), judged by its first number. */
function isTaggedData(v: V & { t: 'arr' }, interp: Interpreter): boolean {
  const [first] = firstRows(v, 1);
  return first?.t === 's' && interp.dataTags.has(first.e);
}

/** Above this many samples a cost over data is read over its first samples, then bound to all of them. */
const PREFIX_ABOVE = 1000;
/** The two prefix lengths read: the same term at both, and a factor c or c/m, make the reading a sum over every sample. */
const PREFIXES = [48, 49];

/**
 * A cost over many samples read as a person reads it: once, over the first
 * 48 and the first 49 samples. Where both readings are one Σ of the same term
 * (constants computed from the data, a mean used to normalise, say, differ
 * between them and stop this) and the factor in front is c or c/m, the Σ is
 * bound to every sample's data. Otherwise undefined: the whole data is read.
 */
function readOverPrefix(full: ReadonlyMap<string, V & { t: 'arr' }>, env: Env, interp: Interpreter, evaluate: () => Expr): { body: Expr; sum: SampleSum } | undefined {
  const count = lengthOf([...full.values()][0]);
  if ([...full.values()].some((v) => lengthOf(v) !== count)) return undefined;
  // arguments live in the function's scope; module-level arrays are shadowed there while the prefixes are read
  const own = new Set([...full].filter(([name, v]) => env.vars.get(name) === v).map(([name]) => name));
  let refused: UserError | undefined;
  try {
    const reads = PREFIXES.map((n) => {
      for (const [arg, v] of full) env.vars.set(arg, { t: 'arr', items: firstRows(v, n) });
      const body = evaluate();
      return { n, body, sum: findSumForm(body, interp.dataTags) };
    });
    const [a, b] = reads;
    if (!a.sum || !b.sum || a.sum.count !== a.n || b.sum.count !== b.n) return undefined;
    const same = sameSum({ m: a.n, sum: a.sum }, { m: b.n, sum: b.sum });
    if (typeof same === 'string') return undefined;
    // every sample's numbers, by the symbol each of sample 0's numbers has in the term
    const columns: Record<string, Float64Array> = {};
    for (const v of full.values()) {
      const [first] = firstRows(v, 1);
      const cells = first.t === 'arr' ? first.items : [first];
      const packed = packedOf(v);
      cells.forEach((cell, j) => {
        const tag = cell.t === 's' ? interp.dataTags.get(cell.e) : undefined;
        if (!tag) return;
        const name = tag.column === undefined ? tag.name : `${tag.name}[:, ${tag.column}]`;
        const values = (): Float64Array => (packed ? columnNumbers(packed, first.t === 'arr' ? j : undefined) : Float64Array.from(v.items, (row) => {
          const c = row.t === 'arr' ? row.items[j] : row;
          return (c as V & { t: 's'; e: { value: number } }).e.value;
        }));
        const label = interp.labels.get(name);
        if (label) {
          const made = indicatorColumns(name, values(), label, interp);
          // a label that is not a class is the user's to fix, not a reason to read every sample instead
          if (made instanceof UserError) throw (refused = made);
          Object.assign(columns, made);
        }
        const symbol = dataSymbol(name);
        if (symbol in b.sum!.data) columns[symbol] = values();
      });
    }
    if (Object.keys(columns).length !== Object.keys(b.sum.data).length) return undefined;
    return { body: b.body, sum: { factor: same.perM ? same.factor / count : same.factor, count, term: b.sum.term, data: columns, ...(same.extra ? { extra: same.extra.at(count), ...(same.extra.varies ? { extraOverM: true } : {}) } : {}) } };
  } catch (e) {
    if (e instanceof UserError && e !== refused) return undefined;
    throw e;
  } finally {
    // the function's own scope again: its arguments hold all their samples, module-level names are the module's
    for (const [name, v] of full) {
      if (own.has(name)) env.vars.set(name, v);
      else env.vars.delete(name);
    }
  }
}

/**
 * A label column y as the K indicator columns [y = k] its selections read (y0, y1, …, as
 * selectByLabel tags them); a sample the prefix did not read whose label is not a class is
 * refused where the label first selected one.
 */
function indicatorColumns(name: string, labels: Float64Array, label: { classes: number; at: Span }, interp: Interpreter): Record<string, Float64Array> | UserError {
  const bad = labels.findIndex((y) => !Number.isInteger(y) || y < 0 || y >= label.classes);
  if (bad >= 0) return interp.err(label.at, `the label ${name}[${bad}] = ${labels[bad]} is not a class: it indexes ${label.classes} classes, so it must be a whole number from 0 to ${label.classes - 1}`);
  const out: Record<string, Float64Array> = {};
  for (let k = 0; k < label.classes; k++) out[dataSymbol(`${name}[:, ${k}]`)] = labels.map((y) => (y === k ? 1 : 0));
  return out;
}

/**
 * One Σ read at two sample counts m: the same term and part without data, and
 * a factor that is c at both (a plain sum) or c/m at both (a mean), given as c
 * with `perM`; else what differs.
 */
function sameSum(a: { m: number; sum?: SampleSum }, b: { m: number; sum?: SampleSum }): { factor: number; perM: boolean; extra?: ExtraOverM } | 'term' | 'factor' | 'extra' {
  if (!a.sum || !b.sum || toMathString(a.sum.term) !== toMathString(b.sum.term)) return 'term';
  let extra: ExtraOverM | undefined;
  if (a.sum.extra || b.sum.extra) {
    extra = a.sum.extra && b.sum.extra ? extraOverM({ m: a.m, e: a.sum.extra }, { m: b.m, e: b.sum.extra }) : undefined;
    if (!extra) return 'extra';
  }
  const perM = Math.abs(a.sum.factor * a.m - b.sum.factor * b.m) <= 1e-12 * Math.abs(a.sum.factor * a.m);
  const constant = Math.abs(a.sum.factor - b.sum.factor) <= 1e-12 * Math.abs(a.sum.factor);
  if (perM === constant) return 'factor';
  return { factor: perM ? a.sum.factor * a.m : a.sum.factor, perM, ...(extra ? { extra } : {}) };
}

/** A part without data as a function of the sample count m; `varies`: it depends on m (a regularisation's λ/(2m)). */
interface ExtraOverM { at: (m: number) => Expr; varies: boolean }

/**
 * The part without data (a regularisation's λ/(2m)·Σ w²) read at two sample counts, as a function of m:
 * the same expression but for numbers that are k/m at both (the folded λ/(2m)) or c·m at both (the 2m
 * it is divided by), each then computed for the m asked. Undefined when anything else differs.
 */
function extraOverM(a: { m: number; e: Expr }, b: { m: number; e: Expr }): ExtraOverM | undefined {
  const differ = new Map<Expr, (m: number) => number>();
  const close = (x: number, y: number): boolean => Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));
  const pair = (x: Expr, y: Expr): boolean => {
    if (x.kind !== y.kind) return false;
    switch (x.kind) {
      case 'num': {
        const v = (y as typeof x).value;
        if (x.value === v) return true;
        if (close(x.value * a.m, v * b.m)) differ.set(x, (m) => (x.value * a.m) / m);
        else if (close(x.value / a.m, v / b.m)) differ.set(x, (m) => (x.value / a.m) * m);
        else return false;
        return true;
      }
      case 'param': return x.name === (y as typeof x).name;
      case 'local': return x.name === (y as typeof x).name && x.element === (y as typeof x).element && pair(x.expr, (y as typeof x).expr);
      case 'neg': return pair(x.arg, (y as typeof x).arg);
      case 'call': return x.fn === (y as typeof x).fn && pair(x.arg, (y as typeof x).arg);
      case 'bin': return x.op === (y as typeof x).op && pair(x.left, (y as typeof x).left) && pair(x.right, (y as typeof x).right);
    }
  };
  if (!pair(a.e, b.e)) return undefined;
  if (differ.size === 0) return { at: () => a.e, varies: false };
  const at = (m: number): Expr => rewrite(a.e, (x) => {
    const f = differ.get(x);
    return f && x.kind === 'num' ? { ...x, value: f(m) } : x;
  });
  return { at, varies: true };
}

/**
 * Whether an expression over m is its value at m = 1 divided by m (λ/(2m)·Σ w² is (1/m)·(λ/2·Σ w²)),
 * checked at seeded points: the part without data is then written over m as a textbook writes it.
 */
function isOverM(at: (m: number) => Expr): boolean {
  const one = at(1);
  const names = [...paramsOf(one)];
  const [t1, t3, t4] = [one, at(3), at(4)].map((e) => new Tape(e, names));
  for (let k = 0; k < 3; k++) {
    const x = names.map((_, i) => 0.5 + ((37 * (i + 1) + 11 * k) % 23) / 23);
    const v = t1.forward(x);
    if (!Number.isFinite(v) || Math.abs(t3.forward(x) * 3 - v) > 1e-9 * Math.abs(v) || Math.abs(t4.forward(x) * 4 - v) > 1e-9 * Math.abs(v)) return false;
  }
  return true;
}

/** Samples read in place of data the file does not give: two counts tell how the cost's factor depends on m. */
const SYMBOLIC_COUNTS = [3, 4];
/** Features a matrix of samples is shown with when no data says how many it has. */
const SHOWN_FEATURES = 2;

/**
 * A cost over data with no data anywhere: read over placeholder samples (3,
 * then 4) so its Σ and the term of one sample are found as with real data;
 * the factor in front is c or c/m, told apart by the two counts. No number
 * of the placeholders reaches the user: the definition carries only the term.
 */
function unboundFunction(
  fn: FnStatement, st: Span, lines: LineIndex, language: LanguageId,
  r: { params: string[]; defaults: Record<string, number>; paramRanges: Array<{ start: number; end: number }>; unbound: string[]; env: Env; interp: Interpreter; evaluate: () => Expr; what: string; features?: string },
): FunctionDefinition {
  const names = r.unbound.map((a) => `'${a}'`).join(', ');
  const forms = SYMBOLIC_COUNTS.map((m) => {
    for (const [j, a] of r.unbound.entries()) {
      // distinct values that no formula folds into anything special; a matrix's rows of SHOWN_FEATURES
      const value = (i: number, k: number): V => ({ t: 's', e: { kind: 'num', value: 0.3183 * (i + 1) + 0.1379 * (j + 1) + 0.01 * i * j + 0.0721 * k * (k + i + 1), start: st.start, end: st.start } });
      const items: V[] = Array.from({ length: m }, (_, i) => (a === r.features ? { t: 'arr', items: Array.from({ length: SHOWN_FEATURES }, (_, k) => value(i, k)) } : value(i, 0)));
      const arr: V & { t: 'arr' } = { t: 'arr', items };
      r.interp.tagData(a, arr);
      r.env.vars.set(a, arr);
    }
    let body: Expr;
    try {
      body = r.evaluate();
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      throw lines.errorAt(fn.nameSpan.start, `${r.what} reads ${names} as data, and no data for ${r.unbound.length > 1 ? 'them' : 'it'} is in the file (${e.message}): call ${fn.name ?? 'the function'}(…) with arrays in the file, or name the arrays ${r.unbound.map((a) => `${a}_train`).join(', ')}`);
    }
    return { m, sum: findSumForm(body, r.interp.dataTags) };
  });
  const [a, b] = forms;
  const same = sameSum(a, b);
  if (same === 'term' || !a.sum) {
    throw lines.errorAt(fn.nameSpan.start, `${r.what} reads ${names} as data, but no data is in the file and its cost is not one sum over the samples: call ${fn.name ?? 'the function'}(…) with arrays in the file, or name the arrays ${r.unbound.map((x) => `${x}_train`).join(', ')}`);
  }
  if (same === 'factor') throw lines.errorAt(fn.nameSpan.start, `${r.what}: the factor in front of its sum over samples depends on their number in a way Gradient Lens cannot write without data; bind data to see it`);
  if (same === 'extra' || (same.extra?.varies && !isOverM(same.extra.at))) {
    throw lines.errorAt(fn.nameSpan.start, `${r.what}: its part without data depends on the number of samples in a way Gradient Lens cannot write without data; bind data to see it`);
  }
  const pos = position(lines, st);
  return {
    kind: 'function',
    name: fn.name,
    language,
    params: r.params,
    defaults: r.defaults,
    paramRanges: r.paramRanges,
    locals: [],
    body: a.sum.term,
    range: { start: st.start, end: st.end },
    nameRange: { start: fn.nameSpan.start, end: fn.nameSpan.end },
    ...pos,
    symbolicSum: {
      term: a.sum.term,
      factor: same.factor,
      perM: same.perM,
      // a part without data over m (λ/(2m)·Σ w²) is kept at m = 1 and written (1/m)·…
      ...(same.extra ? { extra: same.extra.at(1), ...(same.extra.varies ? { extraPerM: true } : {}) } : {}),
      ...(a.sum.accumulator ? { accumulator: a.sum.accumulator } : {}),
      unbound: r.unbound,
      symbols: Object.keys(a.sum.data),
      ...(r.features ? { features: { arg: r.features, shown: SHOWN_FEATURES } } : {}),
    },
  };
}

/** Names used as loop variables, and parameters a function reads as data (sizes, loops, per-sample indexing). */
/** A `return a, b` (a tuple, or a JavaScript array literal, of two or more values) among a body's statements, outside nested definitions. */
function tupleReturn(body: S[], syntax: Syntax): (X & { k: 'list' }) | undefined {
  for (const st of body) {
    if (st.k === 'return' && st.x?.k === 'list' && (st.x.tuple || syntax === 'js') && st.x.items.length >= 2) return st.x;
    const inner = tupleReturn(nested(st), syntax);
    if (inner) return inner;
  }
  return undefined;
}

/** Names a cost goes by, and names of hand-written partials. */
const COST_NAME = /^(?:j|cost|loss|err|error|total_?cost|total_?loss|mse|sse|rss|objective|f_?val|value)(?:_\w+)?$|cost|loss/i;
const GRADIENT_NAME = /^(?:d|grad|g_|dj|dw|db|dtheta|nabla)/i;

/**
 * `return J, grad` (scipy's jac=True, the course's costFunction) and `return
 * [cost, dw, db]` lead with the cost: a first value named as a cost, or, in a
 * function named for its cost, a first value not named as a gradient.
 */
function costFirst(ret: X & { k: 'list' }, fnName: string | null): boolean {
  const first = ret.items[0];
  if (first.k === 'name') return COST_NAME.test(first.name) && !GRADIENT_NAME.test(first.name);
  return /cost|loss|objective|error/i.test(fnName ?? '') && !/^(?:grad|compute_grad|gradient)/i.test(fnName ?? '');
}

/**
 * The body with each `return a, b, …` reading `return a`, and the assignments
 * only the other values needed left out (the hand-written gradient is not
 * read, so an operation it alone uses cannot stop the cost being read).
 */
function firstReturned(body: S[]): S[] {
  const rewrite = (list: S[]): S[] => list.map((st) => {
    if (st.k === 'return' && st.x?.k === 'list' && st.x.items.length >= 2) return { ...st, x: st.x.items[0] };
    if (st.k === 'for' || st.k === 'with' || st.k === 'cfor') return { ...st, body: rewrite(st.body) } as S;
    if (st.k === 'if') return { ...st, body: rewrite(st.body), orelse: rewrite(st.orelse) };
    return st;
  });
  const out = rewrite(body);
  // backwards over the top-level statements: a plain assignment whose names nothing later reads is dropped
  const live = new Set<string>();
  const kept: S[] = [];
  for (let k = out.length - 1; k >= 0; k--) {
    const st = out[k];
    if (st.k === 'assign' && !st.op && st.target.k === 'name' && !live.has(st.target.name)) continue;
    readNames(st, live);
    kept.unshift(st);
  }
  return kept;
}

/** Names data goes by (x, y, xs, X_train, inputs, labels, …). */
const DATA_NAME = /^(?:x|y|X|Y|xs|ys|data|inputs?|targets?|labels?|features?|t|ts)(?:_\w+)?$|_(?:train|test|data)$/;

/** Names the course labs give a regularisation strength. */
const HYPERPARAMETER = /^(?:lambda_?|lambd|lam|lmbda|reg|reg_lambda|lambda_reg|l2|l2_reg)$/;

/** How deep loopNames follows helpers of the file into helpers. */
const HELPER_DEPTH = 3;

/**
 * Which names of a function body are data, weights (the other side of a dot product with the data) and matrices
 * of samples, read from the text alone. A helper of the file the body calls (`f_wb = predict(X[i], w, b)`, found by
 * `callee`) is read the same way, its arguments standing for its parameters: a dot product there is one here.
 */
function loopNames(body: S[] | X, callee?: (name: string) => (V & { t: 'fn' }) | undefined, given: ReadonlySet<string> = new Set(), depth = 0): { data: Set<string>; weights: Set<string>; matrices: Set<string> } {
  const loopVars = new Set<string>();
  const dataNames = new Set<string>(given);
  // data with several features per sample: dotted with weights, indexed twice, sliced by column, .shape[1]
  const matrices = new Set<string>();
  // the other side of a dot product with the data (np.dot(X[i], w), X @ w): a weight vector, even when indexed w[j]
  const weights = new Set<string>();
  let last = false;
  const isData = (name: string): boolean => dataNames.has(name) || DATA_NAME.test(name);
  // a loop variable over data (for xi, yi in zip(X, y)) is a sample too
  const dataSide = (x: X): boolean => (x.k === 'name' && (isData(x.name) || loopVars.has(x.name))) || (x.k === 'index' && x.obj.k === 'name' && isData(x.obj.name));
  const dotOf = (a: X | undefined, b: X | undefined): void => {
    if (!last || !a || !b) return;
    if (dataSide(a) && b.k === 'name') { weights.add(b.name); matrices.add(rootName(a)); }
    if (dataSide(b) && a.k === 'name') { weights.add(a.name); matrices.add(rootName(b)); }
  };
  const visitS = (s: S): void => {
    if (s.k === 'for') { collectNames(s.target, loopVars); visitX(s.iter, true); s.body.forEach(visitS); }
    else if (s.k === 'cfor') { s.init.forEach((i) => { if (i.k === 'assign') collectNames(i.target, loopVars); visitS(i); }); if (s.test) visitX(s.test); s.update.forEach(visitS); s.body.forEach(visitS); }
    else if (s.k === 'if') { visitX(s.test); s.body.forEach(visitS); s.orelse.forEach(visitS); }
    else if (s.k === 'assign') {
      // m, n = X.shape: X has rows and columns
      if (s.target.k === 'list' && s.target.items.length === 2 && s.value.k === 'attr' && s.value.name === 'shape' && s.value.obj.k === 'name') matrices.add(s.value.obj.name);
      visitX(s.target); visitX(s.value);
    } else if (s.k === 'expr') visitX(s.x);
    else if (s.k === 'return' && s.x) visitX(s.x);
    else if (s.k === 'def') visitBody(s.body);
  };
  const visitBody = (b: S[] | X): void => {
    if (Array.isArray(b)) b.forEach(visitS);
    else visitX(b);
  };
  const visitX = (x: X, iterated = false): void => {
    switch (x.k) {
      case 'name': if (iterated) dataNames.add(x.name); break;
      case 'attr':
        if (x.obj.k === 'name' && ['shape', 'size', 'length', 'reduce', 'map', 'forEach', 'T'].includes(x.name)) dataNames.add(x.obj.name);
        visitX(x.obj);
        break;
      case 'index':
        if (x.obj.k === 'name' && x.idx.length >= 2) matrices.add(x.obj.name);
        if (x.obj.k === 'index' && x.obj.obj.k === 'name') matrices.add(x.obj.obj.name);
        if (x.obj.k === 'attr' && x.obj.name === 'shape' && x.obj.obj.k === 'name' && x.idx.some((i) => i.k === 'num' && i.v === 1)) matrices.add(x.obj.obj.name);
        if (x.obj.k === 'name' && x.idx.some((i) => i.k === 'name' && loopVars.has(i.name))) dataNames.add(x.obj.name);
        if (x.obj.k === 'name' && x.idx.some((i) => i.k === 'slice')) dataNames.add(x.obj.name);
        visitX(x.obj); x.idx.forEach((i) => visitX(i));
        break;
      case 'call': {
        const fname = x.fn.k === 'name' ? x.fn.name : x.fn.k === 'attr' ? x.fn.name : '';
        // range(n) takes a count, not data: range(len(x)) marks x through len
        const iter = ['len', 'zip', 'enumerate'].includes(fname);
        // np.dot(a, b), and the method a.dot(b) (X[i].dot(W))
        if (fname === 'dot' || fname === 'matmul') dotOf(...(x.fn.k === 'attr' && x.args.length === 1 ? [x.fn.obj, x.args[0]] as const : [x.args[0], x.args[1]] as const));
        const helper = last && depth < HELPER_DEPTH && x.fn.k === 'name' ? callee?.(x.fn.name) : undefined;
        if (helper) {
          const inner = loopNames(helper.body, callee, new Set(helper.params.filter((_q, j) => x.args[j] && dataSide(x.args[j])).map((q) => q.name)), depth + 1);
          helper.params.forEach((q, j) => {
            const a = x.args[j];
            if (a && inner.weights.has(q.name) && a.k === 'name') weights.add(a.name);
            if (a && inner.matrices.has(q.name) && (a.k === 'name' || a.k === 'index')) matrices.add(rootName(a));
          });
        }
        visitX(x.fn); x.args.forEach((a) => visitX(a, iter)); x.kw.forEach((a) => visitX(a.value));
        break;
      }
      case 'bin': if (x.op === '@') dotOf(x.l, x.r); visitX(x.l); visitX(x.r); break;
      case 'un': visitX(x.a); break;
      case 'list': x.items.forEach((i) => visitX(i, iterated)); break;
      case 'gen': x.fors.forEach((f) => { collectNames(f.target, loopVars); visitX(f.iter, true); }); visitX(x.elt); x.conds.forEach((c) => visitX(c)); break;
      case 'cond': visitX(x.test); visitX(x.a); visitX(x.b); break;
      case 'lambda': visitBody(x.body); break;
      default: break;
    }
  };
  // two passes: loop variables are known before their uses are checked; the third finds the weights
  for (let pass = 0; pass < 3; pass++) { last = pass === 2; visitBody(body); }
  for (const w of weights) { dataNames.delete(w); matrices.delete(w); }
  return { data: dataNames, weights, matrices };
}

/**
 * How many components a parameter has when the function reads it only by whole-number literals
 * (`p[0]`, `p[1]`) or unpacks it into names (`const [x, y] = p`, `x, y = p`): one past the highest index;
 * undefined when it is used any other way (as data, as a number, passed on) or never indexed.
 */
function literalIndexCount(body: S[] | X, name: string): number | undefined {
  let count = 0;
  let other = false;
  const visit = (node: unknown): void => {
    if (other || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(visit); return; }
    const o = node as { k?: string } & Record<string, unknown>;
    if (o.k === 'index') {
      const x = o as unknown as X & { k: 'index' };
      const i = x.idx[0];
      if (x.obj.k === 'name' && x.obj.name === name) {
        if (x.idx.length === 1 && i.k === 'num' && Number.isInteger(i.v) && i.v >= 0) count = Math.max(count, i.v + 1);
        else other = true;
        return;
      }
    }
    if (o.k === 'assign') {
      const a = o as unknown as S & { k: 'assign' };
      if (a.target.k === 'list' && a.value.k === 'name' && a.value.name === name && !a.op) {
        count = Math.max(count, a.target.items.length);
        return;
      }
    }
    if (o.k === 'name' && (o as unknown as { name: string }).name === name) { other = true; return; }
    for (const v of Object.values(o)) if (v && typeof v === 'object') visit(v);
  };
  visit(body);
  return other || count === 0 ? undefined : count;
}

/** The array a subscript reads from: X for X[i]. */
function rootName(x: X): string {
  return x.k === 'index' ? rootName(x.obj) : x.k === 'name' ? x.name : '';
}

function collectNames(x: X, into: Set<string>): void {
  if (x.k === 'name') into.add(x.name);
  else if (x.k === 'list') x.items.forEach((i) => collectNames(i, into));
  else if (x.k === 'obj') x.fields.forEach((f) => collectNames(f.value, into));
}

function buildScript(m: ModuleRun, lines: LineIndex, language: LanguageId, sv: { name: string; e: Expr; stmt: Span; nameSpan: Span }): FunctionDefinition {
  const used = paramsOf(sv.e);
  const leaves = m.interp.leaves.filter((l) => used.has(l.name));
  const seenNames = new Set<string>();
  const uniq = leaves.filter((l) => (seenNames.has(l.name) ? false : (seenNames.add(l.name), true)));
  const locals = m.interp.locals.filter((r) => r.stmt.start <= sv.stmt.start && hasParam(r.expr));
  const pos = position(lines, sv.stmt);
  return {
    kind: 'function',
    name: sv.name,
    language,
    params: uniq.map((l) => l.name),
    defaults: Object.fromEntries(uniq.map((l) => [l.name, l.value])),
    paramRanges: uniq.map((l) => ({ start: l.span.start, end: l.span.end })),
    locals: toLocals(locals.filter((r) => r.name !== sv.name || r.stmt.start === sv.stmt.start)),
    body: sv.e,
    range: { start: sv.stmt.start, end: sv.stmt.end },
    nameRange: { start: sv.nameSpan.start, end: sv.nameSpan.end },
    ...pos,
    ...(m.interp.plainWeights && m.interp.plainNumbers.size > 0 ? { roleNames: [...m.interp.plainNumbers] } : {}),
  };
}
