// The Rosenbrock valley: gradient descent crawls along its curved floor.
const rosenbrock = (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;

function bump(x, y) {
  const r2 = x * x + y * y;
  return Math.exp(-r2) + 0.5 * Math.log(1 + x * x);
}

module.exports = { rosenbrock, bump };
