/**
 * A filled heat map and iso-lines (marching squares) of f over a grid, drawn
 * under the descent path as a Chart.js plugin.
 */
import type { Chart, Plugin } from 'chart.js';

export interface Grid {
  nx: number;
  ny: number;
  xmin: number;
  xmax: number;
  ymin: number;
  ymax: number;
  /** row-major, rows from ymin to ymax */
  values: Array<number | null>;
}

/** A perceptual ramp (viridis endpoints and midpoints) readable in light and dark themes. */
const RAMP: Array<[number, number, number]> = [
  [68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37],
];

function ramp(t: number): [number, number, number] {
  const x = Math.min(Math.max(t, 0), 1) * (RAMP.length - 1);
  const i = Math.min(Math.floor(x), RAMP.length - 2);
  const f = x - i;
  const a = RAMP[i];
  const b = RAMP[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** Values are shown on a rank scale so one steep wall does not wash out the valley. */
function levels(values: Array<number | null>): { rank: (v: number) => number; iso: number[] } {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const rank = (v: number): number => {
    if (sorted.length < 2) return 0.5;
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo / (sorted.length - 1);
  };
  const iso: number[] = [];
  for (let k = 1; k < 12; k++) iso.push(sorted[Math.floor((k / 12) * (sorted.length - 1))]);
  return { rank, iso: [...new Set(iso)] };
}

export interface HeatmapStyle {
  /** colour of a value (default: the rank-scaled ramp) */
  color?: (v: number) => [number, number, number, number];
  /** the values to draw iso-lines at (default: 11 quantiles) */
  iso?: (values: Array<number | null>) => number[];
}

export function heatmapPlugin(getGrid: () => Grid | undefined, lineColor: () => string, style: HeatmapStyle = {}): Plugin<'scatter'> {
  let cache: { grid: Grid; image: HTMLCanvasElement; segments: Float64Array } | undefined;
  return {
    id: 'gradientLensHeatmap',
    beforeDatasetsDraw(chart: Chart<'scatter'>) {
      const grid = getGrid();
      if (!grid) return;
      if (!cache || cache.grid !== grid) {
        const q = levels(grid.values);
        const rank = q.rank;
        const iso = style.iso ? style.iso(grid.values) : q.iso;
        const image = document.createElement('canvas');
        image.width = grid.nx;
        image.height = grid.ny;
        const ctx = image.getContext('2d');
        if (!ctx) return;
        const data = ctx.createImageData(grid.nx, grid.ny);
        for (let r = 0; r < grid.ny; r++) {
          for (let c = 0; c < grid.nx; c++) {
            const v = grid.values[r * grid.nx + c];
            const o = ((grid.ny - 1 - r) * grid.nx + c) * 4; // image rows go top-down
            if (v === null) { data.data[o + 3] = 0; continue; }
            const [R, G, B, A] = style.color ? style.color(v) : [...ramp(rank(v)), 200];
            data.data[o] = R; data.data[o + 1] = G; data.data[o + 2] = B; data.data[o + 3] = A;
          }
        }
        ctx.putImageData(data, 0, 0);
        cache = { grid, image, segments: isoSegments(grid, iso) };
      }
      const { ctx, chartArea, scales } = chart;
      const px = (x: number): number => scales.x.getPixelForValue(x);
      const py = (y: number): number => scales.y.getPixelForValue(y);
      ctx.save();
      ctx.beginPath();
      ctx.rect(chartArea.left, chartArea.top, chartArea.width, chartArea.height);
      ctx.clip();
      ctx.imageSmoothingEnabled = true;
      const dx = (grid.xmax - grid.xmin) / (grid.nx - 1) / 2;
      const dy = (grid.ymax - grid.ymin) / (grid.ny - 1) / 2;
      ctx.drawImage(cache.image, px(grid.xmin - dx), py(grid.ymax + dy), px(grid.xmax + dx) - px(grid.xmin - dx), py(grid.ymin - dy) - py(grid.ymax + dy));
      // iso-lines: segments found once per grid (marching squares), only projected per frame
      ctx.strokeStyle = lineColor();
      ctx.globalAlpha = style.iso ? 0.9 : 0.45;
      ctx.lineWidth = style.iso ? 2 : 1;
      ctx.beginPath();
      const seg = cache.segments;
      for (let k = 0; k < seg.length; k += 4) {
        ctx.moveTo(px(seg[k]), py(seg[k + 1]));
        ctx.lineTo(px(seg[k + 2]), py(seg[k + 3]));
      }
      ctx.stroke();
      ctx.restore();
    },
  };
}

/** The iso-lines of a grid as segments [x0, y0, x1, y1, …] in data coordinates (marching squares). */
function isoSegments(grid: Grid, levels: number[]): Float64Array {
  const out: number[] = [];
  const gx = (c: number): number => grid.xmin + ((grid.xmax - grid.xmin) * c) / (grid.nx - 1);
  const gy = (r: number): number => grid.ymin + ((grid.ymax - grid.ymin) * r) / (grid.ny - 1);
  const pts: number[] = [];
  const edge = (level: number, a: number, b: number, xa: number, ya: number, xb: number, yb: number): void => {
    if ((a < level) !== (b < level)) {
      const t = (level - a) / (b - a);
      pts.push(xa + (xb - xa) * t, ya + (yb - ya) * t);
    }
  };
  for (const level of levels) {
    for (let r = 0; r < grid.ny - 1; r++) {
      for (let c = 0; c < grid.nx - 1; c++) {
        const v00 = grid.values[r * grid.nx + c];
        const v10 = grid.values[r * grid.nx + c + 1];
        const v01 = grid.values[(r + 1) * grid.nx + c];
        const v11 = grid.values[(r + 1) * grid.nx + c + 1];
        if (v00 === null || v10 === null || v01 === null || v11 === null) continue;
        pts.length = 0;
        edge(level, v00, v10, gx(c), gy(r), gx(c + 1), gy(r));
        edge(level, v10, v11, gx(c + 1), gy(r), gx(c + 1), gy(r + 1));
        edge(level, v11, v01, gx(c + 1), gy(r + 1), gx(c), gy(r + 1));
        edge(level, v01, v00, gx(c), gy(r + 1), gx(c), gy(r));
        for (let k = 0; k + 3 < pts.length; k += 4) out.push(pts[k], pts[k + 1], pts[k + 2], pts[k + 3]);
      }
    }
  }
  return Float64Array.from(out);
}

/** Draws an arrow in pixel space. */
export function arrow(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number, color: string, width = 2): void {
  const len = Math.hypot(x1 - x0, y1 - y0);
  if (len < 1) return;
  const head = Math.min(10, len * 0.4);
  const ang = Math.atan2(y1 - y0, x1 - x0);
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - head * Math.cos(ang - 0.4), y1 - head * Math.sin(ang - 0.4));
  ctx.lineTo(x1 - head * Math.cos(ang + 0.4), y1 - head * Math.sin(ang + 0.4));
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}
