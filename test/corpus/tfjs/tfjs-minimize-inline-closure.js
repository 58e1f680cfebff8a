// Plain-JS equivalent of the case tfjs-minimize-inline-closure: m and c are the tf.variable leaves; the closure
// xs.mul(m).add(c).sub(ys).square().mean() is the mean of (x * m + c - y)^2.
const xs = [1, 2, 3, 4];
const ys = [3.1, 4.9, 7.2, 8.8];
function lossAt(m, c) {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] * m + c - ys[i]) ** 2;
  return s / xs.length;
}
