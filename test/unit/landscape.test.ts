/**
 * Comparing networks: the loss landscape's filter-normalised directions, the
 * least-squares projection of a training path onto their plane, the grid's
 * values against forward passes written out here, the grid's size by the
 * network's, the thinned weight path; and a network race against each
 * optimizer trained alone.
 */
import * as assert from 'assert';
import { findDefinition } from '../../src/core/find';
import { LANDSCAPE_MIN_SIDE, PATH_MAX_POINTS, PathRecorder, filterNormalizedDirection, landscapePlane, landscapeSide, landscapeSteps, projectOntoPlane } from '../../src/core/network/landscape';
import { finish, MLP } from '../../src/core/network/mlp';
import { networkRaceSteps } from '../../src/core/network/race';
import { Random } from '../../src/core/network/random';
import { NetworkDefinition } from '../../src/core/network/spec';
import { Trainer } from '../../src/core/network/trainer';
import { EngineOutput, TrainingEngine } from '../../src/extension/networkEngine';
import type { NetworkFrame, ToWebviewMessage } from '../../src/protocol';

const spec = (s: string): NetworkDefinition => findDefinition(s, 'plaintext', 1) as NetworkDefinition;
const norm = (v: ArrayLike<number>, from: number, to: number): number => {
  let s = 0;
  for (let k = from; k < to; k++) s += v[k] * v[k];
  return Math.sqrt(s);
};
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
};

describe('the loss landscape of a network (Li et al. 2018)', () => {
  const net = (): MLP => {
    const m = new MLP(3, [5, 4, 2], ['tanh', 'relu', 'linear'], { name: 'mse', fromLogits: false });
    m.initialize(7, 'pytorch');
    return m;
  };

  it('filter normalisation: each unit\'s row of W with its bias has the norm of the same entries of θ; a unit of zeros gets none; seeded', () => {
    const m = net();
    const theta = Float64Array.from(m.params);
    // unit 2 of layer 2: all zeros
    const zeroRow = m.wOffset[1] + 2 * 5;
    for (let k = 0; k < 5; k++) theta[zeroRow + k] = 0;
    theta[m.wOffset[1] + 4 * 5 + 2] = 0;
    const d = filterNormalizedDirection(m, theta, new Random(1));
    // the layout written out: layer l holds W (units × fanIn) then b
    const layers = [{ fanIn: 3, units: 5 }, { fanIn: 5, units: 4 }, { fanIn: 4, units: 2 }];
    let o = 0;
    for (const { fanIn, units } of layers) {
      for (let j = 0; j < units; j++) {
        const entries = [...Array.from({ length: fanIn }, (_, k) => o + j * fanIn + k), o + units * fanIn + j];
        const nd = Math.hypot(...entries.map((k) => d[k]));
        const nt = Math.hypot(...entries.map((k) => theta[k]));
        assert.ok(Math.abs(nd - nt) <= 1e-12 * Math.max(1, nt), `layer at ${o}, unit ${j}: ‖d‖ ${nd} vs ‖θ‖ ${nt}`);
      }
      o += units * fanIn + units;
    }
    assert.strictEqual(o, m.parameterCount);
    assert.strictEqual(norm(d, zeroRow, zeroRow + 5), 0);
    assert.deepStrictEqual(filterNormalizedDirection(m, theta, new Random(1)), d, 'the same seed, the same direction');
    const other = filterNormalizedDirection(m, theta, new Random(2));
    assert.ok(Math.abs(dot(d, other)) < 0.9 * norm(d, 0, d.length) * norm(other, 0, other.length), 'another seed, another direction');
  });

  it('the projection recovers a known path in the plane, and with a part out of it says how much it leaves out', () => {
    const m = net();
    const theta = Float64Array.from(m.params);
    const rng = new Random(3);
    const d1 = filterNormalizedDirection(m, theta, rng);
    // d₂ deliberately far from orthogonal to d₁: plain dot products would not give the coordinates
    const d2 = d1.map((v, k) => 0.8 * v + 0.3 * theta[k]);
    const known = Array.from({ length: 30 }, (_, t) => ({ a: 2 * Math.cos(t / 5) - 1.5, b: Math.sin(t / 3) * (1 + t / 10) }));
    const inPlane = known.map(({ a, b }) => theta.map((v, k) => v + a * d1[k] + b * d2[k]));
    projectOntoPlane(inPlane, theta, d1, d2).forEach((c, t) => {
      assert.ok(Math.abs(c.a - known[t].a) < 1e-9 && Math.abs(c.b - known[t].b) < 1e-9, `point ${t}: (${c.a}, ${c.b}) vs (${known[t].a}, ${known[t].b})`);
      assert.ok(c.outside < 1e-6, `in the plane: ${c.outside}`);
    });
    // a component orthogonal to both directions (Gram–Schmidt here) moves no coordinate
    const n = Float64Array.from({ length: theta.length }, () => rng.normal());
    const e1 = d1.map((v) => v / norm(d1, 0, d1.length));
    const u2 = d2.map((v, k) => v - dot(d2, e1) * e1[k]);
    const e2 = u2.map((v) => v / norm(u2, 0, u2.length));
    const n1 = dot(n, e1);
    const n2 = dot(n, e2);
    const orth = n.map((v, k) => v - n1 * e1[k] - n2 * e2[k]);
    const off = known.map(({ a, b }) => theta.map((v, k) => v + a * d1[k] + b * d2[k] + orth[k]));
    projectOntoPlane(off, theta, d1, d2).forEach((c, t) => {
      assert.ok(Math.abs(c.a - known[t].a) < 1e-9 && Math.abs(c.b - known[t].b) < 1e-9, `point ${t} off the plane`);
      const v = off[t].map((x, k) => x - theta[k]);
      assert.ok(Math.abs(c.outside - norm(orth, 0, orth.length) / norm(v, 0, v.length)) < 1e-9, `outside ${c.outside}`);
    });
    assert.deepStrictEqual(projectOntoPlane([theta], theta, d1, d2), [{ a: 0, b: 0, outside: 0 }], 'the centre is the origin');
  });

  it('the grid: the centre is the loss at θ exactly, and every point is the loss at θ + α·d₁ + β·d₂ written out by hand (a 2-2-1 tanh/sigmoid network, cross-entropy)', () => {
    const m = new MLP(2, [2, 1], ['tanh', 'sigmoid'], { name: 'binary_crossentropy', fromLogits: false });
    m.initialize(11, 'pytorch');
    const x = Float64Array.from([0, 0, 0, 1, 1, 0, 1, 1]);
    const y = Float64Array.from([0, 1, 1, 0]);
    const loss = m.evaluateLoss(x, y, 4);
    const side = 7;
    const path = [{ epoch: 0, params: m.params.map((v) => v + 0.01) }, { epoch: 3, params: Float64Array.from(m.params) }];
    const result = finish(landscapeSteps(m, { x, y, count: 4 }, path, side, landscapePlane(m, 5)));
    assert.strictEqual(result.centre, loss, 'the centre is the loss at the current weights, to the last bit');
    assert.strictEqual(result.values[(side * side - 1) / 2], loss);
    assert.deepStrictEqual(result.path[1], { epoch: 3, a: 0, b: 0, outside: 0 });
    assert.ok(result.extent >= 1);
    // the same directions (same seed, the same draws in the same order), then the loss by hand
    const rng = new Random(5);
    const theta = Float64Array.from(m.params);
    const d1 = filterNormalizedDirection(m, theta, rng);
    const d2 = filterNormalizedDirection(m, theta, rng);
    const byHand = (p: Float64Array): number => {
      // [W1 (2×2), b1 (2), W2 (1×2), b2 (1)]
      let s = 0;
      for (let i = 0; i < 4; i++) {
        const x0 = x[2 * i], x1 = x[2 * i + 1];
        const h0 = Math.tanh(p[0] * x0 + p[1] * x1 + p[4]);
        const h1 = Math.tanh(p[2] * x0 + p[3] * x1 + p[5]);
        const q = Math.min(Math.max(1 / (1 + Math.exp(-(p[6] * h0 + p[7] * h1 + p[8]))), 1e-7), 1 - 1e-7);
        s -= y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
      }
      return s / 4;
    };
    for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) {
      const alpha = -result.extent + (2 * result.extent * c) / (side - 1);
      const beta = -result.extent + (2 * result.extent * r) / (side - 1);
      const expected = byHand(theta.map((v, k) => v + alpha * d1[k] + beta * d2[k]));
      const got = result.values[r * side + c] as number;
      assert.ok(Math.abs(got - expected) < 1e-9 * Math.max(1, expected), `(${r}, ${c}): ${got} vs ${expected}`);
    }
    // the network itself was left as it was
    assert.deepStrictEqual(m.params, theta);
  });

  it('the grid\'s side adapts to the network: 41 for 2-8-8-1 on 200 samples, fewer for larger ones, never below the minimum, always odd', () => {
    assert.strictEqual(landscapeSide(2 * 8 + 8 + 8 * 8 + 8 + 8 + 1, 200), 41);
    const big = landscapeSide(4417, 1000); // 2-64-64-1 on 1,000 samples
    assert.ok(big < 41 && big >= LANDSCAPE_MIN_SIDE && big % 2 === 1, `${big}`);
    assert.strictEqual(landscapeSide(101_770, 1000), LANDSCAPE_MIN_SIDE);
    for (let p = 1; p < 1e6; p *= 3) assert.strictEqual(landscapeSide(p, 100) % 2, 1);
  });

  it('the path keeps at most 200 weight vectors, evenly strided from epoch 0, each a copy', () => {
    const rec = new PathRecorder();
    const w = new Float64Array(3);
    for (let e = 0; e <= 1000; e++) {
      w[0] = e;
      rec.record(e, w);
    }
    assert.ok(rec.points.length <= PATH_MAX_POINTS && rec.points.length > PATH_MAX_POINTS / 2, `${rec.points.length} points`);
    const stride = rec.points[1].epoch;
    assert.strictEqual(rec.points[0].epoch, 0);
    rec.points.forEach((p, i) => {
      assert.strictEqual(p.epoch, i * stride);
      assert.strictEqual(p.params[0], p.epoch, 'the weights of that epoch, not the last');
    });
  });
});

describe('a race of optimizers on a network', () => {
  it('the same initial weights for every racer, and each racer\'s losses are those of that optimizer trained alone, as the panel trains', () => {
    const def = spec('network: 2 -> 4 tanh -> 1 sigmoid, loss=bce, lr=0.5');
    const racers = [{ optimizer: 'sgd', learningRate: 0.5 }, { optimizer: 'momentum', learningRate: 0.1 }, { optimizer: 'adam', learningRate: 0.02 }] as const;
    const steps = networkRaceSteps(def, { seed: 9 }, racers, 60);
    let yields = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) yields++;
    const runs = r.value;
    assert.ok(yields >= 3 * 60, `yields after every epoch: ${yields}`);
    assert.deepStrictEqual(runs.map((x) => x.losses.length), [60, 60, 60]);
    assert.ok(runs.every((x) => x.losses[0] === runs[0].losses[0]), 'epoch 0 is the same loss: the same initial weights');
    runs.forEach((run, k) => {
      const alone = new Trainer(def, { seed: 9, optimizer: racers[k].optimizer, learningRate: racers[k].learningRate });
      // as the panel's Train runs it: epochs in time slices
      while (alone.epoch < 60) alone.run(60 - alone.epoch, 8);
      assert.deepStrictEqual(run.losses, alone.history.map((h) => h.loss), run.optimizer);
      assert.strictEqual(run.status, 'finished');
    });
    assert.notStrictEqual(runs[0].losses[59], runs[2].losses[59], 'different optimizers end differently');
  });

  it('a racer whose loss stops being finite stops there, marked diverged; the others run on', () => {
    const def = spec('network: 1 -> 8 linear -> 1 linear, loss=mse, lr=0.1');
    const runs = finish(networkRaceSteps(def, {}, [{ optimizer: 'sgd', learningRate: 0.01 }, { optimizer: 'sgd', learningRate: 90 }], 300));
    assert.strictEqual(runs[0].status, 'finished');
    assert.strictEqual(runs[0].losses.length, 300);
    assert.strictEqual(runs[1].status, 'diverged');
    assert.ok(runs[1].losses.length < 300 && runs[1].losses[runs[1].losses.length - 1] === null, `${runs[1].losses.length} epochs`);
  });
});

describe('the network engine races and draws the landscape beside training', () => {
  const open = (def: NetworkDefinition): { engine: TrainingEngine; posted: ToWebviewMessage[]; next: <T extends ToWebviewMessage['type']>(type: T) => Promise<Extract<ToWebviewMessage, { type: T }>> } => {
    const posted: ToWebviewMessage[] = [];
    const waiting: Array<(m: ToWebviewMessage) => void> = [];
    const engine = new TrainingEngine((m: EngineOutput) => {
      if (m.type !== 'webview') return;
      posted.push(m.message);
      waiting.forEach((w) => w(m.message));
    });
    engine.receive({ type: 'open', def, file: 'net.txt', layerLines: def.layers.map(() => 1), restore: { uri: 'file:///net.txt', line: 0 } });
    engine.receive({ type: 'show' });
    const next = <T extends ToWebviewMessage['type']>(type: T): Promise<Extract<ToWebviewMessage, { type: T }>> => new Promise((resolve) => {
      waiting.push((m) => { if (m.type === type) resolve(m as Extract<ToWebviewMessage, { type: T }>); });
    });
    return { engine, posted, next };
  };

  it('the landscape is centred on the weights of the epoch it was asked at, its path every epoch from 0 to there; its centre that epoch\'s loss', async () => {
    const def = spec('network: 2 -> 3 tanh -> 1 sigmoid, loss=bce, lr=0.5');
    const { engine, next } = open(def);
    for (let e = 0; e < 5; e++) engine.receive({ type: 'webview', message: { type: 'train', action: 'epoch' } });
    const done = next('landscape');
    engine.receive({ type: 'webview', message: { type: 'landscape' } });
    // training goes on while the landscape is computed: it stays the landscape of epoch 5
    engine.receive({ type: 'webview', message: { type: 'train', action: 'epoch' } });
    const l = (await done).landscape;
    engine.receive({ type: 'dispose' });
    assert.ok(l);
    assert.strictEqual(l.epoch, 5);
    assert.deepStrictEqual(l.path.map((p) => p.epoch), [0, 1, 2, 3, 4, 5]);
    const alone = new Trainer(def);
    for (let e = 0; e < 5; e++) alone.step();
    assert.strictEqual(l.centre, alone.loss());
    assert.strictEqual(l.side, 41);
    assert.strictEqual(l.pathNote, null);
    assert.ok(l.heldMs < 50, `the longest slice: ${l.heldMs} ms`);
  });

  it('once a landscape is shown, each frame places the weights now on its plane: (0, 0) at its epoch, then where they project as training goes on', async () => {
    const def = spec('network: 2 -> 3 tanh -> 1 sigmoid, loss=bce, lr=0.5');
    const { engine, posted, next } = open(def);
    for (let e = 0; e < 5; e++) engine.receive({ type: 'webview', message: { type: 'train', action: 'epoch' } });
    assert.ok(posted.every((m) => m.type !== 'networkFrame' || m.frame.landscapePoint === undefined), 'no landscape, no point');
    const done = next('landscape');
    engine.receive({ type: 'webview', message: { type: 'landscape' } });
    await done;
    const frame = async (): Promise<NonNullable<NetworkFrame['landscapePoint']>> => {
      const f = next('networkFrame');
      engine.receive({ type: 'webview', message: { type: 'train', action: 'epoch' } });
      return (await f).frame.landscapePoint as NonNullable<NetworkFrame['landscapePoint']>;
    };
    // the same plane and weights by hand: a trainer 5 epochs in, the seeded directions, then 3 more epochs
    const alone = new Trainer(def);
    for (let e = 0; e < 5; e++) alone.step();
    const plane = landscapePlane(alone.mlp);
    let got = await frame();
    alone.step();
    assert.deepStrictEqual(got, projectOntoPlane([alone.mlp.params], plane.theta, plane.d1, plane.d2)[0]);
    got = await frame();
    got = await frame();
    alone.step();
    alone.step();
    assert.deepStrictEqual(got, projectOntoPlane([alone.mlp.params], plane.theta, plane.d1, plane.d2)[0]);
    assert.ok(Math.hypot(got.a, got.b) > 0, 'the point moved off the centre');
    engine.receive({ type: 'dispose' });
  });

  it('a race ends when asked with no racers, and is forgotten when the model changes', async () => {
    const def = spec('network: 2 -> 3 tanh -> 1 sigmoid, loss=bce, lr=0.5, epochs=20000');
    const { engine, posted, next } = open(def);
    const ended = next('networkRace');
    engine.receive({ type: 'webview', message: { type: 'networkRace', racers: [{ optimizer: 'sgd', learningRate: 0.5 }, { optimizer: 'adam', learningRate: 0.01 }] } });
    await next('networkProgress');
    engine.receive({ type: 'redefine', def: spec('network: 2 -> 5 tanh -> 1 sigmoid, loss=bce, lr=0.5, epochs=20000'), layerLines: [1, 1] });
    assert.deepStrictEqual(await ended, { type: 'networkRace', race: null });
    await new Promise((r) => setTimeout(r, 100));
    engine.receive({ type: 'dispose' });
    assert.deepStrictEqual(posted.filter((m) => m.type === 'networkRace'), [{ type: 'networkRace', race: null }], 'the old model\'s race never arrives');
    assert.ok(posted.some((m) => m.type === 'landscape' && m.landscape === null));
  });
});
