/**
 * The one message protocol between the extension host and the panel's
 * webview. Every message has a `type` tag; both sides validate what they
 * receive with the guards below and drop (and log) anything else.
 */
import type { DescentOptionsView, FunctionView, GraphJson, NetworkFrame, NetworkView } from './core/views';
import { DESCENT_STATUSES, DescentStatus } from './core/descent';
import { OptimizerName, isOptimizerName } from './core/optimizers';

export type * from './core/views';

// ------------------------------------------------------------------ host → webview

export type ToWebviewMessage =
  /** `restore` is kept by the webview (setState) so the panel comes back after a reload */
  | { type: 'show'; view: FunctionView; restore: { uri: string; line: number } }
  | { type: 'showNetwork'; view: NetworkView; restore: { uri: string; line: number } }
  | { type: 'networkFrame'; frame: NetworkFrame }
  /** the computational graph at the point of descent step `step` (the Backprop view follows the descent view) */
  | { type: 'graph'; step: number; graph: GraphJson }
  /** the definition could not be read; the panel keeps the last good view */
  | { type: 'problem'; message: string; location: string }
  /** move the animation (used by tests and by the editor) */
  | { type: 'control'; action: 'play' | 'pause' | 'reset' | 'end' };

// ------------------------------------------------------------------ webview → host

export type FromWebviewMessage =
  | { type: 'ready' }
  | { type: 'setOptions'; options: Partial<DescentOptionsView> }
  /** the animation shows this step now */
  | { type: 'step'; step: number }
  /** the animation reached the last step of the trace */
  | { type: 'finished'; step: number; status: DescentStatus }
  /** for >2 parameters: the two parameters of the 2-D slice */
  | { type: 'slice'; x: string; y: string; step: number }
  /** select a graph node's source text in the editor */
  | { type: 'revealNode'; node: number }
  /** network training controls */
  | { type: 'train'; action: 'play' | 'pause' | 'epoch' | 'pass' | 'reset' }
  | { type: 'networkOptions'; options: { learningRate?: number; optimizer?: OptimizerName; seed?: number; dataset?: string } }
  /** the network view drew this epoch (tests wait for it) */
  | { type: 'networkProgress'; epoch: number; loss: number; initialLoss: number }
  /** select a layer's source in the editor */
  | { type: 'revealLayer'; layer: number };

// ------------------------------------------------------------------ validation

type Json = unknown;
const isObj = (v: Json): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: Json): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: Json): v is number => isNum(v) && Number.isInteger(v) && v >= 0;
const isStr = (v: Json, max = 200): v is string => typeof v === 'string' && v.length <= max;

/** A message from the webview, or undefined when it is not one we know. */
export function parseFromWebview(m: Json): FromWebviewMessage | undefined {
  if (!isObj(m) || !isStr(m.type)) return undefined;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
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
    case 'train':
      return isStr(m.action) && ['play', 'pause', 'epoch', 'pass', 'reset'].includes(m.action) ? { type: 'train', action: m.action as 'play' } : undefined;
    case 'networkProgress':
      return isInt(m.epoch) && isNum(m.loss) && isNum(m.initialLoss) ? { type: 'networkProgress', epoch: m.epoch, loss: m.loss, initialLoss: m.initialLoss } : undefined;
    case 'networkOptions': {
      if (!isObj(m.options)) return undefined;
      const o = m.options;
      const out: { learningRate?: number; optimizer?: OptimizerName; seed?: number; dataset?: string } = {};
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
      return { type: 'networkOptions', options: out };
    }
    case 'setOptions': {
      if (!isObj(m.options)) return undefined;
      const o = m.options;
      const out: Partial<DescentOptionsView> = {};
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

/** A message from the host, or undefined when it is not one we know (shape check of the envelope). */
export function parseToWebview(m: Json): ToWebviewMessage | undefined {
  if (!isObj(m) || !isStr(m.type)) return undefined;
  switch (m.type) {
    case 'show':
      return isObj(m.view) && m.view.kind === 'function' && Array.isArray(m.view.params) && Array.isArray(m.view.steps) && isObj(m.view.plot)
        ? (m as unknown as ToWebviewMessage) : undefined;
    case 'showNetwork':
      return isObj(m.view) && m.view.kind === 'network' && Array.isArray(m.view.layers) && Array.isArray(m.view.points) ? (m as unknown as ToWebviewMessage) : undefined;
    case 'networkFrame':
      return isObj(m.frame) && isInt(m.frame.epoch) && Array.isArray(m.frame.loss) && Array.isArray(m.frame.params) ? (m as unknown as ToWebviewMessage) : undefined;
    case 'graph':
      return isInt(m.step) && isObj(m.graph) && Array.isArray(m.graph.nodes) && Array.isArray(m.graph.edges) ? (m as unknown as ToWebviewMessage) : undefined;
    case 'problem':
      return isStr(m.message, 10000) && isStr(m.location, 10000) ? { type: 'problem', message: m.message, location: m.location } : undefined;
    case 'control':
      return isStr(m.action) && ['play', 'pause', 'reset', 'end'].includes(m.action) ? { type: 'control', action: m.action as 'play' } : undefined;
    default:
      return undefined;
  }
}
