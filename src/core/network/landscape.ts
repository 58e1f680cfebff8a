/**
 * A network's loss landscape around its current weights θ (Li, Xu, Taylor,
 * Studer, Goldstein, "Visualizing the Loss Landscape of Neural Nets",
 * NeurIPS 2018): the loss L(θ + α·d₁ + β·d₂) over a square grid of (α, β),
 * d₁ and d₂ seeded random directions, each filter-normalised, and the
 * training path projected onto that plane.
 *
 * Filter normalisation is what makes the picture mean something: a raw
 * random direction moves a layer with small weights as far as one with large
 * ones, and the scale-invariance of many networks then hides or invents
 * sharpness. Scaling each filter of the direction to the norm of the same
 * filter of θ makes α = 1 "one filter's worth" of change everywhere. A dense
 * layer's filter is one unit's incoming weights with its bias (row j of W and
 * b_j): the paper's convolutional filter, for a unit of a dense layer.
 */
import { MLP } from './mlp';
import { Random } from './random';

/** The directions' seed: the same network at the same weights gives the same plane. */
export const LANDSCAPE_SEED = 2018;
/** Grid points per side, at most and at least (odd, so the centre α = β = 0 is a grid point). */
export const LANDSCAPE_MAX_SIDE = 41;
export const LANDSCAPE_MIN_SIDE = 11;
/**
 * The work a landscape may take, in grid points × samples × parameters
 * (about the multiply-adds of its forward passes): about a second. npm run
 * bench measures 41 × 41 of a 2-8-8-1 on 200 samples, 35 M of it, in about
 * 0.2 s (its tanh costs more than its multiply-adds; a wider layer's matrix
 * product goes faster per weight). A larger network or more samples get a
 * coarser grid, down to LANDSCAPE_MIN_SIDE.
 */
export const LANDSCAPE_WORK = 200_000_000;
/** The training path keeps at most this many weight vectors (every epoch, then every 2nd, 4th, …)… */
export const PATH_MAX_POINTS = 200;
/** …and only for networks of at most this many parameters (200 of them are 16 MB of float64). */
export const PATH_MAX_PARAMETERS = 10_000;

/** Grid points per side for a network of `parameters` on `samples`: the most that keeps the work within LANDSCAPE_WORK, odd, within the bounds. */
export function landscapeSide(parameters: number, samples: number): number {
  const fit = Math.floor(Math.sqrt(LANDSCAPE_WORK / Math.max(1, parameters * samples)));
  const odd = fit % 2 === 1 ? fit : fit - 1;
  return Math.min(LANDSCAPE_MAX_SIDE, Math.max(LANDSCAPE_MIN_SIDE, odd));
}

/**
 * A random direction in parameter space, filter-normalised against `theta`:
 * Gaussian entries, then each unit's row of W with its bias scaled to the
 * norm of the same entries of θ (a unit whose weights are all 0 gets none).
 */
export function filterNormalizedDirection(mlp: MLP, theta: Float64Array, rng: Random): Float64Array {
  const d = new Float64Array(mlp.parameterCount);
  for (let l = 0; l < mlp.units.length; l++) {
    const fanIn = mlp.sizes[l];
    const units = mlp.units[l];
    const w = mlp.wOffset[l];
    const b = w + units * fanIn;
    for (let j = 0; j < units; j++) {
      const row = w + j * fanIn;
      let dd = 0;
      let tt = 0;
      for (let k = row; k < row + fanIn; k++) {
        d[k] = rng.normal();
        dd += d[k] * d[k];
        tt += theta[k] * theta[k];
      }
      d[b + j] = rng.normal();
      dd += d[b + j] * d[b + j];
      tt += theta[b + j] * theta[b + j];
      const scale = dd > 0 ? Math.sqrt(tt / dd) : 0;
      for (let k = row; k < row + fanIn; k++) d[k] *= scale;
      d[b + j] *= scale;
    }
  }
  return d;
}

/**
 * The coordinates (a, b) of each point p in the plane θ + a·d₁ + b·d₂: the
 * least-squares solution of [d₁ d₂]·(a, b) = p − θ (the directions are not
 * orthogonal, so the two dot products alone would not do), and how much of
 * p − θ the plane leaves out, ‖residual‖ / ‖p − θ‖ (0 for a point in it).
 */
export function projectOntoPlane(points: readonly Float64Array[], theta: Float64Array, d1: Float64Array, d2: Float64Array): Array<{ a: number; b: number; outside: number }> {
  let g11 = 0;
  let g12 = 0;
  let g22 = 0;
  for (let k = 0; k < theta.length; k++) {
    g11 += d1[k] * d1[k];
    g12 += d1[k] * d2[k];
    g22 += d2[k] * d2[k];
  }
  const det = g11 * g22 - g12 * g12;
  return points.map((p) => {
    let r1 = 0;
    let r2 = 0;
    let vv = 0;
    for (let k = 0; k < theta.length; k++) {
      const v = p[k] - theta[k];
      r1 += d1[k] * v;
      r2 += d2[k] * v;
      vv += v * v;
    }
    if (!(det > 0) || vv === 0) return { a: 0, b: 0, outside: 0 };
    const a = (g22 * r1 - g12 * r2) / det;
    const b = (g11 * r2 - g12 * r1) / det;
    // ‖v − a·d₁ − b·d₂‖² = ‖v‖² − (a·r₁ + b·r₂) at the least-squares solution
    const rest = Math.max(0, vv - (a * r1 + b * r2));
    return { a, b, outside: Math.sqrt(rest / vv) };
  });
}

/** One recorded point of the training path: the weights after `epoch` epochs. */
export interface PathPoint {
  epoch: number;
  params: Float64Array;
}

/**
 * The weights along training, thinned to at most PATH_MAX_POINTS: every
 * epoch at first, and each time the list would grow past the limit every
 * other point is dropped and the stride doubles (0, 2, 4, … then 0, 4, 8, …).
 */
export class PathRecorder {
  readonly points: PathPoint[] = [];
  private stride = 1;

  record(epoch: number, params: Float64Array): void {
    if (epoch % this.stride !== 0) return;
    this.points.push({ epoch, params: Float64Array.from(params) });
    if (this.points.length <= PATH_MAX_POINTS) return;
    this.stride *= 2;
    const kept = this.points.filter((p) => p.epoch % this.stride === 0);
    this.points.splice(0, this.points.length, ...kept);
  }
}

export interface Landscape {
  /** grid points per side; α and β run over [−extent, extent], the centre is (0, 0) */
  side: number;
  extent: number;
  /** row-major side × side, rows from β = −extent up, columns from α = −extent right; null where the loss is not finite */
  values: Array<number | null>;
  /** the loss at the centre, the current weights */
  centre: number;
  /** the path's points in (α, β), and how far out of the plane each lies (‖residual‖ / ‖p − θ‖) */
  path: Array<{ epoch: number; a: number; b: number; outside: number }>;
}

/** The plane a landscape is drawn on: its centre θ (the weights then) and two directions. */
export interface Plane {
  theta: Float64Array;
  d1: Float64Array;
  d2: Float64Array;
}

/** The plane through `mlp`'s current weights along two seeded filter-normalised random directions. */
export function landscapePlane(mlp: MLP, seed = LANDSCAPE_SEED): Plane {
  const theta = Float64Array.from(mlp.params);
  const rng = new Random(seed);
  const d1 = filterNormalizedDirection(mlp, theta, rng);
  const d2 = filterNormalizedDirection(mlp, theta, rng);
  return { theta, d1, d2 };
}

/**
 * The landscape around `mlp`'s current weights, as steps: it yields after
 * every grid point (one forward pass over the data) so a caller can spread it
 * over time slices, on a copy of the network taken now (training may go on).
 * The path is projected first; the grid reaches at least α, β = ±1 and
 * 10 % past the farthest projected point.
 */
export function* landscapeSteps(mlp: MLP, data: { x: Float64Array; y: Float64Array; count: number }, path: readonly PathPoint[], side: number, plane = landscapePlane(mlp)): Generator<number, Landscape> {
  const net = mlp.clone();
  const { theta, d1, d2 } = plane;
  const projected = projectOntoPlane(path.map((p) => p.params), theta, d1, d2).map((c, i) => ({ epoch: path[i].epoch, ...c }));
  yield 0;
  const far = Math.max(0, ...projected.map((c) => Math.max(Math.abs(c.a), Math.abs(c.b))));
  const extent = Math.max(1, 1.1 * far);
  const half = (side - 1) / 2;
  // (2c − (side − 1))/(side − 1): exactly 0 at the centre, so the centre is θ itself
  const at = (c: number): number => (extent * (c - half)) / half;
  const values: Array<number | null> = [];
  const P = net.params;
  let centre = NaN;
  for (let r = 0; r < side; r++) {
    const beta = at(r);
    for (let c = 0; c < side; c++) {
      const alpha = at(c);
      for (let k = 0; k < P.length; k++) P[k] = theta[k] + alpha * d1[k] + beta * d2[k];
      const loss = net.evaluateLoss(data.x, data.y, data.count);
      if (r === half && c === half) centre = loss;
      values.push(Number.isFinite(loss) ? loss : null);
      yield values.length;
    }
  }
  return { side, extent, values, centre, path: projected };
}
