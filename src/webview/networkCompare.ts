/**
 * Comparing in the network view: a race of optimizers from the same initial
 * weights (their loss curves overlaid, each in its Okabe–Ito colour, marker
 * and dash, with a legend saying how each ended), and the loss landscape
 * around the current weights with the training path on it. The network's
 * engine computes both (in slices, beside training); this draws them and
 * reports intent.
 */
import { Chart, type ChartConfiguration, type ChartDataset, type ScriptableContext } from 'chart.js';
import type { FromWebviewMessage, LandscapeView, NetworkFrame, NetworkRaceView, NetworkTask, NetworkView } from '../protocol';
import { OPTIMIZERS } from '../core/optimizers';
import { el, fmt } from './dom';
import { baseChartOptions, colors } from './chartTheme';
import { RACE_STYLES, RacePicker, markerIcon } from './compareView';
import { Grid, heatmapPlugin } from './heatmap';
import { linearTick, logTick, tickLabel } from './ticks';

/** A race's curves keep at most this many points each (every k-th epoch and the last): a long run stays quick to draw. */
const MAX_CURVE_POINTS = 1000;

type RaceRun = NetworkRaceView['runs'][number];

/** How a racer's run ended, for its legend entry. */
export function networkRaceOutcome(r: RaceRun): string {
  const head = `${OPTIMIZERS[r.optimizer].label}, η = ${fmt(r.learningRate)}`;
  const n = r.losses.length;
  if (r.status === 'diverged') return `${head}: diverged at epoch ${n - 1} (the loss was no longer finite)`;
  let best = -1;
  r.losses.forEach((l, k) => { if (l !== null && (best < 0 || l < (r.losses[best] as number))) best = k; });
  const last = r.losses[n - 1];
  return `${head}: final loss ${fmt(last)} after ${n} epochs${best >= 0 && best < n - 1 ? `; lowest ${fmt(r.losses[best])} at epoch ${best}` : ''}`;
}

export class NetworkCompare {
  readonly element: HTMLElement;
  private readonly picker: RacePicker;
  private readonly raceCanvas = el('canvas', { attrs: { id: 'net-race-canvas', role: 'img', 'aria-label': 'The racers\' loss by epoch' } });
  private readonly raceLegend = el('ul', { className: 'legend', attrs: { id: 'net-race-legend' } });
  private readonly raceCaption = el('p', { className: 'note', attrs: { id: 'net-race-caption' } });
  private readonly raceProgress = el('p', { className: 'note', attrs: { id: 'net-race-progress', role: 'status' } });
  private readonly raceFigure = el('figure', { className: 'net-race', attrs: { id: 'net-race', hidden: '' } }, [
    el('div', { className: 'compare-chart' }, [this.raceCanvas]), el('figcaption', {}, [this.raceLegend, this.raceCaption]),
  ]);
  private readonly landscapeBtn = el('button', { text: 'Loss landscape', attrs: { id: 'net-landscape-open', type: 'button', title: 'The loss around the current weights on a plane of two filter-normalised random directions, with the training path' } });
  private readonly landscapeProgress = el('p', { className: 'note', attrs: { id: 'net-landscape-progress', role: 'status' } });
  private readonly landscapeCanvas = el('canvas', { attrs: { id: 'net-landscape-canvas', role: 'img' } });
  private readonly landscapeCaption = el('p', { attrs: { id: 'net-landscape-caption' } });
  private readonly landscapeFigure = el('figure', { className: 'net-landscape', attrs: { id: 'net-landscape', hidden: '' } }, [
    el('div', { className: 'landscape-chart' }, [this.landscapeCanvas]), el('figcaption', {}, [this.landscapeCaption]),
  ]);
  private race: NetworkRaceView | undefined;
  private raceChart: Chart<'line'> | undefined;
  private landscape: LandscapeView | undefined;
  private landscapeChart: Chart<'scatter'> | undefined;
  private grid: Grid | undefined;

  constructor(private readonly post: (m: FromWebviewMessage) => void) {
    this.picker = new RacePicker((racers) => {
      this.raceProgress.textContent = racers.length ? 'racing…' : '';
      this.post({ type: 'networkRace', racers });
    }, 'network', 'net-race');
    this.landscapeBtn.addEventListener('click', () => {
      this.landscapeProgress.textContent = 'computing the landscape…';
      this.post({ type: 'landscape' });
    });
    this.element = el('section', { className: 'net-compare', attrs: { id: 'net-compare', 'aria-label': 'Compare optimizers and see the loss landscape' } }, [
      this.picker.element, this.raceProgress, this.raceFigure,
      el('div', { className: 'row' }, [this.landscapeBtn, this.landscapeProgress]), this.landscapeFigure,
    ]);
  }

  /** A new view: the picker's η follows the panel's. */
  setView(v: NetworkView): void {
    this.picker.setLearningRate(v.optimizer.learningRate);
  }

  progress(task: NetworkTask, done: number, total: number): void {
    if (task === 'race') this.raceProgress.textContent = `racing: ${done} of ${total} epochs trained…`;
    else this.landscapeProgress.textContent = `computing the landscape: ${done} of ${total} points…`;
  }

  restyle(): void {
    if (this.race) this.buildRace(this.race);
    if (this.landscape) this.buildLandscape(this.landscape);
  }

  setRace(race: NetworkRaceView | null): void {
    this.race = race ?? undefined;
    this.picker.racing(Boolean(race));
    this.raceFigure.hidden = !race;
    this.raceProgress.textContent = race ? `raced in ${race.ms.toFixed(0)} ms, in slices of at most ${race.heldMs.toFixed(0)} ms beside training` : '';
    this.raceChart?.destroy();
    this.raceChart = undefined;
    if (race) this.buildRace(race);
  }

  setLandscape(l: LandscapeView | null): void {
    this.landscape = l ?? undefined;
    this.landscapeFigure.hidden = !l;
    this.landscapeProgress.textContent = '';
    this.landscapeChart?.destroy();
    this.landscapeChart = undefined;
    if (l) {
      this.landscapeBtn.textContent = 'Landscape at the current weights';
      this.buildLandscape(l);
    } else this.landscapeBtn.textContent = 'Loss landscape';
  }

  private buildRace(race: NetworkRaceView): void {
    this.raceChart?.destroy();
    const all = race.runs.flatMap((r) => r.losses).filter((x): x is number => x !== null);
    const log = all.length > 0 && all.every((x) => x > 0);
    const o = baseChartOptions() as ChartConfiguration<'line'>['options'];
    if (!o?.scales || !o.plugins) return;
    Object.assign(o.scales.x ?? {}, { min: 0, max: Math.max(1, race.epochs - 1), title: { display: true, color: colors.fg(), text: 'epoch' } });
    Object.assign(o.scales.y ?? {}, { type: log ? 'logarithmic' : 'linear', ticks: { color: colors.muted(), callback: tickLabel(log ? logTick : linearTick) }, title: { display: true, color: colors.fg(), text: `loss${log ? ' (log)' : ''}` } });
    o.plugins.legend = { display: false };
    const datasets = race.runs.map((r): ChartDataset<'line'> => {
      const st = RACE_STYLES[r.optimizer];
      const stride = Math.max(1, Math.ceil(r.losses.length / MAX_CURVE_POINTS));
      const data = r.losses.flatMap((y, k) => (k % stride === 0 || k === r.losses.length - 1 ? [{ x: k, y: y ?? Number.NaN }] : []));
      const every = Math.max(1, Math.ceil(data.length / 12));
      return {
        label: OPTIMIZERS[r.optimizer].label, data, borderColor: st.color, backgroundColor: st.color, borderDash: st.dash, borderWidth: 2,
        pointStyle: st.marker, pointBorderWidth: 1.5, spanGaps: false,
        // a marker every twelfth of the run, and a larger one on its last epoch: told apart without colour
        pointRadius: (ctx: ScriptableContext<'line'>) => (ctx.dataIndex === data.length - 1 ? 6 : ctx.dataIndex % every === 0 ? 3.5 : 0),
      };
    });
    this.raceChart = new Chart(this.raceCanvas, { type: 'line', data: { datasets }, options: o });
    this.raceLegend.replaceChildren(...race.runs.map((r) => {
      const last = r.losses[r.losses.length - 1];
      return el('li', { attrs: { 'data-optimizer': r.optimizer, 'data-final': last === null || last === undefined ? '' : String(last), 'data-status': r.status } }, [
        markerIcon(RACE_STYLES[r.optimizer].marker, RACE_STYLES[r.optimizer].color), ` ${networkRaceOutcome(r)}`,
      ]);
    }));
    const labels = race.runs.map((r) => OPTIMIZERS[r.optimizer].label).join(', ');
    this.raceCanvas.setAttribute('aria-label', `The loss by epoch of ${labels}, each trained from the same initial weights; how each ended is listed below`);
    this.raceCaption.textContent = `${race.runs.length} optimizers, each trained ${race.epochs} epochs from the same initial weights (the seed's)${race.batchSize ? `, in the same seeded mini-batches of ${race.batchSize}` : ', full batch'}; each curve in its colour, marker and dash.`;
  }

  /**
   * The weights now, on the landscape shown (every frame while it is): the
   * star moves as training goes on, over the plane drawn at its epoch.
   */
  setPoint(p: NetworkFrame['landscapePoint'], epoch: number): void {
    const chart = this.landscapeChart;
    if (!chart || !p) return;
    const now = chart.data.datasets[chart.data.datasets.length - 1];
    now.data = [{ x: p.a, y: p.b }];
    // a point far out of the plane is drawn where its projection falls: say how far out it is
    now.label = `the weights now, epoch ${epoch}${p.outside >= 0.005 ? ` (${Math.round(100 * p.outside)} % of its distance out of the plane)` : ''}`;
    this.landscapeFigure.dataset.now = JSON.stringify({ epoch, a: p.a, b: p.b });
    chart.update('none');
  }

  private buildLandscape(l: LandscapeView): void {
    this.landscapeChart?.destroy();
    const half = (l.side - 1) / 2;
    this.grid = { nx: l.side, ny: l.side, xmin: -l.extent, xmax: l.extent, ymin: -l.extent, ymax: l.extent, values: l.values };
    const o = baseChartOptions();
    if (!o?.scales || !o.plugins) return;
    Object.assign(o.scales.x ?? {}, { min: -l.extent, max: l.extent, title: { display: true, color: colors.fg(), text: 'α (along d₁)' } });
    Object.assign(o.scales.y ?? {}, { min: -l.extent, max: l.extent, title: { display: true, color: colors.fg(), text: 'β (along d₂)' } });
    o.plugins.legend = { labels: { color: colors.fg(), usePointStyle: true, boxWidth: 10 } };
    o.plugins.tooltip = { callbacks: { label: (item) => {
      const p = l.path[item.dataIndex];
      return item.datasetIndex === 0 && p ? `epoch ${p.epoch}: (α, β) = (${fmt(p.a)}, ${fmt(p.b)})` : `${item.dataset.label ?? ''}: (α, β) = (${fmt(item.parsed.x)}, ${fmt(item.parsed.y)})`;
    } } };
    const datasets: Array<ChartDataset<'scatter'>> = [];
    if (l.path.length > 1) datasets.push({ label: `training path, epochs 0–${l.epoch}`, data: l.path.map((p) => ({ x: p.a, y: p.b })), showLine: true, borderColor: colors.path(), backgroundColor: colors.path(), borderWidth: 2, pointRadius: 2 });
    datasets.push({ label: `the weights now, epoch ${l.epoch}`, data: [{ x: 0, y: 0 }], pointStyle: 'star', pointRadius: 9, borderColor: colors.fg(), backgroundColor: colors.accent(), borderWidth: 2 });
    this.landscapeChart = new Chart(this.landscapeCanvas, { type: 'scatter', data: { datasets }, options: o, plugins: [heatmapPlugin(() => this.grid, colors.fg)] });
    const f = this.landscapeFigure;
    f.dataset.centre = String(l.centre);
    f.dataset.epoch = String(l.epoch);
    f.dataset.side = String(l.side);
    f.dataset.centreValue = String(l.values[half * l.side + half]);
    const finite = l.values.filter((v): v is number => v !== null);
    const outside = l.path.slice(0, -1).map((p) => p.outside);
    const meanOutside = outside.length ? outside.reduce((a, b) => a + b, 0) / outside.length : 0;
    const path = l.pathNote ? ` No path: ${l.pathNote}.`
      : l.path.length < 2 ? ' No path yet: train, then open the landscape again.'
        : ` The path is the weights at ${l.path.length} epochs from 0 to ${l.epoch}, projected onto the plane (least squares: d₁ and d₂ are not orthogonal); random directions in ${l.parameters} dimensions miss most of it, so on average ${Math.round(100 * meanOutside)} % of each point's distance from the centre lies outside the plane.`;
    const text = `The loss L(θ + α·d₁ + β·d₂) around the weights θ after epoch ${l.epoch}, d₁ and d₂ two random directions (seed ${l.seed}), each filter-normalised: every unit's incoming weights and bias scaled to the norm of θ's (Li et al. 2018). A ${l.side} × ${l.side} grid over α, β from ${fmt(-l.extent)} to ${fmt(l.extent)}, each point the loss over all ${l.samples} samples; from ${fmt(finite.length ? Math.min(...finite) : null)} to ${fmt(finite.length ? Math.max(...finite) : null)}. At the centre, the weights after epoch ${l.epoch}: loss ${fmt(l.centre)}.${path} Computed in ${l.ms.toFixed(0)} ms, in slices of at most ${l.heldMs.toFixed(0)} ms.`;
    this.landscapeCaption.textContent = text;
    this.landscapeCanvas.setAttribute('aria-label', `Contour map of the loss around the weights after epoch ${l.epoch}. ${text}`);
  }
}
