// Runs the extension inside a real VS Code on this machine: code-server (the
// VS Code server and workbench, from npm) driven by Debian's Chromium through
// playwright-core. See ../shared/real-vscode.md for why and how.
//   integration: Mocha inside the extension host (extensionTestsPath payload)
//   ui:          a user at the workbench: F1, "Visualize Gradient Descent", screenshots
//   web:         the same in the browser's web worker extension host (dist/web.js), as on vscode.dev
// Only processes started here are stopped, by their process group id.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export function ensureCodeServer(root) {
  const cache = execFileSync('bash', [path.join(root, 'scripts', 'ensure-code-server.sh')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' }).trim().split('\n').pop();
  return {
    node: path.join(cache, 'node', 'bin', 'node'),
    entry: path.join(cache, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`code-server did not answer ${url} within ${ms} ms`);
}

/**
 * Starts code-server in Restricted Mode (the folder is not trusted; no
 * --disable-workspace-trust).
 *   workspace:   the folder to open as it is; by default a copy of examples/ (tests may edit it)
 *   smokeDriver: the `enable-smoke-test-driver` option, which lets the URL's payload load the extension
 *                under development and run tests in the extension host, but also makes the workbench
 *                skip notification toasts; off, the workbench behaves as any VS Code
 *   devExtension: a folder linked into the extensions directory (how `npm start` loads this repository
 *                without the smoke-test driver)
 */
export async function startCodeServer(root, { env = {}, log, install, workspace: folder, smokeDriver = true, devExtension, settings = {} } = {}) {
  const { node, entry } = ensureCodeServer(root);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gradient-lens-vscode-'));
  let workspace = folder;
  if (!workspace) {
    workspace = path.join(tmp, 'workspace');
    fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
  }
  if (devExtension) {
    const pkg = JSON.parse(fs.readFileSync(path.join(devExtension, 'package.json'), 'utf8'));
    fs.mkdirSync(path.join(tmp, 'ext'), { recursive: true });
    fs.symlinkSync(devExtension, path.join(tmp, 'ext', `${pkg.publisher}.${pkg.name}-${pkg.version}`), 'dir');
  }
  fs.mkdirSync(path.join(tmp, 'ud', 'User'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'ud', 'User', 'settings.json'), JSON.stringify({
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'workbench.enableExperiments': false,
    'editor.hover.delay': 100,
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    ...settings,
  }, null, 2));
  if (install) {
    // a packaged .vsix, installed the way a user installs it
    execFileSync(node, [entry, '--extensions-dir', path.join(tmp, 'ext'), '--user-data-dir', path.join(tmp, 'ud'), '--install-extension', install], { stdio: 'inherit', env: { ...process.env, PATH: `${path.dirname(node)}:${process.env.PATH}` } });
  }
  const port = Number(process.env.GRADIENT_LENS_PORT) || await freePort();
  const logFile = log ?? path.join(tmp, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(node, [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--user-data-dir', path.join(tmp, 'ud'), '--extensions-dir', path.join(tmp, 'ext'), ...(smokeDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []), workspace], {
    cwd: tmp, env: { ...process.env, ...env, PATH: `${path.dirname(node)}:${process.env.PATH}` }, stdio: ['ignore', out, out], detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = () => {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  };
  try {
    await waitForHttp(`${base}/healthz`, 60_000);
  } catch (e) {
    stop();
    console.log(fs.readFileSync(logFile, 'utf8').slice(-3000));
    throw e;
  }
  const url = (payload) => `${base}/?folder=${encodeURIComponent(workspace)}${payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  return { base, port, tmp, workspace, url, remote, stop, pid: child.pid, logFile };
}

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

const manifest = (root) => JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** `npm run package` (a production build and the .vsix): the .vsix's path. */
export function packageVsix(root) {
  console.log('packaging: npm run package');
  execFileSync('npm', ['run', 'package'], { cwd: root, stdio: 'inherit' });
  const { name, version } = manifest(root);
  return path.join(root, `${name}-${version}.vsix`);
}

/** Waits for the results a suite inside the extension host writes ({passed, failed, lines}), prints them. */
async function suiteResults(file, server, minutes = 8) {
  const deadline = Date.now() + minutes * 60_000;
  while (!fs.existsSync(file) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  if (!fs.existsSync(file)) {
    console.log(`no results within ${minutes} minutes; the end of the code-server log:\n${fs.readFileSync(server.logFile, 'utf8').slice(-4000)}`);
    return { passed: 0, failed: 1 };
  }
  await new Promise((r) => setTimeout(r, 200));
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const l of r.lines ?? []) console.log(l);
  return r;
}

/** Opens the workbench on the extension under development with a test suite run inside its extension host. */
async function runSuite(browser, server, root, suite) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(server.url([
    ['extensionDevelopmentPath', server.remote(root)],
    ['extensionTestsPath', server.remote(path.join(root, suite))],
  ]));
}

/**
 * The web stage: Gradient Lens in the browser's web worker extension host, as vscode.dev and github.dev
 * run it. An extension with both `main` and `browser` runs in code-server's Node host unless the user's
 * `remote.extensionKind` says web (../shared/web-extension.md); with it, the worker loads dist/web.js.
 */
async function runWebStage(root) {
  const total = { passed: 0, failed: 0 };
  const add = (r) => { total.passed += r.passed; total.failed += r.failed; };
  const { publisher, name } = manifest(root);
  const settings = { 'remote.extensionKind': { [`${publisher}.${name}`]: ['web'] } };
  const { webBundleCheck, runWebWorkbenchTests, recordFigures } = await import(new URL('../test/ui/workbench.mjs', import.meta.url));
  add(webBundleCheck(root));
  let server;
  let browser;
  try {
    // Mocha inside the worker: the integration tests and the host's own checks (out/test/web/index.js)
    server = await startCodeServer(root, { settings });
    console.log(`code-server ${server.base} (pid ${server.pid}), workspace ${server.workspace}`);
    browser = await launchChromium();
    await runSuite(browser, server, root, path.join('out', 'test', 'web', 'index.js'));
    const r = await suiteResults(path.join(server.workspace, '.gradient-lens-web-results.json'), server);
    add(r);
    if (r.figures) add(recordFigures(root, { webActivationMs: [r.figures.webActivationMs, 50, 'activation in the web worker (loading dist/web.js + activate())'] }));
    server.stop();
    // the .vsix, installed as a user installs it, in the worker: F1 opens the panel; the walkthrough's buttons work
    const install = packageVsix(root);
    server = await startCodeServer(root, { install, smokeDriver: false, settings });
    console.log(`code-server ${server.base} (pid ${server.pid}) with the .vsix`);
    add(await runWebWorkbenchTests(browser, server, root));
  } catch (e) {
    console.log(`web: ${e && e.stack ? e.stack : e}`);
    add({ passed: 0, failed: 1 });
  } finally {
    await browser?.close().catch(() => {});
    server?.stop();
  }
  return total;
}

export async function runVsCodeStage(stage, root) {
  if (stage === 'web') {
    console.log('\n=== web: inside the web worker extension host of VS Code (code-server) ===');
    return runWebStage(root);
  }
  console.log(`\n=== ${stage}: inside VS Code (code-server) ===`);
  const results = path.join(os.tmpdir(), `gradient-lens-${stage}-results-${process.pid}.json`);
  fs.rmSync(results, { force: true });
  let server;
  let browser;
  try {
    const install = stage === 'vsix' ? packageVsix(root) : undefined;
    // the .vsix stage runs the workbench as a user gets it: no smoke-test driver, so notifications pop up
    server = await startCodeServer(root, { env: { GRADIENT_LENS_RESULTS: results }, install, smokeDriver: stage !== 'vsix' });
    console.log(`code-server ${server.base} (pid ${server.pid}), workspace ${server.workspace}`);
    browser = await launchChromium();
    if (stage === 'integration') {
      await runSuite(browser, server, root, path.join('out', 'test', 'integration', 'index.js'));
      const r = await suiteResults(results, server);
      return { passed: r.passed, failed: r.failed };
    }
    const { runUiTests, runVsixTest } = await import(new URL('../test/ui/workbench.mjs', import.meta.url));
    return stage === 'vsix' ? await runVsixTest(browser, server, root) : await runUiTests(browser, server, root);
  } catch (e) {
    console.log(`${stage}: ${e && e.stack ? e.stack : e}`);
    return { passed: 0, failed: 1 };
  } finally {
    await browser?.close().catch(() => {});
    server?.stop();
  }
}
