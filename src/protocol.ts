/**
 * The one message protocol between the extension host and the panel's
 * webview. Every message has a `type` tag; both sides validate what they
 * receive with the guards below and drop (and log) anything else.
 */
import { EXPORT_FORMATS, ExportFormat } from './core/network/export';
import { DESCENT_STATUSES, DescentStatus, FunctionView, GradientCheckView, LandscapeView, LayerHeatmap, NetworkFrame, NetworkRaceView, NetworkView, RaceView, SweepView, UnboundView } from './core/views';
import { DESCENT_EXPORT_FORMATS, DescentExportFormat } from './core/exportDescent';
import type { Racer } from './core/race';
import type { DescentOptions } from './core/descent';
import { OptimizerName, isOptimizerName, optimizerMenu } from './core/optimizers';

export type * from './core/views';

// ------------------------------------------------------------------ host → webview

export type ToWebviewMessage =
  /** a function's view, with every step and the graph's values at every step: the animation needs nothing more */
  | { type: 'show'; view: FunctionView; restore: RestoreState }
  /** a cost over data with no data: its partials over m symbolic samples and how to bind data (no descent to animate) */
  | { type: 'showUnbound'; view: UnboundView; restore: RestoreState }
  | { type: 'showNetwork'; view: NetworkView; restore: RestoreState }
  /** training results; the host sends the next one only after `frameDrawn` (backpressure) */
  | { type: 'networkFrame'; frame: NetworkFrame }
  /** the gradient check of the network shown, once it has run (the view comes first, without it) */
  | { type: 'gradientCheck'; check: GradientCheckView }
  /** the answer to `layerHeatmap`: that layer's W, block-averaged */
  | { type: 'layerHeatmap'; heatmap: LayerHeatmap }
  /** a race of optimizers from the view's start (sent after the `show` it belongs to; null: no race) */
  | { type: 'race'; race: RaceView | null }
  /** a learning-rate sweep from the view's start, once computed (sent after the `show` it belongs to; null: none) */
  | { type: 'sweep'; sweep: SweepView | null }
  /** a sweep is being computed: this many of its learning rates are done */
  | { type: 'sweepProgress'; done: number; total: number }
  /** a race of optimizers on the network from the same initial weights, once trained (null: none, or no longer: the model changed) */
  | { type: 'networkRace'; race: NetworkRaceView | null }
  /** the network's loss landscape around the weights of an epoch, once computed (null: none, or no longer) */
  | { type: 'landscape'; landscape: LandscapeView | null }
  /** a network race or landscape is being computed: this much of it is done */
  | { type: 'networkProgress'; task: NetworkTask; done: number; total: number }
  /** something the panel could not do (an export refused, a chart not saved), said in a banner */
  | { type: 'problem'; message: string; location: string }
  /**
   * The definition shown no longer reads (or is gone from the file): the panel keeps the view of
   * how it last read, marked stale, with what is wrong and where; null once the code reads again.
   */
  | { type: 'stale'; problem: { message: string; location: string } | null }
  /** bring a part of the panel into view, its first control focused (the walkthrough's "Step the Backprop view") */
  | { type: 'reveal'; section: 'backprop' }
  /**
   * What was sent to a new page before it said it was ready, again, because it said it had no view: the
   * page applies them only if it still has none (the first sending may yet arrive, and then this is a copy).
   */
  | { type: 'replay'; messages: ToWebviewMessage[] };

/** What the network engine computes beside training, in slices. */
export const NETWORK_TASKS = ['race', 'landscape'] as const;
export type NetworkTask = (typeof NETWORK_TASKS)[number];

/** What the webview keeps (setState) so the panel comes back after a reload. */
export interface RestoreState {
  uri: string;
  line: number;
}

// ------------------------------------------------------------------ webview → host

export interface NetworkOptionsChange {
  learningRate?: number;
  optimizer?: OptimizerName;
  seed?: number;
  dataset?: string;
  /** training speed while playing */
  epochsPerSecond?: number;
}

export type FromWebviewMessage =
  /** the page's script runs; `shown`: a view had already reached it (else the host sends what it sent before, again) */
  | { type: 'ready'; shown: boolean }
  | { type: 'setOptions'; options: Partial<DescentOptions> }
  /** the animation shows this step now (the editor's decoration and the hover follow; nothing is sent back) */
  | { type: 'step'; step: number }
  /** the animation reached the last step of the trace */
  | { type: 'finished'; step: number; status: DescentStatus }
  /** for >2 parameters: the two parameters of the 2-D slice */
  | { type: 'slice'; x: string; y: string; step: number }
  /** select a graph node's source text in the editor */
  | { type: 'revealNode'; node: number }
  /** network training controls */
  | { type: 'train'; action: 'play' | 'pause' | 'epoch' | 'pass' | 'reset' }
  | { type: 'networkOptions'; options: NetworkOptionsChange }
  /** the network view drew the frame of this epoch: the host may send the next */
  | { type: 'frameDrawn'; epoch: number }
  /** select a layer's source in the editor */
  | { type: 'revealLayer'; layer: number }
  /** a network drawn as bands: the heat map of this dense layer's W (0-based), please */
  | { type: 'layerHeatmap'; layer: number }
  /** step through this small network neuron by neuron (the Backprop view of its scalar loss) */
  | { type: 'neurons' }
  /** from the neuron-by-neuron view back to the network */
  | { type: 'backToNetwork' }
  /** the trained weights (JSON, or code in the file's framework) or the loss curve (CSV), opened in an editor */
  | { type: 'export'; format: ExportFormat }
  /** race these optimizers, each at its own η, from the current start (an empty list ends the race) */
  | { type: 'race'; racers: Racer[] }
  /** race these optimizers on the network, each at its own η, from the same initial weights (an empty list ends the race) */
  | { type: 'networkRace'; racers: Racer[] }
  /** the network's loss landscape around its current weights, with the training path */
  | { type: 'landscape' }
  /** sweep the learning rate from the current start */
  | { type: 'sweep' }
  /** the descent shown as a script (NumPy or plain JavaScript), opened in an editor */
  | { type: 'exportDescent'; format: DescentExportFormat }
  /** the step table as CSV, opened in an editor (the host writes it from the view it computed) */
  | { type: 'exportSteps' }
  /** the user asks to bind data to the cost shown: the host offers the candidates (one argument's, or each data argument's in turn) */
  | { type: 'chooseData'; arg?: string }
  /** a plain-number forward pass: the user asks to choose which of its names are parameters and which are held */
  | { type: 'chooseRoles' }
  /** a chart as a PNG the webview drew: the host asks where to save it and writes it */
  | { type: 'saveImage'; chart: ChartName; png: string };

/** The charts the panel can save as an image (the name goes into the file name offered). */
export const CHART_NAMES = ['plot', 'loss', 'trajectory', 'fit', 'boundary', 'sweep'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

/** A PNG image as the webview sends it: at most this many characters of data URL. */
export const MAX_PNG_DATA_URL = 16 * 1024 * 1024;
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+={0,2}$/;

// ------------------------------------------------------------------ validation

/** An argument's name as code writes it. */
const IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

type Json = unknown;
const isObj = (v: Json): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: Json): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: Json): v is number => isNum(v) && Number.isInteger(v) && v >= 0;
const isStr = (v: Json, max = 200): v is string => typeof v === 'string' && v.length <= max;
const isStrings = (v: Json): v is string[] => Array.isArray(v) && v.every((x) => isStr(x, 1000));

/** A message from the webview, or undefined when it is not one we know. */
export function parseFromWebview(m: Json): FromWebviewMessage | undefined {
  if (!isObj(m) || !isStr(m.type)) return undefined;
  switch (m.type) {
    case 'ready':
      return { type: 'ready', shown: m.shown === true };
    case 'step':
      return isInt(m.step) ? { type: 'step', step: m.step } : undefined;
    case 'finished':
      return isInt(m.step) && isStr(m.status) && (DESCENT_STATUSES as readonly string[]).includes(m.status) ? { type: 'finished', step: m.step, status: m.status as DescentStatus } : undefined;
    case 'slice':
      return isStr(m.x) && isStr(m.y) && isInt(m.step) ? { type: 'slice', x: m.x, y: m.y, step: m.step } : undefined;
    case 'revealNode':
      return isInt(m.node) ? { type: 'revealNode', node: m.node } : undefined;
    case 'revealLayer':
      return isInt(m.layer) ? { type: 'revealLayer', layer: m.layer } : undefined;
    case 'layerHeatmap':
      return isInt(m.layer) && m.layer < 10_000 ? { type: 'layerHeatmap', layer: m.layer } : undefined;
    case 'neurons':
      return { type: 'neurons' };
    case 'backToNetwork':
      return { type: 'backToNetwork' };
    case 'export':
      return isStr(m.format) && (EXPORT_FORMATS as readonly string[]).includes(m.format) ? { type: 'export', format: m.format as ExportFormat } : undefined;
    case 'race':
    case 'networkRace': {
      const racers = parseRacers(m.racers, m.type === 'race' ? 'function' : 'network');
      return racers ? { type: m.type, racers } : undefined;
    }
    case 'landscape':
      return { type: 'landscape' };
    case 'sweep':
      return { type: 'sweep' };
    case 'exportDescent':
      return isStr(m.format) && (DESCENT_EXPORT_FORMATS as readonly string[]).includes(m.format) ? { type: 'exportDescent', format: m.format as DescentExportFormat } : undefined;
    case 'exportSteps':
      return { type: 'exportSteps' };
    case 'chooseData':
      if (m.arg === undefined) return { type: 'chooseData' };
      return isStr(m.arg, 100) && IDENTIFIER.test(m.arg) ? { type: 'chooseData', arg: m.arg } : undefined;
    case 'chooseRoles':
      return { type: 'chooseRoles' };
    case 'saveImage':
      return isStr(m.chart) && (CHART_NAMES as readonly string[]).includes(m.chart) && isStr(m.png, MAX_PNG_DATA_URL) && PNG_DATA_URL.test(m.png)
        ? { type: 'saveImage', chart: m.chart as ChartName, png: m.png } : undefined;
    case 'train':
      return isStr(m.action) && ['play', 'pause', 'epoch', 'pass', 'reset'].includes(m.action) ? { type: 'train', action: m.action as 'play' } : undefined;
    case 'frameDrawn':
      return isInt(m.epoch) ? { type: 'frameDrawn', epoch: m.epoch } : undefined;
    case 'networkOptions': {
      if (!isObj(m.options)) return undefined;
      const o = m.options;
      const out: NetworkOptionsChange = {};
      if (o.learningRate !== undefined) {
        if (!isNum(o.learningRate) || o.learningRate <= 0 || o.learningRate > 100) return undefined;
        out.learningRate = o.learningRate;
      }
      if (o.optimizer !== undefined) {
        if (!isStr(o.optimizer) || !isOptimizerName(o.optimizer)) return undefined;
        out.optimizer = o.optimizer as OptimizerName;
      }
      if (o.seed !== undefined) {
        if (!isInt(o.seed) || o.seed > 2 ** 31) return undefined;
        out.seed = o.seed;
      }
      if (o.dataset !== undefined) {
        if (!isStr(o.dataset, 40) || !/^[a-z]+$/.test(o.dataset)) return undefined;
        out.dataset = o.dataset;
      }
      if (o.epochsPerSecond !== undefined) {
        if (!isNum(o.epochsPerSecond) || o.epochsPerSecond < 1 || o.epochsPerSecond > 10000) return undefined;
        out.epochsPerSecond = o.epochsPerSecond;
      }
      return { type: 'networkOptions', options: out };
    }
    case 'setOptions': {
      if (!isObj(m.options)) return undefined;
      const o = m.options;
      const out: Partial<DescentOptions> = {};
      if (o.learningRate !== undefined) {
        if (!isNum(o.learningRate) || o.learningRate <= 0 || o.learningRate > 100) return undefined;
        out.learningRate = o.learningRate;
      }
      if (o.maxSteps !== undefined) {
        if (!isInt(o.maxSteps) || o.maxSteps < 1 || o.maxSteps > 10000) return undefined;
        out.maxSteps = o.maxSteps;
      }
      if (o.optimizer !== undefined) {
        if (!isStr(o.optimizer) || !isOptimizerName(o.optimizer)) return undefined;
        out.optimizer = o.optimizer as OptimizerName;
      }
      if (o.sample !== undefined) {
        if (!isInt(o.sample) || o.sample < 0 || o.sample > 10_000_000) return undefined;
        out.sample = o.sample;
      }
      if (o.batchSize !== undefined) {
        if (!isInt(o.batchSize) || o.batchSize < 0 || o.batchSize > 1_000_000) return undefined;
        out.batchSize = o.batchSize;
      }
      if (o.start !== undefined) {
        if (!isObj(o.start)) return undefined;
        const start: Record<string, number> = {};
        for (const [k, v] of Object.entries(o.start)) {
          if (!isStr(k, 100) || !isNum(v) || Math.abs(v) > 1e9) return undefined;
          start[k] = v;
        }
        out.start = start;
      }
      return { type: 'setOptions', options: out };
    }
    default:
      return undefined;
  }
}

/** Racers as the webview sends them: each an optimizer offered for this kind, once, at an η in (0, 100]; undefined when not. */
function parseRacers(v: Json, kind: 'function' | 'network'): Racer[] | undefined {
  const menu = optimizerMenu(kind);
  if (!Array.isArray(v) || v.length > menu.length) return undefined;
  const racers: Racer[] = [];
  for (const r of v as unknown[]) {
    if (!isObj(r) || !isStr(r.optimizer) || !menu.includes(r.optimizer as OptimizerName)) return undefined;
    if (!isNum(r.learningRate) || r.learningRate <= 0 || r.learningRate > 100) return undefined;
    if (racers.some((x) => x.optimizer === r.optimizer)) return undefined;
    racers.push({ optimizer: r.optimizer as OptimizerName, learningRate: r.learningRate });
  }
  return racers;
}

/** A message from the host, or undefined when it is not one we know (shape check of the envelope). */
export function parseToWebview(m: Json): ToWebviewMessage | undefined {
  if (!isObj(m) || !isStr(m.type)) return undefined;
  switch (m.type) {
    case 'show':
      return isObj(m.view) && m.view.kind === 'function' && Array.isArray(m.view.params) && Array.isArray(m.view.steps) && isObj(m.view.plot)
        && isObj(m.view.graph) && isObj(m.view.graphTrace) && Array.isArray(m.view.graphTrace.steps)
        ? (m as unknown as ToWebviewMessage) : undefined;
    case 'showUnbound':
      return isObj(m.view) && m.view.kind === 'unbound' && isStrings(m.view.params) && isStrings(m.view.args) && isObj(m.view.gradientTex) && isObj(m.view.gradientText)
        && (m.view.term === null || isObj(m.view.term)) && isStr(m.view.message, 10000) && isStr(m.view.termNote, 10000) && isObj(m.restore)
        ? (m as unknown as ToWebviewMessage) : undefined;
    case 'showNetwork':
      return isObj(m.view) && m.view.kind === 'network' && Array.isArray(m.view.layers) && Array.isArray(m.view.points) ? (m as unknown as ToWebviewMessage) : undefined;
    case 'networkFrame':
      return isObj(m.frame) && isInt(m.frame.epoch) && Array.isArray(m.frame.loss) && (m.frame.params === null || Array.isArray(m.frame.params)) && Array.isArray(m.frame.layers)
        && (m.frame.landscapePoint === undefined || m.frame.landscapePoint === null || (isObj(m.frame.landscapePoint) && isNum(m.frame.landscapePoint.a) && isNum(m.frame.landscapePoint.b) && isNum(m.frame.landscapePoint.outside)))
        ? (m as unknown as ToWebviewMessage) : undefined;
    case 'gradientCheck':
      return isObj(m.check) && isStr(m.check.text, 10000) ? { type: 'gradientCheck', check: { text: m.check.text } } : undefined;
    case 'layerHeatmap':
      return isObj(m.heatmap) && isInt(m.heatmap.layer) && isInt(m.heatmap.gridRows) && isInt(m.heatmap.gridCols) && Array.isArray(m.heatmap.values)
        && m.heatmap.values.length === m.heatmap.gridRows * m.heatmap.gridCols ? (m as unknown as ToWebviewMessage) : undefined;
    case 'race':
      return m.race === null || (isObj(m.race) && Array.isArray(m.race.runs) && isObj(m.race.plot)) ? (m as unknown as ToWebviewMessage) : undefined;
    case 'sweep':
      return m.sweep === null || (isObj(m.sweep) && Array.isArray(m.sweep.etas) && Array.isArray(m.sweep.marks) && Array.isArray(m.sweep.finalValue)) ? (m as unknown as ToWebviewMessage) : undefined;
    case 'sweepProgress':
      return isInt(m.done) && isInt(m.total) ? { type: 'sweepProgress', done: m.done, total: m.total } : undefined;
    case 'networkRace':
      return m.race === null || (isObj(m.race) && isInt(m.race.epochs) && Array.isArray(m.race.runs) && m.race.runs.every((r: unknown) => isObj(r) && Array.isArray(r.losses))) ? (m as unknown as ToWebviewMessage) : undefined;
    case 'landscape':
      return m.landscape === null || (isObj(m.landscape) && isInt(m.landscape.side) && Array.isArray(m.landscape.values) && m.landscape.values.length === m.landscape.side ** 2
        && Array.isArray(m.landscape.path) && isNum(m.landscape.extent)) ? (m as unknown as ToWebviewMessage) : undefined;
    case 'networkProgress':
      return isStr(m.task) && (NETWORK_TASKS as readonly string[]).includes(m.task) && isInt(m.done) && isInt(m.total)
        ? { type: 'networkProgress', task: m.task as NetworkTask, done: m.done, total: m.total } : undefined;
    case 'problem':
      return isStr(m.message, 10000) && isStr(m.location, 10000) ? { type: 'problem', message: m.message, location: m.location } : undefined;
    case 'stale':
      return m.problem === null ? { type: 'stale', problem: null }
        : isObj(m.problem) && isStr(m.problem.message, 10000) && isStr(m.problem.location, 10000)
          ? { type: 'stale', problem: { message: m.problem.message, location: m.problem.location } } : undefined;
    case 'reveal':
      return m.section === 'backprop' ? { type: 'reveal', section: 'backprop' } : undefined;
    case 'replay': {
      if (!Array.isArray(m.messages)) return undefined;
      const messages = m.messages.map((x: Json) => (isObj(x) && x.type === 'replay' ? undefined : parseToWebview(x)));
      return messages.every((x): x is ToWebviewMessage => x !== undefined) ? { type: 'replay', messages } : undefined;
    }
    default:
      return undefined;
  }
}
