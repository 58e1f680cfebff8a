/**
 * Training checked against the real framework: every model of test/pytorch/
 * (each supported loss, optimizer with non-default hyperparameters, and
 * activation) trained 30 epochs by Gradient Lens's command line, against
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
interface Expected { torch: string; epochs: number; cases: Record<string, { initial: Weights[]; loss: number[]; final: Weights[] }> }

const file = process.env.PYTORCH_EXPECTED ?? path.join(ROOT, 'test', 'pytorch', 'expected.json');
const expected = JSON.parse(fs.readFileSync(file, 'utf8')) as Expected;
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

describe(`training matches PyTorch ${expected.torch} (float64, ${expected.epochs} epochs, full batch)`, () => {
  for (const [name, want] of Object.entries(expected.cases)) {
    it(`${name}: the loss before each update and the final weights agree to 1e-6 relative`, () => {
      const r = spawnSync(process.execPath, [CLI, 'analyze', path.join(ROOT, 'test', 'pytorch', name), '--epochs', String(expected.epochs), '--json'], { encoding: 'utf8' });
      assert.strictEqual(r.status, 0, r.stderr);
      const j = JSON.parse(r.stdout) as { training: { loss: number[] }; weights: { initial: Weights[]; final: Weights[] } };
      // the oracle started from these weights; if Gradient Lens's seeded start changed, rerun the oracle
      assert.deepStrictEqual(j.weights.initial, want.initial, 'the starting weights the oracle used (rerun scripts/pytorch_oracle.py)');
      assert.strictEqual(j.training.loss.length, want.loss.length);
      j.training.loss.forEach((l, k) => assert.ok(rel(l, want.loss[k]) <= 1e-6, `epoch ${k}: ${l} vs PyTorch ${want.loss[k]}`));
      j.weights.final.forEach((layer, k) => {
        layer.W.forEach((row, a) => row.forEach((v, b) => assert.ok(Math.abs(v - want.final[k].W[a][b]) <= 1e-6 * Math.max(1, Math.abs(want.final[k].W[a][b])), `layer ${k + 1} W[${a}][${b}] ${v} vs ${want.final[k].W[a][b]}`)));
        layer.b.forEach((v, a) => assert.ok(Math.abs(v - want.final[k].b[a]) <= 1e-6 * Math.max(1, Math.abs(want.final[k].b[a])), `layer ${k + 1} b[${a}]`));
      });
      // and training did something: the loss moved
      assert.ok(Math.abs(want.loss[want.loss.length - 1] - want.loss[0]) > 1e-3);
    });
  }
});
