/**
 * Eigenvalues of a small symmetric matrix by the cyclic Jacobi method: plane
 * rotations, each zeroing one off-diagonal entry, until the off-diagonal part
 * is negligible beside the diagonal. Exact to rounding for the few parameters
 * of a function (a Hessian of 2–10 rows).
 */

/** The eigenvalues of the symmetric matrix `A` (only its upper triangle is read), ascending. */
export function symmetricEigenvalues(A: ReadonlyArray<ReadonlyArray<number>>): number[] {
  const n = A.length;
  const a = A.map((row, i) => row.map((_, j) => (j >= i ? A[i][j] : A[j][i])));
  const offDiagonal = (): number => {
    let s = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += a[i][j] * a[i][j];
    return s;
  };
  for (let sweep = 0; sweep < 100; sweep++) {
    let diagonal = 0;
    for (let i = 0; i < n; i++) diagonal += a[i][i] * a[i][i];
    const off = offDiagonal();
    if (off === 0 || off <= 1e-32 * diagonal) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (a[p][q] === 0) continue;
        // the rotation (c, s) that zeroes a[p][q]: t = tan θ, the smaller root of t² + 2τt − 1 = 0
        const tau = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          // columns p and q: A ← A·J
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          // rows p and q: A ← Jᵀ·A
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        a[p][q] = a[q][p] = 0;
      }
    }
  }
  return a.map((row, i) => row[i]).sort((x, y) => x - y);
}
