// Bundles the extension host (node, cjs, `vscode` external), the command line,
// the webview (browser, iife) and the tests into dist/ and out/.
// Usage: node esbuild.js [--production] [--watch]
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints build errors the way VS Code's problem matcher reads them. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

/** KaTeX's stylesheet and fonts go next to the webview bundle. */
function copyKatexAssets() {
  const src = path.dirname(require.resolve('katex/package.json'));
  const out = path.join(__dirname, 'dist', 'katex');
  fs.mkdirSync(path.join(out, 'fonts'), { recursive: true });
  fs.copyFileSync(path.join(src, 'dist', 'katex.min.css'), path.join(out, 'katex.min.css'));
  for (const f of fs.readdirSync(path.join(src, 'dist', 'fonts'))) {
    if (f.endsWith('.woff2')) fs.copyFileSync(path.join(src, 'dist', 'fonts', f), path.join(out, 'fonts', f));
  }
}

function testEntries(dir) {
  const root = path.join(__dirname, 'test', dir);
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).filter((f) => f.endsWith('.ts')).map((f) => path.join(root, f));
}

/** In the shipped bundles mathjs lives in dist/mathjs-engine.js, the code reader in dist/code.js, the panel's parts in dist/panel-parts.js, each required on first use. */
const lazyMathjs = {
  name: 'lazy-mathjs',
  setup(build) {
    build.onResolve({ filter: /^\.\/mathjsEngine$/ }, () => ({ path: './mathjs-engine.js', external: true }));
    build.onResolve({ filter: /^\.\/code\/program$/ }, () => ({ path: './code.js', external: true }));
    build.onResolve({ filter: /^\.\/panelParts$/ }, () => ({ path: './panel-parts.js', external: true }));
  },
};

/**
 * In the web bundle the same two requires reach the parts the browser fetched
 * after activation (src/extension/platform.web.ts): VS Code's web worker host
 * gives an extension no `require` for its own files.
 */
const webParts = {
  name: 'web-parts',
  setup(build) {
    const parts = { './mathjsEngine': 'mathjs-engine.js', './code/program': 'code.js', './panelParts': 'panel-parts.js' };
    build.onResolve({ filter: /^\.\/(mathjsEngine|code\/program|panelParts)$/ }, (a) => ({ path: parts[a.path], namespace: 'web-part' }));
    build.onLoad({ filter: /.*/, namespace: 'web-part' }, (a) => ({
      // a stand-in that forwards to the part once it is loaded (an early call throws, and caches nothing)
      contents: `const { part } = require(${JSON.stringify(path.join(__dirname, 'src', 'extension', 'platform.web.ts'))});\n`
        + `module.exports = new Proxy({}, { get: (_, key) => part(${JSON.stringify(a.path)})[key] });\n`,
      resolveDir: __dirname,
      loader: 'js',
    }));
  },
};

async function main() {
  // A production build starts from an empty dist/ so no stale source map is packaged.
  if (production) fs.rmSync(path.join(__dirname, 'dist'), { recursive: true, force: true });
  const common = {
    bundle: true,
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'silent',
    plugins: [problemMatcher],
  };
  const contexts = await Promise.all([
    esbuild.context({
      ...common,
      entryPoints: ['src/extension/extension.ts'],
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      outfile: 'dist/extension.js',
      external: ['vscode'],
      plugins: [problemMatcher, lazyMathjs],
    }),
    esbuild.context({
      ...common,
      entryPoints: ['src/core/mathjsEngine.ts'],
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      outfile: 'dist/mathjs-engine.js',
    }),
    esbuild.context({
      ...common,
      entryPoints: ['src/core/code/program.ts'],
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      outfile: 'dist/code.js',
      plugins: [problemMatcher, lazyMathjs],
    }),
    // the panel's views, frames and exports, required when a panel first needs them (src/extension/parts.ts)
    esbuild.context({
      ...common,
      entryPoints: ['src/extension/panelParts.ts'],
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      outfile: 'dist/panel-parts.js',
      // the data picker asks VS Code (a QuickPick, the workspace's files)
      external: ['vscode'],
      plugins: [problemMatcher, lazyMathjs],
    }),
    // the worker a network trains in (src/core/network/engine.ts), started by platform.node.ts
    esbuild.context({
      ...common,
      entryPoints: ['src/extension/worker.node.ts'],
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      outfile: 'dist/network-worker.js',
      plugins: [problemMatcher, lazyMathjs],
    }),
    // the same in the browser: a Web Worker has no require, so mathjs is bundled in
    esbuild.context({
      ...common,
      entryPoints: ['src/extension/worker.web.ts'],
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      outfile: 'dist/web/network-worker.js',
    }),
    esbuild.context({
      ...common,
      entryPoints: ['src/cli/main.ts'],
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      outfile: 'dist/cli.js',
      plugins: [problemMatcher, lazyMathjs],
      banner: { js: '#!/usr/bin/env node' },
    }),
    // The web extension (package.json `browser`): VS Code's web worker host, no Node.
    esbuild.context({
      ...common,
      entryPoints: ['src/extension/web.ts'],
      format: 'cjs',
      platform: 'browser',
      target: 'es2022',
      outfile: 'dist/web.js',
      external: ['vscode'],
      plugins: [problemMatcher, webParts],
    }),
    ...[['src/core/mathjsEngine.ts', 'mathjs-engine.js'], ['src/core/code/program.ts', 'code.js'], ['src/extension/panelParts.ts', 'panel-parts.js']].map(([entry, out]) => esbuild.context({
      ...common,
      entryPoints: [entry],
      format: 'cjs',
      platform: 'browser',
      target: 'es2022',
      outfile: `dist/web/${out}`,
      // code.js requires './mathjs-engine.js', panel-parts.js 'vscode': platform.web.ts hands them over
      external: ['vscode'],
      plugins: [problemMatcher, lazyMathjs],
    })),
    // minified in every build: the panel's page loads and parses it each time a panel opens (1.1 MB
    // unminified, 0.57 MB minified); the source map keeps it debuggable
    esbuild.context({
      ...common,
      minify: true,
      entryPoints: ['src/webview/main.ts'],
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      outfile: 'dist/webview.js',
    }),
    // Tests: unit tests run in plain Node; integration tests run inside VS Code's extension host.
    esbuild.context({
      ...common,
      minify: false,
      entryPoints: [...testEntries('unit'), ...testEntries('integration')],
      outbase: 'test',
      outdir: 'out/test',
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      external: ['vscode', 'mocha', 'playwright-core', 'fast-check'],
    }),
    // Webview tests run the real panel controller in Node against a stand-in `vscode`.
    esbuild.context({
      ...common,
      minify: false,
      entryPoints: testEntries('webview').filter((f) => f.endsWith('.test.ts')),
      outbase: 'test',
      outdir: 'out/test',
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      alias: { vscode: './test/webview/vscodeStub.ts' },
      external: ['mocha', 'playwright-core', 'fast-check'],
    }),
    // The web stage's suite: Mocha's browser build and the integration tests, run inside the web worker host.
    esbuild.context({
      ...common,
      minify: false,
      entryPoints: ['test/web/index.ts'],
      outfile: 'out/test/web/index.js',
      format: 'cjs',
      platform: 'browser',
      target: 'es2022',
      external: ['vscode'],
      alias: { assert: './test/web/assert.ts' },
    }),
    esbuild.context({
      ...common,
      minify: false,
      entryPoints: ['bench/bench.ts'],
      outfile: 'out/bench/bench.js',
      format: 'cjs',
      platform: 'node',
      target: 'node18',
    }),
  ]);
  copyKatexAssets();
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
  } else {
    await Promise.all(contexts.map((c) => c.rebuild()));
    await Promise.all(contexts.map((c) => c.dispose()));
    fs.chmodSync(path.join(__dirname, 'dist', 'cli.js'), 0o755);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
