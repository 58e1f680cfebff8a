/**
 * The one seam between VS Code's two extension hosts: Node (desktop, remote
 * windows, code-server's server) and the browser's web worker (vscode.dev,
 * github.dev). Everything else in src/extension runs in both. The entry point
 * picks the implementation: extension.ts → platform.node.ts, web.ts →
 * platform.web.ts. A background worker for network training (worker_threads
 * on Node, a Web Worker in the browser) belongs here too.
 */
import * as vscode from 'vscode';

export interface Platform {
  readonly kind: 'node' | 'web';
  /**
   * While the separately bundled parts (mathjs, the Python and JS/TS reader)
   * cannot be required yet: a promise that they can. Node requires them on
   * first use and answers undefined; the browser fetches them after activation.
   */
  partsLoading(): Promise<void> | undefined;
  /** A data file the code names (`np.loadtxt("data.csv")`), beside the document or notebook at `base`. */
  fileBeside(base: vscode.Uri, name: string): vscode.Uri;
  /** One of the extension's own files, such as `examples/loss.py`. */
  readOwnFile(relative: string): Promise<Uint8Array>;
}

/** `name` resolved against the folder of `base` with POSIX rules (any scheme's path is POSIX). */
export function besidePosix(base: vscode.Uri, name: string): vscode.Uri {
  const segments = (name.startsWith('/') ? [] : base.path.split('/').slice(0, -1)).filter((s) => s !== '');
  for (const s of name.split('/')) {
    if (s === '..') segments.pop();
    else if (s !== '.' && s !== '') segments.push(s);
  }
  return base.with({ path: `/${segments.join('/')}`, query: '', fragment: '' });
}
