/**
 * Central finite differences, the independent check on the symbolic and
 * backprop gradients: ∂f/∂xᵢ ≈ (f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / 2hᵢ with the step
 * scaled to the coordinate, hᵢ = ∛ε · max(1, |xᵢ|), which balances truncation
 * error (∝ h²) against rounding error (∝ ε/h).
 */
const H = Math.cbrt(Number.EPSILON);

export function numericGradient(f: (x: Float64Array) => number, at: ArrayLike<number>): number[] {
  const x = Float64Array.from(at as ArrayLike<number>);
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const h = H * Math.max(1, Math.abs(xi));
    x[i] = xi + h;
    const up = f(x);
    x[i] = xi - h;
    const down = f(x);
    x[i] = xi;
    out.push((up - down) / (2 * h));
  }
  return out;
}

/** atol + rtol·|b| agreement, the tolerance used for every gradient cross-check. */
export function close(a: number, b: number, atol = 1e-5, rtol = 1e-3): boolean {
  return Math.abs(a - b) <= atol + rtol * Math.max(Math.abs(a), Math.abs(b));
}
