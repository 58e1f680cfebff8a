/**
 * Axis labels a person reads at a glance: as many decimals as the tick step
 * needs and no more (0.25, 0.5, 0.75 — not 0.3, 0.5, 0.8 or 0.250000000001),
 * an exact 0 (never −0.0), scientific notation only for very large or very
 * small values, and on log axes only 1, 2 and 5 × 10ᵏ.
 */
interface Tick { value: number }

/** Decimals needed to write `step` exactly, up to 10. */
function decimalsOf(step: number): number {
  for (let d = 0; d <= 10; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 10;
}

export function linearTick(value: number, index: number, ticks: Tick[]): string {
  // an interior step: where the axis ends are set, the first and last ticks sit at odd values
  const j = ticks.length > 3 ? 1 : 0;
  const step = ticks.length > 1 ? Math.abs(ticks[j + 1].value - ticks[j].value) : Math.abs(value) || 1;
  if (Math.abs(value) < step * 1e-6) return '0';
  const mag = Math.max(...ticks.map((t) => Math.abs(t.value)), Math.abs(value));
  if (mag >= 1e5 || (step < 1e-4 && mag < 1e-3)) {
    // enough significant digits to tell neighbouring ticks apart
    const digits = Math.max(0, Math.min(6, Math.ceil(Math.log10(mag / step) - 1e-9)));
    return value.toExponential(digits).replace(/\.?0+e/, 'e').replace('e+', 'e');
  }
  void index;
  return value.toFixed(decimalsOf(step));
}

/** Log axes: powers of ten always; 2 and 5 × 10ᵏ when the axis spans few decades. */
export function logTick(value: number, index: number, ticks: Tick[]): string {
  if (!(value > 0)) return '';
  const k = Math.floor(Math.log10(value) + 1e-9);
  const lead = value / 10 ** k;
  const decades = ticks.length > 1 ? Math.log10(ticks[ticks.length - 1].value / ticks[0].value) : 1;
  const isPow = Math.abs(lead - 1) < 1e-6;
  const is25 = Math.abs(lead - 2) < 1e-6 || Math.abs(lead - 5) < 1e-6;
  void index;
  if (!isPow && !(is25 && decades <= 3)) return '';
  // many decades: every other power (or sparser) so labels never crowd
  if (isPow && decades > 8 && k % Math.ceil(decades / 8) !== 0) return '';
  if (k >= -3 && k <= 4) return String(Number((lead * 10 ** k).toPrecision(1)));
  return isPow ? `1e${k}` : `${Math.round(lead)}e${k}`;
}

/** A Chart.js tick callback from one of the formatters above. */
export function tickLabel(f: (value: number, index: number, ticks: Tick[]) => string): (value: number | string, index: number, ticks: Tick[]) => string {
  return (value, index, ticks) => f(Number(value), index, ticks);
}
