// The official path (machines that can download VS Code): `npx vscode-test`
// runs the same compiled integration tests as the code-server harness.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/test/integration/*.test.js',
  workspaceFolder: './examples',
  mocha: { ui: 'bdd', timeout: 60000 },
});
