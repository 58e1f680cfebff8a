/**
 * Training checked against the real framework: every model of test/pytorch/
 * (each supported loss, optimizer with non-default hyperparameters, and
 * activation, and two of real size) trained by Gradient Lens's command line, against
 * real PyTorch 1.13 in float64 from the same starting weights. The expected
 * numbers come from scripts/pytorch_oracle.py (committed with its output);
 * the `pytorch` test stage reruns that script with Debian's python3-torch and
 * points PYTORCH_EXPECTED at its fresh output.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, ROOT } from './helpers';

interface Weights { W: number[][]; b: number[] }
/** weights flat in the engine's order (per layer W row by row, then b), every `stride`-th one */
interface Expected { torch: string; cases: Record<string, { epochs: number; parameters: number; stride: number; initial: number[]; loss: number[]; final: number[] }> }
const flat = (layers: Weights[]): number[] => layers.flatMap((l) => [...l.W.flat(), ...l.b]);

const file = process.env.PYTORCH_EXPECTED ?? path.join(ROOT, 'test', 'pytorch', 'expected.json');
const expected = JSON.parse(fs.readFileSync(file, 'utf8')) as Expected;
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

describe(`training matches PyTorch ${expected.torch} (float64, full batch)`, () => {
  for (const [name, want] of Object.entries(expected.cases)) {
    it(`${name}: ${want.parameters} parameters, ${want.epochs} epochs: the loss before each update and the final weights agree to 1e-6 relative`, () => {
      const r = spawnSync(process.execPath, [CLI, 'analyze', path.join(ROOT, 'test', 'pytorch', name), '--epochs', String(want.epochs), '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
      assert.strictEqual(r.status, 0, r.stderr);
      const j = JSON.parse(r.stdout) as { training: { loss: number[] }; weights: { initial: Weights[]; final: Weights[] } };
      // the oracle started from these weights; if Gradient Lens's seeded start changed, rerun the oracle
      const sample = (v: number[]): number[] => v.filter((_, k) => k % want.stride === 0);
      assert.deepStrictEqual(sample(flat(j.weights.initial)), want.initial, 'the starting weights the oracle used (rerun scripts/pytorch_oracle.py)');
      assert.strictEqual(j.training.loss.length, want.loss.length);
      j.training.loss.forEach((l, k) => assert.ok(rel(l, want.loss[k]) <= 1e-6, `epoch ${k}: ${l} vs PyTorch ${want.loss[k]}`));
      sample(flat(j.weights.final)).forEach((v, k) => assert.ok(Math.abs(v - want.final[k]) <= 1e-6 * Math.max(1, Math.abs(want.final[k])), `weight ${k * want.stride}: ${v} vs ${want.final[k]}`));
      // and training did something: the loss moved
      assert.ok(Math.abs(want.loss[want.loss.length - 1] - want.loss[0]) > 1e-3);
    });
  }
});
