/**
 * Networks: reading Keras, PyTorch, TF.js and the plain spec; the engine's
 * gradients against central differences and against a network worked by
 * hand; training; the command line on every case of networks.json.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UserError } from '../../src/core/errors';
import { ACTIVATIONS, Activation, LOSSES, Loss, MLP } from '../../src/core/network/mlp';
import { matmulABt } from '../../src/core/network/gemm';
import { analyzeNetwork } from '../../src/core/network/analysis';
import { NetworkDefinition, sameModel } from '../../src/core/network/spec';
import { Trainer } from '../../src/core/network/trainer';
import { Random } from '../../src/core/network/random';
import { findDefinition } from '../../src/core/find';
import { CLI, EXTENSION, acceptance } from './helpers';

interface NetworkCase {
  id: string;
  language: string;
  line: number;
  source: string;
  expect: { inputs: number; layers: Array<{ units: number; activation: string }>; parameters: number; loss: string; optimizer: { name: string; learningRate: number }; samples?: number };
}

const network = (src: string, lang = 'python', line = 1): NetworkDefinition => {
  const d = findDefinition(src, lang, line);
  assert.strictEqual(d.kind, 'network');
  return d as NetworkDefinition;
};
const error = (src: string, lang = 'python', line = 1): UserError => {
  try {
    findDefinition(src, lang, line);
  } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    return e;
  }
  return assert.fail('expected a located error');
};

describe('command line: networks.json', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradient-lens-net-'));
  for (const c of acceptance<NetworkCase>('networks.json')) {
    it(`${c.id}: structure, parameters, loss, optimizer, gradient check, training lowers the loss`, () => {
      const file = path.join(dir, c.id + EXTENSION[c.language]);
      fs.writeFileSync(file, c.source);
      const r = spawnSync(process.execPath, [CLI, 'analyze', file, '--line', String(c.line), '--json', '--steps', '300'], { encoding: 'utf8' });
      assert.strictEqual(r.status, 0, r.stderr);
      const j = JSON.parse(r.stdout) as { kind: string; inputs: number; layers: unknown; parameters: number; loss: string; optimizer: { name: string; learningRate: number }; data: { source: string; samples: number }; gradientCheck: { maxRelativeError: number }; training: { epochs: number; loss: number[]; finalLoss: number }; range: { startLine: number } };
      assert.strictEqual(j.kind, 'network');
      assert.strictEqual(j.inputs, c.expect.inputs);
      assert.deepStrictEqual(j.layers, c.expect.layers);
      assert.strictEqual(j.parameters, c.expect.parameters);
      // the parameter count by hand: Σ (fanIn + 1)·units
      let n = 0;
      let fanIn = c.expect.inputs;
      for (const l of c.expect.layers) { n += (fanIn + 1) * l.units; fanIn = l.units; }
      assert.strictEqual(j.parameters, n);
      assert.strictEqual(j.loss, c.expect.loss);
      assert.deepStrictEqual({ name: j.optimizer.name, learningRate: j.optimizer.learningRate }, c.expect.optimizer);
      if (c.expect.samples !== undefined) {
        assert.strictEqual(j.data.source, 'file');
        assert.strictEqual(j.data.samples, c.expect.samples);
      } else assert.match(j.data.source, /^builtin:/);
      assert.ok(j.gradientCheck.maxRelativeError < 1e-6, `gradient check ${j.gradientCheck.maxRelativeError}`);
      assert.strictEqual(j.training.loss.length, 300);
      assert.ok(j.training.finalLoss < j.training.loss[0], `loss ${j.training.loss[0]} → ${j.training.finalLoss}`);
      assert.strictEqual(j.range.startLine, c.line);
    });
  }
});

describe('training', function () {
  this.timeout(60_000);
  it('XOR, 2-4-1 tanh/sigmoid, binary cross-entropy, sgd 0.5, default seed: loss < 0.05 within 2,000 epochs', () => {
    const def = network(acceptance<NetworkCase>('networks.json')[0].source, 'python', 4);
    const a = analyzeNetwork(def, { epochs: 2000 });
    const first = a.training.loss.findIndex((l) => l < 0.05);
    assert.ok(first >= 0 && first < 2000, `first epoch under 0.05: ${first}; final ${a.training.finalLoss}`);
    // and it actually classifies XOR
    const t = new Trainer(def);
    t.run(2000);
    const out = t.mlp.forward(new Float64Array([0, 0, 0, 1, 1, 0, 1, 1]), 4);
    assert.deepStrictEqual(Array.from(out).map((p) => (p > 0.5 ? 1 : 0)), [0, 1, 1, 0]);
  });

  it('a 1-1-1 network matches a forward and backward pass worked by hand', () => {
    const m = new MLP(1, [1, 1], ['tanh', 'sigmoid'], { name: 'binary_crossentropy', fromLogits: false });
    m.params.set([0.5, -0.2, 1.5, 0.3]); // w1, b1, w2, b2
    const x = 0.8;
    const y = 1;
    m.forward(new Float64Array([x]), 1);
    m.backward(new Float64Array([y]));
    const h = Math.tanh(0.5 * x - 0.2);
    const p = 1 / (1 + Math.exp(-(1.5 * h + 0.3)));
    const dz2 = p - y; // sigmoid + BCE
    const dz1 = dz2 * 1.5 * (1 - h * h);
    const expected = [dz1 * x, dz1, dz2 * h, dz2];
    Array.from(m.grads).forEach((g, i) => assert.ok(Math.abs(g - expected[i]) < 1e-12, `param ${i}: ${g} vs ${expected[i]}`));
  });

  it('every optimizer lowers the loss on circles', () => {
    const def = network('model = nn.Sequential(nn.Linear(2, 6), nn.Tanh(), nn.Linear(6, 1), nn.Sigmoid())\nloss_fn = nn.BCELoss()\n');
    for (const optimizer of ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const) {
      const t = new Trainer(def, { optimizer, learningRate: optimizer === 'sgd' || optimizer === 'adagrad' ? 0.5 : optimizer === 'momentum' || optimizer === 'nesterov' ? 0.1 : 0.01 });
      const before = t.loss();
      t.run(300);
      assert.ok(t.loss() < before * 0.9, `${optimizer}: ${before} → ${t.loss()}`);
    }
  });

  it('a deep sigmoid stack shows vanishing gradients: earlier layers get smaller ‖∂L/∂W‖', () => {
    const def = network('network: 2 -> 8 sigmoid -> 8 sigmoid -> 8 sigmoid -> 8 sigmoid -> 8 sigmoid -> 1 sigmoid, loss=bce, lr=0.5', 'plaintext');
    const t = new Trainer(def);
    const rec = t.step();
    assert.ok(rec.gradNorms[0].w < rec.gradNorms[rec.gradNorms.length - 1].w / 10, JSON.stringify(rec.gradNorms.map((g) => g.w)));
  });
});

describe('training in slices', () => {
  it('a full-batch epoch trained piece by piece (45 samples a piece for 2-64-64-1) has the full batch\'s losses and weights; a mini-batch epoch resumes at its next batch', () => {
    const rng = new Random(11);
    const x = Array.from({ length: 700 }, () => [rng.uniform(-1, 1), rng.uniform(-1, 1)]);
    const y = x.map(([a, b]) => [Math.sin(2 * a) * b]);
    const base: NetworkDefinition = {
      kind: 'network', framework: 'spec', name: null, nameRange: null, inputs: 2,
      layers: [{ units: 64, activation: 'tanh', range: { start: 0, end: 1 } }, { units: 64, activation: 'tanh', range: { start: 0, end: 1 } }, { units: 1, activation: 'linear', range: { start: 0, end: 1 } }],
      loss: 'mse', fromLogits: false, sparseLabels: false, optimizer: { name: 'adam', learningRate: 0.01 }, initializer: 'glorot',
      notes: [], range: { start: 0, end: 1 }, startLine: 1, endLine: 1, data: { x, y, range: { start: 0, end: 1 } },
    };
    for (const def of [base, { ...base, batchSize: 64, shuffle: true }]) {
      const whole = new Trainer(def);
      for (let e = 0; e < 3; e++) whole.step();
      const sliced = new Trainer(def);
      let calls = 0;
      // a budget of 0 ms: each slice trains one piece (or one mini-batch) and returns
      while (sliced.epoch < 3 && calls < 1000) { sliced.run(1, 0); calls++; }
      assert.ok(calls >= (def.batchSize ? 3 * 11 : 3 * 15), `${calls} slices for 3 epochs`);
      whole.history.forEach((h, e) => assert.ok(Math.abs(sliced.history[e].loss - h.loss) <= 1e-12 * Math.abs(h.loss), `epoch ${e}: ${sliced.history[e].loss} vs ${h.loss}`));
      const a = whole.mlp.params;
      const b = sliced.mlp.params;
      a.forEach((v, k) => assert.ok(Math.abs(b[k] - v) <= 1e-12 * Math.max(1, Math.abs(v)), `parameter ${k}: ${b[k]} vs ${v}`));
      whole.gradNorms.forEach((g, l) => assert.ok(Math.abs(sliced.gradNorms[l].w - g.w) <= 1e-12 * g.w, `layer ${l} ‖∂L/∂W‖`));
    }
  });
});

describe('property: random architectures pass the gradient check', function () {
  this.timeout(120_000);
  it('1–4 dense layers, 1–8 units, every activation and loss (200 networks)', () => {
    const arch = fc.record({
      inputs: fc.integer({ min: 1, max: 4 }),
      layers: fc.array(fc.record({ units: fc.integer({ min: 1, max: 8 }), activation: fc.constantFrom(...ACTIVATIONS) }), { minLength: 1, maxLength: 4 }),
      loss: fc.constantFrom(...LOSSES),
      fromLogits: fc.boolean(),
      seed: fc.integer({ min: 1, max: 1_000_000 }),
    });
    let checked = 0;
    fc.assert(fc.property(arch, (a) => {
      const units = a.layers.map((l) => l.units);
      const acts = a.layers.map((l) => l.activation as Activation);
      const K = units[units.length - 1];
      // the output layer fits its loss the way users write it
      if (a.loss === 'binary_crossentropy' && !a.fromLogits) acts[acts.length - 1] = 'sigmoid';
      if (a.loss === 'categorical_crossentropy' && !a.fromLogits) acts[acts.length - 1] = 'softmax';
      if (a.fromLogits) acts[acts.length - 1] = 'linear';
      const fromLogits = a.fromLogits && a.loss !== 'mse';
      const m = new MLP(a.inputs, units, acts, { name: a.loss as Loss, fromLogits });
      m.initialize(a.seed);
      const rng = new Random(a.seed + 7);
      const n = 6;
      const x = Float64Array.from({ length: n * a.inputs }, () => rng.normal());
      const y = new Float64Array(n * K);
      for (let i = 0; i < n; i++) {
        if (a.loss === 'categorical_crossentropy') y[i * K + Math.floor(rng.next() * K)] = 1;
        else for (let k = 0; k < K; k++) y[i * K + k] = a.loss === 'mse' ? rng.normal() : rng.next() < 0.5 ? 0 : 1;
      }
      fc.pre(!m.nearKink(x, n, 1e-3, y));
      const r = m.gradientCheck(x, y, n);
      assert.ok(r.maxRelativeError < 1e-6, `${a.inputs} → ${units.map((u, i) => `${u} ${acts[i]}`).join(' → ')}, ${a.loss}${fromLogits ? ' (logits)' : ''}: ${r.maxRelativeError} at ${r.worst}`);
      checked++;
    }), { numRuns: 200, seed: 7 });
    assert.ok(checked >= 150, `only ${checked} networks away from kinks`);
    console.log(`      ${checked} of 200 random networks checked (the others had a relu-family unit, or a mean absolute error's output, on its kink)`);
  });
});

describe('reading networks', () => {
  it('Keras activation by reference, keras.Input, Activation layer, class optimizer with momentum', () => {
    const d = network('model = keras.Sequential([\n    keras.Input(shape=(3,)),\n    layers.Dense(5, activation=tf.nn.relu),\n    layers.Dense(2),\n    layers.Activation("softmax"),\n])\nmodel.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9), loss="categorical_crossentropy")\n');
    assert.strictEqual(d.inputs, 3);
    assert.deepStrictEqual(d.layers.map((l) => [l.units, l.activation]), [[5, 'relu'], [2, 'softmax']]);
    assert.deepStrictEqual(d.optimizer, { name: 'momentum', learningRate: 0.1, momentum: 0.9 });
    assert.strictEqual(d.loss, 'categorical_crossentropy');
  });
  it('PyTorch: torch.nn. prefix, LeakyReLU, BCEWithLogitsLoss, Adam default η', () => {
    const d = network('model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.LeakyReLU(), torch.nn.Linear(3, 1))\ncrit = torch.nn.BCEWithLogitsLoss()\nopt = torch.optim.Adam(model.parameters())\n');
    assert.deepStrictEqual(d.layers.map((l) => [l.units, l.activation]), [[3, 'leaky_relu'], [1, 'linear']]);
    assert.strictEqual(d.loss, 'binary_crossentropy');
    assert.strictEqual(d.fromLogits, true);
    // PyTorch's Adam defaults: η = 1e-3, β = (0.9, 0.999), ε = 1e-8
    assert.deepStrictEqual(d.optimizer, { name: 'adam', learningRate: 0.001, momentum: undefined, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
  });
  it('inconsistent sizes name both layers', () => {
    const e = error('model = nn.Sequential(\n    nn.Linear(2, 3),\n    nn.ReLU(),\n    nn.Linear(4, 1),\n)\n');
    assert.strictEqual(e.line, 4);
    assert.match(e.message, /inconsistent sizes: nn\.Linear\(2, 3\) outputs 3 features but nn\.Linear\(4, 1\) expects 4/);
  });
  it('unsupported layers are located errors; Dropout is a visible note', () => {
    const e = error('model = keras.Sequential([\n    keras.layers.Conv2D(8, 3, input_shape=(28, 28, 1)),\n    keras.layers.Dense(1),\n])\n');
    assert.strictEqual(e.line, 2);
    assert.match(e.message, /layer Conv2D is not supported/);
    const d = network('model = nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.5), nn.Linear(3, 1))\n');
    assert.match(d.notes.join('\n'), /Dropout \(line 1\) is ignored/);
  });
  it('data in the file must fit the model', () => {
    const e = error('import numpy as np\nmodel = keras.Sequential([keras.layers.Dense(1, input_dim=2)])\nX = np.array([[1, 2, 3]])\ny = np.array([[1]])\n', 'python', 2);
    assert.match(e.message, /3 features per sample but the model takes 2/);
  });
  it('a re-read model is the same model unless what trains changes: a comment above it, no; one number of its data, yes', () => {
    const src = (first: string, comment = ''): string => `import numpy as np\nfrom tensorflow import keras\n${comment}model = keras.Sequential([keras.layers.Dense(1, input_dim=2)])\nX = np.array([[${first}, 2], [3, 4]])\ny = np.array([[1], [0]])\n`;
    const a = network(src('1'), 'python', 3);
    const moved = network(src('1', '# the model\n'), 'python', 4);
    assert.notDeepStrictEqual(moved.range, a.range);
    assert.ok(sameModel(a, moved), 'a comment above moves it, and it trains the same');
    assert.ok(sameModel(a, network(src('1'), 'python', 3)), 'read again, with new arrays of the same numbers');
    assert.ok(!sameModel(a, network(src('1.5'), 'python', 3)), 'one sample changed');
  });
  it('the plain spec in a comment', () => {
    const d = network('// network: 2 -> 4 tanh -> 1 sigmoid, loss=bce, lr=0.5\n', 'javascript');
    assert.strictEqual(d.framework, 'spec');
    assert.deepStrictEqual(d.layers.map((l) => [l.units, l.activation]), [[4, 'tanh'], [1, 'sigmoid']]);
    assert.strictEqual(d.loss, 'binary_crossentropy');
    assert.strictEqual(d.optimizer.learningRate, 0.5);
  });
  it('inheritance between the file\'s modules: super() runs the base class\'s methods of the file, and the cursor in a base class shows the subclass that instantiates it', () => {
    const src = [
      'class Base(nn.Module):',
      '    def __init__(self, n_in, n_hidden):',
      '        super().__init__()',
      '        self.fc1 = nn.Linear(n_in, n_hidden)',
      '',
      '    def forward(self, x):',
      '        return torch.tanh(self.fc1(x))',
      '',
      'class Deep(Base):',
      '    def __init__(self, n_in, n_hidden, n_out):',
      '        super(Deep, self).__init__(n_in, n_hidden)',
      '        self.fc2 = nn.Linear(n_hidden, n_out)',
      '',
      '    def forward(self, x):',
      '        return self.fc2(super().forward(x))',
      '',
      'class Plain(Base):',
      '    pass',
      '',
      'model = Deep(3, 4, 2)',
      '',
    ].join('\n');
    // 3 → tanh(fc1: 3·4 + 4) → fc2: 4·2 + 2 = 26 parameters
    for (const line of [2, 12, 20]) {
      const d = network(src, 'python', line);
      assert.strictEqual(d.inputs, 3, `line ${line}`);
      assert.deepStrictEqual(d.layers.map((l) => [l.units, l.activation]), [[4, 'tanh'], [2, 'linear']], `line ${line}`);
    }
    // a subclass the file never instantiates is read with no arguments: the base's constructor needs them
    assert.match(error(src, 'python', 18).message, /'__init__' is called without a value for 'n_in'/);
  });
  it('without data, a built-in dataset that fits the sizes', () => {
    assert.strictEqual(new Trainer(network('network: 1 -> 8 tanh -> 1', 'plaintext')).source, 'builtin:sine');
    assert.strictEqual(new Trainer(network('network: 2 -> 8 tanh -> 3 softmax, loss=cce', 'plaintext')).source, 'builtin:spiral');
  });
});

describe('batched kernels: the layers as matrix products', () => {
  it('A·Bᵀ blocked 4 × 4 equals the plain triple loop to the last bit, at every shape left over by the blocks', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 1000 }), (m, n, k, seed) => {
      const rng = new Random(seed);
      const A = Float64Array.from({ length: m * k }, () => rng.normal());
      const B = Float64Array.from({ length: n * k }, () => rng.normal());
      const C = new Float64Array(m * n).fill(NaN);
      matmulABt(A, B, C, m, n, k);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A[i * k + p] * B[j * k + p];
        assert.strictEqual(C[i * n + j], s, `C[${i}][${j}] of ${m}×${k} · (${n}×${k})ᵀ`);
      }
    }), { numRuns: 300, seed: 11 });
  });

  it('forward and backward over a batch equal a sample-by-sample, neuron-by-neuron pass to 1e-12 (odd widths, tanh/relu/sigmoid, MSE)', () => {
    const act: Record<string, (z: number) => number> = { tanh: Math.tanh, relu: (z) => Math.max(0, z), sigmoid: (z) => 1 / (1 + Math.exp(-z)), linear: (z) => z };
    const slope: Record<string, (z: number, a: number) => number> = { tanh: (_z, a) => 1 - a * a, relu: (z) => (z > 0 ? 1 : 0), sigmoid: (_z, a) => a * (1 - a), linear: () => 1 };
    for (const [sizes, acts, n] of [[[7, 13, 5, 3], ['tanh', 'relu', 'linear'], 9], [[37, 6, 2], ['sigmoid', 'linear'], 5], [[3, 9, 1], ['relu', 'sigmoid'], 1]] as Array<[number[], Activation[], number]>) {
      const m = new MLP(sizes[0], sizes.slice(1), acts, { name: 'mse', fromLogits: false });
      m.initialize(5, 'pytorch');
      const rng = new Random(8);
      const K = sizes[sizes.length - 1];
      const x = Float64Array.from({ length: n * sizes[0] }, () => rng.normal());
      const y = Float64Array.from({ length: n * K }, () => rng.normal());
      const out = Float64Array.from(m.forward(x, n));
      m.backward(y);
      // the reference: W[l][j][i] read from the flat parameters, one sample at a time
      const P = m.params;
      const W = (l: number, j: number, i: number): number => P[m.wOffset[l] + j * sizes[l] + i];
      const bias = (l: number, j: number): number => P[m.wOffset[l] + sizes[l + 1] * sizes[l] + j];
      const grad = new Float64Array(P.length);
      for (let s = 0; s < n; s++) {
        const as: number[][] = [Array.from(x.subarray(s * sizes[0], (s + 1) * sizes[0]))];
        const zs: number[][] = [];
        for (let l = 0; l < acts.length; l++) {
          const z = Array.from({ length: sizes[l + 1] }, (_, j) => as[l].reduce((t, a, i) => t + W(l, j, i) * a, bias(l, j)));
          zs.push(z);
          as.push(z.map(act[acts[l]]));
        }
        as[acts.length].forEach((a, k) => assert.ok(Math.abs(a - out[s * K + k]) <= 1e-12 * Math.max(1, Math.abs(a)), `sample ${s} output ${k}: ${out[s * K + k]} vs ${a}`));
        let delta = as[acts.length].map((a, k) => ((2 * (a - y[s * K + k])) / (n * K)) * slope[acts[acts.length - 1]](zs[acts.length - 1][k], a));
        for (let l = acts.length - 1; l >= 0; l--) {
          delta.forEach((d, j) => {
            for (let i = 0; i < sizes[l]; i++) grad[m.wOffset[l] + j * sizes[l] + i] += d * as[l][i];
            grad[m.wOffset[l] + sizes[l + 1] * sizes[l] + j] += d;
          });
          if (l > 0) delta = as[l].map((a, i) => delta.reduce((t, d, j) => t + d * W(l, j, i), 0) * slope[acts[l - 1]](zs[l - 1][i], a));
        }
      }
      grad.forEach((g, k) => assert.ok(Math.abs(g - m.grads[k]) <= 1e-12 * Math.max(1, Math.abs(g)), `${sizes.join('-')}: ∂L/∂${m.parameterName(k)} ${m.grads[k]} vs ${g}`));
    }
  });

  it('the gradient check of a 784-32-10 network catches a wrong gradient its named parameters miss, and passes a right one', () => {
    const x = Float64Array.from({ length: 20 * 784 }, (_, i) => Math.sin(i * 0.37));
    const y = new Float64Array(20 * 10);
    for (let s = 0; s < 20; s++) y[s * 10 + (s % 10)] = 1;
    const good = new MLP(784, [32, 10], ['tanh', 'softmax'], { name: 'categorical_crossentropy', fromLogits: false });
    good.initialize(2);
    const ok = good.gradientCheck(x, y, 20);
    assert.ok(ok.maxRelativeError < 1e-6, `right gradient: ${ok.maxRelativeError} at ${ok.worst}`);
    assert.deepStrictEqual([ok.directions, ok.parameters], [4, 4]);
    // a loop bound off by half: ∂L/∂W1 for the second half of the inputs left at 0, except the largest
    class HalfLoop extends MLP {
      backward(t: Float64Array): Array<{ w: number; b: number }> {
        const r = super.backward(t);
        let largest = 0;
        for (let k = 0; k < 32 * 784; k++) if (Math.abs(this.grads[k]) > Math.abs(this.grads[largest])) largest = k;
        for (let j = 0; j < 32; j++) for (let i = 392; i < 784; i++) if (j * 784 + i !== largest) this.grads[j * 784 + i] = 0;
        return r;
      }
    }
    const bad = new HalfLoop(784, [32, 10], ['tanh', 'softmax'], { name: 'categorical_crossentropy', fromLogits: false });
    bad.initialize(2);
    const caught = bad.gradientCheck(x, y, 20);
    assert.ok(caught.maxRelativeError > 0.05, `missed: ${caught.maxRelativeError} at ${caught.worst}`);
    assert.match(caught.worst, /^random direction/);
    // a wrong partial at the largest weight of the output layer is named
    class Scaled extends MLP {
      backward(t: Float64Array): Array<{ w: number; b: number }> {
        const r = super.backward(t);
        const from = this.wOffset[1];
        let largest = from;
        for (let k = from; k < from + 10 * 32; k++) if (Math.abs(this.grads[k]) > Math.abs(this.grads[largest])) largest = k;
        this.grads[largest] *= 1.5;
        return r;
      }
    }
    const scaled = new Scaled(784, [32, 10], ['tanh', 'softmax'], { name: 'categorical_crossentropy', fromLogits: false });
    scaled.initialize(2);
    const named = scaled.gradientCheck(x, y, 20);
    assert.ok(named.maxRelativeError > 0.3, `${named.maxRelativeError}`);
    assert.match(named.worst, /^W2\[\d\]\[\d+\]$/);
  });
});
