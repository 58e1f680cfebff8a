/**
 * Hover over a parameter: ∂f/∂x, symbolic and evaluated at the current point
 * (the panel's step when it is open, else the start point), with the numeric
 * estimate beside it. Over the function's name: the whole gradient ∇f. Over a
 * local variable: its value and ∂f/∂local. Always a link to the panel.
 */
import * as vscode from 'vscode';
import { NamedPartialText, analyzeFunction, analyzeUnbound, tapeOf, unboundMessage } from '../core/analysis';
import { breakFormula, fmt } from '../core/format';
import { partialLines } from '../core/notation';
import { symbolicLoaded, warmUp } from '../core/symbolic';
import { FunctionDefinition, bindingsText } from '../core/source/definition';
import { NetworkDefinition } from '../core/network/spec';
import { Trainer } from '../core/network/trainer';
import type { EngineState } from './networkEngine';
import { DocumentModel, LastReading } from './documentModel';
import { LineIndex, offsetBefore } from '../core/errors';
import { PanelController } from './panel';
import { settings } from './settings';

const WORD = /[\p{L}_][\p{L}\p{N}_]*/u;

export class GradientHoverProvider implements vscode.HoverProvider {
  constructor(private readonly model: DocumentModel, private readonly panel: PanelController) {}

  /**
   * What a hover showed, per definition (one object per document version) and
   * per point, word and settings: hovering again over an unchanged cost over
   * 10,000 samples answers without recomputing its sums.
   */
  private readonly shown = new WeakMap<FunctionDefinition, Map<string, vscode.MarkdownString>>();

  provideHover(doc: vscode.TextDocument, position: vscode.Position, token?: vscode.CancellationToken): vscode.ProviderResult<vscode.Hover> {
    const built = this.model.definitionContaining(doc, position.line);
    // the readers (in a browser) or a data file the definition reads are still being read (asynchronously): answer once they are
    const reading = this.model.whenRead(doc);
    if (reading) return reading.then(() => (token?.isCancellationRequested ? undefined : this.provideHover(doc, position, token)));
    if (!built) return undefined;
    const wordRange = doc.getWordRangeAtPosition(position, WORD);
    if (!built.ok) {
      const e = built.error;
      const problem = new vscode.MarkdownString();
      problem.appendMarkdown('**Gradient Lens** cannot read this definition\n\n');
      problem.appendText(`line ${e.line}, column ${e.column}: ${e.message}`);
      const stale = built.stale && this.staleHover(doc, position, wordRange, built.stale, problem);
      if (stale) return new vscode.Hover(stale, wordRange);
      return e.line - 1 === position.line ? new vscode.Hover(problem, wordRange) : undefined;
    }
    if (built.def.kind === 'network') {
      const md = this.networkHover(doc, built.def, doc.offsetAt(position), (o) => doc.positionAt(o).line);
      return md && new vscode.Hover(md, wordRange);
    }
    if (!wordRange) return undefined;
    const word = doc.getText(wordRange);
    const def = built.def;
    const offset = doc.offsetAt(wordRange.start);
    const onName = def.name === word && offset >= def.nameRange.start && offset < def.nameRange.end;
    const isParam = def.params.includes(word);
    const local = def.locals.find((l) => l.name === word);
    if (!onName && !isParam && !local) return undefined;
    return new vscode.Hover(this.render(doc, def, onName ? undefined : word, local !== undefined && !isParam), wordRange);
  }

  /**
   * Over a layer's line: its index, W and b shapes, parameter count,
   * activation and, at the current training step, ‖∂L/∂W‖ and ‖∂L/∂b‖. Over
   * the model's name: a summary. `offset` is where the pointer is in the text
   * `def` was read from, `lineOf` that text's 0-based line of an offset.
   */
  private networkHover(doc: vscode.TextDocument, def: NetworkDefinition, offset: number, lineOf: (offset: number) => number): vscode.MarkdownString | undefined {
    const session = this.panel.currentNetwork(doc.uri, def.startLine);
    // Without the panel (or before its engine spoke): a fresh trainer's first backward pass (epoch 0)
    const state = session?.state ?? initialState(def);
    const line = lineOf(offset);
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['gradientLens.visualize'] };
    const when = session?.state ? `at epoch ${state.epoch}` : 'at initialisation (epoch 0)';
    const li = def.layers.findIndex((l) => line >= lineOf(l.range.start) && line <= lineOf(l.range.end));
    const onName = def.nameRange && offset >= def.nameRange.start && offset <= def.nameRange.end;
    if (li >= 0) {
      const l = def.layers[li];
      const fanIn = li === 0 ? def.inputs : def.layers[li - 1].units;
      const norms = state.gradNorms[li];
      md.appendMarkdown(`**Layer ${li + 1} of ${def.layers.length}** — dense, ${l.units} units, activation \`${l.activation}\`

`);
      md.appendMarkdown(`W: ${l.units} × ${fanIn}, b: ${l.units} — ${l.units * fanIn + l.units} parameters

`);
      if (norms) md.appendMarkdown(`‖∂L/∂W‖ = **${fmt(norms.w)}**, ‖∂L/∂b‖ = **${fmt(norms.b)}** ${when}

`);
    } else if (onName || line + 1 === def.startLine) {
      md.appendMarkdown(`**${escape(def.name ?? 'network')}** — ${def.framework} network ${def.inputs} → ${def.layers.map((l) => `${l.units} ${l.activation}`).join(' → ')}

`);
      md.appendMarkdown(`${state.parameterCount} parameters; loss \`${def.loss}\`; optimizer ${state.optimizer} (η = ${fmt(state.learningRate)})

`);
      md.appendMarkdown(state.last ? `last loss ${fmt(state.last.loss)} at epoch ${state.last.epoch}

` : `loss ${fmt(state.lossBefore ?? NaN)} before training

`);
    } else return undefined;
    for (const n of def.notes) md.appendMarkdown(`_${escape(n)}_

`);
    const args = encodeURIComponent(JSON.stringify([{ uri: doc.uri.toString(), line: def.startLine - 1 }]));
    md.appendMarkdown(`[$(graph-line) Visualize Gradient Descent](command:gradientLens.visualize?${args})`);
    return md;
  }

  /**
   * The hover of a definition as it last read, below what is wrong now: a
   * function's over its name, a parameter or a local; a network's over a
   * layer or its first line, found where the pointer was in the text it last
   * read from (undefined over text the edit changed).
   */
  private staleHover(doc: vscode.TextDocument, position: vscode.Position, wordRange: vscode.Range | undefined, stale: LastReading, problem: vscode.MarkdownString): vscode.MarkdownString | undefined {
    const def = stale.def;
    let last: vscode.MarkdownString | undefined;
    if (def.kind === 'network') {
      const offset = offsetBefore(stale.text, doc.getText(), doc.offsetAt(position));
      if (offset !== undefined) {
        const lines = new LineIndex(stale.text);
        last = this.networkHover(doc, def, offset, (o) => lines.position(o).line - 1);
      }
    } else if (wordRange) {
      const word = doc.getText(wordRange);
      const isParam = def.params.includes(word);
      const isLocal = !isParam && def.locals.some((l) => l.name === word);
      if (def.name === word || isParam || isLocal) last = this.render(doc, def, def.name === word && !isParam ? undefined : word, isLocal);
    }
    if (!last) return undefined;
    const md = new vscode.MarkdownString(`${problem.value}\n\n---\n\n_Stale: as the ${def.kind === 'network' ? 'model' : 'definition'} last read, before this edit_\n\n${last.value}`, true);
    md.isTrusted = last.isTrusted;
    return md;
  }

  /** A cost over data with no data in the file: its partials over m symbolic samples, how to bind data, and the picker. */
  private unboundHover(doc: vscode.TextDocument, def: FunctionDefinition, word: string | undefined): vscode.MarkdownString {
    const a = analyzeUnbound(def);
    const f = def.name ?? 'f';
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['gradientLens.visualize', 'gradientLens.chooseData'] };
    const params = word && def.params.includes(word) ? [word] : def.params;
    md.appendMarkdown(params.length === 1 ? `**∂${escape(f)}/∂${escape(params[0])}** over m samples\n\n` : `**∇${escape(f)}** over m samples\n\n`);
    for (const p of params) appendPartial(md, f, p, a.gradient[p], def.params, a.gradientNamed?.[p]);
    for (const note of def.assumed ?? []) md.appendMarkdown(`\n_${escape(note)}_\n`);
    md.appendMarkdown(`\n${escape(unboundMessage(def, 'Bind data… below'))}\n\n`);
    md.appendMarkdown(`${commandLink('$(database) Bind data…', 'gradientLens.chooseData', doc, def)} · ${commandLink('$(graph-line) Visualize Gradient Descent', 'gradientLens.visualize', doc, def)}`);
    return md;
  }

  private render(doc: vscode.TextDocument, def: FunctionDefinition, word: string | undefined, isLocal: boolean): vscode.MarkdownString {
    const s = settings();
    const panelPoint = this.panel.currentPoint(doc.uri, def);
    const at = panelPoint ?? Object.fromEntries(def.params.map((p) => [p, def.defaults[p] ?? s.startPoint]));
    // Numbers first: until mathjs is loaded the hover answers from backprop and finite differences
    // at once, and loads mathjs right after, so the symbolic form is there on the next hover.
    const ready = symbolicLoaded();
    if (!ready) setTimeout(() => { try { warmUp(); } catch { /* the hover said what it could */ } }, 0);
    const key = JSON.stringify([def.params.map((p) => at[p]), word ?? null, isLocal, ready, s.learningRate, panelPoint !== undefined]);
    let shown = this.shown.get(def);
    const before = shown?.get(key);
    if (before) return before;
    if (!shown) this.shown.set(def, (shown = new Map()));
    if (shown.size > 64) shown.clear();
    const md = this.compute(doc, def, word, isLocal, at, ready, panelPoint !== undefined);
    shown.set(key, md);
    return md;
  }

  private compute(doc: vscode.TextDocument, def: FunctionDefinition, word: string | undefined, isLocal: boolean, at: Record<string, number>, ready: boolean, atPanel: boolean): vscode.MarkdownString {
    if (def.symbolicSum) return this.unboundHover(doc, def, word);
    const s = settings();
    const a = analyzeFunction(def, { start: at, learningRate: s.learningRate, maxSteps: 0, symbolic: ready, graph: false });
    const f = def.name ?? 'f';
    const where = def.params.map((p) => `${p} = ${fmt(a.at[p])}`).join(', ');
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ['gradientLens.visualize', 'gradientLens.chooseData', 'gradientLens.chooseRoles'] };
    const code = (t: string): string => '`' + t.replace(/`/g, "'") + '`';

    if (isLocal && word) {
      const tape = tapeOf(def);
      tape.forward(def.params.map((p) => a.at[p]));
      tape.backward();
      const node = tape.nodes.find((n) => n.label === word);
      md.appendMarkdown(`**${escape(word)}** — a named intermediate of ${code(f)}\n\n`);
      if (node) {
        md.appendMarkdown(`${code(`${word} = ${fmt(tape.values[node.id])}`)}  \n`);
        md.appendMarkdown(`${code(`∂${f}/∂${word} = ${fmt(tape.adjoints[node.id])}`)} (backprop)\n\n`);
      }
      md.appendMarkdown(`at ${escape(where)}${atPanel ? ' (the panel’s current step)' : ' (the start point)'}\n\n`);
    } else {
      const params = word ? [word] : def.params;
      md.appendMarkdown(word ? `**∂${escape(f)}/∂${escape(word)}**\n\n` : `**∇${escape(f)}** — the gradient of ${code(`${f}(${def.params.join(', ')})`)}\n\n`);
      for (const p of params) {
        appendPartial(md, f, p, a.gradient[p], def.params, a.gradientNamed?.[p], def.sumForm?.count);
        md.appendMarkdown(`= **${fmt(a.gradientAt[p])}** (numeric ${fmt(a.numericGradientAt[p])})\n\n`);
      }
      md.appendMarkdown(`at ${escape(where)}${atPanel ? ' (the panel’s current step)' : ' (the start point)'}; ${escape(f)} = ${fmt(a.value)}\n\n`);
      // a cost over data: which names hold the samples, which are the parameters
      if (def.data?.length) md.appendMarkdown(`${escape(bindingsText(def.data))}; parameters: ${escape(def.params.join(', '))}\n\n`);
      if (a.symbolicNote) md.appendMarkdown(`_${escape(a.symbolicNote)}_\n\n`);
    }
    for (const note of def.assumed ?? []) md.appendMarkdown(`_${escape(note)}_\n\n`);
    if (a.undefinedAt) md.appendMarkdown(`⚠ ${escape(a.undefinedAt.message)}\n\n`);
    for (const c of a.checks) if (c.disagree && c.message && (!word || c.param === word)) md.appendMarkdown(`⚠ ${escape(c.message)}\n\n`);
    // data bound by a guess (or chosen): the picker is one click away
    const guessed = def.data?.some((d) => d.why !== 'call') && def.name;
    // a plain-number forward pass: which of its numbers are parameters is the user's to change
    const roles = def.roleNames ? `${commandLink('$(symbol-variable) Parameters…', 'gradientLens.chooseRoles', doc, def)} · ` : '';
    md.appendMarkdown(`${guessed ? `${commandLink('$(database) Choose data…', 'gradientLens.chooseData', doc, def)} · ` : ''}${roles}${commandLink('$(graph-line) Visualize Gradient Descent', 'gradientLens.visualize', doc, def)}`);
    return md;
  }
}

/** A link running a command on this definition. */
function commandLink(label: string, command: string, doc: vscode.TextDocument, def: FunctionDefinition): string {
  const args = encodeURIComponent(JSON.stringify([{ uri: doc.uri.toString(), line: def.startLine - 1 }]));
  return `[${label}](command:${command}?${args})`;
}

/** Characters of a formula on one hover line. */
const HOVER_WIDTH = 64;

/** Escapes Markdown so user names never turn into links or HTML. */
function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, (c) => `\\${c}`);
}

/** ∂f/∂p's lines (partialLines), each on one line of the hover, a long one broken at its terms so the hover stays narrow. */
function appendPartial(md: vscode.MarkdownString, f: string, p: string, symbolic: string | undefined, params: readonly string[], named?: NamedPartialText, samples?: number | null): void {
  for (const text of partialLines(f, p, symbolic, params, named, samples)) {
    if (text.length > HOVER_WIDTH) md.appendCodeblock(breakFormula(text, HOVER_WIDTH), 'text');
    else md.appendMarkdown(`\`${text.replace(/`/g, "'")}\`  \n`);
  }
}

/** Per reading of a model (one object per document version): a model of real size takes a forward and backward pass over all its data. */
const initialStates = new WeakMap<NetworkDefinition, EngineState>();

/** A network's figures before any training, as the engine would report them: the first backward pass over its data. */
function initialState(def: NetworkDefinition): EngineState {
  const known = initialStates.get(def);
  if (known) return known;
  const t = new Trainer(def);
  t.mlp.forward(t.data.x, t.data.count);
  const lossBefore = t.mlp.lossValue(t.data.y);
  t.gradNorms = t.mlp.backward(t.data.y);
  const state: EngineState = { ...t.figures(lossBefore), playing: false };
  initialStates.set(def, state);
  return state;
}
