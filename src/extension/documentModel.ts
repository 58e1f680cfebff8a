/**
 * Parsed definitions per open document, reused until the document (or, for
 * a notebook cell, another cell, or a data file the code reads) changes, so
 * hovers and CodeLenses do not re-scan on every request.
 */
import * as vscode from 'vscode';
import { Candidate, Definition, Lens, allCandidates, candidateAt, candidateContaining, lensesOf, notInDefinition } from '../core/find';
import type { CodeContext } from '../core/code/program';
import type { Role } from '../core/code/statements';
import { LineIndex, UserError } from '../core/errors';
import { DataFiles } from './dataFiles';
import { Platform } from './platform';

/** How a definition last read, and the document's text it was read from (its ranges are offsets into that text). */
export interface LastReading {
  def: Definition;
  text: string;
}

/** A definition, or why it cannot be read and, when it read before the edit that broke it, how it last read (stale). */
export type Built = { ok: true; def: Definition } | { ok: false; error: UserError; stale?: LastReading };

interface Entry {
  version: number;
  /** the other cells' text, for a notebook cell */
  context: string;
  candidates: Candidate[];
  built: Map<Candidate, Built>;
  /** data files the code named (their URIs) */
  files: Set<string>;
}

export class DocumentModel implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  /** Each document's definitions as they last read, by first line: what the hover shows, marked stale, while an edit breaks one. */
  private readonly good = new Map<string, Map<number, LastReading>>();
  private readonly watchers = new Map<string, vscode.FileSystemWatcher>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** A data file a document reads was read, or changed on disk: its definitions read it again. */
  readonly onDidChangeData = this.changed.event;
  /** The user's choice of data per document and function name (argument → array or `file.csv:column`), kept while the document is open. */
  private readonly choices = new Map<string, Record<string, Record<string, string>>>();
  /** The user's choice of parameters and held names per document (a plain-number forward pass), kept while the document is open. */
  private readonly roles = new Map<string, Record<string, Role>>();
  private readonly data = new DataFiles();
  private readonly loads = this.data.onDidLoad((key) => this.dataChanged(key));

  constructor(readonly platform: Platform) {}

  /** The documents that read this data file read it again. */
  private dataChanged(key: string): void {
    for (const [k, entry] of this.entries) {
      if (entry.files.has(key)) {
        this.entries.delete(k);
        this.changed.fire(vscode.Uri.parse(k));
      }
    }
  }

  /**
   * While the readers themselves are still loading (a browser fetches them
   * after activation): a promise that they are. Until then every document
   * reads as having no definitions, and is read again after.
   */
  whenReady(): Promise<void> | undefined {
    return this.platform.partsLoading();
  }

  /** When the readers, or a data file this document's definitions read, are still being read: a promise that they are. */
  whenRead(doc: vscode.TextDocument): Promise<void> | undefined {
    const ready = this.whenReady();
    if (ready) return ready;
    const e = this.entries.get(doc.uri.toString());
    return e ? this.data.pending(e.files) : undefined;
  }

  /** The notebook a cell belongs to. */
  private notebookOf(doc: vscode.TextDocument): vscode.NotebookDocument | undefined {
    return doc.uri.scheme === 'vscode-notebook-cell' ? vscode.workspace.notebookDocuments.find((n) => n.getCells().some((c) => c.document.uri.toString() === doc.uri.toString())) : undefined;
  }

  /** What data files are named relative to: the document, or a cell's notebook. */
  dataBase(doc: vscode.TextDocument): vscode.Uri {
    return this.notebookOf(doc)?.uri ?? doc.uri;
  }

  /** The notebook a cell belongs to, the code of its other cells, and where data files are looked for. */
  private contextOf(doc: vscode.TextDocument): { ctx: CodeContext; key: string; files: Set<string> } {
    const files = new Set<string>();
    const nb = this.notebookOf(doc);
    const base = nb?.uri ?? doc.uri;
    const ctx: CodeContext = {};
    if (nb) {
      const cells = nb.getCells();
      const i = cells.findIndex((c) => c.document.uri.toString() === doc.uri.toString());
      const code = (c: vscode.NotebookCell): boolean => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === doc.languageId;
      // IPython magics and shell escapes are not Python
      const text = (c: vscode.NotebookCell): string => c.document.getText().replace(/^[ \t]*[%!].*$/gm, '');
      ctx.before = cells.slice(0, i).filter(code).map(text);
      ctx.after = cells.slice(i + 1).filter(code).map(text);
    }
    ctx.readFile = (name: string) => {
      // beside the document (or the notebook); there is no folder beside an untitled one
      const uri = base.scheme === 'untitled' ? undefined : this.platform.fileBeside(base, name);
      if (!uri) return { message: 'cannot be found from an untitled document: save the document beside it' };
      files.add(uri.toString());
      return this.data.get(uri);
    };
    const choices = this.choices.get(doc.uri.toString());
    if (choices) ctx.choices = choices;
    const roles = this.roles.get(doc.uri.toString());
    if (roles) ctx.roles = roles;
    const key = [...(ctx.before ?? []), '\u0000', ...(ctx.after ?? []), '\u0000', JSON.stringify(choices ?? {}), JSON.stringify(roles ?? {})].join('\u0001');
    return { ctx, key, files };
  }

  private entry(doc: vscode.TextDocument): Entry {
    if (this.whenReady()) return { version: -1, context: '', candidates: [], built: new Map(), files: new Set() };
    const key = doc.uri.toString();
    const { ctx, key: context, files } = this.contextOf(doc);
    const e = this.entries.get(key);
    if (e && e.version === doc.version && e.context === context) return e;
    let candidates: Candidate[] = [];
    try {
      candidates = allCandidates(doc.getText(), doc.languageId, new LineIndex(doc.getText()), ctx);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
    }
    const fresh: Entry = { version: doc.version, context, candidates, built: new Map(), files };
    this.entries.set(key, fresh);
    // a definition no longer in the document has no last reading to show
    const good = this.good.get(key);
    if (good) for (const line of good.keys()) if (!candidates.some((c) => c.startLine === line)) good.delete(line);
    return fresh;
  }

  /** Data files are named when definitions are built: watch them then. */
  private watch(e: Entry, doc: vscode.TextDocument): void {
    for (const file of e.files) {
      if (this.watchers.has(file)) continue;
      const uri = vscode.Uri.parse(file);
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), uri.path.slice(uri.path.lastIndexOf('/') + 1)));
      const fire = (): void => {
        this.data.forget(file);
        this.dataChanged(file);
      };
      w.onDidChange(fire);
      w.onDidCreate(fire);
      w.onDidDelete(fire);
      this.watchers.set(file, w);
    }
    void doc;
  }

  forget(doc: vscode.TextDocument): void {
    this.entries.delete(doc.uri.toString());
    this.good.delete(doc.uri.toString());
    this.choices.delete(doc.uri.toString());
    this.roles.delete(doc.uri.toString());
  }

  /** Names of a plain-number forward pass the user made parameters or held (the others keep theirs): its definitions read again with them. */
  chooseRoles(doc: vscode.TextDocument, roles: Record<string, Role>): void {
    const key = doc.uri.toString();
    this.roles.set(key, { ...this.roles.get(key), ...roles });
  }

  /** The data the user chose for these arguments of the function `name` (the others keep theirs): its definition reads again with it. */
  choose(doc: vscode.TextDocument, name: string, sources: Record<string, string>): void {
    const key = doc.uri.toString();
    const all = { ...this.choices.get(key) };
    all[name] = { ...all[name], ...sources };
    this.choices.set(key, all);
  }

  /** A data file's content once read (a file being read is waited for): what the data picker lists columns of. */
  async readData(uri: vscode.Uri): Promise<string | Uint8Array | undefined | { message: string }> {
    let content = this.data.get(uri);
    for (let reading = this.data.pending([uri.toString()]); reading; reading = this.data.pending([uri.toString()])) {
      await reading;
      content = this.data.get(uri);
    }
    return content;
  }

  private build(e: Entry, c: Candidate, doc: vscode.TextDocument): Built {
    let b = e.built.get(c);
    if (!b) {
      const key = doc.uri.toString();
      let good = this.good.get(key);
      if (!good) this.good.set(key, (good = new Map()));
      try {
        b = { ok: true, def: c.build() };
        good.set(c.startLine, { def: b.def, text: doc.getText() });
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        b = { ok: false, error: err, stale: good.get(c.startLine) };
      }
      e.built.set(c, b);
      this.watch(e, doc);
    }
    return b;
  }

  /** The definition whose lines contain `line` (0-based), if it parses. */
  definitionContaining(doc: vscode.TextDocument, line: number): Built | undefined {
    const e = this.entry(doc);
    const c = candidateContaining(e.candidates, line + 1);
    return c ? this.build(e, c, doc) : undefined;
  }

  /** The definition at or nearest to `line` (0-based): what the command visualizes. */
  definitionNear(doc: vscode.TextDocument, line: number): Built | undefined {
    const e = this.entry(doc);
    const c = candidateAt(e.candidates, line + 1, (l) => (l <= doc.lineCount ? doc.lineAt(l - 1).text : ''));
    if (c) return this.build(e, c, doc);
    // the cursor decides: never a definition further away, but the message names the nearest
    return e.candidates.length ? { ok: false, error: notInDefinition(e.candidates, line + 1, doc.languageId) } : undefined;
  }

  /** The CodeLenses: one per definition that parses. */
  lenses(doc: vscode.TextDocument): Lens[] {
    const e = this.entry(doc);
    return lensesOf(e.candidates, (c) => {
      const b = this.build(e, c, doc);
      return b.ok ? b.def : undefined;
    });
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
    this.loads.dispose();
    this.data.dispose();
    this.changed.dispose();
  }
}
