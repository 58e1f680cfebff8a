/**
 * The real PanelController (src/extension/panel.ts) driving the built webview
 * in Chromium: the `vscode` module is the stub in vscodeStub.ts (bundled in
 * its place for these tests), documents live in memory, and every message
 * between page and host passes through the extension's own validation and
 * routing — no re-implemented host.
 */
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import * as vscode from 'vscode';
import { PanelController } from '../../src/extension/panel';
import { DocumentModel } from '../../src/extension/documentModel';
import { nodePlatform } from '../../src/extension/platform.node';
import type { FromWebviewMessage, FunctionView, ToWebviewMessage } from '../../src/protocol';
import { openPanelPage } from './harness';
import { host, TextDocument, Uri } from './vscodeStub';

export class HostedPanel {
  readonly received: FromWebviewMessage[] = [];
  readonly posted: ToWebviewMessage[] = [];
  readonly controller: PanelController;
  private readonly model: DocumentModel;
  private constructor(readonly page: Page) {
    const context = { extensionUri: Uri.file('/ext'), subscriptions: [] as Array<{ dispose(): void }> };
    // the platform finds the built network worker (dist/network-worker.js) in the repository, as the extension finds it in its folder
    const repository = { ...context, extensionUri: Uri.file(path.resolve(__dirname, '..', '..', '..')) };
    this.model = new DocumentModel(nodePlatform(repository as unknown as vscode.ExtensionContext));
    this.controller = new PanelController(context as unknown as vscode.ExtensionContext, this.model, vscode.window.createOutputChannel('test'));
    this.controller.onDidReceiveMessage((m) => this.received.push(m));
    this.controller.onDidPostMessage((m) => this.posted.push(m));
  }

  /** A page with the webview, and a controller that will own it once `show` creates the panel. */
  static async open(browser: Browser, viewport: { width: number; height: number }, errors: string[]): Promise<HostedPanel> {
    host.documents = [];
    host.selections = [];
    host.decorations = [];
    host.messages = [];
    host.files = new Map();
    host.saveAs = undefined;
    host.saveDialogs = [];
    host.written = [];
    host.fromPage.dispose();
    // Until the panel exists, what the page says waits (as a real webview loads only after the panel is created).
    const early: unknown[] = [];
    let live = false;
    const page = await openPanelPage(browser, viewport, (m: FromWebviewMessage) => (live ? host.fromPage.fire(m) : early.push(m)), errors);
    const hp = new HostedPanel(page);
    // as JSON text, as a webview's messages travel (Playwright's own serializer takes ~90 ms for a 784-input view, which no user pays)
    host.toPage = (m) => { page.evaluate((x) => window.postMessage(JSON.parse(x), '*'), JSON.stringify(m)).catch(() => undefined); };
    host.onLoad = () => {
      if (live) return;
      live = true;
      for (const m of early.splice(0)) host.fromPage.fire(m);
    };
    return hp;
  }

  /** Adds a document (in the workspace /work unless `name` is absolute) and opens the panel on `line` (1-based), as the command does. */
  async show(name: string, text: string, language: string, line: number): Promise<TextDocument> {
    const doc = this.open(name, text, language);
    await this.controller.show({ uri: doc.uri as unknown as vscode.Uri, line: line - 1 });
    return doc;
  }

  /** The user opens a file: the editor reads it (CodeLens, hover) before any command. */
  opened(name: string, text: string, language: string, line: number): void {
    this.model.definitionNear(this.open(name, text, language) as unknown as vscode.TextDocument, line - 1);
  }

  private open(name: string, text: string, language: string): TextDocument {
    const uri = Uri.file(name.startsWith('/') ? name : `/work/${name}`);
    const known = host.documents.find((d) => d.uri.toString() === uri.toString() && d.getText() === text);
    if (known) return known;
    const doc = new TextDocument(uri, text, language);
    host.documents.push(doc);
    return doc;
  }

  /** The user edits the document: the controller hears of it as from onDidChangeTextDocument. */
  edit(doc: TextDocument, text: string): void {
    doc.setText(text);
    this.controller.documentChanged(doc as unknown as vscode.TextDocument);
  }

  get view(): FunctionView {
    const v = this.controller.currentView();
    if (!v) throw new Error('no function view');
    return v;
  }

  /** The last message of a type the webview sent. */
  last<T extends FromWebviewMessage['type']>(type: T): Extract<FromWebviewMessage, { type: T }> | undefined {
    return this.received.filter((m): m is Extract<FromWebviewMessage, { type: T }> => m.type === type).pop();
  }

  dispose(): void {
    this.controller.dispose();
  }
}
