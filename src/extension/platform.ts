/**
 * The one seam between VS Code's two extension hosts: Node (desktop, remote
 * windows, code-server's server) and the browser's web worker (vscode.dev,
 * github.dev). Everything else in src/extension runs in both. The entry point
 * picks the implementation: extension.ts → platform.node.ts, web.ts →
 * platform.web.ts. The worker a network trains in (worker_threads on Node, a
 * Web Worker in the browser) is started here too.
 */
import * as vscode from 'vscode';
import type { EngineOutput, EnginePort } from './networkEngine';
import { panelParts } from './parts';

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
  /** A training engine for a network (networkEngine.ts) in a worker of its own, or on this thread where no worker can start. */
  startEngine(): EnginePort;
}

/**
 * The engine on the host's own thread, where no worker can be started (it
 * trains in slices of a few ms, as it does in a worker): the same messages,
 * each delivered a turn later as a worker's would be.
 */
export function engineOnThisThread(): EnginePort {
  const listeners: Array<(m: EngineOutput) => void> = [];
  const engine = new (panelParts().TrainingEngine)((m) => setTimeout(() => listeners.forEach((l) => l(m)), 0));
  return {
    runsIn: 'host thread',
    post: (m) => setTimeout(() => engine.receive(m), 0),
    onMessage: (l) => listeners.push(l),
    terminate: () => undefined,
  };
}

/** A worker's failure, said in the panel: training stops, the editor goes on. */
export function engineFailed(e: unknown): EngineOutput {
  return { type: 'webview', message: { type: 'problem', message: `training stopped: ${e instanceof Error ? e.message : String(e)}`, location: 'the network worker' } };
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
