// Plain-JS equivalent of the case tfjs-minimize-in-train-function: predict(x) = a * x^2 + b, loss the mean of
// (pred - label)^2 over the xs and ys that train(xs, ys, 100) is called with.
const xs = [-1, 0, 1, 2];
const ys = [2.2, 0.9, 2.1, 5.0];
function lossAt(a, b) {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (a * xs[i] * xs[i] + b - ys[i]) ** 2;
  return s / xs.length;
}
