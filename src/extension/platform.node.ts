/** The Node extension host's side of the seam (platform.ts): desktop VS Code and remote windows. */
import * as path from 'path';
import * as vscode from 'vscode';
import { Platform, besidePosix } from './platform';

export function nodePlatform(context: vscode.ExtensionContext): Platform {
  return {
    kind: 'node',
    // dist/mathjs-engine.js and dist/code.js are required on first use
    partsLoading: () => undefined,
    // a local path may be a Windows one (`C:\data\x.csv`, `data\x.csv`): Node's path module reads it
    fileBeside: (base, name) => (base.scheme === 'file' ? vscode.Uri.file(path.resolve(path.dirname(base.fsPath), name)) : besidePosix(base, name)),
    readOwnFile: async (relative) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, relative)),
  };
}
