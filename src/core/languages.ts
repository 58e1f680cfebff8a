/** VS Code language ids from file names, for the command line. */
const BY_EXTENSION: Record<string, string> = {
  '.py': 'python', '.pyi': 'python',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascriptreact',
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'typescriptreact',
  '.md': 'markdown', '.markdown': 'markdown',
};

export function languageFromPath(file: string): string {
  const m = /\.[^./\\]+$/.exec(file);
  const ext = m ? m[0].toLowerCase() : '';
  return Object.prototype.hasOwnProperty.call(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : 'plaintext';
}
