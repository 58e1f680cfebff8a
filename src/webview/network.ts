/**
 * The network view: the architecture with weights (and, in the backward
 * phase, gradients) on its edges — or, for a wide network, layers as bands
 * with their counts and a heat map of one layer's W on request — the loss
 * curve, per-layer gradient norms, and the decision boundary (2-D inputs) or
 * fitted curve (1-D) over the data; for more inputs the accuracy by epoch and,
 * when the inputs are images, a grid of samples with their predicted class.
 * Training runs on the host; this view draws frames and reports intent.
 */
import {
  Chart, type ChartConfiguration, type ChartDataset,
} from 'chart.js';
import katex from 'katex';
import type { FromWebviewMessage, LandscapeView, LayerHeatmap, NetworkFrame, NetworkRaceView, NetworkTask, NetworkView } from '../protocol';
import { OPTIMIZERS, optimizerMenu } from '../core/optimizers';
import { el, fmt, themeColor, chartBox } from './dom';
import { fmtShort } from '../core/format';
import { Grid, heatmapPlugin } from './heatmap';
import { linearTick, logTick, tickLabel } from './ticks';
import { drawBands, drawHeatmap, heatmapCaption, sampleCanvas } from './bands';
import { NetworkCompare } from './networkCompare';

const SVG = 'http://www.w3.org/2000/svg';
/** Class colours (blue, orange, green, purple, …), readable on light and dark backgrounds. */
const CLASS_RGB: Array<[number, number, number]> = [[31, 119, 180], [255, 127, 14], [44, 160, 44], [148, 103, 189], [214, 39, 40], [140, 86, 75]];

export class NetworkPanel {
  readonly element: HTMLElement;
  private view: NetworkView | undefined;
  private loss: Array<number | null> = [];
  private gradNorms: number[][] = [];
  private frame: NetworkFrame | undefined;
  private playing = false;
  private logLoss = true;
  private phaseTimer: number | undefined;
  private readonly header = el('header', { className: 'formula' });
  /** the gradient check's sentence: "running…" until its result arrives */
  private readonly checkNote = el('p', { className: 'note', attrs: { id: 'net-check', 'aria-live': 'polite' } });
  private readonly status = el('div', { className: 'status running', attrs: { id: 'net-status', role: 'status' } });
  private readonly playBtn = el('button', { text: '▶ Train', attrs: { id: 'net-play', type: 'button' } });
  private readonly neuronsBtn = el('button', { text: 'Neuron by neuron', attrs: { id: 'net-neurons', type: 'button' } });
  private readonly exportSelect = el('select', { attrs: { id: 'net-export', 'aria-label': 'Export the trained network' } }, [
    el('option', { text: 'Export…', attrs: { value: '' } }),
    el('option', { text: 'weights as JSON', attrs: { value: 'json' } }),
    el('option', { text: 'weights as code', attrs: { value: 'code' } }),
    el('option', { text: 'loss curve as CSV', attrs: { value: 'csv' } }),
  ]);
  private readonly lrInput = el('input', { attrs: { id: 'net-lr', type: 'range', min: '-4', max: '1', step: '0.01', 'aria-label': 'Learning rate η (log scale)' } });
  private readonly lrLabel = el('output', { attrs: { id: 'net-lr-value' } });
  private readonly optimizer = el('select', { attrs: { id: 'net-optimizer', 'aria-label': 'Optimizer' } },
    optimizerMenu('network').map((o) => el('option', { text: o, attrs: { value: o } })));
  private readonly speedInput = el('input', { attrs: { id: 'net-speed', type: 'range', min: '0', max: '3.3', step: '0.01', 'aria-label': 'Training speed (epochs per second, log scale)' } });
  private readonly speedLabel = el('output', { attrs: { id: 'net-speed-value', for: 'net-speed' } });
  /** the user pressed Pause and the host has not yet confirmed: frames in flight do not restart the button */
  private pauseRequested = false;
  /** the loss chart's points: appended while short, min/max buckets when long */
  private drawnLossPoints = 0;
  private readonly dataset = el('select', { attrs: { id: 'net-dataset', 'aria-label': 'Dataset' } });
  private readonly seed = el('input', { attrs: { id: 'net-seed', type: 'number', min: '0', step: '1', 'aria-label': 'Seed' } });
  private readonly diagnoses = el('ul', { className: 'diagnoses', attrs: { id: 'net-diagnoses', 'aria-live': 'polite' } });
  private readonly phase = el('div', { className: 'explain', attrs: { id: 'net-phase', 'aria-live': 'polite' } });
  private readonly svg = document.createElementNS(SVG, 'svg');
  private readonly surfaceCanvas = el('canvas', { attrs: { id: 'net-surface-canvas' } });
  private readonly lossCanvas = el('canvas', { attrs: { id: 'net-loss-canvas' } });
  private readonly normCanvas = el('canvas', { attrs: { id: 'net-norm-canvas' } });
  private readonly bridge = el('section', { className: 'bridge', attrs: { id: 'net-bridge' } });
  private readonly accuracyCanvas = el('canvas', { attrs: { id: 'net-accuracy-canvas' } });
  private readonly accuracyFigure = el('figure', { className: 'plot', attrs: { id: 'net-accuracy', hidden: '' } }, [chartBox(this.accuracyCanvas),
    el('figcaption', { attrs: { id: 'net-accuracy-caption' } })]);
  private readonly samplesFigure = el('figure', { className: 'samples', attrs: { id: 'net-samples', hidden: '' } });
  private readonly bandsBy = el('select', { attrs: { id: 'net-bands-by', 'aria-label': 'Colour the weight bands by' } }, [
    el('option', { text: '‖W‖, each layer’s weight norm', attrs: { value: 'weights' } }),
    el('option', { text: '‖∂L/∂W‖, each layer’s gradient norm', attrs: { value: 'gradients' } }),
  ]);
  private readonly bandsRow = el('div', { className: 'row bands-row', attrs: { hidden: '' } }, [el('label', { text: 'weight bands: ' }, [this.bandsBy])]);
  private readonly heatmapCanvas = el('canvas', { attrs: { id: 'net-heatmap-canvas', role: 'img' } });
  private readonly heatmapCaptionEl = el('figcaption', { attrs: { id: 'net-heatmap-caption' } });
  private readonly heatmapFigure = el('figure', { className: 'heatmap', attrs: { id: 'net-heatmap', hidden: '' } });
  /** accuracy at the frames drawn: (epoch, fraction right) */
  private accuracy: Array<{ x: number; y: number }> = [];
  private accuracyChart: Chart<'line'> | undefined;
  /** the layer whose heat map is open (0-based) */
  private heatmapLayer: number | undefined;
  private surfaceChart: Chart<'scatter'> | undefined;
  private lossChart: Chart<'line'> | undefined;
  private normChart: Chart<'line'> | undefined;
  private grid: Grid | undefined;
  /** which phase of a pass is being shown; edges show gradients in the backward phase */
  private showGradients = false;
  /** the race of optimizers and the loss landscape */
  private readonly compare: NetworkCompare;

  constructor(private readonly post: (m: FromWebviewMessage) => void) {
    this.svg.setAttribute('id', 'net-graph');
    this.compare = new NetworkCompare(post);
    const btn = (text: string, id: string, title: string): HTMLButtonElement => el('button', { text, title, attrs: { id, type: 'button' } });
    const epochBtn = btn('Epoch ▶', 'net-epoch', 'Train one epoch');
    const passBtn = btn('Pass ▶', 'net-pass', 'One pass, shown phase by phase: forward → loss → backward → update');
    const resetBtn = btn('⟲ Reset', 'net-reset', 'Start again from the initial weights (same seed)');
    const newSeedBtn = btn('New seed', 'net-new-seed', 'Start again from new random weights');
    this.playBtn.addEventListener('click', () => this.setPlaying(!this.playing));
    this.neuronsBtn.addEventListener('click', () => { this.setPlaying(false); this.post({ type: 'neurons' }); });
    this.exportSelect.addEventListener('change', () => {
      const f = this.exportSelect.value;
      if (f === 'json' || f === 'code' || f === 'csv') this.post({ type: 'export', format: f });
      this.exportSelect.value = '';
    });
    epochBtn.addEventListener('click', () => { this.setPlaying(false); this.post({ type: 'train', action: 'epoch' }); });
    passBtn.addEventListener('click', () => { this.setPlaying(false); this.post({ type: 'train', action: 'pass' }); });
    resetBtn.addEventListener('click', () => { this.setPlaying(false); this.post({ type: 'train', action: 'reset' }); });
    newSeedBtn.addEventListener('click', () => {
      this.setPlaying(false);
      this.post({ type: 'networkOptions', options: { seed: Math.floor(Math.random() * 100000) } });
    });
    this.lrInput.addEventListener('input', () => { this.lrLabel.textContent = `η = ${fmt(10 ** Number(this.lrInput.value))}`; });
    this.lrInput.addEventListener('change', () => this.post({ type: 'networkOptions', options: { learningRate: Number((10 ** Number(this.lrInput.value)).toPrecision(4)) } }));
    this.optimizer.addEventListener('change', () => this.post({ type: 'networkOptions', options: { optimizer: this.optimizer.value as 'sgd' } }));
    this.dataset.addEventListener('change', () => this.post({ type: 'networkOptions', options: { dataset: this.dataset.value } }));
    this.speedInput.addEventListener('input', () => { this.speedLabel.textContent = `${Math.round(10 ** Number(this.speedInput.value))} epochs/s`; });
    this.speedInput.addEventListener('change', () => this.post({ type: 'networkOptions', options: { epochsPerSecond: Math.round(10 ** Number(this.speedInput.value)) } }));
    this.seed.addEventListener('change', () => {
      const s = Math.round(Number(this.seed.value));
      if (s >= 0) this.post({ type: 'networkOptions', options: { seed: s } });
    });
    const logToggle = el('input', { attrs: { type: 'checkbox', checked: '', 'aria-label': 'Logarithmic loss axis' } });
    logToggle.addEventListener('change', () => { this.logLoss = logToggle.checked; this.buildLoss(); this.drawFrame(); });
    this.bandsBy.addEventListener('change', () => this.drawGraph(null));
    const refresh = btn('Refresh', 'net-heatmap-refresh', 'The heat map at the current weights');
    const close = btn('✕ Close', 'net-heatmap-close', 'Close the heat map');
    refresh.addEventListener('click', () => { if (this.heatmapLayer !== undefined) this.openHeatmap(this.heatmapLayer); });
    close.addEventListener('click', () => { this.heatmapFigure.hidden = true; this.heatmapLayer = undefined; });
    this.heatmapFigure.append(el('div', { className: 'row' }, [refresh, close]), this.heatmapCanvas, this.heatmapCaptionEl);
    this.element = el('section', { className: 'network', attrs: { id: 'network', hidden: '' } }, [
      this.header,
      el('section', { className: 'controls' }, [
        el('div', { className: 'row' }, [this.playBtn, epochBtn, passBtn, resetBtn, newSeedBtn, this.neuronsBtn, el('label', { text: 'speed ' }, [this.speedInput]), this.speedLabel]),
        el('div', { className: 'row' }, [el('label', { text: 'η ' }, [this.lrInput]), this.lrLabel, el('label', { text: 'optimizer ' }, [this.optimizer]),
          el('label', { text: 'data ' }, [this.dataset]), el('label', { text: 'seed ' }, [this.seed]), this.exportSelect]),
      ]),
      this.status,
      this.diagnoses,
      this.phase,
      this.bandsRow,
      el('div', { className: 'graph-scroll' }, [this.svg]),
      this.heatmapFigure,
      el('div', { className: 'charts' }, [
        el('figure', { className: 'plot', attrs: { id: 'net-surface' } }, [chartBox(this.surfaceCanvas), el('figcaption', { attrs: { id: 'net-surface-caption' } })]),
        this.accuracyFigure,
        el('figure', { className: 'loss', attrs: { id: 'net-loss' } }, [chartBox(this.lossCanvas), el('figcaption', {}, ['loss by epoch ', el('label', {}, [logToggle, ' log scale'])])]),
        el('figure', { className: 'trajectory', attrs: { id: 'net-norms' } }, [chartBox(this.normCanvas), el('figcaption', { text: '‖∂L/∂W‖ per layer by epoch (log scale): vanishing gradients fall towards the input, exploding ones rise' })]),
        this.samplesFigure,
      ]),
      this.compare.element,
      this.bridge,
    ]);
  }

  showCheck(text: string): void {
    this.checkNote.textContent = text;
  }

  show(v: NetworkView): void {
    this.view = v;
    this.showCheck(v.gradientCheck?.text ?? 'gradient check (backprop vs central differences): running…');
    this.loss = [];
    this.gradNorms = [];
    this.frame = undefined;
    this.accuracy = [];
    this.setPlaying(false, false);
    this.element.hidden = false;
    this.element.dataset.diagram = v.diagram;
    this.bandsRow.hidden = v.diagram !== 'bands';
    if (this.heatmapLayer !== undefined && this.heatmapLayer >= v.layers.length) { this.heatmapFigure.hidden = true; this.heatmapLayer = undefined; }
    // more than two inputs: no plane to draw the model over; the accuracy (classification) and image samples instead
    (document.getElementById('net-surface') ?? this.surfaceCanvas).hidden = v.inputs > 2;
    this.accuracyFigure.hidden = !(v.inputs > 2 && v.task === 'classification');
    this.renderSamples(v);
    this.header.replaceChildren(
      el('h1', { text: `${v.title} — ${v.file}` }),
      el('p', { text: `${v.framework}: ${v.parameters} parameters, loss ${v.loss}, data: ${v.dataset === 'file' ? 'from the file' : `built-in "${v.dataset}"`} (${v.points.length} samples)` }),
      this.checkNote,
      ...v.notes.map((n) => el('p', { className: 'note', text: `note: ${n}` })),
    );
    this.neuronsBtn.disabled = !v.neurons.available;
    this.neuronsBtn.title = v.neurons.available ? 'Step through forward and backward pass neuron by neuron, each weight a parameter, at the current weights' : v.neurons.reason ?? '';
    this.lrInput.value = String(Math.log10(v.optimizer.learningRate));
    this.lrLabel.textContent = `η = ${fmt(v.optimizer.learningRate)}`;
    this.optimizer.value = v.optimizer.name;
    this.dataset.replaceChildren(...v.datasets.map((d) => el('option', { text: d === 'file' ? 'the file’s data' : d, attrs: { value: d } })));
    this.dataset.value = v.dataset;
    this.seed.value = String(v.seed);
    this.renderBridge(v);
    this.compare.setView(v);
    this.buildSurface();
    this.buildLoss();
    this.buildNorms();
    this.buildAccuracy();
    this.phase.textContent = 'Train plays epochs; Pass shows one pass phase by phase: forward → loss → backward → update.';
  }

  /** The colour theme changed: charts take the new colours. */
  restyle(): void {
    if (!this.view || this.element.hidden) return;
    this.buildSurface();
    this.buildLoss();
    this.buildNorms();
    this.buildAccuracy();
    this.compare.restyle();
    this.drawFrame();
  }

  /** A race of optimizers on this network from the engine (null: none, or no longer). */
  setRace(race: NetworkRaceView | null): void {
    this.compare.setRace(race);
  }

  /** The loss landscape from the engine (null: none, or no longer). */
  setLandscape(landscape: LandscapeView | null): void {
    this.compare.setLandscape(landscape);
  }

  comparisonProgress(task: NetworkTask, done: number, total: number): void {
    this.compare.progress(task, done, total);
  }

  /** The host's answer to a heat-map request: drawn under the diagram. */
  showHeatmap(h: LayerHeatmap): void {
    const v = this.view;
    if (!v || h.layer !== this.heatmapLayer) return;
    drawHeatmap(this.heatmapCanvas, h);
    const caption = heatmapCaption(v, h);
    this.heatmapCanvas.setAttribute('aria-label', caption);
    this.heatmapCaptionEl.textContent = caption;
    this.heatmapFigure.hidden = false;
    this.element.dataset.heatmap = String(h.layer);
  }

  private openHeatmap(layer: number): void {
    this.heatmapLayer = layer;
    this.post({ type: 'layerHeatmap', layer });
  }

  hide(): void {
    this.setPlaying(false, false);
    this.element.hidden = true;
  }

  update(f: NetworkFrame): void {
    if (!this.view) return;
    this.loss.length = f.from;
    for (const x of f.loss) this.loss.push(x);
    this.gradNorms.length = f.from;
    for (const g of f.gradNorms) this.gradNorms.push(g);
    if (f.from < this.drawnLossPoints) this.drawnLossPoints = 0;
    while (this.accuracy.length && this.accuracy[this.accuracy.length - 1].x >= f.epoch) this.accuracy.pop();
    if (f.accuracy !== null) this.accuracy.push({ x: f.epoch, y: f.accuracy });
    this.frame = f;
    // The host says whether it trains; a Pause the host has not seen yet wins.
    if (f.status !== 'training') this.pauseRequested = false;
    this.setPlaying(f.status === 'training' && !this.pauseRequested, false);
    const speed = Math.log10(f.epochsPerSecond);
    if (document.activeElement !== this.speedInput) {
      this.speedInput.value = String(speed);
      this.speedLabel.textContent = `${f.epochsPerSecond} epochs/s`;
    }
    if (f.pass) this.animatePass(f);
    else {
      this.showGradients = false;
      this.drawFrame();
    }
    // Tell the host this frame is drawn once the browser has painted it (or soon, if painting is paused).
    let told = false;
    const tell = (): void => {
      if (told) return;
      told = true;
      this.post({ type: 'frameDrawn', epoch: f.epoch });
    };
    requestAnimationFrame(() => window.setTimeout(tell, 0));
    window.setTimeout(tell, 250);
  }

  private setPlaying(on: boolean, tell = true): void {
    const changed = this.playing !== on;
    this.playing = on;
    this.playBtn.textContent = on ? '❚❚ Pause' : '▶ Train';
    this.element.dataset.playing = String(on);
    if (tell && changed) {
      this.pauseRequested = !on;
      this.post({ type: 'train', action: on ? 'play' : 'pause' });
      this.renderStatus();
    }
  }

  /** forward → loss → backward → update, about a second each. */
  private animatePass(f: NetworkFrame): void {
    if (this.phaseTimer !== undefined) window.clearTimeout(this.phaseTimer);
    const pass = f.pass as NonNullable<NetworkFrame['pass']>;
    const steps: Array<() => void> = [
      () => { this.showGradients = false; this.phase.textContent = `Forward (sample 1 of ${pass.batch}): the sample flows left to right; ${pass.sampleGrads ? 'each unit shows its activation' : 'each layer computes its activations'} a = act(W·a_prev + b).`; this.drawGraph(pass.activations, undefined, undefined, pass.weights ?? undefined); this.element.dataset.phase = 'forward'; },
      () => { this.phase.textContent = `Loss (sample 1 of ${pass.batch}): L₁ = ${fmt(pass.sampleLoss)}. The epoch's loss is the mean over all ${pass.batch} samples.`; this.element.dataset.phase = 'loss'; },
      () => { this.showGradients = true; this.phase.textContent = `Backward (sample 1 of ${pass.batch}): ∂L₁/∂W flows right to left; ${pass.sampleGrads ? 'edge thickness and colour show |∂L₁/∂w|' : 'the weight bands show ‖∂L₁/∂W‖'} for this sample (the chain rule, layer by layer).`; this.drawGraph(pass.activations, pass.sampleGrads, pass.sampleGradNorms, pass.weights ?? undefined); this.element.dataset.phase = 'backward'; },
      () => { this.showGradients = false; this.phase.textContent = `Update (the whole batch): every weight moves by ${this.view ? `${OPTIMIZERS[this.view.optimizer.name].label}'s rule ${OPTIMIZERS[this.view.optimizer.name].ruleText}` : 'the optimizer’s rule'}, with g = ∂L/∂w the mean of the ${pass.batch} samples' gradients. Epoch ${f.epoch} done.`; this.drawFrame(); this.element.dataset.phase = 'update'; },
    ];
    let k = 0;
    const next = (): void => {
      steps[k++]();
      if (k < steps.length) this.phaseTimer = window.setTimeout(next, 1000);
      else this.phaseTimer = undefined;
    };
    next();
  }

  private renderStatus(): void {
    const f = this.frame;
    if (!f) return;
    const last = this.loss[this.loss.length - 1];
    const first = this.loss.find((x): x is number => x !== null);
    const loss = fmt(f.current ?? last ?? null);
    const of = `epoch ${f.epoch} of ${f.targetEpochs}`;
    const state = this.playing ? 'training…'
      : f.status === 'finished' ? `finished: the loss went from ${fmt(first ?? null)} to ${loss} in ${f.epoch} epochs`
        : f.status === 'idle' ? 'press Train' : 'paused';
    this.status.textContent = `${of} — loss ${loss} — ${state}`;
    const said = Array.from(this.diagnoses.children, (c) => c.textContent).join('\n');
    if (said !== f.diagnoses.join('\n')) this.diagnoses.replaceChildren(...f.diagnoses.map((d) => el('li', { text: d })));
    this.status.className = `status ${f.status === 'finished' ? 'converged' : 'running'}`;
  }

  private drawFrame(): void {
    const f = this.frame;
    if (!f || !this.view) return;
    this.renderStatus();
    this.element.dataset.epoch = String(f.epoch);
    this.element.dataset.status = f.status;
    this.drawGraph(null);
    this.compare.setPoint(f.landscapePoint, f.epoch);
    this.drawSurface(f);
    this.drawPredictions(f);
    if (this.accuracyChart && !this.accuracyFigure.hidden) {
      this.accuracyChart.data.datasets[0].data = this.accuracy.slice();
      this.accuracyChart.update('none');
      const last = this.accuracy[this.accuracy.length - 1];
      const caption = document.getElementById('net-accuracy-caption');
      if (caption) caption.textContent = `accuracy on the training data: ${last ? `${(100 * last.y).toFixed(1)} %` : '—'} of the samples classified right${this.view.layers[this.view.layers.length - 1].units === 1 ? ' (one output: class 1 from 0.5)' : ' (the largest output is the class)'}, at each frame drawn`;
    }
    if (this.lossChart) {
      this.appendSeries(this.lossChart.data.datasets[0].data as Array<{ x: number; y: number }>, this.loss.map((y) => (y === null ? Number.NaN : y)));
      this.lossChart.update('none');
    }
    if (this.normChart) {
      this.normChart.data.datasets.forEach((ds, l) => this.appendSeries(ds.data as Array<{ x: number; y: number }>, this.gradNorms.map((g) => Math.max(g[l], 1e-12))));
      this.normChart.update('none');
    }
    this.drawnLossPoints = this.loss.length;
  }

  /**
   * Keeps a chart series in step with `values` (index = epoch) cheaply: new
   * points are appended while the series is short; past MAX_POINTS it is
   * rebuilt as min/max buckets, so drawing stays bounded however long the run.
   */
  private appendSeries(data: Array<{ x: number; y: number }>, values: number[]): void {
    const MAX_POINTS = 1500;
    if (values.length <= MAX_POINTS) {
      if (data.length > values.length || this.drawnLossPoints > values.length || data.length !== this.drawnLossPoints) data.length = 0;
      for (let x = data.length; x < values.length; x++) data.push({ x, y: values[x] });
      return;
    }
    data.length = 0;
    const bucket = Math.ceil(values.length / (MAX_POINTS / 2));
    for (let start = 0; start < values.length; start += bucket) {
      let lo = start;
      let hi = start;
      for (let x = start; x < Math.min(values.length, start + bucket); x++) {
        if (values[x] < values[lo]) lo = x;
        if (values[x] > values[hi]) hi = x;
      }
      for (const x of lo <= hi ? [lo, hi] : [hi, lo]) if (data.length === 0 || data[data.length - 1].x !== x) data.push({ x, y: values[x] });
    }
  }

  /**
   * Units as circles in columns, edges coloured by weight sign (or |gradient|), thickness by magnitude; a wide network as bands.
   * `weights`: the parameters the activations were computed with (a pass's, before its update), else the frame's.
   */
  private drawGraph(activations: number[][] | null, gradients?: number[] | null, sampleGradNorms?: number[], weights?: number[]): void {
    const v = this.view;
    const f = this.frame;
    if (!v || !f) return;
    if (v.diagram === 'bands' || !f.params || !f.grads) {
      const by = this.showGradients ? 'gradients' : this.bandsBy.value === 'gradients' ? 'gradients' : 'weights';
      drawBands(this.svg, v, f.layers, {
        by, sampleGradNorms: this.showGradients ? sampleGradNorms : undefined,
        open: (layer) => this.openHeatmap(layer), reveal: (layer) => this.post({ type: 'revealLayer', layer }),
      });
      return;
    }
    const sizes = [v.inputs, ...v.layers.map((l) => l.units)];
    const maxUnits = Math.max(...sizes);
    const shown = sizes.map((n) => Math.min(n, 12));
    const colW = 150;
    const rowH = 34;
    // room for the units, a '+N more' line under a truncated column, and the layer labels below that
    const truncated = sizes.some((n, l) => n > shown[l]);
    const unitsBottom = 20 + (Math.min(maxUnits, 12) - 1) * rowH + 14;
    const height = unitsBottom + (truncated ? 20 : 0) + 22;
    const width = 60 + (sizes.length - 1) * colW + 60;
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(height));
    const span = unitsBottom - 14 - 20;
    const pos = (l: number, j: number): [number, number] => [40 + l * colW, 20 + (span - (shown[l] - 1) * rowH) / 2 + j * rowH];
    const params = weights ?? f.params;
    // where each layer's biases start in the flat parameters (W then b, layer by layer)
    const biasOffset: number[] = [0];
    for (let l = 1, o = 0; l < sizes.length; l++) { o += sizes[l] * sizes[l - 1]; biasOffset[l] = o; o += sizes[l]; }
    const values: number[] = this.showGradients ? (gradients ?? f.grads) : params;
    let offset = 0;
    let maxMag = 1e-12;
    for (let l = 1; l < sizes.length; l++) {
      const n = sizes[l] * sizes[l - 1];
      for (let k = 0; k < n; k++) maxMag = Math.max(maxMag, Math.abs(values[offset + k]));
      offset += n + sizes[l];
    }
    const parts: SVGElement[] = [];
    offset = 0;
    const pos1 = themeColor('--vscode-charts-blue', '#1a85ff');
    const neg = themeColor('--vscode-charts-red', '#e51400');
    const grad = themeColor('--vscode-charts-orange', '#e8912d');
    for (let l = 1; l < sizes.length; l++) {
      const fanIn = sizes[l - 1];
      for (let j = 0; j < shown[l]; j++) for (let k = 0; k < shown[l - 1]; k++) {
        const w = values[offset + j * fanIn + k];
        const [x0, y0] = pos(l - 1, k);
        const [x1, y1] = pos(l, j);
        const line = document.createElementNS(SVG, 'line');
        line.setAttribute('x1', String(x0)); line.setAttribute('y1', String(y0));
        line.setAttribute('x2', String(x1)); line.setAttribute('y2', String(y1));
        line.setAttribute('stroke', this.showGradients ? grad : w >= 0 ? pos1 : neg);
        line.setAttribute('stroke-width', String(0.4 + 5 * Math.abs(w) / maxMag));
        line.setAttribute('stroke-opacity', String(0.25 + 0.75 * Math.abs(w) / maxMag));
        const title = document.createElementNS(SVG, 'title');
        title.textContent = `${this.showGradients ? '∂L/∂' : ''}W${l}[${j + 1},${k + 1}] = ${fmt(w)}`;
        line.append(title);
        parts.push(line);
      }
      offset += sizes[l] * fanIn + sizes[l];
    }
    for (let l = 0; l < sizes.length; l++) {
      for (let j = 0; j < shown[l]; j++) {
        const [x, y] = pos(l, j);
        const c = document.createElementNS(SVG, 'circle');
        c.setAttribute('cx', String(x)); c.setAttribute('cy', String(y)); c.setAttribute('r', '11');
        c.setAttribute('class', `unit${l === 0 ? ' input' : ''}`);
        const a = activations?.[l]?.[j];
        // a unit's bias and activation in full, for a = act(Σ w·a_prev + b) with the edges' weights
        const tip = [l > 0 ? `b = ${fmt(params[biasOffset[l] + j])}` : null, a !== undefined ? `a = ${fmt(a)}` : null].filter((s) => s !== null);
        if (tip.length) {
          const title = document.createElementNS(SVG, 'title');
          title.textContent = `${l === 0 ? `input ${j + 1}` : `L${l}[${j + 1}]`}: ${tip.join(', ')}`;
          c.append(title);
        }
        if (a !== undefined) {
          const t = document.createElementNS(SVG, 'text');
          t.setAttribute('x', String(x)); t.setAttribute('y', String(y + 4)); t.setAttribute('text-anchor', 'middle'); t.setAttribute('class', 'unit-value');
          t.textContent = fmtShort(a);
          parts.push(c, t);
        } else parts.push(c);
      }
      if (sizes[l] > shown[l]) {
        const [x] = pos(l, shown[l] - 1);
        const t = document.createElementNS(SVG, 'text');
        t.setAttribute('x', String(x)); t.setAttribute('y', String(unitsBottom + 12)); t.setAttribute('text-anchor', 'middle'); t.setAttribute('class', 'more');
        t.textContent = `+${sizes[l] - shown[l]} more`;
        parts.push(t);
      }
      const label = document.createElementNS(SVG, 'text');
      const [lx] = pos(l, 0);
      label.setAttribute('x', String(lx)); label.setAttribute('y', String(height - 4)); label.setAttribute('text-anchor', 'middle'); label.setAttribute('class', 'layer-label');
      label.textContent = l === 0 ? `input (${sizes[0]})` : `${v.layers[l - 1].units} ${v.layers[l - 1].activation}`;
      if (l > 0) {
        label.addEventListener('click', () => this.post({ type: 'revealLayer', layer: l - 1 }));
        label.setAttribute('class', 'layer-label link');
      }
      parts.push(label);
    }
    this.svg.replaceChildren(...parts);
  }

  private buildSurface(): void {
    this.surfaceChart?.destroy();
    const v = this.view as NetworkView;
    const fg = themeColor('--vscode-editor-foreground', '#333');
    const muted = themeColor('--vscode-descriptionForeground', '#6a6a6a');
    const gridColor = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
    const caption = document.getElementById('net-surface-caption') as HTMLElement | null;
    const ds: Array<ChartDataset<'scatter'>> = [];
    if (v.inputs >= 2) {
      const classes = [...new Set(v.points.map((p) => (v.task === 'classification' ? Math.round(p.label) : 0)))].sort();
      for (const c of classes) {
        const [r, g, b] = CLASS_RGB[c % CLASS_RGB.length];
        ds.push({ label: v.task === 'classification' ? `class ${c}` : 'data', data: v.points.filter((p) => Math.round(p.label) === c || v.task !== 'classification').map((p) => ({ x: p.x[0], y: p.x[1] })),
          pointRadius: v.points.length > 50 ? 3 : 6, backgroundColor: `rgb(${r},${g},${b})`, borderColor: fg, borderWidth: 1 });
      }
      if (caption) caption.textContent = v.inputs === 2 ? 'the decision boundary: the model’s output over the input plane (line at 0.5), with the data' : 'the first two inputs of the data (the model has more inputs)';
    } else {
      ds.push({ label: 'data', data: v.points.map((p) => ({ x: p.x[0], y: p.label })), pointRadius: 3, backgroundColor: themeColor('--vscode-charts-blue', '#1a85ff') });
      ds.push({ label: 'the network’s fit', data: [], showLine: true, pointRadius: 0, borderColor: themeColor('--vscode-charts-red', '#e51400'), borderWidth: 2.5 });
      if (caption) caption.textContent = 'the fitted curve over the data, updating as it trains';
    }
    const K = v.layers[v.layers.length - 1].units;
    const color = (val: number): [number, number, number, number] => {
      if (K === 1) {
        // p ∈ [0, 1]: blue below 0.5, orange above, stronger when surer
        const p = Math.min(Math.max(val, 0), 1);
        const [r, g, b] = CLASS_RGB[p >= 0.5 ? 1 : 0];
        return [r, g, b, Math.round(40 + 150 * Math.abs(p - 0.5) * 2)];
      }
      const c = Math.floor(val);
      const [r, g, b] = CLASS_RGB[c % CLASS_RGB.length];
      return [r, g, b, Math.round(40 + 150 * (val - c))];
    };
    const options: ChartConfiguration<'scatter'>['options'] = {
      animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { legend: { labels: { color: fg, boxWidth: 12 } } },
      scales: { x: { type: 'linear', ticks: { color: muted, callback: tickLabel(linearTick), includeBounds: false }, grid: { color: gridColor } }, y: { type: 'linear', ticks: { color: muted, callback: tickLabel(linearTick), includeBounds: false }, grid: { color: gridColor } } },
    };
    const plugins = v.inputs === 2 && v.task === 'classification' ? [heatmapPlugin(() => this.grid, () => fg, { color, iso: () => (K === 1 ? [0.5] : []) })] : v.inputs === 2 ? [heatmapPlugin(() => this.grid, () => fg)] : [];
    this.surfaceChart = new Chart(this.surfaceCanvas, { type: 'scatter', data: { datasets: ds }, options, plugins });
  }

  private drawSurface(f: NetworkFrame): void {
    const chart = this.surfaceChart;
    if (!chart || !f.surface) return;
    if (f.surface.kind === 'grid') {
      const s = f.surface;
      this.grid = { nx: s.n, ny: s.n, xmin: s.xmin, xmax: s.xmax, ymin: s.ymin, ymax: s.ymax, values: s.values };
      Object.assign(chart.options.scales?.x ?? {}, { min: s.xmin, max: s.xmax });
      Object.assign(chart.options.scales?.y ?? {}, { min: s.ymin, max: s.ymax });
    } else {
      const curve = f.surface;
      chart.data.datasets[chart.data.datasets.length - 1].data = curve.xs.map((x, i) => ({ x, y: curve.ys[i] }));
    }
    chart.update('none');
  }

  /** A line chart by epoch, in the theme's colours: the loss, the gradient norms and the accuracy share it. */
  private epochChart(canvas: HTMLCanvasElement, datasets: Array<ChartDataset<'line'>>, y: { type: 'linear' | 'logarithmic'; min?: number; max?: number; ticks: { callback: ReturnType<typeof tickLabel> } }): Chart<'line'> {
    const fg = themeColor('--vscode-editor-foreground', '#333');
    const muted = themeColor('--vscode-descriptionForeground', '#6a6a6a');
    const config: ChartConfiguration<'line'> = {
      type: 'line',
      data: { datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
        plugins: { legend: { labels: { color: fg, boxWidth: 12 } } },
        scales: { x: { type: 'linear', ticks: { color: muted, callback: tickLabel(linearTick) }, title: { display: true, text: 'epoch', color: fg } }, y: { ...y, ticks: { ...y.ticks, color: muted } } },
      },
    };
    return new Chart(canvas, config);
  }

  private buildLoss(): void {
    this.lossChart?.destroy();
    this.lossChart = this.epochChart(this.lossCanvas, [{ label: 'loss', data: [], borderColor: themeColor('--vscode-charts-blue', '#1a85ff'), pointRadius: 0, borderWidth: 2 }],
      { type: this.logLoss ? 'logarithmic' : 'linear', ticks: { callback: tickLabel(this.logLoss ? logTick : linearTick) } });
  }

  private buildNorms(): void {
    this.normChart?.destroy();
    const v = this.view as NetworkView;
    const palette = ['#1a85ff', '#e51400', '#388a34', '#e8912d', '#652d90', '#bf8803', '#00a1b0', '#8c564b'];
    this.normChart = this.epochChart(this.normCanvas, v.layers.map((l, i) => ({ label: `layer ${i + 1} (${l.units} ${l.activation})`, data: [], borderColor: palette[i % palette.length], pointRadius: 0, borderWidth: 1.5 })),
      { type: 'logarithmic', ticks: { callback: tickLabel(logTick) } });
  }

  private buildAccuracy(): void {
    this.accuracyChart?.destroy();
    this.accuracyChart = undefined;
    if (this.accuracyFigure.hidden) return;
    this.accuracyChart = this.epochChart(this.accuracyCanvas, [{ label: 'accuracy', data: [], borderColor: themeColor('--vscode-charts-green', '#388a34'), pointRadius: 0, borderWidth: 2 }],
      { type: 'linear', min: 0, max: 1, ticks: { callback: (t) => `${Math.round(Number(t) * 100)} %` } });
  }

  /** Image inputs: the first samples as small pictures, each with its true class; frames add the model's prediction. */
  private renderSamples(v: NetworkView): void {
    const img = v.images;
    this.samplesFigure.hidden = !img;
    if (!img) { this.samplesFigure.replaceChildren(); return; }
    const what = (x: number): string => (v.task === 'classification' ? String(x) : fmt(x));
    this.samplesFigure.replaceChildren(
      el('div', { className: 'sample-grid' }, img.samples.map((s) => el('div', { className: 'sample', attrs: { 'data-index': String(s.index) } }, [
        sampleCanvas(img, s.pixels, `sample ${s.index + 1}, ${v.task === 'classification' ? 'class' : 'target'} ${what(s.label)}`),
        el('span', { className: 'sample-text', text: `true ${what(s.label)}` }),
      ]))),
      el('figcaption', { text: `the first ${img.samples.length} samples as ${img.width} × ${img.height}${img.channels > 1 ? ` × ${img.channels} (channels first)` : ''} images, with the model’s ${v.task === 'classification' ? 'predicted class' : 'output'} (ŷ) beside the true ${v.task === 'classification' ? 'class' : 'target'}` }),
    );
  }

  private drawPredictions(f: NetworkFrame): void {
    const v = this.view;
    if (!v?.images || !f.predictions) return;
    const cls = v.task === 'classification';
    this.samplesFigure.querySelectorAll<HTMLElement>('.sample').forEach((node, i) => {
      const s = v.images?.samples[i];
      const p = f.predictions?.[i];
      if (!s || p === undefined) return;
      const right = cls ? p === s.label : undefined;
      node.className = `sample${right === undefined ? '' : right ? ' right' : ' wrong'}`;
      const text = node.querySelector('.sample-text');
      if (text) text.textContent = cls ? `ŷ ${p} ${right ? '✓' : '✗'}\ntrue ${s.label}` : `ŷ ${fmt(p)}\ny ${fmt(s.label)}`;
    });
  }

  /** The smallest networks: their loss as a function of the weights, differentiated symbolically, beside backprop. */
  private renderBridge(v: NetworkView): void {
    if (!v.symbolic) {
      this.bridge.replaceChildren();
      return;
    }
    const tex = (src: string): HTMLElement => {
      const e = el('span', { className: 'tex' });
      try { katex.render(src, e, { throwOnError: true }); } catch { e.textContent = src; }
      return e;
    };
    const name = (n: string): string => n.replace(/^([wb])(\d+)(?:_(\d+))?$/, (_m, p: string, l: string, rest?: string) => `${p}^{(${l})}${rest ? `_{${rest}}` : ''}`);
    this.bridge.replaceChildren(
      el('h2', { text: 'The same network as a function: the loss of the first sample in terms of the weights' }),
      el('div', {}, [tex(`L = ${v.symbolic.lossTex}`)]),
      el('table', { className: 'steps' }, [
        el('thead', {}, [el('tr', {}, ['parameter', 'symbolic ∂L/∂θ', 'value', 'backprop'].map((h) => el('th', { text: h })))]),
        el('tbody', {}, v.symbolic.partials.map((p) => el('tr', {}, [el('td', {}, [tex(name(p.name))]), el('td', {}, [tex(p.tex.length > 400 ? '\\text{(long)}' : p.tex)]), el('td', { text: fmt(p.value) }), el('td', { text: fmt(p.backprop) })]))),
      ]),
    );
  }
}
