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

/**
 * Breaks a formula into lines of about `width` characters between its terms: before a ` + ` or ` − `
 * (or ` - `) and after a `, `, continuing lines indented. A line ends at the outermost such place that
 * fits, so a sum breaks at its top level; a formula whose terms all sit inside one bracket (a Σ's
 * `[…]`) breaks inside it rather than letting the hover wrap it mid-term.
 */
export function breakFormula(text: string, width: number): string {
  const cuts: Array<{ end: number; next: number; depth: number }> = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if ((c === '+' || c === '-' || c === '−') && text[i - 1] === ' ' && text[i + 1] === ' ') cuts.push({ end: i - 1, next: i, depth });
    else if (c === ',' && text[i + 1] === ' ') {
      let next = i + 1;
      while (text[next] === ' ') next++;
      cuts.push({ end: i + 1, next, depth });
    }
  }
  const lines: string[] = [];
  let start = 0;
  for (let room = width; text.length - start > room; room = width - 4) {
    const after = cuts.filter((c) => c.end > start);
    const fits = after.filter((c) => c.end - start <= room);
    const cut = fits.length ? fits.reduce((a, b) => (b.depth <= a.depth ? b : a)) : after[0];
    if (!cut) break;
    lines.push(text.slice(start, cut.end));
    start = cut.next;
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
