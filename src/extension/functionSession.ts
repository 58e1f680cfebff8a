/**
 * A function in the panel: the descent options the user set, the view the
 * core computed for them, and the step the animation shows. The view carries
 * every step and the graph's values at every step, so the webview animates
 * without asking the host anything; the host only hears which step is shown
 * (for the editor's decoration and the hover).
 */
import type { ViewOptions } from '../core/viewModel';
import { panelParts } from './parts';
import type { Racer } from '../core/race';
import { SWEEP_RATES, Sweep, sweepByRate } from '../core/sweep';
import { tapeOf } from '../core/analysis';
import { FunctionDefinition } from '../core/source/definition';
import type { FunctionView, RaceView, SweepView } from '../core/views';
import { fmt } from '../core/format';
import type { FromWebviewMessage, RestoreState, ToWebviewMessage } from '../protocol';

/** The longest a sweep holds the extension host before it lets other work run. */
const SLICE_MS = 20;

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
  /** the race the learner asked for (empty: none), and the last one computed, for what it was computed */
  private racers: Racer[] = [];
  private race: { key: string; view: RaceView } | undefined;
  /** whether the learner asked for a sweep; the last one computed and for what; the one being computed */
  private sweepWanted = false;
  private sweep: { key: string; view: SweepView } | undefined;
  private sweeping: { key: string; cancel(): void } | undefined;
  /** counts the definitions this session has shown (a live edit, data read again): a race or sweep is for one */
  private version = 0;
  /** whether this session has told the panel it has no race or sweep (once, on its first view) */
  private readonly announced = { race: false, sweep: false };

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
    this.version++;
    this.options = { ...this.options, start: { ...dflt.start, ...pick(this.options.start, def.params) } };
    this.show();
  }

  /** Computes the view for the current options and sends it. */
  show(): void {
    try {
      // no data anywhere: the partials over m samples and how to bind data, no descent
      if (this.def.symbolicSum) {
        this.view = undefined;
        this.host.post({ type: 'showUnbound', view: panelParts().unboundView(this.def, this.file), restore: this.restore });
        return;
      }
      this.view = panelParts().functionView(this.def, this.file, this.options, this.host.sourceText());
    } catch (e) {
      this.host.log(`could not compute the view: ${(e as Error).message}`);
      this.host.post({ type: 'problem', message: `could not compute the descent: ${(e as Error).message}`, location: this.file });
      return;
    }
    this.step = 0;
    this.host.post({ type: 'show', view: this.view, restore: this.restore });
    this.host.stepChanged();
    this.showRace();
    this.showSweep();
  }

  /** What a race or a sweep depends on besides its own settings: the function, the start, the step limit (and the batches). */
  private comparisonKey(extra: unknown): string {
    const v = this.view as FunctionView;
    return JSON.stringify([this.version, v.options.start, v.options.maxSteps, extra]);
  }

  /** The race for the view just shown: the one computed before when nothing it depends on changed. */
  private showRace(): void {
    if (!this.view) return;
    if (this.racers.length === 0) {
      // a new session says so once: the panel may still show a race of the function it showed before
      if (!this.announced.race) this.host.post({ type: 'race', race: null });
      this.announced.race = true;
      return;
    }
    const key = this.comparisonKey([this.racers, this.view.options.batchSize ?? 0]);
    if (this.race?.key !== key) {
      try {
        this.race = { key, view: panelParts().raceView(this.def, { ...this.options, start: this.view.options.start }, this.racers) };
      } catch (e) {
        this.host.post({ type: 'problem', message: `could not run the race: ${(e as Error).message}`, location: this.file });
        return;
      }
    }
    this.host.post({ type: 'race', race: this.race.view });
  }

  /**
   * The sweep for the view just shown: the one computed before when nothing it depends on changed, else a new
   * one, computed a few dozen descent steps at a time with the event loop free in between (a turn at least every
   * SLICE_MS), so the editor never waits on it.
   */
  private showSweep(): void {
    if (!this.view) return;
    if (!this.sweepWanted) {
      if (!this.announced.sweep) this.host.post({ type: 'sweep', sweep: null });
      this.announced.sweep = true;
      return;
    }
    const { start, maxSteps, optimizer } = this.view.options;
    const key = this.comparisonKey(optimizer);
    if (this.sweep?.key === key) {
      this.host.post({ type: 'sweep', sweep: this.sweep.view });
      return;
    }
    if (this.sweeping?.key === key) return;
    this.sweeping?.cancel();
    const runs = sweepByRate(tapeOf(this.def), { optimizer, maxSteps, start }, this.def.name ?? 'f');
    let cancelled = false;
    let busy = 0;
    let longest = 0;
    const t0 = Date.now();
    this.sweeping = { key, cancel: () => { cancelled = true; } };
    const slice = (): void => {
      if (cancelled) return;
      const t = performance.now();
      let r: IteratorResult<number, Sweep>;
      try {
        // another piece only while it should fit in the slice: a piece takes about as long as the one before
        let piece = 0;
        do {
          const a = performance.now();
          r = runs.next();
          piece = performance.now() - a;
        } while (!r.done && performance.now() - t + piece < SLICE_MS);
      } catch (e) {
        this.sweeping = undefined;
        this.host.post({ type: 'problem', message: `could not sweep the learning rate: ${(e as Error).message}`, location: this.file });
        return;
      }
      const held = performance.now() - t;
      busy += held;
      longest = Math.max(longest, held);
      if (!r.done) {
        this.host.post({ type: 'sweepProgress', done: r.value, total: SWEEP_RATES.count });
        setImmediate(slice);
        return;
      }
      this.sweeping = undefined;
      this.sweep = { key, view: panelParts().sweepView(r.value, start, maxSteps, Math.round(busy), Math.round(longest)) };
      this.host.log(`sweep: ${SWEEP_RATES.count} rates in ${Math.round(busy)} ms of work over ${Date.now() - t0} ms, the host held at most ${Math.round(longest)} ms at a time`);
      this.host.post({ type: 'sweep', sweep: this.sweep.view });
    };
    this.host.post({ type: 'sweepProgress', done: 0, total: SWEEP_RATES.count });
    setImmediate(slice);
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
      case 'race':
        this.racers = m.racers;
        if (m.racers.length === 0) {
          this.race = undefined;
          this.host.post({ type: 'race', race: null });
        } else this.showRace();
        break;
      case 'sweep':
        this.sweepWanted = true;
        this.showSweep();
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
    // the animation lives in the webview; only a sweep may be under way here
    this.sweeping?.cancel();
    this.sweeping = undefined;
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
