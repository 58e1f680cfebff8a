// Plain-JS equivalent of the case tfjs-sigmoid-logloss: p = sigmoid(x * w + b), the mean of
// -(y log p + (1 - y) log(1 - p)).
const xs = [-2, -0.5, 0.5, 1.5, 3];
const labels = [0, 0, 1, 1, 1];
function logLoss(w, b) {
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    const p = 1 / (1 + Math.exp(-(xs[i] * w + b)));
    s += labels[i] * Math.log(p) + (1 - labels[i]) * Math.log(1 - p);
  }
  return -s / xs.length;
}
