/** The entry point in VS Code's Node extension host (package.json `main`). */
import * as vscode from 'vscode';
import { GradientLensApi, activateWith } from './gradientLens';
import { nodePlatform } from './platform.node';

export type { GradientLensApi } from './gradientLens';

export function activate(context: vscode.ExtensionContext): GradientLensApi {
  return activateWith(context, nodePlatform(context));
}

export function deactivate(): void {}
