/**
 * A derivative written as a textbook writes it. mathjs differentiates (it is
 * the engine of record: its raw derivative is what is evaluated); this module
 * only rewrites the raw tree for reading, with rules a person learns in a
 * calculus or machine-learning course:
 *
 * - clean-ups: no `0 +`, `1 *`, `(1 - 0)`, `^(2 - 1)`, `+ -`, `* -1`;
 * - numeric factors collected into one coefficient (2 · 3 · x → 6x, x · x⁻¹ → 1), a decimal all
 *   terms of a sum share taken out once (0.5(0.1a + 0.1b) → 0.05(a + b));
 * - σ recognised: 1/(1 + e^(−z)) = σ(z), and σ′ = σ(1 − σ): e^(−z)·σ(z)² = σ(z)(1 − σ(z));
 * - tanh′ = 1 − tanh² (sech² is rewritten), |u|/u = sign(u), √u² = u;
 * - a sum whose terms share a factor has it factored out (the residual of a
 *   squared error, the ∂z/∂w of a logistic loss), and a sum is expanded when
 *   that is shorter — which is how −y(1 − σ) + (1 − y)σ cancels to σ − y;
 * - products of sums are never multiplied out otherwise, so a squared error's
 *   derivative stays 2(pred − y)·∂pred.
 *
 * Why not a library: mathjs' `simplify` normalises toward an expanded
 * polynomial form (x_i²·w + x_i(b − y_i), not (w·x_i + b − y_i)·x_i), knows
 * neither σ nor the log-loss cancellation, and is superlinear (it needed a time
 * budget here). The general CAS packages on npm (Algebrite, nerdamer) aim at a
 * canonical expanded form too and have no sigmoid. The textbook forms come from
 * the chain rule's structure and a handful of identities, which is what this
 * module encodes.
 *
 * Every rewrite keeps the value (wherever the raw derivative is defined); the
 * property test checks it over random expressions and points, and
 * symbolic.ts checks each partial at a few points before showing it.
 *
 * Pure: no mathjs at run time (its node shapes are read structurally). It
 * runs only on mathjs's trees, so it is bundled with the engine
 * (mathjsEngine.ts) and loaded with it, not at activation.
 */
import { fraction, significant } from './format';
import { texName } from './notation';
import { Expr, foldUp, operands, toMathString } from './expr/ast';

/** A node of the rewritten tree. Equal subtrees are one object with one id (hash-consed per `Forms`). */
export type Form =
  | { id: number; size: number; k: 'num'; v: number }
  | { id: number; size: number; k: 'sym'; name: string }
  | { id: number; size: number; k: 'fn'; fn: string; a: Form }
  /** ≥ 2 terms, like terms combined, at most one number (the last) */
  | { id: number; size: number; k: 'add'; xs: Form[] }
  /** c · Π fs: c ≠ 0, no number among fs, each base once */
  | { id: number; size: number; k: 'mul'; c: number; fs: Form[] }
  | { id: number; size: number; k: 'pow'; b: Form; e: Form };

/** What mathjs' nodes look like, as far as this module reads them. */
interface MathNodeLike {
  type: string;
  value?: unknown;
  name?: string;
  fn?: unknown;
  args?: MathNodeLike[];
  content?: MathNodeLike;
}

/** Functions a raw derivative may contain; anything else and no textbook form is attempted. */
const FUNCTIONS = new Set(['exp', 'log', 'log10', 'log2', 'sqrt', 'abs', 'sign', 'sin', 'cos', 'tan', 'sec', 'csc', 'cot',
  'asin', 'acos', 'atan', 'sinh', 'cosh', 'tanh', 'sech', 'csch', 'coth', 'sigmoid']);

/** Above this many nodes (of one sum) expanding is not tried: the product of sums grows quickly. */
const EXPAND_NODE_LIMIT = 300;
/** An expansion with more terms than this is abandoned. */
const EXPAND_TERM_LIMIT = 64;

/** A fresh hash-consing table: forms built by one instance share ids. */
export class Forms {
  private table = new Map<string, Form>();
  private next = 0;

  private intern<F extends Form>(key: string, make: (id: number) => F): F {
    const hit = this.table.get(key);
    if (hit) return hit as F;
    const f = make(this.next++);
    this.table.set(key, f);
    return f;
  }

  num(v: number): Form {
    const x = Object.is(v, -0) ? 0 : v;
    return this.intern(`n${x}`, (id) => ({ id, size: 1, k: 'num', v: x }));
  }

  sym(name: string): Form {
    return this.intern(`s${name}`, (id) => ({ id, size: 1, k: 'sym', name }));
  }

  /** −x; a sum is negated term by term, so −(−z) and z are one form. */
  neg(x: Form): Form {
    return x.k === 'add' ? this.add(x.xs.map((t) => this.neg(t))) : this.mul([this.num(-1), x]);
  }

  fn(name: string, a: Form): Form {
    if (name === 'sigmoid' && negativeLooking(a)) return this.add([this.num(1), this.neg(this.fn('sigmoid', this.neg(a)))]); // σ(−z) = 1 − σ(z)
    if (name === 'log' && a.k === 'fn' && a.fn === 'exp') return a.a;
    if (a.k === 'num') {
      const exact: Record<string, (v: number) => number | undefined> = {
        exp: (v) => (v === 0 ? 1 : undefined), log: (v) => (v === 1 ? 0 : undefined),
        sin: (v) => (v === 0 ? 0 : undefined), cos: (v) => (v === 0 ? 1 : undefined), tanh: (v) => (v === 0 ? 0 : undefined),
        abs: Math.abs, sign: Math.sign, sqrt: (v) => (Number.isInteger(Math.sqrt(v)) ? Math.sqrt(v) : undefined),
      };
      const r = exact[name]?.(a.v);
      if (r !== undefined) return this.num(r);
    }
    return this.intern(`f${name}:${a.id}`, (id) => ({ id, size: a.size + 1, k: 'fn', fn: name, a }));
  }

  pow(b: Form, e: Form): Form {
    if (e.k === 'num') {
      if (e.v === 0) return this.num(1);
      if (e.v === 1) return b;
      if (b.k === 'num' && (Number.isInteger(e.v) || b.v === 1)) {
        const r = b.v ** e.v;
        if (Number.isFinite(r)) return this.num(r);
      }
      if (Number.isInteger(e.v)) {
        // (x^a)^n = x^(a·n) and (a·b)^n = aⁿ·bⁿ for an integer n
        if (b.k === 'pow' && b.e.k === 'num') return this.pow(b.b, this.num(b.e.v * e.v));
        if (b.k === 'mul') return this.mul([this.num(b.c ** e.v), ...b.fs.map((f) => this.pow(f, e))]);
        // √u² = u (where √u is defined, which is where the raw form is)
        if (b.k === 'fn' && b.fn === 'sqrt' && e.v % 2 === 0) return this.pow(b.a, this.num(e.v / 2));
        // tanh′ = sech² = 1 − tanh²
        if (b.k === 'fn' && b.fn === 'sech' && e.v > 0 && e.v % 2 === 0) {
          return this.pow(this.add([this.num(1), this.neg(this.pow(this.fn('tanh', b.a), this.num(2)))]), this.num(e.v / 2));
        }
        // 1/(1 + e^a) = σ(−a)
        if (e.v < 0 && b.k === 'add' && b.xs.length === 2 && b.xs[1].k === 'num' && b.xs[1].v === 1 && b.xs[0].k === 'fn' && b.xs[0].fn === 'exp') {
          return this.pow(this.fn('sigmoid', this.neg(b.xs[0].a)), this.num(-e.v));
        }
      }
    }
    return this.intern(`p${b.id}^${e.id}`, (id) => ({ id, size: b.size + e.size + 1, k: 'pow', b, e }));
  }

  mul(items: readonly Form[]): Form {
    let c = 1;
    const flat: Form[] = [];
    const push = (x: Form): void => {
      if (x.k === 'num') c *= x.v;
      else if (x.k === 'mul') { c *= x.c; x.fs.forEach(push); } else flat.push(x);
    };
    items.forEach(push);
    if (c === 0) return this.num(0);
    // each base once, its exponents added (numeric exponents only)
    const bases = new Map<number, { base: Form; e: number }>();
    const order: Form[] = [];
    for (const f of flat) {
      const [base, e] = f.k === 'pow' && f.e.k === 'num' ? [f.b, f.e.v] : [f, 1];
      const have = bases.get(base.id);
      if (have) have.e += e;
      else { bases.set(base.id, { base, e }); order.push(base); }
    }
    const exp = (x: Form): number => bases.get(x.id)?.e ?? 0;
    const extra: Form[] = [];
    for (const base of order) {
      const entry = bases.get(base.id) as { base: Form; e: number };
      if (entry.e === 0) continue;
      // |u|/u = u/|u| = sign(u)
      if (base.k === 'fn' && base.fn === 'abs' && Math.abs(entry.e) === 1 && exp(base.a) === -entry.e) {
        entry.e = 0;
        (bases.get(base.a.id) as { e: number }).e = 0;
        extra.push(this.fn('sign', base.a));
        continue;
      }
      // e^a·σ(−a) = σ(a): with σ(−z) = 1 − σ(z) this is σ′ = σ(1 − σ) (e^(−z)·σ(z)² = σ(z)(1 − σ(z)))
      // and softplus′ = σ (e^u/(1 + e^u) = σ(u))
      if (base.k === 'fn' && base.fn === 'exp' && entry.e === 1) {
        const partner = bases.get(this.fn('sigmoid', this.neg(base.a)).id);
        if (partner && partner.e >= 1) {
          entry.e = 0;
          partner.e -= 1;
          extra.push(this.fn('sigmoid', base.a));
        }
      }
    }
    const fs: Form[] = [];
    const place = (x: Form): void => {
      if (x.k === 'num') c *= x.v;
      else if (x.k === 'mul') { c *= x.c; fs.push(...x.fs); } else fs.push(x);
    };
    for (const base of order) {
      const e = (bases.get(base.id) as { e: number }).e;
      if (e !== 0) place(this.pow(base, this.num(e)));
    }
    extra.forEach(place);
    if (c === 0) return this.num(0);
    if (!fs.length) return this.num(c);
    if (c === 1 && fs.length === 1) return fs[0];
    // products built from the extra factors may repeat a base: combine once more
    if (extra.length && new Set(fs.map((f) => baseOf(f).id)).size < fs.length) return this.mul([this.num(c), ...fs]);
    const key = fs.map((f) => f.id).sort((a, b) => a - b).join(',');
    return this.intern(`m${c}:${key}`, (id) => ({ id, size: fs.reduce((n, f) => n + f.size, 2), k: 'mul', c, fs }));
  }

  add(items: readonly Form[]): Form {
    let constant = 0;
    const terms = new Map<number, { rest: Form; c: number; scale: number }>();
    const order: Form[] = [];
    const push = (x: Form, scale: number): void => {
      if (x.k === 'num') { constant += scale * x.v; return; }
      if (x.k === 'add') { x.xs.forEach((t) => push(t, scale)); return; }
      const [c, rest] = x.k === 'mul' ? [x.c, x.c === 1 ? x : this.mul(x.fs)] : [1, x];
      const have = terms.get(rest.id);
      if (have) { have.c += scale * c; have.scale = Math.max(have.scale, Math.abs(scale * c)); } else { terms.set(rest.id, { rest, c: scale * c, scale: Math.abs(scale * c) }); order.push(rest); }
    };
    items.forEach((x) => push(x, 1));
    const xs: Form[] = [];
    for (const rest of order) {
      const t = terms.get(rest.id) as { rest: Form; c: number; scale: number };
      // a cancellation that leaves rounding error (0.1·3 − 0.3) is a cancellation
      if (Math.abs(t.c) <= 1e-12 * t.scale) continue;
      xs.push(t.c === 1 ? rest : this.mul([this.num(t.c), rest]));
    }
    if (Math.abs(constant) > 1e-15 || (constant !== 0 && !xs.length)) xs.push(this.num(constant));
    if (!xs.length) return this.num(0);
    if (xs.length === 1) return xs[0];
    const key = xs.map((x) => x.id).sort((a, b) => a - b).join(',');
    return this.intern(`a${key}`, (id) => ({ id, size: xs.reduce((n, x) => n + x.size, 1), k: 'add', xs }));
  }

  /** mathjs' tree → a form, cleaned up as it is built; throws on anything outside the vocabulary. */
  fromMathjs(n: MathNodeLike): Form {
    switch (n.type) {
      case 'ConstantNode':
        if (typeof n.value !== 'number') throw new Error('not a number');
        return this.num(n.value);
      case 'SymbolNode': return this.sym(n.name as string);
      case 'ParenthesisNode': return this.fromMathjs(n.content as MathNodeLike);
      case 'OperatorNode': {
        const xs = (n.args ?? []).map((a) => this.fromMathjs(a));
        switch (n.fn) {
          case 'add': return this.add(xs);
          case 'subtract': return this.add([xs[0], this.neg(xs[1])]);
          case 'multiply': return this.mul(xs);
          case 'divide': return this.mul([xs[0], this.pow(xs[1], this.num(-1))]);
          case 'pow': return this.pow(xs[0], xs[1]);
          case 'unaryMinus': return this.neg(xs[0]);
          case 'unaryPlus': return xs[0];
          default: throw new Error(`operator ${String(n.fn)}`);
        }
      }
      case 'FunctionNode': {
        const name = (n.fn as { name?: string }).name ?? '';
        if (!FUNCTIONS.has(name) || n.args?.length !== 1) throw new Error(`function ${name}`);
        return this.fn(name, this.fromMathjs(n.args[0]));
      }
      default: throw new Error(`node ${n.type}`);
    }
  }

  /**
   * The shortest of a sum as it is, with the factor its terms share taken out,
   * and expanded (then factored): applied bottom-up.
   */
  polish(x: Form): Form {
    const memo = new Map<string, Form>();
    // inSum: a term of a sum, which is written as a whole (0.2(0.1w + b − 1), not 0.02w + 0.2b − 0.2 among other terms)
    const walk = (f: Form, inSum = false): Form => {
      const key = `${f.id}${inSum ? '+' : ''}`;
      const hit = memo.get(key);
      if (hit) return hit;
      let out: Form;
      switch (f.k) {
        case 'fn': out = this.fn(f.fn, walk(f.a)); break;
        case 'pow': out = this.pow(walk(f.b), walk(f.e)); break;
        case 'mul': {
          out = this.mul([this.num(f.c), ...f.fs.map((g) => walk(g))]);
          // 0.5(4w + 6) is 2w + 3 and −(1 − t) is t − 1; 2(w − 3) stays: a whole factor before a sum is the textbook's
          if (!inSum && out.k === 'mul' && out.fs.length === 1 && out.fs[0].k === 'add' && (!Number.isInteger(out.c) || out.c === -1)) {
            const c = out.c;
            const terms = out.fs[0].xs.map((t) => this.mul([this.num(c), t]));
            if (terms.every((t) => significant(t.k === 'num' ? t.v : t.k === 'mul' ? t.c : 1) <= 6)) out = this.add(terms);
          }
          break;
        }
        case 'add': {
          const a = this.add(f.xs.map((t) => walk(t, true)));
          out = a;
          if (a.k === 'add' && a.size <= EXPAND_NODE_LIMIT) {
            // on a tie the factored form wins: 2(σ − y) over 2σ − 2y
            const candidates = [this.factorOut(a), a];
            const expanded = this.expand(a);
            if (expanded) candidates.push(this.factorOut(expanded), expanded);
            out = candidates.reduce((best, c) => (text(c).length < text(best).length ? c : best));
          }
          break;
        }
        default: out = f;
      }
      memo.set(key, out);
      return out;
    };
    return walk(x);
  }

  /** a·g + b·g = (a + b)·g for every factor g all terms share (its lowest power). */
  private factorOut(x: Form): Form {
    if (x.k !== 'add') return x;
    const powers = x.xs.map((t) => {
      const m = new Map<number, { base: Form; e: number }>();
      for (const f of t.k === 'mul' ? t.fs : t.k === 'num' ? [] : [t]) {
        const [base, e] = f.k === 'pow' && f.e.k === 'num' ? [f.b, f.e.v] : [f, 1];
        m.set(base.id, { base, e });
      }
      return m;
    });
    const common: Form[] = [];
    for (const [id, { base, e }] of powers[0]) {
      const es = powers.map((m) => m.get(id)?.e);
      if (es.some((v) => v === undefined || Math.sign(v) !== Math.sign(e))) continue;
      const low = e > 0 ? Math.min(...(es as number[])) : Math.max(...(es as number[]));
      common.push(this.pow(base, this.num(low)));
    }
    // the numeric content: a whole number every coefficient is a multiple of (2σ − 2y = 2(σ − y))
    const cs = x.xs.map((t) => Math.abs(t.k === 'num' ? t.v : t.k === 'mul' ? t.c : 1));
    // or a decimal every term has (0.1a + 0.1b = 0.1(a + b): collected once, joining the factor before the sum)
    const content = cs.every(Number.isInteger) ? cs.reduce(gcd) : cs.every((c) => c === cs[0]) ? cs[0] : 1;
    if (content !== 1 && content !== 0) common.push(this.num(content));
    if (!common.length) return x;
    const g = this.mul(common);
    const inv = this.pow(g, this.num(-1));
    return this.mul([this.add(x.xs.map((t) => this.mul([t, inv]))), g]);
  }

  /** Products of sums multiplied out (small integer powers too); undefined when that grows past the limit. */
  private expand(x: Form): Form | undefined {
    const termsOf = (f: Form): Form[] | undefined => {
      if (f.k === 'add') {
        const out: Form[] = [];
        for (const t of f.xs) {
          const ts = termsOf(t);
          if (!ts) return undefined;
          out.push(...ts);
        }
        return out.length > EXPAND_TERM_LIMIT ? undefined : out;
      }
      if (f.k === 'pow' && f.b.k === 'add' && f.e.k === 'num' && Number.isInteger(f.e.v) && f.e.v > 1 && f.e.v <= 3) {
        const ts = termsOf(f.b);
        if (!ts || ts.length ** f.e.v > EXPAND_TERM_LIMIT) return undefined;
        let acc: Form[] = ts;
        for (let k = 1; k < f.e.v; k++) acc = acc.flatMap((a) => ts.map((t) => this.mul([a, t])));
        return acc;
      }
      if (f.k === 'mul') {
        let acc: Form[] = [this.num(f.c)];
        for (const factor of f.fs) {
          const ts = factor.k === 'add' || factor.k === 'pow' ? termsOf(factor) : [factor];
          if (!ts || acc.length * ts.length > EXPAND_TERM_LIMIT) return undefined;
          acc = acc.flatMap((a) => ts.map((t) => this.mul([a, t])));
        }
        return acc;
      }
      return [f];
    };
    const ts = termsOf(x);
    return ts ? this.add(ts) : undefined;
  }
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const baseOf = (f: Form): Form => (f.k === 'pow' && f.e.k === 'num' ? f.b : f);

/** Whether a form reads with a leading minus: −3w − b, −x. */
function negativeLooking(x: Form): boolean {
  if (x.k === 'num') return x.v < 0;
  if (x.k === 'mul') return x.c < 0;
  if (x.k === 'add') return negativeLooking(x.xs[0]);
  return false;
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const EVAL: Record<string, (v: number) => number> = {
  exp: Math.exp, log: Math.log, log10: Math.log10, log2: Math.log2, sqrt: Math.sqrt, abs: Math.abs, sign: Math.sign,
  sin: Math.sin, cos: Math.cos, tan: Math.tan, sec: (v) => 1 / Math.cos(v), csc: (v) => 1 / Math.sin(v), cot: (v) => 1 / Math.tan(v),
  asin: Math.asin, acos: Math.acos, atan: Math.atan, sinh: Math.sinh, cosh: Math.cosh, tanh: Math.tanh,
  sech: (v) => 1 / Math.cosh(v), csch: (v) => 1 / Math.sinh(v), coth: (v) => 1 / Math.tanh(v), sigmoid,
};

/** The form's value; `pi` and `e` are the constants unless the scope names them. NaN outside the domain. */
export function evaluateForm(x: Form, scope: Readonly<Record<string, number>>): number {
  switch (x.k) {
    case 'num': return x.v;
    case 'sym': return scope[x.name] ?? (x.name === 'pi' ? Math.PI : x.name === 'e' ? Math.E : NaN);
    case 'fn': return EVAL[x.fn](evaluateForm(x.a, scope));
    case 'add': return x.xs.reduce((s, t) => s + evaluateForm(t, scope), 0);
    case 'mul': return x.fs.reduce((p, f) => p * evaluateForm(f, scope), x.c);
    case 'pow': return Math.pow(evaluateForm(x.b, scope), evaluateForm(x.e, scope));
  }
}

/** c and the rest of c · rest (c = 1 when there is no numeric factor). */
export function splitCoefficient(forms: Forms, x: Form): { c: number; rest: Form } {
  if (x.k === 'num') return { c: x.v, rest: forms.num(1) };
  if (x.k === 'mul') return { c: x.c, rest: forms.mul(x.fs) };
  return { c: 1, rest: x };
}

/** Whether q's decimal expansion ends (q = 2ᵃ5ᵇ): p/q is then exactly a decimal. */
const terminates = (q: number): boolean => {
  while (q % 2 === 0) q /= 2;
  while (q % 5 === 0) q /= 5;
  return q === 1;
};

/**
 * A number: an integer, a decimal of at most six significant digits as
 * written, p/q when its decimals repeat (1/6), a decimal when they end
 * (143996.5), else six significant digits.
 */
function numberText(v: number): string {
  if (Number.isInteger(v)) return String(v);
  if (significant(v) <= 6) return String(Number(v.toPrecision(12)));
  const f = fraction(v);
  if (f && !terminates(f.q)) return `${f.p}/${f.q}`;
  return String(Number(v.toPrecision(f ? 12 : 6)));
}

interface Printer {
  /** LaTeX (true) or math text */
  tex: boolean;
  plus: string;
  minus: string;
  times: string;
  group(s: string): string;
  fn(name: string, arg: string): string;
  power(base: string, exp: string): string;
  frac(num: string, den: string): string;
  sym(name: string): string;
  num(v: number): string;
  /** c written before a factor: 2x, 3(w − 1), 3 sech(z) */
  juxtapose(c: string, factor: string): string;
}

const TEXT: Printer = {
  tex: false,
  plus: ' + ', minus: ' - ', times: ' * ',
  group: (s) => `(${s})`,
  fn: (name, arg) => `${name === 'sigmoid' ? 'σ' : name}(${arg})`,
  power: (b, e) => `${b}^${e}`,
  frac: (n, d) => `${n} / ${d}`,
  sym: (name) => name,
  num: numberText,
  juxtapose: (c, f) => (/^(\(|[A-Za-zα-ω](?![\p{L}\p{N}_(]))/u.test(f) ? `${c}${f}` : `${c} ${f}`),
};

const TEX_FUNCTIONS: Record<string, string> = {
  exp: '\\exp', log: '\\ln', sin: '\\sin', cos: '\\cos', tan: '\\tan', sec: '\\sec', csc: '\\csc', cot: '\\cot',
  asin: '\\arcsin', acos: '\\arccos', atan: '\\arctan', sinh: '\\sinh', cosh: '\\cosh', tanh: '\\tanh', coth: '\\coth',
  sigmoid: '\\sigma', log10: '\\log_{10}', log2: '\\log_{2}',
};
const TEX: Printer = {
  tex: true,
  plus: ' + ', minus: ' - ', times: ' \\cdot ',
  group: (s) => `\\left(${s}\\right)`,
  fn: (name, arg) => (name === 'sqrt' ? `\\sqrt{${arg}}` : name === 'abs' ? `\\left|${arg}\\right|`
    : `${TEX_FUNCTIONS[name] ?? `\\mathrm{${name}}`}\\left(${arg}\\right)`),
  power: (b, e) => `{${b}}^{${e}}`,
  frac: (n, d) => `\\frac{${n}}{${d}}`,
  sym: (name) => texName(name, { sample: true }),
  num: (v) => {
    const t = numberText(v);
    const f = /^(-?)(\d+)\/(\d+)$/.exec(t);
    return f ? `${f[1]}\\frac{${f[2]}}{${f[3]}}` : t;
  },
  juxtapose: (c, f) => (/^(\\left\(|[A-Za-z](?![A-Za-z_{]))/.test(f) ? `${c}${f}` : `${c} ${f}`),
};

/** The form as math text (mathjs' syntax, σ for the sigmoid): 2(w * x_i + b - y_i) * x_i. */
export function text(x: Form): string {
  return print(x, TEXT, 0);
}

/** The form in LaTeX; `sym` names a symbol (the symbolic engine's `w_0` is the code's w[0], typeset w_{0}). */
export function tex(x: Form, sym: (name: string) => string = TEX.sym): string {
  return print(x, { ...TEX, sym }, 0);
}

/** 0: anywhere; 1: a term of a sum; 2: a factor; 3: a power's base. */
function print(x: Form, p: Printer, ctx: number): string {
  const wrap = (s: string, yes: boolean): string => (yes ? p.group(s) : s);
  switch (x.k) {
    case 'num': {
      const s = p.num(x.v);
      return wrap(s, (x.v < 0 && ctx >= 2) || (ctx >= 3 && !Number.isInteger(x.v)));
    }
    case 'sym': return p.sym(x.name);
    case 'fn': return p.fn(x.fn, print(x.a, p, 0));
    case 'add': {
      // a leading minus reads worse than a later one: −y + σ is written σ − y
      const xs = [...x.xs];
      const firstPositive = xs.findIndex((t) => !negativeLooking(t));
      if (negativeLooking(xs[0]) && firstPositive > 0) xs.unshift(...xs.splice(firstPositive, 1));
      let s = print(xs[0], p, 1);
      for (const t of xs.slice(1)) {
        s += negativeLooking(t) ? `${p.minus}${print(negate(t), p, 1)}` : `${p.plus}${print(t, p, 1)}`;
      }
      return wrap(s, ctx >= 2);
    }
    case 'mul': return wrap(printProduct(x, p), ctx >= 3 || (ctx === 2 && x.c < 0));
    case 'pow': {
      if (x.e.k === 'num' && x.e.v < 0) return wrap(printProduct({ ...x, k: 'mul', c: 1, fs: [x] } as Form & { k: 'mul' }, p), ctx >= 2);
      if (x.e.k === 'num' && x.e.v === 0.5 && p.tex) return p.fn('sqrt', print(x.b, p, 0));
      const plainExponent = (x.e.k === 'num' && !/[-/]/.test(p.num(x.e.v))) || x.e.k === 'sym';
      const e = plainExponent ? print(x.e, p, 0) : p.group(print(x.e, p, 0));
      return wrap(p.power(print(x.b, p, 3), p.tex ? print(x.e, p, 0) : e), ctx >= 3);
    }
  }
}

/**
 * Where a factor goes in a product, in the chain rule's order: a residual
 * first (w·x + b − y, σ − y), then plain factors, then the 1 − g of σ(1 − σ)
 * and tanh′ = 1 − tanh².
 */
function rank(f: Form): number {
  if (f.k !== 'add') return 1;
  const last = f.xs[f.xs.length - 1];
  return f.xs.length === 2 && last.k === 'num' && last.v === 1 && negativeLooking(f.xs[0]) ? 2 : 0;
}

/** −x for a form that reads with a leading minus, without building a new form. */
function negate(x: Form): Form {
  if (x.k === 'num') return { ...x, v: -x.v };
  if (x.k === 'mul') return { ...x, c: -x.c };
  if (x.k === 'add') return { ...x, xs: x.xs.map((t, i) => (i === 0 ? negate(t) : t)) };
  return x;
}

/**
 * c · factors over the factors with negative powers: sums (the residuals)
 * first, then the rest in the order they came; a fractional c's denominator
 * joins the denominator (x²/3, not 0.333333x²).
 */
function printProduct(x: Form & { k: 'mul' }, p: Printer): string {
  const up: Form[] = [];
  const down: Form[] = [];
  for (const f of x.fs) {
    if (f.k === 'pow' && f.e.k === 'num' && f.e.v < 0) down.push(f.e.v === -1 ? f.b : { ...f, e: { ...f.e, v: -f.e.v } });
    else up.push(f);
  }
  up.sort((a, b) => rank(a) - rank(b));
  let c = x.c;
  let denominator = 1;
  const f = Number.isInteger(c) || significant(c) <= 6 ? undefined : fraction(c);
  if (f && f.q <= 100 && !terminates(f.q)) { c = f.p; denominator = f.q; }
  const sign = c < 0 ? '-' : '';
  const a = Math.abs(c);
  const factors = (fs: Form[]): string => fs.map((g) => print(g, p, 2)).join(p.times);
  let top = factors(up);
  if (!up.length) top = p.num(a);
  else if (a !== 1) top = p.juxtapose(p.num(a), top);
  const bottom = down.length || denominator !== 1
    ? [denominator !== 1 ? p.num(denominator) : '', factors(down)].filter(Boolean).join(p.times === ' * ' ? ' * ' : '')
    : '';
  if (!bottom) return `${sign}${top}`;
  const many = down.length + (denominator !== 1 ? 1 : 0) > 1;
  return `${sign}${p.frac(up.length > 1 && !p.tex ? p.group(top) : top, many && !p.tex ? p.group(bottom) : bottom)}`;
}

/** The textbook form of a raw mathjs derivative; undefined when it holds something outside the vocabulary. */
export function textbookForm(raw: MathNodeLike, forms = new Forms()): Form | undefined {
  try {
    return forms.polish(forms.fromMathjs(raw));
  } catch {
    return undefined;
  }
}

/** A named intermediate of the code (`f_wb_i = sigmoid(z_i)`): the symbol it is written as, and its expression's form. */
export interface NamedForm { symbol: string; form: Form }

/**
 * The form with the code's intermediates written by their names: each
 * subexpression equal to a local's form (or a sum holding all of its terms,
 * `w·x + b − y` with `f_wb = w·x + b`) becomes its symbol. Outer locals first,
 * so σ(z) becomes f_wb, not σ(z) with z named inside it. Forms are
 * hash-consed, so equal means the same object.
 */
export function inNames(forms: Forms, x: Form, locals: readonly NamedForm[]): Form {
  let out = x;
  for (const local of [...locals].sort((a, b) => b.form.size - a.form.size)) out = replaceForm(forms, out, local.form, forms.sym(local.symbol));
  return out;
}

function replaceForm(forms: Forms, root: Form, target: Form, s: Form): Form {
  if (target.k === 'num' || target.k === 'sym') return root;
  const parts = target.k === 'add' ? new Set(target.xs.map((t) => t.id)) : undefined;
  const negated = forms.neg(target);
  const negParts = negated.k === 'add' ? new Set(negated.xs.map((t) => t.id)) : undefined;
  const memo = new Map<number, Form>();
  const go = (f: Form): Form => {
    const hit = memo.get(f.id);
    if (hit) return hit;
    let r: Form;
    if (f.id === target.id) r = s;
    else if (f.id === negated.id) r = forms.neg(s);
    else if (f.k === 'add' && parts && target.k === 'add' && target.xs.every((t) => f.xs.some((u) => u.id === t.id))) {
      r = forms.add([s, ...f.xs.filter((t) => !parts.has(t.id)).map(go)]);
    } else if (f.k === 'add' && negParts && negated.k === 'add' && negated.xs.every((t) => f.xs.some((u) => u.id === t.id))) {
      r = forms.add([forms.neg(s), ...f.xs.filter((t) => !negParts.has(t.id)).map(go)]);
    } else {
      switch (f.k) {
        case 'fn': r = forms.fn(f.fn, go(f.a)); break;
        case 'pow': r = forms.pow(go(f.b), go(f.e)); break;
        // a sum named (the residual err) keeps a sum's place in the product, first: err · x, not x · err
        case 'mul': r = forms.mul([forms.num(f.c), ...f.fs.filter((g) => g.k === 'add').map(go), ...f.fs.filter((g) => g.k !== 'add').map(go)]); break;
        case 'add': r = forms.add(f.xs.map(go)); break;
        default: r = f;
      }
    }
    memo.set(f.id, r);
    return r;
  };
  return go(root);
}

/**
 * The named intermediates a parameter reaches `root` through, outermost
 * first, when they form a chain: the expression depends on p only through
 * L₁, L₁ only through L₂, …, and the last directly — so ∂f/∂p =
 * ∂f/∂L₁ · ∂L₁/∂L₂ ⋯ ∂Lₖ/∂p. `named` says which locals can be written (a loop's
 * accumulator, assigned many times, cannot). Empty when there is no such local.
 */
export function chainOf(root: Expr, param: string, named: (local: Expr & { kind: 'local' }) => boolean): Array<Expr & { kind: 'local' }> {
  const depends = new Map<Expr, boolean>();
  const dependsOn = (e: Expr): boolean => {
    const known = depends.get(e);
    if (known !== undefined) return known;
    const r = foldUp<boolean>(e, (n, ops) => depends.get(n) ?? ((n.kind === 'param' && n.name === param) || ops.some(Boolean)));
    for (const [n, v] of r) depends.set(n, v);
    return r.get(e) as boolean;
  };
  /** the one local every path from e to p goes through first, if there is one */
  const gateway = (e: Expr): (Expr & { kind: 'local' }) | undefined => {
    const frontier = new Set<Expr & { kind: 'local' }>();
    let direct = false;
    const seen = new Set<Expr>();
    const stack = [e.kind === 'local' ? e.expr : e];
    while (stack.length) {
      const n = stack.pop() as Expr;
      if (seen.has(n) || !dependsOn(n)) continue;
      seen.add(n);
      if (n.kind === 'local') frontier.add(n);
      else if (n.kind === 'param') direct = true;
      else stack.push(...operands(n));
    }
    const [only] = frontier;
    return !direct && frontier.size === 1 && named(only) ? only : undefined;
  };
  const chain: Array<Expr & { kind: 'local' }> = [];
  for (let next = gateway(root); next && chain.length < 32; next = gateway(next)) chain.push(next);
  return chain;
}

/**
 * A cross-entropy of a softmax, found on the code's own tree before anything
 * is differentiated: L = s · Σₖ tₖ·(−log pₖ) with pₖ = exp(zₖ) / Σⱼ exp(zⱼ),
 * written as −Σ y·log p (one-hot or a distribution of targets per sample) or
 * −log p[y] (one target). Then ∂L/∂zⱼ = s·(pⱼ·Σₖtₖ − tⱼ), which is the
 * textbook's pⱼ − tⱼ exactly when the targets sum to 1 — a fact about the
 * data, which the caller checks. After simplification this structure is gone
 * (mathjs' derivative has a common denominator), so it is recognised here.
 */
export interface SoftmaxLoss {
  scale: number;
  /** zⱼ for every class j of the softmax, in the order of its denominator */
  logits: Expr[];
  /** the softmax's denominator Σⱼ exp(zⱼ) */
  denominator: Expr;
  /** tⱼ per class: a data symbol, a number, 0 where the loss has no term for the class */
  targets: Array<string | number>;
}

export function softmaxLoss(root: Expr, isData: (name: string) => boolean): SoftmaxLoss | undefined {
  const strip = (e: Expr): Expr => { while (e.kind === 'local') e = e.expr; return e; };
  const terms: Array<{ coef: number; t: string | number; p: Expr }> = [];
  const isLog = (e: Expr): boolean => { const x = strip(e); return x.kind === 'call' && x.fn === 'log'; };
  const target = (e: Expr): string | number | undefined => {
    const x = strip(e);
    return x.kind === 'num' && !x.name ? x.value : x.kind === 'param' && isData(x.name) ? x.name : undefined;
  };
  // a loss over K classes is a sum of K terms: a sum much longer is something else (f(x) = x^0 + … + x^6 2000 times), not walked
  const collect = (e: Expr, coef: number, depth = 0): boolean => {
    if (depth > 256) return false;
    const x = strip(e);
    if (x.kind === 'neg') return collect(x.arg, -coef, depth + 1);
    if (x.kind === 'call' && x.fn === 'log') { terms.push({ coef, t: 1, p: x.arg }); return true; }
    if (x.kind !== 'bin') return false;
    const num = (y: Expr): number | undefined => { const s = strip(y); return s.kind === 'num' && !s.name ? s.value : undefined; };
    switch (x.op) {
      case '+': return collect(x.left, coef, depth + 1) && collect(x.right, coef, depth + 1);
      case '-': return collect(x.left, coef, depth + 1) && collect(x.right, -coef, depth + 1);
      case '/': { const v = num(x.right); return v !== undefined && v !== 0 && collect(x.left, coef / v, depth + 1); }
      case '*': {
        for (const [a, b] of [[x.left, x.right], [x.right, x.left]]) {
          const t = isLog(b) ? target(a) : undefined;
          if (t !== undefined) { terms.push({ coef, t, p: (strip(b) as Expr & { kind: 'call' }).arg }); return true; }
        }
        const l = num(x.left);
        if (l !== undefined) return collect(x.right, coef * l, depth + 1);
        const r = num(x.right);
        return r !== undefined && collect(x.left, coef * r, depth + 1);
      }
      default: return false;
    }
  };
  if (!collect(root, 1)) return undefined;
  const live = terms.filter((t) => t.t !== 0);
  if (!live.length || live.some((t) => Math.abs(t.coef - live[0].coef) > 1e-12 * Math.abs(live[0].coef))) return undefined;
  // every p: exp(z) over one and the same Σⱼ exp(zⱼ), z one of the zⱼ
  const exps = (e: Expr): Expr[] | undefined => {
    const x = strip(e);
    if (x.kind === 'call' && x.fn === 'exp') return [x.arg];
    if (x.kind !== 'bin' || x.op !== '+') return undefined;
    const l = exps(x.left);
    const r = l && exps(x.right);
    return r && [...(l as Expr[]), ...r];
  };
  let denominator: Expr | undefined;
  let key = '';
  let logits: Expr[] = [];
  const targets: Array<string | number> = [];
  for (const { t, p } of live) {
    const x = strip(p);
    if (x.kind !== 'bin' || x.op !== '/') return undefined;
    const num = strip(x.left);
    if (num.kind !== 'call' || num.fn !== 'exp') return undefined;
    const k = toMathString(x.right);
    if (denominator === undefined) {
      const zs = exps(x.right);
      if (!zs || zs.length < 2) return undefined;
      denominator = x.right;
      key = k;
      logits = zs;
    } else if (k !== key) return undefined;
    const j = logits.map((z) => toMathString(z)).indexOf(toMathString(num.arg));
    if (j < 0 || targets[j] !== undefined) return undefined;
    targets[j] = t;
  }
  if (!denominator) return undefined;
  return { scale: -live[0].coef, logits, denominator, targets: logits.map((_z, j) => targets[j] ?? 0) };
}
