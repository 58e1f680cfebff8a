// Plain-JS equivalent of the case tfjs-functional-ops:
// tf.mean(tf.square(tf.sub(tf.add(tf.mul(xs, w), b), ys))).
const xs = [0.5, 1.5, 2.5, 3.5, 4.5];
const ys = [1.0, 2.2, 2.9, 4.1, 5.2];
function cost(w, b) {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] * w + b - ys[i]) ** 2;
  return s / xs.length;
}
