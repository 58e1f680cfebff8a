/**
 * Parameters and held names of a plain-number forward pass: its names given a
 * written number, offered in a QuickPick with the parameters ticked; what is
 * ticked becomes the parameters, the rest are held as written, as the command
 * line's `--free` and `--hold` make them. Part of the panel's lazily loaded bundle.
 */
import * as vscode from 'vscode';
import type { Role } from '../core/code/statements';
import type { DocumentModel } from './documentModel';
import { located } from './problems';

export interface RoleItem extends vscode.QuickPickItem {
  name: string;
}

/** Shows the names, several pickable, and answers those ticked (the tests answer in its place). */
export type RolePick = (items: RoleItem[], options: vscode.QuickPickOptions) => Thenable<readonly RoleItem[] | undefined>;

/** A definition's place, as the panel's target (panel.ts imports this file's types: no import back). */
interface Target { uri: vscode.Uri; line: number }

/**
 * The picker on the forward pass at `target`, then the choice kept for its
 * document while it is open, and the panel shown on it. Nothing ticked is
 * refused: with no parameter there is nothing to descend on, and nothing left
 * to open this picker from.
 */
export async function chooseRoles(model: DocumentModel, target: Target, pick: RolePick, panel: { show(t: Target): Promise<void>; warn(message: string): void }): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(target.uri);
  const built = model.definitionNear(doc, target.line);
  const def = built?.ok && built.def.kind === 'function' ? built.def : undefined;
  if (!def?.roleNames) {
    panel.warn(`Gradient Lens: no forward pass over plain numbers (names given numbers, such as w1 = 0.15) at ${located(doc, target.line + 1)} to choose parameters of.`);
    return;
  }
  const f = def.name ?? 'f';
  const items: RoleItem[] = def.roleNames.map((name) => ({
    label: name,
    name,
    description: def.params.includes(name) ? `parameter = ${def.defaults[name]}` : 'held',
    picked: def.params.includes(name),
  }));
  const picked = await pick(items, { title: `Parameters of ${f}: tick the names to differentiate; the others are held as written`, placeHolder: 'parameters (ticked) and held numbers' });
  if (!picked) return;
  if (picked.length === 0) {
    panel.warn(`Gradient Lens: ${f} needs at least one parameter to descend on; nothing was changed.`);
    return;
  }
  // only what changed: a name this formula does not read keeps its role for the document's other formulas
  const free = new Set(picked.map((p) => p.name));
  const changed = def.roleNames.filter((n) => free.has(n) !== def.params.includes(n));
  model.chooseRoles(doc, Object.fromEntries(changed.map((n): [string, Role] => [n, free.has(n) ? 'parameter' : 'held'])));
  await panel.show(target);
}
