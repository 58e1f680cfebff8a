/**
 * Jupyter notebooks (.ipynb): the cells, and the document the kernel would
 * see for a code cell — every code cell in order — with the map back from
 * its lines to (cell, line), so messages land in the right cell.
 */
import { UserError } from './errors';

export interface Cell { kind: 'code' | 'markdown' | 'raw'; source: string; language: string }

export function readNotebook(json: string): Cell[] {
  let nb: unknown;
  try {
    nb = JSON.parse(json);
  } catch (e) {
    throw new UserError(`the notebook is not valid JSON (${(e as Error).message})`, 1, 1);
  }
  const cells = (nb as { cells?: unknown }).cells;
  if (!Array.isArray(cells)) throw new UserError('the notebook has no "cells" list', 1, 1);
  const lang = ((nb as { metadata?: { language_info?: { name?: string }; kernelspec?: { language?: string } } }).metadata?.language_info?.name
    ?? (nb as { metadata?: { kernelspec?: { language?: string } } }).metadata?.kernelspec?.language ?? 'python').toLowerCase();
  return cells.map((c: { cell_type?: string; source?: string | string[] }) => ({
    kind: c.cell_type === 'code' ? 'code' : c.cell_type === 'markdown' ? 'markdown' : 'raw',
    source: Array.isArray(c.source) ? c.source.join('') : typeof c.source === 'string' ? c.source : '',
    language: c.cell_type === 'markdown' ? 'markdown' : lang,
  }));
}

export interface CellDocument {
  text: string;
  language: string;
  /** the 1-based line in `text` where the chosen cell begins */
  firstLine: number;
  /** a line of `text` → the 1-based cell and the line inside it */
  locate(line: number): { cell: number; line: number };
}

/**
 * The text a cell is read in: a Markdown cell alone; a code cell together
 * with every other code cell of the notebook, in order (names defined above
 * and calls made below are both visible, as after running all cells).
 */
export function cellDocument(cells: Array<{ kind: string; source: string; language: string }>, index: number): CellDocument {
  const cell = cells[index];
  if (!cell) throw new UserError(`the notebook has ${cells.length} cells; there is no cell ${index + 1}`, 1, 1);
  if (cell.kind !== 'code') {
    return { text: cell.source, language: cell.kind === 'markdown' ? 'markdown' : 'plaintext', firstLine: 1, locate: (line) => ({ cell: index + 1, line }) };
  }
  const parts: string[] = [];
  const starts: Array<{ cell: number; line: number }> = [];
  let line = 1;
  let firstLine = 1;
  cells.forEach((c, i) => {
    if (c.kind !== 'code' || c.language !== cell.language) return;
    // IPython magics and shell escapes are not Python
    const src = c.source.replace(/^[ \t]*[%!].*$/gm, '');
    if (i === index) firstLine = line;
    starts.push({ cell: i + 1, line });
    parts.push(src.endsWith('\n') ? src : src + '\n');
    line += (src.endsWith('\n') ? src : src + '\n').split('\n').length - 1;
  });
  return {
    text: parts.join(''),
    language: cell.language === 'javascript' || cell.language === 'typescript' ? cell.language : 'python',
    firstLine,
    locate: (l) => {
      let s = starts[0];
      for (const x of starts) if (x.line <= l) s = x;
      return { cell: s.cell, line: l - s.line + 1 };
    },
  };
}
