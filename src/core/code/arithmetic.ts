/**
 * Arithmetic on the interpreter's values by NumPy's rules: operators between
 * numbers, expressions and arrays (broadcasting, the matrix product), the
 * elementwise functions, the softmax shift that cancels, and the selection
 * of a class by an integer label. Numbers fold to numbers; anything that
 * depends on a parameter builds an expression tree.
 */
import { Expr, UnaryFunction, foldUp, paramsOf, walkNodes } from '../expr/ast';
import { Tape } from '../autodiff/tape';
import { Random } from '../network/random';
import { Build, FUNCTIONS } from '../expr/vocabulary';
import { ruleOf } from '../autodiff/ops';
import { LineIndex, UserError } from '../errors';
import type { Span } from './ir';
import { V, isNum, num } from './values';
import { depthOf, describe, shapeOf, shapeText, transpose } from './arrays';
import { lengthOf, packedOf } from './packed';
import type { DataTag } from './fit';

/** The most classes a label selects among through indicator columns (selectByLabel). */
export const MAX_CLASSES = 64;

export class Arithmetic {
  /** where each number of the data came from; a Map, not a WeakMap: the interpreter lives for one reading, and a 100,000-row file tags 200,000 numbers */
  readonly dataTags = new Map<Expr, DataTag>();
  /** maxima over parameter values (a softmax shift), with where each was taken: they must cancel (cancelShift) */
  readonly shifts = new Map<Expr, Span>();
  /** per label number of the data, its indicators [y = k] for k = 0 … K − 1, made once */
  private readonly indicators = new Map<Expr, Expr[]>();
  /** a class selected by a label, Σₖ [y = k]·aₖ, with its terms [indicator, aₖ]: a log passes through it (applyFn) */
  private readonly selections = new Map<Expr, Array<[Expr, Expr]>>();
  /** the label arrays that select a class in the cost, with their number of classes and where one was first used: the prefix reader makes their indicator columns */
  readonly labels = new Map<string, { classes: number; at: Span }>();
  /** each array of data by the name tagData gave it last: whether its numbers are labels of samples (selectByLabel) */
  readonly dataArrays = new Map<string, V & { t: 'arr' }>();
  protected ops = 0;

  constructor(public lines: LineIndex) {}

  err(at: Span | number, message: string): UserError {
    return this.lines.errorAt(typeof at === 'number' ? at : at.start, message);
  }

  binary(op: string, a: V, b: V, at: Span): V {
    if (a.t === 'leaf' || b.t === 'leaf') {
      a = a.t === 'leaf' ? this.anonymousLeaf(a, at) : a;
      b = b.t === 'leaf' ? this.anonymousLeaf(b, at) : b;
    }
    if (op === '@') {
      // NumPy's matmul takes no scalar (np.dot does: it scales)
      if (a.t !== 'arr' || b.t !== 'arr') throw this.err(at, `'@' multiplies arrays, not ${describe(a.t === 'arr' ? b : a)}: NumPy refuses a scalar operand (scale with *)`);
      return this.matmul(a, b, at);
    }
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

  anonymousLeaf(v: V & { t: 'leaf' }, at: Span): V {
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
    if (this.shifts.size > 0 && (o === '/' || o === '-' || o === '+')) {
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

  /**
   * NumPy's broadcasting: shapes are aligned at their last axes, and each pair of axes must be equal or
   * one of them 1 — so (m, 2) with (m,) is an error, as NumPy says, and (m, 1) with (m,) is (m, m).
   */
  private broadcast(op: string, a: V, b: V, at: Span): V {
    const A = a.t === 'arr' ? a : undefined;
    const B = b.t === 'arr' ? b : undefined;
    if (A && B) {
      const [sa, sb] = [shapeOf(A), shapeOf(B)];
      for (let k = 1; k <= Math.min(sa.length, sb.length); k++) {
        const [p, q] = [sa[sa.length - k], sb[sb.length - k]];
        if (p !== q && p !== 1 && q !== 1) throw this.err(at, `shapes do not match: ${shapeText(A)} and ${shapeText(B)} (NumPy broadcasts axes from the last: ${p} and ${q} differ and neither is 1)`);
      }
      // the operand with fewer axes meets each row of the other
      if (sa.length > sb.length) return { t: 'arr', items: A.items.map((x) => this.binary(op, x, B, at)) };
      if (sb.length > sa.length) return { t: 'arr', items: B.items.map((y) => this.binary(op, A, y, at)) };
      if (A.items.length === B.items.length) return { t: 'arr', items: A.items.map((x, i) => this.binary(op, x, B.items[i], at)) };
      if (A.items.length === 1) return { t: 'arr', items: B.items.map((y) => this.binary(op, A.items[0], y, at)) };
      return { t: 'arr', items: A.items.map((x) => this.binary(op, x, B.items[0], at)) };
    }
    if (A) return { t: 'arr', items: A.items.map((x) => this.binary(op, x, b, at)) };
    return { t: 'arr', items: (B as V & { t: 'arr' }).items.map((y) => this.binary(op, a, y, at)) };
  }

  matmul(a: V, b: V, at: Span): V {
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

  /** A function of one argument of the vocabulary, elementwise; of a number, a number (the op table's value). */
  applyFn(name: string, v: V, at: Span): V {
    const word = FUNCTIONS.get(name);
    if (!word || word.arity !== 1) throw this.err(at, `unknown function '${name}'`);
    const build: Build = {
      call: (fn, x) => (x.kind === 'num' && !x.name ? num(ruleOf(fn).value(x.value, NaN), at) : call(fn, x, at)),
      bin: (op, l, r) => this.scalarOp(op, l, r, at),
      num: (value) => num(value, at),
    };
    return this.map1(v, (e) => {
      this.ops++;
      // log of a class selected by a label: exactly one indicator is 1, so log Σₖ [y = k]·pₖ = Σₖ [y = k]·log pₖ,
      // the cross-entropy −Σₖ yₖ log pₖ as the textbook writes it (and its rule finds it: softmax's p − y)
      let x = e;
      while (x.kind === 'local') x = x.expr;
      const chosen = name === 'log' ? this.selections.get(x) : undefined;
      if (chosen) return chosen.map(([d, a]) => this.scalarOp('*', d, word.build(build, [a]), at)).reduce((l, r) => this.scalarOp('+', l, r, at));
      return word.build(build, [e]);
    }, at);
  }

  /**
   * o[y⁽ⁱ⁾] inside a cost, where y⁽ⁱ⁾ is a class label of the data (p[y[i]], probs[i, y[i]], np.eye(K)[y]):
   * Σₖ [y⁽ⁱ⁾ = k]·o[k], the indicators tagged as K columns of data (y0, y1, …), so that every sample's
   * term is the same expression of its own data and the cost stays one Σ over the samples. Undefined
   * where o is not numbers and parameter expressions (data indexed by data is a plain gather).
   */
  selectByLabel(o: V & { t: 'arr' }, label: Expr & { kind: 'num' }, tag: DataTag, at: Span): V | undefined {
    const leaves = (x: V): boolean => (x.t === 's' ? !this.dataTags.has(x.e) : x.t === 'arr' && x.items.length > 0 && x.items.every(leaves));
    const K = o.items.length;
    const rect = o.items.every((x) => x.t === 's') || o.items.every((x) => x.t === 'arr' && x.items.length === (o.items[0] as V & { t: 'arr' }).items.length);
    // classes are few: a gather of many rows by data (X[perm[i]]) stays a plain index, not m terms per sample
    if (K < 2 || K > MAX_CLASSES || !rect || !leaves(o)) return undefined;
    // distinct positions no more than the vector's length (for j in features: theta[j]) pick a component each, in every sample alike: not labels of samples
    const source = tag.column === undefined ? this.dataArrays.get(tag.name) : undefined;
    if (source && lengthOf(source) <= K && !packedOf(source)) {
      const values = source.items.map((v) => (isNum(v) ? v.e.value : NaN));
      if (new Set(values).size === values.length) return undefined;
    }
    const name = tag.column === undefined ? tag.name : `${tag.name}[:, ${tag.column}]`;
    const y = label.value;
    if (!Number.isInteger(y) || y < 0 || y >= K) {
      throw this.err(at, `the label ${name}[${tag.index}] = ${y} is not a class: it indexes ${K} classes, so it must be a whole number from 0 to ${K - 1}`);
    }
    if (!this.labels.has(name)) this.labels.set(name, { classes: K, at });
    let ind = this.indicators.get(label);
    if (!ind || ind.length !== K) {
      ind = Array.from({ length: K }, (_, k) => {
        const e = num(k === y ? 1 : 0, at);
        this.dataTags.set(e, { name, index: tag.index, column: k });
        return e;
      });
      this.indicators.set(label, ind);
    }
    const mix = (items: V[]): V => {
      if (items[0].t === 'arr') return { t: 'arr', items: (items[0] as V & { t: 'arr' }).items.map((_, j) => mix(items.map((r) => (r as V & { t: 'arr' }).items[j]))) };
      const es = items.map((x) => (x as V & { t: 's' }).e);
      // a shifted softmax input (z − max z): the one shift c comes out, Σₖ [y = k]·(aₖ − c) = Σₖ [y = k]·aₖ − c, where cancelShift meets it
      const parts = es.map((e) => this.shifted(e));
      if (parts.every((p) => p && p.c === parts[0]?.c)) {
        const inner = mix(parts.map((p) => ({ t: 's', e: (p as { a: Expr }).a })));
        return { t: 's', e: this.scalarOp('-', (inner as V & { t: 's' }).e, (parts[0] as { c: Expr }).c, at) };
      }
      // one-hot rows of numbers (np.eye(K)[y]) are the indicators themselves: 0 drops, 1 is [y = k]
      const terms: Array<[Expr, Expr]> = es.map((e, k) => [ind[k], e]);
      const live = terms.filter(([, e]) => !(e.kind === 'num' && !e.name && e.value === 0));
      if (live.length === 0) return { t: 's', e: num(0, at) };
      const sum = live.map(([d, e]) => (e.kind === 'num' && !e.name && e.value === 1 ? d : this.scalarOp('*', d, e, at))).reduce((l, r) => this.scalarOp('+', l, r, at));
      if (live.length === K) this.selections.set(sum, terms);
      return { t: 's', e: sum };
    };
    return mix(o.items);
  }

  intOf(v: V, at: Span): number {
    if (!isNum(v) || !Number.isInteger(v.e.value)) throw this.err(at, v.t === 's' ? 'an index must be a whole number known from the file, not a parameter' : `an index must be a whole number, found ${describe(v)}`);
    return v.e.value;
  }

  /**
   * The softmax shift cancels: exp(a − c) / Σₖ exp(bₖ − c) = exp(a) / Σₖ exp(bₖ) and
   * (a − c) − log Σₖ exp(bₖ − c) = a − log Σₖ exp(bₖ) for every finite c (e^{−c} factors out of
   * every term), also as log Σₖ exp(bₖ − c) − (a − c) and −(a − c) + log Σₖ exp(bₖ − c) (CS231n's
   * −scores[y] + log Σ exp(scores)). Only these exact forms, with the same shift c in every term, are rewritten.
   */
  private cancelShift(o: string, l: Expr, r: Expr, at: Span): Expr | undefined {
    const shifted = (x: Expr): { a: Expr; c: Expr } | undefined => this.shifted(x);
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
    // log Σₖ exp(bₖ − c) beside ±(a − c), in either order: the c of one cancels the other's
    const logSumExp = (x: Expr, c: Expr): Expr | undefined => {
      const y = strip(x);
      const den = y.kind === 'call' && y.fn === 'log' ? sumOfExp(y.arg, c) : undefined;
      return den && call('log', den, at);
    };
    const negShifted = (x: Expr): { a: Expr; c: Expr } | undefined => {
      const y = strip(x);
      return y.kind === 'neg' ? shifted(y.arg) : undefined;
    };
    const bin = (op: '+' | '-', left: Expr, right: Expr): Expr => ({ kind: 'bin', op, left, right, start: at.start, end: at.end });
    for (const [first, second, sign] of [[l, r, 1], [r, l, -1]] as const) {
      const top = o === '-' ? shifted(first) : negShifted(first);
      const lse = top && logSumExp(second, top.c);
      if (!top || !lse) continue;
      // (a − c) − L, L − (a − c), −(a − c) + L, L + −(a − c)
      if (o === '-') return sign > 0 ? bin('-', top.a, lse) : bin('-', lse, top.a);
      return sign > 0 ? bin('+', neg(top.a, at), lse) : bin('+', lse, neg(top.a, at));
    }
    return undefined;
  }

  /** a − c where c is a softmax shift (a max over parameter values), as a and c */
  private shifted(x: Expr): { a: Expr; c: Expr } | undefined {
    const y = strip(x);
    if (y.kind !== 'bin' || y.op !== '-') return undefined;
    const c = strip(y.right);
    return this.shifts.has(c) ? { a: y.left, c } : undefined;
  }

  /**
   * A result in which softmax shifts are still written, as across two sums over the samples
   * (CS231n's vectorised −Σᵢ (sᵢ[yᵢ] − cᵢ) + Σᵢ log Σⱼ exp(sᵢⱼ − cᵢ)): the shift does not change
   * a softmax, so where the result is the same with every shift 0 and with random shifts, at random
   * points, it is read without them (z − c → z); otherwise the located refusal of uncancelledShift.
   */
  withoutShifts(e: Expr): Expr {
    let left = false;
    walkNodes(e, (x) => (left = this.shifts.has(x)));
    if (!left) return e;
    const shiftNames = new Set([...this.shifts.keys()].map((c) => (c as Expr & { kind: 'param' }).name));
    const names = [...paramsOf(e)].filter((n) => !shiftNames.has(n));
    const random = new Random(0x5eed);
    const at = (shift: (c: Expr) => number): number => new Tape(this.rebuild(e, shift, false), names).forward(point);
    let point: number[] = [];
    let seen = 0;
    for (let trial = 0; trial < 4; trial++) {
      point = names.map(() => random.uniform(-1, 1));
      const shifts = new Map<Expr, number>();
      const zero = at(() => 0);
      const moved = at((c) => { let v = shifts.get(c); if (v === undefined) shifts.set(c, (v = random.uniform(-3, 3))); return v; });
      if (!Number.isFinite(zero) && !Number.isFinite(moved)) continue;
      if (!(Math.abs(zero - moved) <= 1e-9 * Math.max(1, Math.abs(zero)))) { this.uncancelledShift(e); return e; }
      seen++;
    }
    if (seen === 0) { this.uncancelledShift(e); return e; }
    return this.rebuild(e, () => 0, true);
  }

  /** The tree with each shift c given a number, or (`drop`) each a − c written as a. */
  private rebuild(root: Expr, shift: (c: Expr) => number, drop: boolean): Expr {
    const out = foldUp<Expr>(root, (e, kids) => {
      if (this.shifts.has(e)) return num(shift(e), e);
      switch (e.kind) {
        case 'bin':
          if (drop && e.op === '-' && this.shifts.has(strip(e.right))) return kids[0];
          return kids[0] === e.left && kids[1] === e.right ? e : { ...e, left: kids[0], right: kids[1] };
        case 'neg': case 'call': return kids[0] === e.arg ? e : { ...e, arg: kids[0] };
        case 'local': return kids[0] === e.expr ? e : { ...e, expr: kids[0] };
        default: return e;
      }
    });
    return out.get(root) as Expr;
  }

  /** A max over parameter values left in a result: it did not cancel, so the result has a kink there. */
  uncancelledShift(e: Expr): void {
    if (this.shifts.size === 0) return;
    let found: Expr | undefined;
    walkNodes(e, (x) => { if (this.shifts.has(x)) { found = x; return true; } return false; });
    if (found) throw this.err(this.shifts.get(found) as Span, 'a max over values that depend on a parameter is not differentiable everywhere; it is read only as the shift of a softmax (z - z.max() inside exp(z - m) / Σ exp(z - m)), where it cancels');
  }
}

export function opOf(op: string): string {
  if (op === '**') return '^';
  return op;
}

export function neg(e: Expr, at: Span): Expr {
  if (e.kind === 'num' && !e.name) return num(-e.value, at);
  return { kind: 'neg', arg: e, start: at.start, end: at.end };
}

function strip(x: Expr): Expr {
  while (x.kind === 'local') x = x.expr;
  return x;
}

function call(fn: UnaryFunction, arg: Expr, at: Span): Expr {
  return { kind: 'call', fn, arg, start: at.start, end: at.end };
}

