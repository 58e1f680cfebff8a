/**
 * The line of text the editor shows after a definition's first line while
 * the panel animates it: `step 3: f = 1.2, ∇ = (…)` or `epoch 40: loss = …`.
 */
import * as vscode from 'vscode';

export class StepDecoration implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
  });

  /** Shows `text` after the line holding document offset `offset` in every visible editor of `uri`. */
  show(uri: vscode.Uri, offset: number, text: string): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() !== uri.toString()) continue;
      const line = editor.document.positionAt(offset).line;
      const end = editor.document.lineAt(line).range.end;
      editor.setDecorations(this.type, [{ range: new vscode.Range(end, end), renderOptions: { after: { contentText: text } } }]);
    }
  }

  clear(): void {
    for (const e of vscode.window.visibleTextEditors) e.setDecorations(this.type, []);
  }

  dispose(): void {
    this.type.dispose();
  }
}
