/** The Node extension host's side of the seam (platform.ts): desktop VS Code and remote windows. */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import * as vscode from 'vscode';
import type { EngineInput, EngineOutput } from './networkEngine';
import { Platform, besidePosix, engineFailed, engineOnThisThread } from './platform';

export function nodePlatform(context: vscode.ExtensionContext): Platform {
  return {
    kind: 'node',
    // dist/mathjs-engine.js and dist/code.js are required on first use
    partsLoading: () => undefined,
    // a local path may be a Windows one (`C:\data\x.csv`, `data\x.csv`): Node's path module reads it
    fileBeside: (base, name) => (base.scheme === 'file' ? vscode.Uri.file(path.resolve(path.dirname(base.fsPath), name)) : besidePosix(base, name)),
    readOwnFile: async (relative) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, relative)),
    startEngine: () => {
      const script = path.join(context.extensionUri.fsPath, 'dist', 'network-worker.js');
      if (!fs.existsSync(script)) return engineOnThisThread();
      const worker = new Worker(script);
      // a worker left training never keeps the host's process alive
      worker.unref();
      const listeners: Array<(m: EngineOutput) => void> = [];
      worker.on('message', (m: EngineOutput) => listeners.forEach((l) => l(m)));
      worker.on('error', (e) => listeners.forEach((l) => l(engineFailed(e))));
      return {
        runsIn: 'worker',
        post: (m: EngineInput) => worker.postMessage(m),
        onMessage: (l) => listeners.push(l),
        terminate: () => void worker.terminate(),
      };
    },
  };
}
