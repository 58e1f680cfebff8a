/**
 * A network in the panel, as the extension host sees it: the training
 * engine (networkEngine.ts) runs in a worker the platform starts,
 * so no epoch, gradient check or frame holds up the editor; this side
 * forwards the panel's messages to it and its frames to the panel, and keeps
 * what the editor reads at once (the epoch drawn and the loss shown, the
 * gradient norms for the hover) from what passes through.
 */
import { NetworkDefinition, sameModel } from '../core/network/spec';
import type { EngineInput, EngineOutput, EnginePort, EngineSnapshot, EngineState, EngineWebviewMessage } from './networkEngine';
import { fmt } from '../core/format';
import type { RestoreState, ToWebviewMessage } from '../protocol';

export class NetworkSession {
  /** what the engine last said about its trainer */
  state: EngineState | undefined;
  /** the epoch of the last frame the webview drew, and the loss it showed */
  drawnEpoch = 0;
  private drawnLoss: number | null = null;
  /** the loss each frame on its way shows, by epoch, until it is drawn */
  private showing = new Map<number, number | null>();
  private requests = new Map<number, (s: EngineSnapshot) => void>();
  private nextRequest = 1;

  constructor(
    public def: NetworkDefinition,
    private readonly port: EnginePort,
    private readonly post: (m: ToWebviewMessage) => void,
    /** the inline figures may have changed */
    private readonly changed: () => void,
    file: string,
    private readonly lineOf: (offset: number) => number,
    restore: RestoreState,
  ) {
    port.onMessage((m) => this.receive(m));
    this.send({ type: 'open', def, file, layerLines: this.layerLines(def), restore });
  }

  /** where the engine trains: a worker, unless none could start */
  get runsIn(): EnginePort['runsIn'] {
    return this.port.runsIn;
  }

  get playing(): boolean {
    return this.state?.playing ?? false;
  }

  private send(m: EngineInput): void {
    this.port.post(m);
  }

  private layerLines(def: NetworkDefinition): number[] {
    return def.layers.map((l) => this.lineOf(l.range.start));
  }

  private receive(m: EngineOutput): void {
    if (m.type === 'state') {
      this.state = m.state;
      this.changed();
    } else if (m.type === 'snapshot') {
      this.requests.get(m.id)?.(m.snapshot);
      this.requests.delete(m.id);
    } else {
      if (m.message.type === 'networkFrame') this.showing.set(m.message.frame.epoch, m.message.frame.current);
      if (m.message.type === 'showNetwork') {
        this.showing.clear();
        this.drawnLoss = null;
      }
      this.post(m.message);
    }
  }

  /**
   * The definition changed in the editor: rebuild, keeping seed, η,
   * optimizer, dataset and speed — unless only its place in the file moved
   * (a comment, a blank line), when training goes on with the new ranges.
   */
  redefine(def: NetworkDefinition): void {
    const same = sameModel(this.def, def);
    this.def = def;
    this.send(same ? { type: 'lines', layerLines: this.layerLines(def) } : { type: 'redefine', def, layerLines: this.layerLines(def) });
  }

  show(): void {
    this.send({ type: 'show' });
  }

  handle(m: EngineWebviewMessage): void {
    if (m.type === 'frameDrawn') {
      this.drawnEpoch = m.epoch;
      if (this.showing.has(m.epoch)) this.drawnLoss = this.showing.get(m.epoch) ?? null;
      // frames sent after this one (a forced frame overtakes a paced one) are still on their way
      for (const e of this.showing.keys()) if (e <= m.epoch) this.showing.delete(e);
    }
    this.send({ type: 'webview', message: m });
  }

  /** The trained network now (its data too when asked): exports, the neuron view, tests. */
  snapshot(withData = false): Promise<EngineSnapshot> {
    const id = this.nextRequest++;
    return new Promise((resolve) => {
      this.requests.set(id, resolve);
      this.send({ type: 'snapshot', id, withData });
    });
  }

  /** What the editor shows after the model's first line: the epoch the webview drew, with the loss the panel shows for it. */
  decoration(): string {
    const loss = this.drawnLoss ?? this.state?.lossBefore ?? this.state?.last?.loss;
    return loss === undefined ? '' : `epoch ${this.drawnEpoch}: loss = ${fmt(loss)}`;
  }

  dispose(): void {
    this.send({ type: 'dispose' });
    this.port.terminate();
  }
}
