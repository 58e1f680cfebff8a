/**
 * Entry point for the extension host (the contract of @vscode/test-electron
 * and of the code-server harness): runs the Mocha suites in this folder and
 * writes their results to GRADIENT_LENS_RESULTS (the host's console is not
 * the terminal's).
 */
import * as fs from 'fs';
import * as path from 'path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import Mocha = require('mocha');

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const lines: string[] = [];
  const dir = __dirname;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const out = process.env.GRADIENT_LENS_RESULTS;
      const stats = runner.stats ?? { passes: 0, failures };
      if (out) fs.writeFileSync(out, JSON.stringify({ passed: stats.passes, failed: stats.failures, lines }));
      if (failures > 0) reject(new Error(`${failures} tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => lines.push(`  ✔ ${t.fullTitle()} (${t.duration ?? 0} ms)`));
    runner.on('fail', (t, err: Error) => lines.push(`  ✖ ${t.fullTitle()}\n      ${String(err && err.stack ? err.stack : err).split('\n').slice(0, 6).join('\n      ')}`));
  });
}
