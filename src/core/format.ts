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

/**
 * A number in at most `width` characters (a unit's value inside its circle):
 * as many significant digits as fit, rounded, never cut (1.234e-5 is 1e-5,
 * not 1.234); the digits printed are the precision, trailing zeros kept.
 */
export function fmtShort(v: number | null | undefined, width = 5): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return fmt(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 10 ** width) {
    for (let digits = 4; digits >= 1; digits--) {
      const s = v.toPrecision(digits);
      if (s.length <= width && !s.includes('e')) return s;
    }
  }
  return v.toExponential(0).replace('+', '');
}

/** Breaks a formula into lines of about `width` characters at its top-level ` + ` and ` − ` (or ` - `), continuing lines indented. */
export function breakFormula(text: string, width: number): string {
  const cuts: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && (c === '+' || c === '-' || c === '−') && text[i - 1] === ' ' && text[i + 1] === ' ') cuts.push(i - 1);
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

/** A number as p/q when it is one with a small q (1/6, not 0.166667). */
export function fraction(v: number): { p: number; q: number } | undefined {
  for (let q = 1; q <= 1000; q++) {
    const p = Math.round(v * q);
    if (Math.abs(p / q - v) <= 1e-12 * Math.abs(v)) return { p, q };
  }
  return undefined;
}

/** Significant digits of a number's shortest decimal form (0.030000000000000002 has 1: it is 0.03 as written). */
export function significant(v: number): number {
  return String(Number(v.toPrecision(12))).replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length;
}
