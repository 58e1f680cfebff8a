/**
 * Each descent step records what its update used: the full-data gradient,
 * and with `--batch N` the samples and their gradient; Δ and the optimizer's
 * state. Checked through the command line's JSON against the linear
 * regression cost of realworld.json worked by hand from its data.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { OPTIMIZER_NAMES } from '../../src/core/optimizers';
import { Tape } from '../../src/core/autodiff/tape';
import { findFunction } from '../../src/core/find';
import { ROOT, RealworldCase, acceptance } from './helpers';

interface StepJson {
  point: Record<string, number>;
  value: number;
  gradient: Record<string, number>;
  update?: Record<string, number>;
  state?: Record<string, Record<string, number>>;
  batch?: number[];
  batchGradient?: Record<string, number>;
}

const cost = acceptance<RealworldCase>('realworld.json').find((c) => c.id === 'py-loop-compute-cost') as RealworldCase;
// the data of the case, as its source writes it
const xs = [1.0, 2.0, 3.0, 4.0];
const ys = [3.1, 4.9, 7.2, 8.8];
const m = xs.length;
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gradient-lens-record-')), 'cost.py');
fs.writeFileSync(file, cost.source);

/** J = 1/(2m) Σ (w x + b − y)²; on a batch B the gradient the update takes is the batch's mean: (1/|B|) Σ_B (w x + b − y)·(x, 1). */
function handGradient(w: number, b: number, samples: readonly number[]): { w: number; b: number } {
  let gw = 0;
  let gb = 0;
  for (const i of samples) {
    const r = w * xs[i] + b - ys[i];
    gw += r * xs[i];
    gb += r;
  }
  return { w: gw / samples.length, b: gb / samples.length };
}

function run(args: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(['analyze', file, '--line', String(cost.line), ...args], (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function steps(optimizer: string, batch?: number): StepJson[] {
  const r = run(['--at', 'w=1.5,b=0.5', '--lr', '0.05', '--steps', '30', '--optimizer', optimizer, ...(batch ? ['--batch', String(batch)] : []), '--json']);
  assert.strictEqual(r.code, 0, r.err);
  return (JSON.parse(r.out) as { descent: { steps: StepJson[] } }).descent.steps;
}

const near = (a: number, b: number, tol = 1e-12): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
const all = Array.from({ length: m }, (_, i) => i);

describe('each descent step records what its update used', () => {
  for (const optimizer of OPTIMIZER_NAMES) {
    for (const batch of [undefined, 1, 2]) {
      it(`${optimizer}, ${batch ? `--batch ${batch}` : 'full batch'}: point[k+1] = point[k] − Δ[k]; the gradients are the data's, by hand${optimizer === 'gd' || optimizer === 'sgd' ? '; Δ = η·(the gradient used)' : ''}`, () => {
        const s = steps(optimizer, batch);
        assert.strictEqual(s.length, 31, 'every step is run');
        const seen: number[] = [];
        for (let k = 0; k + 1 < s.length; k++) {
          const { point, update, gradient } = s[k];
          assert.ok(update, `step ${k} has its Δ`);
          for (const p of ['w', 'b']) assert.ok(near(s[k + 1].point[p], point[p] - update[p]), `step ${k}: ${p} ${s[k + 1].point[p]} vs ${point[p]} − ${update[p]}`);
          const full = handGradient(point.w, point.b, all);
          assert.ok(near(gradient.w, full.w) && near(gradient.b, full.b), `step ${k}: the full-data gradient ${JSON.stringify(gradient)} vs ${JSON.stringify(full)}`);
          let used = full;
          if (batch) {
            const samples = s[k].batch ?? [];
            assert.ok(samples.length === batch && samples.every((i) => Number.isInteger(i) && i >= 0 && i < m), `step ${k}: batch ${JSON.stringify(s[k].batch)}`);
            used = handGradient(point.w, point.b, samples);
            const bg = s[k].batchGradient as Record<string, number>;
            assert.ok(near(bg.w, used.w) && near(bg.b, used.b), `step ${k}: the batch's gradient ${JSON.stringify(bg)} vs ${JSON.stringify(used)} by hand on samples ${JSON.stringify(samples)}`);
            seen.push(...samples);
          } else {
            assert.strictEqual(s[k].batch, undefined);
            assert.strictEqual(s[k].batchGradient, undefined);
          }
          if (optimizer === 'gd' || optimizer === 'sgd') {
            assert.ok(near(update.w, 0.05 * used.w) && near(update.b, 0.05 * used.b), `step ${k}: Δ ${JSON.stringify(update)} vs η·${JSON.stringify(used)}`);
          }
        }
        assert.strictEqual(s[s.length - 1].update, undefined, 'the last step has no update');
        // every pass over the data takes each sample once, in a new shuffled order
        if (batch) {
          const passes = seen.length / m;
          for (let e = 0; e < Math.floor(passes); e++) assert.deepStrictEqual([...seen.slice(e * m, (e + 1) * m)].sort(), all, `pass ${e}: ${JSON.stringify(seen.slice(e * m, (e + 1) * m))}`);
        }
      });
    }
  }

  it('momentum: Δ = η·v with v = μ·v + g (μ = 0.9) on the batch\'s gradient, as its recorded state says', () => {
    const s = steps('momentum', 2);
    let v = { w: 0, b: 0 };
    for (let k = 0; k + 1 < s.length; k++) {
      const g = handGradient(s[k].point.w, s[k].point.b, s[k].batch as number[]);
      v = { w: 0.9 * v.w + g.w, b: 0.9 * v.b + g.b };
      const st = s[k].state?.v as Record<string, number>;
      assert.ok(near(st.w, v.w) && near(st.b, v.b), `step ${k}: v ${JSON.stringify(st)} vs ${JSON.stringify(v)}`);
      assert.ok(near((s[k].update as Record<string, number>).w, 0.05 * v.w), `step ${k}: Δw`);
    }
  });

  it('the same seed: --batch runs the same samples every time', () => {
    assert.deepStrictEqual(steps('gd', 1).map((st) => st.batch), steps('gd', 1).map((st) => st.batch));
  });

  it('the text report names the samples of the first update and its arithmetic is the step\'s', () => {
    const r = run(['--at', 'w=1.5,b=0.5', '--lr', '0.05', '--steps', '3', '--batch', '1']);
    assert.strictEqual(r.code, 0, r.err);
    const first = steps('gd', 1)[0];
    const j = (first.batch as number[])[0];
    const g = handGradient(1.5, 0.5, [j]);
    const line = r.out.split('\n').find((l) => /^\s+w ← /.test(l)) ?? '';
    const want = `w ← w − η·∂compute_cost/∂w (sample ${j + 1}) = 1.5 − 0.05 × ${g.w < 0 ? `(${Number(g.w.toPrecision(6))})` : Number(g.w.toPrecision(6))} = ${Number((1.5 - 0.05 * g.w).toPrecision(6))}`;
    assert.strictEqual(line.trim(), want);
  });

  it('--batch on a function without data, or on a network, is a located message', () => {
    const plain = path.join(path.dirname(file), 'plain.txt');
    fs.writeFileSync(plain, 'f(x) = x^2\n');
    const err: string[] = [];
    assert.strictEqual(main(['analyze', plain, '--batch', '2'], () => undefined, (s) => err.push(s)), 2);
    assert.match(err.join('\n'), /plain\.txt:1:1: --batch is for a cost over data \(a sum over samples\); f has no data/);
    err.length = 0;
    assert.strictEqual(main(['analyze', path.join(ROOT, 'examples', 'xor_keras.py'), '--line', '5', '--batch', '2'], () => undefined, (s) => err.push(s)), 2);
    assert.match(err.join('\n'), /xor_keras\.py:\d+:\d+: --batch is for a cost over data; a network trains on the batch size its file sets/);
  });
});

describe('the backward pass edge by edge', () => {
  it('running sums: in f(x) = x·x + x, ∂f/∂x after each of its three contributions is 1, 4, 7 at x = 3', () => {
    const d = findFunction('f(x) = x * x + x', 'plaintext', 1);
    const tape = new Tape(d.body, d.params);
    tape.valueAndGradient([3]);
    const { order, running } = tape.accumulation();
    const edges = tape.nodes.flatMap((n) => n.args.map((a) => a));
    const intoX = order.filter((e) => edges[e] === 0).map((e) => running[e]);
    assert.deepStrictEqual(intoX, [1, 4, 7]);
    // every edge of the pass once, each operand's last running sum its gradient
    assert.strictEqual(new Set(order).size, order.length);
    for (const n of tape.nodes) {
      const last = order.filter((e) => edges[e] === n.id).pop();
      if (last !== undefined) assert.strictEqual(running[last], tape.adjoints[n.id]);
    }
  });
});
