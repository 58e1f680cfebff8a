/**
 * Hosts the built webview in a plain page for Chromium: the page loads
 * dist/webview.js with a stand-in for acquireVsCodeApi that hands every
 * posted message to the test, which plays the extension host.
 */
import * as perfHooks from 'perf_hooks';
import * as v8 from 'v8';
import * as vm from 'vm';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FromWebviewMessage } from '../../src/protocol';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const OUT = path.join(ROOT, 'test-output');

export function launchChromium(): Promise<Browser> {
  fs.mkdirSync(OUT, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--allow-file-access-from-files'],
  });
}

function pageHtml(): string {
  const f = (p: string): string => 'file://' + path.join(ROOT, p);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Gradient Lens — test</title>
<link rel="stylesheet" href="${f('dist/katex/katex.min.css')}"><link rel="stylesheet" href="${f('media/panel.css')}">
<script>
  window.__posted = [];
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => { window.__posted.push(m); window.hostReceive && window.hostReceive(m); },
    setState: (s) => { window.__state = s; }, getState: () => window.__state,
  });
</script></head><body><main id="app"></main><script src="${f('dist/webview.js')}"></script></body></html>`;
}

/** A new page with the panel loaded; `receive` gets each message the webview posts. Resolves once it said `ready`. */
export async function openPanelPage(browser: Browser, viewport: { width: number; height: number }, receive: (m: FromWebviewMessage) => unknown, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.exposeFunction('hostReceive', receive);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gl-webview-')), 'panel.html');
  fs.writeFileSync(file, pageHtml());
  await page.goto('file://' + file);
  await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
  return page;
}

/** axe-core's serious and critical findings on the page, as `rule: targets` lines. */
export async function axeProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** Milliseconds this thread has run on a core (Linux's schedstat; NaN elsewhere, and then a late tick counts whole). */
function threadRanMs(): number {
  try {
    return Number(fs.readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

/** A stretch the host's event loop was late by more than 20 ms: how long, how much of it the thread ran, and how much was garbage collection. */
export interface HostBlock { all: number; ran: number; gc: number }

/**
 * The host's event loop (this process stands in for the extension host), sampled every 10 ms until
 * `stop`: a late tick is a task that blocked it, the garbage collector's pauses (which this long-lived
 * test process, Playwright's client and every message kept for the assertions, inflates far past an
 * extension host's), or the thread waiting for a core while Chromium and a worker use both. What the
 * thread ran during the tick (Linux's per-thread schedstat) tells work from waiting; `work` is the
 * longest stretch of it, collections apart.
 */
export function hostBlockProbe(): { stop(): { blocks: HostBlock[]; work: number; said: string } } {
  const ticks: Array<{ from: number; to: number; ran: number }> = [];
  const gcs: Array<{ from: number; to: number }> = [];
  const observer = new perfHooks.PerformanceObserver((list) => { for (const e of list.getEntries()) gcs.push({ from: e.startTime, to: e.startTime + e.duration }); });
  observer.observe({ entryTypes: ['gc'] });
  let last = performance.now();
  let lastRan = threadRanMs();
  const timer = setInterval(() => {
    const now = performance.now();
    const ran = threadRanMs();
    ticks.push({ from: last + 10, to: now, ran: ran - lastRan });
    last = now;
    lastRan = ran;
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      observer.disconnect();
      const gcIn = (t: { from: number; to: number }): number => gcs.reduce((sum, g) => sum + Math.max(0, Math.min(t.to, g.to) - Math.max(t.from, g.from)), 0);
      const blocks = ticks.map((t) => ({ all: t.to - t.from, gc: gcIn(t), ran: Number.isNaN(t.ran) ? t.to - t.from : Math.min(t.ran, t.to - t.from) })).filter((b) => b.all > 20);
      const said = blocks.map((b) => `${b.all.toFixed(0)} (ran ${b.ran.toFixed(0)}${b.gc > 1 ? `, ${b.gc.toFixed(0)} collecting garbage` : ''})`).join(', ') || 'none';
      return { blocks, work: Math.max(0, ...blocks.map((b) => b.ran - b.gc)), said };
    },
  };
}

/** A full garbage collection of this process now (V8's gc, reached without restarting Node with --expose-gc). */
export function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}
