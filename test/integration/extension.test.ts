/**
 * Runs inside a real VS Code's extension host (code-server here, `npx
 * vscode-test` elsewhere), on a copy of examples/ as the workspace; the web
 * stage runs the same file inside the browser's web worker host, so it uses
 * nothing of Node but `assert` (a small stand-in there).
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { GradientLensApi } from '../../src/extension/extension';
import type { FromWebviewMessage } from '../../src/protocol';

const EXTENSION_ID = 'gradient-lens.gradient-lens';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function api(): Promise<GradientLensApi> {
  const ext = vscode.extensions.getExtension<GradientLensApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
  return ext.isActive ? ext.exports : await ext.activate();
}

/** Resolves with the first message of `type` from the webview. */
function nextMessage<T extends FromWebviewMessage['type']>(a: GradientLensApi, type: T, timeoutMs = 30_000): Promise<Extract<FromWebviewMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`no '${type}' message from the webview within ${timeoutMs} ms`)); }, timeoutMs);
    const sub = a.panel.onDidReceiveMessage((m) => {
      if (m.type === type) {
        clearTimeout(timer);
        sub.dispose();
        resolve(m as Extract<FromWebviewMessage, { type: T }>);
      }
    });
  });
}

async function openAt(name: string, line: number): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
  editor.selection = new vscode.Selection(line, 0, line, 0);
  return editor;
}

async function hoverText(uri: vscode.Uri, pos: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos);
  const md = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
  // read it as a person would: no Markdown escapes or &nbsp;, a formula broken across lines as one
  return md.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!<>|])/g, '$1').replace(/\n {4}/g, ' ');
}

/** Position of the n-th occurrence of `word` on a line. */
function at(editor: vscode.TextEditor, line: number, word: string, nth = 0): vscode.Position {
  const text = editor.document.lineAt(line).text;
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(word, i + 1);
  assert.ok(i >= 0, `'${word}' on line ${line + 1}: ${text}`);
  return new vscode.Position(line, i + 1);
}

/** The number shown in bold after "= " for ∂f/∂p. */
function shownValue(text: string): number {
  const m = /= \*\*([-0-9.e+]+)\*\*/.exec(text);
  assert.ok(m, `a value in ${text}`);
  return Number(m[1]);
}

/** Waits until `cond()` holds (polling), or fails naming `what`. */
async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-4 * (1 + Math.abs(b));
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe('Gradient Lens in VS Code', function () {
  this.timeout(90_000);

  it('activates and registers gradientLens.visualize', async () => {
    const a = await api();
    assert.ok(a.panel, 'the API exposes the panel');
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('gradientLens.visualize'));
  });

  it('works in Restricted Mode: the workspace is not trusted, and the hover still differentiates', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    await api();
    const editor = await openAt('functions.txt', 3);
    const text = await hoverText(editor.document.uri, at(editor, 3, 'w'));
    // f(w) = (w − 3)² + 1 at the default start w = 1: ∂f/∂w = 2(1 − 3) = −4
    assert.match(text, /∂f\/∂w/);
    assert.ok(close(shownValue(text), -4), text);
  });

  it('Python: the command opens the panel beside the editor; the webview reports ready and the last step', async () => {
    const a = await api();
    const editor = await openAt('loss.py', 6);
    const ready = nextMessage(a, 'ready');
    const finished = nextMessage(a, 'finished', 60_000);
    await vscode.commands.executeCommand('gradientLens.visualize');
    await ready;
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => ({ t, g }))).find(({ t }) => t.input instanceof vscode.TabInputWebview && (t.input as vscode.TabInputWebview).viewType.includes('gradientLens.panel'));
    assert.ok(tab, 'a Gradient Lens webview tab');
    assert.strictEqual(tab.g.viewColumn, (editor.viewColumn ?? 1) + 1, 'the panel is in the column beside the editor');
    assert.match(tab.t.label, /loss\.py/);
    const view = a.panel.currentView();
    assert.ok(view);
    // the animation plays by itself to the last step
    const f = await finished;
    assert.strictEqual(f.step, view.steps.length - 1, 'the animation reached the last step');
    assert.strictEqual(f.status, view.status);
  });

  it('hover over a parameter gives ∂loss/∂w at the panel’s point; over a local, ∂loss/∂z', async () => {
    const a = await api();
    const editor = await openAt('loss.py', 6);
    // this test opens its own panel (it does not rely on an earlier test's) and lets it play to the end
    const finished = nextMessage(a, 'finished', 60_000);
    await vscode.commands.executeCommand('gradientLens.visualize');
    await until(() => a.panel.currentView()?.name === 'loss', 'the panel on loss()');
    await finished;
    const view = a.panel.currentView();
    assert.ok(view && view.name === 'loss');
    const k = view.steps.length - 1;
    const [w, b] = view.steps[k].point as number[];
    // ∂/∂w (σ(3w+b) − 0.25)² = 2(σ − 0.25)·σ(1 − σ)·3, written out by hand
    const s = sigmoid(3 * w + b);
    const dw = 2 * (s - 0.25) * s * (1 - s) * 3;
    const text = await hoverText(editor.document.uri, at(editor, 7, 'w'));
    assert.match(text, /∂loss\/∂w/);
    assert.ok(close(shownValue(text), dw), `${shownValue(text)} vs ${dw}`);
    assert.match(text, /command:gradientLens\.visualize/);
    const local = await hoverText(editor.document.uri, at(editor, 8, 'z'));
    const dz = 2 * (s - 0.25) * s * (1 - s);
    const m = /∂loss\/∂z = ([-0-9.e+]+)/.exec(local);
    assert.ok(m, local);
    assert.ok(close(Number(m[1]), dz), `${m[1]} vs ${dz}`);
    const grad = await hoverText(editor.document.uri, at(editor, 5, 'loss'));
    assert.match(grad, /∇loss/);
    assert.match(grad, /∂loss\/∂w[\s\S]*∂loss\/∂b/);
  });

  it('clicking a graph node (revealNode through the protocol) selects its source', async () => {
    const a = await api();
    await openAt('loss.py', 6);
    await vscode.commands.executeCommand('gradientLens.visualize');
    await until(() => a.panel.currentView()?.name === 'loss', 'the panel on loss()');
    const view = a.panel.currentView();
    assert.ok(view);
    const z = view.graph.nodes.find((n) => n.label === 'z');
    assert.ok(z, 'a node labelled z');
    const editorOf = (): vscode.TextEditor | undefined => vscode.window.visibleTextEditors.find((e) => e.document.uri.path.endsWith('loss.py'));
    a.panel.receiveRaw({ type: 'revealNode', node: z.id });
    await until(() => editorOf()?.document.getText(editorOf()?.selection) === '3.0 * w + b', 'the selection of z\'s source');
    // malformed messages change nothing
    const other = view.graph.nodes.find((n) => n.label === 'a');
    assert.ok(other);
    a.panel.receiveRaw({ type: 'revealNode', node: 'z' });
    a.panel.receiveRaw({ type: 'revealNode', node: -1 });
    a.panel.receiveRaw({ type: 'no-such-message' });
    await new Promise((r) => setTimeout(r, 300));
    assert.strictEqual(editorOf()?.document.getText(editorOf()?.selection), '3.0 * w + b');
  });

  const examples: Array<{ file: string; line: number; word: string; wordLine: number; param: string; d: (p: Record<string, number>) => number }> = [
    { file: 'functions.txt', line: 3, word: 'w', wordLine: 3, param: 'w', d: (p) => 2 * (p.w - 3) },
    { file: 'functions.txt', line: 5, word: 'y', wordLine: 5, param: 'y', d: (p) => 6 * p.y },
    { file: 'rosenbrock.js', line: 7, word: 'y', wordLine: 7, param: 'y', d: (p) => 200 * (p.y - p.x * p.x) },
    { file: 'himmelblau.ts', line: 13, word: 'w', wordLine: 13, param: 'w', d: (p) => p.w - 2 },
    { file: 'notes.md', line: 2, word: 'b', wordLine: 2, param: 'b', d: (p) => p.a + 2 * p.b },
    // a ```math block after a line starting with backticks inside inline code (CommonMark: not a fence)
    { file: 'notes.md', line: 26, word: 'y', wordLine: 26, param: 'y', d: (p) => 6 * p.y - 2 * p.x },
  ];
  for (const ex of examples) {
    it(`${ex.file}:${ex.line + 1}: hover ∂/∂${ex.param} is right and the panel animates to its last step`, async () => {
      const a = await api();
      const editor = await openAt(ex.file, ex.line);
      const finished = nextMessage(a, 'finished', 60_000);
      await vscode.commands.executeCommand('gradientLens.visualize');
      const view = a.panel.currentView();
      assert.ok(view, 'a view');
      const f = await finished;
      assert.strictEqual(f.step, view.steps.length - 1);
      const point = Object.fromEntries(view.params.map((p, i) => [p, view.steps[f.step].point[i] as number]));
      const text = await hoverText(editor.document.uri, at(editor, ex.wordLine, ex.word));
      assert.match(text, new RegExp(`∂\\w+/∂${ex.param}`));
      assert.ok(close(shownValue(text), ex.d(point)), `${shownValue(text)} vs ${ex.d(point)} at ${JSON.stringify(point)}`);
    });
  }

  it('editing the definition updates the panel, keeping the learning rate', async () => {
    const a = await api();
    const editor = await openAt('functions.txt', 3);
    await vscode.commands.executeCommand('gradientLens.visualize');
    a.panel.receiveRaw({ type: 'setOptions', options: { learningRate: 0.05 } });
    const line = editor.document.lineAt(3);
    await editor.edit((e) => e.replace(line.range, 'f(w) = (w - 5)^2 + 1'));
    await until(() => /w - 5/.test(a.panel.currentView()?.expression ?? ''), 'the panel to read the edit');
    const view = a.panel.currentView();
    assert.ok(view);
    assert.match(view.expression, /w - 5/);
    assert.strictEqual(view.options.learningRate, 0.05);
    // descent from 1 towards 5 with η = 0.05: w₁ = 1 − 0.05·2(1 − 5) = 1.4
    assert.ok(close(view.steps[1].point[0] as number, 1.4));
    await vscode.commands.executeCommand('undo');
  });

  const networks: Array<{ file: string; line: number; layerLine: number; shapes: RegExp; framework: string }> = [
    { file: 'xor_keras.py', line: 4, layerLine: 5, shapes: /W: 4 × 2, b: 4 — 12 parameters/, framework: 'keras' },
    { file: 'circles_torch.py', line: 5, layerLine: 8, shapes: /W: 8 × 8, b: 8 — 72 parameters/, framework: 'pytorch' },
    { file: 'xor_tfjs.ts', line: 2, layerLine: 3, shapes: /W: 5 × 2, b: 5 — 15 parameters/, framework: 'tfjs' },
  ];
  for (const n of networks) {
    it(`${n.file}: the network view trains and the webview reports a lower loss; a layer's hover gives its shapes`, async () => {
      const a = await api();
      const editor = await openAt(n.file, n.line);
      await vscode.commands.executeCommand('gradientLens.visualize');
      const trained = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => { sub.dispose(); reject(new Error('the webview drew no epoch past 200 within 60 s')); }, 60_000);
        const sub = a.panel.onDidReceiveMessage((m) => {
          if (m.type === 'frameDrawn' && m.epoch >= 200) { clearTimeout(timer); sub.dispose(); resolve(m.epoch); }
        });
      });
      a.panel.receiveRaw({ type: 'train', action: 'play' });
      const drawn = await trained;
      a.panel.receiveRaw({ type: 'train', action: 'pause' });
      const session = a.panel.networkSession;
      assert.ok(session, 'the panel trains this model');
      assert.strictEqual(session.runsIn, 'worker', 'the model trains in a worker, off the extension host\'s thread');
      const h = (await session.snapshot()).losses;
      assert.ok(h[drawn - 1] < h[0], `${h[0]} → ${h[drawn - 1]} after ${drawn} epochs`);
      const text = await hoverText(editor.document.uri, new vscode.Position(n.layerLine, editor.document.lineAt(n.layerLine).firstNonWhitespaceCharacterIndex + 3));
      assert.match(text, /Layer \d of \d/);
      assert.match(text, n.shapes);
      assert.match(text, /‖∂L\/∂W‖ = \*\*[0-9.e-]+\*\*, ‖∂L\/∂b‖ = \*\*[0-9.e-]+\*\* at epoch \d+/);
      const model = await hoverText(editor.document.uri, new vscode.Position(n.line, editor.document.lineAt(n.line).text.indexOf('model') + 1));
      assert.match(model, new RegExp(`${n.framework} network`));
    });
  }

  it('a notebook: the hover and the panel work in a code cell, with data from an earlier cell and the binding from a later one', async () => {
    const a = await api();
    const nb = await vscode.workspace.openNotebookDocument(workspaceFile('cost_over_data.ipynb'));
    await vscode.window.showNotebookDocument(nb, { viewColumn: vscode.ViewColumn.One });
    const cell = nb.cellAt(2);
    assert.strictEqual(cell.kind, vscode.NotebookCellKind.Code);
    const doc = cell.document;
    assert.strictEqual(doc.uri.scheme, 'vscode-notebook-cell');
    // ∂J/∂w at the call's point (w, b) = (200, 100), by hand: (1/m) Σ (w xᵢ + b − yᵢ) xᵢ over cell 2's data
    const xs = [1.0, 1.7, 2.0, 2.5, 3.0, 3.2];
    const ys = [250, 300, 480, 430, 630, 730];
    const dw = xs.reduce((s, x, i) => s + (200 * x + 100 - ys[i]) * x, 0) / xs.length;
    const line = 4; // f_wb = w * x[i] + b
    const col = doc.lineAt(line).text.indexOf('w *');
    const text = await hoverText(doc.uri, new vscode.Position(line, col + 1));
    assert.match(text, /∂compute_cost\/∂w/);
    // the partial per sample, under a Σ over the six samples of cell 2 with m's value beside it, as the textbook writes it (the term's 2 joins the 1/2m)
    assert.match(text, /∂compute_cost\/∂w = \(1\/m\) Σᵢ₌₁\^m \[\(w · x⁽ⁱ⁾ \+ b − y⁽ⁱ⁾\) · x⁽ⁱ⁾\],\s+m = 6/);
    // led by the same partial in the cell's own names (f_wb = w * x[i] + b), then the chain rule, then written out
    assert.match(text, /∂compute_cost\/∂w = \(1\/m\) Σᵢ₌₁\^m \[\(f_wb⁽ⁱ⁾ − y⁽ⁱ⁾\) · x⁽ⁱ⁾\],\s+m = 6[\s\S]*by the chain rule: ∂compute_cost\/∂w = \(1\/2m\) Σᵢ₌₁\^m \[∂cost⁽ⁱ⁾\/∂f_wb⁽ⁱ⁾ · ∂f_wb⁽ⁱ⁾\/∂w\],\s+m = 6[\s\S]*written out: /);
    assert.ok(close(shownValue(text), dw), `${shownValue(text)} vs ${dw}`);
    await vscode.commands.executeCommand('gradientLens.visualize', { uri: doc.uri.toString(), line: 0 });
    await until(() => a.panel.currentView()?.name === 'compute_cost', 'the panel on compute_cost from the cell', 30_000);
    const view = a.panel.currentView();
    assert.ok(view);
    assert.deepStrictEqual(view.params, ['w', 'b']);
    assert.deepStrictEqual(view.steps[0].point, [200, 100]);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('a course-lab notebook: data in one cell, the cost in a later one, no call — bound by name and said so; a cost with no data shows its partials over m samples', async () => {
    const nb = await vscode.workspace.openNotebookDocument(workspaceFile('course_lab.ipynb'));
    await vscode.window.showNotebookDocument(nb, { viewColumn: vscode.ViewColumn.One });
    const doc = nb.cellAt(2).document;
    const text = await hoverText(doc.uri, new vscode.Position(0, 'def compute_'.length));
    assert.match(text, /∇compute_cost/);
    assert.match(text, /x ← x_train \(6 samples, matched by name\).*a guess by name/);
    // ∂J/∂w at the start point (1, 1), by hand over cell 2's arrays
    const xs = [1.0, 1.7, 2.0, 2.5, 3.0, 3.2];
    const ys = [250, 300, 480, 430, 630, 730];
    const dw = xs.reduce((acc, x, i) => acc + (x + 1 - ys[i]) * x, 0) / xs.length;
    assert.ok(close(shownValue(text), dw), `${shownValue(text)} vs ${dw}`);
    const none = await hoverText(nb.cellAt(4).document.uri, new vscode.Position(0, 'def squared_'.length));
    assert.match(none, /over m samples/);
    assert.match(none, /∂squared_error\/∂c = \(2\/m\) Σᵢ₌₁\^m \[a · u⁽ⁱ⁾ \+ c − v⁽ⁱ⁾\]/);
    assert.match(none, /no data for u, v in the file/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('a notebook importing sigmoid and a helper from a module beside it reads the module through workspace.fs, follows it when it changes on disk, and names it when it is gone', async () => {
    const a = await api();
    const module = workspaceFile('lab_utils_logistic.py');
    const notebook = workspaceFile('logistic_lab.ipynb');
    const helpers = (k: number): string => `import numpy as np\n\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n\n\ndef linear(x_i, w, b):\n    return np.dot(x_i, w) + ${k} * b\n`;
    const cell = (source: string): object => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: source.split(/(?<=\n)/) });
    const cells = [
      'import numpy as np\nfrom lab_utils_logistic import sigmoid, linear\n',
      'X_train = np.array([[0.5, 1.5], [1, 1], [1.5, 0.5], [3, 0.5], [2, 2], [1, 2.5]])\ny_train = np.array([0, 0, 0, 1, 1, 1])\n',
      'def compute_cost_logistic(X, y, w, b):\n    m = X.shape[0]\n    cost = 0.0\n    for i in range(m):\n        f_wb_i = sigmoid(linear(X[i], w, b))\n        cost += -y[i] * np.log(f_wb_i) - (1 - y[i]) * np.log(1 - f_wb_i)\n    return cost / m\n',
    ];
    const X = [[0.5, 1.5], [1, 1], [1.5, 0.5], [3, 0.5], [2, 2], [1, 2.5]];
    const y = [0, 0, 0, 1, 1, 1];
    // ∂J/∂w[0] at the start (w, b) = ([1, 1], 1), by hand: (1/m) Σ (σ(Xᵢ·w + k·b) − yᵢ)·Xᵢ₀ with the module's k
    const dw0 = (k: number): number => X.reduce((acc, xi, i) => acc + (sigmoid(xi[0] + xi[1] + k) - y[i]) * xi[0], 0) / X.length;
    await vscode.workspace.fs.writeFile(module, bytes(helpers(1)));
    await vscode.workspace.fs.writeFile(notebook, bytes(JSON.stringify({ cells: cells.map(cell), metadata: { language_info: { name: 'python' } }, nbformat: 4, nbformat_minor: 5 })));
    try {
      const nb = await vscode.workspace.openNotebookDocument(notebook);
      await vscode.window.showNotebookDocument(nb, { viewColumn: vscode.ViewColumn.One });
      const doc = nb.cellAt(2).document;
      const pos = new vscode.Position(0, 'def compute_'.length);
      let text = '';
      const shows = async (k: number): Promise<boolean> => {
        text = await hoverText(doc.uri, pos);
        return /∇compute_cost_logistic/.test(text) && close(shownValue(text), dw0(k));
      };
      const settle = async (k: number, what: string): Promise<void> => {
        const t0 = Date.now();
        while (!(await shows(k))) {
          if (Date.now() - t0 > 15_000) throw new Error(`timed out waiting for ${what}: ${text}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      await settle(1, 'the hover over the module\'s helpers');
      assert.doesNotMatch(text, /read as the standard/, 'sigmoid is the module\'s own, not assumed');
      await vscode.workspace.fs.writeFile(module, bytes(helpers(2)));
      await settle(2, 'the hover after the module changed on disk');
      await vscode.workspace.fs.delete(module);
      await until(() => {
        const d = a.model.definitionNear(doc, 0);
        return !!d && !d.ok && /'linear' comes from the module lab_utils_logistic, and lab_utils_logistic\.py is not beside this file/.test(d.error.message);
      }, 'a message naming the missing module', 15_000);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(notebook);
      try { await vscode.workspace.fs.delete(module); } catch { /* deleted by the test */ }
    }
  });

  it('the course-lab notebook: a cost with no data opens the panel with its partials over m samples; "Bind Data…" (the QuickPick answered here) binds the arrays chosen, and the panel\'s ∂J/∂w is a plain loop over them', async () => {
    const a = await api();
    const posted: string[] = [];
    const listening = a.panel.onDidPostMessage((m) => posted.push(m.type));
    const pick = a.panel.quickPick;
    try {
      const nb = await vscode.workspace.openNotebookDocument(workspaceFile('course_lab.ipynb'));
      await vscode.window.showNotebookDocument(nb, { viewColumn: vscode.ViewColumn.One });
      const xs = [1.0, 1.7, 2.0, 2.5, 3.0, 3.2];
      const ys = [250, 300, 480, 430, 630, 730];
      // squared_error(u, v, a, c) has no data anywhere: the panel, not a toast
      const none = nb.cellAt(4).document;
      await vscode.commands.executeCommand('gradientLens.visualize', { uri: none.uri.toString(), line: 0 });
      await until(() => posted.includes('showUnbound'), 'the panel on squared_error with no data', 30_000);
      assert.strictEqual(a.panel.currentView(), undefined, 'no descent without data');
      // "Bind data…": u ← x_train, v ← y_train, as the user picks them
      const asked: string[] = [];
      a.panel.quickPick = async (items, options) => {
        asked.push(options.title ?? '');
        return items.find((i) => i.source === (asked.length === 1 ? 'x_train' : 'y_train'));
      };
      await vscode.commands.executeCommand('gradientLens.chooseData', { uri: none.uri.toString(), line: 0 });
      assert.deepStrictEqual(asked, ['Bind data to u of squared_error (1 of 2)', 'Bind data to v of squared_error (2 of 2)']);
      await until(() => a.panel.currentView()?.name === 'squared_error', 'the panel on squared_error with data', 30_000);
      let view = a.panel.currentView();
      assert.ok(view);
      assert.deepStrictEqual(view.data?.map((d) => [d.arg, d.source, d.samples, d.why]), [['u', 'x_train', 6, 'option'], ['v', 'y_train', 6, 'option']]);
      // J = (1/m) Σ (a·u + c − v)²: ∂J/∂a = (2/m) Σ (a·u + c − v)·u at the start, by hand
      const [a0, c0] = view.steps[0].point as number[];
      const da = xs.reduce((s, u, i) => s + 2 * (a0 * u + c0 - ys[i]) * u, 0) / xs.length;
      assert.ok(close(view.steps[0].gradient[0] as number, da), `${view.steps[0].gradient[0]} vs ${da}`);
      // compute_cost(x, y, w, b), bound by name: rebound the other way round, x ← y_train and y ← x_train
      const cost = nb.cellAt(2).document;
      asked.length = 0;
      a.panel.quickPick = async (items) => {
        asked.push('');
        return items.find((i) => i.source === (asked.length === 1 ? 'y_train' : 'x_train'));
      };
      await vscode.commands.executeCommand('gradientLens.chooseData', { uri: cost.uri.toString(), line: 0 });
      await until(() => a.panel.currentView()?.name === 'compute_cost', 'the panel on compute_cost with the data chosen', 30_000);
      view = a.panel.currentView();
      assert.ok(view);
      assert.deepStrictEqual(view.data?.map((d) => [d.arg, d.source, d.why]), [['x', 'y_train', 'option'], ['y', 'x_train', 'option']]);
      const [w0, b0] = view.steps[0].point as number[];
      // J = (1/2m) Σ (w·x + b − y)²: ∂J/∂w = (1/m) Σ (w·x + b − y)·x, with x the prices and y the sizes now
      const dw = ys.reduce((s, x, i) => s + (w0 * x + b0 - xs[i]) * x, 0) / ys.length;
      assert.ok(close(view.steps[0].gradient[0] as number, dw), `${view.steps[0].gradient[0]} vs ${dw}`);
      // the hover says so, and the choice holds for the definition while the notebook is open
      const text = await hoverText(cost.uri, new vscode.Position(0, 'def compute_'.length));
      assert.match(text, /x ← y_train \(6 samples, chosen\)/);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      a.panel.quickPick = pick;
      listening.dispose();
    }
  });

  it('a plain-number forward pass: the hover links "Parameters…"; the command (its QuickPick answered here) holds w5 and frees i1, and the panel and hover follow', async () => {
    const a = await api();
    const pick = a.panel.rolePick;
    const content = 'import math\n\ni1, i2 = 0.05, 0.10\nt1, t2 = 0.01, 0.99\nw1, w2, w3, w4 = 0.15, 0.20, 0.25, 0.30\nw5, w6, w7, w8 = 0.40, 0.45, 0.50, 0.55\nb1, b2 = 0.35, 0.60\n\nout_h1 = 1 / (1 + math.exp(-(w1 * i1 + w2 * i2 + b1)))\nout_h2 = 1 / (1 + math.exp(-(w3 * i1 + w4 * i2 + b1)))\nout_o1 = 1 / (1 + math.exp(-(w5 * out_h1 + w6 * out_h2 + b2)))\nout_o2 = 1 / (1 + math.exp(-(w7 * out_h1 + w8 * out_h2 + b2)))\nE_total = 0.5 * (t1 - out_o1) ** 2 + 0.5 * (t2 - out_o2) ** 2\n';
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    const onE = new vscode.Position(12, 2);
    const before = await hoverText(doc.uri, onE);
    assert.match(before, /Parameters….*command:gradientLens\.chooseRoles/);
    assert.match(before, /∂E_total\/∂w5/);
    // E by hand, and ∂E/∂i1 by a central difference of it
    const n0: Record<string, number> = { i1: 0.05, i2: 0.1, t1: 0.01, t2: 0.99, w1: 0.15, w2: 0.2, w3: 0.25, w4: 0.3, w5: 0.4, w6: 0.45, w7: 0.5, w8: 0.55, b1: 0.35, b2: 0.6 };
    const total = (n: Record<string, number>): number => {
      const h1 = sigmoid(n.w1 * n.i1 + n.w2 * n.i2 + n.b1);
      const h2 = sigmoid(n.w3 * n.i1 + n.w4 * n.i2 + n.b1);
      return 0.5 * (n.t1 - sigmoid(n.w5 * h1 + n.w6 * h2 + n.b2)) ** 2 + 0.5 * (n.t2 - sigmoid(n.w7 * h1 + n.w8 * h2 + n.b2)) ** 2;
    };
    const di1 = (total({ ...n0, i1: n0.i1 + 1e-6 }) - total({ ...n0, i1: n0.i1 - 1e-6 })) / 2e-6;
    try {
      a.panel.rolePick = async (items) => items.filter((i) => (i.picked && i.name !== 'w5') || i.name === 'i1');
      await vscode.commands.executeCommand('gradientLens.chooseRoles', { uri: doc.uri.toString(), line: 12 });
      await until(() => a.panel.currentView()?.params.includes('i1') === true, 'the panel on E_total with i1 a parameter', 30_000);
      const view = a.panel.currentView();
      assert.ok(view);
      assert.deepStrictEqual(view.params, ['i1', 'w1', 'w2', 'w3', 'w4', 'w6', 'w7', 'w8', 'b1', 'b2']);
      assert.ok(close(view.steps[0].gradient[0] as number, di1), `${view.steps[0].gradient[0]} vs ${di1}`);
      const after = await hoverText(doc.uri, onE);
      assert.doesNotMatch(after, /∂E_total\/∂w5/);
      assert.match(after, /∂E_total\/∂i1/);
    } finally {
      a.panel.rolePick = pick;
    }
  });

  it('a CSV beside the file is the data; editing it on disk updates the open panel', async () => {
    const a = await api();
    await openAt('compute_cost.py', 10);
    await vscode.commands.executeCommand('gradientLens.visualize');
    await until(() => a.panel.currentView()?.name === 'compute_cost', 'the panel on compute_cost');
    const cost = (rows: number[][], w: number, b: number): number => rows.reduce((s, [x, y]) => s + (w * x + b - y) ** 2, 0) / (2 * rows.length);
    const start = a.panel.currentView()?.steps[0].point as number[];
    assert.deepStrictEqual(start, [100, 50], 'the start point is the call at the bottom of the file');
    const first = [[1.0, 300], [1.5, 360], [2.0, 500], [2.5, 540], [3.0, 650], [3.5, 720]];
    assert.ok(close(a.panel.currentView()?.steps[0].value as number, cost(first, 100, 50)));
    const csv = workspaceFile('house_prices.csv');
    const original = await vscode.workspace.fs.readFile(csv);
    const edited = [[1, 200], [2, 400], [3, 600]];
    try {
      await vscode.workspace.fs.writeFile(csv, bytes(`size,price\n${edited.map((r) => r.join(',')).join('\n')}\n`));
      await until(() => close(a.panel.currentView()?.steps[0].value as number, cost(edited, 100, 50)), 'the panel to read the edited CSV', 15_000);
    } finally {
      await vscode.workspace.fs.writeFile(csv, original);
    }
  });

  it('a data file is read through workspace.fs, without blocking: the first hover waits for it; a file over 20 MB gets a located message naming it', async () => {
    await api();
    const rows = Array.from({ length: 50 }, (_, i) => [i / 10, 2 * (i / 10) + 1 + ((i % 5) - 2) / 10]);
    const csv = workspaceFile('fresh_data.csv');
    const py = workspaceFile('fresh_cost.py');
    await vscode.workspace.fs.writeFile(csv, bytes(`x,y\n${rows.map((r) => r.join(',')).join('\n')}\n`));
    await vscode.workspace.fs.writeFile(py, bytes('import numpy as np\ndata = np.loadtxt("fresh_data.csv", delimiter=",", skiprows=1)\nx = data[:, 0]\ny = data[:, 1]\n\ndef cost(w, b):\n    return np.mean((w * x + b - y) ** 2)\n\ncost(0.5, 0.0)\n'));
    try {
      const editor = await openAt('fresh_cost.py', 6);
      // never read before: the hover answers once the file is read, with ∂J/∂w over its 50 rows
      const text = await hoverText(editor.document.uri, at(editor, 6, 'w'));
      const dw = rows.reduce((s, [x, y]) => s + 2 * (0.5 * x - y) * x, 0) / rows.length;
      assert.match(text, /Σᵢ₌₁\^m [\s\S]*?,\s+m = 50/);
      assert.ok(close(shownValue(text), dw), `${shownValue(text)} vs ${dw}`);
      // over the limit: the command says which file and why, at the file name in the code
      await vscode.workspace.fs.writeFile(csv, new Uint8Array(21_000_000).fill(0x31));
      const a = await api();
      await until(() => {
        const b = a.model.definitionNear(editor.document, 6);
        // at the use of the data in the function, naming the line that reads the file
        return !!b && !b.ok && /'x' cannot be read: line 2: the data file 'fresh_data\.csv' is 21\.0 MB; Gradient Lens reads data files up to 20 MB/.test(b.error.message) && b.error.line === 7;
      }, 'a located message for the 21 MB file', 15_000);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(csv);
      await vscode.workspace.fs.delete(py);
    }
  });

  it('an nn.Module class trains in the panel: layers from __init__, order and activations from forward', async () => {
    const a = await api();
    const editor = await openAt('xor_module.py', 7);
    await vscode.commands.executeCommand('gradientLens.visualize');
    await until(() => a.panel.networkSession?.def.framework === 'pytorch', 'the panel on XorNet');
    const def = a.panel.networkSession?.def;
    assert.ok(def);
    assert.deepStrictEqual(def.layers.map((l) => [l.units, l.activation]), [[4, 'tanh'], [1, 'sigmoid']]);
    assert.strictEqual(def.loss, 'binary_crossentropy');
    assert.strictEqual(def.epochs, 2000, 'the training loop\'s epochs');
    const trained = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => { sub.dispose(); reject(new Error('no epoch past 200 drawn within 60 s')); }, 60_000);
      const sub = a.panel.onDidReceiveMessage((m) => { if (m.type === 'frameDrawn' && m.epoch >= 200) { clearTimeout(timer); sub.dispose(); resolve(m.epoch); } });
    });
    a.panel.receiveRaw({ type: 'train', action: 'play' });
    const drawn = await trained;
    a.panel.receiveRaw({ type: 'train', action: 'pause' });
    const h = (await a.panel.networkSession?.snapshot())?.losses ?? [];
    assert.ok(h[drawn - 1] < h[0], `${h[0]} → ${h[drawn - 1]}`);
    const layerLine = 10; // self.hidden = nn.Linear(2, 4)
    const text = await hoverText(editor.document.uri, new vscode.Position(layerLine, editor.document.lineAt(layerLine).text.indexOf('nn.Linear') + 4));
    assert.match(text, /Layer 1 of 2/);
    assert.match(text, /W: 4 × 2, b: 4 — 12 parameters/);
  });

  it('editing a layer\'s size in the file updates an open network panel', async () => {
    const a = await api();
    const editor = await openAt('xor_keras.py', 5);
    await vscode.commands.executeCommand('gradientLens.visualize');
    await until(() => a.panel.networkSession?.def.layers[0].units === 4, 'the panel on the Keras model');
    const shown: string[] = [];
    const sub = a.panel.onDidPostMessage((m) => { if (m.type === 'showNetwork') shown.push(m.view.title); });
    const line = editor.document.lineAt(5);
    await editor.edit((e) => e.replace(line.range, line.text.replace('Dense(4,', 'Dense(6,')));
    try {
      await until(() => a.panel.networkSession?.def.layers[0].units === 6 && shown.some((t) => /2 → 6 tanh → 1 sigmoid/.test(t)), 'the panel to show the 6-unit layer', 10_000);
      await until(() => a.panel.networkSession?.state?.parameterCount === 6 * 2 + 6 + 6 + 1, 'the engine to train the 6-unit model');
    } finally {
      sub.dispose();
      await vscode.commands.executeCommand('undo');
    }
  });

  it('the walkthrough\'s buttons: an example opens as an untitled copy of the extension\'s own, the panel opens on it, a network trains', async () => {
    const a = await api();
    // the workspace is a copy of examples/: the button's document must read the same
    const own = new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceFile('loss.py')));
    const finished = nextMessage(a, 'finished', 60_000);
    await vscode.commands.executeCommand('gradientLens.openExample', 'loss.py', { line: 6, then: 'visualize' });
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor on the example');
    assert.strictEqual(editor.document.uri.scheme, 'untitled');
    assert.strictEqual(editor.document.getText(), own);
    await until(() => a.panel.currentView()?.name === 'loss', 'the panel on loss() of the example');
    await finished;
    const trained = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => { sub.dispose(); reject(new Error('no epoch past 100 drawn within 60 s')); }, 60_000);
      const sub = a.panel.onDidReceiveMessage((m) => { if (m.type === 'frameDrawn' && m.epoch >= 100) { clearTimeout(timer); sub.dispose(); resolve(m.epoch); } });
    });
    await vscode.commands.executeCommand('gradientLens.openExample', 'xor_keras.py', { line: 6, then: 'train' });
    const drawn = await trained;
    a.panel.receiveRaw({ type: 'train', action: 'pause' });
    const h = (await a.panel.networkSession?.snapshot())?.losses ?? [];
    assert.ok(h[drawn - 1] < h[0], `${h[0]} → ${h[drawn - 1]}`);
  });

  it('bad input gets a located message in the hover, and the editor keeps working', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'def f(x):\n    return x +* 2\n' });
    await vscode.window.showTextDocument(doc);
    const text = await hoverText(doc.uri, new vscode.Position(1, 13));
    assert.match(text, /line 2, column 15: unexpected operator '\*'/);
    await vscode.commands.executeCommand('gradientLens.visualize');
    assert.ok(vscode.window.activeTextEditor, 'the editor is still there');
  });

  it('a definition that cannot be read is a squiggle at its message while the cursor is in it or the panel shows it, gone once it reads', async () => {
    const a = await api();
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'def f(x):\n    return x +* 2\n\n\ny = 1\n' });
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    const ours = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Gradient Lens');
    const squiggle = async (what: string): Promise<vscode.Diagnostic> => {
      await until(() => ours().length === 1, what);
      return ours()[0];
    };
    const put = async (from: string, to: string): Promise<void> => {
      const i = doc.getText().indexOf(from);
      assert.ok(i >= 0, `'${from}' in ${doc.getText()}`);
      await editor.edit((e) => e.replace(new vscode.Range(doc.positionAt(i), doc.positionAt(i + from.length)), to));
    };
    editor.selection = new vscode.Selection(1, 4, 1, 4);
    const d = await squiggle('a squiggle with the cursor in f');
    // the hover's message, at its line and column ('*' is column 15)
    assert.match(d.message, /^unexpected operator '\*'/);
    assert.deepStrictEqual([d.range.start.line, d.range.start.character], [1, 14]);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    // the cursor leaves the definition: nothing under it is broken
    editor.selection = new vscode.Selection(4, 0, 4, 0);
    await until(() => ours().length === 0, 'the squiggle gone with the cursor out of f');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await squiggle('the squiggle back with the cursor in f');
    await put('+* 2', '+ 2');
    await until(() => ours().length === 0, 'the squiggle gone once f reads');
    // the panel shows f; the cursor is elsewhere when an edit breaks it
    await vscode.commands.executeCommand('gradientLens.visualize', { uri: doc.uri.toString(), line: 0 });
    await until(() => a.panel.currentView()?.name === 'f', 'the panel on f');
    editor.selection = new vscode.Selection(4, 0, 4, 0);
    await put('x + 2', 'x ** (2');
    const e = await squiggle('a squiggle for the panel\'s definition');
    assert.strictEqual(e.range.start.line, 1);
    await put('x ** (2', 'x ** 2');
    await until(() => ours().length === 0, 'the panel\'s squiggle gone once f reads');
  });

  it('while an edit breaks a definition, the hover shows what is wrong and, marked stale, the definition as it last read', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'def f(w):\n    return (w - 3)**2\n' });
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    const w = new vscode.Position(0, 6);
    const good = await hoverText(doc.uri, w);
    // ∂f/∂w = 2(w − 3) at the start w = 1
    assert.ok(close(shownValue(good), -4), good);
    assert.doesNotMatch(good, /[Ss]tale/);
    await editor.edit((e) => e.insert(new vscode.Position(1, doc.lineAt(1).text.length), ' +* 1'));
    const broken = await hoverText(doc.uri, w);
    assert.match(broken, /cannot read this definition/);
    assert.match(broken, /line 2, column \d+: unexpected operator '\*'/);
    assert.match(broken, /Stale: as the definition last read/);
    assert.ok(close(shownValue(broken), -4), broken);
    // a word the definition does not name gets only the message, on its line
    assert.strictEqual(await hoverText(doc.uri, new vscode.Position(0, 1)), '');
    await editor.edit((e) => e.replace(new vscode.Range(1, doc.lineAt(1).text.length - 5, 1, doc.lineAt(1).text.length), ' + 1'));
    const fixed = await hoverText(doc.uri, w);
    assert.doesNotMatch(fixed, /[Ss]tale|cannot read/);
    assert.ok(close(shownValue(fixed), -4), fixed);
  });

  it('while an edit breaks a network\'s file, its hover shows what is wrong and, marked stale, the model as it last read, each layer found where it now is', async () => {
    const content = ['import numpy as np', 'from tensorflow import keras', 'model = keras.Sequential([',
      '    keras.layers.Dense(4, activation="tanh", input_shape=(2,)),', '    keras.layers.Dense(1, activation="sigmoid"),', '])',
      'model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5), loss="binary_crossentropy")',
      'X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])', 'y = np.array([[0], [1], [1], [0]])', 'model.fit(X, y, epochs=100)', ''].join('\n');
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content });
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One });
    const dense = (line: number): vscode.Position => new vscode.Position(line, doc.lineAt(line).text.indexOf('Dense') + 2);
    const norm = (text: string): string => /‖∂L\/∂W‖ = \*\*([-0-9.e+]+)\*\*/.exec(text)?.[1] ?? `no norm in ${text}`;
    const first = await hoverText(doc.uri, dense(3));
    const second = await hoverText(doc.uri, dense(4));
    assert.match(first, /Layer 1 of 2/);
    assert.match(second, /Layer 2 of 2.*\n*.*W: 1 × 4, b: 1 — 5 parameters/);
    assert.doesNotMatch(first, /[Ss]tale/);
    // a broken line typed above the second layer: the second layer is now on line 6
    await editor.edit((e) => e.insert(new vscode.Position(4, 0), '    keras.layers.Dense(2 *),\n'));
    const broken = await hoverText(doc.uri, dense(5));
    assert.match(broken, /cannot read this definition/);
    assert.match(broken, /line 5, column \d+: /);
    assert.match(broken, /Stale: as the model last read/);
    assert.match(broken, /Layer 2 of 2/);
    assert.match(broken, /W: 1 × 4, b: 1 — 5 parameters/);
    assert.strictEqual(norm(broken), norm(second), 'the last reading\'s ‖∂L/∂W‖');
    const above = await hoverText(doc.uri, dense(3));
    assert.match(above, /Stale: as the model last read/);
    assert.match(above, /Layer 1 of 2/);
    assert.strictEqual(norm(above), norm(first));
    // the model's first line: the summary, stale
    const model = await hoverText(doc.uri, new vscode.Position(2, 1));
    assert.match(model, /Stale: as the model last read/);
    assert.match(model, /keras network 2 → 4 tanh → 1 sigmoid/);
    // over the text the edit typed there is no last reading: the message alone, on its line
    const typed = await hoverText(doc.uri, new vscode.Position(4, doc.lineAt(4).text.indexOf('*')));
    assert.match(typed, /cannot read this definition/);
    assert.doesNotMatch(typed, /[Ss]tale|Layer/);
    await editor.edit((e) => e.delete(new vscode.Range(4, 0, 5, 0)));
    const fixed = await hoverText(doc.uri, dense(4));
    assert.doesNotMatch(fixed, /[Ss]tale|cannot read/);
    assert.match(fixed, /Layer 2 of 2/);
  });

  it('the command\'s error toast carries the whole located message, and in a notebook the cell', async () => {
    const a = await api();
    const toasts: string[] = [];
    const sub = a.problems.onDidToast((t) => toasts.push(t));
    try {
      const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'def f(x):\n    return x +* 2\n' });
      await vscode.commands.executeCommand('gradientLens.visualize', { uri: doc.uri.toString(), line: 0 });
      await until(() => toasts.length === 1, 'a toast');
      const hover = await hoverText(doc.uri, new vscode.Position(1, 13));
      const message = /column 15: (.*)/.exec(hover)?.[1];
      assert.ok(message, hover);
      assert.strictEqual(toasts[0], `Gradient Lens: ${doc.uri.path.split('/').pop()}:2:15: ${message}`);
      const nb = await vscode.workspace.openNotebookDocument('jupyter-notebook', new vscode.NotebookData([
        new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'import numpy as np\n', 'python'),
        new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, '# the cost', 'markdown'),
        new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'def f(x):\n    return x +* 2\n', 'python'),
      ]));
      await vscode.commands.executeCommand('gradientLens.visualize', { uri: nb.cellAt(2).document.uri.toString(), line: 0 });
      await until(() => toasts.length === 2, 'a toast from the cell');
      assert.match(toasts[1], /^Gradient Lens: [^:]+\.ipynb, cell 3, line 2:15: unexpected operator '\*'/);
    } finally {
      sub.dispose();
    }
  });

  it('CodeLens: one per recognised definition (a script one, a model class one), and the setting turns them off', async () => {
    const uri = workspaceFile('loss.py');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    const ours = lenses.filter((l) => l.command?.command === 'gradientLens.visualize');
    assert.deepStrictEqual(ours.map((l) => l.range.start.line), [5, 12, 16, 18]);
    // a 7-assignment micrograd script had 7, an nn.Module class 2 (the class and `net = XorNet()`): one each,
    // the script's on its `L.backward()` line, opening L
    // the provider is asked about open documents only
    for (const f of ['micrograd_script.py', 'xor_module.py']) await vscode.workspace.openTextDocument(workspaceFile(f));
    const script = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceFile('micrograd_script.py'));
    assert.deepStrictEqual(script.filter((l) => l.command?.command === 'gradientLens.visualize').map((l) => [l.range.start.line, l.command?.arguments?.[0]?.line]), [[11, 10]]);
    const model = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', workspaceFile('xor_module.py'));
    assert.deepStrictEqual(model.filter((l) => l.command?.command === 'gradientLens.visualize').map((l) => l.range.start.line), [7]);
    await vscode.workspace.getConfiguration('gradientLens').update('codeLens.enabled', false, vscode.ConfigurationTarget.Global);
    const none = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.strictEqual(none.filter((l) => l.command?.command === 'gradientLens.visualize').length, 0);
    await vscode.workspace.getConfiguration('gradientLens').update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Global);
  });
});
