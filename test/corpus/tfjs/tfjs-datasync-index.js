// Plain-JS equivalent of the case tfjs-datasync-index: the mean of (x * w + b - y)^2; .dataSync()[0] is that number.
const xs = [0, 1, 2, 3, 4];
const ys = [1.0, 2.6, 4.1, 5.4, 7.2];
function lossAt(w, b) {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] * w + b - ys[i]) ** 2;
  return s / xs.length;
}
