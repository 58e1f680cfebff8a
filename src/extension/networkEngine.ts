/**
 * A network in the panel, trained: the Trainer, trained in short slices at
 * an epochs-per-second speed, its gradient check in slices beside it, and
 * the panel's view and frames built from it, sent with backpressure (the
 * next frame only after the webview said it drew the last one, so a slow
 * webview gets fewer, larger frames instead of a growing queue). Beside
 * training, also in slices: a race of optimizers from the same initial
 * weights, and the loss landscape around the current weights with the path
 * the weights took (recorded per epoch, thinned, for networks small enough).
 *
 * It runs in a worker (worker.node.ts, worker.web.ts; no `vscode` here) so
 * that no epoch, check or frame of a network of real size holds up the
 * editor: the host and the engine talk only through the messages below,
 * which structured clone carries.
 */
import { NetworkDefinition } from '../core/network/spec';
import { DEFAULT_SEED, NetworkGradientCheck, Trainer, TrainerFigures, TrainerOptions } from '../core/network/trainer';
import { RunState, gradientCheckView, layerHeatmap, networkFrame, networkView, passWithActivations } from '../core/network/viewModel';
import { DatasetName, DATASET_NAMES } from '../core/network/datasets';
import type { NetworkFrame, TrainingStatus } from '../core/views';
import { OptimizerName, optimizerFor } from '../core/optimizers';
import { DEFAULT_EPOCHS } from '../core/network/analysis';
import { LANDSCAPE_SEED, PATH_MAX_PARAMETERS, PathPoint, PathRecorder, Plane, landscapePlane, landscapeSide, landscapeSteps, projectOntoPlane } from '../core/network/landscape';
import { networkRaceSteps } from '../core/network/race';
import { FromWebviewMessage, NETWORK_TASKS, NetworkTask, RestoreState, ToWebviewMessage } from '../protocol';

/** Longest stretch of training in one go. */
const SLICE_MS = 8;
/** How often training wakes up while playing. */
const TICK_MS = 16;
/** A frame not acknowledged within this time is taken as lost (the webview was hidden or reloaded). */
const ACK_TIMEOUT_MS = 2000;
/** How often a race or a landscape says how far it is. */
const PROGRESS_MS = 100;

/** A speed at which a run of `epochs` takes about eight seconds: slow enough to watch the boundary form. */
export function defaultSpeed(epochs: number): number {
  return Math.min(2000, Math.max(20, Math.round(epochs / 8)));
}

/** The messages of the panel the engine answers. */
export type EngineWebviewMessage = Extract<FromWebviewMessage, { type: 'train' | 'networkOptions' | 'frameDrawn' | 'layerHeatmap' | 'networkRace' | 'landscape' }>;

/** What the host tells the engine. */
export type EngineInput =
  /** a network to train; `layerLines[l]` is layer l's line in the file (1-based) */
  | { type: 'open'; def: NetworkDefinition; file: string; layerLines: number[]; restore: RestoreState }
  /** the definition changed in a way that changes the model: rebuild, keeping seed, η, optimizer, dataset and speed */
  | { type: 'redefine'; def: NetworkDefinition; layerLines: number[] }
  /** only the layers' places in the file moved (a comment, a blank line): training goes on */
  | { type: 'lines'; layerLines: number[] }
  | { type: 'show' }
  | { type: 'webview'; message: EngineWebviewMessage }
  | { type: 'snapshot'; id: number; withData: boolean }
  | { type: 'dispose' };

/** What the hover and the editor's inline figures read, sent after every change. */
export type EngineState = TrainerFigures & { playing: boolean };

/** The trained network at one moment, for exports, the neuron view and tests. */
export interface EngineSnapshot {
  epoch: number;
  weights: Array<{ W: number[][]; b: number[] }>;
  losses: number[];
  learningRate: number;
  /** the samples, row by row, when asked for */
  data: { x: number[][]; y: number[][] } | null;
}

/** What the engine tells the host. */
export type EngineOutput =
  | { type: 'webview'; message: ToWebviewMessage }
  | { type: 'state'; state: EngineState }
  | { type: 'snapshot'; id: number; snapshot: EngineSnapshot };

export class TrainingEngine {
  private trainer!: Trainer;
  private def!: NetworkDefinition;
  private file = '';
  private layerLines: number[] = [];
  private restore!: RestoreState;
  private options: TrainerOptions = { seed: DEFAULT_SEED };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private status: TrainingStatus = 'idle';
  private epochsPerSecond = 0;
  /** epochs whose loss the webview has */
  private sent = 0;
  /** a frame is on its way and not yet drawn */
  private inFlight: { epoch: number; at: number } | undefined;
  /** when training resumed, and the epoch then: pacing is measured from here */
  private paceFrom = { time: 0, epoch: 0 };
  /** the gradient check of the trainer shown: its result, or its steps while they run in slices */
  private check: { trainer: Trainer; result?: NetworkGradientCheck; timer?: ReturnType<typeof setTimeout> } | undefined;
  /** the plane of the landscape shown, on which each frame places the weights now */
  private plane: Plane | undefined;
  /** the weights along the trainer's training, for the landscape's path (none for a network past PATH_MAX_PARAMETERS) */
  private path: PathRecorder | undefined;
  /** a race or a landscape under way in slices beside training: its next slice */
  private readonly tasks = new Map<NetworkTask, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly out: (m: EngineOutput) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  receive(m: EngineInput): void {
    switch (m.type) {
      case 'open':
        this.def = m.def;
        this.file = m.file;
        this.layerLines = m.layerLines;
        this.restore = m.restore;
        this.trainer = this.newTrainer();
        this.epochsPerSecond = defaultSpeed(this.targetEpochs);
        return;
      case 'redefine':
        this.stop('idle');
        this.def = m.def;
        this.layerLines = m.layerLines;
        this.forgetComparisons();
        this.rebuild();
        return;
      case 'lines':
        this.layerLines = m.layerLines;
        return;
      case 'show':
        this.show();
        return;
      case 'webview':
        this.handle(m.message);
        return;
      case 'snapshot':
        this.out({ type: 'snapshot', id: m.id, snapshot: this.snapshot(m.withData) });
        return;
      case 'dispose':
        this.stop();
        if (this.check?.timer) clearTimeout(this.check.timer);
        for (const task of NETWORK_TASKS) this.cancel(task);
        return;
    }
  }

  private post(message: ToWebviewMessage): void {
    this.out({ type: 'webview', message });
  }

  private get playing(): boolean {
    return this.status === 'training';
  }

  /** Where training stops: the epochs the file sets, else the default. */
  private get targetEpochs(): number {
    return this.def.epochs ?? DEFAULT_EPOCHS;
  }

  private snapshot(withData: boolean): EngineSnapshot {
    const t = this.trainer;
    let data: EngineSnapshot['data'] = null;
    if (withData) {
      const d = t.data;
      const rows = (v: Float64Array, w: number): number[][] => Array.from({ length: d.count }, (_, i) => Array.from(v.subarray(i * w, (i + 1) * w)));
      data = { x: rows(d.x, d.inputs), y: rows(d.y, d.outputs) };
    }
    return { epoch: t.epoch, weights: t.weights(), losses: t.history.map((h) => h.loss), learningRate: t.optimizer.learningRate, data };
  }

  private sendState(): void {
    this.out({ type: 'state', state: { ...this.trainer.figures(), playing: this.playing } });
  }

  /**
   * The view at once, the check when it is done: a network of real size
   * takes a few hundred ms to check, run in slices of SLICE_MS between
   * training's ticks, on a copy of the weights the view opened with.
   */
  private show(): void {
    this.sent = 0;
    this.inFlight = undefined;
    if (this.check?.trainer !== this.trainer) this.startCheck();
    const lineOf = (offset: number): number => this.layerLines[this.def.layers.findIndex((l) => l.range.start === offset)] ?? 0;
    this.post({ type: 'showNetwork', view: networkView(this.def, this.trainer, this.file, lineOf, this.check?.result ?? null), restore: this.restore });
    this.sendFrame();
  }

  private startCheck(): void {
    if (this.check?.timer) clearTimeout(this.check.timer);
    const trainer = this.trainer;
    const steps = trainer.gradientCheckSteps();
    const check: NonNullable<TrainingEngine['check']> = { trainer };
    this.check = check;
    const slice = (): void => {
      check.timer = undefined;
      const until = this.now() + SLICE_MS;
      for (let r = steps.next(); ; r = steps.next()) {
        if (r.done) {
          check.result = r.value;
          this.post({ type: 'gradientCheck', check: gradientCheckView(r.value, trainer) });
          return;
        }
        if (this.now() >= until) break;
      }
      check.timer = setTimeout(slice, 0);
    };
    check.timer = setTimeout(slice, 0);
  }

  private handle(m: EngineWebviewMessage): void {
    if (m.type === 'frameDrawn') {
      this.inFlight = undefined;
      return;
    }
    if (m.type === 'networkRace') {
      this.race(m.racers);
      return;
    }
    if (m.type === 'landscape') {
      this.landscape();
      return;
    }
    if (m.type === 'layerHeatmap') {
      const heatmap = layerHeatmap(this.trainer, m.layer);
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
        case 'pass':
          this.stop('paused');
          this.sendFrame(true, passWithActivations(this.trainer));
          break;
        case 'reset':
          this.stop('idle');
          this.rebuild();
          break;
      }
      return;
    }
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
    // another seed or dataset: other initial weights and data, so another race and landscape
    if (structural) this.forgetComparisons();
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

  private run(): RunState {
    return { status: this.status, targetEpochs: this.targetEpochs, epochsPerSecond: this.epochsPerSecond };
  }

  /** Sends a frame of what is new, unless one is still on its way (`force`: a user's action, always shown). */
  private sendFrame(force = false, pass: NetworkFrame['pass'] = null): void {
    if (this.inFlight && !force && this.now() - this.inFlight.at < ACK_TIMEOUT_MS) return;
    const f = networkFrame(this.trainer, this.run(), pass, this.sent);
    // the current point moves on the landscape shown as training goes on (its plane stays where it was drawn)
    if (this.plane) f.landscapePoint = projectOntoPlane([this.trainer.mlp.params], this.plane.theta, this.plane.d1, this.plane.d2)[0];
    this.sent = this.trainer.history.length;
    this.inFlight = { epoch: f.epoch, at: this.now() };
    this.post({ type: 'networkFrame', frame: f });
    this.sendState();
  }

  private rebuild(): void {
    this.trainer = this.newTrainer();
    this.show();
  }

  /** A trainer from the initial weights, its weights recorded along training for the landscape's path when the network is small enough. */
  private newTrainer(): Trainer {
    const t = new Trainer(this.def, this.options);
    const path = t.mlp.parameterCount <= PATH_MAX_PARAMETERS ? new PathRecorder() : undefined;
    path?.record(0, t.mlp.params);
    t.afterEpoch = path && ((tr) => path.record(tr.epoch, tr.mlp.params));
    this.path = path;
    return t;
  }

  /**
   * Runs `steps` in slices of SLICE_MS between training's ticks (a new one
   * of the same task replaces it), saying how far it is every PROGRESS_MS,
   * and hands its result over with the time it took and the longest slice.
   */
  private sliced<T>(task: NetworkTask, steps: Generator<number, T>, total: number, done: (result: T, ms: number, heldMs: number) => void): void {
    this.cancel(task);
    const started = this.now();
    let held = 0;
    let told = started;
    const slice = (): void => {
      const from = this.now();
      let r = steps.next();
      while (!r.done && this.now() - from < SLICE_MS) r = steps.next();
      held = Math.max(held, this.now() - from);
      if (r.done) {
        this.tasks.delete(task);
        done(r.value, this.now() - started, held);
        return;
      }
      if (this.now() - told >= PROGRESS_MS) {
        told = this.now();
        this.post({ type: 'networkProgress', task, done: r.value, total });
      }
      this.tasks.set(task, setTimeout(slice, 0));
    };
    this.post({ type: 'networkProgress', task, done: 0, total });
    this.tasks.set(task, setTimeout(slice, 0));
  }

  private cancel(task: NetworkTask): void {
    clearTimeout(this.tasks.get(task));
    this.tasks.delete(task);
  }

  /** The model changed (its definition, seed or data): a race or landscape of the old one is gone, finished or not. */
  private forgetComparisons(): void {
    for (const task of NETWORK_TASKS) this.cancel(task);
    this.plane = undefined;
    this.post({ type: 'networkRace', race: null });
    this.post({ type: 'landscape', landscape: null });
  }

  /** Each racer trained from the same initial weights (the seed's) for the run's epochs; none: the race ends. */
  private race(racers: Array<{ optimizer: OptimizerName; learningRate: number }>): void {
    if (racers.length === 0) {
      this.cancel('race');
      this.post({ type: 'networkRace', race: null });
      return;
    }
    const epochs = this.targetEpochs;
    const batchSize = this.def.batchSize && this.def.batchSize < this.trainer.data.count ? this.def.batchSize : null;
    this.sliced('race', networkRaceSteps(this.def, this.options, racers, epochs), epochs * racers.length,
      (runs, ms, heldMs) => this.post({ type: 'networkRace', race: { epochs, batchSize, runs, ms, heldMs } }));
  }

  /** The loss landscape around the weights now, with the path recorded so far ending at them. */
  private landscape(): void {
    const t = this.trainer;
    const P = t.mlp.parameterCount;
    const side = landscapeSide(P, t.data.count);
    const epoch = t.epoch;
    // the weights now, taken before any slice runs: training goes on between the slices
    const centre = t.mlp.clone();
    const path: PathPoint[] = this.path ? this.path.points.filter((p) => p.epoch < epoch) : [];
    path.push({ epoch, params: Float64Array.from(centre.params) });
    const pathNote = this.path ? null : `the training path is recorded for networks of at most ${PATH_MAX_PARAMETERS.toLocaleString('en')} parameters; this one has ${P.toLocaleString('en')}`;
    const plane = landscapePlane(centre);
    this.sliced('landscape', landscapeSteps(centre, t.data, path, side, plane), side * side,
      (l, ms, heldMs) => {
        this.plane = plane;
        this.post({ type: 'landscape', landscape: { ...l, epoch, pathNote, seed: LANDSCAPE_SEED, parameters: P, samples: t.data.count, ms, heldMs } });
      });
  }

  private play(): void {
    if (this.timer) return;
    if (this.trainer.epoch >= this.targetEpochs) {
      // a finished run starts again from its initial weights
      this.trainer = this.newTrainer();
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

  private stop(status: TrainingStatus = 'paused'): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.status === 'training' || status === 'idle') this.status = status;
  }
}

/** A message channel to the engine, wherever it runs. */
export interface EnginePort {
  /** where the engine runs: a worker, or the host's own thread where none could start (known once it has started) */
  readonly runsIn: 'worker' | 'host thread' | 'starting';
  post(m: EngineInput): void;
  onMessage(listener: (m: EngineOutput) => void): void;
  terminate(): void;
}

/** The engine on the other end of a worker's messages (the worker entries call this). */
export function serveEngine(send: (m: EngineOutput) => void, listen: (receive: (m: EngineInput) => void) => void): void {
  const engine = new TrainingEngine(send);
  listen((m) => engine.receive(m));
}
