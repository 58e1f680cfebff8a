import * as vscode from 'vscode';
import { DocumentModel } from './documentModel';
import { settings } from './settings';

/** "Visualize gradient descent" once above each recognised definition (a script's on its `.backward()`). */
export class DefinitionCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly model: DocumentModel) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.ProviderResult<vscode.CodeLens[]> {
    if (!settings().codeLens) return [];
    // in a browser the readers are fetched after activation
    const ready = this.model.whenReady();
    if (ready) return ready.then(() => this.provideCodeLenses(doc));
    return this.model.lenses(doc).map(({ line, target, def }) => new vscode.CodeLens(new vscode.Range(line - 1, 0, line - 1, 0), {
      title: 'Visualize gradient descent',
      tooltip: def.kind === 'function' ? `Animate gradient descent on ${def.name ?? 'this function'}(${def.params.join(', ')})` : `Train ${def.name ?? 'this network'} and watch the gradients flow`,
      command: 'gradientLens.visualize',
      arguments: [{ uri: doc.uri.toString(), line: target - 1 }],
    }));
  }
}
