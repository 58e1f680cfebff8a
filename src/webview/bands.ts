/**
 * A network too wide to draw unit by unit (NetworkView.diagram 'bands'): each
 * layer a band with its count, each weight matrix one band between them
 * coloured by its norm (‖W‖) or its gradient's (‖∂L/∂W‖); a layer's band is
 * focusable and Enter (or a click) asks the host for its W as a heat map.
 * Also the heat map itself and the grid of image samples.
 */
import type { LayerHeatmap, LayerSummary, NetworkView } from '../protocol';
import { el, fmt, themeColor } from './dom';

const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** What a layer's band says: "784 inputs (28 × 28)", "128 relu". */
export function bandLabel(v: NetworkView, l: number): string {
  if (l > 0) return `${v.layers[l - 1].units} ${v.layers[l - 1].activation}`;
  const img = v.images;
  const shape = img ? ` (${img.width} × ${img.height}${img.channels > 1 ? ` × ${img.channels}` : ''})` : '';
  return `${v.inputs} input${v.inputs === 1 ? '' : 's'}${shape}`;
}

export interface BandsOptions {
  /** colour the weight bands by ‖W‖ or by ‖∂L/∂W‖ (the last backward pass's, or one sample's in a pass) */
  by: 'weights' | 'gradients';
  /** in a pass's backward phase: one sample's ‖∂L₁/∂W‖ per layer, instead of the summaries' */
  sampleGradNorms?: number[];
  /** the heat map of dense layer l (0-based), please */
  open: (layer: number) => void;
  /** select dense layer l's source */
  reveal: (layer: number) => void;
}

/** Draws the bands diagram into `target`, sized to read at 320 px. */
export function drawBands(target: SVGSVGElement, v: NetworkView, layers: LayerSummary[], o: BandsOptions): void {
  const sizes = [v.inputs, ...v.layers.map((l) => l.units)];
  const colW = 104;
  const bandW = 24;
  const margin = 52;
  const top = 8;
  const maxH = 180;
  const width = 2 * margin + (sizes.length - 1) * colW;
  const height = top + maxH + 34;
  target.setAttribute('viewBox', `0 0 ${width} ${height}`);
  target.setAttribute('width', String(width));
  target.setAttribute('height', String(height));
  const biggest = Math.max(...sizes, 2);
  const bandH = (n: number): number => 30 + (maxH - 30) * (Math.log(Math.max(n, 1)) / Math.log(biggest));
  const cx = (l: number): number => margin + l * colW;
  const cy = top + maxH / 2;
  const values = layers.map((s, l) => (o.by === 'weights' ? s.norm : o.sampleGradNorms?.[l] ?? s.gradNorm));
  const finite = values.filter((x): x is number => x !== null && Number.isFinite(x) && x > 0);
  const most = finite.length ? Math.max(...finite) : 1;
  // ‖W‖ on a linear scale; gradient norms span decades between layers (vanishing gradients), so on a log scale over 4 decades
  const strength = (x: number | null): number => {
    if (x === null || !Number.isFinite(x) || x <= 0) return 0;
    return o.by === 'weights' ? x / most : Math.max(0, 1 + Math.log10(x / most) / 4);
  };
  const colour = o.by === 'weights' ? themeColor('--vscode-charts-blue', '#1a85ff') : themeColor('--vscode-charts-orange', '#e8912d');
  const parts: SVGElement[] = [];
  layers.forEach((s, l) => {
    const [x0, x1] = [cx(l) + bandW / 2, cx(l + 1) - bandW / 2];
    const [h0, h1] = [bandH(sizes[l]), bandH(sizes[l + 1])];
    const poly = svg('polygon', {
      points: `${x0},${cy - h0 / 2} ${x1},${cy - h1 / 2} ${x1},${cy + h1 / 2} ${x0},${cy + h0 / 2}`,
      fill: colour, 'fill-opacity': (0.12 + 0.7 * strength(values[l])).toFixed(3), class: 'weight-band', 'data-layer': l,
    });
    poly.append(svg('title', {}, `W${l + 1}: ${s.rows} × ${s.cols} = ${(s.rows * s.cols).toLocaleString('en-US')} weights; ‖W‖ = ${fmt(s.norm)}, ‖∂L/∂W‖ = ${fmt(s.gradNorm)}; from ${fmt(s.min)} to ${fmt(s.max)}, mean ${fmt(s.mean)}. Click for its heat map.`));
    poly.addEventListener('click', () => o.open(l));
    const mid = (x0 + x1) / 2;
    parts.push(poly,
      svg('text', { x: mid, y: cy - 4, 'text-anchor': 'middle', class: 'band-norm' }, o.by === 'weights' ? `‖W${l + 1}‖` : `‖∂L/∂W${l + 1}‖`),
      svg('text', { x: mid, y: cy + 10, 'text-anchor': 'middle', class: 'band-norm' }, fmt(values[l]).slice(0, 8)));
  });
  sizes.forEach((n, l) => {
    const h = bandH(n);
    const g = svg('g', { class: `band${l === 0 ? ' input' : ''}`, 'data-layer': l });
    // the rect is the button (its name says the label; the texts beside it are what the eye reads)
    const rect = svg('rect', { x: cx(l) - bandW / 2, y: cy - h / 2, width: bandW, height: h, rx: 4 });
    g.append(rect);
    const label = bandLabel(v, l);
    // two lines under the band: the count and the rest ("784 inputs" / "(28 × 28)", "128" / "relu")
    const cut = l === 0 ? label.indexOf(' (') : label.indexOf(' ');
    const [first, second] = cut > 0 ? [label.slice(0, cut), label.slice(cut + 1)] : [label, ''];
    const text = svg('text', { x: cx(l), y: top + maxH + 14, 'text-anchor': 'middle', class: 'layer-label' }, first);
    const text2 = svg('text', { x: cx(l), y: top + maxH + 28, 'text-anchor': 'middle', class: 'layer-label' }, second);
    g.append(text, text2);
    if (l > 0) {
      const s = layers[l - 1];
      rect.setAttribute('tabindex', '0');
      rect.setAttribute('role', 'button');
      rect.setAttribute('aria-label', `${label}: W${l} is ${s.rows} × ${s.cols}; press Enter for its heat map`);
      g.classList.add('opens');
      g.addEventListener('click', () => o.open(l - 1));
      g.addEventListener('dblclick', () => o.reveal(l - 1));
      rect.addEventListener('keydown', (e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        e.stopPropagation();
        o.open(l - 1);
      });
    } else g.append(svg('title', {}, label));
    parts.push(g);
  });
  target.replaceChildren(...parts);
}

/** Blue for positive, red for negative, stronger with |w|: the diagram's colours for weights. */
function weightColour(w: number, scale: number, pos: [number, number, number], neg: [number, number, number]): [number, number, number, number] {
  const t = scale > 0 ? Math.min(1, Math.abs(w) / scale) : 0;
  const [r, g, b] = w >= 0 ? pos : neg;
  return [r, g, b, Math.round(255 * (0.06 + 0.94 * t))];
}

function rgb(css: string, fallback: [number, number, number]): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css.trim());
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : fallback;
}

/** What the heat map's caption says: the matrix, how it was shrunk, the range. */
export function heatmapCaption(v: NetworkView, h: LayerHeatmap): string {
  const layer = v.layers[h.layer];
  const shrunk = h.blockRows === 1 && h.blockCols === 1 ? 'each cell one weight'
    : `shown as ${h.gridRows} × ${h.gridCols} cells, each the mean of a block of ${h.blockRows} × ${h.blockCols} weights`;
  return `W${h.layer + 1} of layer ${h.layer + 1} (${layer ? `${layer.units} ${layer.activation}` : '?'}) at epoch ${h.epoch}: ${h.rows} × ${h.cols} weights (a row per unit, a column per input), ${shrunk}. Weights from ${fmt(h.min)} to ${fmt(h.max)}; blue positive, red negative.`;
}

/** The heat map of one layer's W on a canvas, one pixel per cell, scaled up without smoothing. */
export function drawHeatmap(canvas: HTMLCanvasElement, h: LayerHeatmap): void {
  canvas.width = h.gridCols;
  canvas.height = h.gridRows;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(h.gridCols, h.gridRows);
  let scale = 0;
  for (const x of h.values) scale = Math.max(scale, Math.abs(x));
  const pos = rgb(themeColor('--vscode-charts-blue', '#1a85ff'), [26, 133, 255]);
  const neg = rgb(themeColor('--vscode-charts-red', '#e51400'), [229, 20, 0]);
  h.values.forEach((x, i) => image.data.set(weightColour(x, scale, pos, neg), 4 * i));
  ctx.putImageData(image, 0, 0);
}

/** A sample's pixels (0–255; channels first for RGB) as a small canvas. */
export function sampleCanvas(img: NonNullable<NetworkView['images']>, pixels: number[], label: string): HTMLCanvasElement {
  const c = el('canvas', { className: 'sample-image', attrs: { width: String(img.width), height: String(img.height), role: 'img', 'aria-label': label } });
  const ctx = c.getContext('2d');
  if (!ctx) return c;
  const image = ctx.createImageData(img.width, img.height);
  const plane = img.width * img.height;
  for (let p = 0; p < plane; p++) {
    const [r, g, b] = img.channels === 3 ? [pixels[p], pixels[plane + p], pixels[2 * plane + p]] : [pixels[p], pixels[p], pixels[p]];
    image.data.set([r, g, b, 255], 4 * p);
  }
  ctx.putImageData(image, 0, 0);
  return c;
}
