#!/usr/bin/env node
// `npm start`: the extension on this repository's examples/ (edits you make there are saved there).
//  - with the `code` command on PATH: VS Code's Extension Development Host;
//  - otherwise: the same code-server the tests use, on 127.0.0.1, printing the URL to open. It runs as
//    any VS Code does (no smoke-test driver, so messages pop up as notifications); the extension is
//    linked into its extensions folder, so `npm run watch` and a window reload pick up changes.
// Stop with Ctrl+C (only the processes started here are stopped).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [path.join(root, 'esbuild.js')], { stdio: 'inherit' });

const hasCode = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).status === 0 && !process.env.GRADIENT_LENS_CODE_SERVER;
if (hasCode) {
  console.log('Opening VS Code with Gradient Lens on examples/ …');
  const child = spawn('code', ['--new-window', `--extensionDevelopmentPath=${root}`, path.join(root, 'examples')], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const { startCodeServer } = await import('./vscode-harness.mjs');
  console.log('No `code` command on PATH: starting code-server, a full VS Code in the browser (installed once into ~/.cache/gradient-lens if it is not there yet).');
  const examples = path.join(root, 'examples');
  const server = await startCodeServer(root, { workspace: examples, smokeDriver: false, devExtension: root });
  const url = server.url();
  console.log(`\nGradient Lens is running on ${examples}. Open this URL in a browser:\n`);
  console.log(`  ${url}\n`);
  console.log('Open functions.txt or loss.py, put the cursor in a definition, press F1 and run "Visualize Gradient Descent". Ctrl+C stops.');
  const stop = () => { server.stop(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => {}, 1 << 30);
}
