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
  let lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !/^\s*#/.test(l));
  const skip = opts.skipRows ?? 0;
  let columns: string[] = [];
  const split = (l: string): string[] => (opts.delimiter && opts.delimiter.trim() !== '' ? l.split(opts.delimiter) : l.includes(',') ? l.split(',') : l.trim().split(/\s+/)).map((c) => c.trim());
  if (skip > 0) {
    columns = split(lines[0] ?? '');
    lines = lines.slice(skip);
  } else if (lines.length > 0) {
    const first = split(lines[0]);
    const isHeader = opts.header ?? first.some((c) => c !== '' && !Number.isFinite(Number(c)));
    if (isHeader) {
      columns = first;
      lines = lines.slice(1);
    }
  }
  const rows: number[][] = [];
  let cells = 0;
  for (let i = 0; i < lines.length; i++) {
    const cs = split(lines[i]);
    const row = cs.map((c) => (c.replace(/^"|"$/g, '') === '' ? NaN : Number(c.replace(/^"|"$/g, ''))));
    const bad = row.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) return `line ${i + 1 + skip + (columns.length && !skip ? 1 : 0)}: '${cs[bad]}' is not a number`;
    if (rows.length && row.length !== rows[0].length) return `line ${i + 1 + skip}: ${row.length} values where the first row has ${rows[0].length}`;
    cells += row.length;
    if (cells > MAX_DATA_CELLS) return `more than ${MAX_DATA_CELLS} values; use a sample of the data to visualize`;
    rows.push(row);
  }
  if (columns.length === 0 && rows.length) columns = rows[0].map((_, j) => String(j));
  return { columns: columns.map((c) => c.replace(/^"|"$/g, '')), rows };
}
