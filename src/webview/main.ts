/**
 * The panel's UI. It renders the view the host computed (descent trace,
 * curve or contour, formulas) and animates through its steps; every change
 * of a control is reported to the host as intent, never computed here.
 */
import {
  Chart, LinearScale, LogarithmicScale, LineController, LineElement, PointElement, ScatterController, Tooltip, Legend,
  type ChartConfiguration, type ChartDataset, type Plugin,
} from 'chart.js';
import katex from 'katex';
import { FromWebviewMessage, FunctionView, parseToWebview } from '../protocol';
import { el, fmt, themeColor } from './dom';
import { Grid, arrow, heatmapPlugin } from './heatmap';
import { BackpropView } from './backprop';
import { NetworkPanel } from './network';

Chart.register(LinearScale, LogarithmicScale, LineController, LineElement, PointElement, ScatterController, Tooltip, Legend);

interface VsCodeApi {
  postMessage(m: FromWebviewMessage): void;
  setState(s: unknown): void;
  getState(): unknown;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();
const post = (m: FromWebviewMessage): void => vscode.postMessage(m);

const app = document.getElementById('app') as HTMLElement;

// ------------------------------------------------------------------ state

let view: FunctionView | undefined;
let current = 0;
let playing = false;
let timer: number | undefined;
let speed = 4; // steps per second
let speedTouched = false;
let logLoss = false;
let finishedReported = false;

const colors = {
  fg: () => themeColor('--vscode-editor-foreground', '#333'),
  muted: () => themeColor('--vscode-descriptionForeground', '#777'),
  accent: () => themeColor('--vscode-charts-orange', '#e8912d'),
  path: () => themeColor('--vscode-charts-red', '#e51400'),
  curve: () => themeColor('--vscode-charts-blue', '#1a85ff'),
  tangent: () => themeColor('--vscode-charts-green', '#388a34'),
  grid: () => themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)'),
};

// ------------------------------------------------------------------ layout (built once)

const header = el('header', { className: 'formula' });
const problem = el('div', { className: 'problem', attrs: { role: 'alert', hidden: '' } });
const warnings = el('ul', { className: 'warnings' });
const status = el('div', { className: 'status', attrs: { id: 'status', role: 'status' } });

const btn = (label: string, title: string, id: string): HTMLButtonElement => el('button', { text: label, title, attrs: { id, type: 'button', 'aria-label': title } });
const playBtn = btn('▶ Play', 'Play / pause the descent', 'play');
const backBtn = btn('◀ Step', 'One step back', 'back');
const fwdBtn = btn('Step ▶', 'One step forward', 'forward');
const resetBtn = btn('⟲ Reset', 'Back to the start point', 'reset');
const speedInput = el('input', { attrs: { id: 'speed', type: 'range', min: '1', max: '30', step: '1', value: String(speed), 'aria-label': 'Animation speed (steps per second)' } });
const lrInput = el('input', { attrs: { id: 'lr', type: 'range', min: '-4', max: '1', step: '0.01', 'aria-label': 'Learning rate η (log scale)' } });
const lrLabel = el('output', { attrs: { id: 'lr-value', for: 'lr' } });
const optimizerSelect = el('select', { attrs: { id: 'optimizer', 'aria-label': 'Optimizer' } },
  ['gd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'].map((o) => el('option', { text: o === 'gd' ? 'gradient descent' : o, attrs: { value: o } })));
const stepsInput = el('input', { attrs: { id: 'max-steps', type: 'number', min: '1', max: '10000', step: '1', 'aria-label': 'Step limit' } });
const startFields = el('span', { className: 'start-fields' });
const logToggle = el('input', { attrs: { id: 'log-loss', type: 'checkbox', 'aria-label': 'Logarithmic loss axis' } });

const controls = el('section', { className: 'controls' }, [
  el('div', { className: 'row' }, [playBtn, backBtn, fwdBtn, resetBtn, el('label', { text: 'speed ' }, [speedInput])]),
  el('div', { className: 'row' }, [
    el('label', { text: 'η ' }, [lrInput]), lrLabel,
    el('label', { text: 'optimizer ' }, [optimizerSelect]),
    el('label', { text: 'step limit ' }, [stepsInput]),
  ]),
  el('div', { className: 'row' }, [el('span', { text: 'start ' }), startFields]),
]);

const plotCanvas = el('canvas', { attrs: { id: 'plot-canvas', 'aria-label': 'Function and descent path' } });
const plotFigure = el('figure', { className: 'plot', attrs: { id: 'plot' } }, [plotCanvas, el('figcaption', { attrs: { id: 'plot-caption' } })]);
const lossCanvas = el('canvas', { attrs: { id: 'loss-canvas', 'aria-label': 'Loss by step' } });
const lossFigure = el('figure', { className: 'loss', attrs: { id: 'loss' } }, [lossCanvas, el('figcaption', {}, ['f by step ', el('label', {}, [logToggle, ' log scale'])])]);
const trajCanvas = el('canvas', { attrs: { id: 'trajectory-canvas', 'aria-label': 'Parameters by step' } });
const sliceX = el('select', { attrs: { id: 'slice-x', 'aria-label': 'Slice: horizontal parameter' } });
const sliceY = el('select', { attrs: { id: 'slice-y', 'aria-label': 'Slice: vertical parameter' } });
const trajFigure = el('figure', { className: 'trajectory', attrs: { id: 'trajectory', hidden: '' } }, [trajCanvas, el('figcaption', {}, ['parameters by step; slice over ', sliceX, ' × ', sliceY])]);
const updateRule = el('section', { className: 'update', attrs: { id: 'update', 'aria-live': 'polite' } });
const tableBody = el('tbody');
const stepTable = el('table', { className: 'steps', attrs: { id: 'steps' } }, [el('thead'), tableBody]);
const backprop = new BackpropView((m) => post(m));

const functionSection = el('section', { attrs: { id: 'function-view' } }, [
  header, warnings, controls, status,
  el('div', { className: 'charts' }, [plotFigure, lossFigure, trajFigure]),
  updateRule,
  backprop.element,
  el('details', { className: 'table', attrs: { open: '' } }, [el('summary', { text: 'Steps: the update rule with numbers' }), el('div', { className: 'scroll' }, [stepTable])]),
]);
const network = new NetworkPanel((m) => post(m));
app.replaceChildren(problem, functionSection, network.element);

// ------------------------------------------------------------------ charts

let grid: Grid | undefined;
const overlay: Plugin<'scatter'> = {
  id: 'gradientLensOverlay',
  afterDatasetsDraw(chart) {
    if (!view) return;
    const { ctx, scales } = chart;
    const px = (x: number): number => scales.x.getPixelForValue(x);
    const py = (y: number): number => scales.y.getPixelForValue(y);
    const steps = view.steps;
    const upto = Math.min(current, steps.length - 1);
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
        // the step direction −∇f, drawn at a visible length
        const gx = -(g[xi] as number);
        const gy = -(g[yi] as number);
        const n = Math.hypot(px(x + gx) - px(x), py(y + gy) - py(y));
        if (n > 0) {
          const scale = 40 / n;
          arrow(ctx, px(x), py(y), px(x + gx * scale), py(y + gy * scale), colors.accent(), 2.5);
        }
      }
    }
  },
};

let plotChart: Chart<'scatter'> | undefined;
let lossChart: Chart<'line'> | undefined;
let trajChart: Chart<'line'> | undefined;

function baseOptions(): ChartConfiguration<'scatter'>['options'] {
  const tick = { color: colors.muted() };
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { labels: { color: colors.fg(), boxWidth: 12 } }, tooltip: { enabled: true } },
    scales: {
      x: { type: 'linear', ticks: tick, grid: { color: colors.grid() }, title: { display: true, color: colors.fg(), text: '' } },
      y: { type: 'linear', ticks: tick, grid: { color: colors.grid() }, title: { display: true, color: colors.fg(), text: '' } },
    },
  };
}

function buildPlot(v: FunctionView): void {
  plotChart?.destroy();
  const options = baseOptions();
  const ds: Array<ChartDataset<'scatter'>> = [];
  if (v.plot.kind === 'curve') {
    grid = undefined;
    const pts = v.plot.xs.map((x, i) => ({ x, y: v.plot.kind === 'curve' ? v.plot.ys[i] : null })).filter((p): p is { x: number; y: number } => p.y !== null);
    ds.push({ label: `${v.name ?? 'f'}(${v.params[0]})`, data: pts, showLine: true, pointRadius: 0, borderColor: colors.curve(), borderWidth: 2 });
    ds.push({ label: 'tangent (slope f′)', data: [], showLine: true, pointRadius: 0, borderColor: colors.tangent(), borderWidth: 1.5, borderDash: [6, 4] });
    if (options?.scales?.x?.title) options.scales.x.title.text = v.params[0];
    if (options?.scales?.y?.title) options.scales.y.title.text = v.name ?? 'f';
    const ys = pts.map((p) => p.y);
    const [lo, hi] = [Math.min(...ys), Math.max(...ys)];
    if (options?.scales?.y && Number.isFinite(lo) && Number.isFinite(hi)) {
      const pad = (hi - lo) * 0.08 || 1;
      Object.assign(options.scales.y, { min: lo - pad, max: hi + pad });
    }
    if (options?.scales?.x) Object.assign(options.scales.x, { min: v.plot.xs[0], max: v.plot.xs[v.plot.xs.length - 1] });
    if (options) {
      const param = v.params[0];
      options.onClick = (event) => {
        if (!plotChart || event.x === null) return;
        const x = plotChart.scales.x.getValueForPixel(event.x);
        if (x !== undefined) post({ type: 'setOptions', options: { start: { [param]: round(x) } } });
      };
    }
  } else {
    const p = v.plot;
    grid = { nx: p.x.n, ny: p.y.n, xmin: p.x.min, xmax: p.x.max, ymin: p.y.min, ymax: p.y.max, values: p.values };
    if (options?.scales?.x) Object.assign(options.scales.x, { min: p.x.min, max: p.x.max, title: { display: true, text: p.x.param, color: colors.fg() } });
    if (options?.scales?.y) Object.assign(options.scales.y, { min: p.y.min, max: p.y.max, title: { display: true, text: p.y.param, color: colors.fg() } });
    if (options) {
      options.onClick = (event) => {
        if (!plotChart || !view || event.x === null || event.y === null) return;
        const x = plotChart.scales.x.getValueForPixel(event.x);
        const y = plotChart.scales.y.getValueForPixel(event.y);
        if (x === undefined || y === undefined) return;
        const start = { ...view.options.start, [p.x.param]: round(x), [p.y.param]: round(y) };
        post({ type: 'setOptions', options: { start } });
      };
    }
  }
  ds.push({ label: 'descent path', data: [], showLine: true, pointRadius: 3, borderColor: colors.path(), backgroundColor: colors.path(), borderWidth: 2 });
  ds.push({ label: 'current step', data: [], pointRadius: 7, pointStyle: 'circle', borderColor: colors.fg(), backgroundColor: colors.accent(), borderWidth: 2 });
  plotChart = new Chart(plotCanvas, { type: 'scatter', data: { datasets: ds }, options, plugins: [heatmapPlugin(() => grid, colors.fg), overlay] });
  const caption = document.getElementById('plot-caption') as HTMLElement;
  caption.textContent = v.plot.kind === 'curve'
    ? `the curve, the path, the tangent at the current point and each step −η·f′(${v.params[0]}) as an arrow; click to start from there`
    : v.params.length === 2
      ? 'heat map and contour lines of f, the path, and the descent direction −∇f at the current point; click to start from there'
      : `slice through the current step over ${v.plot.x.param} and ${v.plot.y.param} (other parameters fixed); click to start from there`;
}

function buildLoss(v: FunctionView): void {
  lossChart?.destroy();
  const values = v.steps.map((s) => s.value);
  const positive = values.every((x) => x === null || x > 0);
  const min = Math.min(...values.filter((x): x is number => x !== null));
  const shifted = logLoss && !positive;
  const data = values.map((y, k) => ({ x: k, y: y === null ? null : shifted ? y - min + 1e-12 : y }));
  const o = baseOptions() as ChartConfiguration<'line'>['options'];
  if (o?.scales?.y) Object.assign(o.scales.y, { type: logLoss ? 'logarithmic' : 'linear', title: { display: true, color: colors.fg(), text: shifted ? 'f − min f' : (v.name ?? 'f') } });
  if (o?.scales?.x) Object.assign(o.scales.x, { min: 0, max: Math.max(1, v.steps.length - 1), title: { display: true, color: colors.fg(), text: 'step' } });
  lossChart = new Chart(lossCanvas, {
    type: 'line',
    data: { datasets: [
      { label: v.name ?? 'f', data: data as Array<{ x: number; y: number }>, borderColor: colors.curve(), pointRadius: 0, borderWidth: 2, spanGaps: false },
      { label: 'current', data: [], borderColor: colors.fg(), backgroundColor: colors.accent(), pointRadius: 6, showLine: false },
    ] },
    options: o,
  });
}

function buildTrajectories(v: FunctionView): void {
  trajChart?.destroy();
  trajChart = undefined;
  if (v.params.length <= 2) {
    trajFigure.hidden = true;
    return;
  }
  trajFigure.hidden = false;
  const palette = ['--vscode-charts-blue', '--vscode-charts-red', '--vscode-charts-green', '--vscode-charts-orange', '--vscode-charts-purple', '--vscode-charts-yellow'];
  const fallback = ['#1a85ff', '#e51400', '#388a34', '#e8912d', '#652d90', '#bf8803'];
  const o = baseOptions() as ChartConfiguration<'line'>['options'];
  if (o?.scales?.x) Object.assign(o.scales.x, { title: { display: true, color: colors.fg(), text: 'step' } });
  trajChart = new Chart(trajCanvas, {
    type: 'line',
    data: { datasets: v.params.map((p, i) => ({
      label: p,
      data: v.steps.map((s, k) => ({ x: k, y: s.point[i] })) as Array<{ x: number; y: number }>,
      borderColor: themeColor(palette[i % palette.length], fallback[i % fallback.length]),
      pointRadius: 0, borderWidth: 2,
    })) },
    options: o,
  });
  for (const sel of [sliceX, sliceY]) {
    sel.replaceChildren(...v.params.map((p) => el('option', { text: p, attrs: { value: p } })));
  }
  if (v.plot.kind === 'contour') {
    sliceX.value = v.plot.x.param;
    sliceY.value = v.plot.y.param;
  }
}

// ------------------------------------------------------------------ rendering

function tex(target: HTMLElement, source: string, fallback: string): void {
  try {
    katex.render(source, target, { throwOnError: true, displayMode: false, output: 'html' });
  } catch {
    target.textContent = fallback;
  }
}

function renderHeader(v: FunctionView): void {
  const f = v.name ?? 'f';
  const fx = el('div', { className: 'tex', attrs: { id: 'formula' } });
  tex(fx, `${texName(f)}(${v.params.map(texName).join(', ')}) = ${v.expressionTex}`, `${v.title} = ${v.expression}`);
  const parts = el('div', { className: 'partials', attrs: { id: 'partials' } });
  for (const p of v.params) {
    const d = el('div', { className: 'tex' });
    const g = v.gradientTex[p];
    if (g) tex(d, `\\frac{\\partial ${texName(f)}}{\\partial ${texName(p)}} = ${g}`, `∂${f}/∂${p}`);
    else d.textContent = `∂${f}/∂${p}: not computed symbolically`;
    parts.append(d);
  }
  header.replaceChildren(el('h1', { text: `${v.title} — ${v.file}` }), fx, parts, ...(v.symbolicNote ? [el('p', { className: 'note', text: v.symbolicNote })] : []));
  warnings.replaceChildren(...v.warnings.map((w) => el('li', { text: `⚠ ${w}` })));
}

function texName(s: string): string {
  const m = /^(.*?)_?(\d+)$/.exec(s);
  const base = (m ? m[1] : s).replace(/_/g, '\\_');
  const body = base.length > 1 && !/^[\u0370-\u03ff]$/.test(base) ? `\\mathrm{${base}}` : base;
  return m ? `${body}_{${m[2]}}` : body;
}

function renderControls(v: FunctionView): void {
  lrInput.value = String(Math.log10(v.options.learningRate));
  lrLabel.textContent = `η = ${fmt(v.options.learningRate)}`;
  optimizerSelect.value = v.options.optimizer === 'sgd' ? 'gd' : v.options.optimizer;
  stepsInput.value = String(v.options.maxSteps);
  startFields.replaceChildren(...v.params.map((p) => {
    const input = el('input', { attrs: { type: 'number', step: 'any', value: String(v.options.start[p]), 'data-param': p, 'aria-label': `start value of ${p}` } });
    input.addEventListener('change', () => {
      const x = Number(input.value);
      if (Number.isFinite(x)) post({ type: 'setOptions', options: { start: { [p]: x } } });
    });
    return el('label', { text: `${p} = ` }, [input]);
  }));
}

/** Everything that depends on the current step. */
function renderStep(): void {
  if (!view) return;
  const v = view;
  const steps = v.steps;
  current = Math.max(0, Math.min(current, steps.length - 1));
  const s = steps[current];
  plotFigure.dataset.step = String(current);
  if (plotChart) {
    const ds = plotChart.data.datasets;
    const path = ds[ds.length - 2];
    const dot = ds[ds.length - 1];
    let pts: Array<{ x: number; y: number }>;
    if (v.plot.kind === 'curve') {
      pts = steps.slice(0, current + 1).filter((t) => t.point[0] !== null && t.value !== null).map((t) => ({ x: t.point[0] as number, y: t.value as number }));
      const w = s.point[0];
      const g = s.gradient[0];
      const tangent = ds[1];
      if (w !== null && g !== null && s.value !== null) {
        const half = (v.plot.xs[v.plot.xs.length - 1] - v.plot.xs[0]) / 8;
        tangent.data = [{ x: w - half, y: s.value - g * half }, { x: w + half, y: s.value + g * half }];
      } else tangent.data = [];
    } else {
      const [xi, yi] = [v.plot.x.index, v.plot.y.index];
      pts = steps.slice(0, current + 1).filter((t) => t.point[xi] !== null && t.point[yi] !== null).map((t) => ({ x: t.point[xi] as number, y: t.point[yi] as number }));
    }
    path.data = pts;
    dot.data = pts.length > 0 ? [pts[pts.length - 1]] : [];
    plotFigure.dataset.path = JSON.stringify(pts.map((p) => [round(p.x), round(p.y)]));
    plotChart.update('none');
  }
  if (lossChart) {
    const cur = lossChart.data.datasets[1];
    const y = (lossChart.data.datasets[0].data[current] as { y: number | null } | undefined)?.y;
    cur.data = y === null || y === undefined ? [] : [{ x: current, y }];
    lossChart.update('none');
  }
  renderUpdateRule(v, current);
  renderTable(v, current);
  backprop.showStep(v, current);
  const last = steps.length - 1;
  const where = current === last ? statusText(v) : `step ${current} of ${last}`;
  status.textContent = `${where} — ${v.name ?? 'f'} = ${fmt(s.value)}`;
  status.className = `status ${current === last ? v.status : 'running'}`;
  playBtn.textContent = playing ? '❚❚ Pause' : '▶ Play';
  post({ type: 'step', step: current });
  if (current === last && !finishedReported) {
    finishedReported = true;
    post({ type: 'finished', step: current, status: v.status });
  }
}

function statusText(v: FunctionView): string {
  return v.statusMessage;
}

function renderUpdateRule(v: FunctionView, k: number): void {
  const s = v.steps[k];
  const f = v.name ?? 'f';
  updateRule.replaceChildren(el('h2', { text: k < v.steps.length - 1 ? `Update at step ${k}` : `Step ${k} (last)` }));
  if (!s.update) {
    updateRule.append(el('p', { text: v.statusMessage }));
    return;
  }
  const eta = v.options.learningRate;
  v.params.forEach((p, i) => {
    const x = s.point[i];
    const g = s.gradient[i];
    const d = s.update?.[i] ?? null;
    const next = x !== null && d !== null ? x - d : null;
    const line = el('div', { className: 'tex rule' });
    const P = texName(p);
    const F = texName(f);
    const src = v.options.optimizer === 'gd' || v.options.optimizer === 'sgd'
      ? `${P} \\leftarrow ${P} - \\eta\\,\\frac{\\partial ${F}}{\\partial ${P}} = ${num(x)} - ${num(eta)} \\times ${paren(g)} = ${num(next)}`
      : `${P} \\leftarrow ${P} - \\Delta_{${P}} = ${num(x)} - ${paren(d)} = ${num(next)} \\quad (\\partial ${F}/\\partial ${P} = ${num(g)},\\ \\text{${v.options.optimizer}})`;
    tex(line, src, `${p} ← ${fmt(x)} − ${fmt(d)} = ${fmt(next)}`);
    updateRule.append(line);
  });
}

function num(x: number | null | undefined): string {
  const s = fmt(x);
  return s.includes('e') ? s.replace(/e([+-]?)(\d+)/, (_m, sign: string, e: string) => `\\times 10^{${sign === '-' ? '-' : ''}${e}}`) : s === 'undefined' ? '\\text{undefined}' : s;
}
function paren(x: number | null | undefined): string {
  return x !== null && x !== undefined && x < 0 ? `(${num(x)})` : num(x);
}

function renderTable(v: FunctionView, k: number): void {
  const thead = stepTable.tHead as HTMLTableSectionElement;
  const f = v.name ?? 'f';
  if (thead.childElementCount === 0 || thead.dataset.for !== v.title) {
    thead.dataset.for = v.title;
    thead.replaceChildren(el('tr', {}, ['step', ...v.params, f, ...v.params.map((p) => `∂${f}/∂${p}`), ...v.params.map((p) => `Δ${p} = η·∂${f}/∂${p}`)].map((h) => el('th', { text: h, attrs: { scope: 'col' } }))));
  }
  // A window of rows around the current step keeps the table light for long runs.
  const from = Math.max(0, k - 12);
  const to = Math.min(v.steps.length, from + 25);
  tableBody.replaceChildren(...v.steps.slice(from, to).map((s, j) => {
    const i = from + j;
    const row = el('tr', { className: i === k ? 'current' : '' }, [
      String(i), ...s.point.map(fmt), fmt(s.value), ...s.gradient.map(fmt), ...v.params.map((_, q) => (s.update ? fmt(s.update[q]) : '')),
    ].map((c) => el('td', { text: c })));
    row.addEventListener('click', () => { pause(); current = i; renderStep(); });
    return row;
  }));
}

// ------------------------------------------------------------------ animation

function play(): void {
  if (!view) return;
  if (current >= view.steps.length - 1) current = 0;
  playing = true;
  schedule();
  renderStep();
}

function pause(): void {
  playing = false;
  if (timer !== undefined) window.clearTimeout(timer);
  timer = undefined;
  playBtn.textContent = '▶ Play';
}

function schedule(): void {
  if (timer !== undefined) window.clearTimeout(timer);
  timer = window.setTimeout(() => {
    timer = undefined;
    if (!playing || !view) return;
    if (current < view.steps.length - 1) {
      current++;
      renderStep();
    }
    if (current >= view.steps.length - 1) pause();
    else schedule();
  }, 1000 / speed);
}

playBtn.addEventListener('click', () => (playing ? pause() : play()));
backBtn.addEventListener('click', () => { pause(); current--; renderStep(); });
fwdBtn.addEventListener('click', () => { pause(); current++; renderStep(); });
resetBtn.addEventListener('click', () => { pause(); current = 0; finishedReported = false; renderStep(); });
speedInput.addEventListener('input', () => { speedTouched = true; speed = Number(speedInput.value); if (playing) schedule(); });
lrInput.addEventListener('input', () => { lrLabel.textContent = `η = ${fmt(10 ** Number(lrInput.value))}`; });
lrInput.addEventListener('change', () => post({ type: 'setOptions', options: { learningRate: round(10 ** Number(lrInput.value)) } }));
optimizerSelect.addEventListener('change', () => post({ type: 'setOptions', options: { optimizer: optimizerSelect.value as 'gd' } }));
stepsInput.addEventListener('change', () => {
  const n = Math.round(Number(stepsInput.value));
  if (n >= 1 && n <= 10000) post({ type: 'setOptions', options: { maxSteps: n } });
});
logToggle.addEventListener('change', () => { logLoss = logToggle.checked; if (view) { buildLoss(view); renderStep(); } });
const sliceChanged = (): void => { if (sliceX.value !== sliceY.value) post({ type: 'slice', x: sliceX.value, y: sliceY.value, step: current }); };
sliceX.addEventListener('change', sliceChanged);
sliceY.addEventListener('change', sliceChanged);
document.addEventListener('keydown', (e) => {
  if ((e.target as HTMLElement).tagName === 'INPUT' || (e.target as HTMLElement).tagName === 'SELECT') return;
  if (e.key === ' ') { e.preventDefault(); if (playing) pause(); else play(); }
  else if (e.key === 'ArrowRight') { pause(); current++; renderStep(); }
  else if (e.key === 'ArrowLeft') { pause(); current--; renderStep(); }
});

function round(x: number): number {
  return Number(x.toPrecision(6));
}

// ------------------------------------------------------------------ messages

window.addEventListener('message', (event: MessageEvent) => {
  const m = parseToWebview(event.data);
  if (!m) {
    console.warn('Gradient Lens: dropped an unknown message', event.data);
    return;
  }
  switch (m.type) {
    case 'showNetwork':
      pause();
      view = undefined;
      functionSection.hidden = true;
      problem.hidden = true;
      vscode.setState(m.restore);
      network.show(m.view);
      break;
    case 'networkFrame':
      network.update(m.frame);
      break;
    case 'show': {
      network.hide();
      functionSection.hidden = false;
      const sameFunction = view?.title === m.view.title && view?.expression === m.view.expression;
      view = m.view;
      vscode.setState(m.restore);
      problem.hidden = true;
      renderHeader(view);
      renderControls(view);
      buildPlot(view);
      buildLoss(view);
      buildTrajectories(view);
      backprop.setView(view);
      // Long runs play faster (about 8 s in all) until the user sets the speed.
      if (!speedTouched) {
        speed = Math.min(30, Math.max(4, Math.round(view.steps.length / 8)));
        speedInput.value = String(speed);
      }
      // A new descent (new η, start, …) plays from its start.
      current = 0;
      finishedReported = false;
      pause();
      renderStep();
      if (!sameFunction || view.steps.length > 1) play();
      break;
    }
    case 'graph':
      if (view) backprop.setGraph(m.graph, m.step);
      break;
    case 'problem':
      problem.hidden = false;
      problem.textContent = `${m.location}: ${m.message}`;
      break;
    case 'control':
      if (m.action === 'play') play();
      else if (m.action === 'pause') pause();
      else if (m.action === 'reset') { pause(); current = 0; renderStep(); }
      else if (m.action === 'end' && view) { pause(); current = view.steps.length - 1; renderStep(); }
      break;
  }
});

// VS Code changes the theme by rewriting CSS variables and body classes; the
// charts read their colours when built, so they are rebuilt.
let restyleTimer: number | undefined;
const restyle = (): void => {
  if (restyleTimer !== undefined) window.clearTimeout(restyleTimer);
  restyleTimer = window.setTimeout(() => {
    if (view && !functionSection.hidden) {
      buildPlot(view);
      buildLoss(view);
      buildTrajectories(view);
      renderStep();
    }
    network.restyle();
  }, 50);
};
const themeWatch = new MutationObserver(restyle);
themeWatch.observe(document.body, { attributes: true, attributeFilter: ['class'] });
themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });

post({ type: 'ready' });
