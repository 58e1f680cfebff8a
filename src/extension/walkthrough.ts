/**
 * The walkthrough's buttons ("See gradient descent in your code"): open one of
 * the extension's own examples as an untitled document (read through the
 * Platform, so it works on the desktop and in a browser, in any workspace or
 * none, and writes nothing), then hover a parameter, open the panel, or train.
 */
import * as vscode from 'vscode';
import type { PanelController } from './panel';
import type { Platform } from './platform';

/** The examples a button may open (the command's argument is checked against these), with their language. */
const EXAMPLES: Record<string, string> = {
  'functions.txt': 'plaintext',
  'loss.py': 'python',
  'xor_keras.py': 'python',
  'notes.md': 'markdown',
  'rosenbrock.js': 'javascript',
};

/** What to do once the example is open; `line` is 1-based, `word` is found on that line. */
export interface ExampleAction {
  line?: number;
  word?: string;
  then?: 'hover' | 'visualize' | 'backprop' | 'train';
}

function action(raw: unknown): ExampleAction {
  if (typeof raw !== 'object' || raw === null) return {};
  const a = raw as Record<string, unknown>;
  return {
    line: typeof a.line === 'number' && Number.isInteger(a.line) && a.line >= 1 ? a.line : undefined,
    word: typeof a.word === 'string' && a.word.length <= 40 ? a.word : undefined,
    then: a.then === 'hover' || a.then === 'visualize' || a.then === 'backprop' || a.then === 'train' ? a.then : undefined,
  };
}

/** `gradientLens.openExample(file, {line, word, then})`: the editor it opened (a name that is not an example opens loss.py). */
export async function openExample(platform: Platform, panel: PanelController, file: unknown, raw?: unknown): Promise<vscode.TextEditor> {
  const name = typeof file === 'string' && Object.hasOwn(EXAMPLES, file) ? file : 'loss.py';
  const content = new TextDecoder('utf-8').decode(await platform.readOwnFile(`examples/${name}`));
  // the next button on the same example reuses its copy while it is open and unedited
  const doc = vscode.workspace.textDocuments.find((d) => d.isUntitled && d.languageId === EXAMPLES[name] && d.getText() === content)
    ?? await vscode.workspace.openTextDocument({ language: EXAMPLES[name], content });
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preview: false });
  const a = action(raw);
  if (a.line === undefined || a.line > doc.lineCount) return editor;
  const text = doc.lineAt(a.line - 1).text;
  const column = a.word ? Math.max(0, text.indexOf(a.word)) : 0;
  const at = new vscode.Position(a.line - 1, column);
  editor.selection = new vscode.Selection(at, at);
  editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  if (a.then === 'hover') await vscode.commands.executeCommand('editor.action.showHover');
  else if (a.then) {
    await panel.show({ uri: doc.uri, line: a.line - 1 });
    if (a.then === 'train') panel.receiveRaw({ type: 'train', action: 'play' });
    // sent after the view it reveals a part of: a page still loading keeps both, in order (html.ts)
    if (a.then === 'backprop') panel.post({ type: 'reveal', section: 'backprop' });
  }
  return editor;
}
