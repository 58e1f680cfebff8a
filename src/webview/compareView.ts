/**
 * Comparing and taking away, in the function view: the race picker (which
 * optimizers, each at its own η), the race's colours and markers, the
 * learning-rate sweep chart, and a chart as a PNG. Everything here draws what
 * the host computed (the race's steps, the sweep's runs) and reports intent;
 * nothing is computed here that the core computes.
 */
import { Chart, type ChartDataset, type Plugin, type PointStyle } from 'chart.js';
import type { FromWebviewMessage, FunctionView, RaceRunView, SweepView } from '../protocol';
import type { Racer } from '../core/race';
import { OPTIMIZERS, OptimizerName, optimizerMenu } from '../core/optimizers';
import type { SweepMark } from '../core/views';
import { el, fmt } from './dom';
import { baseChartOptions, colors } from './chartTheme';
import { linearTick, logTick, tickLabel } from './ticks';

/**
 * Each optimizer's colour and marker in a race: the Okabe–Ito palette (told apart with any colour vision)
 * and a marker shape each, so no path is known by its colour alone. Fixed per optimizer, not per position.
 */
export const RACE_STYLES: Readonly<Record<OptimizerName, { color: string; marker: PointStyle; shape: string; dash: number[] }>> = {
  gd: { color: '#0072B2', marker: 'circle', shape: 'circle', dash: [] },
  sgd: { color: '#0072B2', marker: 'circle', shape: 'circle', dash: [] },
  momentum: { color: '#D55E00', marker: 'triangle', shape: 'triangle', dash: [8, 4] },
  nesterov: { color: '#009E73', marker: 'rect', shape: 'square', dash: [2, 3] },
  adagrad: { color: '#CC79A7', marker: 'rectRot', shape: 'diamond', dash: [10, 3, 2, 3] },
  rmsprop: { color: '#E69F00', marker: 'star', shape: 'star', dash: [4, 4] },
  adam: { color: '#56B4E9', marker: 'crossRot', shape: 'cross', dash: [12, 3, 2, 3, 2, 3] },
};

/** How the sweep marks each learning rate: a marker shape and colour each, and the words of the legend. */
export const SWEEP_STYLES: Readonly<Record<SweepMark, { color: string; marker: PointStyle; text: string }>> = {
  converged: { color: '#009E73', marker: 'circle', text: 'converged' },
  oscillating: { color: '#E69F00', marker: 'triangle', text: 'oscillating (zig-zag steps)' },
  diverged: { color: '#D55E00', marker: 'crossRot', text: 'diverged' },
  unbounded: { color: '#CC79A7', marker: 'rect', text: 'unbounded (f falls without limit)' },
  'max-steps': { color: '#0072B2', marker: 'rectRot', text: 'step limit, still descending' },
  other: { color: '#56B4E9', marker: 'star', text: 'stalled, saddle or undefined' },
};

const SVG = 'http://www.w3.org/2000/svg';

/** A legend's marker: the chart's point style drawn small in SVG, so the legend shows the shape as well as the colour. */
export function markerIcon(marker: PointStyle, color: string): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('viewBox', '-7 -7 14 14');
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('marker');
  const shape = (tag: string, attrs: Record<string, string>): void => {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    svg.append(e);
  };
  const filled = { fill: color, stroke: color, 'stroke-width': '1' };
  const line = { stroke: color, 'stroke-width': '2', fill: 'none' };
  if (marker === 'triangle') shape('polygon', { points: '0,-5.5 5.5,4.5 -5.5,4.5', ...filled });
  else if (marker === 'rect') shape('rect', { x: '-4.5', y: '-4.5', width: '9', height: '9', ...filled });
  else if (marker === 'rectRot') shape('polygon', { points: '0,-6 6,0 0,6 -6,0', ...filled });
  else if (marker === 'crossRot') shape('path', { d: 'M-4.5,-4.5L4.5,4.5M-4.5,4.5L4.5,-4.5', ...line });
  else if (marker === 'star') shape('path', { d: 'M0,-6V6M-6,0H6M-4.2,-4.2L4.2,4.2M-4.2,4.2L4.2,-4.2', ...line });
  else shape('circle', { r: '4.5', ...filled });
  return svg;
}

/** How a racer's run ended, for its legend entry: the steps it took to the tolerance, or how it ended instead. */
export function raceOutcome(r: RaceRunView, f: string): string {
  const n = r.steps.length - 1;
  const last = r.steps[n];
  const ended = r.status === 'converged' ? `converged in ${n} steps`
    : r.status === 'max-steps' ? `not converged in ${n} steps (the step limit)`
      : `${r.status} after ${n} steps`;
  return `${OPTIMIZERS[r.optimizer].label}, η = ${fmt(r.learningRate)}: ${ended}; final ${f} = ${fmt(last?.value)}`;
}

/**
 * The race picker: a checkbox and an η per optimizer (η defaulting to the
 * panel's current one), Race and End race — for a function (from the same
 * start) or a network (from the same initial weights); `id` prefixes its
 * elements' ids, as both panels are in the page at once.
 */
export class RacePicker {
  readonly element: HTMLElement;
  private readonly boxes = new Map<OptimizerName, { check: HTMLInputElement; eta: HTMLInputElement; touched: boolean }>();
  private readonly runBtn: HTMLButtonElement;
  private readonly endBtn: HTMLButtonElement;
  private readonly note: HTMLElement;

  constructor(private readonly race: (racers: Racer[]) => void, kind: 'function' | 'network' = 'function', id = 'race') {
    const from = kind === 'function' ? 'the current start' : 'the same initial weights';
    this.runBtn = el('button', { text: 'Race', attrs: { id: `${id}-run`, type: 'button', title: `Run the checked optimizers together from ${from}` } });
    this.endBtn = el('button', { text: 'End race', attrs: { id: `${id}-end`, type: 'button', hidden: '' } });
    this.note = el('span', { className: 'note', attrs: { id: `${id}-note`, 'aria-live': 'polite' } });
    const items = optimizerMenu(kind).map((o) => {
      const style = RACE_STYLES[o];
      const check = el('input', { attrs: { type: 'checkbox', id: `${id}-${o}`, 'data-optimizer': o } });
      const eta = el('input', { attrs: { type: 'number', id: `${id}-eta-${o}`, min: '0.0001', max: '100', step: 'any', 'aria-label': `η for ${OPTIMIZERS[o].label}` } });
      const entry = { check, eta, touched: false };
      eta.addEventListener('input', () => { entry.touched = true; });
      this.boxes.set(o, entry);
      const label = el('label', { attrs: { for: `${id}-${o}` } }, [markerIcon(style.marker, style.color), ` ${OPTIMIZERS[o].label}`]);
      return el('li', {}, [check, label, el('span', { className: 'eta', text: ' η ' }), eta]);
    });
    this.runBtn.addEventListener('click', () => this.run());
    this.endBtn.addEventListener('click', () => this.race([]));
    this.element = el('fieldset', { className: 'race-picker', attrs: { id: `${id}-picker` } }, [
      el('legend', { text: `Race optimizers from ${from}` }),
      el('ul', {}, items),
      el('div', { className: 'row' }, [this.runBtn, this.endBtn, this.note]),
    ]);
  }

  /** A new view: the η of every optimizer the learner has not set follows the panel's η. */
  setLearningRate(eta: number): void {
    for (const b of this.boxes.values()) if (!b.touched) b.eta.value = String(eta);
  }

  /** Whether a race is shown (End race appears). */
  racing(on: boolean): void {
    this.endBtn.hidden = !on;
  }

  private run(): void {
    const racers: Array<{ optimizer: OptimizerName; learningRate: number }> = [];
    const bad: string[] = [];
    for (const [optimizer, b] of this.boxes) {
      if (!b.check.checked) continue;
      const eta = Number(b.eta.value);
      if (Number.isFinite(eta) && eta > 0 && eta <= 100) racers.push({ optimizer, learningRate: eta });
      else bad.push(OPTIMIZERS[optimizer].label);
    }
    if (bad.length > 0) this.note.textContent = `η must be a number above 0 and at most 100 (${bad.join(', ')})`;
    else if (racers.length < 2) this.note.textContent = 'check two optimizers or more';
    else {
      this.note.textContent = '';
      this.race(racers);
    }
  }
}

/** A chart as a PNG on the theme's background (a bare canvas is transparent: dark-theme text would vanish on white). */
export function pngOf(canvas: HTMLCanvasElement): string {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext('2d') as CanvasRenderingContext2D;
  ctx.fillStyle = getComputedStyle(document.body).backgroundColor || '#fff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  return out.toDataURL('image/png');
}

/** A vertical line on the sweep chart with its label. */
interface Mark { eta: number; label: string; side: 'left' | 'right'; color: string; dash: number[] }

/** The learning-rate sweep: final value and steps against η on log axes, each η's mark, 1/L and 2/L; a click (or ← → Enter) replays an η. */
export class SweepFigure {
  private readonly canvas = el('canvas', { attrs: { id: 'sweep-canvas', tabindex: '0', 'aria-label': 'Learning-rate sweep: final value against η. Left and right arrows pick a learning rate, Enter replays the descent with it', 'aria-describedby': 'sweep-selected' } });
  private readonly caption = el('span', { attrs: { id: 'sweep-caption' } });
  private readonly legend = el('ul', { className: 'legend', attrs: { id: 'sweep-legend' } });
  private readonly selectedLine = el('p', { attrs: { id: 'sweep-selected', 'aria-live': 'polite' } });
  private readonly progress = el('p', { className: 'note', attrs: { id: 'sweep-progress', role: 'status' } });
  readonly saveBtn = el('button', { text: 'Sweep as PNG', attrs: { id: 'save-sweep', type: 'button' } });
  readonly element = el('figure', { className: 'sweep', attrs: { id: 'sweep', hidden: '' } }, [
    this.progress, el('div', { className: 'sweep-chart' }, [this.canvas]),
    el('figcaption', {}, [this.legend, this.caption, ' ', this.saveBtn, this.selectedLine]),
  ]);
  private chart: Chart<'scatter'> | undefined;
  private sweep: SweepView | undefined;
  private view: FunctionView | undefined;
  private selected = -1;
  /** per dataset of the chart, the sweep index of each point */
  private indexOf: number[][] = [];

  constructor(private readonly post: (m: FromWebviewMessage) => void) {
    this.canvas.addEventListener('keydown', (e) => {
      const s = this.sweep;
      if (!s) return;
      const n = s.etas.length;
      const at = this.selected < 0 ? this.closest(s, this.view?.options.learningRate ?? s.etas[0]) : this.selected;
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === 'Home' || e.key === 'End') {
        this.select(e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : Math.max(0, Math.min(n - 1, at + (e.key === 'ArrowRight' ? 1 : -1))));
      } else if (e.key === 'Enter' || e.key === ' ') {
        this.replay(at);
      } else return;
      // the page's own keys (Space plays, ← → step) are not meant here
      e.preventDefault();
      e.stopPropagation();
    });
    this.saveBtn.addEventListener('click', () => this.post({ type: 'saveImage', chart: 'sweep', png: pngOf(this.canvas) }));
  }

  /** The view changed (η, or another function): the current-η line follows; another function hides the sweep. */
  setView(v: FunctionView): void {
    this.view = v;
    this.chart?.update('none');
  }

  hide(): void {
    this.chart?.destroy();
    this.chart = undefined;
    this.sweep = undefined;
    this.element.hidden = true;
  }

  showProgress(done: number, total: number): void {
    this.element.hidden = false;
    this.progress.hidden = false;
    this.progress.textContent = `sweeping the learning rate: ${done} of ${total} rates…`;
  }

  show(s: SweepView): void {
    const keep = this.sweep !== undefined && this.sweep.etas.length === s.etas.length ? this.selected : -1;
    this.sweep = s;
    this.element.hidden = false;
    this.progress.hidden = true;
    this.build(s);
    this.select(keep, false);
  }

  restyle(): void {
    if (this.sweep && !this.element.hidden) this.build(this.sweep);
  }

  private closest(s: SweepView, eta: number): number {
    let best = 0;
    s.etas.forEach((x, k) => { if (Math.abs(Math.log(x / eta)) < Math.abs(Math.log(s.etas[best] / eta))) best = k; });
    return best;
  }

  private outcome(s: SweepView, k: number): string {
    const f = this.view?.name ?? 'f';
    return `η = ${fmt(s.etas[k])}: ${SWEEP_STYLES[s.marks[k]].text}${s.marks[k] === 'other' ? ` (${s.status[k]})` : ''}, ${s.steps[k]} steps, final ${f} = ${fmt(s.finalValue[k])}`;
  }

  private select(k: number, announce = true): void {
    const s = this.sweep;
    if (!s) return;
    this.selected = k;
    this.element.dataset.selected = String(k);
    this.selectedLine.textContent = k >= 0 ? `${this.outcome(s, k)} — Enter (or a click) replays it` : 'Click a point, or focus the chart and use ← → and Enter, to replay the descent at that η.';
    if (!announce) this.selectedLine.removeAttribute('aria-live');
    else this.selectedLine.setAttribute('aria-live', 'polite');
    this.chart?.update('none');
  }

  private replay(k: number): void {
    const s = this.sweep;
    if (!s || k < 0) return;
    this.select(k);
    this.post({ type: 'setOptions', options: { learningRate: s.etas[k] } });
  }

  private build(s: SweepView): void {
    this.chart?.destroy();
    const f = this.view?.name ?? 'f';
    // the value axis is set by the runs that ended somewhere; a run that blew up is drawn at the edge
    const settled = s.finalValue.filter((v, k): v is number => v !== null && s.marks[k] !== 'diverged' && s.marks[k] !== 'unbounded');
    const finite = settled.length > 0 ? settled : s.finalValue.filter((v): v is number => v !== null);
    const log = finite.length > 0 && finite.every((v) => v > 0);
    let lo = finite.length ? Math.min(...finite) : 0;
    let hi = finite.length ? Math.max(...finite) : 1;
    if (log) { lo /= 10; hi *= 10; } else { const pad = (hi - lo) * 0.08 || 1; lo -= pad; hi += pad; }
    const clamp = (v: number | null, mark: SweepMark): number => (v === null ? (mark === 'unbounded' ? lo : hi) : Math.min(hi, Math.max(lo, v)));
    this.indexOf = [];
    const datasets: Array<ChartDataset<'scatter'>> = [];
    const present = (Object.keys(SWEEP_STYLES) as SweepMark[]).filter((m) => s.marks.includes(m));
    for (const mark of present) {
      const style = SWEEP_STYLES[mark];
      const idx = s.etas.map((_, k) => k).filter((k) => s.marks[k] === mark);
      this.indexOf.push(idx);
      datasets.push({
        label: style.text, data: idx.map((k) => ({ x: s.etas[k], y: clamp(s.finalValue[k], mark) })),
        pointStyle: style.marker, pointRadius: 5, pointHoverRadius: 7, borderColor: style.color, backgroundColor: style.color, borderWidth: 2, yAxisID: 'y',
        // a run that blew up sits on the chart's edge: whole, not cut in half
        clip: 8,
      });
    }
    this.indexOf.push(s.etas.map((_, k) => k));
    datasets.push({ label: 'steps taken', data: s.etas.map((x, k) => ({ x, y: s.steps[k] })), showLine: true, pointRadius: 0, borderColor: colors.muted(), borderWidth: 1.5, borderDash: [5, 4], yAxisID: 'steps' });
    const o = baseChartOptions();
    if (!o?.scales || !o.plugins) return;
    const logTicks = { color: colors.muted(), callback: tickLabel(logTick), autoSkip: false, maxRotation: 0 };
    // grid lines at the powers of ten only: the 2…9 × 10ᵏ lines of a log axis crowd a narrow chart
    const decade = (v: number): boolean => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
    o.scales.x = { type: 'logarithmic', min: s.etas[0], max: s.etas[s.etas.length - 1], ticks: logTicks, grid: { color: (c) => (decade(c.tick.value) ? colors.grid() : 'transparent') }, title: { display: true, color: colors.fg(), text: 'learning rate η (log scale)' } };
    o.scales.y = { type: log ? 'logarithmic' : 'linear', min: lo, max: hi, ticks: { color: colors.muted(), callback: tickLabel(log ? logTick : linearTick), includeBounds: false }, grid: { color: colors.grid() }, title: { display: true, color: colors.fg(), text: `final ${f}${log ? ' (log)' : ''}` } };
    o.scales.steps = { type: 'linear', position: 'right', min: 0, max: Math.max(1, s.maxSteps), ticks: { color: colors.muted(), callback: tickLabel(linearTick), maxTicksLimit: 5 }, grid: { display: false }, title: { display: true, color: colors.fg(), text: 'steps' } };
    o.plugins.legend = { display: false };
    o.layout = { padding: { top: 6 } };
    o.plugins.tooltip = { callbacks: { label: (item) => this.outcome(s, this.indexOf[item.datasetIndex]?.[item.dataIndex] ?? 0) } };
    // a click anywhere above or below a rate picks it: the nearest η across (41 points are small targets)
    o.interaction = { mode: 'nearest', axis: 'x', intersect: false };
    o.onClick = (e) => {
      const eta = e.x === null || !this.chart ? undefined : this.chart.scales.x.getValueForPixel(e.x);
      if (eta !== undefined && eta > 0) this.replay(this.closest(s, eta));
    };
    this.chart = new Chart(this.canvas, { type: 'scatter', data: { datasets }, options: o, plugins: [this.lines(s)] });
    // what a test (or a screen reader's user, through the caption) reads
    this.element.dataset.etaLimit = s.etaLimit === null ? '' : String(s.etaLimit);
    this.element.dataset.curvature = s.curvature === null ? '' : String(s.curvature);
    this.element.dataset.marks = JSON.stringify(s.marks);
    this.element.dataset.ms = String(s.ms);
    this.legend.replaceChildren(
      ...present.map((m) => el('li', {}, [markerIcon(SWEEP_STYLES[m].marker, SWEEP_STYLES[m].color), ` ${SWEEP_STYLES[m].text}`])),
      el('li', {}, [el('span', { className: 'swatch dashed', attrs: { 'aria-hidden': 'true' } }), ' steps taken (right axis)']),
    );
    const at = Object.entries(s.start).map(([p, v]) => `${p} = ${fmt(v)}`).join(', ');
    const curvature = s.curvature === null ? ' No run converged, so there is no minimum to measure the curvature L at.'
      : s.etaLimit === null ? ` At the lowest minimum reached the Hessian's largest eigenvalue is L = ${fmt(s.curvature)} (not positive: no 2/L).`
        : ` At the lowest minimum reached the Hessian's largest eigenvalue is L = ${fmt(s.curvature)}: near it gradient descent converges for η < 2/L = ${fmt(s.etaLimit)}, and without overshooting for η < 1/L = ${fmt(1 / s.curvature)}.`;
    this.caption.textContent = `${s.etas.length} learning rates from ${fmt(s.etas[0])} to ${fmt(s.etas[s.etas.length - 1])}, ${OPTIMIZERS[s.optimizer].label} from ${at}, at most ${s.maxSteps} steps each (full batch; computed in ${s.ms} ms, in slices of at most ${s.heldMs} ms).${curvature} A run that blew up is drawn at the chart's edge.`;
  }

  /** 1/L and 2/L as labelled dashed lines, the current η as a solid one, and a ring round the picked rate. */
  private lines(s: SweepView): Plugin<'scatter'> {
    return {
      id: 'gradientLensSweepLines',
      afterDatasetsDraw: (chart) => {
        const { ctx, chartArea: area, scales } = chart;
        const marks: Mark[] = [];
        if (s.curvature !== null && s.curvature > 0) {
          marks.push({ eta: 1 / s.curvature, label: `1/L = ${fmt(1 / s.curvature)}`, side: 'left', color: colors.fg(), dash: [2, 3] });
          marks.push({ eta: 2 / s.curvature, label: `2/L = ${fmt(2 / s.curvature)}`, side: 'right', color: colors.fg(), dash: [7, 4] });
        }
        const eta = this.view?.options.learningRate;
        if (eta !== undefined) marks.push({ eta, label: `η = ${fmt(eta)}`, side: 'right', color: colors.accent(), dash: [] });
        ctx.save();
        ctx.font = `${Math.max(10, Math.round(11 * (chart.width < 360 ? 0.95 : 1)))}px ${getComputedStyle(document.body).fontFamily}`;
        const drawn: Array<{ eta: number; x: number }> = [];
        const boxes: Array<{ left: number; right: number; y: number }> = [];
        for (const m of marks) {
          const x = scales.x.getPixelForValue(m.eta);
          if (!(x >= area.left && x <= area.right)) continue;
          drawn.push({ eta: m.eta, x });
          ctx.strokeStyle = m.color;
          ctx.setLineDash(m.dash);
          ctx.lineWidth = m.dash.length ? 1.5 : 2;
          ctx.beginPath();
          ctx.moveTo(x, area.top);
          ctx.lineTo(x, area.bottom);
          ctx.stroke();
          // the label beside its line, inside the plot: 1/L to the left, 2/L and η to the right (flipped at the edges)
          const w = ctx.measureText(m.label).width;
          let left = m.side === 'left' ? x - 4 - w : x + 4;
          if (left < area.left + 2) left = x + 4;
          if (left + w > area.right - 2) left = x - 4 - w;
          // a row lower where it would cover a label already drawn (1/L and 2/L are close on a narrow chart)
          let y = area.top + 12;
          while (boxes.some((b) => b.y === y && left < b.right + 4 && left + w > b.left - 4)) y += 14;
          boxes.push({ left, right: left + w, y });
          ctx.fillStyle = getComputedStyle(document.body).backgroundColor || '#fff';
          ctx.globalAlpha = 0.85;
          ctx.fillRect(left - 2, y - 10, w + 4, 13);
          ctx.globalAlpha = 1;
          ctx.fillStyle = m.color;
          ctx.fillText(m.label, left, y);
        }
        this.element.dataset.lines = JSON.stringify(drawn.map((d) => [d.eta, Math.round(d.x * 10) / 10]));
        const k = this.selected;
        if (k >= 0) {
          const d = this.indexOf.findIndex((idx) => idx.includes(k));
          const meta = d >= 0 ? chart.getDatasetMeta(d) : undefined;
          const pt = meta?.data[this.indexOf[d].indexOf(k)];
          if (pt) {
            ctx.setLineDash([]);
            ctx.strokeStyle = colors.fg();
            ctx.lineWidth = 2;
            ctx.beginPath();
            ctx.arc(pt.x, pt.y, 9, 0, 2 * Math.PI);
            ctx.stroke();
          }
        }
        ctx.restore();
      },
    };
  }
}
