/**
 * Finds the definition under the cursor in a document, whatever its language.
 */
import type { Candidate as AnyCandidate } from './candidate';
import { LineIndex, UserError } from './errors';
import { FunctionDefinition, LanguageId } from './source/definition';
import { networkCandidates } from './network/parse';
import type { NetworkDefinition } from './network/spec';
import { DocumentFunctions, plainTextCandidates } from './source/math';
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
  code.markdownCandidates('$f(w) = w$\n', new LineIndex('$f(w) = w$\n'));
}

function codeReader(): CodeModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (code ??= require('./code/program') as CodeModule);
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
    found = codeReader().codeCandidates(doc, lines, language, syntax, ctx);
    // Math notation in comment lines: `# f(x) = x^2`, docstrings. (A network spec's `network:` says it is meant: it stays a definition.)
    const masked = maskCode(doc, syntax);
    const commentLine = (line: number): boolean => {
      const a = lines.lineStart(line);
      const e = lines.lineEnd(line);
      return masked.slice(a, e).trim() === '' && doc.slice(a, e).trim() !== '';
    };
    found.push(...plainTextCandidates(doc, lines, language, commentLine, new DocumentFunctions()).map(fromComment));
  } else if (language === 'markdown') {
    found = codeReader().markdownCandidates(doc, lines);
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
  // a lens placed on purpose (a script's on its .backward() line) first: a function of the script read as
  // that same value (PyTorch's def loss, readFunction) does not take its lens away
  const placed = [...candidates.filter((c) => typeof c.lensLine === 'number'), ...candidates.filter((c) => typeof c.lensLine !== 'number')];
  for (const c of placed) {
    if (c.lensLine === false) continue;
    if (c.inComment && candidates.some((o) => !o.inComment && o.startLine <= c.startLine && c.endLine <= o.endLine)) continue;
    const def = read(c);
    if (!def) continue;
    const key = `${def.kind}:${def.startLine}:${def.endLine}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ line: c.lensLine ?? c.startLine, target: c.startLine, def });
  }
  return out.sort((a, b) => a.line - b.line);
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
