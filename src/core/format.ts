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
