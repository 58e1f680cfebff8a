/**
 * The one matrix product the dense layers need, on row-major Float64Arrays:
 * C = A·Bᵀ with A (m × k) and B (n × k), so both operands are read along
 * contiguous rows. The forward pass is X·Wᵀ (W in PyTorch's out × in layout);
 * the backward pass's ∂L/∂W = δᵀ·X and ∂L/∂X = δ·W become the same product
 * after a transpose (O(size) against the product's O(m·n·k)).
 *
 * A 4 × 4 block of C is kept in sixteen locals while k runs, so each element
 * loaded serves four multiply-adds (about 3× the plain triple loop here).
 * Every element is still the sum over k in order from 0, as the plain loop
 * computes it, so the blocked and the plain product agree to the last bit.
 */
export function matmulABt(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let j = 0; j < n4; j += 4) {
    const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
    for (let i = 0; i < m4; i += 4) {
      const a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = A[a0 + p], x1 = A[a1 + p], x2 = A[a2 + p], x3 = A[a3 + p];
        let y = B[b0 + p];
        c00 += x0 * y; c10 += x1 * y; c20 += x2 * y; c30 += x3 * y;
        y = B[b1 + p];
        c01 += x0 * y; c11 += x1 * y; c21 += x2 * y; c31 += x3 * y;
        y = B[b2 + p];
        c02 += x0 * y; c12 += x1 * y; c22 += x2 * y; c32 += x3 * y;
        y = B[b3 + p];
        c03 += x0 * y; c13 += x1 * y; c23 += x2 * y; c33 += x3 * y;
      }
      let o = i * n + j;
      C[o] = c00; C[o + 1] = c01; C[o + 2] = c02; C[o + 3] = c03;
      o += n;
      C[o] = c10; C[o + 1] = c11; C[o + 2] = c12; C[o + 3] = c13;
      o += n;
      C[o] = c20; C[o + 1] = c21; C[o + 2] = c22; C[o + 3] = c23;
      o += n;
      C[o] = c30; C[o + 1] = c31; C[o + 2] = c32; C[o + 3] = c33;
    }
  }
  // the rows and columns left over from the 4 × 4 blocks
  for (let i = 0; i < m; i++) {
    for (let j = i < m4 ? n4 : 0; j < n; j++) {
      let s = 0;
      const a = i * k, b = j * k;
      for (let p = 0; p < k; p++) s += A[a + p] * B[b + p];
      C[i * n + j] = s;
    }
  }
}

/** out (cols × rows) = Aᵀ for A (rows × cols), row-major. */
export function transpose(A: Float64Array, rows: number, cols: number, out: Float64Array): Float64Array {
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = A[r + j];
  }
  return out;
}
