/**
 * The web stage's entry in VS Code's web worker extension host (the
 * extensionTestsPath contract: `run()`), bundled for the browser: Mocha's
 * browser build, the integration tests and the host's own checks. The
 * worker has no file system of its own: the results go into the workspace
 * through vscode.workspace.fs, where the harness reads them.
 */
import * as vscode from 'vscode';
import { figures } from './figures';

/** where the harness reads {passed, failed, lines, figures} */
export const RESULTS_FILE = '.gradient-lens-web-results.json';

export function run(): Promise<void> {
  // Mocha's browser build defines the global `mocha` (and no `process`)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('mocha/mocha');
  const lines: string[] = [];
  let passed = 0;
  let failed = 0;
  // a reporter without a DOM: the worker has none
  function Reporter(runner: Mocha.Runner): void {
    runner.on('pass', (t) => { passed++; lines.push(`  ✔ ${t.fullTitle()} (${t.duration ?? 0} ms)`); });
    runner.on('fail', (t, err: Error) => { failed++; lines.push(`  ✖ ${t.fullTitle()}\n      ${String(err && err.stack ? err.stack : err).split('\n').slice(0, 6).join('\n      ')}`); });
  }
  mocha.setup({ ui: 'bdd', timeout: 90_000, reporter: Reporter as unknown as Mocha.ReporterConstructor });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('./host.test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../integration/extension.test');
  return new Promise((resolve, reject) => {
    mocha.run(async (failures) => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (folder) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder.uri, RESULTS_FILE), new TextEncoder().encode(JSON.stringify({ passed, failed, lines, figures })));
      if (failures > 0) reject(new Error(`${failures} tests failed`));
      else resolve();
    });
  });
}
