/**
 * A function in the panel: the descent options the user set, the view the
 * core computed for them, and the step the animation shows. The view carries
 * every step and the graph's values at every step, so the webview animates
 * without asking the host anything; the host only hears which step is shown
 * (for the editor's decoration and the hover).
 */
import { ViewOptions, functionView } from '../core/viewModel';
import { FunctionDefinition } from '../core/source/definition';
import type { FunctionView } from '../core/views';
import { fmt } from '../core/format';
import type { FromWebviewMessage, RestoreState, ToWebviewMessage } from '../protocol';

export interface FunctionSessionHost {
  post(m: ToWebviewMessage): void;
  /** the document's current text (graph nodes are labelled with it) */
  sourceText(): string | undefined;
  /** the panel's defaults for a new definition */
  defaultOptions(def: FunctionDefinition): ViewOptions;
  /** the step shown changed: the editor's decoration follows */
  stepChanged(): void;
  log(message: string): void;
}

export class FunctionSession {
  private options: ViewOptions;
  private view: FunctionView | undefined;
  /** the step the animation shows */
  step = 0;

  constructor(public def: FunctionDefinition, private readonly file: string, private readonly restore: RestoreState, private readonly host: FunctionSessionHost) {
    this.options = host.defaultOptions(def);
  }

  get currentView(): FunctionView | undefined {
    return this.view;
  }

  /** The definition changed in the editor: keep the controls; parameters that are new get the default start. */
  redefine(def: FunctionDefinition): void {
    const dflt = this.host.defaultOptions(def);
    this.def = def;
    this.options = { ...this.options, start: { ...dflt.start, ...pick(this.options.start, def.params) } };
    this.show();
  }

  /** Computes the view for the current options and sends it. */
  show(): void {
    try {
      this.view = functionView(this.def, this.file, this.options, this.host.sourceText());
    } catch (e) {
      this.host.log(`could not compute the view: ${(e as Error).message}`);
      this.host.post({ type: 'problem', message: `could not compute the descent: ${(e as Error).message}`, location: this.file });
      return;
    }
    this.step = 0;
    this.host.post({ type: 'show', view: this.view, restore: this.restore });
    this.host.stepChanged();
  }

  handle(m: FromWebviewMessage): void {
    switch (m.type) {
      case 'setOptions':
        this.options = { ...this.options, ...m.options, start: { ...this.options.start, ...(m.options.start ? pick(m.options.start, this.def.params) : {}) } };
        this.show();
        break;
      case 'slice':
        this.options = { ...this.options, slice: { x: m.x, y: m.y, step: m.step } };
        this.show();
        break;
      case 'step':
      case 'finished':
        if (this.view && m.step < this.view.steps.length) {
          this.step = m.step;
          this.host.stepChanged();
        }
        break;
    }
  }

  /** The point the animation shows now: parameter → value. */
  currentPoint(): Record<string, number> | undefined {
    const s = this.view?.steps[Math.min(this.step, this.view.steps.length - 1)];
    if (!this.view || !s) return undefined;
    const out: Record<string, number> = {};
    this.view.params.forEach((p, i) => {
      const v = s.point[i];
      if (v !== null) out[p] = v;
    });
    return out;
  }

  /** Document offsets of a graph node's source. */
  nodeRange(id: number): { start: number; end: number } | undefined {
    const node = this.view?.graph.nodes[id];
    return node && node.start >= 0 ? { start: node.start, end: node.end } : undefined;
  }

  dispose(): void {
    // nothing runs in the background for a function: the animation lives in the webview
  }

  /** What the editor shows after the definition's first line. */
  decoration(): string | undefined {
    const s = this.view?.steps[Math.min(this.step, this.view.steps.length - 1)];
    if (!s) return undefined;
    return `step ${this.step}: ${this.def.name ?? 'f'} = ${fmt(s.value)}, ∇ = (${s.gradient.map(fmt).join(', ')})`;
  }
}

function pick(o: Record<string, number>, keys: readonly string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k)));
}
