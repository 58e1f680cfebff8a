/** The panel's parts (panelParts.ts), required on first use: a separate bundle in the shipped extension (esbuild.js). */
export function panelParts(): typeof import('./panelParts') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate bundle, loaded on first use (esbuild.js)
  return require('./panelParts') as typeof import('./panelParts');
}
