/**
 * The built webview alone in Debian's Chromium (playwright-core): a page
 * hosts dist/webview.js with a stand-in for acquireVsCodeApi, and this test
 * plays the host: it answers the webview's intents with views computed by the
 * core, exactly as the extension does.
 */
import * as assert from 'assert';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { OUT, launchChromium, openPanelPage } from './harness';
import { findFunction } from '../../src/core/find';
import { ViewOptions, functionView } from '../../src/core/viewModel';
import { graphAt } from '../../src/core/analysis';
import type { FromWebviewMessage, FunctionView } from '../../src/protocol';
import { acceptance } from '../unit/helpers';

class Host {
  view: FunctionView | undefined;
  received: FromWebviewMessage[] = [];
  constructor(readonly page: Page, readonly source: string, readonly options: ViewOptions, readonly language = 'plaintext', readonly line = 1) {}
  show(): Promise<void> {
    const def = findFunction(this.source, this.language, this.line);
    this.view = functionView(def, 'test.txt', this.options, this.source);
    return this.page.evaluate((m) => window.postMessage(m, '*'), { type: 'show', view: this.view, restore: { uri: 'file:///test.txt', line: 0 } });
  }
  async receive(m: FromWebviewMessage): Promise<void> {
    this.received.push(m);
    if (m.type === 'setOptions') {
      Object.assign(this.options, { ...m.options, start: { ...this.options.start, ...(m.options.start ?? {}) } });
      await this.show();
    } else if (m.type === 'slice') {
      this.options.slice = { x: m.x, y: m.y, step: m.step };
      await this.show();
    } else if (m.type === 'step' && this.view) {
      const def = findFunction(this.source, this.language, this.line);
      const s = this.view.steps[m.step];
      const point = Object.fromEntries(this.view.params.map((p, i) => [p, s.point[i] as number]));
      await this.page.evaluate((g) => window.postMessage(g, '*'), { type: 'graph', step: m.step, graph: graphAt(def, point, this.source) });
    }
  }
}

describe('webview in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  let host: Host;
  const errors: string[] = [];

  const open = async (source: string, options: ViewOptions, language = 'plaintext', line = 1): Promise<void> => {
    // openPanelPage resolves only after the webview posted `ready`
    page = await openPanelPage(browser, { width: 1100, height: 1400 }, (m: FromWebviewMessage) => (host as Host | undefined)?.receive(m), errors);
    host = new Host(page, source, options, language, line);
    await host.show();
    await page.locator('#status').waitFor();
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
    await page?.close();
    assert.deepStrictEqual(errors.splice(0), [], 'no page errors');
  });

  it('1-D: play draws the path, pause holds it, step and back move one step, reset returns to the start', async () => {
    await open('f(w) = (w - 3)^2 + 1', { learningRate: 0.1, maxSteps: 60, optimizer: 'gd', start: { w: 0 } });
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
    await open('f(w) = (w - 3)^2 + 1', { learningRate: 0.1, maxSteps: 30, optimizer: 'gd', start: { w: 0 } });
    await page.click('#play');
    const box = await page.locator('#plot-canvas').boundingBox();
    assert.ok(box);
    await page.mouse.click(box.x + box.width * 0.92, box.y + box.height * 0.5);
    await page.waitForFunction(() => (JSON.parse(document.querySelector('#plot')?.getAttribute('data-path') ?? '[[0]]') as number[][])[0][0] !== 0);
    const w0 = (await path1())[0][0];
    assert.ok(w0 > 3, `clicked right of the minimum: start ${w0}`);
    assert.strictEqual(host.options.start.w, w0);
  });

  it('the learning-rate slider asks the host for a new descent, and the path changes', async () => {
    await open('f(w) = (w - 3)^2 + 1', { learningRate: 0.1, maxSteps: 30, optimizer: 'gd', start: { w: 0 } });
    await page.click('#play'); // pause
    await page.click('#reset');
    await page.click('#forward');
    const first = (await path1())[1][0];
    assert.ok(Math.abs(first - 0.6) < 1e-6);
    // log slider: 10^-0.5 ≈ 0.316
    await page.locator('#lr').evaluate((e: HTMLInputElement) => { e.value = '-0.5'; e.dispatchEvent(new Event('input')); e.dispatchEvent(new Event('change')); });
    await page.waitForFunction(() => /0\.316/.test(document.querySelector('#lr-value')?.textContent ?? ''));
    const m = host.received.filter((x) => x.type === 'setOptions').pop();
    assert.ok(m && m.type === 'setOptions' && Math.abs((m.options.learningRate as number) - 0.316228) < 1e-5);
    await page.click('#play');
    await page.click('#play');
    await page.click('#reset');
    await page.click('#forward');
    const moved = (await path1())[1][0];
    assert.ok(Math.abs(moved - 0.316228 * 6) < 1e-4, `w₁ = η·6 = ${moved}`);
  });

  it('the panel reports the last step when the animation reaches it', async () => {
    await open('f(w) = (w - 3)^2', { learningRate: 0.5, maxSteps: 10, optimizer: 'gd', start: { w: 0 } });
    await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'finished'));
    const f = host.received.find((m) => m.type === 'finished');
    assert.ok(f && f.type === 'finished');
    assert.strictEqual(f.step, (host.view as FunctionView).steps.length - 1);
    assert.strictEqual(f.status, 'converged');
    assert.match((await page.locator('#status').textContent()) ?? '', /converged after 1 steps/);
  });

  it('2-D: a click on the contour moves the start point there', async () => {
    await open('f(x, y) = x^2 + 3y^2', { learningRate: 0.1, maxSteps: 40, optimizer: 'gd', start: { x: 2, y: 1 } });
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
    const s = host.received.filter((m) => m.type === 'setOptions').pop();
    assert.ok(s && s.type === 'setOptions' && s.options.start);
    const start = { ...host.options.start };
    const p = await path1();
    assert.ok(Math.abs(p[0][0] - start.x) < 1e-4 && Math.abs(p[0][1] - start.y) < 1e-4);
    // left-lower part of the plot: x below the old start, y below it too
    assert.ok(start.x < 2 && start.y < 1, JSON.stringify(start));
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(OUT, 'webview-2d.png') });
  });

  it('Backprop view on the multi-statement Python example: forward then backward changes the highlighted node and the numbers shown', async () => {
    const source = acceptance<{ id: string; source: string }>('functions.json').find((c) => c.id === 'python-multi-statement')?.source as string;
    await open(source, { learningRate: 0.1, maxSteps: 20, optimizer: 'gd', start: { w: 0.2, b: -0.1 } }, 'python', 3);
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
    assert.ok(gradsShown.some((t) => /∂f\/∂· [-0-9]/.test(t)), 'some gradients are known now');
    // the first descent step moves the graph to the next point; the values shown follow
    const before = await page.locator('#backprop-graph g[data-node="0"] text').nth(1).textContent();
    await page.click('#forward');
    await page.waitForFunction((b) => document.querySelector('#backprop-graph g[data-node="0"] text:nth-of-type(2)')?.textContent !== b, before);
    assert.ok(gradsShown.some((t) => /\?$/.test(t)), 'and some are still to come');
    await bp.screenshot({ path: path.join(OUT, 'webview-backprop.png') });
  });

  it('3 parameters: trajectories per parameter and a slice over the two the user picks', async () => {
    await open('f(a, b, c) = a^2 + 2b^2 + 3c^2', { learningRate: 0.1, maxSteps: 20, optimizer: 'gd', start: { a: 1, b: 1, c: 1 } });
    await page.click('#play');
    assert.strictEqual(await page.locator('#trajectory').isVisible(), true);
    assert.match((await page.locator('#plot-caption').textContent()) ?? '', /slice through the current step over a and b/);
    await page.selectOption('#slice-x', 'c');
    const m = host.received.filter((x) => x.type === 'slice').pop();
    assert.ok(m && m.type === 'slice' && m.x === 'c' && m.y === 'b', JSON.stringify(m));
    await page.waitForFunction(() => /over c and b/.test(document.querySelector('#plot-caption')?.textContent ?? ''));
    const v = host.view as FunctionView;
    assert.ok(v.plot.kind === 'contour' && v.plot.x.param === 'c' && v.plot.y.param === 'b');
  });

  it('a large graph starts with subtrees collapsed; a click expands one', async () => {
    const terms = Array.from({ length: 30 }, (_, i) => `sin(${i + 1}x + y)`).join(' + ');
    await open(`f(x, y) = ${terms}`, { learningRate: 0.01, maxSteps: 5, optimizer: 'gd', start: { x: 0.1, y: 0.2 } });
    await page.click('#play');
    const collapsed = page.locator('#backprop-graph g.node.collapsed');
    const n0 = await page.locator('#backprop-graph g.node').count();
    assert.ok((await collapsed.count()) > 0, 'some subtrees collapsed');
    assert.ok(n0 <= 60, `${n0} nodes visible`);
    await collapsed.first().click();
    assert.ok((await page.locator('#backprop-graph g.node').count()) > n0, 'expanding shows more nodes');
  });

  it('a theme change redraws the charts in the new colours', async () => {
    await open('f(x, y) = x^2 + 3y^2', { learningRate: 0.1, maxSteps: 10, optimizer: 'gd', start: { x: 2, y: 1 } });
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
    await page.waitForTimeout(300);
    const after = await green();
    assert.ok(after > before + 50, `green pixels ${before} → ${after}: axis titles and legend follow the theme`);
  });

  it('malformed messages from the host are dropped without breaking the panel', async () => {
    await open('f(w) = w^2', { learningRate: 0.1, maxSteps: 5, optimizer: 'gd', start: { w: 1 } });
    await page.evaluate(() => { window.postMessage({ type: 'show', view: { kind: 'nope' } }, '*'); window.postMessage('<img src=x onerror=alert(1)>', '*'); window.postMessage({ type: 'problem', message: '<b>x</b>', location: 'f.txt:1:1' }, '*'); });
    await page.waitForTimeout(200);
    assert.strictEqual(await page.locator('.problem b').count(), 0, 'text, not HTML');
    assert.match((await page.locator('.problem').textContent()) ?? '', /<b>x<\/b>/);
    assert.match((await page.locator('h1').textContent()) ?? '', /f\(w\)/);
    errors.splice(0); // console.warn of dropped messages is expected; errors would fail above
  });
});
