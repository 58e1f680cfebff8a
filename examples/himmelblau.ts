// Himmelblau's function has four minima: where you start decides where you land.
export function himmelblau(x: number, y: number): number {
  return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2;
}

export const quadratic = (w: number): number => 0.5 * (w - 2) ** 2;
