// The Rosenbrock valley: gradient descent crawls along its curved floor.
// The classic start is (x, y) = (−1.2, 1); the minimum is at (1, 1).
// Its walls are steep (curvature up to ~1000 near the start), so the step
// must be small: with η = 0.002 descent follows the valley in 5000 steps.
const learningRate = 0.002;
const iterations = 5000;

const rosenbrock = (x = -1.2, y = 1) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;

function bump(x, y) {
  const r2 = x * x + y * y;
  return Math.exp(-r2) + 0.5 * Math.log(1 + x * x);
}

module.exports = { rosenbrock, bump, learningRate, iterations };
