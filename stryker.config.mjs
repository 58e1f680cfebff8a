// Mutation testing of the numeric core (npm run mutation; not part of CI: it
// takes about as long as the whole test suite several times over). Stryker
// instruments src/, esbuild bundles the tests as usual, and Mocha runs the unit
// tests that exercise the autodiff tape, descent, optimizers and the MLP.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'mocha',
  mutate: ['src/core/autodiff/**/*.ts', 'src/core/descent.ts', 'src/core/optimizers.ts', 'src/core/network/mlp.ts'],
  buildCommand: 'node esbuild.js',
  mochaOptions: {
    spec: ['out/test/unit/ops.test.js', 'out/test/unit/properties.test.js', 'out/test/unit/core.test.js', 'out/test/unit/network.test.js', 'out/test/unit/optimizers.test.js', 'out/test/unit/engine.test.js', 'out/test/unit/diagnose.test.js'],
  },
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'test-output/mutation/index.html' },
  jsonReporter: { fileName: 'test-output/mutation/report.json' },
  concurrency: 2,
  timeoutMS: 30000,
  ignorePatterns: ['dist', 'out', 'test-output', '.vscode-test', 'media/screenshots'],
};
