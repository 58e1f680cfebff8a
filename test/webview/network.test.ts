/**
 * The network view in Chromium: this test plays the host with the core's
 * Trainer (as the extension's NetworkSession does) and checks that training
 * frames draw a falling loss, a decision boundary, and the pass phases.
 */
import * as assert from 'assert';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { OUT, launchChromium, openPanelPage } from './harness';
import { findDefinition } from '../../src/core/find';
import { NetworkDefinition } from '../../src/core/network/spec';
import { Trainer } from '../../src/core/network/trainer';
import { networkFrame, networkView, passWithActivations } from '../../src/core/network/viewModel';
import type { FromWebviewMessage } from '../../src/protocol';

describe('network view in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const received: FromWebviewMessage[] = [];
  let trainer: Trainer;
  let sent = 0;

  const send = (m: unknown): Promise<void> => page.evaluate((x) => window.postMessage(x, '*'), m);
  const frame = (pass: ReturnType<typeof passWithActivations> | null = null): ReturnType<typeof networkFrame> => {
    const f = networkFrame(trainer, pass, sent);
    sent = trainer.history.length;
    return f;
  };

  async function open(source: string, language: string, line: number): Promise<NetworkDefinition> {
    const def = findDefinition(source, language, line) as NetworkDefinition;
    trainer = new Trainer(def);
    sent = 0;
    page = await openPanelPage(browser, { width: 1000, height: 1500 }, async (m: FromWebviewMessage) => {
      received.push(m);
      if (m.type === 'train' && m.action === 'epoch') { trainer.step(); await send({ type: 'networkFrame', frame: frame() }); }
      if (m.type === 'train' && m.action === 'pass') await send({ type: 'networkFrame', frame: frame(passWithActivations(trainer)) });
    }, errors);
    await send({ type: 'showNetwork', view: networkView(def, trainer, 'xor.py', () => 1), restore: { uri: 'file:///xor.py', line: 0 } });
    await send({ type: 'networkFrame', frame: frame() });
    return def;
  }

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => { await browser?.close(); });
  afterEach(async () => {
    await page?.close();
    assert.deepStrictEqual(errors.splice(0), [], 'no page errors');
  });

  it('XOR: training frames lower the loss shown, the decision boundary and the graph are drawn', async () => {
    await open('import numpy as np\nmodel = keras.Sequential([\n    keras.layers.Dense(4, activation="tanh", input_shape=(2,)),\n    keras.layers.Dense(1, activation="sigmoid"),\n])\nmodel.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss="binary_crossentropy")\nX = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])\ny = np.array([[0], [1], [1], [0]])\n', 'python', 2);
    assert.match((await page.locator('#network h1').textContent()) ?? '', /model: 2 → 4 tanh → 1 sigmoid/);
    assert.strictEqual(await page.locator('#function-view').isHidden(), true);
    // 2 + 4 + 1 units, 2·4 + 4·1 edges
    assert.strictEqual(await page.locator('#net-graph circle').count(), 7);
    assert.strictEqual(await page.locator('#net-graph line').count(), 12);
    // the host trains 400 epochs in slices, as the extension does
    for (let k = 0; k < 8; k++) {
      trainer.run(50);
      await send({ type: 'networkFrame', frame: frame() });
    }
    await page.waitForFunction(() => document.querySelector('#network')?.getAttribute('data-epoch') === '400');
    const progress = received.filter((m) => m.type === 'networkProgress').pop();
    assert.ok(progress && progress.type === 'networkProgress');
    assert.strictEqual(progress.epoch, 400);
    assert.ok(progress.loss < progress.initialLoss / 5, `${progress.initialLoss} → ${progress.loss}`);
    assert.match((await page.locator('#net-status').textContent()) ?? '', /epoch 400 — loss 0\.0\d/);
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(OUT, 'webview-network-xor.png'), fullPage: true });
  });

  it('Epoch and Pass buttons ask the host; a pass is shown phase by phase', async () => {
    await open('network: 2 -> 3 tanh -> 1 sigmoid, loss=bce, lr=0.5', 'plaintext', 1);
    await page.click('#net-epoch');
    await page.waitForFunction(() => document.querySelector('#network')?.getAttribute('data-epoch') === '1');
    await page.click('#net-pass');
    await page.waitForFunction(() => document.querySelector('#network')?.getAttribute('data-phase') === 'forward');
    assert.match((await page.locator('#net-phase').textContent()) ?? '', /^Forward/);
    assert.ok((await page.locator('#net-graph text.unit-value').count()) >= 6, 'activations shown on the units');
    await page.waitForFunction(() => document.querySelector('#network')?.getAttribute('data-phase') === 'backward', undefined, { timeout: 5000 });
    assert.match((await page.locator('#net-phase').textContent()) ?? '', /^Backward/);
    await page.waitForFunction(() => document.querySelector('#network')?.getAttribute('data-phase') === 'update', undefined, { timeout: 5000 });
    assert.match((await page.locator('#net-phase').textContent()) ?? '', /Epoch 2 done/);
    const asked = received.filter((m) => m.type === 'train').map((m) => (m as { action: string }).action);
    assert.deepStrictEqual(asked.slice(-2), ['epoch', 'pass']);
  });

  it('the smallest networks show the loss as a function of the weights; its partials equal backprop', async () => {
    await open('network: 1 -> 1 sigmoid, loss=mse, lr=0.5', 'plaintext', 1);
    const rows = await page.locator('#net-bridge tbody tr').allTextContents();
    assert.strictEqual(rows.length, 2);
    const cells = await page.locator('#net-bridge tbody tr td:nth-child(3), #net-bridge tbody tr td:nth-child(4)').allTextContents();
    // value and backprop columns agree
    for (let r = 0; r < 2; r++) {
      const sym = Number((await page.locator(`#net-bridge tbody tr:nth-child(${r + 1}) td:nth-child(3)`).textContent()));
      const bp = Number((await page.locator(`#net-bridge tbody tr:nth-child(${r + 1}) td:nth-child(4)`).textContent()));
      assert.ok(Math.abs(sym - bp) <= 1e-5 * (1 + Math.abs(bp)), `${sym} vs ${bp} (${cells.join(', ')})`);
    }
  });
});
