/**
 * The function view: the formula and its partials, the controls, the curve
 * or contour with the descent path, f by step, parameter trajectories, the
 * update rule with numbers, the step table and the Backprop view. It renders
 * the view the host computed and animates through its steps locally; every
 * change of a control is reported to the host as intent, never computed here.
 */
import {
  Chart, type ChartConfiguration, type ChartDataset, type Plugin, type ScriptableContext,
} from 'chart.js';
import katex from 'katex';
import { texName, withSampleCount } from '../core/notation';
import type { FromWebviewMessage, FunctionView, RaceView, SweepView } from '../protocol';
import { OPTIMIZERS, optimizerMenu } from '../core/optimizers';
import { WorkedUpdate, isStochastic, samplesText, stepTableHead, stepTableRow, updateText, workedUpdate } from '../core/stepRecord';
import { el, fmt, themeColor, chartBox } from './dom';
import { Grid, arrow, heatmapPlugin } from './heatmap';
import { BackpropView } from './backprop';
import { linearTick, logTick, tickLabel } from './ticks';
import { baseChartOptions, colors } from './chartTheme';
import { FitView } from './fitView';
import { RACE_STYLES, RacePicker, SweepFigure, markerIcon, pngOf, raceOutcome } from './compareView';


const btn = (label: string, title: string, id: string): HTMLButtonElement => el('button', { text: label, title, attrs: { id, type: 'button', 'aria-label': title } });

export class FunctionPanel {
  readonly element: HTMLElement;
  private view: FunctionView | undefined;
  private current = 0;
  private playing = false;
  private timer: number | undefined;
  /** steps per second */
  private speed = 4;
  private speedTouched = false;
  private logLoss = false;
  /** the partials in the code's own names (the chain rule through them, and the short form), or written out */
  private inNames = true;
  /** the lines under the partials that show their chain's factors at the step shown */
  private chainLines: Array<{ line: HTMLElement; param: number; steps: Array<number[] | null> }> = [];
  private finishedReported = false;
  private grid: Grid | undefined;
  private plotChart: Chart<'scatter'> | undefined;
  private lossChart: Chart<'line'> | undefined;
  private trajChart: Chart<'line'> | undefined;

  private readonly header = el('header', { className: 'formula' });
  private readonly warnings = el('ul', { className: 'warnings' });
  private readonly status = el('div', { className: 'status', attrs: { id: 'status', role: 'status' } });
  private readonly diagnoses = el('ul', { className: 'diagnoses', attrs: { id: 'diagnoses', 'aria-live': 'polite' } });
  private readonly playBtn = btn('▶ Play', 'Play / pause the descent (Space)', 'play');
  private readonly backBtn = btn('◀ Step', 'One step back (←)', 'back');
  private readonly fwdBtn = btn('Step ▶', 'One step forward (→)', 'forward');
  private readonly resetBtn = btn('⟲ Reset', 'Reset to the start point (Home)', 'reset');
  private readonly endBtn = btn('⇥ End', 'End: jump to the last step (End)', 'end');
  private readonly speedInput = el('input', { attrs: { id: 'speed', type: 'range', min: '0', max: '3', step: '0.05', value: '0.6', 'aria-label': 'Animation speed (steps per second, log scale)' } });
  private readonly speedLabel = el('output', { attrs: { id: 'speed-value', for: 'speed' } });
  private readonly lrInput = el('input', { attrs: { id: 'lr', type: 'range', min: '-4', max: '1', step: '0.01', 'aria-label': 'Learning rate η (log scale)' } });
  private readonly lrLabel = el('output', { attrs: { id: 'lr-value', for: 'lr' } });
  private readonly lrTyped = el('input', { attrs: { id: 'lr-typed', type: 'number', min: '0.0001', max: '100', step: 'any', 'aria-label': 'Learning rate η (type a value)' } });
  private readonly optimizerSelect = el('select', { attrs: { id: 'optimizer', 'aria-label': 'Optimizer' } },
    optimizerMenu('function').map((o) => el('option', { text: OPTIMIZERS[o].label, attrs: { value: o } })));
  private readonly stepsInput = el('input', { attrs: { id: 'max-steps', type: 'number', min: '1', max: '10000', step: '1', 'aria-label': 'Step limit' } });
  private readonly batchSelect = el('select', { attrs: { id: 'batch', 'aria-label': 'Samples per step' } });
  private readonly batchLabel = el('label', { text: 'batch ', attrs: { hidden: '' } }, [this.batchSelect]);
  private readonly startFields = el('span', { className: 'start-fields' });
  private readonly logToggle = el('input', { attrs: { id: 'log-loss', type: 'checkbox', 'aria-label': 'Logarithmic loss axis' } });
  private readonly plotCanvas = el('canvas', { attrs: { id: 'plot-canvas', 'aria-label': 'Function and descent path' } });
  private readonly plotCaption = el('span', { attrs: { id: 'plot-caption' } });
  private readonly equalToggle = el('input', { attrs: { id: 'equal-axes', type: 'checkbox', checked: '', 'aria-label': 'Equal scales on both axes (so −∇f meets the contour lines at right angles)' } });
  private readonly equalLabel = el('label', { className: 'equal' }, [this.equalToggle, ' equal axis scales']);
  private readonly plotFigure = el('figure', { className: 'plot', attrs: { id: 'plot' } }, [chartBox(this.plotCanvas), el('figcaption', {}, [this.plotCaption, ' ', this.equalLabel])]);
  /** contours: both axes at the same units per pixel, so the gradient looks perpendicular to the level lines */
  private equalAxes = true;
  private readonly lossCanvas = el('canvas', { attrs: { id: 'loss-canvas', 'aria-label': 'Loss by step' } });
  /** a cost over data: the samples and the model (or the decision boundary) at the current step */
  private readonly fit: FitView;
  private readonly lossCaption = el('span', { text: 'f by step ' });
  private readonly trajCanvas = el('canvas', { attrs: { id: 'trajectory-canvas', 'aria-label': 'Parameters by step' } });
  private readonly sliceX = el('select', { attrs: { id: 'slice-x', 'aria-label': 'Slice: horizontal parameter' } });
  private readonly sliceY = el('select', { attrs: { id: 'slice-y', 'aria-label': 'Slice: vertical parameter' } });
  private readonly trajFigure = el('figure', { className: 'trajectory', attrs: { id: 'trajectory', hidden: '' } }, [chartBox(this.trajCanvas), el('figcaption', {}, ['parameters by step; slice over ', this.sliceX, ' × ', this.sliceY])]);
  private readonly updateRule = el('section', { className: 'update', attrs: { id: 'update' } });
  private readonly updateParts = {
    heading: el('h2'),
    general: el('div', { className: 'tex rule-general', attrs: { id: 'update-general' } }),
    lines: [] as HTMLElement[],
    note: el('p'),
  };
  private readonly tableBody = el('tbody');
  private readonly stepTable = el('table', { className: 'steps', attrs: { id: 'steps' } }, [el('thead'), this.tableBody]);
  private readonly backprop: BackpropView;
  /** a race of optimizers from the view's start, while one is shown: the plot, the loss and the race table show its runs */
  private race: RaceView | undefined;
  /** the index of the first racer's dataset in the plot chart */
  private racePaths = 0;
  private readonly picker: RacePicker;
  private readonly sweepFigure: SweepFigure;
  private readonly raceLegend = el('ul', { className: 'legend', attrs: { id: 'race-legend', hidden: '' } });
  private readonly raceTable = el('table', { className: 'steps race', attrs: { id: 'race-table' } }, [el('thead'), el('tbody')]);
  private readonly raceSection = el('section', { className: 'race', attrs: { id: 'race', hidden: '' } }, [
    el('h2', { attrs: { id: 'race-heading' }, text: 'The race at the current step' }),
    el('div', { className: 'scroll', attrs: { tabindex: '0', role: 'region', 'aria-labelledby': 'race-heading' } }, [this.raceTable]),
  ]);
  private readonly sweepBtn = el('button', { text: 'Sweep η', title: 'Run the descent for 41 learning rates from 1e-4 to 10 from the current start and plot where it converges', attrs: { id: 'sweep-run', type: 'button' } });

  constructor(private readonly post: (m: FromWebviewMessage) => void) {
    this.backprop = new BackpropView(post);
    this.fit = new FitView(post);
    this.picker = new RacePicker((racers) => post({ type: 'race', racers }));
    this.sweepFigure = new SweepFigure(post);
    // the visible words are the accessible name; the title adds what it does
    const exportBtn = (label: string, title: string, id: string, m: () => FromWebviewMessage): HTMLButtonElement => {
      const b = el('button', { text: label, title, attrs: { id, type: 'button' } });
      b.addEventListener('click', () => this.post(m()));
      return b;
    };
    const compare = el('details', { className: 'compare', attrs: { id: 'compare', open: '' } }, [
      el('summary', { text: 'Compare and take it with you' }),
      this.picker.element,
      this.raceSection,
      el('div', { className: 'row' }, [this.sweepBtn]),
      this.sweepFigure.element,
      el('div', { className: 'row take', attrs: { id: 'take' } }, [
        el('span', { text: 'Take it with you: ' }),
        exportBtn('NumPy script', 'The descent as a Python script with NumPy, in a new editor', 'export-numpy', () => ({ type: 'exportDescent', format: 'numpy' })),
        exportBtn('JavaScript script', 'The descent as a plain Node script, in a new editor', 'export-js', () => ({ type: 'exportDescent', format: 'js' })),
        exportBtn('Steps as CSV', 'The step table, every step with every digit, as CSV in a new editor', 'export-csv', () => ({ type: 'exportSteps' })),
        exportBtn('Plot as PNG', 'Save the curve or contour chart as a PNG image', 'save-plot', () => ({ type: 'saveImage', chart: 'plot', png: pngOf(this.plotCanvas) })),
        exportBtn('Loss as PNG', 'Save the loss chart as a PNG image', 'save-loss', () => ({ type: 'saveImage', chart: 'loss', png: pngOf(this.lossCanvas) })),
      ]),
    ]);
    this.sweepBtn.addEventListener('click', () => this.post({ type: 'sweep' }));
    const controls = el('section', { className: 'controls' }, [
      el('div', { className: 'row' }, [this.playBtn, this.backBtn, this.fwdBtn, this.resetBtn, this.endBtn, el('label', { text: 'speed ' }, [this.speedInput]), this.speedLabel]),
      el('div', { className: 'row' }, [
        el('label', { text: 'η ' }, [this.lrInput]), this.lrLabel, this.lrTyped,
        el('label', { text: 'optimizer ' }, [this.optimizerSelect]),
        el('label', { text: 'step limit ' }, [this.stepsInput]),
        this.batchLabel,
      ]),
      el('div', { className: 'row' }, [el('span', { text: 'start ' }), this.startFields]),
      el('p', { className: 'keys', attrs: { id: 'keys' }, text: 'Keys: Space play/pause · ← → one step · Home start · End last step' }),
    ]);
    const lossFigure = el('figure', { className: 'loss', attrs: { id: 'loss' } }, [chartBox(this.lossCanvas), el('figcaption', {}, [this.raceLegend, this.lossCaption, el('label', {}, [this.logToggle, ' log scale'])])]);
    this.element = el('section', { attrs: { id: 'function-view' } }, [
      this.header, this.warnings, controls, this.status, this.diagnoses,
      el('div', { className: 'charts' }, [this.plotFigure, lossFigure, ...this.fit.elements, this.trajFigure]),
      compare,
      this.updateRule,
      this.backprop.element,
      el('details', { className: 'table', attrs: { open: '' } }, [el('summary', { text: 'Steps: the update rule with numbers' }), el('div', { className: 'scroll', attrs: { tabindex: '0', role: 'region', 'aria-label': 'Descent steps, a window around the current step' } }, [this.stepTable])]),
    ]);
    this.playBtn.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    this.backBtn.addEventListener('click', () => this.goTo(this.current - 1));
    this.fwdBtn.addEventListener('click', () => this.goTo(this.current + 1));
    this.resetBtn.addEventListener('click', () => { this.finishedReported = false; this.goTo(0); });
    this.endBtn.addEventListener('click', () => this.goTo(Number.MAX_SAFE_INTEGER));
    this.speedInput.addEventListener('input', () => {
      this.speedTouched = true;
      this.setSpeed(Math.round(10 ** Number(this.speedInput.value)));
      if (this.playing) this.schedule();
    });
    this.lrInput.addEventListener('input', () => { this.lrLabel.textContent = `η = ${fmt(snapRate(10 ** Number(this.lrInput.value)))}`; });
    this.lrInput.addEventListener('change', () => this.post({ type: 'setOptions', options: { learningRate: snapRate(10 ** Number(this.lrInput.value)) } }));
    this.lrTyped.addEventListener('change', () => {
      const x = Number(this.lrTyped.value);
      if (Number.isFinite(x) && x > 0 && x <= 100) this.post({ type: 'setOptions', options: { learningRate: x } });
    });
    this.optimizerSelect.addEventListener('change', () => this.post({ type: 'setOptions', options: { optimizer: this.optimizerSelect.value as 'gd' } }));
    this.batchSelect.addEventListener('change', () => this.post({ type: 'setOptions', options: { batchSize: Number(this.batchSelect.value) } }));
    this.stepsInput.addEventListener('change', () => {
      const n = Math.round(Number(this.stepsInput.value));
      if (n >= 1 && n <= 10000) this.post({ type: 'setOptions', options: { maxSteps: n } });
    });
    this.equalToggle.addEventListener('change', () => { this.equalAxes = this.equalToggle.checked; this.plotChart?.update('none'); });
    this.logToggle.addEventListener('change', () => { this.logLoss = this.logToggle.checked; if (this.view) { this.buildLoss(this.view); this.renderStep(); } });
    const sliceChanged = (): void => { if (this.sliceX.value !== this.sliceY.value) this.post({ type: 'slice', x: this.sliceX.value, y: this.sliceY.value, step: this.current }); };
    this.sliceX.addEventListener('change', sliceChanged);
    this.sliceY.addEventListener('change', sliceChanged);
  }

  get hidden(): boolean {
    return this.element.hidden;
  }

  /** A new view from the host: a new descent plays from its start. */
  show(v: FunctionView): void {
    this.element.hidden = false;
    const sameFunction = this.view?.title === v.title && this.view?.expression === v.expression;
    if (sameFunction && this.view && this.onlySampleChanged(this.view, v)) {
      // another sample's term in Backprop: the same descent, so the step shown and the animation stay
      this.view = v;
      this.fit.build(v);
      this.backprop.setView(v);
      this.renderStep();
      return;
    }
    // another function: its race and sweep are gone (the host sends the same function's, or null, after the view)
    if (!sameFunction) {
      this.race = undefined;
      this.picker.racing(false);
      this.sweepFigure.hide();
    }
    this.view = v;
    this.picker.setLearningRate(v.options.learningRate);
    this.sweepFigure.setView(v);
    this.renderHeader(v);
    this.renderControls(v);
    this.buildPlot(v);
    // Long runs play faster (about 8 s in all) until the user sets the speed.
    if (!this.speedTouched) this.setSpeed(Math.min(1000, Math.max(4, Math.round(v.steps.length / 8))));
    this.current = 0;
    this.finishedReported = false;
    this.pause();
    // The formula and the plot first; the rest of the panel in the next task, so the first frame comes sooner.
    this.renderStep(true);
    window.setTimeout(() => {
      if (this.view !== v) return;
      this.buildLoss(v);
      this.fit.build(v);
      this.buildTrajectories(v);
      this.backprop.setView(v);
      this.renderStep();
      if (!sameFunction || v.steps.length > 1) this.play();
    }, 0);
  }

  /** The host's new view differs from the shown one only in the sample whose term Backprop shows. */
  private onlySampleChanged(a: FunctionView, b: FunctionView): boolean {
    // the sample, or whether the graph follows the descent's samples
    if ((a.graphSample === b.graphSample && (a.graphSampleAt === null) === (b.graphSampleAt === null)) || a.steps.length !== b.steps.length) return false;
    const same = (x: Array<number | null>, y: Array<number | null>): boolean => x.length === y.length && x.every((p, i) => p === y[i]);
    const options = (v: FunctionView): string => JSON.stringify({ ...v.options, sample: undefined });
    return options(a) === options(b) && a.steps.every((st, k) => same(st.point, b.steps[k].point));
  }

  /** The Backprop view opened and scrolled into view, its Next button focused. */
  revealBackprop(): void {
    this.backprop.reveal();
  }

  hide(): void {
    this.pause();
    this.view = undefined;
    this.race = undefined;
    this.picker.racing(false);
    this.sweepFigure.hide();
    this.element.hidden = true;
  }

  /** A race from the host (null: none): the charts and the race table show its runs, from the start. */
  setRace(race: RaceView | null): void {
    const v = this.view;
    if (!race && !this.race) return; // no race before or now: nothing to redraw
    this.race = race ?? undefined;
    this.picker.racing(Boolean(race));
    if (!v) return;
    this.buildPlot(v);
    this.buildLoss(v);
    this.buildTrajectories(v);
    this.renderRaceTable();
    this.finishedReported = false;
    this.current = 0;
    this.renderStep();
    if (race) this.play();
  }

  setSweep(s: SweepView | null): void {
    if (s) this.sweepFigure.show(s);
    else this.sweepFigure.hide();
  }

  sweepProgress(done: number, total: number): void {
    this.sweepFigure.showProgress(done, total);
  }

  /** The last step the animation goes to: the single descent's, or in a race the longest run's. */
  private lastStep(): number {
    const v = this.view;
    if (!v) return 0;
    return this.race ? Math.max(...this.race.runs.map((r) => r.steps.length - 1)) : v.steps.length - 1;
  }

  /** The colour theme changed: charts take the new colours. */
  restyle(): void {
    if (!this.view || this.element.hidden) return;
    this.buildPlot(this.view);
    this.buildLoss(this.view);
    this.buildTrajectories(this.view);
    this.sweepFigure.restyle();
    this.renderStep();
  }

  /** Keyboard shortcuts (from the page, outside text fields). */
  key(e: KeyboardEvent): void {
    if (!this.view || this.element.hidden) return;
    if (e.key === ' ') { e.preventDefault(); if (this.playing) this.pause(); else this.play(); }
    else if (e.key === 'ArrowRight') this.goTo(this.current + 1);
    else if (e.key === 'ArrowLeft') this.goTo(this.current - 1);
    else if (e.key === 'Home') { this.finishedReported = false; this.goTo(0); }
    else if (e.key === 'End') this.goTo(Number.MAX_SAFE_INTEGER);
  }

  // ---------------------------------------------------------------- animation

  private goTo(step: number): void {
    this.pause();
    this.current = step;
    this.renderStep();
  }

  private play(): void {
    if (!this.view) return;
    if (this.current >= this.lastStep()) this.current = 0;
    this.playing = true;
    this.schedule();
    this.renderStep();
  }

  private pause(): void {
    this.playing = false;
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    this.timer = undefined;
    this.playBtn.textContent = '▶ Play';
  }

  private setSpeed(stepsPerSecond: number): void {
    this.speed = stepsPerSecond;
    this.speedInput.value = String(Math.log10(stepsPerSecond));
    this.speedLabel.textContent = `${stepsPerSecond} steps/s`;
  }

  /** At most 30 frames a second; faster speeds advance several steps a frame. */
  private schedule(): void {
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    const interval = Math.max(1000 / this.speed, 1000 / 30);
    const stride = Math.max(1, Math.round((this.speed * interval) / 1000));
    this.timer = window.setTimeout(() => {
      this.timer = undefined;
      if (!this.playing || !this.view) return;
      const last = this.lastStep();
      if (this.current < last) {
        this.current = Math.min(last, this.current + stride);
        this.renderStep();
      }
      if (this.current >= last) this.pause();
      else this.schedule();
    }, interval);
  }

  // ---------------------------------------------------------------- charts

  private baseOptions(): ChartConfiguration<'scatter'>['options'] {
    return baseChartOptions();
  }

  /** −η·f′ arrows on the curve; −∇f at the current point on the contour. */
  private overlay(): Plugin<'scatter'> {
    return {
      id: 'gradientLensOverlay',
      afterDatasetsDraw: (chart) => {
        const view = this.view;
        if (!view || this.race) return;
        const { ctx, scales } = chart;
        const px = (x: number): number => scales.x.getPixelForValue(x);
        const py = (y: number): number => scales.y.getPixelForValue(y);
        const steps = view.steps;
        const upto = Math.min(this.current, steps.length - 1);
        if (view.plot.kind === 'curve') {
          // −η·f′(w) for each step taken so far: a horizontal arrow from w_k to w_{k+1}
          for (let k = 0; k <= upto; k++) {
            const s = steps[k];
            const w = s.point[0];
            const d = s.update?.[0];
            if (w === null || s.value === null || d === null || d === undefined || k === steps.length - 1) continue;
            arrow(ctx, px(w), py(s.value), px(w - d), py(s.value), k === upto ? colors.accent() : colors.muted(), k === upto ? 2.5 : 1);
          }
        } else {
          const s = steps[upto];
          const [xi, yi] = [view.plot.x.index, view.plot.y.index];
          const x = s.point[xi];
          const y = s.point[yi];
          const g = s.gradient;
          if (x !== null && y !== null && g[xi] !== null && g[yi] !== null) {
            // the step direction −∇f, its length growing with ‖∇f‖ relative to the start's
            const gx = -(g[xi] as number);
            const gy = -(g[yi] as number);
            const n = Math.hypot(px(x + gx) - px(x), py(y + gy) - py(y));
            const g0 = steps[0].gradient;
            const n0 = Math.hypot(g0[xi] ?? 0, g0[yi] ?? 0);
            const rel = n0 > 0 ? Math.min(1, Math.hypot(gx, gy) / n0) : 1;
            if (n > 0) {
              const scale = (12 + 48 * Math.sqrt(rel)) / n;
              arrow(ctx, px(x), py(y), px(x + gx * scale), py(y + gy * scale), colors.accent(), 2.5);
            }
          }
        }
      },
    };
  }

  /** Keeps one unit per pixel on both axes of a contour (expanding the shorter range about its centre). */
  private equalScales(base: { x0: number; x1: number; y0: number; y1: number }): Plugin<'scatter'> {
    let used = '';
    let retries = 0;
    return {
      id: 'gradientLensEqualScales',
      beforeUpdate: (chart) => {
        const xs = chart.options.scales?.x;
        const ys = chart.options.scales?.y;
        if (!xs || !ys) return;
        const area = chart.chartArea;
        let [x0, x1, y0, y1] = [base.x0, base.x1, base.y0, base.y1];
        if (this.equalAxes && area && area.width > 0 && area.height > 0) {
          const ux = (x1 - x0) / area.width;
          const uy = (y1 - y0) / area.height;
          if (ux > uy) { const c = (y0 + y1) / 2, h = (ux * area.height) / 2; [y0, y1] = [c - h, c + h]; }
          else { const c = (x0 + x1) / 2, h = (uy * area.width) / 2; [x0, x1] = [c - h, c + h]; }
        }
        Object.assign(xs, { min: x0, max: x1 });
        Object.assign(ys, { min: y0, max: y1 });
        if (area && area.width > 0 && area.height > 0) chart.canvas.dataset.scale = JSON.stringify([(x1 - x0) / area.width, (y1 - y0) / area.height]);
        used = area ? `${Math.round(area.width)}x${Math.round(area.height)}` : '';
      },
      afterLayout: (chart) => {
        // the first layout (or a resize) changes the plot area: update once more with its real size
        const area = chart.chartArea;
        const now = area ? `${Math.round(area.width)}x${Math.round(area.height)}` : '';
        if (!this.equalAxes || now === used) { retries = 0; return; }
        // tick labels can change the plot area in turn: settle within a few rounds
        // a chart destroyed before the frame (a new view came) has no canvas to update
        if (retries++ < 3) requestAnimationFrame(() => { if (chart.ctx) chart.update('none'); });
      },
    };
  }

  private buildPlot(v: FunctionView): void {
    this.plotChart?.destroy();
    const options = this.baseOptions();
    const ds: Array<ChartDataset<'scatter'>> = [];
    const f = v.name ?? 'f';
    const shown = this.race?.plot ?? v.plot;
    if (shown.kind === 'curve') {
      this.grid = undefined;
      const plot = shown;
      const pts = plot.xs.map((x, i) => ({ x, y: plot.ys[i] })).filter((p): p is { x: number; y: number } => p.y !== null);
      // in a race the curve steps back (grey): the colours belong to the racers
      ds.push({ label: `${f}(${v.params[0]})`, data: pts, showLine: true, pointRadius: 0, borderColor: this.race ? colors.muted() : colors.curve(), borderWidth: 2 });
      ds.push({ label: `tangent (slope ${f}′)`, data: [], showLine: true, pointRadius: 0, borderColor: colors.tangent(), borderWidth: 1.5, borderDash: [6, 4] });
      if (options?.scales?.x?.title) options.scales.x.title.text = v.params[0];
      if (options?.scales?.y?.title) options.scales.y.title.text = f;
      const ys = pts.map((p) => p.y);
      const [lo, hi] = [Math.min(...ys), Math.max(...ys)];
      if (options?.scales?.y && Number.isFinite(lo) && Number.isFinite(hi)) {
        const pad = (hi - lo) * 0.08 || 1;
        Object.assign(options.scales.y, { min: lo - pad, max: hi + pad });
      }
      if (options?.scales?.x) Object.assign(options.scales.x, { min: plot.xs[0], max: plot.xs[plot.xs.length - 1] });
      if (options) {
        const param = v.params[0];
        options.onClick = (event) => {
          if (!this.plotChart || event.x === null) return;
          const x = this.plotChart.scales.x.getValueForPixel(event.x);
          if (x !== undefined) this.post({ type: 'setOptions', options: { start: { [param]: round(x) } } });
        };
      }
    } else {
      const p = shown;
      this.grid = { nx: p.x.n, ny: p.y.n, xmin: p.x.min, xmax: p.x.max, ymin: p.y.min, ymax: p.y.max, values: p.values };
      if (options?.scales?.x) Object.assign(options.scales.x, { min: p.x.min, max: p.x.max, title: { display: true, text: p.x.param, color: colors.fg() } });
      if (options?.scales?.y) Object.assign(options.scales.y, { min: p.y.min, max: p.y.max, title: { display: true, text: p.y.param, color: colors.fg() } });
      if (options) {
        options.onClick = (event) => {
          if (!this.plotChart || !this.view || event.x === null || event.y === null) return;
          const x = this.plotChart.scales.x.getValueForPixel(event.x);
          const y = this.plotChart.scales.y.getValueForPixel(event.y);
          if (x === undefined || y === undefined) return;
          const start = { ...this.view.options.start, [p.x.param]: round(x), [p.y.param]: round(y) };
          this.post({ type: 'setOptions', options: { start } });
        };
      }
    }
    if (v.fullBatchPath && !this.race) {
      // the full-batch path from the same start: the mini-batch path is compared with it on the same plot
      const ix = v.plot.kind === 'curve' ? 0 : v.params.indexOf(v.plot.x.param);
      const iy = v.plot.kind === 'curve' ? -1 : v.params.indexOf(v.plot.y.param);
      const pts = v.fullBatchPath.map((p, k) => (v.plot.kind === 'curve' ? { x: p[0] as number, y: v.steps[Math.min(k, v.steps.length - 1)].value as number } : { x: p[ix] as number, y: p[iy] as number }));
      if (v.plot.kind !== 'curve') ds.push({ label: 'full batch', data: pts, showLine: true, pointRadius: 0, borderColor: colors.muted(), borderWidth: 2, borderDash: [4, 3] });
    }
    this.racePaths = ds.length;
    if (this.race) {
      // one path per racer, in its colour and marker; its current point drawn larger
      for (const r of this.race.runs) {
        const st = RACE_STYLES[r.optimizer];
        ds.push(Object.assign({ label: OPTIMIZERS[r.optimizer].label, data: [], showLine: true, pointStyle: st.marker, borderColor: st.color, backgroundColor: st.color, borderWidth: 2, pointRadius: raceMarkers, pointBorderWidth: 1.5 }, { glTotal: r.steps.length }));
      }
      if (options?.plugins?.legend) Object.assign(options.plugins.legend, { labels: { color: colors.fg(), usePointStyle: true, boxWidth: 10, filter: (item: { datasetIndex?: number }) => (item.datasetIndex ?? 0) >= this.racePaths } });
    } else {
      ds.push({ label: 'descent path', data: [], showLine: true, pointRadius: 3, borderColor: colors.path(), backgroundColor: colors.path(), borderWidth: 2 });
      ds.push({ label: 'current step', data: [], pointRadius: 7, pointStyle: 'circle', borderColor: colors.fg(), backgroundColor: colors.accent(), borderWidth: 2 });
    }
    const plugins: Array<Plugin<'scatter'>> = [heatmapPlugin(() => this.grid, colors.fg), this.overlay(), haloPlugin(() => (this.race ? this.racePaths : -1))];
    if (shown.kind === 'contour') plugins.unshift(this.equalScales({ x0: shown.x.min, x1: shown.x.max, y0: shown.y.min, y1: shown.y.max }));
    this.equalLabel.hidden = shown.kind !== 'contour';
    this.plotChart = new Chart(this.plotCanvas, { type: 'scatter', data: { datasets: ds }, options, plugins });
    const racers = this.race ? `${this.race.runs.length} optimizers' paths from the same start, each in its colour and marker` : '';
    this.plotCaption.textContent = shown.kind === 'curve'
      ? this.race ? `the curve of ${f} and ${racers}; click to race from there` : `the curve of ${f}, the path, the tangent at the current point and each step ${stepArrow(v)} as an arrow; click to start from there`
      : v.params.length === 2
        ? this.race ? `heat map and contour lines of ${f} and ${racers}; click to race from there` : `heat map and contour lines of ${f}, the path, and the descent direction −∇${f} at the current point; click to start from there`
        : `slice of ${f} through ${this.race ? `${OPTIMIZERS[this.race.runs[0].optimizer].label}'s last point` : 'the current step'} over ${shown.x.param} and ${shown.y.param} (other parameters fixed)${this.race ? `, and ${racers}` : ''}; click to start from there`;
  }

  private buildLoss(v: FunctionView): void {
    this.lossChart?.destroy();
    const f = v.name ?? 'f';
    this.lossCaption.textContent = `${f} by step `;
    if (this.race) {
      this.buildRaceLoss(v, this.race);
      return;
    }
    this.raceLegend.hidden = true;
    const values = v.steps.map((s) => s.value);
    const positive = values.every((x) => x === null || x > 0);
    const min = Math.min(...values.filter((x): x is number => x !== null));
    const shifted = this.logLoss && !positive;
    const data = values.map((y, k) => ({ x: k, y: y === null ? null : shifted ? y - min + 1e-12 : y }));
    const o = this.baseOptions() as ChartConfiguration<'line'>['options'];
    if (o?.scales?.y) Object.assign(o.scales.y, { type: this.logLoss ? 'logarithmic' : 'linear', ticks: { color: colors.muted(), callback: tickLabel(this.logLoss ? logTick : linearTick) }, title: { display: true, color: colors.fg(), text: shifted ? `${f} − min ${f}` : f } });
    if (o?.scales?.x) Object.assign(o.scales.x, { min: 0, max: Math.max(1, v.steps.length - 1), title: { display: true, color: colors.fg(), text: 'step' } });
    this.lossChart = new Chart(this.lossCanvas, {
      type: 'line',
      data: { datasets: [
        { label: f, data: data as Array<{ x: number; y: number }>, borderColor: colors.curve(), pointRadius: 0, borderWidth: 2, spanGaps: false },
        { label: 'current', data: [], borderColor: colors.fg(), backgroundColor: colors.accent(), pointRadius: 6, showLine: false },
      ] },
      options: o,
    });
  }

  /** Each racer's f by step, overlaid in its colour and marker, with a legend giving how it ended. */
  private buildRaceLoss(v: FunctionView, race: RaceView): void {
    const f = v.name ?? 'f';
    const all = race.runs.flatMap((r) => r.steps.map((s) => s.value)).filter((x): x is number => x !== null);
    const positive = all.every((x) => x > 0);
    const min = Math.min(...all);
    const shifted = this.logLoss && !positive;
    const o = this.baseOptions() as ChartConfiguration<'line'>['options'];
    if (o?.scales?.y) Object.assign(o.scales.y, { type: this.logLoss ? 'logarithmic' : 'linear', ticks: { color: colors.muted(), callback: tickLabel(this.logLoss ? logTick : linearTick) }, title: { display: true, color: colors.fg(), text: shifted ? `${f} − min ${f}` : f } });
    if (o?.scales?.x) Object.assign(o.scales.x, { min: 0, max: Math.max(1, this.lastStep()), title: { display: true, color: colors.fg(), text: 'step' } });
    if (o?.plugins) o.plugins.legend = { display: false };
    const datasets = race.runs.map((r) => {
      const st = RACE_STYLES[r.optimizer];
      return {
        label: OPTIMIZERS[r.optimizer].label,
        data: r.steps.map((s, k) => ({ x: k, y: s.value === null ? null : shifted ? s.value - min + 1e-12 : s.value })) as Array<{ x: number; y: number }>,
        borderColor: st.color, backgroundColor: st.color, pointStyle: st.marker, pointRadius: raceMarkers, pointBorderWidth: 1.5, borderWidth: 2, spanGaps: false,
      };
    });
    this.lossChart = new Chart(this.lossCanvas, { type: 'line', data: { datasets }, options: o });
    this.raceLegend.hidden = false;
    this.raceLegend.replaceChildren(...race.runs.map((r) => el('li', { attrs: { 'data-optimizer': r.optimizer } }, [markerIcon(RACE_STYLES[r.optimizer].marker, RACE_STYLES[r.optimizer].color), ` ${raceOutcome(r, f)}`])));
  }

  /** The race table: a row per racer at the current step (at its last step once it has ended). */
  private renderRaceTable(): void {
    const v = this.view;
    const race = this.race;
    this.raceSection.hidden = !race;
    if (!v || !race) return;
    const f = v.name ?? 'f';
    const thead = this.raceTable.tHead as HTMLTableSectionElement;
    thead.replaceChildren(el('tr', {}, ['optimizer', 'η', 'step', ...v.params, f, ...v.params.map((p) => `∂${f}/∂${p}`), 'status'].map((h) => el('th', { text: h, attrs: { scope: 'col' } }))));
    const body = this.raceTable.tBodies[0];
    body.replaceChildren(...race.runs.map((r) => {
      const k = Math.min(this.current, r.steps.length - 1);
      const s = r.steps[k];
      const st = RACE_STYLES[r.optimizer];
      const name = el('th', { attrs: { scope: 'row' } }, [markerIcon(st.marker, st.color), ` ${OPTIMIZERS[r.optimizer].label}`]);
      const ended = k === r.steps.length - 1;
      return el('tr', { attrs: { 'data-optimizer': r.optimizer } }, [name, ...[fmt(r.learningRate), String(k), ...s.point.map(fmt), fmt(s.value), ...s.gradient.map(fmt), ended ? r.status : 'running'].map((c) => el('td', { text: c }))]);
    }));
  }

  private buildTrajectories(v: FunctionView): void {
    this.trajChart?.destroy();
    this.trajChart = undefined;
    if (v.params.length <= 2) {
      this.trajFigure.hidden = true;
      return;
    }
    this.trajFigure.hidden = false;
    const palette = ['--vscode-charts-blue', '--vscode-charts-red', '--vscode-charts-green', '--vscode-charts-orange', '--vscode-charts-purple', '--vscode-charts-yellow'];
    const fallback = ['#1a85ff', '#e51400', '#388a34', '#e8912d', '#652d90', '#bf8803'];
    const o = this.baseOptions() as ChartConfiguration<'line'>['options'];
    if (o?.scales?.x) Object.assign(o.scales.x, { title: { display: true, color: colors.fg(), text: 'step' } });
    const race = this.race;
    // in a race: each racer's parameters in its colour, one dash pattern per parameter
    const dashes = [[], [6, 3], [2, 3], [10, 3, 2, 3]];
    this.trajChart = new Chart(this.trajCanvas, race ? {
      type: 'line',
      data: { datasets: race.runs.flatMap((r) => v.params.map((p, i) => ({
        label: `${OPTIMIZERS[r.optimizer].label} ${p}`,
        data: r.steps.map((s, k) => ({ x: k, y: s.point[i] })) as Array<{ x: number; y: number }>,
        borderColor: RACE_STYLES[r.optimizer].color, backgroundColor: RACE_STYLES[r.optimizer].color, pointStyle: RACE_STYLES[r.optimizer].marker,
        pointRadius: raceMarkers, borderWidth: 2, borderDash: dashes[i % dashes.length],
      }))) },
      options: o,
    } : {
      type: 'line',
      data: { datasets: v.params.map((p, i) => ({
        label: p,
        data: v.steps.map((s, k) => ({ x: k, y: s.point[i] })) as Array<{ x: number; y: number }>,
        borderColor: themeColor(palette[i % palette.length], fallback[i % fallback.length]),
        pointRadius: 0, borderWidth: 2,
      })) },
      options: o,
    });
    for (const sel of [this.sliceX, this.sliceY]) {
      sel.replaceChildren(...v.params.map((p) => el('option', { text: p, attrs: { value: p } })));
    }
    if (v.plot.kind === 'contour') {
      this.sliceX.value = v.plot.x.param;
      this.sliceY.value = v.plot.y.param;
    }
  }

  // ---------------------------------------------------------------- rendering

  private renderHeader(v: FunctionView): void {
    const f = v.name ?? 'f';
    // the chain lines belong to the partials drawn below, if any
    this.chainLines = [];
    if (v.fromNetwork) {
      // a network neuron by neuron: the loss over its weights is long; the Backprop view below draws it
      const back = el('button', { text: '← Back to the network', attrs: { id: 'back-to-network', type: 'button' } });
      back.addEventListener('click', () => this.post({ type: 'backToNetwork' }));
      const weights = v.params.filter((p) => p.startsWith('w')).length;
      this.header.replaceChildren(
        el('h1', { text: `${v.fromNetwork.title}, neuron by neuron — ${v.file}` }),
        el('p', { attrs: { id: 'neurons-intro' }, text: `${f} as a function of the network's ${weights} weights (w1 … w${weights}, in PyTorch's order) and ${v.params.length - weights} biases. Step through: the forward pass gives each neuron's net input and output, the backward pass each δ, the chain rule edge by edge, and each weight's update w ← w − η·∂${f}/∂w in numbers.` }),
        back,
        ...v.fromNetwork.notes.map((n) => el('p', { className: 'note', text: `note: ${n}` })),
      );
      this.warnings.replaceChildren(...v.warnings.map((w) => el('li', { text: `⚠ ${w}` })));
      return;
    }
    const fx = el('div', { className: 'tex', attrs: { id: 'formula' } });
    // a Σ over m samples has m's value beside it (m = 97)
    const m = (s: string, isTex = false): string => withSampleCount(s, v.samples, isTex);
    tex(fx, m(`${texName(f, { upright: true })}(${v.params.map((p) => texName(p)).join(', ')}) = ${v.expressionTex}`, true), m(`${v.title} = ${v.expression}`), m(`${v.title} equals ${v.expressionText}`));
    const parts = el('div', { className: 'partials', attrs: { id: 'partials' } });
    const renderPartials = (): void => {
      this.chainLines = [];
      // each partial a box: its formula, and under it its chain's numbers when it has a chain
      parts.replaceChildren(...v.params.map((p, i) => {
        const d = el('div', { className: 'tex', attrs: { 'data-param': p } });
        const lhs = `\\frac{\\partial ${texName(f, { upright: true })}}{\\partial ${texName(p)}}`;
        const n = this.inNames ? v.gradientNamed?.[p] : undefined;
        const g = v.gradientTex[p];
        if (n) {
          const chain = n.chainTex !== null ? `${n.chainTex} = ` : '';
          const said = `${n.chainText !== null ? `${n.chainText} = ` : ''}${n.text}`;
          tex(d, m(`${lhs} = ${chain}${n.tex}`, true), m(`∂${f}/∂${p} = ${said}`), m(`partial derivative of ${f} with respect to ${p}: ${said}`));
          if (n.chainSteps) {
            const line = el('p', { className: 'chain-values', attrs: { id: `chain-values-${i}` } });
            this.chainLines.push({ line, param: i, steps: n.chainSteps });
            return el('div', { className: 'partial' }, [d, line]);
          }
        } else if (g) tex(d, m(`${lhs} = ${g}`, true), m(`∂${f}/∂${p} = ${v.gradientText[p] ?? ''}`), m(`partial derivative of ${f} with respect to ${p}: ${v.gradientText[p] ?? ''}`));
        else d.textContent = `∂${f}/∂${p}: not computed symbolically`;
        return el('div', { className: 'partial' }, [d]);
      }));
      this.renderChainValues(v, this.current);
    };
    renderPartials();
    // where the code names intermediates the partials go through: in those names, or written out
    const toggle = v.gradientNamed ? [this.namesToggle(renderPartials)] : [];
    this.header.replaceChildren(el('h1', { text: `${v.title} — ${v.file}` }), fx, ...toggle, ...this.rolesButton(v), parts, ...this.bindings(v), ...(v.symbolicNote ? [el('p', { className: 'note', text: v.symbolicNote })] : []));
    this.warnings.replaceChildren(...v.warnings.map((w) => el('li', { text: `⚠ ${w}` })));
  }

  /** Under each partial in the code's names: its chain's factors at step k, and their product, the partial the step recorded. */
  private renderChainValues(v: FunctionView, k: number): void {
    const f = v.name ?? 'f';
    for (const { line, param, steps } of this.chainLines) {
      const factors = steps[Math.min(k, steps.length - 1)];
      const partial = v.steps[Math.min(k, v.steps.length - 1)]?.gradient[param];
      line.textContent = factors ? `at step ${k}: ∂${f}/∂${v.params[param]} = ${factors.map(fmt).join(' · ')} = ${fmt(partial)}` : '';
    }
  }

  /** Two buttons, one pressed: the partials in the code's names or written out; `render` redraws them. */
  private namesToggle(render: () => void): HTMLElement {
    const names = el('button', { text: 'in your names', title: 'The partials through the intermediates your code names: the chain rule, then its short form', attrs: { id: 'partials-names', type: 'button' } });
    const written = el('button', { text: 'written out', title: 'The partials with every intermediate written out in the parameters and data', attrs: { id: 'partials-written', type: 'button' } });
    const press = (): void => {
      names.setAttribute('aria-pressed', String(this.inNames));
      written.setAttribute('aria-pressed', String(!this.inNames));
    };
    const choose = (inNames: boolean): void => {
      this.inNames = inNames;
      press();
      render();
    };
    names.addEventListener('click', () => choose(true));
    written.addEventListener('click', () => choose(false));
    press();
    return el('div', { className: 'names-toggle', attrs: { role: 'group', 'aria-label': 'How the partials are written' } }, [names, written]);
  }

  /** A forward pass over plain numbers: the button that moves its names between parameter and held, beside the formula. */
  private rolesButton(v: FunctionView): HTMLElement[] {
    if (!Array.isArray(v.roleNames)) return [];
    const b = el('button', { text: 'Parameters…', title: 'Choose which numbers of the script are parameters (differentiated, descended on) and which are held as written', attrs: { id: 'choose-roles', type: 'button' } });
    b.addEventListener('click', () => this.post({ type: 'chooseRoles' }));
    return [b];
  }

  /**
   * A cost over data: what each argument is bound to and why, a guess by name
   * marked as one, and the picker's button right there.
   */
  private bindings(v: FunctionView): HTMLElement[] {
    const data = Array.isArray(v.data) ? v.data : [];
    if (data.length === 0) return [];
    const guess = data.some((d) => d.why === 'name');
    const why = { call: 'from the call in the code', name: 'a guess by its name', option: 'chosen' };
    const items = data.map((d) => el('li', { className: d.why === 'name' ? 'guess' : '', attrs: { 'data-why': d.why } }, [
      el('code', { text: `${d.arg} ← ${d.source}` }), ` (${d.samples} samples, ${why[d.why]})`,
    ]));
    const choose = el('button', { text: guess ? 'Not these? Choose data…' : 'Choose data…', title: 'Bind other arrays of the code or columns of a data file, argument by argument', attrs: { id: 'choose-data', type: 'button' } });
    choose.addEventListener('click', () => this.post({ type: 'chooseData' }));
    return [el('div', { className: `bindings${guess ? ' guessed' : ''}`, attrs: { id: 'data-bindings' } }, [
      el('span', { text: guess ? '⚠ Data guessed by name — check it: ' : 'Data: ' }), el('ul', {}, items), choose,
    ])];
  }

  private renderControls(v: FunctionView): void {
    this.lrInput.value = String(Math.log10(v.options.learningRate));
    this.lrLabel.textContent = `η = ${fmt(v.options.learningRate)}`;
    this.lrTyped.value = String(v.options.learningRate);
    this.optimizerSelect.value = v.options.optimizer;
    this.stepsInput.value = String(v.options.maxSteps);
    // a cost over data: full batch, or stochastic / mini-batch descent
    this.batchLabel.hidden = !v.samples;
    const m = v.samples;
    if (m) {
      const sizes = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256].filter((b) => b < m);
      this.batchSelect.replaceChildren(...sizes.map((b) => el('option', { text: b === 0 ? `all ${m} (full batch)` : b === 1 ? '1 (stochastic)' : `${b} (mini-batch)`, attrs: { value: String(b) } })));
      this.batchSelect.value = String(v.options.batchSize ?? 0);
    }
    this.startFields.replaceChildren(...v.params.map((p) => {
      const input = el('input', { attrs: { type: 'number', step: 'any', value: String(v.options.start[p]), 'data-param': p, 'aria-label': `start value of ${p}` } });
      input.addEventListener('change', () => {
        const x = Number(input.value);
        if (Number.isFinite(x)) this.post({ type: 'setOptions', options: { start: { [p]: x } } });
      });
      return el('label', { text: `${p} = ` }, [input]);
    }));
  }

  /** Everything that depends on the current step. */
  /** `light`: the plot and the status only (the first frame of a new view). */
  private renderStep(light = false): void {
    const v = this.view;
    if (!v) return;
    const steps = v.steps;
    this.current = Math.max(0, Math.min(this.current, this.lastStep()));
    const current = this.current;
    // the single descent's step: in a race that runs longer it holds at its last
    const last = steps.length - 1;
    const k = Math.min(current, last);
    const s = steps[k];
    this.plotFigure.dataset.step = String(current);
    this.fit.render(v, s.point, k);
    if (this.plotChart && this.race) this.renderRacePaths(v, this.race, current);
    else if (this.plotChart) {
      const ds = this.plotChart.data.datasets;
      const path = ds[ds.length - 2];
      const dot = ds[ds.length - 1];
      let pts: Array<{ x: number; y: number }>;
      if (v.plot.kind === 'curve') {
        pts = steps.slice(0, k + 1).filter((t) => t.point[0] !== null && t.value !== null).map((t) => ({ x: t.point[0] as number, y: t.value as number }));
        const w = s.point[0];
        const g = s.gradient[0];
        const tangent = ds[1];
        if (w !== null && g !== null && s.value !== null) {
          const half = (v.plot.xs[v.plot.xs.length - 1] - v.plot.xs[0]) / 8;
          tangent.data = [{ x: w - half, y: s.value - g * half }, { x: w + half, y: s.value + g * half }];
        } else tangent.data = [];
      } else {
        const [xi, yi] = [v.plot.x.index, v.plot.y.index];
        pts = steps.slice(0, k + 1).filter((t) => t.point[xi] !== null && t.point[yi] !== null).map((t) => ({ x: t.point[xi] as number, y: t.point[yi] as number }));
      }
      path.data = pts;
      dot.data = pts.length > 0 ? [pts[pts.length - 1]] : [];
      this.plotFigure.dataset.path = JSON.stringify(pts.map((p) => [round(p.x), round(p.y)]));
      this.plotChart.update('none');
    }
    if (this.race) {
      const end = this.lastStep();
      this.status.textContent = current === end
        ? `race over — ${this.race.runs.map((r) => `${OPTIMIZERS[r.optimizer].label}: ${r.status} after ${r.steps.length - 1} steps`).join('; ')}`
        : `race: step ${current} of ${end}`;
      this.status.className = `status ${current === end ? 'race-over' : 'running'}`;
    } else {
      const where = k === last ? v.statusMessage : `step ${k} of ${last}`;
      this.status.textContent = `${where} — ${v.name ?? 'f'} = ${fmt(s.value)}`;
      this.status.className = `status ${k === last ? v.status : 'running'}`;
    }
    if (light) return;
    if (this.lossChart && this.race) {
      (this.lossChart as unknown as { glCurrent: number }).glCurrent = current;
      this.lossChart.update('none');
    } else if (this.lossChart) {
      const cur = this.lossChart.data.datasets[1];
      const y = (this.lossChart.data.datasets[0].data[k] as { y: number | null } | undefined)?.y;
      cur.data = y === null || y === undefined ? [] : [{ x: k, y }];
      this.lossChart.update('none');
    }
    if (this.trajChart && this.race) {
      (this.trajChart as unknown as { glCurrent: number }).glCurrent = current;
      this.trajChart.update('none');
    }
    this.renderRaceTable();
    this.renderUpdateRule(v, k);
    this.renderChainValues(v, k);
    this.renderTable(v, k);
    this.backprop.showStep(v, k);
    // what went on, once the run is seen to its end
    const shown = k === last && !this.race ? v.diagnoses : [];
    if (this.diagnoses.childElementCount !== shown.length) this.diagnoses.replaceChildren(...shown.map((d) => el('li', { text: d })));
    this.playBtn.textContent = this.playing ? '❚❚ Pause' : '▶ Play';
    this.post({ type: 'step', step: k });
    if (k === last && !this.finishedReported) {
      this.finishedReported = true;
      this.post({ type: 'finished', step: k, status: v.status });
    }
  }

  /** Each racer's path up to the current step (its whole path once it has ended), on the curve or the contour. */
  private renderRacePaths(v: FunctionView, race: RaceView, current: number): void {
    const chart = this.plotChart as Chart<'scatter'>;
    const plot = race.plot;
    const paths: number[][][] = [];
    race.runs.forEach((r, j) => {
      const upto = r.steps.slice(0, Math.min(current, r.steps.length - 1) + 1);
      const pts = plot.kind === 'curve'
        ? upto.filter((t) => t.point[0] !== null && t.value !== null).map((t) => ({ x: t.point[0] as number, y: t.value as number }))
        : upto.filter((t) => t.point[plot.x.index] !== null && t.point[plot.y.index] !== null).map((t) => ({ x: t.point[plot.x.index] as number, y: t.point[plot.y.index] as number }));
      chart.data.datasets[this.racePaths + j].data = pts;
      paths.push(pts.map((p) => [round(p.x), round(p.y)]));
    });
    this.plotFigure.dataset.racePaths = JSON.stringify(paths);
    void v;
    chart.update('none');
  }

  /** The optimizer's own rule, then each parameter's update as the step recorded it: the gradient and the samples it used, Δ and the next point. */
  private renderUpdateRule(v: FunctionView, k: number): void {
    const s = v.steps[k];
    const f = v.name ?? 'f';
    const opt = v.options.optimizer;
    const on = samplesText(s.batch);
    // The elements stay and only their contents change, so keyboard focus on a line survives playback.
    const u = this.updateParts;
    u.heading.textContent = k < v.steps.length - 1 ? `Update at step ${k} (${OPTIMIZERS[opt].label}${on ? `, on ${on}` : ''})` : `Step ${k} (last)`;
    if (u.general.dataset.for !== `${opt}|${f}`) {
      u.general.dataset.for = `${opt}|${f}`;
      tex(u.general, `${OPTIMIZERS[opt].ruleTex} \\quad (g = \\partial ${texName(f, { upright: true })}/\\partial\\theta)`, OPTIMIZERS[opt].ruleText, `${OPTIMIZERS[opt].label}: ${OPTIMIZERS[opt].ruleText}, where g is the partial derivative of ${f}`);
    }
    while (u.lines.length < v.params.length) u.lines.push(el('div', { className: 'tex rule' }));
    const worked = v.params.map((_, i) => workedUpdate(opt, v.options.learningRate, s, v.steps[k + 1], i));
    const updated = worked.every((w) => w !== undefined);
    u.note.textContent = updated ? '' : v.statusMessage;
    u.note.hidden = updated;
    if (this.updateRule.childElementCount !== 3 + v.params.length) this.updateRule.replaceChildren(u.heading, u.general, ...u.lines.slice(0, v.params.length), u.note);
    u.lines.forEach((line) => { line.hidden = !updated; });
    if (!updated) return;
    v.params.forEach((p, i) => {
      const w = worked[i] as WorkedUpdate;
      const P = texName(p);
      const state = w.state.map((st) => `${stateTex(st.name, P)} = ${num(st.value)}`).join(',\\ ');
      const rule = w.factor?.symbol === 'g'
        ? `${P} \\leftarrow ${P} - \\eta\\,\\frac{\\partial ${texName(f, { upright: true })}}{\\partial ${P}}${on ? `\\Big|_{${texText(on)}}` : ''} = ${num(w.from)} - ${num(w.eta)} \\times ${paren(w.factor.value)} = ${num(w.to)}`
        : w.factor?.symbol === 'v'
          ? `${P} \\leftarrow ${P} - \\eta\\, v_{${P}} = ${num(w.from)} - ${num(w.eta)} \\times ${paren(w.factor.value)} = ${num(w.to)}`
          : `${P} \\leftarrow ${P} - \\Delta ${P} = ${num(w.from)} - ${paren(w.delta)} = ${num(w.to)}`;
      const text = updateText(f, p, w, s.batch);
      tex(u.lines[i], state ? `${state},\\quad ${rule}` : rule, text, spoken(text));
    });
  }

  private renderTable(v: FunctionView, k: number): void {
    const thead = this.stepTable.tHead as HTMLTableSectionElement;
    const f = v.name ?? 'f';
    const stochastic = isStochastic(v.steps);
    const key = `${v.title}|${v.options.optimizer}|${stochastic}`;
    if (thead.childElementCount === 0 || thead.dataset.for !== key) {
      thead.dataset.for = key;
      thead.replaceChildren(el('tr', {}, stepTableHead(v.options.optimizer, f, v.params, stochastic).map((h) => el('th', { text: h, attrs: { scope: 'col' } }))));
    }
    // A window of rows around the current step keeps the table light for long runs.
    const from = Math.max(0, k - 12);
    const to = Math.min(v.steps.length, from + 25);
    this.tableBody.replaceChildren(...v.steps.slice(from, to).map((s, j) => {
      const i = from + j;
      const row = el('tr', { className: i === k ? 'current' : '' }, stepTableRow(s, i, stochastic, fmt).map((c) => el('td', { text: c })));
      row.addEventListener('click', () => this.goTo(i));
      return row;
    }));
  }
}

/**
 * A racer's markers along its line: about 24 of them, so the shape shows even where lines cross, and a large
 * one at the current step (the chart's `glCurrent`, else the line's last point: the plot draws paths up to it).
 */
function raceMarkers(ctx: ScriptableContext<'line'>): number {
  const n = ctx.dataset.data.length;
  const total = (ctx.dataset as { glTotal?: number }).glTotal ?? n;
  const current = Math.min((ctx.chart as unknown as { glCurrent?: number }).glCurrent ?? n - 1, n - 1);
  if (ctx.dataIndex === current) return 7;
  return ctx.dataIndex % Math.max(1, Math.ceil(total / 24)) === 0 ? 3.5 : 0;
}

/** A light halo under each racer's path (datasets from `first` on), so every colour stays visible on the heat map. */
function haloPlugin(first: () => number): Plugin<'scatter'> {
  return {
    id: 'gradientLensHalo',
    beforeDatasetsDraw: (chart) => {
      const from = first();
      if (from < 0) return;
      const { ctx } = chart;
      ctx.save();
      ctx.strokeStyle = 'rgba(255, 255, 255, 0.8)';
      ctx.lineWidth = 5;
      ctx.lineJoin = 'round';
      for (let d = from; d < chart.data.datasets.length; d++) {
        const pts = chart.getDatasetMeta(d).data;
        if (pts.length < 2) continue;
        ctx.beginPath();
        pts.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
        ctx.stroke();
      }
      ctx.restore();
    },
  };
}

/** A state's name in TeX, per parameter: v_w, G_w, s_w, \hat m_w, \hat v_w. */
function stateTex(name: string, P: string): string {
  const base = name === 'm̂' ? '\\hat m' : name === 'v̂' ? '\\hat v' : name;
  return `${base}_{${P}}`;
}

/** What the curve's arrows are: −η·f′(w) in plain full-batch descent, else the step Δ the optimizer took (on its samples). */
function stepArrow(v: FunctionView): string {
  const f = v.name ?? 'f';
  const p = v.params[0];
  const stochastic = isStochastic(v.steps);
  if (OPTIMIZERS[v.options.optimizer].product === 'g' && !stochastic) return `−η·${f}′(${p})`;
  return `−Δ${p} (the ${OPTIMIZERS[v.options.optimizer].label} step${stochastic ? ' on its samples' : ''})`;
}

/** An update line as words for a screen reader: "w becomes w minus eta times …". */
function spoken(text: string): string {
  return text.replace(/∂(\S+?)\/∂(\S+)/g, 'the partial derivative of $1 with respect to $2').replace(/ ← /g, ' becomes ').replace(/ − /g, ' minus ')
    .replace(/ × |·/g, ' times ').replace(/η/g, 'eta').replace(/−/g, 'minus ');
}

/** Plain words in TeX (digits, commas, a colon); an ellipsis as TeX's. */
function texText(s: string): string {
  return s.split('…').map((part) => (part ? `\\text{${part}}` : '')).join('\\dots');
}

/**
 * KaTeX into `target`, or the plain fallback. Screen readers hear `spoken`
 * (else the fallback) instead of KaTeX's glyph soup: the box is an image with
 * that name.
 */
export function tex(target: HTMLElement, source: string, fallback: string, spoken = fallback): void {
  try {
    katex.render(source, target, { throwOnError: true, displayMode: false, output: 'html' });
  } catch {
    target.textContent = fallback;
  }
  target.setAttribute('role', 'img');
  target.setAttribute('aria-label', spoken);
}

function num(x: number | null | undefined): string {
  const s = fmt(x);
  return s.includes('e') ? s.replace(/e([+-]?)(\d+)/, (_m, sign: string, e: string) => `\\times 10^{${sign === '-' ? '-' : ''}${e}}`) : s === 'undefined' ? '\\text{undefined}' : s;
}

function paren(x: number | null | undefined): string {
  return x !== null && x !== undefined && x < 0 ? `(${num(x)})` : num(x);
}

function round(x: number): number {
  return Number(x.toPrecision(6));
}

/** A learning rate from the log slider, snapped to 1, 2 or 5 × 10ᵏ. */
export function snapRate(x: number): number {
  const k = Math.floor(Math.log10(x));
  const m = x / 10 ** k;
  const snapped = m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10;
  return Number((snapped * 10 ** k).toPrecision(3));
}
