/** The entry point in VS Code's web worker extension host: vscode.dev, github.dev (package.json `browser`). */
import * as vscode from 'vscode';
import { GradientLensApi, activateWith } from './gradientLens';
import { webPlatform } from './platform.web';

export type { GradientLensApi } from './gradientLens';

export function activate(context: vscode.ExtensionContext): GradientLensApi {
  return activateWith(context, webPlatform(context));
}

export function deactivate(): void {}
