/**
 * The "Visualize Gradient Descent" panel: one webview beside the editor,
 * tracking one definition in one document. The controller owns the panel's
 * lifecycle (create, restore after a reload, dispose), validates every
 * message at the boundary and routes it to the session of what is shown: a
 * FunctionSession or a NetworkSession. Live edits reach either session.
 */
import * as vscode from 'vscode';
import { ChartName, FromWebviewMessage, RestoreState, ToWebviewMessage, parseFromWebview } from '../protocol';
import type { DescentExportFormat } from '../core/exportDescent';
import { isStochastic, stepTableCsv } from '../core/stepRecord';
import type { ViewOptions } from '../core/viewModel';
import type { Definition } from '../core/find';
import type { FunctionView } from '../core/views';
import { FunctionDefinition } from '../core/source/definition';
import { NetworkDefinition, parameterCount } from '../core/network/spec';
import { LineIndex } from '../core/errors';
import { DocumentModel } from './documentModel';
import type { ExportFormat } from '../core/network/export';
import { panelParts } from './parts';
import type { QuickPick } from './dataPicker';
import type { RolePick } from './rolePicker';
import { FunctionSession } from './functionSession';
import { NetworkSession } from './networkSession';
import { StepDecoration } from './decorations';
import { panelHtml } from './html';
import { settings } from './settings';
import { descentOf } from '../core/hints';
import { Problems, displayPath, located } from './problems';

export const VIEW_TYPE = 'gradientLens.panel';

export interface PanelTarget {
  uri: vscode.Uri;
  /** 0-based line inside or near the definition */
  line: number;
}

type Session = { kind: 'function'; s: FunctionSession } | { kind: 'network'; s: NetworkSession };

export class PanelController implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private target: PanelTarget | undefined;
  private session: Session | undefined;
  /** whether messages go to the page at once, else what waits for it to say it is ready (see post) */
  private sendNow = false;
  private pending: ToWebviewMessage[] = [];
  /** what was sent to a new page before it said it was ready: sent again if the page says no view reached it (see post) */
  private unconfirmed: ToWebviewMessage[] | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private readonly decoration = new StepDecoration();
  private readonly messageEmitter = new vscode.EventEmitter<FromWebviewMessage>();
  private readonly postEmitter = new vscode.EventEmitter<ToWebviewMessage>();
  /** Every valid message from the webview (the integration tests listen here). */
  readonly onDidReceiveMessage = this.messageEmitter.event;
  /** Every message sent to the webview (the integration tests listen here). */
  readonly onDidPostMessage = this.postEmitter.event;

  private readonly shownEmitter = new vscode.EventEmitter<void>();
  /** The panel opened on another definition, or closed (the diagnostics of what it shows follow). */
  readonly onDidChangeShown = this.shownEmitter.event;

  /** `problems` toasts what cannot be read (the webview tests' host has none). */
  constructor(private readonly context: vscode.ExtensionContext, private readonly model: DocumentModel, private readonly log: vscode.OutputChannel, private readonly problems?: Problems) {}

  /** The document and line of the definition the panel shows, while it is open. */
  get shown(): PanelTarget | undefined {
    return this.panel ? this.target : undefined;
  }

  dispose(): void {
    this.session?.s.dispose();
    this.panel?.dispose();
    this.decoration.dispose();
    this.messageEmitter.dispose();
    this.postEmitter.dispose();
    this.shownEmitter.dispose();
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Offers the data picker's candidates (the integration tests answer in its place). */
  quickPick: QuickPick = (items, options) => vscode.window.showQuickPick(items, options);

  /** The data picker on the cost at `target` (`arg`: that argument only), then the panel on it with the data chosen. */
  chooseData(target: PanelTarget, arg?: string): Promise<void> {
    return panelParts().chooseData(this.model, target, arg, this.quickPick, {
      show: (t) => this.show(t),
      warn: (message) => this.problems?.warn(message),
    });
  }

  /** Offers a plain-number forward pass's names to tick as parameters (the tests answer in its place). */
  rolePick: RolePick = (items, options) => vscode.window.showQuickPick(items, { ...options, canPickMany: true });

  /** "Parameters and Held Names…" on the forward pass at `target`, then the panel on it read with the choice. */
  chooseRoles(target: PanelTarget): Promise<void> {
    return panelParts().chooseRoles(this.model, target, this.rolePick, {
      show: (t) => this.show(t),
      warn: (message) => this.problems?.warn(message),
    });
  }

  /** The point the animation shows now, for hovers: parameter → value. */
  currentPoint(uri: vscode.Uri, def: FunctionDefinition): Record<string, number> | undefined {
    const s = this.functionSession();
    if (!s || !this.isTarget(uri) || s.def.startLine !== def.startLine) return undefined;
    return s.currentPoint();
  }

  currentView(): FunctionView | undefined {
    return this.functionSession()?.currentView;
  }

  /** The network being trained in the panel, when it is this definition (hover shows its gradients). */
  currentNetwork(uri: vscode.Uri, startLine: number): NetworkSession | undefined {
    const s = this.session?.kind === 'network' ? this.session.s : undefined;
    return s && this.isTarget(uri) && s.def.startLine === startLine ? s : undefined;
  }

  /** The network session the panel shows, if any. */
  get networkSession(): NetworkSession | undefined {
    return this.session?.kind === 'network' ? this.session.s : undefined;
  }

  /** Opens (or retargets) the panel for the definition at `target`. */
  async show(target: PanelTarget): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(target.uri);
    let built = this.model.definitionNear(doc, target.line);
    // data files the definition reads are read asynchronously: wait for them (a file may name another)
    for (let k = 0, reading = this.model.whenRead(doc); reading && k < 4; k++, reading = this.model.whenRead(doc)) {
      await reading;
      built = this.model.definitionNear(doc, target.line);
    }
    if (!built) {
      this.problems?.warn(`Gradient Lens: no function definition found at ${located(doc, target.line + 1)}.`);
      return;
    }
    if (!built.ok) {
      void this.problems?.toast(doc, built.error);
      return;
    }
    this.markStale(null);
    const same = this.isTarget(target.uri) && this.session?.s.def.kind === built.def.kind && this.session.s.def.name === built.def.name;
    if (this.debounce) clearTimeout(this.debounce); // an edit pending for the old target no longer applies
    this.target = target;
    this.shownEmitter.fire();
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(VIEW_TYPE, this.title(doc), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
      this.attach(this.panel);
      this.sendNow = true;
      this.unconfirmed = [];
      // Let the workbench start loading the webview before the view is computed: the two then overlap.
      await new Promise((r) => setTimeout(r, 0));
    } else {
      this.panel.title = this.title(doc);
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    // The same function keeps its controls (η, start, optimizer); anything else starts afresh.
    if (same && this.session) this.redefine(built.def);
    else this.start(built.def, doc);
  }

  /** WebviewPanelSerializer: restore the panel after a window reload. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    this.panel = panel;
    panel.webview.options = this.webviewOptions();
    this.attach(panel);
    const s = state as Partial<RestoreState> | undefined;
    if (s && typeof s.uri === 'string' && typeof s.line === 'number') {
      try {
        await this.show({ uri: vscode.Uri.parse(s.uri), line: s.line });
      } catch (e) {
        this.post({ type: 'problem', message: `could not reopen ${s.uri}: ${(e as Error).message}`, location: s.uri });
      }
    }
  }

  /** Live update: the tracked document changed; re-read it after a pause in typing. */
  documentChanged(doc: vscode.TextDocument): void {
    if (!this.panel || !this.target || !this.isTarget(doc.uri)) return;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.reread(doc), 300);
  }

  private reread(doc: vscode.TextDocument): void {
    // the panel may have moved to another document since the edit
    if (!this.target || !this.session || !this.isTarget(doc.uri)) return;
    const built = this.model.definitionNear(doc, this.target.line);
    // a data file is still being read: the model reads the document again when it is (onDidChangeData)
    if (this.model.whenRead(doc)) return;
    // the panel keeps the view of the definition as it last read, marked stale, until the code reads again
    if (!built) {
      this.markStale({ message: 'the definition is gone', location: located(doc, this.target.line + 1) });
      return;
    }
    if (!built.ok) {
      const e = built.error;
      this.markStale({ message: e.message, location: located(doc, e.line, e.column) });
      return;
    }
    this.markStale(null);
    if (built.def.kind === this.session.kind) this.redefine(built.def);
    else this.start(built.def, doc);
  }

  /** The trained network in an untitled editor beside: weights as JSON or code, or the loss curve as CSV. */
  private async exportNetwork(format: ExportFormat): Promise<void> {
    if (this.session?.kind !== 'network') return;
    const { def } = this.session.s;
    const { weights, losses } = await this.session.s.snapshot();
    const out = panelParts().exportNetwork(def, weights, losses, format);
    await this.openBeside(out.text, out.language);
  }

  /** The function's descent shown, as a NumPy or plain JavaScript script in an untitled editor beside. */
  private async exportDescent(format: DescentExportFormat): Promise<void> {
    const s = this.functionSession();
    const v = s?.currentView;
    if (!s || !v) return;
    const where = this.target ? displayPath(this.target.uri) : v.file;
    // the script runs full-batch descent: it would not reproduce a mini-batch run
    if (isStochastic(v.steps)) {
      this.post({ type: 'problem', message: 'the exported script runs full-batch descent: set the batch to all samples to export this descent', location: where });
      return;
    }
    let code: string;
    try {
      code = panelParts().exportDescent(s.def, { optimizer: v.options.optimizer, learningRate: v.options.learningRate, start: v.options.start, steps: v.steps.length - 1 }, format);
    } catch (e) {
      this.post({ type: 'problem', message: `could not export the descent: ${(e as Error).message}`, location: where });
      return;
    }
    await this.openBeside(code, format === 'numpy' ? 'python' : 'javascript');
  }

  /** The step table of the descent shown, every step with every digit, as CSV in an untitled editor beside. */
  private async exportSteps(): Promise<void> {
    const v = this.functionSession()?.currentView;
    if (!v) return;
    await this.openBeside(stepTableCsv(v.options.optimizer, v.name ?? 'f', v.params, v.steps), 'csv');
  }

  /** What the panel exports, in a new untitled editor in the code's column, beside the panel. */
  private async openBeside(content: string, language: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument({ content, language });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
  }

  /** A chart the webview drew (a PNG data URL the protocol checked): the user picks where, the host writes it. */
  private async saveImage(chart: ChartName, dataUrl: string): Promise<void> {
    const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
    const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    if (bytes.length < PNG.length || PNG.some((b, i) => bytes[i] !== b)) {
      this.log.appendLine(`dropped an image from the webview that is not a PNG (${bytes.length} bytes)`);
      return;
    }
    const stem = (this.functionSession()?.currentView?.name ?? 'gradient-lens').replace(/[^A-Za-z0-9_-]/g, '_');
    const folder = this.target && this.target.uri.scheme !== 'untitled' ? vscode.Uri.joinPath(this.target.uri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${stem}-${chart}.png`;
    const uri = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { 'PNG image': ['png'] }, saveLabel: 'Save chart' });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, new Uint8Array(bytes));
    void vscode.window.showInformationMessage(`Gradient Lens: saved the ${chart} chart to ${displayPath(uri)}`);
  }

  /** The network the panel shows neuron by neuron (the way back), while it does. */
  private neuronsOf: NetworkDefinition | undefined;

  /** A small network as one scalar function of its weights, at the trainer's current weights: the function panel and its Backprop view. */
  private async showNeurons(): Promise<void> {
    if (this.session?.kind !== 'network' || !this.target) return;
    const session = this.session.s;
    const net = session.def;
    const refusal = panelParts().neuronViewRefusal(net, parameterCount(net));
    if (refusal) {
      this.post({ type: 'problem', message: refusal, location: displayPath(this.target.uri) });
      return;
    }
    const { weights, data, learningRate: lr } = await session.snapshot(true);
    // the panel moved on while the weights were on their way
    if (this.session?.s !== session || !this.target || !data) return;
    const { def, notes } = panelParts().networkAsFunction(net, weights, data);
    const doc = this.document();
    if (!doc) return;
    session.dispose();
    const restore: RestoreState = { uri: this.target.uri.toString(), line: this.target.line };
    const s = new FunctionSession(def, displayPath(doc.uri), restore, {
      post: (m) => this.post(m.type === 'show' ? { ...m, view: { ...m.view, fromNetwork: { title: `${net.name ?? 'network'} (${net.framework})`, notes } } } : m),
      sourceText: () => this.document()?.getText(),
      // one step at a time from the network's weights, at its learning rate
      defaultOptions: (d) => ({ learningRate: lr, maxSteps: 50, optimizer: 'gd', start: Object.fromEntries(d.params.map((p) => [p, d.defaults[p]])) }),
      stepChanged: () => this.decorate(),
      log: (m) => this.log.appendLine(m),
    });
    this.session = { kind: 'function', s };
    this.neuronsOf = net;
    s.show();
  }

  /** Whether the webview marks its view stale (the definition shown does not read now). */
  private stale = false;

  /** Marks the view stale with what is wrong and where, or (null) fresh again: said to the webview when it changes. */
  private markStale(problem: { message: string; location: string } | null): void {
    if (!problem && !this.stale) return;
    this.stale = problem !== null;
    this.post({ type: 'stale', problem });
  }

  private start(def: Definition, doc: vscode.TextDocument): void {
    if (!this.target) return;
    if (def.kind === 'network') this.neuronsOf = undefined;
    this.session?.s.dispose();
    const file = displayPath(doc.uri);
    const restore: RestoreState = { uri: this.target.uri.toString(), line: this.target.line };
    if (def.kind === 'function') {
      const s = new FunctionSession(def, file, restore, {
        post: (m) => this.post(m),
        sourceText: () => this.document()?.getText(),
        defaultOptions: (d) => this.defaultOptions(d),
        stepChanged: () => this.decorate(),
        log: (m) => this.log.appendLine(m),
      });
      this.session = { kind: 'function', s };
      s.show();
    } else {
      const lines = new LineIndex(doc.getText());
      const s = new NetworkSession(def, this.model.platform.startEngine(), (m) => this.post(m), () => this.decorate(), file, (o) => lines.position(o).line, restore);
      this.session = { kind: 'network', s };
      s.show();
    }
  }

  private redefine(def: Definition): void {
    if (this.session?.kind === 'function' && def.kind === 'function') this.session.s.redefine(def);
    else if (this.session?.kind === 'network' && def.kind === 'network') this.session.s.redefine(def);
  }

  /** The settings, with the file's own learning rate and iteration count where it sets them. */
  private defaultOptions(def: FunctionDefinition): ViewOptions {
    const s = settings();
    const hints = descentOf(def, this.document()?.getText() ?? '');
    return {
      learningRate: hints.learningRate ?? s.learningRate,
      maxSteps: hints.maxSteps ?? s.maxSteps,
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

  /** "Gradient Lens — loss.py": the file's name only, never an absolute path. */
  private title(doc: vscode.TextDocument): string {
    const file = doc.uri.path.split('/').pop() || 'untitled';
    return `Gradient Lens — ${file}`;
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.sendNow = false;
    this.unconfirmed = undefined;
    this.stale = false;
    panel.webview.html = panelHtml(panel.webview, this.context.extensionUri, panel.title);
    panel.webview.onDidReceiveMessage((raw: unknown) => this.receiveRaw(raw), undefined, this.context.subscriptions);
    panel.onDidDispose(() => {
      this.session?.s.dispose();
      this.session = undefined;
      this.panel = undefined;
      this.sendNow = false;
      this.pending = [];
      this.unconfirmed = undefined;
      this.decoration.clear();
      this.shownEmitter.fire();
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
      case 'ready': {
        const sent = this.unconfirmed ?? [];
        this.unconfirmed = undefined;
        if (!m.shown && sent.length > 0) this.send({ type: 'replay', messages: sent });
        this.sendNow = true;
        for (const p of this.pending.splice(0)) this.send(p);
        return;
      }
      case 'revealNode': {
        const r = this.functionSession()?.nodeRange(m.node);
        if (r) void this.reveal(r.start, r.end);
        return;
      }
      case 'revealLayer': {
        const def = this.session?.kind === 'network' ? this.session.s.def : undefined;
        const layer = def?.layers[m.layer];
        if (layer) void this.reveal(layer.range.start, layer.range.end);
        return;
      }
      case 'frameDrawn':
        if (this.session?.kind === 'network') this.session.s.handle(m);
        this.decorate();
        return;
      case 'neurons':
        void this.showNeurons();
        return;
      case 'export':
        void this.exportNetwork(m.format);
        return;
      case 'backToNetwork':
        if (this.neuronsOf) {
          const doc = this.document();
          const net = this.neuronsOf;
          this.neuronsOf = undefined;
          if (doc) this.start(net, doc);
        }
        return;
      case 'train':
      case 'networkOptions':
      case 'layerHeatmap':
      case 'networkRace':
      case 'landscape':
        if (this.session?.kind === 'network') this.session.s.handle(m);
        return;
      case 'exportDescent':
        void this.exportDescent(m.format);
        return;
      case 'exportSteps':
        void this.exportSteps();
        return;
      case 'chooseData':
        if (this.target) void this.chooseData(this.target, m.arg).catch((e: Error) => this.log.appendLine(`the data picker failed: ${e.message}`));
        return;
      case 'chooseRoles':
        if (this.target) void this.chooseRoles(this.target).catch((e: Error) => this.log.appendLine(`the parameter picker failed: ${e.message}`));
        return;
      case 'saveImage':
        void this.saveImage(m.chart, m.png).catch((e: Error) => this.post({ type: 'problem', message: `could not save the chart: ${e.message}`, location: m.chart }));
        return;
      case 'setOptions':
      case 'slice':
      case 'step':
      case 'finished':
      case 'race':
      case 'sweep':
        this.functionSession()?.handle(m);
        return;
    }
  }

  /** Selects document offsets [start, end) in the editor beside the panel. */
  private async reveal(start: number, end: number): Promise<void> {
    if (!this.target) return;
    const doc = await vscode.workspace.openTextDocument(this.target.uri);
    const range = new vscode.Range(doc.positionAt(start), doc.positionAt(end));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false, selection: range });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /**
   * Sends now, or once the page said it is ready (only the latest view is kept; frames are increments).
   * A page this controller has just created takes messages at once, also while it loads: VS Code queues
   * what is posted to it, and the page keeps what arrives before its script runs (html.ts), so the view is
   * on its way while the page loads (it arrived 54–118 ms after the page's script ran, now 11–33 ms).
   * VS Code's web workbench sometimes drops that queue (code-server's web worker host: in 5 of 9 windows
   * after the browser's first, the page stayed blank): a page that says it is ready with no view gets
   * what was sent before, again, as one replay it applies only if nothing had arrived. A
   * page VS Code restored after a reload waits for ready: sent to at once, it stayed blank in the UI
   * stage (VS Code's webview drops what it queued when the content it restored is replaced).
   */
  post(m: ToWebviewMessage): void {
    if (!this.panel) return;
    if (this.sendNow) this.send(m);
    else {
      if (m.type !== 'networkFrame') this.pending = this.pending.filter((p) => p.type !== m.type);
      this.pending.push(m);
    }
  }

  private send(m: ToWebviewMessage): void {
    this.unconfirmed?.push(m);
    void this.panel?.webview.postMessage(m);
    this.postEmitter.fire(m);
  }

  private decorate(): void {
    if (!this.target || !this.session) return;
    const text = this.session.s.decoration();
    const def: FunctionDefinition | NetworkDefinition = this.session.s.def;
    if (text) this.decoration.show(this.target.uri, def.range.start, text);
  }

  private functionSession(): FunctionSession | undefined {
    return this.session?.kind === 'function' ? this.session.s : undefined;
  }

  private document(): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => this.isTarget(d.uri));
  }

  private isTarget(uri: vscode.Uri): boolean {
    return this.target?.uri.toString() === uri.toString();
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v).slice(0, 200);
  } catch {
    return String(v);
  }
}
