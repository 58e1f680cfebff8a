/**
 * A network in the panel: a Trainer on the host, trained in slices of a few
 * milliseconds so the editor never waits, with a frame of results posted to
 * the webview after each slice.
 */
import { NetworkDefinition } from '../core/network/spec';
import { DEFAULT_SEED, Trainer, TrainerOptions } from '../core/network/trainer';
import { networkFrame, networkView, passWithActivations } from '../core/network/viewModel';
import { DatasetName, DATASET_NAMES } from '../core/network/datasets';
import { FromWebviewMessage, ToWebviewMessage } from '../protocol';

/** Time one slice of training may take on the extension host. */
const SLICE_MS = 12;
/** Pause between slices, leaving the host free for the editor. */
const PAUSE_MS = 40;
/** Training stops by itself after this many epochs. */
const MAX_EPOCHS = 20_000;

export class NetworkSession {
  trainer: Trainer;
  private options: TrainerOptions;
  private timer: NodeJS.Timeout | undefined;
  /** epochs whose loss the webview has */
  private sent = 0;

  constructor(
    public def: NetworkDefinition,
    private readonly post: (m: ToWebviewMessage) => void,
    private readonly file: string,
    private readonly lineOf: (offset: number) => number,
    private readonly restore: { uri: string; line: number },
  ) {
    this.options = { seed: DEFAULT_SEED };
    this.trainer = new Trainer(def, this.options);
  }

  get playing(): boolean {
    return this.timer !== undefined;
  }

  /** The definition changed in the editor: rebuild, keeping seed, η, optimizer and dataset. */
  redefine(def: NetworkDefinition): void {
    this.stop();
    this.def = def;
    this.rebuild();
  }

  show(): void {
    this.sent = 0;
    this.post({ type: 'showNetwork', view: networkView(this.def, this.trainer, this.file, this.lineOf), restore: this.restore });
    this.post({ type: 'networkFrame', frame: this.frame() });
  }

  handle(m: FromWebviewMessage): void {
    if (m.type === 'train') {
      switch (m.action) {
        case 'play': this.play(); break;
        case 'pause': this.stop(); break;
        case 'epoch':
          this.stop();
          this.trainer.step();
          this.post({ type: 'networkFrame', frame: this.frame() });
          break;
        case 'pass': {
          this.stop();
          const pass = passWithActivations(this.trainer);
          this.post({ type: 'networkFrame', frame: this.frame(pass) });
          break;
        }
        case 'reset':
          this.stop();
          this.rebuild();
          break;
      }
    } else if (m.type === 'networkOptions') {
      const o = m.options;
      const dataset = o.dataset === undefined ? this.options.dataset : o.dataset === 'file' ? undefined : (DATASET_NAMES as readonly string[]).includes(o.dataset) ? (o.dataset as DatasetName) : this.options.dataset;
      const wasPlaying = this.playing;
      this.stop();
      const structural = o.seed !== undefined || o.dataset !== undefined;
      this.options = {
        ...this.options,
        ...(o.learningRate !== undefined ? { learningRate: o.learningRate } : {}),
        ...(o.optimizer !== undefined ? { optimizer: o.optimizer === 'gd' ? 'sgd' : o.optimizer } : {}),
        ...(o.seed !== undefined ? { seed: o.seed } : {}),
        dataset,
      };
      if (structural || o.optimizer !== undefined) this.rebuild();
      else if (o.learningRate !== undefined) {
        // η changes mid-training, as it would between epochs
        this.trainer.optimizer.learningRate = o.learningRate;
        this.show();
      }
      if (wasPlaying) this.play();
    }
  }

  private frame(pass: Parameters<typeof networkFrame>[1] = null): ReturnType<typeof networkFrame> {
    const f = networkFrame(this.trainer, pass, this.sent);
    this.sent = this.trainer.history.length;
    return f;
  }

  private rebuild(): void {
    this.trainer = new Trainer(this.def, this.options);
    this.show();
  }

  play(): void {
    if (this.timer) return;
    const tick = (): void => {
      this.trainer.run(Infinity, SLICE_MS);
      this.post({ type: 'networkFrame', frame: this.frame() });
      if (this.trainer.epoch >= MAX_EPOCHS) {
        this.timer = undefined;
        return;
      }
      this.timer = setTimeout(tick, PAUSE_MS);
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stop();
  }
}
