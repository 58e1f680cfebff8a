/**
 * Built-in datasets for networks whose file has no data, chosen to fit the
 * input and output sizes. All are seeded, so the same seed gives the same points.
 */
import { Random } from './random';

export interface Dataset {
  name: string;
  /** row-major samples × inputs */
  x: Float64Array;
  /** row-major samples × outputs */
  y: Float64Array;
  count: number;
  inputs: number;
  outputs: number;
  /** classification (targets 0/1 or one-hot) or regression */
  task: 'classification' | 'regression';
}

export const DATASET_NAMES = ['xor', 'circles', 'moons', 'spiral', 'linear', 'sine', 'teacher'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Which built-in datasets fit a network with these sizes; the first is the default. */
export function datasetsFor(inputs: number, outputs: number): DatasetName[] {
  if (inputs === 2 && outputs === 1) return ['circles', 'xor', 'moons', 'spiral', 'linear'];
  if (inputs === 2 && outputs > 1) return ['spiral', 'circles', 'moons', 'xor', 'linear'];
  if (inputs === 1 && outputs === 1) return ['sine'];
  return ['teacher'];
}

export function makeDataset(name: DatasetName, inputs: number, outputs: number, seed: number, count = 200): Dataset {
  const rng = new Random(seed ^ 0x5eed);
  const xs: number[][] = [];
  const labels: number[] = []; // class index for classification
  const targets: number[][] = []; // regression targets
  let task: Dataset['task'] = 'classification';
  const classes = Math.max(2, outputs);
  switch (name) {
    case 'xor':
      for (const [a, b] of [[0, 0], [0, 1], [1, 0], [1, 1]]) { xs.push([a, b]); labels.push(a ^ b); }
      break;
    case 'circles':
      for (let i = 0; i < count; i++) {
        const inner = i % 2 === 1;
        const r = (inner ? 0.5 : 1) + 0.08 * rng.normal();
        const t = rng.uniform(0, 2 * Math.PI);
        xs.push([r * Math.cos(t), r * Math.sin(t)]);
        labels.push((inner ? 1 : 0) % classes);
      }
      break;
    case 'moons':
      for (let i = 0; i < count; i++) {
        const upper = i % 2 === 0;
        const t = rng.uniform(0, Math.PI);
        const x = upper ? Math.cos(t) : 1 - Math.cos(t);
        const y = upper ? Math.sin(t) : 0.5 - Math.sin(t);
        xs.push([x + 0.1 * rng.normal(), y + 0.1 * rng.normal()]);
        labels.push((upper ? 0 : 1) % classes);
      }
      break;
    case 'spiral':
      for (let i = 0; i < count; i++) {
        const c = i % classes;
        const r = (Math.floor(i / classes) / Math.ceil(count / classes)) * 1;
        const t = c * ((2 * Math.PI) / classes) + r * 4 + 0.2 * rng.normal();
        xs.push([r * Math.sin(t), r * Math.cos(t)]);
        labels.push(c);
      }
      break;
    case 'linear':
      for (let i = 0; i < count; i++) {
        const p = [rng.uniform(-1, 1), rng.uniform(-1, 1)];
        xs.push(p);
        labels.push((p[0] + 0.5 * p[1] > 0.1 ? 1 : 0) % classes);
      }
      break;
    case 'sine':
      task = 'regression';
      for (let i = 0; i < Math.min(count, 100); i++) {
        const x = -Math.PI + (2 * Math.PI * i) / 99;
        xs.push([x]);
        targets.push([Math.sin(x) + 0.05 * rng.normal()]);
      }
      break;
    case 'teacher': {
      // targets from a fixed random tanh layer: something smooth to fit at any size
      task = 'regression';
      const w = Array.from({ length: outputs * inputs }, () => rng.normal());
      for (let i = 0; i < count; i++) {
        const x = Array.from({ length: inputs }, () => rng.normal());
        xs.push(x);
        targets.push(Array.from({ length: outputs }, (_, o) => Math.tanh(x.reduce((s, v, k) => s + v * w[o * inputs + k], 0) / Math.sqrt(inputs))));
      }
      break;
    }
  }
  const n = xs.length;
  const x = new Float64Array(n * inputs);
  xs.forEach((row, i) => row.forEach((v, k) => { if (k < inputs) x[i * inputs + k] = v; }));
  const y = new Float64Array(n * outputs);
  if (task === 'classification') {
    labels.forEach((c, i) => {
      if (outputs === 1) y[i] = c;
      else y[i * outputs + c] = 1;
    });
  } else targets.forEach((row, i) => row.forEach((v, k) => { if (k < outputs) y[i * outputs + k] = v; }));
  return { name, x, y, count: n, inputs, outputs, task };
}
