/**
 * Delimited numeric data (CSV and whitespace-separated text) read as numbers,
 * never executed; a header row is recognised by its non-numeric cells.
 */

/** The largest data file read (characters) and the most cells kept. */
export const MAX_DATA_CHARS = 20_000_000;
export const MAX_DATA_CELLS = 2_000_000;

/** The numbers of a table, row-major in one Float64Array: a 100,000-row file is one allocation, not 100,000 arrays. */
export interface Table { columns: string[]; count: number; width: number; data: Float64Array }

export function readDelimited(text: string, opts: { delimiter?: string; skipRows?: number; header?: boolean }): Table | string {
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
 * not a number. Cells are read in place, with no string per cell for plain
 * decimals (the text is read once, not split).
 */
function scanRow(text: string, start: number, end: number, delimiter: string | undefined, out: Float64Array, at: number, width: number): number | string {
  let n = 0;
  let pos = start;
  const sep = delimiter !== undefined && delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  for (;;) {
    let cellEnd: number;
    if (delimiter === undefined) {
      while (pos < end && isSpace(text.charCodeAt(pos))) pos++;
      if (pos >= end) return n;
      cellEnd = pos;
      while (cellEnd < end && !isSpace(text.charCodeAt(cellEnd))) cellEnd++;
    } else if (sep >= 0) {
      cellEnd = pos;
      while (cellEnd < end && text.charCodeAt(cellEnd) !== sep) cellEnd++;
    } else {
      cellEnd = text.indexOf(delimiter, pos);
      if (cellEnd < 0 || cellEnd > end) cellEnd = end;
    }
    const v = decimal(text, pos, cellEnd) ?? cellValue(text.slice(pos, cellEnd));
    if (v === undefined) return text.slice(pos, cellEnd);
    if (n < width) out[at + n] = v;
    n++;
    if (cellEnd >= end || n > width) return n;
    pos = cellEnd + (delimiter?.length ?? 0);
  }
}

const isSpace = (c: number): boolean => c === 32 || c === 9;

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A plain decimal (`-12.375`, at most 15 significant digits and 22 after the
 * point) read from its digits: an integer below 2⁵³ divided by an exact power
 * of ten is one correctly rounded operation, so the result is Number's own.
 * Anything else (exponents, quotes, more digits) is undefined: read by Number.
 */
function decimal(text: string, from: number, to: number): number | undefined {
  while (from < to && isSpace(text.charCodeAt(from))) from++;
  while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
  let i = from;
  let negative = false;
  const c0 = text.charCodeAt(i);
  if (c0 === 45 || c0 === 43) { negative = c0 === 45; i++; }
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
    else return undefined;
  }
  if (!any || digits > 15 || fraction > 22) return undefined;
  const v = fraction > 0 ? mantissa / POW10[fraction] : mantissa;
  return negative ? -v : v;
}

/** A cell's number; undefined for an empty or non-numeric cell (Number('') and Number(' ') are 0, not an error). */
function cellValue(cell: string): number | undefined {
  let v = +cell;
  if (Number.isNaN(v) && cell.includes('"')) v = +unquote(cell);
  if (!Number.isFinite(v) || (v === 0 && unquote(cell) === '')) return undefined;
  return v;
}
