/**
 * The "Visualize Gradient Descent" panel: one webview beside the editor,
 * tracking one definition in one document. It recomputes the view (core) when
 * the user changes a control or edits the definition, and mirrors the
 * animation's current step back into the editor as a decoration.
 */
import * as vscode from 'vscode';
import { FunctionView, FromWebviewMessage, ToWebviewMessage, parseFromWebview } from '../protocol';
import { ViewOptions, functionView } from '../core/viewModel';
import { fmt } from '../core/format';
import { graphAt } from '../core/analysis';
import { FunctionDefinition } from '../core/source/definition';
import type { Definition } from '../core/find';
import { NetworkSession } from './networkSession';
import { LineIndex } from '../core/errors';
import { DocumentModel } from './documentModel';
import { panelHtml } from './html';
import { settings } from './settings';

export const VIEW_TYPE = 'gradientLens.panel';

/** What the serializer stores to restore the panel after a reload. */
interface PersistedState {
  uri: string;
  line: number;
}

export interface PanelTarget {
  uri: vscode.Uri;
  /** 0-based line inside or near the definition */
  line: number;
}

export class PanelController implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private target: PanelTarget | undefined;
  private def: Definition | undefined;
  private network: NetworkSession | undefined;
  private options: ViewOptions | undefined;
  private view: FunctionView | undefined;
  private step = 0;
  private ready = false;
  private pending: ToWebviewMessage[] = [];
  private debounce: NodeJS.Timeout | undefined;
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
  });
  private readonly messageEmitter = new vscode.EventEmitter<FromWebviewMessage>();
  /** Every valid message from the webview (the integration tests listen here). */
  readonly onDidReceiveMessage = this.messageEmitter.event;
  private readonly log: vscode.OutputChannel;

  constructor(private readonly context: vscode.ExtensionContext, private readonly model: DocumentModel, log: vscode.OutputChannel) {
    this.log = log;
  }

  dispose(): void {
    this.panel?.dispose();
    this.decoration.dispose();
    this.messageEmitter.dispose();
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** The point the animation shows now, for hovers: parameter → value. */
  currentPoint(uri: vscode.Uri, def: FunctionDefinition): Record<string, number> | undefined {
    if (!this.view || !this.target || this.target.uri.toString() !== uri.toString()) return undefined;
    if (this.def?.kind !== 'function' || this.def.startLine !== def.startLine) return undefined;
    const s = this.view.steps[Math.min(this.step, this.view.steps.length - 1)];
    if (!s) return undefined;
    const out: Record<string, number> = {};
    this.view.params.forEach((p, i) => {
      const v = s.point[i];
      if (v !== null) out[p] = v;
    });
    return out;
  }

  currentView(): FunctionView | undefined {
    return this.view;
  }

  /** The network being trained in the panel, when it is this definition (hover shows its gradients). */
  currentNetwork(uri: vscode.Uri, startLine: number): NetworkSession | undefined {
    if (!this.network || !this.target || this.target.uri.toString() !== uri.toString() || this.network.def.startLine !== startLine) return undefined;
    return this.network;
  }

  /** Opens (or retargets) the panel for the definition at `target`. */
  async show(target: PanelTarget): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(target.uri);
    const built = this.model.definitionNear(doc, target.line);
    if (!built) {
      void vscode.window.showWarningMessage(`Gradient Lens: no function definition found at line ${target.line + 1} of ${vscode.workspace.asRelativePath(doc.uri)}.`);
      return;
    }
    if (!built.ok) {
      const e = built.error;
      void vscode.window.showErrorMessage(`Gradient Lens: ${vscode.workspace.asRelativePath(doc.uri)}:${e.line}:${e.column}: ${e.message}`);
      return;
    }
    const sameDefinition = this.target?.uri.toString() === target.uri.toString() && this.def?.name === built.def.name && this.def?.kind === built.def.kind;
    this.target = target;
    this.def = built.def;
    this.network?.dispose();
    this.network = undefined;
    if (built.def.kind === 'function' && (!sameDefinition || !this.options)) this.options = this.defaultOptions(built.def);
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(VIEW_TYPE, this.title(doc), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
      this.attach(this.panel);
    } else {
      this.panel.title = this.title(doc);
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    this.render();
  }

  /** WebviewPanelSerializer: restore the panel after a window reload. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.panel = panel;
    panel.webview.options = this.webviewOptions();
    this.attach(panel);
    const s = state as Partial<PersistedState> | undefined;
    if (s && typeof s.uri === 'string' && typeof s.line === 'number') {
      try {
        await this.show({ uri: vscode.Uri.parse(s.uri), line: s.line });
      } catch (e) {
        this.post({ type: 'problem', message: `could not reopen ${s.uri}: ${(e as Error).message}`, location: s.uri });
      }
    }
  }

  /** Live update: the tracked document changed; re-parse after a pause in typing. */
  documentChanged(doc: vscode.TextDocument): void {
    if (!this.panel || !this.target || doc.uri.toString() !== this.target.uri.toString()) return;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.reparse(doc), 300);
  }

  private reparse(doc: vscode.TextDocument): void {
    if (!this.target || !this.options) return;
    const built = this.model.definitionNear(doc, this.target.line);
    if (!built) {
      this.post({ type: 'problem', message: 'the definition is gone', location: `${vscode.workspace.asRelativePath(doc.uri)}:${this.target.line + 1}` });
      return;
    }
    if (!built.ok) {
      const e = built.error;
      this.post({ type: 'problem', message: e.message, location: `${vscode.workspace.asRelativePath(doc.uri)}:${e.line}:${e.column}` });
      return;
    }
    this.def = built.def;
    if (built.def.kind === 'network') {
      if (this.network) this.network.redefine(built.def);
      else this.render();
      return;
    }
    if (!this.options) this.options = this.defaultOptions(built.def);
    // Keep the controls; parameters that are new get the default start.
    const dflt = this.defaultOptions(built.def);
    this.options = { ...this.options, start: { ...dflt.start, ...pick(this.options.start, built.def.params) } };
    this.render();
  }

  private defaultOptions(def: FunctionDefinition): ViewOptions {
    const s = settings();
    return {
      learningRate: s.learningRate,
      maxSteps: s.maxSteps,
      optimizer: 'gd',
      start: Object.fromEntries(def.params.map((p) => [p, def.defaults[p] ?? s.startPoint])),
    };
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist'), vscode.Uri.joinPath(this.context.extensionUri, 'media')],
    };
  }

  private title(doc: vscode.TextDocument): string {
    const file = doc.uri.path.split('/').pop() ?? 'untitled';
    return `Gradient Lens — ${file}`;
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.ready = false;
    panel.webview.html = panelHtml(panel.webview, this.context.extensionUri, panel.title);
    panel.webview.onDidReceiveMessage((raw: unknown) => this.receiveRaw(raw), undefined, this.context.subscriptions);
    panel.onDidDispose(() => {
      this.network?.dispose();
      this.network = undefined;
      this.panel = undefined;
      this.view = undefined;
      this.ready = false;
      this.clearDecoration();
    }, undefined, this.context.subscriptions);
  }

  /** The boundary: every message from the webview is validated here before anything acts on it. */
  receiveRaw(raw: unknown): void {
    const m = parseFromWebview(raw);
    if (!m) {
      this.log.appendLine(`dropped a malformed message from the webview: ${safeJson(raw)}`);
      return;
    }
    this.receive(m);
    this.messageEmitter.fire(m);
  }

  private receive(m: FromWebviewMessage): void {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        for (const p of this.pending.splice(0)) void this.panel?.webview.postMessage(p);
        break;
      case 'train':
      case 'networkOptions':
        this.network?.handle(m);
        break;
      case 'networkProgress':
        this.decorateNetwork(m.epoch, m.loss);
        break;
      case 'revealLayer': {
        const layer = this.def?.kind === 'network' ? this.def.layers[m.layer] : undefined;
        if (layer) void this.reveal(layer.range.start, layer.range.end);
        break;
      }
      case 'setOptions':
        if (!this.options || this.def?.kind !== 'function') return;
        this.options = { ...this.options, ...m.options, start: { ...this.options.start, ...(m.options.start ? pick(m.options.start, this.def.params) : {}) } };
        this.render();
        break;
      case 'step':
      case 'finished':
        this.step = m.step;
        this.decorate();
        this.postGraph();
        break;
      case 'slice':
        if (!this.options) return;
        this.options = { ...this.options, slice: { x: m.x, y: m.y, step: m.step } };
        this.render();
        break;
      case 'revealNode':
        void this.revealNode(m.node);
        break;
    }
  }

  private async revealNode(id: number): Promise<void> {
    const node = this.view?.graph.nodes[id];
    if (!node || node.start < 0) return;
    await this.reveal(node.start, node.end);
  }

  /** Selects document offsets [start, end) in the editor beside the panel. */
  private async reveal(start: number, end: number): Promise<void> {
    if (!this.target) return;
    const doc = await vscode.workspace.openTextDocument(this.target.uri);
    const range = new vscode.Range(doc.positionAt(start), doc.positionAt(end));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false, selection: range });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private render(): void {
    if (!this.def || !this.target || !this.panel) return;
    const file = vscode.workspace.asRelativePath(this.target.uri);
    if (this.def.kind === 'network') {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.target?.uri.toString());
      const lines = new LineIndex(doc?.getText() ?? '');
      this.view = undefined;
      this.network = new NetworkSession(this.def, (m) => this.post(m), file, (o) => lines.position(o).line, { uri: this.target.uri.toString(), line: this.target.line });
      this.network.show();
      return;
    }
    if (!this.options) return;
    try {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.target?.uri.toString());
      this.view = functionView(this.def, file, this.options, doc?.getText());
    } catch (e) {
      this.log.appendLine(`could not compute the view: ${(e as Error).message}`);
      this.post({ type: 'problem', message: `could not compute the descent: ${(e as Error).message}`, location: file });
      return;
    }
    this.step = 0;
    const restore: PersistedState = { uri: this.target.uri.toString(), line: this.target.line };
    this.post({ type: 'show', view: this.view, restore });
    this.decorate();
  }

  /** Sends now, or once the webview said it is ready. */
  post(m: ToWebviewMessage): void {
    if (!this.panel) return;
    if (this.ready) void this.panel.webview.postMessage(m);
    else {
      // only the latest view matters; frames are increments and all kept
      if (m.type !== 'networkFrame') this.pending = this.pending.filter((p) => p.type !== m.type);
      this.pending.push(m);
    }
  }

  /** The Backprop view shows the graph at the descent's current step. */
  private postGraph(): void {
    if (!this.view || this.def?.kind !== 'function' || !this.target) return;
    const s = this.view.steps[Math.min(this.step, this.view.steps.length - 1)];
    if (!s || s.point.some((v) => v === null)) return;
    const point = Object.fromEntries(this.view.params.map((p, i) => [p, s.point[i] as number]));
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === this.target?.uri.toString());
    this.post({ type: 'graph', step: this.step, graph: graphAt(this.def, point, doc?.getText()) });
  }

  private decorateNetwork(epoch: number, loss: number): void {
    if (this.def?.kind !== 'network' || !this.target) return;
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.target?.uri.toString());
    if (!editor) return;
    const line = editor.document.positionAt(this.def.range.start).line;
    const end = editor.document.lineAt(line).range.end;
    editor.setDecorations(this.decoration, [{ range: new vscode.Range(end, end), renderOptions: { after: { contentText: `epoch ${epoch}: loss = ${fmt(loss)}` } } }]);
  }

  private decorate(): void {
    if (!this.view || !this.target || this.def?.kind !== 'function') return;
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.target?.uri.toString());
    if (!editor) return;
    const s = this.view.steps[Math.min(this.step, this.view.steps.length - 1)];
    if (!s) return;
    const grad = s.gradient.map(fmt).join(', ');
    const text = `step ${this.step}: ${this.def.name ?? 'f'} = ${fmt(s.value)}, ∇ = (${grad})`;
    const line = new LineIndex(editor.document.getText()).position(this.def.range.start).line - 1;
    const end = editor.document.lineAt(line).range.end;
    editor.setDecorations(this.decoration, [{ range: new vscode.Range(end, end), renderOptions: { after: { contentText: text } } }]);
  }

  private clearDecoration(): void {
    for (const e of vscode.window.visibleTextEditors) e.setDecorations(this.decoration, []);
  }
}

function pick(o: Record<string, number>, keys: readonly string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v).slice(0, 200);
  } catch {
    return String(v);
  }
}
