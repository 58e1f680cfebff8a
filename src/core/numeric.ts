/**
 * Central finite differences, the independent check on the symbolic and
 * backprop gradients: ∂f/∂xᵢ ≈ (f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / 2hᵢ with the step
 * scaled to the coordinate, hᵢ = ∛ε · max(1, |xᵢ|), which balances truncation
 * error (∝ h²) against rounding error (∝ ε/h).
 */
const H = Math.cbrt(Number.EPSILON);

/** The difference step for coordinate value `x`. */
const stepFor = (x: number): number => H * Math.max(1, Math.abs(x));

export function numericGradient(f: (x: Float64Array) => number, at: ArrayLike<number>): number[] {
  const x = Float64Array.from(at as ArrayLike<number>);
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const h = stepFor(xi);
    x[i] = xi + h;
    const up = f(x);
    x[i] = xi - h;
    const down = f(x);
    x[i] = xi;
    out.push((up - down) / (2 * h));
  }
  return out;
}

/**
 * The Hessian at `at` by central differences of an exact gradient `gradient`
 * (x, g) → f: column i is (∇f(x + hᵢeᵢ) − ∇f(x − hᵢeᵢ)) / 2hᵢ, then the
 * matrix is symmetrised, (H + Hᵀ)/2, which halves the rounding error of the
 * off-diagonal entries. 2n gradient evaluations.
 */
export function numericHessian(gradient: (x: Float64Array, g: Float64Array) => number, at: ArrayLike<number>): number[][] {
  const n = at.length;
  const x = Float64Array.from(at as ArrayLike<number>);
  const up = new Float64Array(n);
  const down = new Float64Array(n);
  const columns: number[][] = [];
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const h = stepFor(xi);
    x[i] = xi + h;
    gradient(x, up);
    x[i] = xi - h;
    gradient(x, down);
    x[i] = xi;
    columns.push(Array.from(up, (u, j) => (u - down[j]) / (2 * h)));
  }
  return columns.map((col, i) => col.map((v, j) => (v + columns[j][i]) / 2));
}

/** atol + rtol·|b| agreement, the tolerance used for every gradient cross-check. */
export function close(a: number, b: number, atol = 1e-5, rtol = 1e-3): boolean {
  return Math.abs(a - b) <= atol + rtol * Math.max(Math.abs(a), Math.abs(b));
}
