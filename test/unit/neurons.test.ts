/**
 * A small network as one scalar function of its weights (the neuron-by-neuron
 * Backprop view): the classic worked example's published numbers, and for
 * random small networks of every loss, the scalar function's value and
 * gradient equal the MLP's forward pass and backpropagation.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { analyzeFunction } from '../../src/core/analysis';
import { Tape } from '../../src/core/autodiff/tape';
import { findDefinition } from '../../src/core/find';
import { networkAsFunction, neuronViewRefusal } from '../../src/core/neurons';
import type { NetworkDefinition } from '../../src/core/network/spec';
import { Trainer } from '../../src/core/network/trainer';
import { ROOT } from './helpers';

describe('a network neuron by neuron', () => {
  it('the worked example: E_total = 0.298371109 at the file\'s weights; after one step at η = 0.5, w5 = 0.35891648', () => {
    const src = fs.readFileSync(path.join(ROOT, 'examples', 'backprop_worked_example.py'), 'utf8');
    const net = findDefinition(src, 'python', 7) as NetworkDefinition;
    const trainer = new Trainer(net);
    const { def } = networkAsFunction(net, trainer.weights(), { x: net.data?.x ?? [], y: net.data?.y ?? [] });
    assert.deepStrictEqual(def.params, ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'b1', 'b2', 'b3', 'b4']);
    assert.deepStrictEqual(def.params.slice(0, 8).map((p) => def.defaults[p]), [0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55]);
    const a = analyzeFunction(def, { learningRate: 0.5, maxSteps: 1, optimizer: 'gd', symbolic: false });
    assert.ok(Math.abs((a.value as number) - 0.298371109) < 1e-9, `E_total ${a.value}`);
    const w5 = a.descent.steps[1].point.w5 as number;
    assert.ok(Math.abs(w5 - 0.35891648) < 1e-8, `w5 ${w5}`);
    // the neurons carry the worked example's names
    for (const n of ['net_h1', 'out_h1', 'net_o1', 'out_o2']) assert.ok(def.locals.some((l) => l.name === n), n);
  });

  it('for random small networks and every loss, value and gradient equal the MLP\'s forward pass and backprop', () => {
    const acts = ['linear', 'relu', 'sigmoid', 'tanh', 'softplus', 'leaky_relu'] as const;
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.constantFrom(...acts),
      fc.constantFrom('mse', 'mae', 'bce', 'bce-logits', 'cce', 'cce-logits'), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1000 }),
      (inputs, hidden, outs, act, lossKind, samples, seed) => {
        const K = lossKind.startsWith('cce') ? Math.max(outs, 2) : outs;
        const outAct = lossKind === 'bce' ? 'sigmoid' : lossKind === 'cce' ? 'softmax' : 'linear';
        const net: NetworkDefinition = {
          kind: 'network', framework: 'spec', name: null, nameRange: null, inputs,
          layers: [{ units: hidden, activation: act, range: { start: 0, end: 1 } }, { units: K, activation: outAct, range: { start: 0, end: 1 } }],
          loss: lossKind === 'mse' || lossKind === 'mae' ? lossKind : lossKind.startsWith('bce') ? 'binary_crossentropy' : 'categorical_crossentropy',
          fromLogits: lossKind.endsWith('logits'), sparseLabels: false, optimizer: { name: 'sgd', learningRate: 0.1 }, initializer: 'glorot',
          notes: [], range: { start: 0, end: 1 }, startLine: 1, endLine: 1,
        };
        const rnd = (k: number): number => Math.sin(seed * 12.9898 + k * 78.233) * 0.9;
        const x = Array.from({ length: samples }, (_, i) => Array.from({ length: inputs }, (_, k) => rnd(i * 7 + k)));
        const y = Array.from({ length: samples }, (_, i) => Array.from({ length: K }, (_, k) => (net.loss === 'mse' || net.loss === 'mae' ? rnd(100 + i * 5 + k) : k === (i + seed) % K ? 1 : 0)));
        const trainer = new Trainer({ ...net, data: { x, y, range: { start: 0, end: 1 } } }, { seed });
        const { def } = networkAsFunction(net, trainer.weights(), { x, y });
        const { mlp, data } = trainer;
        mlp.forward(data.x, data.count);
        const loss = mlp.lossValue(data.y);
        mlp.backward(data.y);
        const tape = new Tape(def.body, def.params);
        const g = new Float64Array(def.params.length);
        const value = tape.valueAndGradient(Float64Array.from(def.params.map((p) => def.defaults[p])), g).value;
        assert.ok(Math.abs(value - loss) <= 1e-9 * (1 + Math.abs(loss)), `${value} vs MLP ${loss}`);
        // parameter order: all weights layer by layer, then all biases; the MLP keeps W then b per layer
        const mlpGrad: number[] = [];
        const biases: number[] = [];
        mlp.units.forEach((out, l) => {
          const o = mlp.wOffset[l];
          const fanIn = mlp.sizes[l];
          mlpGrad.push(...mlp.grads.subarray(o, o + out * fanIn));
          biases.push(...mlp.grads.subarray(o + out * fanIn, o + out * fanIn + out));
        });
        mlpGrad.push(...biases);
        mlpGrad.forEach((v, k) => assert.ok(Math.abs(g[k] - v) <= 1e-9 * (1 + Math.abs(v)), `∂/∂${def.params[k]} ${g[k]} vs MLP ${v}`));
      },
    ), { numRuns: 200, seed: 5 });
  });

  it('refuses, with a reason, networks too big to draw neuron by neuron', () => {
    const layers = [{ units: 8, activation: 'tanh' as const, range: { start: 0, end: 1 } }, { units: 8, activation: 'tanh' as const, range: { start: 0, end: 1 } }];
    const net = { layers } as unknown as NetworkDefinition;
    assert.match(neuronViewRefusal(net, 2 * 8 + 8 + 8 * 8 + 8) ?? '', /96 weights and biases; the neuron-by-neuron view takes up to 64/);
    assert.strictEqual(neuronViewRefusal({ layers: layers.slice(0, 1) } as unknown as NetworkDefinition, 40), undefined);
  });
});
