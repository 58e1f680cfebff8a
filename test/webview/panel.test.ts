/**
 * The built webview in Debian's Chromium (playwright-core), driven by the
 * extension's real PanelController on a stand-in `vscode` (hosted.ts): the
 * tests click and type in the page and check what it draws and what the
 * controller computed and recorded.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { OUT, ROOT, axeProblems, launchChromium } from './harness';
import { HostedPanel } from './hosted';
import { host } from './vscodeStub';
import { acceptance } from '../unit/helpers';

describe('webview in Chromium (real panel controller)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let hp: HostedPanel;
  const errors: string[] = [];

  /** Opens `source` in the panel with these settings (η, step limit; the start from the file or `start`). */
  const open = async (source: string, o: { learningRate: number; maxSteps: number; start?: Record<string, number> }, language = 'plaintext', line = 1): Promise<void> => {
    hp = await HostedPanel.open(browser, { width: 1100, height: 1400 }, errors);
    page = hp.page;
    host.config = { learningRate: o.learningRate, maxSteps: o.maxSteps };
    await hp.show(`test.${language === 'python' ? 'py' : 'txt'}`, source, language, line);
    await page.locator('#status').waitFor();
    if (o.start) {
      // as a user does: pause, type each start value
      await page.click('#play');
      for (const [p, v] of Object.entries(o.start)) await page.fill(`input[data-param="${p}"]`, String(v)).then(() => page.press(`input[data-param="${p}"]`, 'Enter'));
      const want = Object.values(o.start).slice(0, 2);
      await page.waitForFunction((w) => {
        const p = JSON.parse(document.querySelector('#plot')?.getAttribute('data-path') ?? '[]') as number[][];
        return p.length > 0 && w.every((v, i) => Math.abs(p[0][i] - v) < 1e-9);
      }, want);
    }
  };
  const attr = (sel: string, name: string): Promise<string | null> => page.locator(sel).getAttribute(name);
  const path1 = async (): Promise<number[][]> => JSON.parse((await attr('#plot', 'data-path')) ?? '[]') as number[][];

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    hp?.dispose();
    await page?.close();
    const seen = errors.splice(0);
    assert.deepStrictEqual(seen, [], 'no page errors');
  });

  it('1-D: play draws the path, pause holds it, step and back move one step, reset returns to the start', async () => {
    await open('f(w) = (w - 3)^2 + 1', { learningRate: 0.1, maxSteps: 60, start: { w: 0 } });
    // it autoplays; pause and check the path stops growing
    await page.waitForFunction(() => Number(document.querySelector('#plot')?.getAttribute('data-step')) >= 3);
    await page.click('#play');
    const held = await attr('#plot', 'data-step');
    await page.waitForTimeout(700);
    assert.strictEqual(await attr('#plot', 'data-step'), held, 'paused');
    const before = await path1();
    assert.strictEqual(before.length, Number(held) + 1, 'one plotted point per step so far');
    // the plotted points are the descent's: w_{k+1} = w_k − 0.1·2(w_k − 3)
    let w = 0;
    for (const [x, y] of before) {
      assert.ok(Math.abs(x - w) < 1e-4 && Math.abs(y - ((w - 3) ** 2 + 1)) < 1e-3, `(${x}, ${y}) vs w = ${w}`);
      w -= 0.1 * 2 * (w - 3);
    }
    await page.click('#forward');
    assert.strictEqual(Number(await attr('#plot', 'data-step')), Number(held) + 1);
    assert.strictEqual((await path1()).length, before.length + 1);
    await page.click('#back');
    await page.click('#back');
    assert.strictEqual(Number(await attr('#plot', 'data-step')), Number(held) - 1);
    await page.click('#reset');
    assert.strictEqual(await attr('#plot', 'data-step'), '0');
    assert.strictEqual((await path1()).length, 1);
    // the update rule shows the numbers of step 0: 0 − 0.1 × (−6) = 0.6
    assert.match((await page.locator('#update').textContent()) ?? '', /0\.6/);
    await page.screenshot({ path: path.join(OUT, 'webview-1d.png'), fullPage: false });
  });

  it('1-D: a click on the curve moves the start point there', async () => {
    await open('f(w) = (w - 3)^2 + 1', { learningRate: 0.1, maxSteps: 30, start: { w: 0 } });
    await page.click('#play');
    const box = await page.locator('#plot-canvas').boundingBox();
    assert.ok(box);
    await page.mouse.click(box.x + box.width * 0.92, box.y + box.height * 0.5);
    await page.waitForFunction(() => (JSON.parse(document.querySelector('#plot')?.getAttribute('data-path') ?? '[[0]]') as number[][])[0][0] !== 0);
    const w0 = (await path1())[0][0];
    assert.ok(w0 > 3, `clicked right of the minimum: start ${w0}`);
    assert.strictEqual(hp.view.options.start.w, w0, 'the controller recomputed from the clicked start');
  });

  it('the learning-rate slider asks the host for a new descent, and the path changes', async () => {
    await open('f(w) = (w - 3)^2 + 1', { learningRate: 0.1, maxSteps: 30, start: { w: 0 } });
    await page.click('#play'); // pause
    await page.click('#reset');
    await page.click('#forward');
    const first = (await path1())[1][0];
    assert.ok(Math.abs(first - 0.6) < 1e-6);
    // log slider at 10^-0.5 ≈ 0.316 snaps to the 1-2-5 series: η = 0.2
    await page.locator('#lr').evaluate((e: HTMLInputElement) => { e.value = '-0.5'; e.dispatchEvent(new Event('input')); e.dispatchEvent(new Event('change')); });
    await page.waitForFunction(() => /η = 0\.2$/.test(document.querySelector('#lr-value')?.textContent ?? ''));
    const m = hp.last('setOptions');
    assert.strictEqual(m?.options.learningRate, 0.2);
    await page.click('#play');
    await page.click('#play');
    await page.click('#reset');
    await page.click('#forward');
    const moved = (await path1())[1][0];
    assert.ok(Math.abs(moved - 0.2 * 6) < 1e-9, `w₁ = η·6 = ${moved}`);
  });

  it('a new page that lost what was sent before it said ready (VS Code web can drop that queue) gets it again, once', async () => {
    hp = await HostedPanel.open(browser, { width: 1100, height: 1400 }, errors);
    page = hp.page;
    host.config = { learningRate: 0.5, maxSteps: 10 };
    const deliver = host.toPage;
    const load = host.onLoad;
    let loaded = false;
    // the page says ready only after the view was sent, and what was sent before that never arrives
    host.onLoad = () => undefined;
    host.toPage = (m) => { if (loaded) deliver(m); };
    await hp.show('test.txt', 'f(w) = (w - 3)^2 + 1', 'plaintext', 1);
    for (const deadline = Date.now() + 20_000; !hp.posted.some((m) => m.type === 'show'); await page.waitForTimeout(50)) {
      if (Date.now() > deadline) throw new Error('no view was sent');
    }
    loaded = true;
    load();
    await page.waitForFunction(() => document.querySelector('#function-view h1')?.textContent === 'f(w) — test.txt');
    // and plays: one step of η = 0.5 lands on the minimum
    await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'finished'));
    assert.strictEqual(hp.last('finished')?.status, 'converged');
    assert.deepStrictEqual(hp.posted.filter((m) => m.type === 'replay').map((m) => m.type === 'replay' && m.messages.map((x) => x.type)),
      [hp.posted.slice(0, hp.posted.findIndex((m) => m.type === 'replay')).map((m) => m.type)], 'one replay, of everything sent before ready');
    // a replay reaching a page that has its view (the first sending arrived after all) changes nothing
    const other = { ...hp.view, title: 'g(w)' };
    deliver({ type: 'replay', messages: [{ type: 'show', view: other, restore: { uri: 'file:///work/test.txt', line: 0 } }] });
    await page.waitForTimeout(300);
    assert.strictEqual(await page.locator('#function-view h1').textContent(), 'f(w) — test.txt');
  });

  it('the panel reports the last step when the animation reaches it', async () => {
    await open('f(w) = (w - 3)^2', { learningRate: 0.5, maxSteps: 10, start: { w: 0 } });
    await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'finished'));
    const f = hp.last('finished');
    assert.ok(f);
    assert.strictEqual(f.step, hp.view.steps.length - 1);
    assert.strictEqual(f.status, 'converged');
    assert.match((await page.locator('#status').textContent()) ?? '', /converged after 1 steps/);
  });

  it('2-D: a click on the contour moves the start point there', async () => {
    await open('f(x, y) = x^2 + 3y^2', { learningRate: 0.1, maxSteps: 40, start: { x: 2, y: 1 } });
    const canvas = page.locator('#plot-canvas');
    const box = await canvas.boundingBox();
    assert.ok(box);
    await page.click('#play');
    const pathBefore = await path1();
    assert.deepStrictEqual(pathBefore[0], [2, 1]);
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.7);
    await page.waitForFunction(() => {
      const p = JSON.parse(document.querySelector('#plot')?.getAttribute('data-path') ?? '[]') as number[][];
      return p.length > 0 && (p[0][0] !== 2 || p[0][1] !== 1);
    });
    const s = hp.last('setOptions');
    assert.ok(s && s.options.start);
    const start = { ...hp.view.options.start };
    const p = await path1();
    assert.ok(Math.abs(p[0][0] - start.x) < 1e-4 && Math.abs(p[0][1] - start.y) < 1e-4);
    // left-lower part of the plot: x below the old start, y below it too
    assert.ok(start.x < 2 && start.y < 1, JSON.stringify(start));
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(OUT, 'webview-2d.png') });
  });

  /** Where a value is drawn on a chart, in page pixels: the chart's own geometry (data-geometry) placed at the canvas's box on the page. */
  const pixelOf = async (canvas: string, x: number, y: number): Promise<{ px: number; py: number; unitsPerPx: { x: number; y: number } }> => {
    const box = await page.locator(canvas).boundingBox();
    assert.ok(box);
    const g = JSON.parse((await attr(canvas, 'data-geometry')) ?? '{}') as { left: number; top: number; right: number; bottom: number; xmin: number; xmax: number; ymin: number; ymax: number };
    const fx = (x - g.xmin) / (g.xmax - g.xmin);
    const fy = (y - g.ymin) / (g.ymax - g.ymin);
    return {
      px: box.x + g.left + fx * (g.right - g.left),
      py: box.y + g.bottom - fy * (g.bottom - g.top),
      unitsPerPx: { x: (g.xmax - g.xmin) / (g.right - g.left), y: (g.ymax - g.ymin) / (g.bottom - g.top) },
    };
  };

  it('charts are drawn at the size they are shown, before and after the panel narrows; a click on the start dot picks the start, a click on a sample picks that sample', async () => {
    await open('f(x, y) = (x - 100)^2 + 3 (y - 50)^2', { learningRate: 0.1, maxSteps: 40, start: { x: 100, y: 50 } });
    await page.click('#play');
    // every chart's backing store is its box on the page × the device pixel ratio: no CSS scaling between drawing and showing
    const scaled = (): Promise<string[]> => page.evaluate(() => Array.from(document.querySelectorAll('canvas')).filter((c) => c.getBoundingClientRect().width > 0 && c.dataset.geometry).flatMap((c) => {
      const r = c.getBoundingClientRect();
      const dpr = window.devicePixelRatio;
      return Math.abs(c.width - r.width * dpr) > 1 || Math.abs(c.height - r.height * dpr) > 1 ? [`${c.id}: drawn ${c.width}×${c.height}, shown ${r.width}×${r.height} at ${dpr}`] : [];
    }));
    assert.deepStrictEqual(await scaled(), []);
    for (const width of [1100, 420]) {
      await page.setViewportSize({ width, height: 1400 });
      await page.waitForTimeout(300);
      assert.deepStrictEqual(await scaled(), [], `at ${width} px`);
      // the start dot at (100, 50): a click on it starts from there, to the pixel
      const { px, py, unitsPerPx } = await pixelOf('#plot-canvas', 100, 50);
      await page.mouse.click(px, py);
      for (let i = 0; i < 100 && hp.last('setOptions')?.options.start?.x === undefined; i++) await page.waitForTimeout(20);
      const start = hp.last('setOptions')?.options.start as Record<string, number>;
      assert.ok(Math.abs(start.x - 100) <= unitsPerPx.x && Math.abs(start.y - 50) <= unitsPerPx.y, `at ${width} px: clicked (100, 50), started from (${start.x}, ${start.y}); a pixel is ${unitsPerPx.x.toPrecision(2)} × ${unitsPerPx.y.toPrecision(2)}`);
    }
    // the fit view: a click on sample 3's dot opens sample 3's term
    await page.setViewportSize({ width: 1100, height: 1400 });
    const src = 'import numpy as np\nx_train = np.array([1.0, 2.0, 3.0, 4.0])\ny_train = np.array([3.1, 4.9, 7.2, 8.8])\n\ndef compute_cost(x, y, w, b):\n    m = x.shape[0]\n    cost_sum = 0\n    for i in range(m):\n        f_wb = w * x[i] + b\n        cost_sum = cost_sum + (f_wb - y[i]) ** 2\n    return (1 / (2 * m)) * cost_sum\n\ncompute_cost(x_train, y_train, 0.5, 0.0)\n';
    await open(src, { learningRate: 0.05, maxSteps: 40 }, 'python', 5);
    await page.locator('#fit').waitFor();
    await page.click('#reset');
    await page.waitForFunction(() => !!document.querySelector('#fit-canvas')?.getAttribute('data-geometry'));
    assert.deepStrictEqual(await scaled(), []);
    const { px, py } = await pixelOf('#fit-canvas', 3, 7.2);
    await page.mouse.click(px, py);
    for (let i = 0; i < 100 && hp.view.graphSample !== 2; i++) await page.waitForTimeout(30);
    assert.strictEqual(hp.view.graphSample, 2, 'the click on (3, 7.2) picked sample 3');
  });

  it('Backprop view on the multi-statement Python example: forward then backward changes the highlighted node and the numbers shown', async () => {
    const source = acceptance<{ id: string; source: string }>('functions.json').find((c) => c.id === 'python-multi-statement')?.source as string;
    await open(source, { learningRate: 0.1, maxSteps: 20, start: { w: 0.2, b: -0.1 } }, 'python', 3);
    // the locals of the code are named nodes of the graph
    const titles = await page.locator('#backprop-graph text.op').allTextContents();
    assert.ok(titles.some((t) => /^z = /.test(t)) && titles.some((t) => /^a = /.test(t)), titles.join(' | '));
    await page.click('#play'); // pause the descent
    await page.click('#reset');
    const bp = page.locator('#backprop');
    await bp.scrollIntoViewIfNeeded();
    const active = (): Promise<string | null> => bp.getAttribute('data-active-node');
    const explain = (): Promise<string | null> => page.locator('#backprop-explain').textContent();
    await page.click('#bp-next');
    const a1 = await active();
    assert.match((await explain()) ?? '', /^Forward:/);
    await page.click('#bp-next');
    assert.notStrictEqual(await active(), a1, 'the forward pass moves to the next node');
    // run to the first backward edge
    for (let i = 0; i < 20 && !/^Backward/.test((await explain()) ?? ''); i++) await page.click('#bp-next');
    const e1 = (await explain()) ?? '';
    assert.match(e1, /^Backward \(chain rule\): ∂loss\/∂.* · ∂.*\/∂.* = 1 × /);
    // the first product: ∂loss/∂loss = 1 times the local derivative of the square, 2·(a − 0.25)
    const s = 1 / (1 + Math.exp(-(3 * 0.2 - 0.1)));
    const m = / = 1 × ([-0-9.e]+) = /.exec(e1);
    assert.ok(m && Math.abs(Number(m[1]) - 2 * (s - 0.25)) < 1e-5, e1);
    const a2 = await active();
    await page.click('#bp-next');
    assert.notStrictEqual(await active(), a2, 'the backward pass moves along the edges');
    const gradsShown = await page.locator('#backprop-graph text.grad').allTextContents();
    assert.ok(gradsShown.some((t) => /∂loss\/∂· [-0-9]/.test(t)), `some gradients are known now, named after loss: ${gradsShown.join(' | ')}`);
    assert.ok(gradsShown.some((t) => /\?$/.test(t)), 'and some are still to come');
    // the forward explanation reads as a worked solution: z = 3.0 * w + b = 0.6 + -0.1 = 0.5 (numbers of step 0)
    await page.click('#bp-reset');
    await page.click('#bp-next');
    await page.click('#bp-next');
    assert.match((await explain()) ?? '', /^Forward: z = 3\.0 \* w \+ b = 0\.6 \+ \(?-0\.1\)? = 0\.5$/);
    // the first descent step moves the graph to the next point: the values shown are step 1's, from the view's graph trace
    const w0 = await page.locator('#backprop-graph g[data-node="0"] text').nth(1).textContent();
    await page.click('#forward');
    await page.waitForFunction(() => document.querySelector('#backprop')?.getAttribute('data-step') === '1');
    const w1 = hp.view.steps[1].point[0] as number;
    assert.notStrictEqual(await page.locator('#backprop-graph g[data-node="0"] text').nth(1).textContent(), w0);
    assert.strictEqual(await page.locator('#backprop-graph g[data-node="0"] text').nth(1).textContent(), `value ${Number(w1.toPrecision(6))}`);
    await bp.screenshot({ path: path.join(OUT, 'webview-backprop.png') });
  });

  it('a cost over data: the fit beside the cost draws the samples and the model at each step, with residuals', async () => {
    const src = 'import numpy as np\nx_train = np.array([1.0, 2.0, 3.0, 4.0])\ny_train = np.array([3.1, 4.9, 7.2, 8.8])\n\ndef compute_cost(x, y, w, b):\n    m = x.shape[0]\n    cost_sum = 0\n    for i in range(m):\n        f_wb = w * x[i] + b\n        cost_sum = cost_sum + (f_wb - y[i]) ** 2\n    return (1 / (2 * m)) * cost_sum\n\ncompute_cost(x_train, y_train, 0.5, 0.0)\n';
    await open(src, { learningRate: 0.05, maxSteps: 40 }, 'python', 5);
    await page.locator('#fit').waitFor();
    assert.match((await page.locator('#fit-caption').textContent()) ?? '', /y against x: 4 samples/);
    // Reset pauses at the start
    await page.click('#reset');
    await page.waitForFunction(() => document.querySelector('#fit')?.getAttribute('data-step') === '0');
    // the caption's squared error is the model's at the start (w, b) = (0.5, 0): Σ (0.5x − y)²
    const xs = [1, 2, 3, 4];
    const ys = [3.1, 4.9, 7.2, 8.8];
    const sse0 = xs.reduce((s, x, i) => s + (0.5 * x - ys[i]) ** 2, 0);
    const caption = async (): Promise<number> => Number(/squared error ([-0-9.e+]+)/.exec((await page.locator('#fit-caption').textContent()) ?? '')?.[1]);
    assert.ok(Math.abs((await caption()) - sse0) < 1e-3 * sse0, `${await caption()} vs ${sse0}`);
    // descent moves the line towards the data: at the last step the squared error is the view's cost times 2m
    await page.click('#end');
    await page.waitForFunction(() => document.querySelector('#fit')?.getAttribute('data-step') !== '0');
    const last = hp.view.steps[hp.view.steps.length - 1];
    const [w, b] = last.point as number[];
    const sse = xs.reduce((s, x, i) => s + (w * x + b - ys[i]) ** 2, 0);
    assert.ok(Math.abs((await caption()) - sse) < 1e-3 * (1 + sse), `${await caption()} vs ${sse}`);
    assert.ok(sse < sse0 / 4, 'the model came closer to the data');
    await page.locator('#fit').screenshot({ path: path.join(OUT, 'webview-fit.png') });
    // the Backprop view draws one sample's term, not the unrolled sum; the user picks the sample
    assert.match((await page.locator('#bp-sample-note').textContent()) ?? '', /compute_cost = \(1\/8\) Σ over its 4 samples of one term: this is sample 1's \(x⁽ⁱ⁾ = 1, y⁽ⁱ⁾ = 3\.1\)/);
    assert.ok(hp.view.graph.nodes.length < 20, `${hp.view.graph.nodes.length} nodes: one sample's term`);
    await page.fill('#bp-sample', '3');
    await page.press('#bp-sample', 'Enter');
    for (let i = 0; i < 100 && hp.view.graphSample !== 2; i++) await page.waitForTimeout(30);
    assert.strictEqual(hp.view.graphSample, 2);
    await page.waitForFunction(() => /sample 3's \(x⁽ⁱ⁾ = 3, y⁽ⁱ⁾ = 7\.2\)/.test(document.querySelector('#bp-sample-note')?.textContent ?? ''));
    // another sample's term is the same descent: the step shown stays the last, the animation does not restart
    assert.strictEqual(await page.locator('#fit').getAttribute('data-step'), String(hp.view.steps.length - 1));
    assert.strictEqual(await page.locator('#play').textContent().then((t) => /Play|▶/.test(t ?? '')), true, 'still paused');
    // sample 3's term at the start: (w·3 + b − 7.2)² with (w, b) = (0.5, 0)
    const out = hp.view.graph.nodes[hp.view.graph.output];
    assert.ok(Math.abs((out.value as number) - (0.5 * 3 - 7.2) ** 2) < 1e-9, `${out.value}`);
    // the Σ node right of the term: the whole cost at the step shown, ∂J/∂term = 1/8, the other 3 terms below
    const sumText = async (): Promise<string> => (await page.locator('#bp-sum').textContent()) ?? '';
    await page.waitForFunction(() => /Σ 4 terms/.test(document.querySelector('#bp-sum')?.textContent ?? ''));
    assert.match(await sumText(), /1\/8$/);
    assert.match(await sumText(), /= \?/, 'the total is known once the forward pass has run');
    // Next through the term's forward pass: the Σ's total shows once the term's value is computed
    for (let i = 0; i < 20 && /= \?/.test((await page.locator('#bp-sum .sum-value').textContent()) ?? ''); i++) await page.click('#bp-next');
    assert.notStrictEqual(await page.locator(`#backprop-graph [data-node="${hp.view.graph.output}"]`).textContent().then((t) => /value \?/.test(t ?? '')), true);
    const shownStep = Number(await page.locator('#backprop').getAttribute('data-step'));
    const J = Number(/= ([-0-9.e+]+)$/.exec((await page.locator('#bp-sum .sum-value').textContent()) ?? '')?.[1]);
    const [ws, bs] = hp.view.steps[shownStep].point as number[];
    const Jhand = xs.reduce((s, x, i) => s + (ws * x + bs - ys[i]) ** 2, 0) / 8;
    assert.ok(Math.abs(J - Jhand) < 1e-3 * (1 + Jhand), `Σ node ${J} vs ${Jhand} at step ${shownStep}`);
    assert.match((await page.locator('#bp-sum-others').textContent()) ?? '', /3 other terms/);
    // ▶ on the Σ opens the next sample's term; the stack of the others wraps round to the first
    await page.click('#bp-sum-next');
    for (let i = 0; i < 100 && (hp.view.graphSample as number) !== 3; i++) await page.waitForTimeout(30);
    assert.strictEqual(hp.view.graphSample, 3);
    await page.waitForFunction(() => /3 other terms.*samples ≠ 4/.test(document.querySelector('#bp-sum-others')?.textContent ?? ''));
    await page.click('#bp-sum-others');
    for (let i = 0; i < 100 && (hp.view.graphSample as number) !== 0; i++) await page.waitForTimeout(30);
    assert.strictEqual(hp.view.graphSample, 0);
    await page.locator('#backprop').screenshot({ path: path.join(OUT, 'webview-backprop-sum.png') });
    // stochastic descent: one sample per step, seeded; the full-batch path stays on the plot to compare
    assert.strictEqual(await page.locator('#batch').isVisible(), true);
    const fullSteps = hp.view.steps.map((st) => st.point);
    await page.selectOption('#batch', '1');
    await page.waitForFunction(() => (document.querySelector('#batch') as HTMLSelectElement | null)?.value === '1');
    for (let i = 0; i < 100 && hp.view.options.batchSize !== 1; i++) await page.waitForTimeout(30);
    assert.strictEqual(hp.view.options.batchSize, 1);
    assert.ok(hp.view.fullBatchPath && hp.view.fullBatchPath.length === fullSteps.length, 'the full-batch path to compare with');
    assert.notDeepStrictEqual(hp.view.steps.slice(1, 4).map((st) => st.point), fullSteps.slice(1, 4), 'a different path');
    await page.click('#end');
    await page.screenshot({ path: path.join(OUT, 'webview-sgd.png'), fullPage: false });
  });

  it('stochastic descent: each update line is the arithmetic the step did, on the sample it names; the last step shows no update', async () => {
    const xs = [1, 2, 3, 4];
    const ys = [3.1, 4.9, 7.2, 8.8];
    const src = 'import numpy as np\nx_train = np.array([1.0, 2.0, 3.0, 4.0])\ny_train = np.array([3.1, 4.9, 7.2, 8.8])\n\ndef compute_cost(x, y, w, b):\n    m = x.shape[0]\n    cost_sum = 0\n    for i in range(m):\n        f_wb = w * x[i] + b\n        cost_sum = cost_sum + (f_wb - y[i]) ** 2\n    return (1 / (2 * m)) * cost_sum\n\ncompute_cost(x_train, y_train, 0.5, 0.0)\n';
    await open(src, { learningRate: 0.05, maxSteps: 40 }, 'python', 5);
    await page.selectOption('#batch', '1');
    for (let i = 0; i < 100 && hp.view.options.batchSize !== 1; i++) await page.waitForTimeout(30);
    assert.strictEqual(hp.view.options.batchSize, 1);
    await page.click('#reset');
    for (let k = 0; k < 3; k++) await page.click('#forward');
    await page.waitForFunction(() => document.querySelector('#plot')?.getAttribute('data-step') === '3');
    const [w3, b3] = hp.view.steps[3].point as number[];
    const next = hp.view.steps[4].point as number[];
    const lines = (await page.locator('#update .rule').allTextContents()).map(plainMath);
    assert.strictEqual(lines.length, 2, lines.join(' | '));
    const samples: number[] = [];
    lines.forEach((line, i) => {
      const [a, b, c, d] = arithmetic(line);
      // the line's own arithmetic holds, to the precision it shows
      assert.ok(Math.abs(d.value - (a.value - b.value * c.value)) <= d.half + a.half + Math.abs(b.value) * c.half, `${line}: ${a.value} − ${b.value} × ${c.value} ≠ ${d.value}`);
      assert.strictEqual(b.value, 0.05, 'η');
      // it ends where the step ended
      assert.ok(Math.abs(d.value - next[i]) <= d.half, `${line} vs the next point ${next[i]}`);
      // c is the gradient of the sample the line names, by hand: ∂/∂w ½(wx + b − y)² = (wx + b − y)·x, ∂/∂b = wx + b − y
      const named = /sample ?(\d+)/.exec(line);
      assert.ok(named, `the line names its sample: ${line}`);
      const j = Number(named[1]) - 1;
      samples.push(j);
      const r = w3 * xs[j] + b3 - ys[j];
      const g = i === 0 ? r * xs[j] : r;
      assert.ok(Math.abs(c.value - g) <= c.half, `${line}: the gradient used is sample ${j + 1}'s ${g}`);
    });
    assert.strictEqual(samples[0], samples[1], 'one sample for both parameters');
    // the Backprop graph and the fit's ring are on the sample this step used, not on sample 1
    assert.strictEqual(await page.locator('#bp-sample').inputValue(), String(samples[0] + 1));
    assert.match((await page.locator('#fit-caption').textContent()) ?? '', new RegExp(`ringed: sample ${samples[0] + 1}, whose term the Backprop view shows \\(the one this step's update used\\)`));
    await page.locator('#update').screenshot({ path: path.join(OUT, 'webview-sgd-update.png') });
    // the Backprop view's update is the same step, on the same sample
    const explain = (): Promise<string> => page.locator('#backprop-explain').textContent().then((t) => t ?? '');
    for (let i = 0; i < 40 && /^(Step \d+ of the descent|Forward|Backward)/.test(await explain()); i++) await page.click('#bp-next');
    const update = await explain();
    assert.match(update, new RegExp(`sample ${samples[0] + 1}\\b`), update);
    assert.doesNotMatch(update, /undefined/, update);
    // at the last step nothing is updated, and nothing reads "undefined"
    await page.click('#end');
    await page.waitForFunction(() => document.querySelector('#backprop')?.getAttribute('data-step') !== '3');
    for (let i = 0; i < 40 && /^(Step \d+ of the descent|Forward|Backward)/.test(await explain()); i++) await page.click('#bp-next');
    const last = await explain();
    assert.doesNotMatch(last, /undefined/, last);
    assert.match(last, /last step/, last);
  });

  it('Backprop: where a gradient arrives by several paths, each contribution shows the running total after it', async () => {
    await open('f(x) = x * x + x', { learningRate: 0.1, maxSteps: 10, start: { x: 3 } });
    await page.click('#reset');
    const explain = (): Promise<string> => page.locator('#backprop-explain').textContent().then((t) => t ?? '');
    const intoX: Array<{ product: number; now: number }> = [];
    for (let i = 0; i < 30; i++) {
      await page.click('#bp-next');
      const t = await explain();
      if (!/^Backward|^Forward|^Step/.test(t)) break;
      const m = /= ([-0-9.e]+), added into ∂f\/∂x \(now ([-0-9.e]+)\)/.exec(t);
      if (m) intoX.push({ product: Number(m[1]), now: Number(m[2]) });
    }
    // x reaches f three times: through + (1), and twice through × (x = 3 each); ∂f/∂x = 2x + 1 = 7
    assert.deepStrictEqual(intoX.map((c) => c.product).sort(), [1, 3, 3]);
    let running = 0;
    for (const c of intoX) {
      running += c.product;
      assert.strictEqual(c.now, running, `after adding ${c.product}: ${JSON.stringify(intoX)}`);
    }
    assert.strictEqual(running, 7);
  });

  it('in your names, each partial\'s chain carries its numbers at the step shown: a · b · c = the partial the step used, by hand at the start and two steps on', async () => {
    await open(fs.readFileSync(path.join(ROOT, 'examples', 'loss.py'), 'utf8'), { learningRate: 0.5, maxSteps: 20, start: { w: 1, b: 1 } }, 'python', 6);
    await page.click('#play'); // pause the descent
    await page.click('#reset');
    // loss = (a − 0.25)², a = σ(z), z = 3w + b: ∂loss/∂a = 2(a − 0.25), ∂a/∂z = a(1 − a), ∂z/∂w = 3, ∂z/∂b = 1
    const byHand = (w: number, b: number): number[][] => {
      const a = 1 / (1 + Math.exp(-(3 * w + b)));
      return [[2 * (a - 0.25), a * (1 - a), 3], [2 * (a - 0.25), a * (1 - a), 1]];
    };
    const check = async (step: number): Promise<void> => {
      await page.waitForFunction((k) => document.querySelector('#plot')?.getAttribute('data-step') === String(k), step);
      const [w, b] = hp.view.steps[step].point as number[];
      const expected = byHand(w, b);
      for (const i of [0, 1]) {
        const line = ((await page.locator(`#chain-values-${i}`).textContent()) ?? '').replace(/−/g, '-');
        const m = new RegExp(`^at step ${step}: ∂loss/∂${['w', 'b'][i]} = (\\S+) · (\\S+) · (\\S+) = (\\S+)$`).exec(line);
        assert.ok(m, line);
        const shown = m.slice(1).map(Number);
        expected[i].forEach((x, j) => assert.ok(Math.abs(shown[j] - x) <= 5e-6 * Math.abs(x), `${line}: factor ${j + 1} is ${x} by hand`));
        const product = expected[i].reduce((p, x) => p * x, 1);
        assert.ok(Math.abs(shown[3] - product) <= 5e-6 * Math.abs(product), `${line}: the product is ${product}`);
      }
    };
    await check(0);
    await page.click('#forward');
    await page.click('#forward');
    await check(2);
    // written out: the chain and its numbers go
    await page.click('#partials-written');
    assert.strictEqual(await page.locator('.chain-values').count(), 0);
  });

  it('logistic regression on two features: the samples by class and the decision boundary w·x + b = 0 at each step; ← → pick the sample whose term Backprop shows', async () => {
    const X = [[0.5, 1.5], [1, 1], [1.5, 0.5], [3, 0.5], [2, 2], [1, 2.5]];
    const Y = [0, 0, 0, 1, 1, 1];
    const src = `import numpy as np\nX_train = np.array(${JSON.stringify(X)})\ny_train = np.array(${JSON.stringify(Y)})\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n\ndef compute_cost_logistic(X, y, w, b):\n    m = X.shape[0]\n    cost = 0.0\n    for i in range(m):\n        z_i = np.dot(X[i], w) + b\n        f_wb_i = sigmoid(z_i)\n        cost += -y[i]*np.log(f_wb_i) - (1-y[i])*np.log(1-f_wb_i)\n    return cost / m\n\ncompute_cost_logistic(X_train, y_train, np.array([1.0, 1.0]), -3.0)\n`;
    await open(src, { learningRate: 0.5, maxSteps: 60 }, 'python', 9);
    await page.locator('#boundary').waitFor();
    assert.strictEqual(await page.locator('#fit').isHidden(), true, 'two inputs: no curve of y against one of them');
    await page.click('#reset');
    await page.waitForFunction(() => document.querySelector('#boundary')?.getAttribute('data-step') === '0');
    // at the start (w, b) = (1, 1, −3): the samples with x₁ + x₂ ≥ 3 are called 1, by hand
    const side = (w0: number, w1: number, b: number): number => X.filter((x, i) => (w0 * x[0] + w1 * x[1] + b >= 0) === (Y[i] === 1)).length;
    assert.strictEqual(Number(await page.locator('#boundary').getAttribute('data-correct')), side(1, 1, -3));
    assert.match((await page.locator('#boundary-caption').textContent()) ?? '', /y_train by X_train0 and X_train1|y by X0 and X1/);
    await page.click('#end');
    await page.waitForFunction(() => document.querySelector('#boundary')?.getAttribute('data-step') !== '0');
    const last = hp.view.steps[hp.view.steps.length - 1].point as number[];
    assert.strictEqual(Number(await page.locator('#boundary').getAttribute('data-correct')), side(last[0], last[1], last[2]));
    // the boundary drawn lies on w₀x₁ + w₁x₂ + b = 0 (σ = ½), to within the grid's interpolation
    const pts = JSON.parse((await page.locator('#boundary').getAttribute('data-boundary')) ?? '[]') as Array<[number, number]>;
    assert.ok(pts.length >= 10, `${pts.length} points on the boundary`);
    const norm = Math.hypot(last[0], last[1]);
    const worst = Math.max(...pts.map(([a, c]) => Math.abs(last[0] * a + last[1] * c + last[2]) / norm));
    assert.ok(worst < 0.02, `boundary points up to ${worst} off the line w·x + b = 0`);
    await page.locator('#boundary').screenshot({ path: path.join(OUT, 'webview-boundary.png') });
    // keyboard: → on the chart opens the next sample's term in Backprop; ← wraps round to the last
    await page.focus('#boundary-canvas');
    await page.keyboard.press('ArrowRight');
    for (let i = 0; i < 100 && hp.view.graphSample !== 1; i++) await page.waitForTimeout(30);
    assert.strictEqual(hp.view.graphSample, 1);
    await page.waitForFunction(() => /ringed: sample 2/.test(document.querySelector('#boundary-caption')?.textContent ?? ''));
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 100 && (hp.view.graphSample as number) !== 0; i++) await page.waitForTimeout(30);
    await page.waitForFunction(() => /ringed: sample 1\b/.test(document.querySelector('#boundary-caption')?.textContent ?? ''));
    await page.focus('#boundary-canvas');
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 100 && (hp.view.graphSample as number) !== 5; i++) await page.waitForTimeout(30);
    assert.strictEqual(hp.view.graphSample, 5);
  });

  it('3 parameters: trajectories per parameter and a slice over the two the user picks', async () => {
    await open('f(a, b, c) = a^2 + 2b^2 + 3c^2', { learningRate: 0.1, maxSteps: 20, start: { a: 1, b: 1, c: 1 } });
    await page.click('#play');
    assert.strictEqual(await page.locator('#trajectory').isVisible(), true);
    assert.match((await page.locator('#plot-caption').textContent()) ?? '', /slice of f through the current step over a and b/);
    await page.selectOption('#slice-x', 'c');
    const m = hp.last('slice');
    assert.ok(m && m.x === 'c' && m.y === 'b', JSON.stringify(m));
    await page.waitForFunction(() => /over c and b/.test(document.querySelector('#plot-caption')?.textContent ?? ''));
    const v = hp.view;
    assert.ok(v.plot.kind === 'contour' && v.plot.x.param === 'c' && v.plot.y.param === 'b');
  });

  it('a large graph starts with subtrees collapsed; a click expands one', async () => {
    const terms = Array.from({ length: 30 }, (_, i) => `sin(${i + 1}x + y)`).join(' + ');
    await open(`f(x, y) = ${terms}`, { learningRate: 0.01, maxSteps: 5, start: { x: 0.1, y: 0.2 } });
    await page.click('#play');
    const collapsed = page.locator('#backprop-graph g.node.collapsed');
    const n0 = await page.locator('#backprop-graph g.node').count();
    assert.ok((await collapsed.count()) > 0, 'some subtrees collapsed');
    assert.ok(n0 <= 60, `${n0} nodes visible`);
    await collapsed.first().click();
    assert.ok((await page.locator('#backprop-graph g.node').count()) > n0, 'expanding shows more nodes');
  });

  it('a theme change redraws the charts in the new colours', async () => {
    await open('f(x, y) = x^2 + 3y^2', { learningRate: 0.1, maxSteps: 10, start: { x: 2, y: 1 } });
    await page.click('#play');
    // pixels of pure green (no chart colour uses it) in the plot
    const green = (): Promise<number> => page.locator('#plot-canvas').evaluate((c: HTMLCanvasElement) => {
      const d = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 1] > 230 && d[i] < 40 && d[i + 2] < 40) n++;
      return n;
    });
    const before = await green();
    // what VS Code does on a theme change: new values for the --vscode-* variables
    await page.evaluate(() => document.documentElement.style.setProperty('--vscode-editor-foreground', 'rgb(0, 255, 0)'));
    const t0 = Date.now();
    let after = before;
    while (after <= before + 50 && Date.now() - t0 < 5000) after = await green();
    assert.ok(after > before + 50, `green pixels ${before} → ${after}: axis titles and legend follow the theme`);
  });

  it('a cost with no data: the partials over m samples, one sample\'s term and the bind line; "Bind data…" round-trips through the protocol to the picker, which binds arrays of matching length, and the panel shows the bound cost', async () => {
    const src = 'import numpy as np\nsizes = np.array([1.0, 2.0, 4.0])\nprices = np.array([2.0, 3.0, 9.0])\n\ndef squared_error(u, v, a, c):\n    m = len(u)\n    return sum((a * u[i] + c - v[i]) ** 2 for i in range(m)) / m\n';
    hp = await HostedPanel.open(browser, { width: 1100, height: 1400 }, errors);
    page = hp.page;
    host.config = { learningRate: 0.05, maxSteps: 20 };
    // data files beside the code: one of 3 rows (fits after u is chosen), one of 2 (does not), one that is not numbers
    host.files.set('/work/data/house.csv', new TextEncoder().encode('size,price\n1,2\n2,4\n3,7\n'));
    host.files.set('/work/small.csv', new TextEncoder().encode('1,2\n3,4\n'));
    host.files.set('/work/notes.txt', new TextEncoder().encode('a note, not numbers\n'));
    const doc = await hp.show('lab.py', src, 'python', 5);
    await page.locator('#unbound-view').waitFor();
    // ∂J/∂a and ∂J/∂c by hand: J = (1/m) Σ (a·u + c − v)², so ∂J/∂a = (2/m) Σ (a·u + c − v)·u, ∂J/∂c = (2/m) Σ (a·u + c − v)
    const labels = await page.locator('#unbound-partials .tex').evaluateAll((ds) => ds.map((d) => d.getAttribute('aria-label')));
    assert.deepStrictEqual(labels, [
      'partial derivative of squared_error with respect to a: (2/m) Σᵢ₌₁^m [(a · u⁽ⁱ⁾ + c − v⁽ⁱ⁾) · u⁽ⁱ⁾]',
      'partial derivative of squared_error with respect to c: (2/m) Σᵢ₌₁^m [a · u⁽ⁱ⁾ + c − v⁽ⁱ⁾]',
    ]);
    // one sample's term, (a·u + c − v)², and its partials 2(a·u + c − v)·u and 2(a·u + c − v)
    assert.match((await attr('#unbound-term', 'aria-label')) ?? '', /^squared_errorᵢ = \(a · u⁽ⁱ⁾ \+ c − v⁽ⁱ⁾\)²$/);
    const term = await page.locator('#unbound-term-partials .tex').evaluateAll((ds) => ds.map((d) => d.getAttribute('aria-label')));
    assert.deepStrictEqual(term, [
      'partial derivative of squared_errorᵢ with respect to a: 2(a · u⁽ⁱ⁾ + c − v⁽ⁱ⁾) · u⁽ⁱ⁾',
      'partial derivative of squared_errorᵢ with respect to c: 2(a · u⁽ⁱ⁾ + c − v⁽ⁱ⁾)',
    ]);
    assert.match((await page.locator('#bind-line').textContent()) ?? '', /^No data for u, v in the file: .*choose arrays \(the button beside this\)\. Bind data…$/);
    assert.strictEqual(hp.posted.filter((m) => m.type === 'problem').length, 0, 'no data is not a problem');
    await page.locator('#unbound-view').screenshot({ path: path.join(OUT, 'webview-no-data.png') });
    // the picker, answered as a user would: u ← sizes, then v ← prices
    const offered: Array<{ title: string; items: Array<{ label: string; source: string; samples: number }> }> = [];
    hp.controller.quickPick = async (items, options) => {
      offered.push({ title: options.title ?? '', items });
      return items.find((i) => i.source === (offered.length === 1 ? 'sizes' : 'prices'));
    };
    // malformed asks are dropped at the boundary; an argument the cost does not have opens no picker
    host.fromPage.fire({ type: 'chooseData', arg: '<img src=x>' });
    host.fromPage.fire({ type: 'chooseData', arg: 7 });
    assert.strictEqual(host.messages.filter((m) => /dropped a malformed message.*chooseData/.test(m)).length, 2);
    await hp.controller.chooseData({ uri: doc.uri as never, line: 4 }, 'w');
    assert.strictEqual(offered.length, 0);
    await page.click('#bind-data');
    await page.waitForFunction(() => /u ← sizes/.test(document.querySelector('#data-bindings')?.textContent ?? ''), undefined, { timeout: 10_000 });
    assert.deepStrictEqual(hp.received.filter((m) => m.type === 'chooseData'), [{ type: 'chooseData' }]);
    assert.deepStrictEqual(offered.map((o) => o.title), ['Bind data to u of squared_error (1 of 2)', 'Bind data to v of squared_error (2 of 2)']);
    const sources = (k: number): string[] => offered[k].items.map((i) => i.source).sort();
    assert.deepStrictEqual(sources(0), ['data/house.csv:price', 'data/house.csv:size', 'prices', 'sizes', 'small.csv:0', 'small.csv:1']);
    // once u has 3 samples, only what has 3 is offered for v
    assert.deepStrictEqual(sources(1), ['data/house.csv:price', 'data/house.csv:size', 'prices', 'sizes']);
    assert.match((await page.locator('#data-bindings').textContent()) ?? '', /u ← sizes \(3 samples, chosen\).*v ← prices \(3 samples, chosen\)/);
    assert.strictEqual(await page.locator('#unbound-view').isHidden(), true);
    // the descent is over the chosen arrays: ∂J/∂a and ∂J/∂c at the start, by a plain loop
    const u = [1, 2, 4];
    const v = [2, 3, 9];
    const [a0, c0] = hp.view.steps[0].point as number[];
    const ga = u.reduce((s, x, i) => s + 2 * (a0 * x + c0 - v[i]) * x, 0) / 3;
    const gc = u.reduce((s, x, i) => s + 2 * (a0 * x + c0 - v[i]), 0) / 3;
    const [sa, sc] = hp.view.steps[0].gradient as number[];
    assert.ok(Math.abs(sa - ga) < 1e-12 * (1 + Math.abs(ga)) && Math.abs(sc - gc) < 1e-12 * (1 + Math.abs(gc)), `${sa}, ${sc} vs ${ga}, ${gc}`);
    // the choice stays with the definition while the document is open: an edit re-reads it with the same data
    hp.edit(doc, src.replace('m = len(u)', 'm = len(u)  # samples'));
    await new Promise((r) => setTimeout(r, 600));
    assert.deepStrictEqual(hp.view.data?.map((d) => [d.arg, d.source, d.why]), [['u', 'sizes', 'option'], ['v', 'prices', 'option']]);
    // a column of a data file, for one argument only: v ← data/house.csv:price, u keeps sizes
    hp.controller.quickPick = async (items) => items.find((i) => i.source === 'data/house.csv:price');
    await hp.controller.chooseData({ uri: doc.uri as never, line: 4 }, 'v');
    await page.waitForFunction(() => /v ← data\/house\.csv:price/.test(document.querySelector('#data-bindings')?.textContent ?? ''), undefined, { timeout: 10_000 });
    const [a1, c1] = hp.view.steps[0].point as number[];
    const v2 = [2, 4, 7];
    const ga2 = u.reduce((s, x, i) => s + 2 * (a1 * x + c1 - v2[i]) * x, 0) / 3;
    assert.ok(Math.abs((hp.view.steps[0].gradient[0] as number) - ga2) < 1e-12 * (1 + Math.abs(ga2)));
    await page.locator('#function-view header').screenshot({ path: path.join(OUT, 'webview-data-chosen.png') });
  });

  it('a plain-number forward pass: "Parameters…" beside the formula round-trips through the protocol to the picker; holding w5 and freeing i1 re-reads the script, and the choice stays through an edit', async () => {
    const src = 'import math\n\ni1, i2 = 0.05, 0.10\nt1, t2 = 0.01, 0.99\nw1, w2, w3, w4 = 0.15, 0.20, 0.25, 0.30\nw5, w6, w7, w8 = 0.40, 0.45, 0.50, 0.55\nb1, b2 = 0.35, 0.60\n\nout_h1 = 1 / (1 + math.exp(-(w1 * i1 + w2 * i2 + b1)))\nout_h2 = 1 / (1 + math.exp(-(w3 * i1 + w4 * i2 + b1)))\nout_o1 = 1 / (1 + math.exp(-(w5 * out_h1 + w6 * out_h2 + b2)))\nout_o2 = 1 / (1 + math.exp(-(w7 * out_h1 + w8 * out_h2 + b2)))\nE_total = 0.5 * (t1 - out_o1) ** 2 + 0.5 * (t2 - out_o2) ** 2\n';
    await open(src, { learningRate: 0.5, maxSteps: 5 }, 'python', 13);
    await page.locator('#choose-roles').waitFor();
    const weights = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'b1', 'b2'];
    assert.deepStrictEqual(hp.view.params, weights);
    // the same forward pass by hand, and its central differences
    const n0: Record<string, number> = { i1: 0.05, i2: 0.1, t1: 0.01, t2: 0.99, w1: 0.15, w2: 0.2, w3: 0.25, w4: 0.3, w5: 0.4, w6: 0.45, w7: 0.5, w8: 0.55, b1: 0.35, b2: 0.6 };
    const total = (n: Record<string, number>): number => {
      const s = (z: number): number => 1 / (1 + Math.exp(-z));
      const h1 = s(n.w1 * n.i1 + n.w2 * n.i2 + n.b1);
      const h2 = s(n.w3 * n.i1 + n.w4 * n.i2 + n.b1);
      return 0.5 * (n.t1 - s(n.w5 * h1 + n.w6 * h2 + n.b2)) ** 2 + 0.5 * (n.t2 - s(n.w7 * h1 + n.w8 * h2 + n.b2)) ** 2;
    };
    const fd = (p: string): number => (total({ ...n0, [p]: n0[p] + 1e-6 }) - total({ ...n0, [p]: n0[p] - 1e-6 })) / 2e-6;
    // the picker, answered as a user would: untick w5, tick i1; asked again, the user cancels
    const offered: string[][] = [];
    hp.controller.rolePick = async (items) => {
      offered.push(items.map((i) => `${i.label}${i.picked ? '*' : ''}`));
      return offered.length === 1 ? items.filter((i) => (i.picked && i.name !== 'w5') || i.name === 'i1') : undefined;
    };
    await page.click('#choose-roles');
    for (const t0 = Date.now(); !hp.view.params.includes('i1') && Date.now() - t0 < 10_000;) await new Promise((r) => setTimeout(r, 50));
    assert.deepStrictEqual(offered, [['i1', 'i2', 't1', 't2', ...weights.map((w) => `${w}*`)]]);
    // a field the message does not have is dropped at the boundary; the picker shows the parameters now ticked
    host.fromPage.fire({ type: 'chooseRoles', names: '<img src=x>' });
    for (const t0 = Date.now(); offered.length < 2 && Date.now() - t0 < 5_000;) await new Promise((r) => setTimeout(r, 50));
    assert.deepStrictEqual(hp.received.filter((m) => m.type === 'chooseRoles'), [{ type: 'chooseRoles' }, { type: 'chooseRoles' }]);
    assert.deepStrictEqual(offered[1], ['i1*', 'i2', 't1', 't2', ...weights.map((w) => (w === 'w5' ? w : `${w}*`))]);
    const params = ['i1', ...weights.filter((w) => w !== 'w5')];
    assert.deepStrictEqual(hp.view.params, params);
    const g = hp.view.steps[0].gradient as number[];
    params.forEach((p, k) => assert.ok(Math.abs(g[k] - fd(p)) < 1e-8, `∂E/∂${p}: ${g[k]} vs ${fd(p)}`));
    // the choice stays while the document is open: an edit re-reads the script with it
    const doc = host.documents.find((d) => d.uri.path === '/work/test.py');
    assert.ok(doc);
    hp.edit(doc, src.replace('import math', 'import math  # worked example'));
    await new Promise((r) => setTimeout(r, 600));
    assert.deepStrictEqual(hp.view.params, params);
  });

  it('data bound by name is marked as a guess in the panel, with the picker button beside it', async () => {
    const src = 'import numpy as np\nx_train = np.array([1.0, 2.0, 3.0])\ny_train = np.array([2.0, 4.5, 6.0])\n\ndef compute_cost(x, y, w, b):\n    m = x.shape[0]\n    return sum((w * x[i] + b - y[i]) ** 2 for i in range(m)) / (2 * m)\n';
    await open(src, { learningRate: 0.05, maxSteps: 10 }, 'python', 5);
    await page.locator('#data-bindings').waitFor();
    assert.strictEqual(await page.locator('#data-bindings li.guess').count(), 2);
    assert.match((await page.locator('#data-bindings').textContent()) ?? '', /guessed by name.*x ← x_train \(3 samples, a guess by its name\)/);
    assert.strictEqual(await page.locator('#choose-data').textContent(), 'Not these? Choose data…');
  });

  it('malformed messages are dropped on both sides, and the panel keeps working', async () => {
    await open('f(w) = w^2', { learningRate: 0.1, maxSteps: 5, start: { w: 1 } });
    // host → webview: a broken view, raw HTML, a problem with markup in it
    await page.evaluate(() => { window.postMessage({ type: 'show', view: { kind: 'nope' } }, '*'); window.postMessage('<img src=x onerror=alert(1)>', '*'); window.postMessage({ type: 'problem', message: '<b>x</b>', location: 'f.txt:1:1' }, '*'); });
    await page.waitForFunction(() => /<b>x<\/b>/.test(document.querySelector('.problem')?.textContent ?? ''));
    assert.strictEqual(await page.locator('.problem b').count(), 0, 'text, not HTML');
    assert.strictEqual(await page.locator('img').count(), 0);
    assert.match((await page.locator('h1').textContent()) ?? '', /f\(w\)/);
    // webview → host: a negative learning rate and an unknown message are dropped by the controller
    const views = hp.posted.filter((m) => m.type === 'show').length;
    host.fromPage.fire({ type: 'setOptions', options: { learningRate: -1 } });
    host.fromPage.fire({ type: 'eval', code: 'process.exit(1)' });
    assert.strictEqual(host.messages.filter((m) => /dropped a malformed message/.test(m)).length, 2);
    assert.strictEqual(hp.posted.filter((m) => m.type === 'show').length, views, 'no new descent from a malformed message');
    assert.strictEqual(hp.view.options.learningRate, 0.1);
    // and the panel still steps
    await page.click('#reset');
    await page.click('#forward');
    assert.strictEqual(await attr('#plot', 'data-step'), '1');
  });

  it('a live edit of the function updates the open panel and keeps η', async () => {
    await open('f(w) = (w - 3)^2', { learningRate: 0.2, maxSteps: 30 });
    const doc = host.documents[0];
    hp.edit(doc, 'f(w) = (w - 5)^2');
    await page.waitForFunction(() => /w - 5|w-5/.test(document.querySelector('#formula')?.textContent?.replace(/−/g, '-') ?? ''), undefined, { timeout: 5000 });
    assert.strictEqual(hp.view.options.learningRate, 0.2);
    assert.ok(Math.abs((hp.view.steps[hp.view.steps.length - 1].point[0] as number) - 5) < 0.01, 'the descent now heads to w = 5');
  });

  it('an edit that breaks the function keeps the last view marked stale (a banner with the located message, announced politely; the charts dimmed and striped) until the code reads again', async () => {
    await open('f(w) = (w - 3)^2', { learningRate: 0.2, maxSteps: 30 });
    const doc = host.documents[0];
    const view = hp.view;
    const look = (): Promise<{ banner: string; role: string | null; live: string | null; marked: boolean; opacity: string; stripes: string }> => page.evaluate(() => {
      const stale = document.querySelector('#stale') as HTMLElement;
      return {
        banner: stale.textContent ?? '',
        role: stale.getAttribute('role'),
        live: stale.getAttribute('aria-live'),
        marked: document.body.classList.contains('stale-view'),
        opacity: getComputedStyle(document.querySelector('#plot-canvas') as HTMLElement).opacity,
        stripes: getComputedStyle(document.querySelector('#plot') as HTMLElement).backgroundImage,
      };
    });
    const fresh = await look();
    assert.deepStrictEqual([fresh.banner, fresh.marked, fresh.opacity, fresh.stripes], ['', false, '1', 'none'], 'a fresh view is not marked');
    // '*' after '+' is column 17 of line 1
    hp.edit(doc, 'f(w) = (w - 3) +* 2');
    await page.waitForFunction(() => (document.querySelector('#stale')?.textContent ?? '') !== '', undefined, { timeout: 5000 });
    const broken = await look();
    assert.strictEqual(broken.banner, "Stale: test.txt:1:17: unexpected operator '*'. The panel shows the definition as it last read, until the code reads again.");
    assert.deepStrictEqual([broken.role, broken.live, broken.marked], ['status', 'polite', true]);
    assert.strictEqual(broken.opacity, '0.5', 'the chart dimmed');
    assert.match(broken.stripes, /repeating-linear-gradient/, 'the chart striped');
    assert.strictEqual(await page.locator('.problem[role="alert"]').isVisible(), false, 'no alert: the banner says it');
    await page.screenshot({ path: path.join(OUT, 'webview-stale.png') });
    // the view is the last good one: the same descent to w = 3
    assert.strictEqual(hp.view, view, 'the host keeps the last good view');
    assert.match((await page.locator('#formula').textContent())?.replace(/−/g, '-').replace(/\s/g, '') ?? '', /w-3/);
    // a new η redraws the last good definition: still stale
    host.fromPage.fire({ type: 'setOptions', options: { learningRate: 0.1 } });
    await page.waitForFunction(() => (document.querySelector('#lr-typed') as HTMLInputElement | null)?.value === '0.1', undefined, { timeout: 5000 });
    assert.strictEqual((await look()).marked, true, 'still stale after the redraw');
    hp.edit(doc, 'f(w) = (w - 5)^2');
    await page.waitForFunction(() => /w - 5|w-5/.test(document.querySelector('#formula')?.textContent?.replace(/−/g, '-') ?? ''), undefined, { timeout: 5000 });
    const again = await look();
    assert.deepStrictEqual([again.banner, again.marked, again.opacity, again.stripes], ['', false, '1', 'none'], 'fresh once it reads');
  });

  it('a file outside the workspace is named by its name, not by a long temporary path', async () => {
    hp = await HostedPanel.open(browser, { width: 900, height: 1000 }, errors);
    page = hp.page;
    host.config = {};
    await hp.show('/tmp/gl-scratch-5c1e/notes.txt', 'f(w) = (w - 3)^2', 'plaintext', 1);
    await page.locator('#status').waitFor();
    assert.strictEqual(await page.locator('#function-view h1').textContent(), 'f(w) — notes.txt');
    await hp.show('sub/dir/loss.txt', 'g(w) = w^2', 'plaintext', 1);
    await page.waitForFunction(() => /g\(w\)/.test(document.querySelector('#function-view h1')?.textContent ?? ''));
    assert.strictEqual(await page.locator('#function-view h1').textContent(), 'g(w) — sub/dir/loss.txt', 'inside the workspace: relative');
  });

  it('a click on a graph node selects its whole source text in the editor, brackets balanced', async () => {
    await open('f(w) = (w - 3)^2', { learningRate: 0.1, maxSteps: 5 });
    await page.click('#play');
    const texts = await page.locator('#backprop-graph text.op').allTextContents();
    assert.ok(texts.every((t) => (t.match(/\(/g) ?? []).length === (t.match(/\)/g) ?? []).length), texts.join(' | '));
    const out = hp.view.graph.output;
    await page.locator(`#backprop-graph g[data-node="${out}"]`).click();
    await page.waitForFunction(() => true);
    const t0 = Date.now();
    while (host.selections.length === 0 && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 20));
    const sel = host.selections.pop();
    assert.ok(sel);
    assert.strictEqual(host.documents[0].getText().slice(sel.start, sel.end), '(w - 3)^2');
  });
});

describe('the panel narrow, by keyboard and for screen readers', function () {
  this.timeout(90_000);
  let browser: Browser;
  let hp: HostedPanel;
  const errors: string[] = [];
  before(async () => { browser = await launchChromium(); });
  after(async () => { await browser?.close(); });
  afterEach(async () => {
    hp?.dispose();
    await hp?.page.close();
    assert.deepStrictEqual(errors.splice(0), [], 'no page errors');
  });

  const overflow = (page: Page): Promise<number> => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  it('at 320 px wide nothing overflows sideways and the charts fit; widening and narrowing resizes them', async () => {
    hp = await HostedPanel.open(browser, { width: 320, height: 1200 }, errors);
    const page = hp.page;
    host.config = { learningRate: 0.1, maxSteps: 30 };
    await hp.show('f.txt', 'g(x, y) = x^2 + 3y^2', 'plaintext', 1);
    await page.locator('#status').waitFor();
    await page.click('#play');
    assert.ok((await overflow(page)) <= 0, `horizontal overflow ${await overflow(page)} px`);
    const w320 = await page.locator('#plot-canvas').evaluate((c) => c.getBoundingClientRect().width);
    assert.ok(w320 <= 320 - 16 && w320 > 200, `plot ${w320} px wide in a 320 px panel`);
    await page.screenshot({ path: path.join(OUT, 'webview-320px.png'), fullPage: true });
    await page.setViewportSize({ width: 1000, height: 1200 });
    await page.waitForFunction(() => (document.querySelector('#plot-canvas') as HTMLElement).getBoundingClientRect().width > 450);
    await page.setViewportSize({ width: 400, height: 1200 });
    await page.waitForFunction(() => (document.querySelector('#plot-canvas') as HTMLElement).getBoundingClientRect().width <= 400 - 16);
    assert.ok((await overflow(page)) <= 0, 'no overflow after narrowing again');
  });

  /** examples/logistic_regression.py's cost in a panel `width` px wide, at η = 0.5 for 30 steps. */
  const logisticAt = async (width: number): Promise<Page> => {
    hp = await HostedPanel.open(browser, { width, height: 1600 }, errors);
    host.config = { learningRate: 0.5, maxSteps: 30 };
    await hp.show('logistic_regression.py', fs.readFileSync(path.join(ROOT, 'examples', 'logistic_regression.py'), 'utf8'), 'python', 12);
    return hp.page;
  };

  it('a cost over data at 320 px wide: the decision boundary chart fits, the Backprop graph with its Σ scrolls inside its own box, nothing overflows the panel', async () => {
    const page = await logisticAt(320);
    await page.locator('#boundary:not([hidden])').waitFor();
    await page.locator('#bp-sum').waitFor();
    assert.ok((await overflow(page)) <= 0, `horizontal overflow ${await overflow(page)} px`);
    const w = await page.locator('#boundary-canvas').evaluate((c) => c.getBoundingClientRect().width);
    assert.ok(w <= 320 - 16 && w > 200, `boundary chart ${w} px wide in a 320 px panel`);
    await page.screenshot({ path: path.join(OUT, 'webview-320px-data.png'), fullPage: true });
    await page.locator('#boundary').screenshot({ path: path.join(OUT, 'webview-320px-boundary.png') });
    await page.locator('#backprop').screenshot({ path: path.join(OUT, 'webview-320px-backprop.png') });
  });

  it('logistic regression at 400 px: the partials typeset as a textbook (w₀, X₀⁽ⁱ⁾, no literal underscore), wrapped, with no scrollbar', async () => {
    const page = await logisticAt(400);
    await page.locator('#partials .katex').first().waitFor();
    const typeset = async (): Promise<Array<{ text: string }>> => {
      const shown = await page.locator('#partials .tex, #formula').evaluateAll((els) => els.map((e) => ({
        text: (e.querySelector('.katex-html')?.textContent ?? e.textContent ?? '').replace(/\u200b/g, ''),
        katex: e.querySelector('.katex') !== null,
        scroll: e.scrollWidth - e.clientWidth,
        // a scrollbar takes room from the box: width for ▲▼, height for ◀▶
        bars: (e as HTMLElement).offsetWidth - e.clientWidth + (e as HTMLElement).offsetHeight - e.clientHeight,
      })));
      assert.strictEqual(shown.length, 4, 'the formula and three partials');
      for (const s of shown) {
        assert.ok(s.katex, `typeset: ${s.text}`);
        assert.ok(!s.text.includes('_'), `no literal underscore: ${s.text}`);
        assert.ok(s.scroll <= 0 && s.bars === 0, `no scrollbar (${s.scroll} px to scroll across, ${s.bars} px of scrollbars): ${s.text}`);
      }
      return shown;
    };
    // in the code's names first (the chain rule through f_wb_i and z_i, then (f_wb⁽ⁱ⁾ − y⁽ⁱ⁾)·X₀⁽ⁱ⁾), then written out
    assert.match((await typeset())[1].text, /\(fwb\(i\)−y\(i\)\)⋅X0\(i\)/);
    await page.click('#partials-written');
    // w[0] is w₀ (a subscript 0 after w), the sample's data X₀⁽ⁱ⁾ and y⁽ⁱ⁾
    assert.match((await typeset())[1].text, /σ\(X0\(i\)⋅w0\+X1\(i\)⋅w1\+b\)−y\(i\)\)⋅X0\(i\)/);
    assert.ok((await overflow(page)) <= 0, `horizontal overflow ${await overflow(page)} px`);
    await page.locator('header.formula', { has: page.locator('#partials') }).screenshot({ path: path.join(OUT, 'webview-400px-partials.png') });
    await page.locator('#backprop').screenshot({ path: path.join(OUT, 'webview-400px-backprop.png') });
  });

  it('partials in your names or written out: a toggle of two buttons, aria-pressed, by keyboard; none where the code names nothing', async () => {
    hp = await HostedPanel.open(browser, { width: 1000, height: 1400 }, errors);
    let page = hp.page;
    host.config = { learningRate: 0.5, maxSteps: 30 };
    await hp.show('logistic_regression.py', fs.readFileSync(path.join(ROOT, 'examples', 'logistic_regression.py'), 'utf8'), 'python', 12);
    await page.locator('#partials .katex').first().waitFor();
    const attr = (sel: string, name: string): Promise<string | null> => page.locator(sel).getAttribute(name);
    const label = (): Promise<string | null> => attr('#partials .tex[data-param="w[0]"]', 'aria-label');
    const pressed = async (): Promise<Array<string | null>> => [await attr('#partials-names', 'aria-pressed'), await attr('#partials-written', 'aria-pressed')];
    // the code's names lead: the chain rule through them, then its short form
    assert.deepStrictEqual(await pressed(), ['true', 'false']);
    assert.strictEqual(await label(), 'partial derivative of compute_cost_logistic with respect to w[0]: (1/m) Σᵢ₌₁^m [∂cost⁽ⁱ⁾/∂f_wb⁽ⁱ⁾ · ∂f_wb⁽ⁱ⁾/∂z⁽ⁱ⁾ · ∂z⁽ⁱ⁾/∂w[0]] = (1/m) Σᵢ₌₁^m [(f_wb⁽ⁱ⁾ − y⁽ⁱ⁾) · X₀⁽ⁱ⁾],  m = 6');
    // by keyboard: Tab from the names button to the other, Space presses it
    await page.focus('#partials-names');
    await page.keyboard.press('Tab');
    assert.strictEqual(await page.evaluate(() => document.activeElement?.id), 'partials-written');
    await page.keyboard.press('Space');
    assert.deepStrictEqual(await pressed(), ['false', 'true']);
    assert.strictEqual(await label(), 'partial derivative of compute_cost_logistic with respect to w[0]: (1/m) Σᵢ₌₁^m [(σ(X₀⁽ⁱ⁾ · w[0] + X₁⁽ⁱ⁾ · w[1] + b) − y⁽ⁱ⁾) · X₀⁽ⁱ⁾],  m = 6');
    await page.focus('#partials-names');
    await page.keyboard.press('Enter');
    assert.deepStrictEqual(await pressed(), ['true', 'false']);
    assert.match((await label()) ?? '', /\(f_wb⁽ⁱ⁾ − y⁽ⁱ⁾\) · X₀⁽ⁱ⁾\],  m = 6$/);
    assert.deepStrictEqual(await axeProblems(page), [], 'axe finds no serious problem with the toggle');
    hp.dispose();
    await page.close();
    // a function that names no intermediate: the written-out form, no toggle
    hp = await HostedPanel.open(browser, { width: 1000, height: 1400 }, errors);
    page = hp.page;
    host.config = { learningRate: 0.1, maxSteps: 5 };
    await hp.show('f.txt', 'f(w) = (w - 3)^2 + 1', 'plaintext', 1);
    await page.locator('#partials .katex').first().waitFor();
    assert.strictEqual(await page.locator('#partials-names').count(), 0);
    assert.strictEqual(await attr('#partials .tex', 'aria-label'), 'partial derivative of f with respect to w: 2(w − 3)');
  });

  it('Backprop "Fit" never shrinks the labels below 11 px: a graph wider than the panel keeps them and scrolls; a small one fills the width', async () => {
    hp = await HostedPanel.open(browser, { width: 400, height: 1600 }, errors);
    const page = hp.page;
    host.config = { learningRate: 0.5, maxSteps: 30 };
    await hp.show('logistic_regression.py', fs.readFileSync(path.join(ROOT, 'examples', 'logistic_regression.py'), 'utf8'), 'python', 12);
    await page.locator('#bp-sum').waitFor();
    // the labels' size on screen: their font size times the SVG's scale (its drawn width over its viewBox's)
    const seen = (): Promise<{ px: number; scrollable: number; client: number; svg: number }> => page.evaluate(() => {
      const svg = document.querySelector('#backprop-graph') as SVGSVGElement;
      const label = svg.querySelector('text.op') as SVGTextElement;
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      const box = svg.parentElement as HTMLElement;
      return { px: parseFloat(getComputedStyle(label).fontSize) * scale, scrollable: box.scrollWidth - box.clientWidth, client: box.clientWidth, svg: svg.getBoundingClientRect().width };
    });
    const zoom = page.locator('#bp-zoom');
    // choose Fit (the button names what a click does: 'Fit' at full size, '100%' when fitted)
    if ((await zoom.textContent()) === 'Fit') await zoom.click();
    assert.strictEqual(await zoom.textContent(), '100%', 'fitted');
    const fitted = await seen();
    assert.ok(fitted.px >= 11, `labels ${fitted.px.toFixed(1)} px after Fit`);
    assert.ok(fitted.scrollable > 0, `the graph (${fitted.svg} px) scrolls in its ${fitted.client} px box`);
    const scrolled = await page.locator('#backprop-graph').evaluate((svg) => { const box = svg.parentElement as HTMLElement; box.scrollLeft = 200; return box.scrollLeft; });
    assert.strictEqual(scrolled, 200, 'it scrolls across');
    // a graph narrower than the panel is still fitted to its width
    await page.setViewportSize({ width: 1000, height: 1600 });
    await hp.show('functions.txt', 'f(w) = (w - 3)^2', 'plaintext', 1);
    await page.waitForFunction(() => (document.querySelector('#backprop-graph')?.querySelectorAll('g.node').length ?? 0) < 6);
    if ((await zoom.textContent()) === 'Fit') await zoom.click();
    const small = await seen();
    assert.ok(Math.abs(small.svg - small.client) <= 1 && small.px >= 11, `a small graph fills its box: ${small.svg} of ${small.client} px, labels ${small.px.toFixed(1)} px`);
  });

  it('equal axis scales on the contour: one unit is as many pixels across as up; the toggle turns it off', async () => {
    hp = await HostedPanel.open(browser, { width: 1000, height: 1200 }, errors);
    const page = hp.page;
    host.config = { learningRate: 0.1, maxSteps: 30 };
    await hp.show('f.txt', 'g(x, y) = x^2 + 3y^2', 'plaintext', 1);
    await page.locator('#status').waitFor();
    // units per pixel across and up, as the plot last laid itself out
    const unitsPerPixel = (): Promise<[number, number]> => page.evaluate(() => JSON.parse((document.querySelector('#plot-canvas') as HTMLElement).dataset.scale ?? '[0,0]') as [number, number]);
    await page.waitForFunction(() => {
      const [ux, uy] = JSON.parse((document.querySelector('#plot-canvas') as HTMLElement).dataset.scale ?? '[0,1]') as number[];
      return Math.abs(ux - uy) <= 0.01 * ux;
    }, undefined, { timeout: 5000 });
    const [ux, uy] = await unitsPerPixel();
    assert.ok(Math.abs(ux - uy) <= 0.01 * ux, `${ux} vs ${uy}`);
    await page.click('#equal-axes');
    await page.waitForFunction(() => {
      const [a, b] = JSON.parse((document.querySelector('#plot-canvas') as HTMLElement).dataset.scale ?? '[0,0]') as number[];
      return Math.abs(a - b) > 0.05 * a;
    }, undefined, { timeout: 5000 });
  });

  it('keyboard: Tab never drops focus to the page while the descent plays; shortcuts are listed; axe finds no serious problem', async () => {
    hp = await HostedPanel.open(browser, { width: 900, height: 1400 }, errors);
    const page = hp.page;
    host.config = { learningRate: 0.01, maxSteps: 400 };
    await hp.show('f.txt', 'g(x, y) = x^2 + 3y^2', 'plaintext', 1);
    await page.locator('#status').waitFor();
    assert.match((await page.locator('#keys').textContent()) ?? '', /Space play\/pause · ← → one step · Home start · End last step/);
    // playing (400 steps at 50 steps/s): walk the whole page with Tab
    await page.focus('#play');
    const seen: string[] = [];
    // to the last control (the step table's summary); focus may leave the page only after it
    while (seen.filter((t) => t === 'SUMMARY#').length < 2 && seen.length < 60) {
      await page.keyboard.press('Tab');
      // a few animation frames pass between key presses, as for a person
      await page.waitForTimeout(60);
      const tag = await page.evaluate(() => document.activeElement ? `${document.activeElement.tagName}#${document.activeElement.id}` : 'none');
      seen.push(tag);
      assert.ok(!/^BODY/.test(tag) && tag !== 'none', `focus fell to ${tag} after ${seen.join(' → ')}`);
    }
    assert.ok(await page.evaluate(() => document.getElementById('play')?.textContent === '❚❚ Pause'), 'still playing throughout');
    assert.ok(seen.includes('INPUT#log-loss'), seen.join(' → '));
    // keys: End jumps to the last step, Home back to the start
    await page.focus('#plot-canvas').catch(() => undefined);
    await page.locator('h1').click();
    await page.keyboard.press('End');
    assert.strictEqual(await page.locator('#plot').getAttribute('data-step'), String(hp.view.steps.length - 1));
    await page.keyboard.press('Home');
    assert.strictEqual(await page.locator('#plot').getAttribute('data-step'), '0');
    // formulas are named for screen readers
    assert.strictEqual(await page.locator('#formula').getAttribute('aria-label'), 'g(x, y) equals x^2 + 3y^2');
    assert.match((await page.locator('#partials .tex').first().getAttribute('aria-label')) ?? '', /^partial derivative of g with respect to x: 2x$/);
    assert.deepStrictEqual(await axeProblems(page), []);
  });
});

/** KaTeX's text as plain math: no spaces, ASCII minus signs. */
function plainMath(t: string): string {
  return t.replace(/[\s\u200b]/g, '').replace(/−/g, '-');
}

/** The last `= a − b × c = d` of an update line, each number with half a unit in its last shown digit (fmt's six significant digits). */
function arithmetic(line: string): Array<{ value: number; half: number }> {
  const m = /=(-?[0-9.]+)-([0-9.]+)×\(?(-?[0-9.]+)\)?=(-?[0-9.]+)$/.exec(line);
  assert.ok(m, `a − b × c = d at the end of: ${line}`);
  return m.slice(1).map((s) => {
    const value = Number(s);
    return { value, half: value === 0 ? 0 : 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(value))) - 5) };
  });
}
