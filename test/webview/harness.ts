/**
 * Hosts the built webview in a plain page for Chromium: the page loads
 * dist/webview.js with a stand-in for acquireVsCodeApi that hands every
 * posted message to the test, which plays the extension host.
 */
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

/** A full garbage collection of this process now (V8's gc, reached without restarting Node with --expose-gc). */
export function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}
