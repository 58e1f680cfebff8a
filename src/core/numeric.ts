/**
 * Central finite differences, the independent check on the symbolic and
 * backprop gradients: ∂f/∂xᵢ ≈ (f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / 2hᵢ with the step
 * scaled to the coordinate, hᵢ = ∛ε · max(1, |xᵢ|), which balances truncation
 * error (∝ h²) against rounding error (∝ ε/h). The Hessian is the same
 * differences taken of the exact (backprop) gradient.
 */
const STEP = Math.cbrt(Number.EPSILON);

export function numericGradient(f: (x: Float64Array) => number, at: ArrayLike<number>): number[] {
  const x = Float64Array.from(at as ArrayLike<number>);
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const h = STEP * Math.max(1, Math.abs(xi));
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
 * The Hessian at `at` by central differences of an exact gradient, column i
 * (∇f(x + hᵢeᵢ) − ∇f(x − hᵢeᵢ)) / 2hᵢ, made symmetric by averaging with its
 * transpose. Exact up to rounding for a quadratic, whose gradient is linear.
 */
export function numericHessian(gradient: (x: Float64Array, g: Float64Array) => unknown, at: ArrayLike<number>): number[][] {
  const n = at.length;
  const x = Float64Array.from(at as ArrayLike<number>);
  const up = new Float64Array(n);
  const down = new Float64Array(n);
  const H: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const h = STEP * Math.max(1, Math.abs(xi));
    x[i] = xi + h;
    gradient(x, up);
    x[i] = xi - h;
    gradient(x, down);
    x[i] = xi;
    for (let j = 0; j < n; j++) H[j][i] = (up[j] - down[j]) / (2 * h);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) H[i][j] = H[j][i] = (H[i][j] + H[j][i]) / 2;
  }
  return H;
}

/** atol + rtol·|b| agreement, the tolerance used for every gradient cross-check. */
export function close(a: number, b: number, atol = 1e-5, rtol = 1e-3): boolean {
  return Math.abs(a - b) <= atol + rtol * Math.max(Math.abs(a), Math.abs(b));
}
