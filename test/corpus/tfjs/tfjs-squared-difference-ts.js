// Plain-JS equivalent of the TypeScript case tfjs-squared-difference-ts:
// tf.squaredDifference(xs.mul(w).add(b), ys).sum() is the sum of the squared differences.
const xs = [1, 2, 4];
const ys = [3, 5.5, 8.5];
function sse(w, b) {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] * w + b - ys[i]) ** 2;
  return s;
}
