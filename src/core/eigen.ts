/**
 * Eigenvalues and eigenvectors of a small symmetric matrix by the cyclic
 * Jacobi method: plane rotations that zero one off-diagonal entry at a time,
 * swept over every pair until the off-diagonal part is negligible. Slow for
 * large n (O(n³) per sweep) but exact to rounding and always convergent,
 * which is what a Hessian of a few dozen parameters needs.
 */

/** Sweeps after which the off-diagonal part is below rounding for any matrix met in practice. */
const MAX_SWEEPS = 60;

/** `values[k]` with unit eigenvector `vectors[k]`, ascending by value. */
export function symmetricEigen(matrix: readonly (readonly number[])[]): { values: number[]; vectors: number[][] } {
  const n = matrix.length;
  const a = matrix.map((row) => row.slice());
  // v's columns are the eigenvectors: the product of every rotation applied
  const v = a.map((_, i): number[] => a.map((__, j) => (i === j ? 1 : 0)));
  let scale = 0;
  for (const row of a) for (const x of row) scale += x * x;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
    if (off <= Number.EPSILON * Number.EPSILON * scale) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (a[p][q] === 0) continue;
        // the rotation angle φ with tan φ = t that zeroes a[p][q], the smaller root for stability
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = a.map((_, i) => i).sort((i, j) => a[i][i] - a[j][j]);
  return { values: order.map((i) => a[i][i]), vectors: order.map((i) => v.map((row) => row[i])) };
}
