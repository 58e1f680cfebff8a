/**
 * Finds the definition under the cursor in a document, whatever its language.
 */
import type { Candidate as AnyCandidate } from './candidate';
import { LineIndex, UserError } from './errors';
import { SourceText } from './expr/sourceText';
import { FunctionDefinition, LanguageId } from './source/definition';
import { networkCandidates } from './network/parse';
import type { NetworkDefinition } from './network/spec';
import { DocumentFunctions, SumData, latexToMath, mathCandidatesIn, plainTextCandidates } from './source/math';
import { maskCode } from './text/scan';
import type { CodeContext } from './code/program';

type CodeModule = typeof import('./code/program');
let code: CodeModule | undefined;

/**
 * The Python and JS/TS front end (grammars, interpreter) is its own bundle
 * (dist/code.js), required on first use so activating the extension stays light.
 */
/** Loads the code front end and its grammars ahead of the first hover (the extension calls this when idle after activation). */
export function preloadCodeReader(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  code ??= require('./code/program') as CodeModule;
  code.parseProgram('def f(w):\n    return w\n', 'python');
  code.parseProgram('const f = (w) => w;\n', 'js');
}

function codeCandidates(...args: Parameters<CodeModule['codeCandidates']>): ReturnType<CodeModule['codeCandidates']> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  code ??= require('./code/program') as CodeModule;
  return code.codeCandidates(...args);
}

/** A scalar function or a small network: what can be visualized. */
export type Definition = FunctionDefinition | NetworkDefinition;
export type Candidate = AnyCandidate<Definition>;

/** The largest document the scanners read (characters). */
export const MAX_DOCUMENT_CHARS = 2_000_000;

type Syntax = 'python' | 'js' | 'math';

export function syntaxOf(language: LanguageId): Syntax {
  if (language === 'python') return 'python';
  if (['javascript', 'typescript', 'javascriptreact', 'typescriptreact'].includes(language)) return 'js';
  return 'math';
}

/** Every candidate definition in the document, in document order. */
export function allCandidates(doc: string, language: LanguageId, lines = new LineIndex(doc), ctx: CodeContext = {}): Candidate[] {
  if (doc.length > MAX_DOCUMENT_CHARS) throw new UserError(`the document is too large to scan (${doc.length} characters; the limit is ${MAX_DOCUMENT_CHARS})`, 1, 1);
  const syntax = syntaxOf(language);
  let found: Candidate[];
  if (syntax === 'python' || syntax === 'js') {
    found = codeCandidates(doc, lines, language, syntax, ctx);
    // Math notation in comment lines: `# f(x) = x^2`, docstrings. (A network spec's `network:` says it is meant: it stays a definition.)
    const masked = maskCode(doc, syntax);
    const commentLine = (line: number): boolean => {
      const a = lines.lineStart(line);
      const e = lines.lineEnd(line);
      return masked.slice(a, e).trim() === '' && doc.slice(a, e).trim() !== '';
    };
    found.push(...plainTextCandidates(doc, lines, language, commentLine, new DocumentFunctions()).map(fromComment));
  } else if (language === 'markdown') {
    found = markdownCandidates(doc, lines);
  } else {
    found = plainTextCandidates(doc, lines, language, undefined, new DocumentFunctions());
  }
  found.push(...networkCandidates(doc, lines, language));
  // in document order (two definitions on one line are both kept)
  return found.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

/** What may stand between the cursor and the definition below it: blank lines, comments, imports, decorators. */
const PREAMBLE = /^\s*(?:#.*|\/\/.*|\/\*.*|\*.*|import\b.*|from\s+\S+\s+import\b.*|@.*|['"]{3}.*|)$/;

/** A candidate read from a comment: marked, and read once (whether it reads decides whether it is offered). */
function fromComment(c: Candidate): Candidate {
  let read: { def: Definition } | { err: unknown } | undefined;
  const build = (): Definition => {
    if (!read) {
      try {
        read = { def: c.build() };
      } catch (err) {
        read = { err };
      }
    }
    if ('err' in read) throw read.err;
    return read.def;
  };
  return { ...c, build, inComment: true };
}

/** Whether a candidate is a definition for a cursor on its lines: one read from a comment only when it reads (prose is not a broken formula). */
function offered(c: Candidate): boolean {
  if (!c.inComment) return true;
  try {
    c.build();
    return true;
  } catch (e) {
    if (e instanceof UserError) return false;
    throw e;
  }
}

/** The innermost candidate whose lines contain a 1-based line (a formula in a docstring, not its def), if it is offered there. */
export function candidateContaining(candidates: Candidate[], line: number): Candidate | undefined {
  let found: Candidate | undefined;
  for (const c of candidates) {
    if (c.startLine <= line && line <= c.endLine && (!found || c.startLine >= found.startLine) && offered(c)) found = c;
  }
  return found;
}

/**
 * The candidate at a 1-based line: the one containing it; else, when only
 * blank lines, comments, imports or decorators lie between the cursor and
 * the next definition, that one; else, on a blank line or two just below a
 * definition, that one. Never a definition further away, and never one in a
 * comment the cursor is not on: the cursor decides (`lineText` gives the
 * document's lines; without it, the next one).
 */
export function candidateAt(candidates: Candidate[], line: number, lineText?: (line: number) => string): Candidate | undefined {
  const containing = candidateContaining(candidates, line);
  if (containing) return containing;
  const code = candidates.filter((c) => !c.inComment);
  const after = code.find((c) => c.startLine > line);
  const before = code.filter((c) => c.endLine < line).pop();
  if (!lineText) return after ?? before;
  if (after) {
    let clear = true;
    for (let l = line; l < after.startLine && clear; l++) clear = PREAMBLE.test(lineText(l));
    if (clear) return after;
  }
  // on a blank line or two right below a definition (the end of a formula or a file), that definition
  if (before && line - before.endLine <= 2) {
    let blank = true;
    for (let l = before.endLine + 1; l <= line && blank; l++) blank = lineText(l).trim() === '';
    if (blank) return before;
  }
  return undefined;
}

/** The message when the cursor's line is in no definition: it names the nearest one outside comments. */
export function notInDefinition(candidates: Candidate[], line: number, language: LanguageId): UserError {
  const code = candidates.filter((c) => !c.inComment);
  if (code.length === 0) return new UserError(`no function or network definition found at line ${line}: write one such as ${exampleFor(language)}`, line, 1);
  const nearest = code.reduce((a, b) => (distance(b, line) < distance(a, line) ? b : a));
  let name = 'a definition';
  try {
    const d = nearest.build();
    name = d.name ? `'${d.name}'` : d.kind === 'network' ? 'a network' : 'a function';
  } catch {
    // the nearest one has its own message when the cursor is in it
  }
  const where = nearest.startLine === nearest.endLine ? `line ${nearest.startLine}` : `lines ${nearest.startLine}–${nearest.endLine}`;
  return new UserError(`line ${line} is not inside a function or network definition; the nearest is ${name} at ${where}: put the cursor in it`, line, 1);
}

/** A CodeLens: the 1-based line it stands on, the line inside the definition the command reads, and the definition. */
export interface Lens {
  line: number;
  target: number;
  def: Definition;
}

/**
 * One CodeLens per definition, for the candidates that read (`read` gives a candidate's definition, or
 * undefined): a script's on the line that calls `.backward()` on its value, else on its last value; a model
 * once however many statements build it (its class and `net = Net()`); a formula in a comment inside
 * another definition (a docstring) none of its own.
 */
export function lensesOf(candidates: Candidate[], read: (c: Candidate) => Definition | undefined): Lens[] {
  const out: Lens[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (c.lensLine === false) continue;
    if (c.inComment && candidates.some((o) => !o.inComment && o.startLine <= c.startLine && c.endLine <= o.endLine)) continue;
    const def = read(c);
    if (!def) continue;
    const key = `${def.kind}:${def.startLine}:${def.endLine}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ line: c.lensLine ?? c.startLine, target: c.startLine, def });
  }
  return out;
}

function distance(c: Candidate, line: number): number {
  return line < c.startLine ? c.startLine - line : line - c.endLine;
}

/** The function or network at (or nearest after, else before) a 1-based line. */
export function findDefinition(doc: string, language: LanguageId, line: number, ctx: CodeContext = {}): Definition {
  const lines = new LineIndex(doc);
  if (doc.trim() === '') throw new UserError('the document is empty: write a function such as f(w) = (w - 3)^2', 1, 1);
  const candidates = allCandidates(doc, language, lines, ctx);
  const c = candidateAt(candidates, line, (l) => lines.lineText(l));
  if (!c) throw notInDefinition(candidates, line, language);
  return c.build();
}

/** Like findDefinition, for callers that need a scalar function. */
export function findFunction(doc: string, language: LanguageId, line: number): FunctionDefinition {
  const d = findDefinition(doc, language, line);
  if (d.kind !== 'function') throw new UserError(`line ${line} holds a network, not a scalar function`, d.startLine, 1);
  return d;
}

function exampleFor(language: LanguageId): string {
  switch (syntaxOf(language)) {
    case 'python': return "'def f(w): return (w - 3)**2'";
    case 'js': return "'const f = (w) => (w - 3) ** 2'";
    default: return "'f(w) = (w - 3)^2'";
  }
}

/**
 * Markdown: fenced code blocks by their language — each block read with the document's other blocks
 * of that language, as one program (data in one block, the cost in the next) — `$$…$$` and `$…$`
 * LaTeX, and prose. A function defined in math notation anywhere in the document can be called by name.
 */
function markdownCandidates(doc: string, lines: LineIndex): Candidate[] {
  const out: Candidate[] = [];
  const tables = markdownTables(lines);
  const functions = new DocumentFunctions();
  const proseLines = new Set<number>();
  const fences: Fence[] = [];
  let fence: { marker: string; lang: string; startLine: number } | undefined;
  for (let line = 1; line <= lines.lineCount; line++) {
    const text = lines.lineText(line);
    const f = /^\s*(```+|~~~+)\s*([\w+-]*)/.exec(text);
    if (fence) {
      if (f && f[1].startsWith(fence.marker) && f[2] === '') {
        fences.push({ lang: fence.lang.toLowerCase(), first: fence.startLine + 1, last: line - 1 });
        fence = undefined;
      }
      continue;
    }
    if (f) fence = { marker: f[1], lang: f[2], startLine: line };
    else proseLines.add(line);
  }
  if (fence) fences.push({ lang: fence.lang.toLowerCase(), first: fence.startLine + 1, last: lines.lineCount });
  out.push(...fencedCandidates(doc, lines, fences.filter((f) => f.last >= f.first), tables, functions));

  // LaTeX spans in prose: $$…$$ (may span lines) first, then $…$ within a line.
  const prose = doc.split('').map((ch, i) => (ch === '\n' || proseLines.has(lines.position(i).line) ? ch : ' ')).join('');
  const blanked = prose.split('');
  for (const m of prose.matchAll(/\$\$([\s\S]+?)\$\$|(?<![\\$])\$([^$\n]+?)\$(?!\$)/g)) {
    const inner = m[1] ?? m[2];
    const start = m.index + (m[1] !== undefined ? 2 : 1);
    for (let k = m.index; k < m.index + m[0].length; k++) if (blanked[k] !== '\n') blanked[k] = ' ';
    out.push(...latexCandidates(doc, lines, start, start + inner.length, tableAbove(tables, lines.position(start).line), functions));
  }
  out.push(...plainTextCandidates(blanked.join(''), lines, 'markdown', (l) => proseLines.has(l), functions));
  return out;
}

/** A table's delimiter row as GitHub Markdown writes it: cells of one or more '-', aligned by ':' (|---|, |:-:|, | :--- | --: |). */
const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;

/** Markdown tables of numbers: | x | y | header, a |---| rule, rows of numbers. */
function markdownTables(lines: LineIndex): Array<{ endLine: number; data: SumData }> {
  const out: Array<{ endLine: number; data: SumData }> = [];
  const cells = (l: number): string[] => lines.lineText(l).trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
  for (let l = 1; l + 1 <= lines.lineCount; l++) {
    if (!/^\s*\|.*\|\s*$/.test(lines.lineText(l)) || !DELIMITER_ROW.test(lines.lineText(l + 1))) continue;
    const header = cells(l).map(columnName);
    const rows: number[][] = [];
    let k = l + 2;
    for (; k <= lines.lineCount && /^\s*\|.*\|\s*$/.test(lines.lineText(k)); k++) {
      const row = cells(k).map(Number);
      if (row.length !== header.length || row.some((v) => !Number.isFinite(v))) break;
      rows.push(row);
    }
    if (rows.length > 0) out.push({ endLine: k - 1, data: { rows: rows.length, columns: new Map(header.map((h, j) => [h, rows.map((r) => r[j])])) } });
    l = k - 1;
  }
  return out;
}

/**
 * The column a header names, without its sample index: x, x_i, x^{(i)}, $x(i)$ name x; x_1, x1,
 * x_{1,i}, x_1^{(i)} and x^{(i)}_1 name x_1 (or x1), as the formula's sample references do.
 */
function columnName(header: string): string {
  return header.replace(/[$\\{}\s]/g, '')
    .replace(/\^\(?[ij]\)?(?=_|$)/, '')
    .replace(/_([^_,]+),[ij]$/, '_$1').replace(/_[ij],([^_,]+)$/, '_$1')
    .replace(/_?\(?[ij]\)?$/, '');
}

function tableAbove(tables: Array<{ endLine: number; data: SumData }>, line: number): SumData | undefined {
  return tables.filter((t) => t.endLine < line).pop()?.data;
}

function latexCandidates(doc: string, lines: LineIndex, start: number, end: number, data?: SumData, functions?: DocumentFunctions): Candidate[] {
  const raw = SourceText.slice(doc, start, end);
  if (!/=/.test(raw.text)) return [];
  let converted: SourceText;
  try {
    converted = latexToMath(raw, lines, data);
  } catch (e) {
    // The formula is not one we can read; report it only if it looks like a definition.
    if (!(e instanceof UserError) || !/\(\s*[^()]*\)\s*=/.test(raw.text)) return [];
    const err = e;
    const p = lines.position(start);
    return [{ startLine: p.line, endLine: lines.position(end).line, build: () => { throw err; } }];
  }
  // the sample count: the upper bound of a sum over the table (\sum_{i=1}^{m}) names it
  const constants = new Map<string, number>();
  if (data) {
    for (const m of raw.text.matchAll(/\\sum_\{?[^}^]*\}?\s*\^\s*\{?\s*([A-Za-z])\b/g)) constants.set(m[1], data.rows);
  }
  return mathCandidatesIn(converted, lines, 'markdown', constants, functions);
}

/** A fenced block of a Markdown document: its language and its first and last line inside the fence. */
interface Fence { lang: string; first: number; last: number }

const CODE_FENCES: Record<string, 'python' | 'js'> = { python: 'python', py: 'python', python3: 'python', js: 'js', javascript: 'js', ts: 'js', typescript: 'js', jsx: 'js', tsx: 'js' };

/**
 * The definitions in a document's fenced blocks. Code blocks of one language are read together,
 * as one program in document order (the blocks' lines kept, everything else blanked), so a block
 * sees the imports, data and helpers of the others; math blocks are LaTeX over the table above
 * them; blocks of any other language are math notation.
 */
function fencedCandidates(doc: string, lines: LineIndex, fences: Fence[], tables: Array<{ endLine: number; data: SumData }>, functions: DocumentFunctions): Candidate[] {
  const out: Candidate[] = [];
  for (const syntax of ['python', 'js'] as const) {
    const blocks = fences.filter((f) => Object.prototype.hasOwnProperty.call(CODE_FENCES, f.lang) && CODE_FENCES[f.lang] === syntax);
    if (blocks.length === 0) continue;
    // Blank everything outside the blocks (newlines kept), so offsets and lines stay the document's.
    let only = '';
    let at = 0;
    for (const f of blocks) {
      const a = lines.lineStart(f.first);
      const b = lines.lineEnd(f.last);
      only += doc.slice(at, a).replace(/[^\n]/g, ' ') + doc.slice(a, b);
      at = b;
    }
    only += doc.slice(at).replace(/[^\n]/g, ' ');
    out.push(...codeCandidates(only, lines, syntax === 'python' ? 'python' : 'javascript', syntax));
  }
  for (const f of fences) {
    if (Object.prototype.hasOwnProperty.call(CODE_FENCES, f.lang)) continue;
    const a = lines.lineStart(f.first);
    const b = lines.lineEnd(f.last);
    if (f.lang === 'math' || f.lang === 'latex' || f.lang === 'tex') out.push(...latexCandidates(doc, lines, a, b, tableAbove(tables, f.first), functions));
    else {
      const only = doc.slice(0, a).replace(/[^\n]/g, ' ') + doc.slice(a, b) + doc.slice(b).replace(/[^\n]/g, ' ');
      out.push(...plainTextCandidates(only, lines, 'markdown', (l) => l >= f.first && l <= f.last, functions));
    }
  }
  return out;
}
