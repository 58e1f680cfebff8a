/**
 * Gradient Lens: wires the core into VS Code, in either extension host (the
 * entry points extension.ts and web.ts pass their Platform). Activation
 * registers providers only; parsing and mathjs load on first use.
 */
import * as vscode from 'vscode';
import { DefinitionCodeLensProvider } from './codeLens';
import { DocumentModel } from './documentModel';
import { GradientHoverProvider } from './hover';
import { PanelController, PanelTarget, VIEW_TYPE } from './panel';
import { warmUp } from '../core/symbolic';
import { preloadCodeReader } from '../core/find';
import { Platform } from './platform';
import { openExample } from './walkthrough';
import { Problems } from './problems';

export const SELECTOR: vscode.DocumentSelector = ['plaintext', 'markdown', 'python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact'].map((language) => ({ language }));

/** What the extension exports: used by the integration tests to observe the panel. */
export interface GradientLensApi {
  panel: PanelController;
  /** the documents' definitions as the hover, CodeLens and command read them (for tests) */
  model: DocumentModel;
  /** which extension host runs it: 'node' (dist/extension.js) or 'web' (dist/web.js, a browser's web worker) */
  host: Platform['kind'];
  /** the diagnostics and toasts of definitions that cannot be read (the tests hear the toasts) */
  problems: Problems;
}

export function activateWith(context: vscode.ExtensionContext, platform: Platform): GradientLensApi {
  const log = vscode.window.createOutputChannel('Gradient Lens');
  const model = new DocumentModel(platform);
  const problems: Problems = new Problems(model, (): PanelTarget | undefined => panel.shown, SELECTOR);
  const panel: PanelController = new PanelController(context, model, log, problems);
  const lenses = new DefinitionCodeLensProvider(model);
  // the definition under the cursor, or the panel's, is read again: its diagnostics follow
  const recheck = (uri: vscode.Uri | undefined, delay?: number): void => {
    const doc = uri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc) problems.schedule(doc, delay);
  };
  context.subscriptions.push(
    log,
    model,
    panel,
    problems,
    // a data file the code reads changed on disk: an open panel on that document reads it again
    model.onDidChangeData((uri) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (doc) panel.documentChanged(doc);
      recheck(uri);
      lenses.refresh();
    }),
    panel.onDidChangeShown(() => {
      for (const d of vscode.workspace.textDocuments) problems.schedule(d, 0);
    }),
    vscode.window.onDidChangeTextEditorSelection((e) => recheck(e.textEditor.document.uri, 100)),
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => recheck(e.document.uri, 0))),
    vscode.commands.registerCommand('gradientLens.visualize', (arg?: unknown) => atTarget(arg, (t) => panel.show(t))),
    vscode.commands.registerCommand('gradientLens.chooseData', (arg?: unknown) => atTarget(arg, (t) => {
      const only = (arg as { arg?: unknown } | undefined)?.arg;
      return panel.chooseData(t, typeof only === 'string' ? only : undefined);
    })),
    vscode.commands.registerCommand('gradientLens.chooseRoles', (arg?: unknown) => atTarget(arg, (t) => panel.chooseRoles(t))),
    // the walkthrough's buttons
    vscode.commands.registerCommand('gradientLens.openExample', (file?: unknown, action?: unknown) => openExample(platform, panel, file, action)),
    vscode.languages.registerHoverProvider(SELECTOR, new GradientHoverProvider(model, panel)),
    vscode.languages.registerCodeLensProvider(SELECTOR, lenses),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, panel),
    vscode.workspace.onDidChangeTextDocument((e) => {
      panel.documentChanged(e.document);
      if (e.contentChanges.length > 0) problems.schedule(e.document);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      model.forget(d);
      problems.forget(d);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('gradientLens')) lenses.refresh();
    }),
  );
  // Load mathjs after activation, when the editor is idle, so the first hover is quick.
  const warm = setTimeout(() => {
    Promise.resolve(platform.partsLoading()).then(() => {
      warmUp();
      preloadCodeReader();
    }).catch((e: Error) => log.appendLine(`could not preload mathjs and the code reader: ${e.message}`));
  }, 1500);
  warm.unref?.();
  context.subscriptions.push({ dispose: () => clearTimeout(warm) });
  return { panel, model, host: platform.kind, problems };
}

/** What a command acts on: a CodeLens/hover link's {uri, line}, else the active editor's cursor (undefined, said, without one). */
function targetOf(arg: unknown): PanelTarget | undefined {
  if (typeof arg === 'object' && arg !== null && typeof (arg as { uri?: unknown }).uri === 'string' && typeof (arg as { line?: unknown }).line === 'number') {
    const a = arg as { uri: string; line: number };
    return { uri: vscode.Uri.parse(a.uri), line: a.line };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Gradient Lens: open a file with a function such as f(w) = (w - 3)^2 and put the cursor in it.');
    return undefined;
  }
  return { uri: editor.document.uri, line: editor.selection.active.line };
}

/**
 * A command on the definition at its target (the editor's cursor, or a hover link's {uri, line}):
 * "Visualize Gradient Descent", "Bind Data…" (a link may name one argument: {uri, line, arg}),
 * "Parameters and Held Names…". What fails is a toast.
 */
async function atTarget(arg: unknown, run: (target: PanelTarget) => Promise<void>): Promise<void> {
  const target = targetOf(arg);
  if (!target) return;
  try {
    await run(target);
  } catch (e) {
    void vscode.window.showErrorMessage(`Gradient Lens: ${(e as Error).message}`);
  }
}
