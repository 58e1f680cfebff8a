/**
 * The Backprop view: the computational graph left to right (inputs → f), each
 * node with its operation, value and gradient, and a stepper through the
 * forward pass node by node, the backward pass edge by edge (showing the
 * chain-rule product), then the parameter update.
 */
import type { FromWebviewMessage, FunctionView, GraphJson } from '../protocol';
import { el, fmt } from './dom';
import { sampleShown, updateText, workedUpdate } from '../core/stepRecord';
import { GraphNames, graphNames } from '../core/graphNames';

const SVG = 'http://www.w3.org/2000/svg';
const BOX_W = 118;
const BOX_H = 50;
const COL_GAP = 46;
const ROW_GAP = 14;
/** The smallest scale "Fit" draws the graph at: its labels are 11 px (panel.css), the smallest readable, so it never shrinks them (it scrolls) */
const MIN_SCALE = 1;
/** Above this many visible nodes, deep unnamed subtrees start collapsed. */
const READABLE_NODES = 60;


type Phase =
  | { kind: 'idle' }
  | { kind: 'forward'; node: number }
  | { kind: 'backward'; edge: number }
  | { kind: 'update' };

interface Layout {
  x: Map<number, number>;
  y: Map<number, number>;
  width: number;
  height: number;
}

export class BackpropView {
  readonly element: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly explain: HTMLElement;
  private readonly sampleInput: HTMLInputElement;
  private readonly sampleLabel: HTMLElement;
  private readonly sampleNote: HTMLElement;
  private readonly stepBtn: HTMLButtonElement;
  private readonly backBtn: HTMLButtonElement;
  private readonly playBtn: HTMLButtonElement;
  private view: FunctionView | undefined;
  private graph: GraphJson | undefined;
  /** the nodes' names, from the graph's structure (the same at every step) */
  private names: GraphNames = graphNames({ nodes: [], edges: [] }, []);
  private step = 0;
  /** the sequence of phases: forward nodes, backward edges, update */
  private phases: Phase[] = [];
  private phase = 0;
  private timer: number | undefined;
  private collapsed = new Set<number>();
  /** fit the graph to the panel's width (never below MIN_SCALE), or show it at full size and follow the active node */
  private fit = true;
  /** the user chose the zoom; until then a graph fits when it can at MIN_SCALE */
  private fitChosen = false;
  private readonly scroller: HTMLElement;
  private readonly zoomBtn: HTMLButtonElement;

  constructor(private readonly post: (m: FromWebviewMessage) => void) {
    this.svg = document.createElementNS(SVG, 'svg');
    this.svg.setAttribute('id', 'backprop-graph');
    this.svg.setAttribute('role', 'img');
    this.explain = el('div', { className: 'explain', attrs: { id: 'backprop-explain', 'aria-live': 'polite' } });
    this.sampleInput = el('input', { attrs: { id: 'bp-sample', type: 'number', min: '1', step: '1', 'aria-label': 'The sample whose term the graph shows' } });
    this.sampleLabel = el('label', { text: 'sample ', attrs: { hidden: '' } }, [this.sampleInput]);
    this.sampleNote = el('p', { className: 'note', attrs: { id: 'bp-sample-note', hidden: '' } });
    this.backBtn = el('button', { text: '◀ Back', attrs: { id: 'bp-back', type: 'button' } });
    this.stepBtn = el('button', { text: 'Next ▶', attrs: { id: 'bp-next', type: 'button' } });
    this.playBtn = el('button', { text: '▶ Play', attrs: { id: 'bp-play', type: 'button' } });
    const reset = el('button', { text: '⟲ Restart', attrs: { id: 'bp-reset', type: 'button' } });
    this.backBtn.addEventListener('click', () => { this.stop(); this.go(this.phase - 1); });
    this.stepBtn.addEventListener('click', () => { this.stop(); this.go(this.phase + 1); });
    this.playBtn.addEventListener('click', () => (this.timer === undefined ? this.play() : this.stop()));
    reset.addEventListener('click', () => { this.stop(); this.go(0); });
    this.zoomBtn = el('button', { className: 'zoom', text: '100%', title: 'Show the graph at full size (scroll to pan; it follows the active node) or fitted to the panel', attrs: { id: 'bp-zoom', type: 'button', 'aria-pressed': 'false' } });
    this.zoomBtn.addEventListener('click', () => { this.fit = !this.fit; this.fitChosen = true; this.render(); });
    this.scroller = el('div', { className: 'graph-scroll fit', attrs: { tabindex: '0', role: 'region', 'aria-label': 'The computational graph (scrolls when it is larger than the panel)' } }, [this.svg]);
    this.sampleInput.addEventListener('change', () => {
      const k = Math.round(Number(this.sampleInput.value)) - 1;
      if (this.view?.graphSample !== null && k >= 0) this.post({ type: 'setOptions', options: { sample: k } });
    });
    this.element = el('details', { className: 'backprop', attrs: { id: 'backprop', open: '' } }, [
      el('summary', { text: 'Backprop: the chain rule, node by node' }),
      el('div', { className: 'row' }, [this.playBtn, this.backBtn, this.stepBtn, reset, this.sampleLabel, this.zoomBtn]),
      this.sampleNote,
      this.explain,
      this.scroller,
    ]);
  }

  reveal(): void {
    (this.element as HTMLDetailsElement).open = true;
    this.element.scrollIntoView({ block: 'start' });
    this.stepBtn.focus();
  }

  setView(v: FunctionView): void {
    // a cost over data: one sample's term, the sample chosen here
    this.sampleLabel.hidden = v.graphSample === null;
    this.sampleNote.hidden = v.graphNote === null;
    this.sampleNote.textContent = v.graphNote ?? '';
    if (v.graphSample !== null) this.sampleInput.max = String(v.samples ?? 1);
    const changed = !this.graph || this.graph.nodes.length !== v.graph.nodes.length || this.view?.expression !== v.expression || this.view?.graphSample !== v.graphSample;
    this.view = v;
    this.graph = v.graph;
    this.names = graphNames(v.graph, v.params);
    if (changed) {
      this.collapsed = initialCollapse(v.graph);
      this.phase = 0;
      this.fitChosen = false;
    }
    this.phases = phasesOf(v.graph);
  }

  /**
   * The descent view moved: the graph shows that step's values, taken from
   * the view's graph trace (the nearest traced step at or before it).
   */
  showStep(v: FunctionView, step: number): void {
    this.view = v;
    const t = v.graphTrace;
    let k = -1;
    for (let i = 0; i < t.steps.length && t.steps[i] <= step; i++) k = i;
    if (k < 0) {
      this.graph = v.graph;
      this.step = 0;
    } else {
      this.step = t.steps[k];
      this.graph = {
        ...v.graph,
        nodes: v.graph.nodes.map((n, i) => ({ ...n, value: t.values[k][i], grad: t.grads[k][i] })),
        localGradients: t.localGradients[k],
        accumulated: t.accumulated[k],
      };
    }
    this.element.dataset.step = String(this.step);
    // in stochastic descent the sample, too, may change with the step
    const sample = sampleShown(v, this.step);
    if (sample !== null) this.sampleInput.value = String(sample + 1);
    this.render();
  }

  private play(): void {
    this.playBtn.textContent = '❚❚ Pause';
    const tick = (): void => {
      if (this.phase >= this.phases.length - 1) { this.stop(); return; }
      this.go(this.phase + 1);
      this.timer = window.setTimeout(tick, 700);
    };
    this.timer = window.setTimeout(tick, 300);
  }

  private stop(): void {
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    this.timer = undefined;
    this.playBtn.textContent = '▶ Play';
  }

  private go(k: number): void {
    this.phase = Math.max(0, Math.min(k, this.phases.length - 1));
    this.element.dataset.phase = String(this.phase);
    this.render();
  }

  private render(): void {
    const g = this.graph;
    const v = this.view;
    if (!g || !v) return;
    // The graph's numbers are at the descent's start point; later steps scale
    // the same structure, so values shown come from the graph for step 0 and
    // the explanation names the step.
    const ph = this.phases[this.phase] ?? { kind: 'idle' };
    const forwardDone = new Set<number>();
    const backwardDone = new Set<number>();
    // each node's gradient as far as the backward pass has added it up: the running sum after the last edge into it
    const gradSoFar = new Map<number, number | null>();
    let activeNode = -1;
    let activeEdge = -1;
    for (let i = 0; i <= this.phase && i < this.phases.length; i++) {
      const p = this.phases[i];
      if (p.kind === 'forward') forwardDone.add(p.node);
      if (p.kind === 'backward') {
        backwardDone.add(p.edge);
        gradSoFar.set(g.edges[p.edge][0], g.accumulated[p.edge]);
      }
    }
    if (ph.kind === 'forward') activeNode = ph.node;
    if (ph.kind === 'backward') activeEdge = ph.edge;
    if (ph.kind === 'backward' || ph.kind === 'update') gradSoFar.set(g.output, g.nodes[g.output].grad);
    const isInput = (id: number): boolean => g.nodes[id].op === 'input';
    for (const n of g.nodes) if (n.op === 'input' || n.op === 'const') forwardDone.add(n.id);

    this.element.dataset.activeNode = String(activeEdge >= 0 ? g.edges[activeEdge][0] : activeNode);
    const fname = clip(v.graphName ?? v.name ?? 'f', 6);
    const visible = visibleNodes(g, this.collapsed);
    const layout = layoutGraph(g, visible);
    // a cost over data: a Σ node right of the sample's term, the other samples' terms below it
    if (v.graphSumFactor !== null) {
      layout.width += BOX_W + COL_GAP;
      layout.height = Math.max(layout.height, (layout.y.get(g.output) ?? 10) + 2 * BOX_H + ROW_GAP + 10);
    }
    this.svg.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
    this.svg.setAttribute('width', String(layout.width));
    this.svg.setAttribute('height', String(layout.height));
    const parts: SVGElement[] = [];
    g.edges.forEach(([a, b], k) => {
      if (!visible.has(a) || !visible.has(b) || g.nodes[a].op === 'const') return;
      const line = document.createElementNS(SVG, 'path');
      const x0 = (layout.x.get(a) as number) + BOX_W;
      const y0 = (layout.y.get(a) as number) + BOX_H / 2;
      const x1 = layout.x.get(b) as number;
      const y1 = (layout.y.get(b) as number) + BOX_H / 2;
      const mx = (x0 + x1) / 2;
      line.setAttribute('d', `M${x0},${y0} C${mx},${y0} ${mx},${y1} ${x1},${y1}`);
      line.setAttribute('class', `edge${k === activeEdge ? ' active' : backwardDone.has(k) ? ' done' : ''}`);
      parts.push(line);
    });
    for (const id of visible) {
      const n = g.nodes[id];
      if (n.op === 'const') continue;
      const x = layout.x.get(id) as number;
      const y = layout.y.get(id) as number;
      const group = document.createElementNS(SVG, 'g');
      const cls = ['node', n.op === 'input' ? 'input' : '', id === g.output ? 'output' : '', id === activeNode ? 'active' : '',
        activeEdge >= 0 && (g.edges[activeEdge][0] === id || g.edges[activeEdge][1] === id) ? 'active' : '', this.collapsed.has(id) ? 'collapsed' : ''];
      group.setAttribute('class', cls.filter(Boolean).join(' '));
      group.setAttribute('transform', `translate(${x},${y})`);
      group.setAttribute('data-node', String(id));
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('width', String(BOX_W));
      rect.setAttribute('height', String(BOX_H));
      rect.setAttribute('rx', '6');
      const title = document.createElementNS(SVG, 'text');
      title.setAttribute('x', '8');
      title.setAttribute('y', '15');
      title.setAttribute('class', 'op');
      title.textContent = this.names.title(id) + (this.collapsed.has(id) ? ` ▸ ${subtreeSize(g, id) - 1}` : '');
      const tip = document.createElementNS(SVG, 'title');
      tip.textContent = `${this.names.name(id)}${n.text && n.text !== this.names.name(id) ? ` (${n.text})` : ''}${n.text ? `  (click: select in the editor${this.collapsed.has(id) ? '; expand' : '; Alt+click: collapse'})` : ''}`;
      group.append(tip);
      const val = document.createElementNS(SVG, 'text');
      val.setAttribute('x', '8');
      val.setAttribute('y', '30');
      val.textContent = forwardDone.has(id) || isInput(id) ? `value ${fmt(n.value)}` : 'value ?';
      const grad = document.createElementNS(SVG, 'text');
      grad.setAttribute('x', '8');
      grad.setAttribute('y', '44');
      grad.setAttribute('class', 'grad');
      // ∂f/∂(this node): its name when that fits in the box beside the number, else · for "this node"
      const own = this.names.partial(id);
      const wrt = fname.length + own.length <= 9 ? own : '·';
      grad.textContent = gradSoFar.has(id) ? `∂${fname}/∂${wrt} ${fmt(gradSoFar.get(id))}` : `∂${fname}/∂${wrt} ?`;
      group.append(rect, title, val, grad);
      group.addEventListener('click', (e) => {
        if (this.collapsed.has(id) || (e as MouseEvent).altKey) {
          if (this.collapsed.has(id)) this.collapsed.delete(id); else this.collapsed.add(id);
          this.render();
        }
        this.post({ type: 'revealNode', node: id });
      });
      parts.push(group);
    }
    if (v.graphSumFactor !== null && v.graphSample !== null && layout.x.has(g.output)) parts.push(...this.sumNode(v, g, layout, fname, forwardDone.has(g.output)));
    this.svg.replaceChildren(...parts);
    this.svg.setAttribute('aria-label', `Computational graph of ${v.name ?? 'f'}: ${visible.size} nodes from the parameters ${v.params.join(', ')} to the output; the text below explains the current step`);
    this.explain.textContent = this.explanation(ph, v);
    // Fitted: the viewBox scales to the panel's width, but never below the labels' readable size: a wider
    // graph keeps that size and scrolls. Full size: scroll the active node into view. Unchosen: fitted when it fits.
    if (!this.fitChosen) this.fit = layout.width * MIN_SCALE <= Math.max(this.scroller.clientWidth, 300);
    this.scroller.classList.toggle('fit', this.fit);
    this.svg.style.minWidth = this.fit ? `${layout.width * MIN_SCALE}px` : '';
    this.zoomBtn.textContent = this.fit ? '100%' : 'Fit';
    this.zoomBtn.setAttribute('aria-pressed', String(!this.fit));
    const focus = activeEdge >= 0 ? g.edges[activeEdge][0] : activeNode;
    if (!this.fit && focus >= 0 && layout.x.has(focus)) {
      const x = layout.x.get(focus) as number;
      const y = layout.y.get(focus) as number;
      const box = this.scroller;
      if (x < box.scrollLeft || x + BOX_W > box.scrollLeft + box.clientWidth) box.scrollLeft = Math.max(0, x + BOX_W / 2 - box.clientWidth / 2);
      if (y < box.scrollTop || y + BOX_H > box.scrollTop + box.clientHeight) box.scrollTop = Math.max(0, y + BOX_H / 2 - box.clientHeight / 2);
    }
  }

  /**
   * The Σ the cost is: this sample's term flows into it with ∂f/∂termₖ = c
   * (1/m for a mean); the other m − 1 terms are one stacked box. ◀ ▶ and a
   * click on the stack open another sample's term; the number box above does
   * the same from the keyboard.
   */
  private sumNode(v: FunctionView, g: GraphJson, layout: Layout, term: string, known: boolean): SVGElement[] {
    const f = v.name ?? 'f';
    const m = v.samples ?? 1;
    const k = sampleShown(v, this.step) as number;
    const c = v.graphSumFactor as number;
    const ox = layout.x.get(g.output) as number;
    const oy = layout.y.get(g.output) as number;
    const sx = ox + BOX_W + COL_GAP;
    const gy = oy + BOX_H + ROW_GAP;
    const text = (x: number, y: number, t: string, cls?: string): SVGTextElement => {
      const e = document.createElementNS(SVG, 'text');
      e.setAttribute('x', String(x));
      e.setAttribute('y', String(y));
      if (cls) e.setAttribute('class', cls);
      e.textContent = t;
      return e;
    };
    const box = (x: number, y: number, cls: string, id: string): SVGGElement => {
      const group = document.createElementNS(SVG, 'g');
      group.setAttribute('class', cls);
      group.setAttribute('id', id);
      group.setAttribute('transform', `translate(${x},${y})`);
      const rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('width', String(BOX_W));
      rect.setAttribute('height', String(BOX_H));
      rect.setAttribute('rx', '6');
      group.append(rect);
      return group;
    };
    const edge = (x0: number, y0: number, x1: number, y1: number, cls: string): SVGPathElement => {
      const line = document.createElementNS(SVG, 'path');
      const mx = (x0 + x1) / 2;
      line.setAttribute('d', `M${x0},${y0} C${mx},${y0} ${mx},${y1} ${x1},${y1}`);
      line.setAttribute('class', cls);
      return line;
    };
    const factor = factorText(c);
    const value = v.steps[Math.min(this.step, v.steps.length - 1)]?.value ?? null;
    const sum = box(sx, oy, 'node sum output', 'bp-sum');
    const tip = document.createElementNS(SVG, 'title');
    tip.textContent = `${f} = ${factor === '1' ? '' : `${factor} · `}Σ of ${m} terms, one per sample; this graph is sample ${k + 1}'s term, and ∂${f}/∂${term} = ${factor}. Click: choose another sample.`;
    const prev = text(BOX_W - 30, 15, '◀', 'sum-nav');
    const next = text(BOX_W - 15, 15, '▶', 'sum-nav');
    prev.setAttribute('id', 'bp-sum-prev');
    next.setAttribute('id', 'bp-sum-next');
    // choosing the sample shown also fixes it where the graph followed the descent's samples
    const pick = (to: number): void => { if (to >= 0 && to < m && (to !== k || v.graphSampleAt)) this.post({ type: 'setOptions', options: { sample: to } }); };
    prev.addEventListener('click', (e) => { e.stopPropagation(); pick(k - 1); });
    next.addEventListener('click', (e) => { e.stopPropagation(); pick(k + 1); });
    sum.append(tip, text(8, 15, `Σ ${m} terms`, 'op'), prev, next, text(8, 30, `${clip(f, 6)} = ${known ? fmt(value) : '?'}`, 'sum-value'), text(8, 44, `each term × ${factor}`, 'grad'));
    sum.addEventListener('click', () => this.sampleInput.focus());
    const others = box(ox, gy, 'node others', 'bp-sum-others');
    const otip = document.createElementNS(SVG, 'title');
    otip.textContent = `The other ${m - 1} samples' terms, each the same graph on its own data. Click: the next sample's.`;
    others.append(otip, text(8, 15, `${m - 1} other terms`, 'op'), text(8, 30, `samples ≠ ${k + 1}`), text(8, 44, 'click: next one', 'grad'));
    others.addEventListener('click', () => pick((k + 1) % m));
    return [
      edge(ox + BOX_W, oy + BOX_H / 2, sx, oy + BOX_H / 2, 'edge sum-edge'),
      edge(ox + BOX_W, gy + BOX_H / 2, sx, oy + BOX_H / 2 + 8, 'edge sum-edge others-edge'),
      sum,
      others,
    ];
  }

  private explanation(ph: Phase, v: FunctionView): string {
    const g = this.graph as GraphJson;
    const f = v.graphName ?? v.name ?? 'f';
    const name = (id: number): string => this.names.partial(id);
    switch (ph.kind) {
      case 'idle':
        return `Step ${this.step} of the descent. Press Next to run the forward pass: each node computes its value from its inputs.`
          + (v.graphSumFactor !== null && v.graphSample !== null ? ` This graph is sample ${(sampleShown(v, this.step) as number) + 1}'s term${v.graphSampleAt ? ', the first sample this step\'s update used' : ''}; the Σ on its right adds it, times ${factorText(v.graphSumFactor)}, to the other ${(v.samples ?? 1) - 1} samples' terms.` : '');
      case 'forward':
        return `Forward: ${workedForward(g, ph.node, this.names)}`;
      case 'backward': {
        const [a, b] = g.edges[ph.edge];
        const up = g.nodes[b].grad;
        const local = g.localGradients[ph.edge];
        const product = up !== null && local !== null ? up * local : null;
        const top = b === g.output ? f : name(b);
        return `Backward (chain rule): ∂${f}/∂${top} · ∂${top}/∂${name(a)} = ${fmt(up)} × ${fmt(local)} = ${fmt(product)}, added into ∂${f}/∂${name(a)} (now ${fmt(g.accumulated[ph.edge])})`;
      }
      case 'update': {
        // the update the descent made at this step, on the whole cost (or the samples the step used), as recorded
        const whole = v.name ?? 'f';
        const k = Math.min(this.step, v.steps.length - 1);
        const s = v.steps[k];
        const lines = v.params.map((p, i) => {
          const w = workedUpdate(v.options.optimizer, v.options.learningRate, s, v.steps[k + 1], i);
          return w ? updateText(whole, p, w, s.batch) : undefined;
        });
        if (lines.some((l) => l === undefined)) return `Step ${k} is the last step: no update. ${v.statusMessage}`;
        return `${lines.join('   ')}   — then the next descent step repeats both passes.`;
      }
    }
  }
}

/** The factor of a Σ as the user wrote it: 1/8 for a mean over 4 samples halved. */
function factorText(c: number): string {
  const n = Math.round(1 / c);
  return Math.abs(c) !== 1 && Math.abs(1 / c - n) < 1e-9 ? `${n < 0 ? '−' : ''}1/${Math.abs(n)}` : fmt(c);
}

const INFIX: Record<string, string> = { add: '+', sub: '−', mul: '·', div: '/' };
const PRECEDENCE: Record<string, number> = { add: 1, sub: 1, mul: 2, div: 2, neg: 3, pow: 4 };

/**
 * One forward step as a worked solution: the node's formula over its operands'
 * names, then over their values, then the result — `z = 3.0 * w + b = 3 + 1 = 4`.
 */
function workedForward(g: GraphJson, id: number, names: GraphNames): string {
  const n = g.nodes[id];
  const operands = g.edges.filter(([, b]) => b === id).map(([a]) => a);
  const wrap = (a: number, text: string, right = false): string => {
    const inner = g.nodes[a];
    const p = PRECEDENCE[inner.op];
    const mine = PRECEDENCE[n.op];
    const compound = !inner.label && inner.op !== 'const' && inner.op !== 'input' && p !== undefined;
    const needs = compound && mine !== undefined && (p < mine || (right && p === mine && (n.op === 'sub' || n.op === 'div')) || (n.op === 'pow' && p <= mine));
    return needs || (text.startsWith('-') && operands.length === 2 && (right || n.op === 'pow')) ? `(${text})` : text;
  };
  const form = (names: string[]): string => {
    if (INFIX[n.op]) return `${wrap(operands[0], names[0])} ${INFIX[n.op]} ${wrap(operands[1], names[1], true)}`;
    if (n.op === 'pow') return `${wrap(operands[0], names[0])}^${wrap(operands[1], names[1], true)}`;
    if (n.op === 'neg') return `−${wrap(operands[0], names[0])}`;
    return `${n.op}(${names[0]})`;
  };
  const symbolic = form(operands.map((a) => names.name(a)));
  const numeric = form(operands.map((a) => fmt(g.nodes[a].value)));
  const parts = [n.label ?? null, symbolic, numeric === symbolic ? null : numeric, fmt(n.value)].filter((x): x is string => x !== null);
  return parts.join(' = ');
}

function phasesOf(g: GraphJson): Phase[] {
  const phases: Phase[] = [{ kind: 'idle' }];
  for (const n of g.nodes) if (n.op !== 'input' && n.op !== 'const') phases.push({ kind: 'forward', node: n.id });
  // Backward: the edges in the order the engine's backward pass adds them up (constants take no gradient).
  for (const k of g.backwardOrder) phases.push({ kind: 'backward', edge: k });
  phases.push({ kind: 'update' });
  return phases;
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function subtreeSize(g: GraphJson, id: number): number {
  const seen = new Set<number>();
  const stack = [id];
  while (stack.length) {
    const k = stack.pop() as number;
    if (seen.has(k)) continue;
    seen.add(k);
    for (const [a, b] of g.edges) if (b === k && g.nodes[a].op !== 'const') stack.push(a);
  }
  return seen.size;
}

/** Large graphs: collapse unnamed nodes far from the output so about 60 stay visible. */
function initialCollapse(g: GraphJson): Set<number> {
  const collapsed = new Set<number>();
  const drawable = g.nodes.filter((n) => n.op !== 'const').length;
  if (drawable <= READABLE_NODES) return collapsed;
  // breadth-first from the output; nodes beyond the budget collapse at the frontier
  const depth = new Map<number, number>([[g.output, 0]]);
  const queue = [g.output];
  let shown = 0;
  while (queue.length) {
    const id = queue.shift() as number;
    shown++;
    const kids = g.edges.filter(([, b]) => b === id).map(([a]) => a).filter((a) => g.nodes[a].op !== 'const' && !depth.has(a));
    if (shown + kids.length > READABLE_NODES - 10 && g.nodes[id].op !== 'input') {
      if (kids.length > 0) collapsed.add(id);
      continue;
    }
    for (const k of kids) { depth.set(k, (depth.get(id) as number) + 1); queue.push(k); }
  }
  return collapsed;
}

function visibleNodes(g: GraphJson, collapsed: Set<number>): Set<number> {
  const visible = new Set<number>();
  const stack = [g.output];
  while (stack.length) {
    const id = stack.pop() as number;
    if (visible.has(id)) continue;
    visible.add(id);
    if (collapsed.has(id)) continue;
    for (const [a, b] of g.edges) if (b === id) stack.push(a);
  }
  // parameters always show
  for (const n of g.nodes) if (n.op === 'input') visible.add(n.id);
  return visible;
}

/** Columns by longest distance from an input; rows in tape order. */
function layoutGraph(g: GraphJson, visible: Set<number>): Layout {
  const col = new Map<number, number>();
  for (const n of g.nodes) {
    if (!visible.has(n.id) || n.op === 'const') continue;
    const operands = g.edges.filter(([a, b]) => b === n.id && visible.has(a) && g.nodes[a].op !== 'const').map(([a]) => col.get(a) ?? 0);
    col.set(n.id, n.op === 'input' ? 0 : operands.length ? Math.max(...operands) + 1 : 1);
  }
  const rows = new Map<number, number>();
  const x = new Map<number, number>();
  const y = new Map<number, number>();
  for (const [id, c] of col) {
    const r = rows.get(c) ?? 0;
    rows.set(c, r + 1);
    x.set(id, 10 + c * (BOX_W + COL_GAP));
    y.set(id, 10 + r * (BOX_H + ROW_GAP));
  }
  const cols = Math.max(0, ...col.values()) + 1;
  const maxRows = Math.max(1, ...rows.values());
  return { x, y, width: 20 + cols * (BOX_W + COL_GAP) - COL_GAP, height: 20 + maxRows * (BOX_H + ROW_GAP) - ROW_GAP };
}
