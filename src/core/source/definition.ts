/**
 * What a front end recognises in a document: a scalar function definition
 * with its parameters, the named intermediates of its body and its result
 * expression, all located in the document.
 */
import type { BoundaryModel, FitModel } from '../code/fit';
import type { SampleSum } from '../autodiff/tape';
import type { DescentHints } from '../hints';
import { LineIndex } from '../errors';
import { Expr } from '../expr/ast';
import { Dialect, Scope, parseExpression } from '../expr/parser';
import { SourceText } from '../expr/sourceText';
import { splitTopLevel } from '../text/scan';
import type { Candidate as AnyCandidate, OffsetRange } from '../candidate';

export type { OffsetRange } from '../candidate';
/** A function definition found by scanning, before its body is parsed. */
export type Candidate = AnyCandidate<FunctionDefinition>;

export type LanguageId = 'plaintext' | 'markdown' | 'python' | 'javascript' | 'typescript' | 'javascriptreact' | 'typescriptreact' | string;


export interface LocalDefinition {
  name: string;
  expr: Expr;
  /** the whole assignment statement */
  range: OffsetRange;
  /** the name on the left-hand side */
  nameRange: OffsetRange;
}

/** An argument of a function over data bound to samples, with where from and why. */
export interface DataBinding {
  /** the function's argument */
  arg: string;
  /** what it is bound to: the call's argument text, a module-level name, or `file.csv:column` */
  source: string;
  samples: number;
  why: 'call' | 'name' | 'option';
}

/** What a cost over data could be bound to: see FunctionDefinition.dataChoice. */
export interface DataChoice {
  args: Array<{ arg: string; width: number }>;
  arrays: Array<{ name: string; samples: number; width: number }>;
}

/** The bindings in words: a guess by name says it is one and how to choose otherwise. */
export function bindingsText(bindings: readonly DataBinding[]): string {
  const each = bindings.map((b) => `${b.arg} ← ${b.source} (${b.samples} samples${b.why === 'name' ? ', matched by name' : b.why === 'option' ? ', chosen' : ''})`);
  const guessed = bindings.some((b) => b.why === 'name');
  return `data: ${each.join(', ')}${guessed ? ' — a guess by name: call the function with its data in the file, or choose the arrays (--data arg=name)' : ''}`;
}

export interface FunctionDefinition {
  kind: 'function';
  /** null for an anonymous definition */
  name: string | null;
  language: LanguageId;
  params: string[];
  /** default values written in the signature (`def f(x=2.0)`), when numeric */
  defaults: Record<string, number>;
  /** where each parameter is named in the signature */
  paramRanges: OffsetRange[];
  locals: LocalDefinition[];
  /** the result expression; refers to locals through `local` nodes */
  body: Expr;
  /** the whole definition */
  range: OffsetRange;
  /** the function's name (or the first character of the definition) */
  nameRange: OffsetRange;
  /** 1-based first and last line */
  startLine: number;
  endLine: number;
  /** arguments bound to arrays of samples, with where from and why (a call, a name that matches, the user's choice) */
  data?: DataBinding[];
  /** the learning rate and iterations the call that trains it passes (`gradient_descent(…, alpha, num_iters, compute_cost, …)`) */
  trainedWith?: DescentHints;
  /** for a cost over data: J = factor · Σᵢ term(sample i), the term over the parameters and one symbol per data array */
  sumForm?: SampleSum;
  /**
   * a cost over data with no data in the file: J = factor · Σᵢ term (÷ m when
   * `perM`), the sample count a symbol; nothing is evaluated until data is bound
   */
  symbolicSum?: {
    term: Expr; factor: number; perM: boolean; extra?: Expr; accumulator?: string; unbound: string[]; symbols: string[];
    /** the part without data is `extra` divided by m (a regularisation's λ/(2m)·Σ w², kept as λ/2·Σ w²) */
    extraPerM?: boolean;
    /** a matrix of samples whose width no data gives: the partials are written for `shown` of its features */
    features?: { arg: string; shown: number };
  };
  /**
   * a cost over data (bound or not): the arguments read as data, each with its numbers per sample (1: a
   * column), and the module-level arrays (a notebook's other cells included) they could be bound to instead
   */
  dataChoice?: DataChoice;
  /**
   * a forward pass over plain numbers: the module-level names it gives a written number, each a parameter
   * (in params when the formula reads it) or held as written; the user may move any of them (CodeContext.roles)
   */
  roleNames?: string[];
  /** what was assumed in reading it, each said wherever the definition is shown (a helper of a missing module read as the standard sigmoid) */
  assumed?: string[];
  /** for a cost over data: the model's prediction as a function of its input (the fit drawn beside the cost) */
  fit?: FitModel;
  /** for a cost over data with two inputs and 0/1 labels: the classifier whose decision boundary is drawn beside the cost */
  boundary?: BoundaryModel;
}


export type Statement =
  | { kind: 'assign'; name: string; nameRange: OffsetRange; value: SourceText; range: OffsetRange; augmented?: '+' | '-' | '*' | '/' }
  | { kind: 'return'; value: SourceText; range: OffsetRange };

export interface Signature {
  name: string | null;
  params: string[];
  defaults: Record<string, number>;
  paramRanges: OffsetRange[];
  nameRange: OffsetRange;
}

/**
 * Parses body statements in order: each assignment becomes a local that later
 * statements refer to (so `z = 3*w + b; a = sigmoid(z); return (a-y)**2` keeps
 * z and a as named intermediates), the return statement becomes the body.
 */
export function assembleFunction(
  lines: LineIndex,
  language: LanguageId,
  dialect: Dialect,
  sig: Signature,
  statements: Statement[],
  range: OffsetRange,
  constants: ReadonlyMap<string, number>,
  functions?: Scope['functions'],
): FunctionDefinition {
  const locals = new Map<string, Expr>();
  const localDefs: LocalDefinition[] = [];
  let body: Expr | undefined;
  for (const st of statements) {
    if (body) throw lines.errorAt(st.range.start, 'code after the return statement is not supported');
    const scope: Scope = { params: sig.params, locals, constants, functions };
    let expr = parseExpression(st.value, lines, dialect, scope);
    if (st.kind === 'return') {
      body = expr;
      continue;
    }
    if (sig.params.includes(st.name)) {
      throw lines.errorAt(st.nameRange.start, `reassigning the parameter '${st.name}' is not supported; give the intermediate its own name`);
    }
    if (st.augmented) {
      const prev = locals.get(st.name);
      if (!prev) throw lines.errorAt(st.nameRange.start, `'${st.name}' is updated before it is assigned`);
      const ref: Expr = { kind: 'local', name: st.name, expr: prev, start: st.nameRange.start, end: st.nameRange.end };
      expr = { kind: 'bin', op: st.augmented, left: ref, right: expr, start: st.range.start, end: st.range.end };
    }
    locals.set(st.name, expr);
    localDefs.push({ name: st.name, expr, range: st.range, nameRange: st.nameRange });
  }
  if (!body) throw lines.errorAt(range.start, `no return statement found in ${sig.name ? `'${sig.name}'` : 'this function'}`);
  const start = lines.position(range.start);
  const end = lines.position(Math.max(range.start, range.end - 1));
  return {
    kind: 'function',
    name: sig.name,
    language,
    params: sig.params,
    defaults: sig.defaults,
    paramRanges: sig.paramRanges,
    locals: localDefs,
    body,
    range,
    nameRange: sig.nameRange,
    startLine: start.line,
    endLine: end.line,
  };
}

/**
 * Splits a parameter list `a, b: float = 2.0, *, c` into names, defaults and
 * ranges. Type annotations are skipped; anything but plain names is refused.
 */
export function parseParams(src: SourceText, lines: LineIndex, what: string): Pick<Signature, 'params' | 'defaults' | 'paramRanges'> {
  const params: string[] = [];
  const defaults: Record<string, number> = {};
  const paramRanges: OffsetRange[] = [];
  const parts = splitTopLevel(src.text, ',');
  for (const [a, b] of parts) {
    const piece = src.sub(a, b);
    const text = piece.text;
    if (text.trim() === '' ) {
      if (parts.length === 1) break; // f()
      continue; // trailing comma
    }
    const m = /^(\s*)([\p{L}_][\p{L}\p{N}_]*)\s*(?::\s*([^=]*?))?\s*(?:=\s*(.*?))?\s*$/su.exec(text);
    if (!m) {
      if (/^\s*\*/.test(text) || /^\s*\.\.\./.test(text)) throw lines.errorAt(piece.offsetAt(0), `variadic parameters are not supported in ${what}`);
      if (/^\s*[[{]/.test(text)) throw lines.errorAt(piece.offsetAt(0), `destructured parameters are not supported in ${what}`);
      throw lines.errorAt(piece.offsetAt(0), `cannot read the parameter '${text.trim()}'`);
    }
    const name = m[2];
    if (name === 'self' && params.length === 0) continue;
    if (params.includes(name)) throw lines.errorAt(piece.offsetAt(m[1].length), `parameter '${name}' appears twice`);
    params.push(name);
    const s = piece.offsetAt(m[1].length);
    paramRanges.push({ start: s, end: s + name.length });
    if (m[4] !== undefined) {
      const v = Number(m[4].replace(/_/g, ''));
      if (m[4] !== '' && Number.isFinite(v)) defaults[name] = v;
    }
  }
  return { params, defaults, paramRanges };
}

