import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '**/*.mjs', '**/*.cjs', 'esbuild.js', 'test/corpus/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // the pure core never imports the editor, the wire protocol, the host adapters or the webview
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core is pure TypeScript: no vscode import.' }],
        patterns: [{ group: ['**/protocol', '**/extension/**', '**/webview/**', '**/cli/**'], message: 'src/core imports nothing outside src/core (view types live in src/core/views.ts).' }],
      }],
    },
  },
  {
    // function front ends and network readers do not import each other (src/core/find.ts joins them)
    files: ['src/core/source/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/network/**', '../find'], message: 'source/ does not import network/ or the finder.' }] }] },
  },
  {
    files: ['src/core/network/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/source/**', '../find'], message: 'network/ does not import source/ or the finder.' }] }] },
  },
);
