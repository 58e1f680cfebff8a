/**
 * Where the editor says what is wrong with a definition, in the words of the
 * located message (`file:line:column: what is wrong`): a diagnostic (a
 * squiggle, and a row in Problems) for the definition under the cursor and
 * the one the panel shows, gone once it reads; and the toast of a command
 * that cannot run, whole and naming a notebook's cell.
 */
import * as vscode from 'vscode';
import type { UserError } from '../core/errors';
import { DocumentModel } from './documentModel';

/** What the panel shows: its document and the line it was opened at (0-based). */
export interface Shown {
  uri: vscode.Uri;
  line: number;
}

/** How long typing pauses before the definitions are read again for their diagnostics (as the panel waits). */
const TYPING_MS = 300;

export class Problems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('gradient-lens');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly toasted = new vscode.EventEmitter<string>();
  /** Every toast's text as shown (the integration tests listen here). */
  readonly onDidToast = this.toasted.event;

  /** `languages`: the documents Gradient Lens reads (any other is never scanned for its cursor's sake). */
  constructor(private readonly model: DocumentModel, private readonly shown: () => Shown | undefined, private readonly languages: vscode.DocumentSelector) {}

  /** Reads the document's diagnostics again after `delay` ms, once however often it is asked meanwhile. */
  schedule(doc: vscode.TextDocument, delay = TYPING_MS): void {
    const key = doc.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      if (!doc.isClosed) this.refresh(doc);
    }, delay));
  }

  /** The messages of the definitions under the document's cursors and of the one the panel shows, as diagnostics. */
  refresh(doc: vscode.TextDocument): void {
    if (vscode.languages.match(this.languages, doc) === 0) {
      this.collection.delete(doc.uri);
      return;
    }
    // the readers or a data file are still being read: the diagnostics wait for them
    const reading = this.model.whenRead(doc);
    if (reading) {
      void reading.then(() => this.schedule(doc, 0));
      return;
    }
    const errors: UserError[] = [];
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== doc) continue;
      const built = this.model.definitionContaining(doc, editor.selection.active.line);
      if (built && !built.ok) errors.push(built.error);
    }
    const shown = this.shown();
    if (shown && shown.uri.toString() === doc.uri.toString()) {
      const built = this.model.definitionNear(doc, shown.line);
      if (built && !built.ok) errors.push(built.error);
    }
    const seen = new Set<string>();
    const diagnostics: vscode.Diagnostic[] = [];
    for (const e of errors) {
      const key = `${e.line}:${e.column}:${e.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const d = new vscode.Diagnostic(rangeAt(doc, e), e.message, vscode.DiagnosticSeverity.Error);
      d.source = 'Gradient Lens';
      diagnostics.push(d);
    }
    this.collection.set(doc.uri, diagnostics);
  }

  forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
    this.collection.delete(doc.uri);
  }

  /**
   * A command's error toast: the whole located message, with a button to go there. VS Code shows a
   * toast with a button expanded; without one it cuts the message to one line.
   */
  async toast(doc: vscode.TextDocument, e: UserError): Promise<void> {
    const text = `Gradient Lens: ${located(doc, e.line, e.column)}: ${e.message}`;
    this.toasted.fire(text);
    const go = `Go to line ${e.line}`;
    if (await vscode.window.showErrorMessage(text, go) !== go) return;
    const editor = await vscode.window.showTextDocument(doc);
    const range = rangeAt(doc, e);
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** A toast that names no line (nothing to go to). */
  warn(text: string): void {
    this.toasted.fire(text);
    void vscode.window.showWarningMessage(text);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.collection.dispose();
    this.toasted.dispose();
  }
}

/** The word at a message's line and column (the token it names), else one character there. */
function rangeAt(doc: vscode.TextDocument, e: UserError): vscode.Range {
  const line = Math.min(Math.max(e.line - 1, 0), doc.lineCount - 1);
  const text = doc.lineAt(line).text;
  const column = Math.min(Math.max(e.column - 1, 0), text.length);
  const at = new vscode.Position(line, column);
  const word = doc.getWordRangeAtPosition(at);
  if (word && word.start.isEqual(at)) return word;
  // past the end of the line (an unfinished expression): its last character
  const start = column < text.length ? column : Math.max(text.length - 1, 0);
  return new vscode.Range(line, start, line, Math.min(text.length, start + 1));
}

/**
 * Where a line of a document is, for a person: `examples/loss.py:6:3`, or in a notebook
 * `course_lab.ipynb, cell 3, line 2:5` (cells counted as the notebook shows them, from 1).
 */
export function located(doc: vscode.TextDocument, line: number, column?: number): string {
  const col = column === undefined ? '' : `:${column}`;
  if (doc.uri.scheme === 'vscode-notebook-cell') {
    const nb = vscode.workspace.notebookDocuments.find((n) => n.getCells().some((c) => c.document === doc));
    const cell = nb?.getCells().findIndex((c) => c.document === doc);
    if (nb && cell !== undefined && cell >= 0) return `${displayPath(nb.uri)}, cell ${cell + 1}, line ${line}${col}`;
  }
  return `${displayPath(doc.uri)}:${line}${col}`;
}

/**
 * How the extension names a file: relative to the workspace when it is inside
 * one, else its name alone (never a long absolute or temporary path).
 */
export function displayPath(uri: vscode.Uri): string {
  const rel = vscode.workspace.asRelativePath(uri, false);
  const name = uri.path.split('/').pop() || 'untitled';
  return rel.startsWith('/') || /^[A-Za-z]:[\\/]/.test(rel) || rel === uri.fsPath ? name : rel;
}
