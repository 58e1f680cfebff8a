/**
 * What only an open panel needs — its views, frames and exports — bundled
 * apart from the entry (dist/panel-parts.js, dist/web/panel-parts.js; see
 * esbuild.js) so that activation loads less. Reached through panelParts()
 * (parts.ts) when first needed.
 */
export { functionView, raceView, sweepView, unboundView } from '../core/viewModel';
export { gradientCheckView, layerHeatmap, networkFrame, networkView, passWithActivations } from '../core/network/viewModel';
export { exportDescent } from '../core/exportDescent';
export { exportNetwork } from '../core/network/export';
export { networkAsFunction, neuronViewRefusal } from '../core/neurons';
export { TrainingEngine } from './networkEngine';
export { chooseData } from './dataPicker';
export { chooseRoles } from './rolePicker';
