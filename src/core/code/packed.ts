/**
 * Arrays of numbers from data files held packed: one Float64Array, not one
 * interpreter value per number. A 100,000-row CSV is read and bound for the
 * cost of a pass over its text: a cost over data is read over its first
 * samples (program.ts), so only those rows ever become values. Everything
 * else in the interpreter sees an ordinary array: `items` is built, all at
 * once, the first time code reads it.
 *
 * A slice (`data[:, 0]`, `X[:80]`) is a view of the same numbers, and its
 * rows are the same values as its base's: a number tagged as data through one
 * name is the same number read through the other, as with a NumPy view.
 */
import type { Expr } from '../expr/ast';
import type { Span, X } from './ir';
import type { V } from './values';

export type Arr = V & { t: 'arr' };

interface Base {
  readonly data: Float64Array;
  readonly count: number;
  /** numbers per row; 0 for a 1-D array */
  readonly width: number;
  readonly at: Span;
  /** where each number is written (start, end pairs), for numbers written in the source; else all are `at` */
  readonly spans?: Int32Array;
  /** rows built so far (sparse) */
  readonly rows: V[];
}

/** A packed array: rows lo…hi of its base, all of each row's columns, one column (`col`, a 1-D array) or columns a…b. */
export interface Packed {
  readonly base: Base;
  readonly lo: number;
  readonly hi: number;
  readonly col?: number;
  readonly cols?: readonly [number, number];
  /** rows of this view built so far (sparse) */
  readonly rows: V[];
  /** applied to each row as it is built, and to those already built when it is set: the interpreter's data tags */
  tag?: (row: V, i: number) => void;
}

const PACKED = new WeakMap<Arr, Packed>();

export function packedOf(v: V): Packed | undefined {
  return v.t === 'arr' ? PACKED.get(v) : undefined;
}

/** The array of `data` (count × width row-major; width 0: a 1-D array of count numbers). */
export function packedArray(data: Float64Array, count: number, width: number, at: Span, origin?: string, spans?: Int32Array): Arr {
  return view({ data, count, width, at, rows: [], ...(spans ? { spans } : {}) }, 0, count, undefined, undefined, origin);
}

/** Array literals longer than this, of numbers written out (a notebook's data), are held packed. */
export const PACK_LITERALS_ABOVE = 1000;

/**
 * A list literal of numbers, or of rows of numbers of one length, written out
 * in the source (`-` signs included), packed with each number's span; undefined for anything else.
 */
export function packedLiteral(x: X & { k: 'list' }): Arr | undefined {
  const count = x.items.length;
  if (count <= PACK_LITERALS_ABOVE) return undefined;
  // a statement the edit did not touch is the same program tree (reader.ts): its numbers too
  const known = LITERALS.get(x);
  if (known !== undefined) return known ? view(known, 0, known.count, undefined, undefined) : undefined;
  const base = literalBase(x);
  LITERALS.set(x, base ?? null);
  return base ? view(base, 0, base.count, undefined, undefined) : undefined;
}

const LITERALS = new WeakMap<X, Base | null>();

function literalBase(x: X & { k: 'list' }): Base | undefined {
  const count = x.items.length;
  const first = x.items[0];
  const width = first.k === 'list' ? first.items.length : 0;
  const data = new Float64Array(count * Math.max(width, 1));
  const spans = new Int32Array(2 * data.length);
  let k = 0;
  const put = (n: X): boolean => {
    const negative = n.k === 'un' && n.op === '-';
    const lit = negative ? (n as { a: X }).a : n;
    if (lit.k !== 'num') return false;
    spans[2 * k] = n.start;
    spans[2 * k + 1] = n.end;
    data[k++] = negative ? -lit.v : lit.v;
    return true;
  };
  for (const item of x.items) {
    if (width === 0 ? !put(item) : item.k !== 'list' || item.items.length !== width || !item.items.every(put)) return undefined;
  }
  return { data, count, width, at: { start: x.start, end: x.end }, spans, rows: [] };
}

function view(base: Base, lo: number, hi: number, col: number | undefined, cols: readonly [number, number] | undefined, origin?: string): Arr {
  const p: Packed = { base, lo, hi, ...(col !== undefined ? { col } : {}), ...(cols ? { cols } : {}), rows: [] };
  const v = { t: 'arr', ...(origin ? { origin } : {}) } as Arr;
  Object.defineProperty(v, 'items', {
    configurable: true,
    enumerable: true,
    get(): V[] {
      const items = Array.from({ length: hi - lo }, (_, i) => rowAt(p, i));
      Object.defineProperty(v, 'items', { value: items, writable: true, enumerable: true, configurable: true });
      return items;
    },
  });
  PACKED.set(v, p);
  return v;
}

function baseRow(b: Base, i: number): V {
  let r = b.rows[i];
  if (!r) {
    const number = (k: number): V => ({ t: 's', e: { kind: 'num', value: b.data[k], start: b.spans ? b.spans[2 * k] : b.at.start, end: b.spans ? b.spans[2 * k + 1] : b.at.end } as Expr });
    r = b.width === 0 ? number(i) : { t: 'arr', items: Array.from({ length: b.width }, (_, j) => number(i * b.width + j)) };
    b.rows[i] = r;
  }
  return r;
}

/** Row i of the view, built once (its numbers shared with the base's), tagged as it is built. */
export function rowAt(p: Packed, i: number): V {
  let r = p.rows[i];
  if (!r) {
    const whole = baseRow(p.base, p.lo + i);
    r = p.col !== undefined ? (whole as Arr).items[p.col] : p.cols ? { t: 'arr', items: (whole as Arr).items.slice(p.cols[0], p.cols[1]) } : whole;
    p.rows[i] = r;
    p.tag?.(r, i);
  }
  return r;
}

/** Sets how the view's rows are tagged, and tags those already built. */
export function setTag(p: Packed, tag: (row: V, i: number) => void): void {
  p.tag = tag;
  p.rows.forEach((r, i) => tag(r, i));
}

export function lengthOf(v: Arr): number {
  const p = PACKED.get(v);
  return p ? p.hi - p.lo : v.items.length;
}

/** The shape of a packed array, without building it. */
export function packedShape(p: Packed): number[] {
  const n = p.hi - p.lo;
  if (p.col !== undefined || p.base.width === 0) return [n];
  return [n, p.cols ? p.cols[1] - p.cols[0] : p.base.width];
}

/** The first n rows: for a packed array only those are built. */
export function firstRows(v: Arr, n: number): V[] {
  const p = PACKED.get(v);
  return p ? Array.from({ length: Math.min(n, p.hi - p.lo) }, (_, i) => rowAt(p, i)) : v.items.slice(0, n);
}

/**
 * Column j of every row (j undefined: the rows themselves, numbers), read
 * from the packed numbers without building them: a vector's own numbers are
 * shared (packed numbers are never written), a matrix's column is copied out
 * once per table (a data file's table outlives the readings of the code, data.ts).
 */
export function columnNumbers(p: Packed, j: number | undefined): Float64Array {
  const { data, width } = p.base;
  if (width === 0) return data.subarray(p.lo, p.hi);
  const c = p.col ?? (p.cols ? p.cols[0] : 0) + (j ?? 0);
  const copies = COLUMNS.get(data) ?? new Map<string, Float64Array>();
  COLUMNS.set(data, copies);
  const key = `${p.lo}:${p.hi}:${c}`;
  const known = copies.get(key);
  if (known) return known;
  const out = new Float64Array(p.hi - p.lo);
  for (let i = 0; i < out.length; i++) out[i] = data[(p.lo + i) * width + c];
  copies.set(key, out);
  return out;
}

const COLUMNS = new WeakMap<Float64Array, Map<string, Float64Array>>();

/**
 * Basic indexing of a packed array by integers and slices (`data[:, 0]`,
 * `X[:80]`, `data[:, 1:]`, `x[i]`, `data[i, j]`): a view, a row or a number;
 * undefined for what it does not cover (the caller builds the items and indexes those).
 */
export function indexPacked(p: Packed, idx: Array<number | { lo?: number; hi?: number }>): V | undefined {
  const shape = packedShape(p);
  if (idx.length === 0 || idx.length > shape.length) return undefined;
  const range = (s: { lo?: number; hi?: number }, n: number): [number, number] => {
    const norm = (k: number): number => (k < 0 ? Math.max(0, n + k) : Math.min(k, n));
    const a = norm(s.lo ?? 0);
    return [a, Math.max(a, norm(s.hi ?? n))];
  };
  const at = (k: number, n: number): number | undefined => {
    const i = k < 0 ? n + k : k;
    return Number.isInteger(i) && i >= 0 && i < n ? i : undefined;
  };
  const [first, second] = idx;
  if (typeof first === 'number') {
    const i = at(first, shape[0]);
    if (i === undefined) return undefined;
    const row = rowAt(p, i);
    if (second === undefined) return row;
    if (typeof second !== 'number') return undefined;
    const j = at(second, shape[1]);
    return j === undefined ? undefined : (row as Arr).items[j];
  }
  const [lo, hi] = range(first, shape[0]);
  if (second === undefined) return view(p.base, p.lo + lo, p.lo + hi, p.col, p.cols);
  const c0 = p.cols ? p.cols[0] : 0;
  if (typeof second === 'number') {
    const j = at(second, shape[1]);
    return j === undefined ? undefined : view(p.base, p.lo + lo, p.lo + hi, c0 + j, undefined);
  }
  const [a, b] = range(second, shape[1]);
  return view(p.base, p.lo + lo, p.lo + hi, undefined, [c0 + a, c0 + b]);
}
