/**
 * NumPy's `.npy` format read from bytes, never executed: the magic string
 * `\x93NUMPY`, a version (1.0: a 2-byte header length; 2.0 and 3.0: 4 bytes),
 * then a header that is a Python dict literal `{'descr': '<f8',
 * 'fortran_order': False, 'shape': (100, 784), }` read by a small literal
 * reader here, then the data in C order. Little-endian floats and integers
 * and bytes are read; anything else (big-endian, structured or object arrays,
 * which NumPy pickles, Fortran order) is refused with a message naming it.
 * https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
import { MAX_DATA_CELLS } from './data';

export interface NpyArray {
  /** as written in the header, e.g. `<f4` */
  dtype: string;
  shape: number[];
  /** C order */
  data: Float64Array;
}

/** A data file the host hands over as bytes, not text: the one rule for which files are binary. */
export function isBinaryDataFile(name: string): boolean {
  return /\.np[yz]$/i.test(name);
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** The dtypes read, with their sizes and how to read one element at a byte offset. */
const DTYPES: Record<string, { size: number; read: (v: DataView, at: number) => number }> = {
  '<f8': { size: 8, read: (v, at) => v.getFloat64(at, true) },
  '<f4': { size: 4, read: (v, at) => v.getFloat32(at, true) },
  '<i8': { size: 8, read: (v, at) => Number(v.getBigInt64(at, true)) },
  '<i4': { size: 4, read: (v, at) => v.getInt32(at, true) },
  '|u1': { size: 1, read: (v, at) => v.getUint8(at) },
  '<u1': { size: 1, read: (v, at) => v.getUint8(at) },
};

/**
 * A vector's or a matrix's numbers as rows, the one reading of a `.npy`'s
 * shape for `np.load` in the code and for `--data`/the picker: count rows of
 * width numbers each, width 0 for a vector (shape (n,), not (n, 1));
 * undefined for any other rank.
 */
export function npyRows(a: NpyArray): { count: number; width: number; data: Float64Array } | undefined {
  return a.shape.length === 1 || a.shape.length === 2 ? { count: a.shape[0], width: a.shape[1] ?? 0, data: a.data } : undefined;
}

/** The array in a `.npy` file, or a message saying where and why it cannot be read. */
export function readNpy(bytes: Uint8Array): NpyArray | string {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b) return 'is a zip archive (.npz, from np.savez), not a .npy file: save each array with np.save(\'x_train.npy\', x_train)';
    return bytes.length < 10 && MAGIC.every((b, i) => i >= bytes.length || bytes[i] === b) ? `is truncated: ${bytes.length} bytes, too short for the .npy preamble (10 bytes)` : 'is not a .npy file: it does not start with \\x93NUMPY (bytes 0–5)';
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3) return `has .npy format version ${major}.${minor} (byte 6); versions 1.0, 2.0 and 3.0 are read`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) return `is truncated in its header length (bytes 8–${8 + lenBytes - 1})`;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenBytes;
  if (bytes.length < start + headerLength) return `is truncated in its header: the header length (bytes 8–${start - 1}) says ${headerLength} bytes, the file has ${bytes.length - start} after it`;
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength));
  const dict = readHeader(header);
  if (typeof dict === 'string') return `has a header (bytes ${start}–${start + headerLength - 1}) that is not read: ${dict}`;
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (descr === undefined || fortran === undefined || shape === undefined) return `has a header without ${['descr', 'fortran_order', 'shape'].filter((k) => !dict.has(k)).map((k) => `'${k}'`).join(', ')}`;
  if (typeof descr !== 'string') return 'holds a structured array (its descr is a list of fields); save a plain numeric array';
  if (descr.replace(/^[<>|=]/, '') === 'O') return 'holds Python objects (dtype object), which NumPy stores pickled: Gradient Lens never unpickles or executes a file; save a numeric array (x.astype(np.float32))';
  const dtype = DTYPES[descr];
  if (!dtype) return `has dtype '${descr}'; read are little-endian float64, float32, int64, int32 and uint8 ('<f8', '<f4', '<i8', '<i4', '|u1')${descr.startsWith('>') ? ': this one is big-endian (x.astype(\'<f8\'))' : ''}`;
  if (fortran !== false) return 'is in Fortran order (fortran_order: True); save it in C order: np.save(name, np.ascontiguousarray(x))';
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0)) return 'has a shape that is not a tuple of sizes';
  const dims = shape as number[];
  const count = dims.reduce((p, q) => p * q, 1);
  if (count > MAX_DATA_CELLS) return `holds ${count.toLocaleString('en-US')} values (shape (${dims.join(', ')})), more than the ${MAX_DATA_CELLS.toLocaleString('en-US')} Gradient Lens reads; save a sample of the data`;
  const dataStart = start + headerLength;
  const need = count * dtype.size;
  if (bytes.length - dataStart < need) return `is truncated: its shape (${dims.join(', ')}) of ${descr} needs ${need.toLocaleString('en-US')} bytes of data after byte ${dataStart}, the file has ${(bytes.length - dataStart).toLocaleString('en-US')}`;
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = dtype.read(view, dataStart + i * dtype.size);
  return { dtype: descr, shape: dims, data };
}

type Literal = string | number | boolean | null | Literal[];

/** The header's dict literal: string keys; values strings, True/False/None, integers, tuples and lists of those. */
function readHeader(text: string): Map<string, Literal> | string {
  let i = 0;
  const ws = (): void => { while (i < text.length && /\s/.test(text[i])) i++; };
  const fail = (what: string): string => `${what} at character ${i + 1} of "${text.trim().slice(0, 120)}"`;
  const value = (): Literal | { error: string } => {
    ws();
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return { error: fail('an unterminated string') };
      const s = text.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const items: Literal[] = [];
      for (;;) {
        ws();
        if (text[i] === close) { i++; return items; }
        const v = value();
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v;
        items.push(v);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== close) return { error: fail(`expected ',' or '${close}'`) };
      }
    }
    const m = /^(True|False|None|-?\d+)/.exec(text.slice(i));
    if (!m) return { error: fail('an unexpected value') };
    i += m[0].length;
    return m[0] === 'True' ? true : m[0] === 'False' ? false : m[0] === 'None' ? null : Number(m[0]);
  };
  ws();
  if (text[i] !== '{') return fail("expected '{'");
  i++;
  const out = new Map<string, Literal>();
  for (;;) {
    ws();
    if (text[i] === '}') return out;
    const k = value();
    if (typeof k !== 'string') return typeof k === 'object' && k !== null && !Array.isArray(k) ? k.error : fail('expected a string key');
    ws();
    if (text[i] !== ':') return fail("expected ':'");
    i++;
    const v = value();
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v.error;
    out.set(k, v);
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') return fail("expected ',' or '}'");
  }
}
