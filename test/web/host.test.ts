/**
 * The web worker extension host itself, as vscode.dev and github.dev run
 * Gradient Lens: no Node, the browser entry (dist/web.js) active, the
 * separately bundled readers fetched and evaluated there, and activation
 * timed from VS Code's own performance marks.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { GradientLensApi } from '../../src/extension/extension';
import { figures } from './figures';

const EXTENSION_ID = 'gradient-lens.gradient-lens';

async function api(): Promise<GradientLensApi> {
  const ext = vscode.extensions.getExtension<GradientLensApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  return ext.isActive ? ext.exports : await ext.activate();
}

/** Duration between two of the host's performance marks for our extension, in ms. */
function between(from: string, to: string): number {
  const mark = (name: string): number => {
    const m = performance.getEntriesByName(`code/extHost/${name}/${EXTENSION_ID}`)[0];
    assert.ok(m, `the host's performance mark ${name}`);
    return m.startTime;
  };
  return mark(to) - mark(from);
}

describe('the web worker extension host', function () {
  this.timeout(90_000);

  it('has no Node: no process, no require of files, a WorkerGlobalScope; Gradient Lens runs its browser entry there', async () => {
    assert.strictEqual(typeof process, 'undefined');
    assert.strictEqual(typeof (globalThis as { Buffer?: unknown }).Buffer, 'undefined');
    const scope = (globalThis as { WorkerGlobalScope?: new () => unknown }).WorkerGlobalScope;
    assert.ok(scope && globalThis instanceof scope, 'the extension host is a web worker');
    const a = await api();
    assert.strictEqual(a.host, 'web', 'dist/web.js is the entry that activated');
  });

  it('activation in the worker: loading dist/web.js plus activate() (the host\'s own marks)', async () => {
    await api();
    const load = between('willLoadExtensionCode', 'didLoadExtensionCode');
    const activate = between('willActivateExtension', 'didActivateExtension');
    figures.webActivationMs = Math.round((load + activate) * 10) / 10;
    figures.webCodeLoadMs = Math.round(load * 10) / 10;
    assert.ok(load + activate < 1000, `${load} + ${activate} ms`);
  });

  it('mathjs and the Python reader are separate files, fetched from dist/web/ and evaluated in the worker', async () => {
    await api();
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'def f(w, b):\n    return (w * 2 - b) ** 2\n' });
    await vscode.window.showTextDocument(doc);
    const hover = async (): Promise<string> => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 6));
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
    };
    // ∂/∂w (2w − b)² = 4(2w − b), at the start point w = b = 1: 4
    let text = await hover();
    assert.match(text, /∂f\/∂w/);
    assert.match(text, /= \*\*4\*\*/);
    // the first hover answers from backprop and loads mathjs after: the symbolic form comes on a later one
    for (let t0 = Date.now(); /not computed/.test(text) && Date.now() - t0 < 20_000; text = await hover()) await new Promise((r) => setTimeout(r, 200));
    assert.match(text, /∂f\/∂w = [^`]*w/, text);
    const fetched = performance.getEntriesByType('resource').map((e) => decodeURIComponent(e.name));
    for (const part of ['dist/web/code.js', 'dist/web/mathjs-engine.js']) assert.ok(fetched.some((u) => u.includes(part)), `${part} among ${fetched.length} fetched resources`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
