/**
 * Arrays as the interpreter holds them, by NumPy's rules: what a value is
 * called in messages, its shape, and the reshaping operations (transpose,
 * keepdims, squeeze, a table's columns as a matrix) that build new arrays
 * from old ones. A packed array (packed.ts) answers its shape without building its rows.
 */
import type { V } from './values';
import { packedOf, packedShape } from './packed';

export function describe(v: V): string {
  switch (v.t) {
    case 's': return v.e.kind === 'num' ? `the number ${v.e.value}` : 'an expression of the parameters';
    case 'arr': return `an array of shape ${shapeText(v)}`;
    case 'obj': return v.frame ? 'a table' : 'an object';
    case 'str': return `the string '${v.s}'`;
    case 'bool': return v.b ? 'True' : 'False';
    case 'none': return 'None';
    case 'fn': return `the function '${v.name}'`;
    case 'ns': return `'${v.path.replace(/^builtin\./, '')}'`;
    case 'method': return `the method '.${v.name}'`;
    case 'leaf': return 'a parameter';
    case 'err': return 'a value that could not be read';
    case 'opaque': return v.what;
    case 'net': return v.n.type === 'layer' ? `the layer ${v.n.cls}` : v.n.type === 'model' ? 'a model' : v.n.type === 'sym' ? 'a tensor' : v.n.type === 'loss' ? 'a loss' : v.n.type === 'optim' ? 'an optimizer' : 'a weight';
    case 'class': return `the class ${v.name}`;
    case 'super': return `super() of ${v.of.name}`;
  }
}

export function shapeOf(v: V): number[] {
  if (v.t !== 'arr') return [];
  const packed = packedOf(v);
  if (packed) return packedShape(packed);
  return [v.items.length, ...(v.items.length ? shapeOf(v.items[0]) : [])];
}

export function shapeText(v: V): string {
  return `(${shapeOf(v).join(', ')}${shapeOf(v).length === 1 ? ',' : ''})`;
}

export function depthOf(v: V): number {
  return shapeOf(v).length;
}

export function flatten(v: V): V[] {
  if (v.t !== 'arr') return [v];
  return v.items.flatMap(flatten);
}

export function transpose(v: V & { t: 'arr' }): V & { t: 'arr' } {
  if (depthOf(v) < 2) return v;
  const rows = v.items as Array<V & { t: 'arr' }>;
  return { t: 'arr', items: rows[0].items.map((_, j) => ({ t: 'arr', items: rows.map((r) => r.items[j]) })) };
}

/** keepdims=True: a reduction along an axis keeps that axis with length one (row sums of an (n, k) array are (n, 1)). */
export function keep(r: V, a: V, axis: number, keepdims: V | undefined): V {
  if (!(keepdims && keepdims.t === 'bool' && keepdims.b) || r.t !== 'arr') return r;
  if (depthOf(a) !== 2) return r;
  if (axis === 0) return { t: 'arr', items: [r] };
  return { t: 'arr', items: r.items.map((x) => ({ t: 'arr', items: [x] })) };
}

/** numpy's squeeze: axes of length one dropped. */
export function squeeze(v: V): V {
  if (v.t !== 'arr') return v;
  if (v.items.length === 1) return squeeze(v.items[0]);
  return { t: 'arr', items: v.items.map(squeeze) };
}

export function frameRows(v: V & { t: 'obj' }): number {
  const first = v.fields.values().next().value as V | undefined;
  return first && first.t === 'arr' ? first.items.length : 0;
}

export function frameMatrix(v: V & { t: 'obj' }): V {
  const cols = [...v.fields.values()] as Array<V & { t: 'arr' }>;
  const n = frameRows(v);
  const items = Array.from({ length: n }, (_, i) => ({ t: 'arr' as const, items: cols.map((c) => c.items[i]) }));
  if (cols.length === 1) return cols[0];
  return { t: 'arr', items };
}
