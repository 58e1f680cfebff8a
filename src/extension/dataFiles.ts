/**
 * Data files the code names (np.loadtxt("data.csv"), pd.read_csv(…)), read
 * through vscode.workspace.fs so that they are found in remote and virtual
 * workspaces too, asynchronously (a large file never blocks the extension
 * host while it is read), with a size limit. The reading of a document asks
 * synchronously; a file not read yet answers "being read" and starts the
 * read, and `onDidLoad` tells when it is there.
 */
import * as vscode from 'vscode';
import { isBinaryDataFile } from '../core/code/npy';

/** The largest data file read beside a document (bytes). */
export const MAX_DATA_BYTES = 20_000_000;

type State =
  | { kind: 'loading'; done: Promise<void> }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: Uint8Array }
  | { kind: 'missing' }
  | { kind: 'refused'; message: string };

export class DataFiles implements vscode.Disposable {
  private readonly states = new Map<string, State>();
  private readonly loaded = new vscode.EventEmitter<string>();
  /** a file asked for has been read (or found missing): the key is its URI */
  readonly onDidLoad = this.loaded.event;

  /** The file at `uri`: its text (its bytes for a binary file, `.npy`), undefined when there is none, or why not (yet). */
  get(uri: vscode.Uri): string | Uint8Array | undefined | { message: string } {
    const key = uri.toString();
    let s = this.states.get(key);
    if (!s) {
      const done = this.read(uri).then((next) => {
        if (this.states.get(key) !== s) return; // forgotten (changed on disk) while it was read
        this.states.set(key, next);
        this.loaded.fire(key);
      });
      s = { kind: 'loading', done };
      this.states.set(key, s);
    }
    switch (s.kind) {
      case 'text': return s.text;
      case 'bytes': return s.bytes;
      case 'missing': return undefined;
      case 'refused': return { message: s.message };
      case 'loading': return { message: 'is still being read; the definition updates when it is' };
    }
  }

  /** When some of these files are still being read: a promise that they are. */
  pending(keys: Iterable<string>): Promise<void> | undefined {
    const waits: Promise<void>[] = [];
    for (const k of keys) {
      const s = this.states.get(k);
      if (s?.kind === 'loading') waits.push(s.done);
    }
    return waits.length ? Promise.all(waits).then(() => undefined) : undefined;
  }

  /** The file changed on disk: read it again when next asked. */
  forget(key: string): void {
    this.states.delete(key);
  }

  private async read(uri: vscode.Uri): Promise<State> {
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type & vscode.FileType.Directory) return { kind: 'refused', message: 'is a folder, not a file' };
      if (stat.size > MAX_DATA_BYTES) return { kind: 'refused', message: `is ${(stat.size / 1e6).toFixed(1)} MB; Gradient Lens reads data files up to ${MAX_DATA_BYTES / 1e6} MB (use a sample of it)` };
      const bytes = await vscode.workspace.fs.readFile(uri);
      return isBinaryDataFile(uri.path) ? { kind: 'bytes', bytes } : { kind: 'text', text: new TextDecoder('utf-8').decode(bytes) };
    } catch {
      return { kind: 'missing' };
    }
  }

  dispose(): void {
    this.loaded.dispose();
  }
}
