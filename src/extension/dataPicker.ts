/**
 * The data picker: for each argument of a cost over data, the arrays of the
 * file or notebook and the columns of the data files in the workspace beside
 * it whose shape fits, offered as a QuickPick. What it returns is bound as the
 * command line's `--data` is (argument → array name or `file.csv:column`).
 * Part of the panel's lazily loaded bundle.
 */
import * as vscode from 'vscode';
import { DATA_FILE, dataFileTable } from '../core/code/binding';
import type { FunctionDefinition } from '../core/source/definition';
import type { DocumentModel } from './documentModel';
import { located } from './problems';

/** Something an argument can be bound to: `source` as `--data` takes it. */
export interface DataCandidate extends vscode.QuickPickItem {
  source: string;
  samples: number;
  /** numbers per sample: 1 for a column */
  width: number;
}

/** Shows the candidates and answers the one picked (the tests answer in its place). */
export type QuickPick = (items: DataCandidate[], options: vscode.QuickPickOptions) => Thenable<DataCandidate | undefined>;

/** The most data files listed, and the most columns of one. */
const MAX_FILES = 40;
const MAX_COLUMNS = 50;

/** The columns of the data files in the folder of `base` and below, named relative to it (as the code and `--data` name them). */
async function fileColumns(model: DocumentModel, base: vscode.Uri): Promise<DataCandidate[]> {
  if (base.scheme === 'untitled') return [];
  const folder = vscode.Uri.joinPath(base, '..');
  let uris: vscode.Uri[];
  try {
    uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.{csv,tsv,txt,dat,npy}'), '**/node_modules/**', MAX_FILES);
  } catch {
    return []; // a file system that cannot be searched: the module's arrays are still offered
  }
  const out: DataCandidate[] = [];
  for (const uri of uris.sort((a, b) => a.path.localeCompare(b.path))) {
    const relative = uri.path.slice(folder.path.length + 1);
    if (!DATA_FILE.test(relative) || !uri.path.startsWith(`${folder.path}/`)) continue;
    const content = await model.readData(uri);
    if (content === undefined || !(typeof content === 'string' || content instanceof Uint8Array)) continue;
    const table = dataFileTable(relative, content);
    // a file that is not numbers in columns (notes, a README.txt) is no candidate
    if (typeof table === 'string' || table.count === 0) continue;
    const width = Math.min(table.width, MAX_COLUMNS);
    for (let j = 0; j < width; j++) {
      const name = table.columns[j];
      // by its header where that names it alone, else by its index
      const key = name && /^\w+$/.test(name) && table.columns.indexOf(name) === j ? name : String(j);
      out.push({
        label: `${relative} — ${name ? `${name} (column ${j})` : `column ${j}`}`,
        source: `${relative}:${key}`,
        samples: table.count,
        width: 1,
      });
    }
  }
  return out;
}

/**
 * Asks, for `only` or for each argument `def` reads as data in turn, which
 * array or column to bind; every choice after the first must have as many
 * samples as the data already fixed. Undefined when the user cancels or
 * nothing fits (said in a message).
 */
export async function pickData(model: DocumentModel, doc: vscode.TextDocument, def: FunctionDefinition, only: string | undefined, pick: QuickPick): Promise<Record<string, string> | undefined> {
  const choice = def.dataChoice;
  const args = choice?.args.filter((a) => only === undefined || a.arg === only) ?? [];
  if (!choice || args.length === 0) return undefined;
  const arrays: DataCandidate[] = choice.arrays.map((a) => ({ label: a.name, source: a.name, samples: a.samples, width: a.width }));
  const candidates = [...arrays, ...(await fileColumns(model, model.dataBase(doc)))];
  const bound = new Map((def.data ?? []).map((d) => [d.arg, d]));
  // choosing one argument: the others keep their data, and with it its number of samples
  let samples = only === undefined ? undefined : def.data?.find((d) => d.arg !== only)?.samples;
  const out: Record<string, string> = {};
  const f = def.name ?? 'f';
  for (const [k, a] of args.entries()) {
    const current = bound.get(a.arg);
    const fits = candidates.filter((c) => c.width === a.width && (samples === undefined || c.samples === samples));
    if (fits.length === 0) {
      void vscode.window.showInformationMessage(`Gradient Lens: nothing to bind to ${a.arg} of ${f}: no array in the code and no column of a data file beside it${a.width > 1 ? ` has ${a.width} numbers per sample` : ''}${samples === undefined ? '' : ` with ${samples} samples`}.`);
      return undefined;
    }
    const items = fits.map((c) => ({
      ...c,
      description: `${c.samples} samples${c.width > 1 ? ` × ${c.width}` : ''}${c.source === current?.source ? ` · bound now${current.why === 'name' ? ' (a guess by name)' : ''}` : ''}`,
    }));
    // what is bound now first: Enter keeps it
    items.sort((x, y) => Number(y.source === current?.source) - Number(x.source === current?.source));
    const picked = await pick(items, {
      title: `Bind data to ${a.arg} of ${f}${args.length > 1 ? ` (${k + 1} of ${args.length})` : ''}`,
      placeHolder: `an array of the code or a column of a data file${samples === undefined ? '' : `, ${samples} samples`}`,
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    out[a.arg] = picked.source;
    samples = picked.samples;
  }
  return out;
}

/** A definition's place, as the panel's target (panel.ts imports this file's types: no import back). */
interface Target { uri: vscode.Uri; line: number }

/**
 * "Bind Data…" on the cost at `target`: the picker, then the choice kept for
 * the definition while its document is open, and the panel shown on it.
 */
export async function chooseData(model: DocumentModel, target: Target, only: string | undefined, pick: QuickPick, panel: { show(t: Target): Promise<void>; warn(message: string): void }): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(target.uri);
  const built = model.definitionNear(doc, target.line);
  const def = built?.ok && built.def.kind === 'function' ? built.def : undefined;
  if (!def?.dataChoice || !def.name || (only !== undefined && !def.dataChoice.args.some((a) => a.arg === only))) {
    panel.warn(`Gradient Lens: no named cost over data${only === undefined ? '' : ` with an argument ${only}`} at ${located(doc, target.line + 1)} to bind data to.`);
    return;
  }
  const chosen = await pickData(model, doc, def, only, pick);
  if (!chosen) return;
  model.choose(doc, def.name, chosen);
  await panel.show(target);
}
