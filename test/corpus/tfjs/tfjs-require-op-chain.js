// Plain-JS equivalent of the case tfjs-require-op-chain (TensorFlow.js is not installed):
// xs.mul(m).add(b) is xs[i] * m + b, .sub(ys).square().mean() the mean of the squared differences.
const xs = [1, 2, 3, 4];
const ys = [1.2, 2.9, 5.1, 7.2];
function loss(m, b) {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] * m + b - ys[i]) ** 2;
  return s / xs.length;
}
