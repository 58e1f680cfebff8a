/**
 * Networks at the size real code writes them: .npy files read from bytes
 * (fixtures written by Debian's NumPy, test/fixtures/npy/make_fixtures.py)
 * and refused with located messages; the network view's frames sized by what
 * is drawn (per-layer summaries and no full parameter arrays past the
 * drawing's limits), a layer's W as block averages, the accuracy and the
 * image samples — each against numbers worked out here independently.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readNpy } from '../../src/core/code/npy';
import { findDefinition } from '../../src/core/find';
import { NetworkDefinition } from '../../src/core/network/spec';
import { Trainer } from '../../src/core/network/trainer';
import { DRAWN_PARAMETERS, accuracy, blockAverage, diagramOf, imageShape, layerHeatmap, networkFrame, networkView, passWithActivations } from '../../src/core/network/viewModel';
import { parseFromWebview, parseToWebview } from '../../src/protocol';
import { ROOT } from './helpers';

const DIR = path.join(ROOT, 'test', 'fixtures', 'npy');
const EXAMPLES = path.join(ROOT, 'examples');
/** the digits live beside examples/digits_mlp.py, the other arrays here */
const where = (name: string): string => path.join(/^digits/.test(name) ? EXAMPLES : DIR, name);
const bytes = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(where(name)));
const read = (name: string): ReturnType<typeof readNpy> => readNpy(bytes(name));
const readFile = (name: string): string | Uint8Array | undefined => {
  const file = where(name);
  if (!fs.existsSync(file)) return undefined;
  return /\.np[yz]$/.test(name) ? new Uint8Array(fs.readFileSync(file)) : fs.readFileSync(file, 'utf8');
};
const RUN = { status: 'idle' as const, targetEpochs: 10, epochsPerSecond: 10 };

describe('.npy files read from bytes, never executed', () => {
  it('every dtype read equals what NumPy wrote', () => {
    const expect = (name: string, dtype: string, shape: number[], data: number[]): void => {
      const a = read(name);
      assert.ok(typeof a !== 'string', `${name}: ${String(a)}`);
      assert.strictEqual(a.dtype, dtype, name);
      assert.deepStrictEqual(a.shape, shape, name);
      assert.deepStrictEqual(Array.from(a.data), data, name);
    };
    expect('f8_2x3.npy', '<f8', [2, 3], [0.5, -1.25, 3.0, 1e-300, -0, 12345.678]);
    expect('f4_4.npy', '<f4', [4], [0.1, -2.5, 3.75, 1e10].map(Math.fround));
    expect('i8_3.npy', '<i8', [3], [-3, 0, 2 ** 52 + 1]);
    expect('i4_2x2.npy', '<i4', [2, 2], [-2147483648, 7, 0, 2147483647]);
    expect('u1_2x2x2.npy', '|u1', [2, 2, 2], [0, 31, 62, 93, 124, 155, 186, 217]);
    expect('scalar_f8.npy', '<f8', [], [2.5]);
    expect('v2_f8_3.npy', '<f8', [3], [1, 2, 3]);
  });

  it('the digits beside the model: 100 × 28 × 28 uint8 and 100 int64 classes, as NumPy sums them', () => {
    const x = read('digits_x.npy');
    const y = read('digits_y.npy');
    assert.ok(typeof x !== 'string' && typeof y !== 'string');
    assert.deepStrictEqual(x.shape, [100, 28, 28]);
    // np.load('digits_x.npy').astype(np.int64).sum() == 3076168; x[3, 14, 10] == 226
    assert.strictEqual(x.data.reduce((s, v) => s + v, 0), 3076168);
    assert.strictEqual(x.data[3 * 784 + 14 * 28 + 10], 226);
    assert.deepStrictEqual(Array.from(y.data.subarray(0, 12)), [8, 1, 1, 6, 6, 2, 5, 0, 0, 3, 4, 3]);
  });

  it('refuses what it does not read, saying what and how to save it instead', () => {
    const refused = (name: string, pattern: RegExp): void => {
      const r = read(name);
      assert.strictEqual(typeof r, 'string', name);
      assert.match(r as string, pattern, name);
    };
    refused('big_endian.npy', /dtype '>f8'.*big-endian/);
    refused('fortran.npy', /Fortran order/);
    refused('object.npy', /Python objects.*pickled.*never unpickles/);
    refused('structured.npy', /structured array/);
    refused('complex.npy', /dtype '<c16'/);
  });

  it('truncated and malformed files give messages located in the file', () => {
    const f8 = bytes('f8_2x3.npy');
    assert.match(readNpy(f8.subarray(0, 5)) as string, /truncated: 5 bytes, too short for the \.npy preamble/);
    assert.match(readNpy(bytes('v2_f8_3.npy').subarray(0, 11)) as string, /truncated in its header length \(bytes 8–11\)/);
    assert.match(readNpy(f8.subarray(0, 40)) as string, /truncated in its header: the header length \(bytes 8–9\) says 118 bytes, the file has 30/);
    assert.match(readNpy(f8.subarray(0, f8.length - 1)) as string, /truncated: its shape \(2, 3\) of <f8 needs 48 bytes of data after byte 128, the file has 47/);
    const text = new TextEncoder().encode('x,y\n1,2\n');
    assert.match(readNpy(text) as string, /does not start with \\x93NUMPY/);
    const bad = Uint8Array.from(f8);
    bad[10] = 0x28; // '{' → '('
    assert.match(readNpy(bad) as string, /header \(bytes 10–127\) that is not read: expected '\{' at character 1/);
    const version = Uint8Array.from(f8);
    version[6] = 9;
    assert.match(readNpy(version) as string, /version 9\.0 \(byte 6\)/);
    assert.match(readNpy(Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0, 0, 0])) as string, /zip archive \(\.npz/);
  });

  it('np.load in a model file gives the model its data (torch.from_numpy, torch.tensor, reshape, / 255)', () => {
    const src = fs.readFileSync(path.join(EXAMPLES, 'digits_mlp.py'), 'utf8');
    const def = findDefinition(src, 'python', 11, { readFile }) as NetworkDefinition;
    assert.strictEqual(def.kind, 'network');
    assert.deepStrictEqual([def.inputs, ...def.layers.map((l) => l.units)], [784, 128, 10]);
    const data = def.data as NonNullable<NetworkDefinition['data']>;
    assert.strictEqual(data.x.length, 100);
    assert.strictEqual(data.x[3].length, 784);
    assert.strictEqual(data.x[3][14 * 28 + 10], 226 / 255);
    assert.deepStrictEqual(data.y.slice(0, 3), [[8], [1], [1]]);
  });

  it('a file it refuses is named at the np.load call, with the reason, in the model\'s notes (training falls back to built-in data)', () => {
    const model = (load: string): string => `import numpy as np\nfrom torch import nn\nmodel = nn.Sequential(nn.Linear(3, 1))\nX = ${load}\ny = np.zeros((2, 1))\n`;
    const note = (load: string): string => {
      const def = findDefinition(model(load), 'python', 3, { readFile }) as NetworkDefinition;
      assert.strictEqual(def.data, undefined);
      return def.notes.find((n) => n.startsWith('X (line 4')) ?? `no note in ${JSON.stringify(def.notes)}`;
    };
    assert.match(note("np.load('big_endian.npy')"), /^X \(line 4, column 13\) could not be read: the data file 'big_endian\.npy' has dtype '>f8'.*; a built-in dataset is used instead$/);
    assert.match(note("np.load('object.npy', allow_pickle=True)"), /never unpickles/);
    assert.match(note("np.load('missing.npy')"), /cannot read the data file 'missing\.npy' \(looked beside this file\)/);
    assert.match(note("np.loadtxt('f8_2x3.npy')"), /'f8_2x3\.npy' is a binary NumPy file: read it with np\.load/);
    assert.match(note("np.load('f8_2x3.csv')"), /np\.load reads \.npy files; 'f8_2x3\.csv' is read with np\.loadtxt/);
  });
});

describe('the network view at real size', () => {
  const spec = (s: string): NetworkDefinition => findDefinition(s, 'plaintext', 1) as NetworkDefinition;

  it('draws units up to 32 a layer and 2,000 parameters, bands past either', () => {
    const of = (sizes: number[]): string => {
      const parameterCount = sizes.slice(1).reduce((n, u, l) => n + u * sizes[l] + u, 0);
      return diagramOf({ sizes, parameterCount });
    };
    assert.strictEqual(of([2, 8, 8, 1]), 'units');
    assert.strictEqual(of([1, 32, 1]), 'units');
    assert.strictEqual(of([1, 33, 1]), 'bands');
    assert.strictEqual(of([2, 32, 32, 1]), 'units'); // 96 + 1,056 + 33 = 1,185 parameters
    assert.strictEqual(of([2, 32, 32, 32, 1]), 'bands'); // 96 + 1,056 + 1,056 + 33 = 2,241 parameters
    assert.strictEqual(of([784, 128, 10]), 'bands');
    assert.strictEqual(DRAWN_PARAMETERS, 2000);
  });

  it('knows images by their size: 28 × 28, 32 × 32 × 3, 8 × 8; not a table of 16 or 49 columns', () => {
    assert.deepStrictEqual(imageShape(784), { width: 28, height: 28, channels: 1 });
    assert.deepStrictEqual(imageShape(3072), { width: 32, height: 32, channels: 3 });
    assert.deepStrictEqual(imageShape(64), { width: 8, height: 8, channels: 1 });
    for (const n of [1, 2, 16, 49, 100 + 1, 785]) assert.strictEqual(imageShape(n), null, String(n));
  });

  it('accuracy: the share of samples whose largest output is the target class, or one output ≥ 0.5 against its label', () => {
    // three classes, four samples: argmax 1, 0, 2, 2 against targets 1, 0, 1, 2 → 3 of 4
    const out = [0.1, 0.7, 0.2, 0.5, 0.3, 0.2, 0.0, 0.1, 0.9, 0.2, 0.3, 0.5];
    const y = [0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1];
    assert.strictEqual(accuracy(out, y, 4, 3, 0.5), 3 / 4);
    // one sigmoid output: 0.49 → 0, 0.5 → 1, 0.8 → 1, 0.1 → 0 against labels 0, 0, 1, 1 → 2 of 4
    assert.strictEqual(accuracy([0.49, 0.5, 0.8, 0.1], [0, 0, 1, 1], 4, 1, 0.5), 2 / 4);
    // one logit (BCEWithLogitsLoss) is read at 0: −0.2 → 0, 0.3 → 1 against labels 0, 0 → 1 of 2
    assert.strictEqual(accuracy([-0.2, 0.3], [0, 0], 2, 1, 0), 1 / 2);
  });

  it('a frame\'s accuracy and the samples\' predictions are the model\'s outputs read by hand', () => {
    const def = spec('network: 784 -> 16 relu -> 3 softmax, loss=cce, lr=0.1');
    const t = new Trainer(def);
    // the built-in teacher data is regression; give it classes so accuracy applies
    const d = t.data;
    const y = new Float64Array(d.count * 3);
    for (let i = 0; i < d.count; i++) y[i * 3 + (i % 3)] = 1;
    Object.assign(d, { y, task: 'classification' });
    t.run(3);
    const f = networkFrame(t, RUN);
    const out = t.mlp.forward(d.x, d.count);
    let right = 0;
    const predicted: number[] = [];
    for (let i = 0; i < d.count; i++) {
      const row = Array.from(out.subarray(i * 3, i * 3 + 3));
      const p = row.indexOf(Math.max(...row));
      if (p === i % 3) right++;
      if (i < 12) predicted.push(p);
    }
    assert.strictEqual(f.accuracy, right / d.count);
    assert.deepStrictEqual(f.predictions, predicted);
    const v = networkView(def, t, 'net.txt', () => 1, null);
    assert.strictEqual(v.images?.samples.length, 12);
    assert.deepStrictEqual(v.images?.samples.map((s) => s.label), Array.from({ length: 12 }, (_, i) => i % 3));
  });

  it('784-128-10: a frame carries per-layer summaries, not 101,770 parameters twice, and stays under 100 kB', () => {
    const def = findDefinition(fs.readFileSync(path.join(EXAMPLES, 'digits_mlp.py'), 'utf8'), 'python', 11, { readFile }) as NetworkDefinition;
    const t = new Trainer(def);
    const v = networkView(def, t, 'mnist.py', () => 1, null);
    assert.strictEqual(v.diagram, 'bands');
    assert.deepStrictEqual({ width: v.images?.width, height: v.images?.height, channels: v.images?.channels }, { width: 28, height: 28, channels: 1 });
    // pixels scaled to 0–255 over the shown samples: the data is /255 of uint8 that reach 255, so they come back as written
    assert.strictEqual(v.images?.samples[3].pixels[14 * 28 + 10], 226);
    t.run(2);
    const f = networkFrame(t, RUN, null, 0);
    assert.strictEqual(f.params, null);
    assert.strictEqual(f.grads, null);
    const size = JSON.stringify({ type: 'networkFrame', frame: f }).length;
    assert.ok(size < 100_000, `${size} characters`);
    assert.ok(JSON.stringify(v).length < 200_000, 'the view, sent once');
    // the summaries against W read from the trainer by hand
    const W = t.weights();
    f.layers.forEach((s, l) => {
      const flat = W[l].W.flat();
      assert.deepStrictEqual([s.rows, s.cols], [W[l].W.length, W[l].W[0].length]);
      assert.ok(Math.abs(s.norm - Math.sqrt(flat.reduce((a, w) => a + w * w, 0))) < 1e-9);
      assert.strictEqual(s.min, Math.min(...flat));
      assert.strictEqual(s.max, Math.max(...flat));
      assert.ok(Math.abs(s.mean - flat.reduce((a, w) => a + w, 0) / flat.length) < 1e-15);
      assert.strictEqual(s.gradNorm, t.gradNorms[l].w);
    });
    // a pass sends one sample's gradient norms per layer, not its 101,770 gradients
    const pass = passWithActivations(t);
    assert.strictEqual(pass.sampleGrads, null);
    assert.strictEqual(pass.sampleGradNorms.length, 2);
    assert.ok(JSON.stringify(networkFrame(t, RUN, pass, t.history.length)).length < 100_000);
  });

  it('small networks keep every parameter in their frames, as before', () => {
    const t = new Trainer(spec('network: 2 -> 4 tanh -> 1 sigmoid, loss=bce, lr=0.5'));
    const f = networkFrame(t, RUN);
    assert.deepStrictEqual(f.params, Array.from(t.mlp.params));
    assert.strictEqual(f.params?.length, 17);
    assert.strictEqual(networkView(t.def, t, 'x.txt', () => 1, null).diagram, 'units');
    assert.strictEqual(networkView(t.def, t, 'x.txt', () => 1, null).images, null);
  });

  it('block averages of a 5 × 3 matrix in at most 2 × 2 cells, by hand', () => {
    const W = [
      1, 2, 3,
      4, 5, 6,
      7, 8, 9,
      10, 11, 12,
      13, 14, 15,
    ];
    const h = blockAverage(W, 5, 3, 2);
    // blocks of ⌈5/2⌉ = 3 rows × ⌈3/2⌉ = 2 columns; the last row of blocks has 2 rows, the last column 1
    assert.deepStrictEqual([h.blockRows, h.blockCols, h.gridRows, h.gridCols], [3, 2, 2, 2]);
    assert.deepStrictEqual(h.values, [
      (1 + 2 + 4 + 5 + 7 + 8) / 6, (3 + 6 + 9) / 3,
      (10 + 11 + 13 + 14) / 4, (12 + 15) / 2,
    ]);
    // a matrix that fits is itself
    assert.deepStrictEqual(blockAverage(W, 5, 3, 128).values, W);
  });

  it('layerHeatmap: W1 of 784-128-10 as 128 × 112 cells of 1 × 7 weights; no such layer, no map', () => {
    const t = new Trainer(spec('network: 784 -> 128 relu -> 10 linear, loss=mse, lr=0.1'));
    const h = layerHeatmap(t, 0);
    assert.ok(h);
    assert.deepStrictEqual([h.rows, h.cols, h.gridRows, h.gridCols, h.blockRows, h.blockCols], [128, 784, 128, 112, 1, 7]);
    const W = t.weights()[0].W;
    assert.ok(Math.abs(h.values[0] - W[0].slice(0, 7).reduce((a, b) => a + b, 0) / 7) < 1e-15);
    assert.ok(Math.abs(h.values[5 * 112 + 111] - W[5].slice(777, 784).reduce((a, b) => a + b, 0) / 7) < 1e-15);
    assert.strictEqual(h.min, Math.min(...W.flat()));
    const h2 = layerHeatmap(t, 1);
    assert.deepStrictEqual([h2?.gridRows, h2?.gridCols, h2?.blockRows, h2?.blockCols], [10, 128, 1, 1]);
    assert.deepStrictEqual(h2?.values, t.weights()[1].W.flat());
    assert.strictEqual(layerHeatmap(t, 2), undefined);
    assert.strictEqual(layerHeatmap(t, -1), undefined);
  });

  it('the protocol: a heat-map request names a layer; an answer whose cells do not fill its grid is dropped', () => {
    assert.deepStrictEqual(parseFromWebview({ type: 'layerHeatmap', layer: 1 }), { type: 'layerHeatmap', layer: 1 });
    for (const layer of [-1, 1.5, '1', null, 1e6]) assert.strictEqual(parseFromWebview({ type: 'layerHeatmap', layer }), undefined, String(layer));
    const heatmap = { layer: 0, epoch: 0, rows: 2, cols: 2, gridRows: 2, gridCols: 2, blockRows: 1, blockCols: 1, values: [1, 2, 3, 4], min: 1, max: 4 };
    assert.ok(parseToWebview({ type: 'layerHeatmap', heatmap }));
    assert.strictEqual(parseToWebview({ type: 'layerHeatmap', heatmap: { ...heatmap, values: [1, 2, 3] } }), undefined);
    assert.strictEqual(parseToWebview({ type: 'networkFrame', frame: { epoch: 0, loss: [], params: null } }), undefined, 'a frame needs its layer summaries');
  });
});
