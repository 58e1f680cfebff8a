/**
 * The browser's side of the seam (platform.ts): VS Code's web worker extension
 * host (vscode.dev, github.dev). There is no `process`, no `fs`, and the
 * `require` the host gives an extension knows only `vscode`. So the parts the
 * Node bundles require on first use (dist/web/mathjs-engine.js, dist/web/code.js)
 * are fetched from the extension's folder right after activation, off the
 * worker's thread, and evaluated when first needed, the way the host evaluates
 * the extension's own entry file. The worker's `fetch` resolves the
 * extension's `vscode-remote:`/`file:` URIs itself; on vscode.dev they are
 * https URLs.
 */
import * as vscode from 'vscode';
import type { EngineInput, EngineOutput, EnginePort } from './networkEngine';
import { Platform, besidePosix, engineFailed, engineOnThisThread } from './platform';

/** The separately bundled parts, by file name in dist/web/. */
const PARTS = ['mathjs-engine.js', 'code.js', 'panel-parts.js'] as const;
type PartName = (typeof PARTS)[number];

const sources = new Map<PartName, { text: string; url: string }>();
const modules = new Map<PartName, unknown>();
let fetching: Promise<void> | undefined;

async function fetchOwn(uri: vscode.Uri): Promise<Response> {
  const r = await fetch(uri.toString(true));
  if (!r.ok) throw new Error(`${uri.path}: ${r.status} ${r.statusText}`);
  return r;
}

/**
 * A part, evaluated on first use. Core code requires it synchronously (the web
 * bundle's `require('./mathjsEngine')` and `require('./code/program')` land
 * here): the extension awaits `partsLoading()` before it reads a document.
 */
export function part(name: PartName): unknown {
  if (modules.has(name)) return modules.get(name);
  const source = sources.get(name);
  if (!source) throw new Error(`Gradient Lens: ${name} is still loading`);
  const module = { exports: {} as unknown };
  // Our own bundle from the extension's folder (never user text), evaluated as
  // the web worker host evaluates an extension's entry file.
  // eslint-disable-next-line no-new-func -- our own bundle, never user text
  const evaluate = new Function('module', 'exports', 'require', `${source.text}\n//# sourceURL=${source.url}`);
  evaluate(module, module.exports, (request: string) => {
    if (request === 'vscode') return vscode;
    const wanted = PARTS.find((p) => request === `./${p}`);
    if (!wanted) throw new Error(`Gradient Lens: ${name} asked for '${request}', which the browser build does not have`);
    return part(wanted);
  });
  modules.set(name, module.exports);
  return module.exports;
}

export function webPlatform(context: vscode.ExtensionContext): Platform {
  const own = (relative: string): vscode.Uri => vscode.Uri.joinPath(context.extensionUri, relative);
  // started now, awaited when a document is first read
  fetching ??= Promise.all(PARTS.map(async (name) => {
    const uri = own(`dist/web/${name}`);
    sources.set(name, { text: await (await fetchOwn(uri)).text(), url: uri.toString(true) });
  })).then(() => undefined);
  return {
    kind: 'web',
    partsLoading: () => (PARTS.every((p) => sources.has(p)) ? undefined : fetching),
    fileBeside: besidePosix,
    readOwnFile: async (relative) => new Uint8Array(await (await fetchOwn(own(relative))).arrayBuffer()),
    startEngine: () => webEngine(own('dist/web/network-worker.js')),
  };
}

/** The worker's script as a blob: URL, fetched once (the extension's files may be on another origin than the host's worker). */
let workerUrl: Promise<string> | undefined;

/**
 * The engine in a Web Worker of its own (VS Code's worker host gives
 * extensions nested workers): messages wait until it has started; where it
 * cannot start, they go to the engine on this thread instead.
 */
function webEngine(script: vscode.Uri): EnginePort {
  const listeners: Array<(m: EngineOutput) => void> = [];
  const emit = (m: EngineOutput): void => listeners.forEach((l) => l(m));
  let target: Omit<EnginePort, 'onMessage'> | undefined;
  let queue: EngineInput[] | undefined = [];
  let terminated = false;
  workerUrl ??= fetchOwn(script).then(async (r) => URL.createObjectURL(new Blob([await r.text()], { type: 'text/javascript' })));
  workerUrl.then((url) => {
    const worker = new Worker(url);
    worker.onmessage = (e: MessageEvent<EngineOutput>) => emit(e.data);
    worker.onerror = (e: ErrorEvent) => emit(engineFailed(e.message));
    return { runsIn: 'worker' as const, post: (m: EngineInput) => worker.postMessage(m), terminate: () => worker.terminate() };
  }).catch(() => {
    const local = engineOnThisThread();
    local.onMessage(emit);
    return local;
  }).then((t) => {
    target = t;
    if (terminated) t.terminate();
    else for (const m of queue ?? []) t.post(m);
    queue = undefined;
  });
  return {
    get runsIn() {
      return target?.runsIn ?? 'starting';
    },
    post: (m) => (target ? target.post(m) : queue?.push(m)),
    onMessage: (l) => listeners.push(l),
    terminate: () => {
      terminated = true;
      target?.terminate();
    },
  };
}
