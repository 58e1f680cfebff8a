/**
 * How every number reaches a person (hover, panel, command line, editor
 * decoration): six significant digits, exponent form when very large or
 * small, and words instead of NaN.
 */
export function fmt(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return 'undefined';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential(3);
  return String(Number(v.toPrecision(6)));
}

/** Breaks a formula into lines of about `width` characters at its top-level ` + ` and ` - `, continuing lines indented. */
export function breakFormula(text: string, width: number): string {
  const cuts: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && (c === '+' || c === '-') && text[i - 1] === ' ' && text[i + 1] === ' ') cuts.push(i - 1);
  }
  const lines: string[] = [];
  let start = 0;
  let last = 0;
  for (const cut of [...cuts, text.length]) {
    if (cut - start > width && last > start) {
      lines.push(text.slice(start, last));
      start = last + 1;
    }
    last = cut;
  }
  lines.push(text.slice(start));
  return lines.map((l, i) => (i === 0 ? l : `    ${l}`)).join('\n');
}
