/**
 * Delimited numeric data (CSV and whitespace-separated text) read as numbers,
 * never executed; a header row is recognised by its non-numeric cells.
 */

/** The largest data file read (characters) and the most cells kept. */
export const MAX_DATA_CHARS = 20_000_000;
export const MAX_DATA_CELLS = 2_000_000;

export interface Table { columns: string[]; rows: number[][] }

export function readDelimited(text: string, opts: { delimiter?: string; skipRows?: number; header?: boolean }): Table | string {
  if (text.length > MAX_DATA_CHARS) return `the file has ${text.length} characters, more than the ${MAX_DATA_CHARS} Gradient Lens reads`;
  // lines by indexOf, not a regular expression over the whole text (a 100,000-row file is read in one pass)
  let lines: string[] = [];
  for (let at = 0; at < text.length;) {
    let nl = text.indexOf('\n', at);
    if (nl < 0) nl = text.length;
    const line = text.charCodeAt(nl - 1) === 13 ? text.slice(at, nl - 1) : text.slice(at, nl);
    at = nl + 1;
    const t = line.trim();
    if (t !== '' && t[0] !== '#') lines.push(line);
  }
  const skip = opts.skipRows ?? 0;
  let columns: string[] = [];
  const given = opts.delimiter && opts.delimiter.trim() !== '' ? opts.delimiter : undefined;
  const split = (l: string): string[] => (given ? l.split(given) : l.includes(',') ? l.split(',') : l.trim().split(/\s+/));
  const unquote = (c: string): string => {
    const t = c.trim();
    return t.length >= 2 && t.charCodeAt(0) === 34 && t.charCodeAt(t.length - 1) === 34 ? t.slice(1, -1) : t;
  };
  if (skip > 0) {
    columns = split(lines[0] ?? '').map((c) => c.trim());
    lines = lines.slice(skip);
  } else if (lines.length > 0) {
    const first = split(lines[0]).map((c) => c.trim());
    const isHeader = opts.header ?? first.some((c) => c !== '' && !Number.isFinite(Number(unquote(c))));
    if (isHeader) {
      columns = first;
      lines = lines.slice(1);
    }
  }
  const rows: number[][] = [];
  let cells = 0;
  for (let i = 0; i < lines.length; i++) {
    const cs = split(lines[i]);
    const row = new Array<number>(cs.length);
    for (let j = 0; j < cs.length; j++) {
      const c = unquote(cs[j]);
      const v = c === '' ? NaN : +c;
      if (!Number.isFinite(v)) return `line ${i + 1 + skip + (columns.length && !skip ? 1 : 0)}: '${cs[j].trim()}' is not a number`;
      row[j] = v;
    }
    if (rows.length && row.length !== rows[0].length) return `line ${i + 1 + skip}: ${row.length} values where the first row has ${rows[0].length}`;
    cells += row.length;
    if (cells > MAX_DATA_CELLS) return `more than ${MAX_DATA_CELLS} values; use a sample of the data to visualize`;
    rows.push(row);
  }
  if (columns.length === 0 && rows.length) columns = rows[0].map((_, j) => String(j));
  return { columns: columns.map(unquote), rows };
}
