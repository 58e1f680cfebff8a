#!/usr/bin/env node
// `npm test`: builds, then runs every stage and ends with "N passed, N failed".
//   unit         core tests and the command line (Mocha, plain Node)
//   pytorch      real PyTorch (Debian's python3-torch) trains test/pytorch/ and Gradient Lens must agree
//   webview      the built webview in Debian's Chromium (playwright-core)
//   integration  Mocha inside the extension host of a real VS Code (code-server)
//   ui           the workbench driven like a user: F1 → "Visualize Gradient Descent"
//   vsix         `npm run package`, the .vsix installed with --install-extension, its command opens the panel
//   web          the browser build (dist/web.js) in code-server's web worker extension host: the integration
//                tests and the host's checks (no `process`) in Mocha there, then the .vsix there from F1
// Select stages with TEST_STAGES=unit,webview. Exits non-zero on any failure.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stages = (process.env.TEST_STAGES || 'unit,pytorch,webview,integration,ui,vsix,web').split(',').map((s) => s.trim()).filter(Boolean);
const totals = { passed: 0, failed: 0 };
const summary = [];

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function compiled(dir) {
  const d = path.join(root, 'out', 'test', dir);
  return fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join(d, f)) : [];
}

async function mochaStage(name, files, env = {}) {
  console.log(`\n=== ${name}: ${files.length} test files ===`);
  const results = path.join(os.tmpdir(), `gradient-lens-${name}-${process.pid}.json`);
  fs.rmSync(results, { force: true });
  const code = await run(process.execPath, [path.join(root, 'scripts', 'run-mocha.cjs'), ...files], { env: { ...process.env, ...env, GRADIENT_LENS_RESULTS: results } });
  let r = { passed: 0, failed: code === 0 ? 0 : 1 };
  if (fs.existsSync(results)) r = JSON.parse(fs.readFileSync(results, 'utf8'));
  else console.log(`${name}: the runner ended without results (exit ${code})`);
  if (code !== 0 && r.failed === 0) r.failed = 1;
  record(name, r);
}

function record(name, r) {
  totals.passed += r.passed;
  totals.failed += r.failed;
  summary.push(`${name}: ${r.passed} passed, ${r.failed} failed`);
  console.log(`--- ${name}: ${r.passed} passed, ${r.failed} failed`);
}

const started = Date.now();
console.log('=== build ===');
if ((await run(process.execPath, ['esbuild.js'])) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
for (const stage of stages) {
  if (stage === 'unit') await mochaStage('unit', compiled('unit'));
  else if (stage === 'pytorch') {
    // the oracle runs now, with the real framework, into a fresh file the comparison reads
    const fresh = path.join(os.tmpdir(), `gradient-lens-pytorch-oracle-${process.pid}.json`);
    console.log('\n=== pytorch: /usr/bin/python3 scripts/pytorch_oracle.py ===');
    const code = await run('/usr/bin/python3', [path.join(root, 'scripts', 'pytorch_oracle.py'), fresh]);
    if (code !== 0) record('pytorch', { passed: 0, failed: 1 });
    else await mochaStage('pytorch', [path.join(root, 'out', 'test', 'unit', 'pytorch.test.js')], { PYTORCH_EXPECTED: fresh });
  } else if (stage === 'webview') await mochaStage('webview', compiled('webview'), { MOCHA_TIMEOUT: '60000' });
  else if (stage === 'integration' || stage === 'ui' || stage === 'vsix' || stage === 'web') {
    const { runVsCodeStage } = await import('./vscode-harness.mjs');
    record(stage, await runVsCodeStage(stage, root));
  } else {
    console.log(`unknown stage ${stage}`);
    totals.failed++;
  }
}
console.log(`\n=== summary (${((Date.now() - started) / 1000).toFixed(0)} s) ===`);
for (const s of summary) console.log(s);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
