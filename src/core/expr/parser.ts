/**
 * Tokenizer and precedence-climbing parser for the expression part of a
 * definition, in one of three dialects:
 *  - `math`: `^` and `**`, implicit multiplication (`2ab`, `3x^2`, `2(x+1)`),
 *    unicode operators (− × ÷ ·), Greek letters, superscripts ² ³;
 *  - `python`: `**`, `np.`/`math.`/`torch.`/`jnp.` prefixes;
 *  - `js`: `**`, `Math.*`.
 * It builds the closed `Expr` vocabulary and nothing else: any other construct
 * is a located `UserError` naming what is not supported. Nothing is executed.
 */
import { LineIndex, UserError } from '../errors';
import { BinaryOperator, Expr, paramsOf, substituteParams } from './ast';
import { CONSTANTS, FUNCTIONS, PREFIXES, Word, functionNames } from './vocabulary';
import { SourceText } from './sourceText';

export type Dialect = 'math' | 'python' | 'js';

/** Names an expression may refer to besides functions and constants. */
export interface Scope {
  readonly params: readonly string[];
  /** Named intermediates defined earlier in the body, in order. */
  readonly locals?: ReadonlyMap<string, Expr>;
  /** Module-level numeric constants (`ALPHA = 0.5`). */
  readonly constants?: ReadonlyMap<string, number>;
  /** Functions the document defines in math notation (`σ(z) = 1/(1 + e^-z)`), callable by name (math notation only). */
  readonly functions?: (name: string) => { params: readonly string[]; body: Expr } | undefined;
}

/** The deepest nesting accepted; deeper input gets a message, not a stack overflow. */
export const MAX_NESTING = 200;
/** The most tokens one expression may have. */
export const MAX_TOKENS = 50_000;

function resolveFunction(bare: string): Word | undefined {
  return FUNCTIONS.get(bare);
}

type TokKind = 'num' | 'ident' | 'op' | '(' | ')' | ',' | 'end';
interface Token {
  kind: TokKind;
  text: string;
  /** index into the SourceText */
  pos: number;
  end: number;
  value?: number;
}

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const SUPERSCRIPTS: Record<string, string> = { '²': '2', '³': '3', '¹': '1', '⁴': '4' };
const SUBSCRIPT_DIGITS = '₀₁₂₃₄₅₆₇₈₉';

export class ExpressionParser {
  private tokens: Token[] = [];
  private i = 0;
  private depth = 0;

  constructor(
    private readonly src: SourceText,
    private readonly lines: LineIndex,
    private readonly dialect: Dialect,
    private readonly scope: Scope,
  ) {}

  /** Parses the whole text as one expression. */
  parse(): Expr {
    this.tokenize();
    if (this.peek().kind === 'end') throw this.error(this.peek(), 'expected an expression here, found nothing');
    const e = this.parseSum();
    const t = this.peek();
    if (t.kind !== 'end') {
      if (t.kind === ')') throw this.error(t, "unmatched ')'");
      throw this.error(t, `unexpected ${describe(t)} after a complete expression`);
    }
    return e;
  }

  /**
   * The names the text uses, in order, with where each stands and whether a '(' follows it (a call,
   * or in math notation a product): what a formula without a signature is a function of.
   */
  names(): Array<{ name: string; at: number; call: boolean }> {
    this.tokenize();
    return this.tokens.flatMap((t, k) => (t.kind === 'ident' ? [{ name: t.text, at: this.off(t.pos), call: this.tokens[k + 1].kind === '(' }] : []));
  }

  // ---------------------------------------------------------------- tokens

  private tokenize(): void {
    const s = this.src.text;
    const out: Token[] = [];
    let i = 0;
    while (i < s.length) {
      const c = s[i];
      if (/\s/.test(c)) { i++; continue; }
      const start = i;
      if (/[0-9.]/.test(c) && (c !== '.' || /[0-9]/.test(s[i + 1] ?? ''))) {
        const m = /^(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9]+)?/.exec(s.slice(i));
        const text = m ? m[0] : c;
        i += text.length;
        if (/^[jJ]/.test(s.slice(i)) && this.dialect === 'python') throw this.errorAt(start, 'complex numbers are not supported');
        if (this.dialect === 'js' && s[i] === 'n') throw this.errorAt(start, 'BigInt literals are not supported');
        out.push({ kind: 'num', text, pos: start, end: i, value: Number(text.replace(/_/g, '')) });
        continue;
      }
      if (/[\p{L}_]/u.test(c)) {
        let j = i + 1;
        while (j < s.length) {
          const d = s[j];
          if (/[\p{L}\p{N}_]/u.test(d) || SUBSCRIPT_DIGITS.includes(d)) { j++; continue; }
          if (d === '.' && /[\p{L}_]/u.test(s[j + 1] ?? '') && this.dialect !== 'math') { j++; continue; }
          break;
        }
        let text = s.slice(i, j);
        text = text.replace(/[₀-₉]/g, (d) => String(SUBSCRIPT_DIGITS.indexOf(d)));
        out.push({ kind: 'ident', text, pos: start, end: j });
        i = j;
        continue;
      }
      if (s.startsWith('**', i)) { out.push({ kind: 'op', text: '^', pos: i, end: i + 2 }); i += 2; continue; }
      if (s.startsWith('//', i)) throw this.errorAt(i, "floor division '//' is not differentiable and not supported");
      if (c in SUPERSCRIPTS) {
        out.push({ kind: 'op', text: '^', pos: i, end: i + 1 });
        out.push({ kind: 'num', text: SUPERSCRIPTS[c], pos: i, end: i + 1, value: Number(SUPERSCRIPTS[c]) });
        i++;
        continue;
      }
      const op = ({ '+': '+', '-': '-', '−': '-', '*': '*', '×': '*', '·': '*', '⋅': '*', '∙': '*', '/': '/', '÷': '/', '^': '^' } as Record<string, string>)[c];
      if (op) {
        if (op === '^' && this.dialect !== 'math') {
          throw this.errorAt(i, `'^' is bitwise xor in ${this.dialect === 'python' ? 'Python' : 'JavaScript'}; write ** for a power`);
        }
        out.push({ kind: 'op', text: op, pos: i, end: i + 1 });
        i++;
        continue;
      }
      if (c === '(' || c === ')' || c === ',') { out.push({ kind: c, text: c, pos: i, end: i + 1 }); i++; continue; }
      if (this.dialect === 'math' && (c === '[' || c === '{')) { out.push({ kind: '(', text: c, pos: i, end: i + 1 }); i++; continue; }
      if (this.dialect === 'math' && (c === ']' || c === '}')) { out.push({ kind: ')', text: c, pos: i, end: i + 1 }); i++; continue; }
      if (c === '[' || c === '{' || c === ']' || c === '}') {
        throw this.errorAt(i, `'${c}' is not part of a math expression (use parentheses for grouping)`);
      }
      if (c === '"' || c === "'" || c === '`') throw this.errorAt(i, 'strings are not part of a math expression');
      if (c === '?' ) throw this.errorAt(i, 'branches (conditional expressions) are not supported');
      if ('<>=!'.includes(c)) throw this.errorAt(i, `comparison '${c}' is not supported: the function must be a single differentiable expression`);
      if (c === '%') throw this.errorAt(i, "the remainder operator '%' is not supported");
      if ('&|~'.includes(c)) throw this.errorAt(i, `bitwise operator '${c}' is not supported`);
      if (c === '.' && /[\p{L}_]/u.test(s[i + 1] ?? '')) throw this.errorAt(i, 'property access (.) is not part of a math expression');
      if (c === ';') throw this.errorAt(i, "unexpected ';' inside an expression");
      throw this.errorAt(i, `unexpected character '${c}'`);
    }
    out.push({ kind: 'end', text: '', pos: s.length, end: s.length });
    if (out.length > MAX_TOKENS) throw this.errorAt(0, `expression too long: ${out.length} tokens (the limit is ${MAX_TOKENS})`);
    this.tokens = out;
  }

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }

  private next(): Token {
    return this.tokens[this.i++];
  }

  // ---------------------------------------------------------------- grammar
  // sum     := product (('+'|'-') product)*
  // product := unary (('*'|'/'|implicit) unary)*
  // unary   := ('-'|'+') unary | power
  // power   := primary ('^' unary)?          (right-associative; -x^2 = -(x^2))

  private enter(t: Token): void {
    if (++this.depth > MAX_NESTING) throw this.error(t, `expression nests deeper than ${MAX_NESTING} levels`);
  }

  private parseSum(): Expr {
    let left = this.parseProduct();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && (t.text === '+' || t.text === '-')) {
        this.next();
        const right = this.parseProduct();
        left = this.bin(t.text as BinaryOperator, left, right);
      } else return left;
    }
  }

  private parseProduct(): Expr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      if (t.kind === 'op' && (t.text === '*' || t.text === '/')) {
        this.next();
        const right = this.parseUnary();
        left = this.bin(t.text as BinaryOperator, left, right);
      } else if (this.dialect === 'math' && (t.kind === 'num' || t.kind === 'ident' || t.kind === '(')) {
        // Implicit multiplication: 2a, 3x^2, 2(x+1), (a+b)(a-b).
        const right = this.parsePower();
        left = this.bin('*', left, right);
      } else return left;
    }
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.next();
      this.enter(t);
      const arg = this.parseUnary();
      this.depth--;
      if (t.text === '+') return arg;
      return { kind: 'neg', arg, start: this.off(t.pos), end: arg.end };
    }
    return this.parsePower();
  }

  private parsePower(): Expr {
    const base = this.parsePrimary();
    const t = this.peek();
    if (t.kind === 'op' && t.text === '^') {
      this.next();
      this.enter(t);
      const exponent = this.parseUnary();
      this.depth--;
      return this.bin('^', base, exponent);
    }
    return base;
  }

  private parsePrimary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'num':
        if (!Number.isFinite(t.value)) throw this.error(t, `number '${t.text}' is out of range`);
        return { kind: 'num', value: t.value as number, start: this.off(t.pos), end: this.off(t.end) };
      case '(': {
        this.enter(t);
        if (this.peek().kind === ')') throw this.error(t, "empty parentheses '()'");
        const inner = this.parseSum();
        const close = this.next();
        if (close.kind !== ')') {
          if (close.kind === 'end') throw this.error(t, t.text === '(' ? "missing closing parenthesis for this '('" : `missing '${CLOSER[t.text]}' for this '${t.text}'`);
          if (close.kind === ',') throw this.error(close, 'tuples are not supported');
          throw this.error(close, `expected '${CLOSER[t.text]}' but found ${describe(close)}`);
        }
        this.matchBrackets(t, close);
        this.depth--;
        return inner;
      }
      case 'ident':
        return this.parseIdentifier(t);
      case 'end':
        throw this.error(t, 'the expression ends too early: an operand is missing');
      case ')':
        throw this.error(t, "unexpected ')'");
      default:
        throw this.error(t, `unexpected ${describe(t)}`);
    }
  }

  private parseIdentifier(t: Token): Expr {
    const name = t.text;
    const start = this.off(t.pos);
    const end = this.off(t.end);
    const isCall = this.peek().kind === '(';
    const value = this.lookupValue(name, start, end);
    if (value && !(isCall && this.dialect !== 'math')) return value;
    if (isCall) return this.parseCall(t);
    if (this.dialect === 'math') {
      const split = this.splitImplicit(name, t);
      if (split) return split;
    }
    const bare = stripPrefix(name);
    if (resolveFunction(bare)) throw this.error(t, `function '${name}' needs an argument in parentheses`);
    if (name === 'inf' || name === 'Infinity' || bare === 'inf') throw this.error(t, 'infinity is not a usable constant here');
    throw this.error(t, `unknown name '${name}': it is not a parameter, a local variable or a constant`);
  }

  private lookupValue(name: string, start: number, end: number): Expr | undefined {
    if (this.scope.params.includes(name)) return { kind: 'param', name, start, end };
    const local = this.scope.locals?.get(name);
    if (local) return { kind: 'local', name, expr: local, start, end };
    const c = this.scope.constants?.get(name);
    if (c !== undefined) return { kind: 'num', value: c, start, end };
    const bare = stripPrefix(name);
    const constant = CONSTANTS.get(bare);
    if (constant) return { kind: 'num', value: constant.value, name: constant.name, start, end };
    return undefined;
  }

  /** `ab` → a·b, `xy2` → x·y2 when the pieces are parameters or constants (math notation only). */
  private splitImplicit(name: string, t: Token): Expr | undefined {
    const pieces: Expr[] = [];
    let rest = name;
    let pos = t.pos;
    while (rest.length > 0) {
      let found: string | undefined;
      for (let len = rest.length; len > 0; len--) {
        const head = rest.slice(0, len);
        if (this.scope.params.includes(head) || this.scope.locals?.has(head) || head === 'pi' || head === 'π') {
          found = head;
          break;
        }
      }
      if (!found) return undefined;
      const v = this.lookupValue(found, this.off(pos), this.off(pos + found.length));
      if (!v) return undefined;
      pieces.push(v);
      rest = rest.slice(found.length);
      pos += found.length;
    }
    return pieces.reduce((a, b) => this.bin('*', a, b));
  }

  private parseCall(t: Token): Expr {
    const bare = stripPrefix(t.text);
    const resolved = resolveFunction(bare);
    const defined = !resolved && this.dialect === 'math' ? this.scope.functions?.(t.text) : undefined;
    if (defined) return this.parseDefinedCall(t, defined);
    if (!resolved) {
      throw this.error(t, `unknown function '${t.text}': not differentiable here (supported: ${functionNames()})`);
    }
    const args = this.parseArguments(t, 'an argument');
    const start = this.off(t.pos);
    const end = args[args.length - 1].end + 1;
    const want = resolved.arity;
    if (args.length !== want) throw this.error(t, `'${t.text}' takes ${want} argument${want > 1 ? 's' : ''}, got ${args.length}`);
    // the call's nodes span the whole call (name to closing parenthesis)
    return resolved.build({
      call: (fn, arg) => ({ kind: 'call', fn, arg, start, end }),
      bin: (op, left, right) => ({ kind: 'bin', op, left, right, start, end }),
      num: (value) => ({ kind: 'num', value, start, end: start }),
    }, args);
  }

  /** The arguments of a call to `t`, from its '(' to the matching ')'; `needs` says what an empty call lacks. */
  private parseArguments(t: Token, needs: string): Expr[] {
    const open = this.next();
    this.enter(open);
    const args: Expr[] = [];
    if (this.peek().kind === ')') throw this.error(this.peek(), `'${t.text}' needs ${needs}`);
    for (;;) {
      args.push(this.parseSum());
      const sep = this.next();
      if (sep.kind === ')') { this.matchBrackets(open, sep); break; }
      if (sep.kind === ',') continue;
      if (sep.kind === 'end') throw this.error(open, `missing closing parenthesis for the call to '${t.text}'`);
      throw this.error(sep, `expected ',' or ')' in the call to '${t.text}' but found ${describe(sep)}`);
    }
    this.depth--;
    return args;
  }

  /** A call of a function defined elsewhere in the document: its body with the arguments for its parameters. */
  private parseDefinedCall(t: Token, fn: { params: readonly string[]; body: Expr }): Expr {
    const args = this.parseArguments(t, `${fn.params.length} argument${fn.params.length > 1 ? 's' : ''}`);
    if (args.length !== fn.params.length) throw this.error(t, `'${t.text}' takes ${fn.params.length} argument${fn.params.length > 1 ? 's' : ''} (${fn.params.join(', ')}), got ${args.length}`);
    // a name the function's signature lacks must be a parameter here (h_θ(x) = θ_0 + θ_1 x called in J(θ_0, θ_1))
    const stray = [...paramsOf(fn.body)].find((p) => !fn.params.includes(p) && !this.scope.params.includes(p));
    if (stray !== undefined) throw this.error(t, `'${t.text}' uses '${stray}', which is neither its parameter nor one of this formula's (${this.scope.params.join(', ')})`);
    return substituteParams(fn.body, new Map(fn.params.map((p, k) => [p, args[k]])));
  }

  // ---------------------------------------------------------------- helpers

  /** In math notation [ ] and { } group like ( ): each closes only its own kind. */
  private matchBrackets(open: Token, close: Token): void {
    if (CLOSER[open.text] !== close.text) throw this.error(close, `'${close.text}' closes the '${open.text}' at column ${this.lines.position(this.off(open.pos)).column}; close it with '${CLOSER[open.text]}'`);
  }

  private bin(op: BinaryOperator, left: Expr, right: Expr): Expr {
    return { kind: 'bin', op, left, right, start: Math.min(left.start, right.start), end: Math.max(left.end, right.end) };
  }

  private off(i: number): number {
    return this.src.offsetAt(i);
  }

  private errorAt(i: number, message: string): UserError {
    return this.lines.errorAt(this.off(i), message);
  }

  private error(t: Token, message: string): UserError {
    return this.errorAt(t.pos, message);
  }
}

function stripPrefix(name: string): string {
  for (const p of PREFIXES) if (name.startsWith(p)) return name.slice(p.length);
  return name;
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'end': return 'the end of the expression';
    case 'num': return `number '${t.text}'`;
    case 'ident': return `name '${t.text}'`;
    case 'op': return `operator '${t.text === '^' && t.end - t.pos === 2 ? '**' : t.text}'`;
    default: return `'${t.text}'`;
  }
}

/** Whether a name is a built-in function (exp, ln, np.sin, …) or a named constant (e, π): not a variable. */
export function isBuiltinName(name: string): boolean {
  const bare = stripPrefix(name);
  return resolveFunction(bare) !== undefined || CONSTANTS.has(bare);
}

export function parseExpression(src: SourceText, lines: LineIndex, dialect: Dialect, scope: Scope): Expr {
  return new ExpressionParser(src, lines, dialect, scope).parse();
}
