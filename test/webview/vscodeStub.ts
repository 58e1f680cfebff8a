/**
 * A stand-in for the `vscode` module, just large enough to run the real
 * PanelController (src/extension/panel.ts) in plain Node: in-memory text
 * documents, one webview panel bound to a page in Chromium, recorded
 * selections and decorations. The webview tests bundle this in place of
 * `vscode` (esbuild alias), so the messages between page and host go through
 * the extension's own routing and validation.
 */
type Listener<T> = (e: T) => unknown;

export class Disposable {
  constructor(private readonly fn: () => void = () => undefined) {}
  dispose(): void { this.fn(); }
}

export class EventEmitter<T> {
  private listeners: Array<Listener<T>> = [];
  readonly event = (l: Listener<T>): Disposable => {
    this.listeners.push(l);
    return new Disposable(() => { this.listeners = this.listeners.filter((x) => x !== l); });
  };
  fire(e: T): void { for (const l of [...this.listeners]) l(e); }
  dispose(): void { this.listeners = []; }
}

export class Position {
  constructor(readonly line: number, readonly character: number) {}
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    if (a instanceof Position) { this.start = a; this.end = b as Position; } else { this.start = new Position(a, b as number); this.end = new Position(c as number, d as number); }
  }
}

export class ThemeColor { constructor(readonly id: string) {} }

export class Uri {
  private constructor(readonly scheme: string, readonly path: string) {}
  static parse(s: string): Uri { const m = /^(\w+):\/\/(.*)$/.exec(s); return m ? new Uri(m[1], m[2]) : new Uri('file', s); }
  static file(p: string): Uri { return new Uri('file', p); }
  static joinPath(u: Uri, ...parts: string[]): Uri {
    // as VS Code's: '..' and '.' segments resolved
    const out: string[] = [];
    for (const seg of [u.path, ...parts].join('/').split('/')) {
      if (seg === '..') out.pop();
      else if (seg !== '.') out.push(seg);
    }
    return new Uri(u.scheme, out.join('/'));
  }
  toString(): string { return `${this.scheme}://${this.path}`; }
  get fsPath(): string { return this.path; }
}

export class RelativePattern { constructor(readonly base: Uri, readonly pattern: string) {} }
export const NotebookCellKind = { Markup: 1, Code: 2 };

export const ViewColumn = { One: 1, Two: 2, Beside: -2 };
export const TextEditorRevealType = { InCenterIfOutsideViewport: 2 };

/** An in-memory text document. */
export class TextDocument {
  version = 1;
  constructor(readonly uri: Uri, private text: string, readonly languageId: string) {}
  getText(): string { return this.text; }
  setText(t: string): void { this.text = t; this.version++; }
  get lineCount(): number { return this.text.split('\n').length; }
  positionAt(offset: number): Position {
    const before = this.text.slice(0, Math.max(0, Math.min(offset, this.text.length)));
    const lines = before.split('\n');
    return new Position(lines.length - 1, lines[lines.length - 1].length);
  }
  offsetAt(p: Position): number {
    const lines = this.text.split('\n');
    let o = 0;
    for (let i = 0; i < p.line && i < lines.length; i++) o += lines[i].length + 1;
    return o + p.character;
  }
  lineAt(line: number): { range: Range; text: string } {
    const t = this.text.split('\n')[line] ?? '';
    return { text: t, range: new Range(new Position(line, 0), new Position(line, t.length)) };
  }
}

export interface FakeWebview {
  html: string;
  options: unknown;
  cspSource: string;
  asWebviewUri(u: Uri): Uri;
  postMessage(m: unknown): Promise<boolean>;
  onDidReceiveMessage(l: Listener<unknown>): Disposable;
}

/** What the tests see and steer: the documents, the panel's page, what the editor was asked to do. */
export const host = {
  documents: [] as TextDocument[],
  /** where messages to the webview go (the test sends them into the page) */
  toPage: (m: unknown): void => void m,
  /** called when the panel's HTML is set: the page "loads" and will say ready */
  onLoad: (): void => undefined,
  /** the webview's messages reach the extension through here */
  fromPage: new EventEmitter<unknown>(),
  panelsCreated: 0,
  disposePanel: (): void => undefined,
  selections: [] as Array<{ uri: string; start: number; end: number }>,
  decorations: [] as string[],
  messages: [] as string[],
  config: {} as Record<string, unknown>,
  /** data files beside the documents, by path (a test puts them here; none by default) */
  files: new Map<string, Uint8Array>(),
  /** what the save dialog answers (undefined: the user cancelled), the dialogs shown and the files written */
  saveAs: undefined as Uri | undefined,
  saveDialogs: [] as Array<{ defaultUri?: Uri; filters?: Record<string, string[]> }>,
  written: [] as Array<{ uri: string; bytes: Uint8Array }>,
};

class FakeEditor {
  constructor(readonly document: TextDocument) {}
  setDecorations(_t: unknown, items: Array<{ renderOptions?: { after?: { contentText?: string } } }>): void {
    for (const i of items) if (i.renderOptions?.after?.contentText) host.decorations.push(i.renderOptions.after.contentText);
  }
  revealRange(): void {}
}

export const window = {
  get visibleTextEditors(): FakeEditor[] { return host.documents.map((d) => new FakeEditor(d)); },
  createTextEditorDecorationType: () => ({ dispose() {} }),
  createOutputChannel: () => ({ appendLine: (s: string) => host.messages.push(`log: ${s}`), dispose() {} }),
  showWarningMessage: (s: string) => { host.messages.push(`warning: ${s}`); },
  showErrorMessage: (s: string) => { host.messages.push(`error: ${s}`); },
  showInformationMessage: (s: string) => { host.messages.push(`info: ${s}`); },
  showSaveDialog: async (o: { defaultUri?: Uri; filters?: Record<string, string[]> }) => { host.saveDialogs.push(o); return host.saveAs; },
  showTextDocument: async (doc: TextDocument, o: { selection?: Range }) => {
    if (o.selection) host.selections.push({ uri: doc.uri.toString(), start: doc.offsetAt(o.selection.start), end: doc.offsetAt(o.selection.end) });
    return new FakeEditor(doc);
  },
  createWebviewPanel: (_type: string, title: string) => {
    host.panelsCreated++;
    const disposed = new EventEmitter<void>();
    let html = '';
    const webview: FakeWebview = {
      get html() { return html; },
      set html(h: string) { html = h; setTimeout(() => host.onLoad(), 0); },
      options: {},
      cspSource: 'test:',
      asWebviewUri: (u) => u,
      postMessage: async (m) => { host.toPage(m); return true; },
      onDidReceiveMessage: (l) => host.fromPage.event(l),
    };
    const panel = { title, webview, reveal() {}, onDidDispose: disposed.event, dispose: () => disposed.fire() };
    host.disposePanel = () => disposed.fire();
    return panel;
  },
};

export const workspace = {
  get textDocuments(): TextDocument[] { return host.documents; },
  openTextDocument: async (uri: Uri | { content: string; language: string }) => {
    if (!(uri instanceof Uri)) {
      // an untitled document with this content (what the panel's Export opens)
      const doc = new TextDocument(Uri.parse(`untitled://Untitled-${host.documents.length + 1}`), uri.content, uri.language);
      host.documents.push(doc);
      return doc;
    }
    const d = host.documents.find((x) => x.uri.toString() === uri.toString());
    if (!d) throw new Error(`no such document ${uri.toString()}`);
    return d;
  },
  // as VS Code does: relative inside the workspace folder (/work), the path as it is outside it
  asRelativePath: (u: Uri) => (u.path.startsWith('/work/') ? u.path.slice('/work/'.length) : u.path),
  getConfiguration: () => ({ get: (k: string) => host.config[k] }),
  notebookDocuments: [] as unknown[],
  // data files beside a document: those a test put in host.files (the stand-in never reports a change)
  fs: {
    stat: async (u: Uri) => {
      const f = host.files.get(u.path);
      if (!f) throw new Error('no such file');
      return { type: FileType.File, size: f.length };
    },
    readFile: async (u: Uri) => {
      const f = host.files.get(u.path);
      if (!f) throw new Error('no such file');
      return f;
    },
    writeFile: async (uri: Uri, bytes: Uint8Array) => { host.written.push({ uri: uri.toString(), bytes }); },
  },
  // the data files a test put in host.files under the pattern's folder (the glob's extensions are left to the caller)
  findFiles: async (p: RelativePattern) => [...host.files.keys()].filter((f) => f.startsWith(`${p.base.path}/`)).map((f) => Uri.file(f)),
  workspaceFolders: [{ uri: Uri.file('/work'), name: 'work', index: 0 }],
  createFileSystemWatcher: () => ({ onDidChange: () => new Disposable(), onDidCreate: () => new Disposable(), onDidDelete: () => new Disposable(), dispose: () => undefined }),
};

export const FileType = { File: 1, Directory: 2 };
