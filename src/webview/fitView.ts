/**
 * The fit beside a cost over data, redrawn at every descent step: for one
 * input, the samples, the model's curve and the residuals; for two inputs and
 * 0/1 labels (logistic regression), the samples by class and the decision
 * boundary where the prediction crosses ½. A click on a sample opens its term
 * in the Backprop view; the sample shown there is ringed here.
 */
import { Chart, type ChartConfiguration, type ChartEvent, type ActiveElement } from 'chart.js';
import type { FromWebviewMessage, FunctionView } from '../protocol';
import { Tape } from '../core/autodiff/tape';
import { el, fmt, chartBox } from './dom';
import { baseChartOptions, colors } from './chartTheme';
import { sampleShown } from '../core/stepRecord';

type Pt = { x: number; y: number | null };

/** A data symbol as the user named the array: X0_i → X0. */
const name = (symbol: string): string => symbol.replace(/_i$/, '');

/** The dataset that rings the sample whose term the Backprop view shows. */
const ring = () => ({ label: 'sample in Backprop', data: [] as Array<{ x: number; y: number }>, showLine: false, pointRadius: 10, pointStyle: 'circle' as const, borderWidth: 2, borderColor: colors.path(), backgroundColor: 'transparent' });

export class FitView {
  private readonly fitCanvas = el('canvas', { attrs: { id: 'fit-canvas', 'aria-label': 'The data and the model at the current step; left and right arrows pick the sample whose term the Backprop view shows' } });
  private readonly fitCaption = el('figcaption', { attrs: { id: 'fit-caption' } });
  private readonly fitFigure = el('figure', { className: 'fit', attrs: { id: 'fit', hidden: '' } }, [chartBox(this.fitCanvas), this.fitCaption]);
  private readonly bCanvas = el('canvas', { attrs: { id: 'boundary-canvas', 'aria-label': 'The samples by class and the decision boundary at the current step; left and right arrows pick the sample whose term the Backprop view shows' } });
  private readonly bCaption = el('figcaption', { attrs: { id: 'boundary-caption' } });
  private readonly bFigure = el('figure', { className: 'fit', attrs: { id: 'boundary', hidden: '' } }, [chartBox(this.bCanvas), this.bCaption]);
  private fitChart: Chart | undefined;
  private bChart: Chart | undefined;
  private tape: Tape | undefined;
  /** per point of each dataset of the boundary chart, the sample it is */
  private classIndex: number[][] = [];
  readonly elements: HTMLElement[] = [this.fitFigure, this.bFigure];

  private view: FunctionView | undefined;
  /** the sample ringed at the step shown: the one whose term the Backprop view shows */
  private ringed: number | null = null;

  constructor(private readonly post: (m: FromWebviewMessage) => void) {
    // from the keyboard: ← → on a focused chart ring the previous or next sample and open its term
    for (const canvas of [this.fitCanvas, this.bCanvas]) {
      canvas.tabIndex = 0;
      canvas.addEventListener('keydown', (e) => {
        const v = this.view;
        if (!v || this.ringed === null || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return;
        e.preventDefault();
        const m = v.samples ?? 1;
        this.post({ type: 'setOptions', options: { sample: (this.ringed + (e.key === 'ArrowRight' ? 1 : m - 1)) % m } });
      });
    }
  }

  build(v: FunctionView): void {
    this.view = v;
    this.fitChart?.destroy();
    this.bChart?.destroy();
    this.fitChart = this.bChart = this.tape = undefined;
    this.fitFigure.hidden = this.bFigure.hidden = true;
    try {
      if (v.fit) this.tape = new Tape(v.fit.model, [...v.params, v.fit.inputParam]);
      else if (v.boundary) this.tape = new Tape(v.boundary.model, [...v.params, ...v.boundary.inputs]);
    } catch {
      return;
    }
    if (v.fit) this.buildFit(v);
    else if (v.boundary) this.buildBoundary(v);
  }

  render(v: FunctionView, point: Array<number | null>, step: number): void {
    this.view = v;
    if (v.fit && this.fitChart) this.renderFit(v, point, step);
    if (v.boundary && this.bChart) this.renderBoundary(v, point, step);
  }

  /** A click on a sample (a pointer over one): the Backprop view opens that sample's term. */
  private pickable(o: ChartConfiguration<'line'>['options'], v: FunctionView, sampleOf: (dataset: number, index: number) => number | undefined): void {
    if (!o) return;
    const hit = (active: ActiveElement[]): number | undefined => active.map((a) => sampleOf(a.datasetIndex, a.index)).find((k) => k !== undefined);
    o.onClick = (_e: ChartEvent, active: ActiveElement[]): void => {
      const k = hit(active);
      // a click on the ringed sample fixes it where the ring followed the descent's samples
      if (k !== undefined && v.graphSample !== null && (k !== this.ringed || v.graphSampleAt)) this.post({ type: 'setOptions', options: { sample: k } });
    };
    o.onHover = (e: ChartEvent, active: ActiveElement[]): void => {
      (e.native?.target as HTMLElement | undefined)?.style.setProperty('cursor', hit(active) !== undefined ? 'pointer' : 'default');
    };
  }

  /** the prediction at the step's parameters, for the model's input(s) */
  private predictor(v: FunctionView, point: Array<number | null>): (...inputs: number[]) => number | null {
    const tape = this.tape as Tape;
    const args = new Float64Array(tape.params.length);
    point.forEach((p, i) => { args[i] = p ?? NaN; });
    return (...inputs) => {
      inputs.forEach((x, j) => { args[v.params.length + j] = x; });
      const y = tape.evaluate(args);
      return Number.isFinite(y) ? y : null;
    };
  }

  private buildFit(v: FunctionView): void {
    const fit = v.fit as NonNullable<FunctionView['fit']>;
    this.fitFigure.hidden = false;
    const o = baseChartOptions() as ChartConfiguration<'line'>['options'];
    const lo = Math.min(...fit.x);
    const hi = Math.max(...fit.x);
    const pad = (hi - lo || 1) * 0.08;
    if (o?.scales?.x) Object.assign(o.scales.x, { min: lo - pad, max: hi + pad, title: { display: true, color: colors.fg(), text: fit.input } });
    if (o?.scales?.y) Object.assign(o.scales.y, { title: { display: true, color: colors.fg(), text: fit.target } });
    // the fit's samples are the cost's samples in order when it has them all
    const aligned = fit.x.length === v.samples;
    this.pickable(o, v, (d, i) => (d === 0 && aligned ? i : undefined));
    this.fitChart = new Chart(this.fitCanvas, {
      type: 'line',
      data: { datasets: [
        { label: 'data', data: fit.x.map((x, i) => ({ x, y: fit.y[i] })), showLine: false, pointRadius: 4, pointHoverRadius: 6, borderColor: colors.fg(), backgroundColor: colors.accent() },
        { label: 'model', data: [], borderColor: colors.curve(), pointRadius: 0, borderWidth: 2 },
        { label: 'residuals', data: [], borderColor: colors.muted(), pointRadius: 0, borderWidth: 1, borderDash: [3, 3], spanGaps: false },
        ring(),
      ] },
      options: o,
    });
  }

  private renderFit(v: FunctionView, point: Array<number | null>, step: number): void {
    const fit = v.fit as NonNullable<FunctionView['fit']>;
    const chart = this.fitChart as Chart;
    const predict = this.predictor(v, point);
    const lo = Math.min(...fit.x);
    const hi = Math.max(...fit.x);
    const pad = (hi - lo || 1) * 0.08;
    const curve = Array.from({ length: 61 }, (_, k) => { const x = lo - pad + ((hi - lo + 2 * pad) * k) / 60; return { x, y: predict(x) }; });
    const residuals: Pt[] = [];
    fit.x.forEach((x, i) => { residuals.push({ x, y: fit.y[i] }, { x, y: predict(x) }, { x, y: null }); });
    chart.data.datasets[1].data = curve as Array<{ x: number; y: number }>;
    chart.data.datasets[2].data = residuals as Array<{ x: number; y: number }>;
    const k = (this.ringed = sampleShown(v, step));
    chart.data.datasets[3].data = k !== null && fit.x.length === v.samples && k < fit.x.length ? [{ x: fit.x[k], y: fit.y[k] }] : [];
    chart.update('none');
    const sse = fit.x.reduce((s, x, i) => s + ((predict(x) ?? NaN) - fit.y[i]) ** 2, 0);
    this.fitCaption.textContent = `${fit.target} against ${fit.input}: ${fit.x.length} samples and the model at this step (residuals dashed; squared error ${fmt(sse)})`
      + (k !== null && fit.x.length === v.samples ? `; ringed: sample ${k + 1}, whose term the Backprop view shows${v.graphSampleAt ? ' (the one this step\'s update used)' : ''} (click a sample for its term)` : '');
    this.fitFigure.dataset.step = String(step);
  }

  private buildBoundary(v: FunctionView): void {
    const b = v.boundary as NonNullable<FunctionView['boundary']>;
    this.bFigure.hidden = false;
    const o = baseChartOptions() as ChartConfiguration<'line'>['options'];
    const [x1, x2] = [b.x1, b.x2].map((xs) => { const lo = Math.min(...xs); const hi = Math.max(...xs); const pad = (hi - lo || 1) * 0.1; return [lo - pad, hi + pad]; });
    if (o?.scales?.x) Object.assign(o.scales.x, { min: x1[0], max: x1[1], title: { display: true, color: colors.fg(), text: name(b.inputs[0]) } });
    if (o?.scales?.y) Object.assign(o.scales.y, { min: x2[0], max: x2[1], title: { display: true, color: colors.fg(), text: name(b.inputs[1]) } });
    this.classIndex = [[], []];
    b.y.forEach((y, i) => this.classIndex[y === 1 ? 1 : 0].push(i));
    this.pickable(o, v, (d, i) => this.classIndex[d]?.[i]);
    const t = name(b.target);
    this.bChart = new Chart(this.bCanvas, {
      type: 'line',
      data: { datasets: [
        { label: `${t} = 0`, data: this.classIndex[0].map((i) => ({ x: b.x1[i], y: b.x2[i] })), showLine: false, pointRadius: 5, pointHoverRadius: 7, pointStyle: 'circle', borderColor: colors.curve(), backgroundColor: 'transparent', borderWidth: 2 },
        { label: `${t} = 1`, data: this.classIndex[1].map((i) => ({ x: b.x1[i], y: b.x2[i] })), showLine: false, pointRadius: 5, pointHoverRadius: 7, pointStyle: 'crossRot', borderColor: colors.accent(), backgroundColor: colors.accent(), borderWidth: 2 },
        { label: 'decision boundary', data: [], borderColor: colors.fg(), pointRadius: 0, borderWidth: 2, spanGaps: false },
        ring(),
      ] },
      options: o,
    });
  }

  private renderBoundary(v: FunctionView, point: Array<number | null>, step: number): void {
    const b = v.boundary as NonNullable<FunctionView['boundary']>;
    const chart = this.bChart as Chart;
    const predict = this.predictor(v, point);
    const sx = chart.options.scales?.x as { min: number; max: number };
    const sy = chart.options.scales?.y as { min: number; max: number };
    const line = levelSet((a, c) => { const p = predict(a, c); return p === null ? NaN : p - b.threshold; }, [sx.min, sx.max], [sy.min, sy.max], 48);
    chart.data.datasets[2].data = line as Array<{ x: number; y: number }>;
    // the boundary's points, for automation (as the plot's data-path)
    this.bFigure.dataset.boundary = JSON.stringify(line.filter((p) => p.y !== null).map((p) => [+p.x.toPrecision(6), +(p.y as number).toPrecision(6)]));
    const k = (this.ringed = sampleShown(v, step));
    chart.data.datasets[3].data = k !== null && k < b.y.length ? [{ x: b.x1[k], y: b.x2[k] }] : [];
    chart.update('none');
    const right = b.y.filter((y, i) => { const p = predict(b.x1[i], b.x2[i]); return p !== null && (p >= b.threshold) === (y === 1); }).length;
    this.bCaption.textContent = `${name(b.target)} by ${name(b.inputs[0])} and ${name(b.inputs[1])}: the decision boundary (prediction = ${b.threshold}) at this step; ${right} of ${b.y.length} samples on their class's side`
      + (k !== null ? `; ringed: sample ${k + 1}, whose term the Backprop view shows${v.graphSampleAt ? ' (the one this step\'s update used)' : ''} (click a sample for its term)` : '');
    this.bFigure.dataset.step = String(step);
    this.bFigure.dataset.correct = String(right);
  }
}

/**
 * The curve g = 0 over a rectangle by marching squares on an n × n grid: line
 * segments, separated by gaps, each crossing found by linear interpolation
 * along a cell's edge. A straight boundary comes out straight.
 */
export function levelSet(g: (x: number, y: number) => number, [x0, x1]: number[], [y0, y1]: number[], n: number): Pt[] {
  const xs = Array.from({ length: n + 1 }, (_, i) => x0 + ((x1 - x0) * i) / n);
  const ys = Array.from({ length: n + 1 }, (_, j) => y0 + ((y1 - y0) * j) / n);
  const v = xs.map((x) => ys.map((y) => g(x, y)));
  const out: Pt[] = [];
  const cross = (xa: number, ya: number, va: number, xb: number, yb: number, vb: number): Pt => {
    const t = va / (va - vb);
    return { x: xa + t * (xb - xa), y: ya + t * (yb - ya) };
  };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const c = [v[i][j], v[i + 1][j], v[i + 1][j + 1], v[i][j + 1]];
      if (c.some((z) => !Number.isFinite(z))) continue;
      const corners: Array<[number, number]> = [[xs[i], ys[j]], [xs[i + 1], ys[j]], [xs[i + 1], ys[j + 1]], [xs[i], ys[j + 1]]];
      const hits: Pt[] = [];
      for (let e = 0; e < 4; e++) {
        const a = e;
        const bb = (e + 1) % 4;
        if ((c[a] < 0) !== (c[bb] < 0)) hits.push(cross(corners[a][0], corners[a][1], c[a], corners[bb][0], corners[bb][1], c[bb]));
      }
      // two crossings: one segment; four (a saddle): two, paired along the cell's edges
      for (let h = 0; h + 1 < hits.length; h += 2) out.push(hits[h], hits[h + 1], { x: hits[h + 1].x, y: null });
    }
  }
  return out;
}
