// Plain-JS equivalent of the case tfjs-console-log-arraysync: tf.losses.meanSquaredError(ys, xs.mul(k)) is the mean
// of (x * k - y)^2; .arraySync() of the scalar is that number.
const xs = [2, 4, 6];
const ys = [1, 2.2, 2.9];
function lossAt(k) {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] * k - ys[i]) ** 2;
  return s / xs.length;
}
