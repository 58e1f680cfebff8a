// Plain-JS equivalent of the case tfjs-variable-mse: a and b are the tf.variable leaves;
// tf.losses.meanSquaredError(ys, predict(xs)) is the mean of (prediction - label)^2.
const xs = [0, 1, 2, 3];
const ys = [-1, 1.1, 2.9, 5.2];
function lossAt(a, b) {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] * a + b - ys[i]) ** 2;
  return s / xs.length;
}
