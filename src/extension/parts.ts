/** The panel's parts (panelParts.ts), required on first use: a separate bundle in the shipped extension (esbuild.js). */
export function panelParts(): typeof import('./panelParts') {
  return require('./panelParts') as typeof import('./panelParts');
}
