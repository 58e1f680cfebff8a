/**
 * Delimited numeric data (CSV and whitespace-separated text) read as numbers,
 * never executed; a header row is recognised by its non-numeric cells.
 */

/** The largest data file read (characters) and the most cells kept. */
export const MAX_DATA_CHARS = 20_000_000;
export const MAX_DATA_CELLS = 2_000_000;

/** The numbers of a table, row-major in one Float64Array: a 100,000-row file is one allocation, not 100,000 arrays. */
export interface Table { columns: string[]; count: number; width: number; data: Float64Array }

type DelimitedOptions = { delimiter?: string; skipRows?: number; header?: boolean };

/**
 * The tables read last, by text and options. The host hands the same text for
 * a file until it changes on disk, and every edit of the code reads the code
 * again: a 100,000-row file is parsed once, not at each keystroke. A Table is
 * never written to after it is read, so sharing it between readings is safe.
 */
const RECENT: { text: string; options: string; table: Table | string }[] = [];
const RECENT_FILES = 4;

export function readDelimited(text: string, opts: DelimitedOptions): Table | string {
  const options = `${opts.delimiter ?? ''}\u0000${opts.skipRows ?? 0}\u0000${opts.header ?? ''}`;
  const known = RECENT.findIndex((r) => r.text === text && r.options === options);
  const entry = known >= 0 ? RECENT.splice(known, 1)[0] : { text, options, table: parseDelimited(text, opts) };
  RECENT.unshift(entry);
  RECENT.length = Math.min(RECENT.length, RECENT_FILES);
  return entry.table;
}

function parseDelimited(text: string, opts: DelimitedOptions): Table | string {
  if (text.length > MAX_DATA_CHARS) return `the file has ${text.length} characters, more than the ${MAX_DATA_CHARS} Gradient Lens reads`;
  // lines by indexOf, not a regular expression over the whole text (a 100,000-row file is read in one pass)
  const starts: number[] = [];
  const ends: number[] = [];
  for (let at = 0; at < text.length;) {
    let nl = text.indexOf('\n', at);
    if (nl < 0) nl = text.length;
    const end = text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    // blank lines and # comments are skipped, as np.loadtxt does
    let first = at;
    while (first < end && (text.charCodeAt(first) === 32 || text.charCodeAt(first) === 9)) first++;
    if (first < end && text.charCodeAt(first) !== 35) { starts.push(at); ends.push(end); }
    at = nl + 1;
  }
  const line = (i: number): string => text.slice(starts[i], ends[i]);
  const skip = opts.skipRows ?? 0;
  const given = opts.delimiter && opts.delimiter.trim() !== '' ? opts.delimiter : undefined;
  const delimiter = given ?? (starts.length && line(0).includes(',') ? ',' : undefined);
  const split = (l: string): string[] => (delimiter ? l.split(delimiter) : l.trim().split(/\s+/));
  let columns: string[] = [];
  let from = 0;
  if (skip > 0) {
    columns = split(line(0)).map(unquote);
    from = skip;
  } else if (starts.length > 0) {
    const cells = split(line(0)).map(unquote);
    if (opts.header ?? cells.some((c) => c !== '' && !Number.isFinite(Number(c)))) {
      columns = cells;
      from = 1;
    }
  }
  const count = Math.max(0, starts.length - from);
  const width = count ? split(line(from)).length : 0;
  if (count * width > MAX_DATA_CELLS) return `more than ${MAX_DATA_CELLS} values; use a sample of the data to visualize`;
  const data = new Float64Array(count * width);
  const lineNumber = (i: number): number => i + 1 + skip + (columns.length && !skip ? 1 : 0);
  for (let i = 0; i < count; i++) {
    const n = scanRow(text, starts[from + i], ends[from + i], delimiter, data, i * width, width);
    if (typeof n === 'string') return `line ${lineNumber(i)}: '${n.trim()}' is not a number`;
    if (n !== width) return `line ${lineNumber(i)}: ${n > width ? 'more values than' : `${n} values where`} the first row has ${width}`;
  }
  if (columns.length === 0 && count) columns = Array.from({ length: width }, (_, j) => String(j));
  return { columns, count, width, data };
}

/** The numbers of column j. */
export function tableColumn(t: Table, j: number): Float64Array {
  const out = new Float64Array(t.count);
  for (let i = 0; i < t.count; i++) out[i] = t.data[i * t.width + j];
  return out;
}

function unquote(c: string): string {
  const t = c.trim();
  return t.length >= 2 && t.charCodeAt(0) === 34 && t.charCodeAt(t.length - 1) === 34 ? t.slice(1, -1) : t;
}

/**
 * The numbers of one line, written into `out` from `at` (at most `width`;
 * one more is counted, not written): how many, or the text of a cell that is
 * not a number. Cells are read in place, in one pass for plain decimals: no
 * string per cell, and the separator is found while the digits are read.
 */
function scanRow(text: string, start: number, end: number, delimiter: string | undefined, out: Float64Array, at: number, width: number): number | string {
  let n = 0;
  let pos = start;
  const sep = delimiter !== undefined && delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  const stop = delimiter === undefined ? BLANK : sep;
  for (;;) {
    if (delimiter === undefined) {
      while (pos < end && isSpace(text.charCodeAt(pos))) pos++;
      if (pos >= end) return n;
    }
    // a separator of several characters is found first; a cell ends there
    let to = end;
    if (delimiter !== undefined && sep < 0) {
      to = text.indexOf(delimiter, pos);
      if (to < 0 || to > end) to = end;
    }
    let v: number | undefined = plainDecimal(text, pos, to, stop);
    const cellEnd = scanned;
    if (Number.isNaN(v)) v = cellValue(text.slice(pos, cellEnd));
    if (v === undefined) return text.slice(pos, cellEnd);
    if (n < width) out[at + n] = v;
    n++;
    if (cellEnd >= end || n > width) return n;
    pos = cellEnd + (delimiter?.length ?? 0);
  }
}

const isSpace = (c: number): boolean => c === 32 || c === 9;

/** plainDecimal's stop for whitespace-separated text: a cell ends at a blank. */
const BLANK = -2;
/** where the last plainDecimal's cell ended (the separator, the blank or `to`) */
let scanned = 0;

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The cell from `from`, ending at `to` or at the character `stop` (a
 * separator; BLANK: a space or tab; −1: only `to`), read as a plain decimal
 * (`-12.375`, at most 15 significant digits and 22 after the point, blanks
 * around it) from its digits: an integer below 2⁵³ divided by an exact power
 * of ten is one correctly rounded operation, so the result is Number's own.
 * NaN for anything else (exponents, quotes, more digits), which Number reads.
 * Sets `scanned` to where the cell ends.
 */
function plainDecimal(text: string, from: number, to: number, stop: number): number {
  let i = from;
  while (i < to && isSpace(text.charCodeAt(i))) i++;
  let negative = false;
  const c0 = text.charCodeAt(i);
  if (i < to && (c0 === 45 || c0 === 43)) { negative = c0 === 45; i++; }
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  let any = false;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      any = true;
      if (digits > 0 || c !== 48) digits++;
      mantissa = mantissa * 10 + (c - 48);
      if (fraction >= 0) fraction++;
    } else if (c === 46 && fraction < 0) fraction = 0;
    else break;
  }
  // the number ends the cell: at `to`, the separator or a blank (a separated cell may have blanks after it)
  if (stop !== BLANK) while (i < to && isSpace(text.charCodeAt(i))) i++;
  const c = text.charCodeAt(i);
  const ended = i >= to || (stop === BLANK ? isSpace(c) : c === stop);
  if (ended && any && digits <= 15 && fraction <= 22) {
    scanned = i;
    const v = fraction > 0 ? mantissa / POW10[fraction] : mantissa;
    return negative ? -v : v;
  }
  while (i < to && !(stop === BLANK ? isSpace(text.charCodeAt(i)) : text.charCodeAt(i) === stop)) i++;
  scanned = i;
  return NaN;
}

/** A cell's number; undefined for an empty or non-numeric cell (Number('') and Number(' ') are 0, not an error). */
function cellValue(cell: string): number | undefined {
  let v = +cell;
  if (Number.isNaN(v) && cell.includes('"')) v = +unquote(cell);
  if (!Number.isFinite(v) || (v === 0 && unquote(cell) === '')) return undefined;
  return v;
}
