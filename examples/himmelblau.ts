// Himmelblau's function has four minima: where you start decides where you land.
//   from (1, 1)      → (3, 2)
//   from (−2, 3)     → (−2.805, 3.131)
//   from (−3, −3)    → (−3.779, −3.283)
//   from (3.5, −1.8) → (3.584, −1.848)
// Type a start in the panel, or click the contour, and watch the path choose.
// Its slopes reach ~100 a few units out, so η stays small.
const learningRate = 0.01;

export function himmelblau(x: number, y: number): number {
  return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2;
}

export const quadratic = (w: number): number => 0.5 * (w - 2) ** 2;
