/**
 * The panel's webview: a router. It validates each message from the host and
 * hands it to the function view or the network view; both report the user's
 * intent back through `post`. Nothing here computes what the core computes.
 */
import { Chart, LinearScale, LogarithmicScale, LineController, LineElement, PointElement, ScatterController, Tooltip, Legend } from 'chart.js';
import { FromWebviewMessage, ToWebviewMessage, parseToWebview } from '../protocol';
import { geometryPlugin } from './chartTheme';
import { el } from './dom';
import { FunctionPanel } from './functionView';
import { NetworkPanel } from './network';
import { UnboundPanel } from './unboundView';

Chart.register(LinearScale, LogarithmicScale, LineController, LineElement, PointElement, ScatterController, Tooltip, Legend, geometryPlugin);

interface VsCodeApi {
  postMessage(m: FromWebviewMessage): void;
  setState(s: unknown): void;
  getState(): unknown;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();
const post = (m: FromWebviewMessage): void => vscode.postMessage(m);

const problem = el('div', { className: 'problem', attrs: { role: 'alert', hidden: '' } });
// A live region stays in the page (empty while the view is fresh) so what enters it is announced;
// polite, not an alert: it changes with every pause in typing while the code is broken.
const stale = el('div', { attrs: { id: 'stale', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' } });
const functions = new FunctionPanel(post);
const network = new NetworkPanel(post);
const unbound = new UnboundPanel(post);
functions.element.hidden = true;
(document.getElementById('app') as HTMLElement).replaceChildren(problem, stale, functions.element, unbound.element, network.element);

/**
 * Performance marks for the UI stage's timing of the first frame (the page's timeline: the script ran,
 * the view arrived, the first frame of it was drawn); each is made once per page, so a long session
 * does not accumulate them.
 */
const marked = new Set<string>();
const mark = (name: 'script' | 'view' | 'first-frame'): void => {
  if (marked.has(name)) return;
  marked.add(name);
  performance.mark(`gradient-lens:${name}`);
};
mark('script');

/** whether a view has reached the page (said in `ready`; a replay applies only while none has) */
let hasView = false;
const receive = (event: MessageEvent): void => {
  const m = parseToWebview(event.data);
  if (!m) {
    console.warn('Gradient Lens: dropped an unknown message', event.data);
    return;
  }
  apply(m);
};
const apply = (m: ToWebviewMessage): void => {
  const isView = m.type === 'show' || m.type === 'showNetwork' || m.type === 'showUnbound';
  if (isView) {
    hasView = true;
    mark('view');
  }
  switch (m.type) {
    case 'replay':
      if (!hasView) for (const r of m.messages) apply(r);
      break;
    case 'show':
      network.hide();
      unbound.hide();
      problem.hidden = true;
      vscode.setState(m.restore);
      functions.show(m.view);
      break;
    case 'showNetwork':
      functions.hide();
      unbound.hide();
      problem.hidden = true;
      vscode.setState(m.restore);
      network.show(m.view);
      break;
    case 'showUnbound':
      functions.hide();
      network.hide();
      problem.hidden = true;
      vscode.setState(m.restore);
      unbound.show(m.view);
      break;
    case 'race':
      functions.setRace(m.race);
      break;
    case 'sweep':
      functions.setSweep(m.sweep);
      break;
    case 'sweepProgress':
      functions.sweepProgress(m.done, m.total);
      break;
    case 'networkFrame':
      network.update(m.frame);
      break;
    case 'networkRace':
      network.setRace(m.race);
      break;
    case 'landscape':
      network.setLandscape(m.landscape);
      break;
    case 'networkProgress':
      network.comparisonProgress(m.task, m.done, m.total);
      break;
    case 'gradientCheck':
      network.showCheck(m.check.text);
      break;
    case 'layerHeatmap':
      network.showHeatmap(m.heatmap);
      break;
    case 'problem':
      problem.hidden = false;
      problem.textContent = `${m.location}: ${m.message}`;
      break;
    case 'stale':
      // the view stays as the definition last read; its charts are dimmed and striped (stale-view in panel.css)
      stale.replaceChildren(...(m.problem ? [el('div', { className: 'problem stale-banner' }, [
        el('strong', { text: 'Stale' }), `: ${m.problem.location}: ${m.problem.message}. The panel shows the definition as it last read, until the code reads again.`,
      ])] : []));
      document.body.classList.toggle('stale-view', !!m.problem);
      break;
    case 'reveal':
      functions.revealBackprop();
      break;
  }
  // a view draws its first frame as it is shown: the frame it appears in starts with the next animation frame
  if (isView) requestAnimationFrame(() => mark('first-frame'));
};
document.addEventListener('keydown', (e) => {
  const tag = (e.target as HTMLElement).tagName;
  if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return;
  if (tag === 'BUTTON' && (e.key === ' ' || e.key === 'Enter')) return; // the button's own click
  functions.key(e);
});

// VS Code changes the theme by rewriting CSS variables and body classes; the
// charts read their colours when built, so they are rebuilt.
let restyleTimer: number | undefined;
const restyle = (): void => {
  if (restyleTimer !== undefined) window.clearTimeout(restyleTimer);
  restyleTimer = window.setTimeout(() => {
    functions.restyle();
    network.restyle();
  }, 50);
};
const themeWatch = new MutationObserver(restyle);
themeWatch.observe(document.body, { attributes: true, attributeFilter: ['class'] });
themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });

// the messages that came before this script ran (html.ts keeps them), then the rest as they come
const early = (window as { glEarly?: MessageEvent[] }).glEarly ?? [];
(window as { glEarly?: MessageEvent[] }).glEarly = undefined;
for (const e of early) receive(e);
window.addEventListener('message', receive);
post({ type: 'ready', shown: hasView });
