/**
 * A network in the panel: a Trainer on the host, trained in short slices so
 * the editor never waits, paced to an epochs-per-second speed, and shown
 * frame by frame with backpressure: the next frame is sent only after the
 * webview said it drew the last one, so a slow webview gets fewer, larger
 * frames instead of a growing queue.
 */
import { NetworkDefinition, sameModel } from '../core/network/spec';
import { DEFAULT_SEED, NetworkGradientCheck, Trainer, TrainerOptions } from '../core/network/trainer';
import type { RunState } from '../core/network/viewModel';
import { panelParts } from './parts';
import { DatasetName, DATASET_NAMES } from '../core/network/datasets';
import type { NetworkFrame, TrainingStatus } from '../core/views';
import { fmt } from '../core/format';
import { optimizerFor } from '../core/optimizers';
import { DEFAULT_EPOCHS } from '../core/network/analysis';
import type { FromWebviewMessage, RestoreState, ToWebviewMessage } from '../protocol';

/** Longest stretch of training in one go on the extension host. */
const SLICE_MS = 8;
/** How often training wakes up while playing. */
const TICK_MS = 16;
/** A frame not acknowledged within this time is taken as lost (the webview was hidden or reloaded). */
const ACK_TIMEOUT_MS = 2000;

/** A speed at which a run of `epochs` takes about eight seconds: slow enough to watch the boundary form. */
export function defaultSpeed(epochs: number): number {
  return Math.min(2000, Math.max(20, Math.round(epochs / 8)));
}

export class NetworkSession {
  trainer: Trainer;
  private options: TrainerOptions;
  private timer: NodeJS.Timeout | undefined;
  private status: TrainingStatus = 'idle';
  private epochsPerSecond: number;
  /** epochs whose loss the webview has */
  private sent = 0;
  /** a frame is on its way and not yet drawn */
  private inFlight: { epoch: number; at: number } | undefined;
  /** the epoch of the last frame the webview drew, and the loss it showed */
  drawnEpoch = 0;
  private drawnLoss: number | null = null;
  /** the loss each frame on its way shows, by epoch, until it is drawn */
  private showing = new Map<number, number | null>();
  /** when training resumed, and the epoch then: pacing is measured from here */
  private paceFrom = { time: 0, epoch: 0 };
  /** the gradient check of the trainer shown: its result, or its steps while they run in slices */
  private check: { trainer: Trainer; result?: NetworkGradientCheck; timer?: NodeJS.Timeout } | undefined;

  constructor(
    public def: NetworkDefinition,
    private readonly post: (m: ToWebviewMessage) => void,
    private readonly file: string,
    private readonly lineOf: (offset: number) => number,
    private readonly restore: RestoreState,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.options = { seed: DEFAULT_SEED };
    this.trainer = new Trainer(def, this.options);
    this.epochsPerSecond = defaultSpeed(this.targetEpochs);
  }

  get playing(): boolean {
    return this.status === 'training';
  }

  /** Where training stops: the epochs the file sets, else the default. */
  get targetEpochs(): number {
    return this.def.epochs ?? DEFAULT_EPOCHS;
  }

  /**
   * The definition changed in the editor: rebuild, keeping seed, η,
   * optimizer, dataset and speed — unless only its place in the file moved
   * (a comment, a blank line), when training goes on with the new ranges.
   */
  redefine(def: NetworkDefinition): void {
    if (sameModel(this.def, def)) {
      this.def = def;
      return;
    }
    this.stop('idle');
    this.def = def;
    this.rebuild();
  }

  /**
   * The view at once, the check when it is done: a network of real size
   * takes a few hundred ms to check, run here in slices of SLICE_MS between
   * training's ticks, on a copy of the weights the view opened with.
   */
  show(): void {
    this.sent = 0;
    this.inFlight = undefined;
    if (this.check?.trainer !== this.trainer) this.startCheck();
    const known = this.check?.result;
    this.post({ type: 'showNetwork', view: panelParts().networkView(this.def, this.trainer, this.file, this.lineOf, known ?? null), restore: this.restore });
    this.sendFrame();
  }

  private startCheck(): void {
    if (this.check?.timer) clearTimeout(this.check.timer);
    const trainer = this.trainer;
    const steps = trainer.gradientCheckSteps();
    const check: NonNullable<NetworkSession['check']> = { trainer };
    this.check = check;
    const slice = (): void => {
      check.timer = undefined;
      const until = this.now() + SLICE_MS;
      for (let r = steps.next(); ; r = steps.next()) {
        if (r.done) {
          check.result = r.value;
          this.post({ type: 'gradientCheck', check: panelParts().gradientCheckView(r.value, trainer) });
          return;
        }
        if (this.now() >= until) break;
      }
      check.timer = setTimeout(slice, 0);
    };
    check.timer = setTimeout(slice, 0);
  }

  handle(m: FromWebviewMessage): void {
    if (m.type === 'frameDrawn') {
      this.drawnEpoch = m.epoch;
      if (this.showing.has(m.epoch)) this.drawnLoss = this.showing.get(m.epoch) ?? null;
      // frames sent after this one (a forced frame overtakes a paced one) are still on their way
      for (const e of this.showing.keys()) if (e <= m.epoch) this.showing.delete(e);
      this.inFlight = undefined;
      return;
    }
    if (m.type === 'layerHeatmap') {
      const heatmap = panelParts().layerHeatmap(this.trainer, m.layer);
      if (heatmap) this.post({ type: 'layerHeatmap', heatmap });
      return;
    }
    if (m.type === 'train') {
      switch (m.action) {
        case 'play': this.play(); break;
        case 'pause': this.stop('paused'); this.sendFrame(true); break;
        case 'epoch':
          this.stop('paused');
          this.trainer.step();
          this.sendFrame(true);
          break;
        case 'pass': {
          this.stop('paused');
          this.sendFrame(true, panelParts().passWithActivations(this.trainer));
          break;
        }
        case 'reset':
          this.stop('idle');
          this.rebuild();
          break;
      }
    } else if (m.type === 'networkOptions') {
      const o = m.options;
      if (o.epochsPerSecond !== undefined) {
        this.epochsPerSecond = o.epochsPerSecond;
        this.paceFrom = { time: this.now(), epoch: this.trainer.epoch };
      }
      if (o.learningRate === undefined && o.optimizer === undefined && o.seed === undefined && o.dataset === undefined) return;
      const dataset = o.dataset === undefined ? this.options.dataset : o.dataset === 'file' ? undefined : (DATASET_NAMES as readonly string[]).includes(o.dataset) ? (o.dataset as DatasetName) : this.options.dataset;
      const wasPlaying = this.playing;
      this.stop('paused');
      const structural = o.seed !== undefined || o.dataset !== undefined;
      this.options = {
        ...this.options,
        ...(o.learningRate !== undefined ? { learningRate: o.learningRate } : {}),
        ...(o.optimizer !== undefined ? { optimizer: optimizerFor('network', o.optimizer) } : {}),
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
        dataset,
      };
      if (structural || o.optimizer !== undefined) {
        this.status = 'idle';
        this.rebuild();
      } else if (o.learningRate !== undefined) {
        // η changes mid-training, as it would between epochs
        this.trainer.optimizer.learningRate = o.learningRate;
        this.show();
      }
      if (wasPlaying) this.play();
    }
  }

  /** What the editor shows after the model's first line: the epoch the webview drew, with the loss the panel shows for it. */
  decoration(): string {
    return `epoch ${this.drawnEpoch}: loss = ${fmt(this.drawnLoss ?? this.trainer.loss())}`;
  }

  private run(): RunState {
    return { status: this.status, targetEpochs: this.targetEpochs, epochsPerSecond: this.epochsPerSecond };
  }

  /** Sends a frame of what is new, unless one is still on its way (`force`: a user's action, always shown). */
  private sendFrame(force = false, pass: NetworkFrame['pass'] = null): void {
    if (this.inFlight && !force && this.now() - this.inFlight.at < ACK_TIMEOUT_MS) return;
    const f = panelParts().networkFrame(this.trainer, this.run(), pass, this.sent);
    this.sent = this.trainer.history.length;
    this.inFlight = { epoch: f.epoch, at: this.now() };
    this.showing.set(f.epoch, f.current);
    this.post({ type: 'networkFrame', frame: f });
  }

  private rebuild(): void {
    this.trainer = new Trainer(this.def, this.options);
    this.drawnLoss = null;
    this.showing.clear();
    this.show();
  }

  play(): void {
    if (this.timer) return;
    if (this.trainer.epoch >= this.targetEpochs) {
      // a finished run starts again from its initial weights
      this.trainer = new Trainer(this.def, this.options);
      this.show();
    }
    this.status = 'training';
    this.paceFrom = { time: this.now(), epoch: this.trainer.epoch };
    const tick = (): void => {
      this.timer = undefined;
      if (this.status !== 'training') return;
      // Epochs owed at this speed since training resumed, within a time slice.
      const due = Math.min(this.targetEpochs, this.paceFrom.epoch + Math.floor(((this.now() - this.paceFrom.time) / 1000) * this.epochsPerSecond));
      const owed = due - this.trainer.epoch;
      if (owed > 0) this.trainer.run(owed, SLICE_MS);
      if (this.trainer.epoch >= this.targetEpochs) {
        this.status = 'finished';
        this.sendFrame(true);
        return;
      }
      if (owed > 0) this.sendFrame();
      this.timer = setTimeout(tick, TICK_MS);
    };
    this.sendFrame(true);
    this.timer = setTimeout(tick, TICK_MS);
  }

  stop(status: TrainingStatus = 'paused'): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.status === 'training' || status === 'idle') this.status = status;
  }

  dispose(): void {
    this.stop();
    if (this.check?.timer) clearTimeout(this.check.timer);
  }
}
