/**
 * Math notation (`f(x, y) = x^2 + 3y^2`, `L(w) = …`) in any file: plain text,
 * Markdown prose, `$…$`/`$$…$$` LaTeX, fenced blocks, and comments in code.
 */
import { LineIndex } from '../errors';
import { SourceText } from '../expr/sourceText';
import { Candidate, FunctionDefinition, LanguageId, parseParams } from './definition';
import { paramsOf } from '../expr/ast';
import { ExpressionParser, isBuiltinName } from '../expr/parser';
import { assembleFunction } from './definition';

/** `name(params) = expression` (not `==`), the name not glued to a preceding word. */
const DEFINITION = /(?<![\p{L}\p{N}_.\\])(\p{L}[\p{L}\p{N}_']*)\s*\(([^()=]*)\)\s*=(?!=)/gu;

/** Words after which prose resumes: the expression stops before them. */
const PROSE_STOP = /\s+(?:where|for|with|when|which|and|if|is|so|on|over|subject|given|s\.t\.)\s|\s[,;]\s|[.,;:]\s*$|\.\s+\p{Lu}/u;

/**
 * Scans one span of text (a line, or a converted LaTeX formula) for a math
 * definition. `emptyOk` lets the caller skip spans without one silently.
 */
export function mathCandidatesIn(src: SourceText, lines: LineIndex, language: LanguageId, constants: ReadonlyMap<string, number> = new Map(), functions?: DocumentFunctions): Candidate[] {
  const out: Candidate[] = [];
  const text = src.text;
  for (const m of text.matchAll(DEFINITION)) {
    const paramsText = m[2];
    if (!/^\s*\p{L}[\p{L}\p{N}_']*\s*(,\s*\p{L}[\p{L}\p{N}_']*\s*)*$/u.test(paramsText)) continue;
    const exprStart = m.index + m[0].length;
    let exprEnd = proseCut(text, exprStart);
    const stop = PROSE_STOP.exec(text.slice(exprStart, exprEnd));
    if (stop) exprEnd = exprStart + stop.index;
    const next = text.slice(exprStart).search(/(?<![\p{L}\p{N}_.\\])\p{L}[\p{L}\p{N}_']*\s*\([^()=]*\)\s*=(?!=)/u);
    if (next > 0) exprEnd = Math.min(exprEnd, exprStart + next);
    const range = { start: src.offsetAt(m.index), end: src.offsetAt(exprEnd) };
    const name = m[1];
    /** `called`: read for another formula's call, where names its signature lacks are the caller's parameters (h_θ(x) = θ_0 + θ_1 x in J(θ_0, θ_1)) */
    const read = (called = false): FunctionDefinition => {
      const open = m.index + m[0].indexOf('(', name.length);
      const params = parseParams(src.sub(open + 1, open + 1 + paramsText.length), lines, 'math notation');
      if (params.params.length === 0) throw lines.errorAt(src.offsetAt(open), `'${name}' has no parameters to differentiate with respect to`);
      const value = src.sub(exprStart, exprEnd).trim();
      if (value.length === 0) throw lines.errorAt(src.offsetAt(exprStart), `the definition of '${name}' has no expression after '='`);
      const own = new Map([...constants].filter(([k]) => !params.params.includes(k)));
      const free = called ? [...freeSymbols(value, lines, (p) => params.params.includes(p) || own.has(p), functions).keys()] : [];
      const def = assembleFunction(lines, language, 'math',
        { name, ...params, params: [...params.params, ...free], nameRange: { start: range.start, end: range.start + name.length } },
        [{ kind: 'return', value, range }], range, own, functions?.callable);
      return { ...def, params: params.params };
    };
    const build = functions ? functions.add(name, () => read(), () => read(true)) : () => read();
    out.push({ startLine: lines.position(range.start).line, endLine: lines.position(Math.max(range.start, range.end - 1)).line, build });
  }
  return out;
}

/**
 * The functions a document defines in math notation, each callable from its other formulas by
 * name: `σ(z) = \frac{1}{1 + e^{-z}}` in the prose makes `σ(w x_i + b)` in the cost its body. The
 * first definition of a name is the one called; a function does not call itself, directly or not.
 */
export class DocumentFunctions {
  private readonly builds = new Map<string, () => FunctionDefinition>();
  private readonly built = new Map<string, FunctionDefinition>();
  /** the definitions being read: one of them called again is a cycle, and not a function here */
  private readonly reading = new Set<string>();

  /**
   * Registers a definition (the first of its name): `read` for itself, `readCalled` for a call from another
   * formula; returns its reader. Both mark it while they read.
   */
  add(name: string, read: () => FunctionDefinition, readCalled: () => FunctionDefinition): () => FunctionDefinition {
    const tracked = (r: () => FunctionDefinition) => (): FunctionDefinition => {
      this.reading.add(name);
      try {
        return r();
      } finally {
        this.reading.delete(name);
      }
    };
    if (!this.builds.has(name)) this.builds.set(name, tracked(readCalled));
    return tracked(read);
  }

  defines(name: string): boolean {
    return this.builds.has(name);
  }

  /** The function a formula calls by name: undefined when the document does not define it, or the call would be a cycle. */
  readonly callable = (name: string): FunctionDefinition | undefined => {
    const build = this.builds.get(name);
    if (!build || this.reading.has(name)) return undefined;
    let def = this.built.get(name);
    if (!def) {
      def = build();
      this.built.set(name, def);
    }
    return def;
  };
}

/**
 * The free symbols of a formula, each with where it first stands: the names that are not built in, not
 * `known`, not a call of a function of the document; letters written together multiply (2ab, wx are
 * a·b, w·x) as math notation reads them; a called function's own free symbols (θ_0 in h_θ(x) = θ_0 + θ_1 x)
 * are the caller's.
 */
export function freeSymbols(value: SourceText, lines: LineIndex, known: (name: string) => boolean, functions?: DocumentFunctions): Map<string, number> {
  const out = new Map<string, number>();
  const add = (p: string, at: number): void => { if (!known(p) && !isBuiltinName(p) && !out.has(p)) out.set(p, at); };
  for (const n of new ExpressionParser(value, lines, 'math', { params: [] }).names()) {
    // a call of a function of the document is no symbol, even one that cannot be called here (a cycle)
    const defined = n.call && !isBuiltinName(n.name) && functions?.defines(n.name);
    const called = defined ? functions?.callable(n.name) : undefined;
    if (called) for (const p of paramsOf(called.body)) if (!called.params.includes(p)) add(p, n.at);
    if (defined || isBuiltinName(n.name)) continue;
    if (/^\p{L}{2,}$/u.test(n.name)) [...n.name].forEach((ch, k) => add(ch, n.at + k));
    else add(n.name, n.at);
  }
  return out;
}

const own = (o: Record<string, string>, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Where an expression in prose ends: a `,` or `;` outside parentheses ("… - 4a, a bowl …"). */
function proseCut(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth <= 0 && (c === ',' || c === ';')) return i;
  }
  return text.length;
}

const GREEK: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'θ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  rho: 'ρ', sigma: 'σ', tau: 'τ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
};
const FUNCTIONS: Record<string, string> = {
  sin: 'sin', cos: 'cos', tan: 'tan', arcsin: 'asin', arccos: 'acos', arctan: 'atan',
  sinh: 'sinh', cosh: 'cosh', tanh: 'tanh', exp: 'exp', ln: 'ln', log: 'log',
};
const OPERATORS: Record<string, string> = { cdot: '*', times: '*', ast: '*', div: '/' };
/** Bracket commands, grouping like parentheses. */
const BRACKETS: Record<string, 'open' | 'close'> = { '{': 'open', '}': 'close', lbrace: 'open', rbrace: 'close', lbrack: 'open', rbrack: 'close', lparen: 'open', rparen: 'close' };
const SPACING = new Set(['big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'quad', 'qquad', 'displaystyle', 'textstyle', 'limits', 'nolimits']);
const WRAPPERS = new Set(['operatorname', 'mathrm', 'text', 'mathit', 'mathbf', 'boldsymbol', 'mathnormal']);

/**
 * Rewrites LaTeX math into plain math notation, keeping document offsets:
 * `\frac{a}{b}` → `((a)/(b))`, `x^{2}` → `x^(2)`, `\theta_0` → `θ_0`,
 * `\sin x` → `sin(x)`, `\cdot` → `*`. Unknown commands are located errors.
 */
/** Columns of a Markdown table above a formula: x_i, y^{(i)} bind to them in a \sum. */
export interface SumData { columns: Map<string, number[]>; rows: number }

export function latexToMath(src: SourceText, lines: LineIndex, data?: SumData): SourceText {
  const b = SourceText.builder();
  const t = src.text;
  /** the index of the \sum being expanded, and the table row it stands for */
  let index: { name: string; row: number } | undefined;
  const closing = (open: number): number => {
    let depth = 0;
    for (let k = open; k < t.length; k++) {
      if (t[k] === '{') depth++;
      else if (t[k] === '}' && --depth === 0) return k;
    }
    throw lines.errorAt(src.offsetAt(open), "missing '}' in the LaTeX formula");
  };
  const skipSpace = (k: number): number => {
    while (k < t.length && /\s/.test(t[k])) k++;
    return k;
  };
  /** A macro's argument at k: a {…} group (its inside), else one command (\\pi) or one character. */
  const argument = (k: number, end: number): { start: number; end: number; next: number } | undefined => {
    if (k >= end || t[k] === '}') return undefined;
    if (t[k] === '{') { const close = closing(k); return { start: k + 1, end: close, next: close + 1 }; }
    if (t[k] === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(t.slice(k, end));
      const n = 1 + (m ? m[1].length : 0);
      return { start: k, end: k + n, next: k + n };
    }
    return { start: k, end: k + 1, next: k + 1 };
  };
  /** Where \\over stands at the top level of a group's inside, or −1. */
  const overAt = (from: number, to: number): number => {
    let d = 0;
    for (let k = from; k < to; k++) {
      if (t[k] === '{') d++;
      else if (t[k] === '}') d--;
      else if (d === 0 && t.startsWith('\\over', k) && !/[A-Za-z]/.test(t[k + 5] ?? '')) return k;
    }
    return -1;
  };
  const conv = (start: number, end: number, depth: number): void => {
    if (depth > 100) throw lines.errorAt(src.offsetAt(start), 'the LaTeX formula nests too deeply');
    let i = start;
    while (i < end) {
      const c = t[i];
      const off = src.offsetAt(i);
      if (index && data) {
        // x_i, x^{(i)}: sample i of column x; x_{1,i}, x_1^{(i)}, x^{(i)}_1: sample i of column x_1 (or x1)
        const ref = i === 0 || !/[A-Za-z\\]/.test(t[i - 1]) ? sampleReference(t, i, end, index.name) : undefined;
        if (ref) {
          const names = ref.feature === undefined ? [ref.base] : [`${ref.base}_${ref.feature}`, `${ref.base}${ref.feature}`];
          const name = names.find((n) => data.columns.has(n));
          const col = name === undefined ? undefined : data.columns.get(name);
          if (!col) {
            throw lines.errorAt(off, `'${t.slice(i, ref.next)}' is sample ${index.name} of a column '${names.join("' or '")}', which the table above does not have (its columns: ${[...data.columns.keys()].join(', ')})`);
          }
          if (index.row < 0 || index.row >= col.length) throw lines.errorAt(off, `${t.slice(i, ref.next)} has no row ${index.row + 1}: the table has ${col.length} rows`);
          b.push(`(${col[index.row]})`, off);
          i = ref.next;
          continue;
        }
      }
      if (c === '{') {
        const close = closing(i);
        const over = overAt(i + 1, close);
        if (over >= 0) {
          // {a \over b}: the plain-TeX fraction of the group's two sides
          b.push('((', off);
          conv(i + 1, over, depth + 1);
          b.push(')/(', src.offsetAt(over));
          conv(over + 5, close, depth + 1);
          b.push('))', src.offsetAt(close));
        } else {
          b.push('(', off);
          conv(i + 1, close, depth + 1);
          b.push(')', src.offsetAt(close));
        }
        i = close + 1;
      } else if (c === '_') {
        // subscripts become part of the name: \theta_0 → θ_0, w_{12} → w_12
        i++;
        b.push('_', off);
        if (t[i] === '{') {
          const close = closing(i);
          b.pushSource(src.sub(i + 1, close).trim());
          i = close + 1;
        } else if (i < end) {
          // one character, or one Greek letter: h_\theta → h_θ
          const greek = /^\\([A-Za-z]+)/.exec(t.slice(i, end));
          if (greek && own(GREEK, greek[1])) b.push(GREEK[greek[1]], src.offsetAt(i));
          else b.pushSource(src.sub(i, i + 1));
          i += greek && own(GREEK, greek[1]) ? greek[0].length : 1;
        }
      } else if (c === '\\') {
        const m = /^\\([A-Za-z]+|.)/.exec(t.slice(i, end));
        const cmd = m ? m[1] : '';
        i += 1 + cmd.length;
        if (own(GREEK, cmd)) b.push(GREEK[cmd], off);
        else if (own(OPERATORS, cmd)) b.push(` ${OPERATORS[cmd]} `, off);
        else if (cmd === 'left' || cmd === 'right') {
          // \left( \left[ \left\{ … \right): the delimiter groups like a parenthesis; \left. and \right. are invisible
          const d = delimiterAt(t, skipSpace(i), end);
          if (d) {
            b.push(d.group === undefined ? ' ' : d.group === 'open' ? '(' : ')', off);
            i = d.next;
          } else b.push(' ', off);
        } else if (own(BRACKETS, cmd)) b.push(BRACKETS[cmd] === 'open' ? '(' : ')', off);
        else if (SPACING.has(cmd) || cmd === ',' || cmd === ';' || cmd === ':' || cmd === '!' || cmd === ' ') b.push(' ', off);
        else if (WRAPPERS.has(cmd)) {
          i = skipSpace(i);
          if (t[i] !== '{') throw lines.errorAt(off, `\\${cmd} needs a {…} argument`);
          const close = closing(i);
          b.pushSource(src.sub(i + 1, close).trim());
          i = close + 1;
        } else if (cmd === 'frac' || cmd === 'dfrac' || cmd === 'tfrac') {
          // each argument a {…} group or, as TeX reads it, one character or command: \frac12, \frac1x, \frac\pi2
          const a1 = argument(skipSpace(i), end);
          const a2 = a1 && argument(skipSpace(a1.next), end);
          if (!a1 || !a2) throw lines.errorAt(off, `\\${cmd} needs two arguments: \\frac{a}{b} (or \\frac12)`);
          b.push('((', off);
          conv(a1.start, a1.end, depth + 1);
          b.push(')/(', src.offsetAt(a1.end));
          conv(a2.start, a2.end, depth + 1);
          b.push('))', src.offsetAt(Math.max(a2.start, a2.end - 1)));
          i = a2.next;
        } else if (cmd === 'sum') {
          if (!data) throw lines.errorAt(off, "'\\sum' needs data: put a Markdown table with a column per indexed symbol (| x | y |) above the formula");
          if (index) throw lines.errorAt(off, 'nested sums are not supported');
          // \sum_{i=1}^{m} body   (the body runs to the next + or - outside brackets)
          let name = 'i';
          let lo = 1;
          let k = skipSpace(i);
          // \sum\limits_{i=1}^{m}: where the bounds are typeset changes nothing
          const limits = /^\\(?:no)?limits(?![A-Za-z])/.exec(t.slice(k, end));
          if (limits) k = skipSpace(k + limits[0].length);
          const bound = (at: number): [string, number] => {
            if (t[at] === '{') { const close = closing(at); return [t.slice(at + 1, close).trim(), close + 1]; }
            return [t[at] ?? '', at + 1];
          };
          if (t[k] === '_') {
            const [sub, next] = bound(skipSpace(k + 1));
            const mm = /^([A-Za-z])\s*(?:=\s*(-?\d+))?$/.exec(sub);
            if (!mm) throw lines.errorAt(off, `cannot read the index of the sum '${sub}': write \\sum_{i=1}^{m}`);
            name = mm[1];
            if (mm[2] !== undefined) lo = Number(mm[2]);
            k = skipSpace(next);
          }
          let hi = lo + data.rows - 1;
          if (t[k] === '^') {
            const [sup, next] = bound(skipSpace(k + 1));
            const mm = /^(?:(\d+)|([A-Za-z])\s*(?:-\s*1)?)$/.exec(sup.replace(/\s+/g, ''));
            if (!mm) throw lines.errorAt(off, `cannot read the upper bound of the sum '${sup}'`);
            if (mm[1] !== undefined) hi = Number(mm[1]);
            k = skipSpace(next);
          }
          let depthB = 0;
          let j = k;
          for (; j < end; j++) {
            if (t[j] === '\\') {
              // \left[ … \right] (whatever the delimiters), \{ \}, \lbrack: one bracket each; other commands are skipped
              const name = /^\\([A-Za-z]+|.)/.exec(t.slice(j, end))?.[1] ?? '';
              if (name === 'left' || name === 'right') {
                const d = delimiterAt(t, skipSpace(j + 1 + name.length), end);
                if (name === 'left') depthB++;
                else if (depthB === 0) break;
                else depthB--;
                j = (d ? d.next : j + 1 + name.length) - 1;
                continue;
              }
              if (own(BRACKETS, name)) {
                if (BRACKETS[name] === 'open') depthB++;
                else if (depthB === 0) break;
                else depthB--;
              }
              j += name.length;
              continue;
            }
            const ch = t[j];
            if (ch === '(' || ch === '{' || ch === '[') depthB++;
            else if (ch === ')' || ch === '}' || ch === ']') { if (depthB === 0) break; depthB--; }
            else if ((ch === '+' || ch === '-') && depthB === 0 && j > k) break;
          }
          if (hi - lo + 1 > 100_000) throw lines.errorAt(off, 'the sum has more than 100000 terms');
          b.push('(', off);
          for (let r = lo; r <= hi; r++) {
            index = { name, row: r - lo };
            b.push(r > lo ? ' + (' : '(', off);
            conv(k, j, depth + 1);
            b.push(')', off);
          }
          index = undefined;
          b.push(')', off);
          i = j;
        } else if (cmd === 'sqrt') {
          i = skipSpace(i);
          let root: [number, number] | undefined;
          if (t[i] === '[') {
            const close = t.indexOf(']', i);
            if (close < 0 || close > end) throw lines.errorAt(off, "missing ']' in \\sqrt[n]");
            root = [i + 1, close];
            i = skipSpace(close + 1);
          }
          if (t[i] !== '{') throw lines.errorAt(off, '\\sqrt needs a {…} argument');
          const close = closing(i);
          if (root) {
            b.push('((', off);
            conv(i + 1, close, depth + 1);
            b.push(')^(1/(', off);
            conv(root[0], root[1], depth + 1);
            b.push(')))', src.offsetAt(close));
          } else {
            b.push('sqrt(', off);
            conv(i + 1, close, depth + 1);
            b.push(')', src.offsetAt(close));
          }
          i = close + 1;
        } else if (own(FUNCTIONS, cmd)) {
          b.push(FUNCTIONS[cmd], off);
          // \sin x → sin(x); \sin(x), \sin{x}, \sin\left( keep their own brackets.
          const j = skipSpace(i);
          const atom = /^(?:\p{L}[\p{L}\p{N}]*(?:_\{[^}]*\}|_\w)?|[0-9]+(?:\.[0-9]+)?|\\[A-Za-z]+(?:_\{[^}]*\}|_\w)?)/u.exec(t.slice(j, end));
          if (atom && t[j] !== '(' && !/^\\(left|right)/.test(atom[0])) {
            // \log \sigma(z): a name called right after the function is its whole argument, log(σ(z)), not log(σ)·(z)
            let stop = j + atom[0].length;
            if (t[stop] === '(' && !/^[0-9]/.test(atom[0])) {
              for (let d = 0; stop < end; stop++) if (t[stop] === '(') d++; else if (t[stop] === ')' && --d === 0) break;
              stop++;
            }
            b.push('(', off);
            conv(j, Math.min(stop, end), depth + 1);
            b.push(')', off);
            i = Math.min(stop, end);
          }
        } else if (cmd === 'tag' || cmd === 'label') {
          // an equation's number or label is not part of it
          i = skipSpace(i);
          if (t[i] !== '{') throw lines.errorAt(off, `\\${cmd} needs a {…} argument`);
          i = closing(i) + 1;
        } else if (cmd === '\\') throw lines.errorAt(off, 'multi-line LaTeX (\\\\) is not supported: put one definition in each formula');
        else throw lines.errorAt(off, `LaTeX command '\\${cmd}' is not supported here`);
      } else if (c === '&') {
        b.push(' ', off);
        i++;
      } else if (c === '[' || c === ']') {
        // square brackets group like parentheses: \frac{1}{m}\sum [ … ]
        b.push(c === '[' ? '(' : ')', off);
        i++;
      } else {
        b.pushSource(src.sub(i, i + 1));
        i++;
      }
    }
  };
  conv(0, t.length, 0);
  return b.finish(src.offsetAt(t.length));
}

/**
 * The delimiter after \left or \right at k: ( [ \{ \lbrace open a group, ) ] \} \rbrace close one,
 * '.' is the invisible delimiter. `next` is just past it.
 */
function delimiterAt(t: string, k: number, end: number): { group: 'open' | 'close' | undefined; next: number } | undefined {
  if (k >= end) return undefined;
  const c = t[k];
  if (c === '(' || c === '[') return { group: 'open', next: k + 1 };
  if (c === ')' || c === ']') return { group: 'close', next: k + 1 };
  if (c === '.') return { group: undefined, next: k + 1 };
  if (c === '\\') {
    const name = /^\\([A-Za-z]+|.)/.exec(t.slice(k, end))?.[1] ?? '';
    if (own(BRACKETS, name)) return { group: BRACKETS[name], next: k + 1 + name.length };
  }
  return undefined;
}

/**
 * A symbol indexed by the sample index `index` at k: x_i, x_{i}, x^{(i)} (column x), and with a
 * feature subscript x_{1,i}, x_{i,1}, x_1^{(i)}, x^{(i)}_1, x_{j}^{(i)} (column x_1 or x1, x_j or xj).
 * Undefined when the symbol at k is not indexed by `index` (x_1, x^{2}, w).
 */
export function sampleReference(t: string, k: number, end: number, index: string): { base: string; feature?: string; next: number } | undefined {
  if (!/[A-Za-z]/.test(t[k] ?? '')) return undefined;
  const base = t[k];
  let j = k + 1;
  let sub: string | undefined;
  let sup: string | undefined;
  for (let n = 0; n < 2; n++) {
    const m = /^(?:_\s*(?:\{([^{}]*)\}|([A-Za-z0-9]))|\^\s*\{\s*\(\s*([A-Za-z])\s*\)\s*\})/.exec(t.slice(j, end));
    if (!m) break;
    if (m[3] === undefined) {
      if (sub !== undefined) break;
      sub = (m[1] ?? m[2]).replace(/\s+/g, '');
    } else {
      if (sup !== undefined) break;
      sup = m[3];
    }
    j += m[0].length;
  }
  if (sup !== undefined) return sup === index && !sub?.split(',').includes(index) ? { base, feature: sub || undefined, next: j } : undefined;
  if (sub === undefined) return undefined;
  const parts = sub.split(',');
  if (parts.length > 2 || !parts.includes(index)) return undefined;
  const feature = parts.length === 2 ? parts[parts.indexOf(index) === 0 ? 1 : 0] : undefined;
  if (parts.length === 2 && !/^[A-Za-z0-9]+$/.test(feature ?? '')) return undefined;
  return { base, feature, next: j };
}

/** Math definitions in one line of plain text or prose, outside `$…$` spans. */
export function plainTextCandidates(doc: string, lines: LineIndex, language: LanguageId, lineFilter?: (line: number) => boolean, functions?: DocumentFunctions): Candidate[] {
  const out: Candidate[] = [];
  for (let line = 1; line <= lines.lineCount; line++) {
    if (lineFilter && !lineFilter(line)) continue;
    const a = lines.lineStart(line);
    const e = lines.lineEnd(line);
    if (!doc.slice(a, e).includes('=')) continue;
    out.push(...mathCandidatesIn(SourceText.slice(doc, a, e), lines, language, new Map(), functions));
  }
  return out;
}
