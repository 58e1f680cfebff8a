// Plain-JS equivalent of the case tfjs-await-data-destructured: p = sigmoid(x * w), the binary cross-entropy
// -mean(y log p + (1 - y) log(1 - p)); await bce.data() gives [that number].
const inputs = [-1.5, -0.5, 0.5, 1.5];
const labels = [0, 0, 1, 1];
function lossAt(w) {
  let s = 0;
  for (let i = 0; i < inputs.length; i++) {
    const p = 1 / (1 + Math.exp(-inputs[i] * w));
    s += labels[i] * Math.log(p) + (1 - labels[i]) * Math.log(1 - p);
  }
  return -s / inputs.length;
}
