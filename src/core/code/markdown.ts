/**
 * Markdown read as CommonMark with GitHub's extensions (tables, math), by @lezer/markdown: fenced
 * and indented code, inline code, `$…$`, `$$…$$` and ```` ```math ```` exactly where the syntax puts
 * them, so a line that starts with backticks inside inline code is not a fence. Part of the lazily
 * loaded code reader (dist/code.js), with the grammars of Python and JavaScript.
 */
import type { SyntaxNode } from '@lezer/common';
import { BlockContext, GFM, InlineContext, Line, MarkdownConfig, parser as commonmark } from '@lezer/markdown';
import { LineIndex, UserError } from '../errors';
import { ExpressionParser, isBuiltinName } from '../expr/parser';
import { SourceText } from '../expr/sourceText';
import type { Candidate as AnyCandidate } from '../candidate';
import type { NetworkDefinition } from '../network/spec';
import { Candidate, FunctionDefinition, LanguageId, assembleFunction } from '../source/definition';
import { DocumentFunctions, SumData, freeSymbols, latexToMath, mathCandidatesIn, plainTextCandidates } from '../source/math';

const DOLLAR = 36;
const BACKSLASH = 92;
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/** Where the `$$` that closes display math stands in `text` from `from` (a backslash escapes the next character), or −1. */
function closingDollars(text: string, from: number): number {
  for (let i = from; i < text.length - 1; i++) {
    if (text.charCodeAt(i) === BACKSLASH) i++;
    else if (text.charCodeAt(i) === DOLLAR && text.charCodeAt(i + 1) === DOLLAR) return i;
  }
  return -1;
}

/**
 * GitHub's math in Markdown. Inline: `$$…$$`, and `$…$` whose opening `$` is not followed by a space
 * and whose closing one is not preceded by a space nor followed by a digit (so "$5 and $6" is not
 * math). Block: a line starting with `$$` opens display math up to the `$$` that closes it (or a
 * blank line); it interrupts a paragraph, as a fence does.
 */
const MathSyntax: MarkdownConfig = {
  defineNodes: ['InlineMath', 'BlockMath', 'MathMark'],
  parseInline: [{
    name: 'Math',
    parse(cx: InlineContext, next: number, pos: number): number {
      if (next !== DOLLAR) return -1;
      const open = cx.char(pos + 1) === DOLLAR ? 2 : 1;
      const start = pos + open;
      if (open === 1 && (start >= cx.end || isSpace(cx.char(start)) || cx.char(start) === DOLLAR)) return -1;
      for (let i = start; i < cx.end; i++) {
        const c = cx.char(i);
        if (c === BACKSLASH) { i++; continue; }
        if (c !== DOLLAR) continue;
        if (open === 2) {
          if (cx.char(i + 1) !== DOLLAR) continue;
          if (i === start) return -1;
        } else if (isSpace(cx.char(i - 1)) || (cx.char(i + 1) >= 48 && cx.char(i + 1) <= 57)) continue;
        return cx.addElement(cx.elt('InlineMath', pos, i + open, [cx.elt('MathMark', pos, start), cx.elt('MathMark', i, i + open)]));
      }
      return -1;
    },
  }],
  parseBlock: [{
    name: 'BlockMath',
    before: 'FencedCode',
    parse(cx: BlockContext, line: Line): boolean {
      if (!opensBlockMath(line)) return false;
      const from = cx.lineStart + line.pos;
      const sameLine = closingDollars(line.text, line.pos + 2);
      // `$$x$$ and prose` is a paragraph with math in it
      if (sameLine >= 0 && line.text.slice(sameLine + 2).trim() !== '') return false;
      const marks = [cx.elt('MathMark', from, from + 2)];
      let end = cx.lineStart + line.text.length;
      let close = sameLine;
      while (close < 0 && cx.nextLine() && line.text.trim() !== '') {
        close = closingDollars(line.text, line.pos);
        end = cx.lineStart + line.text.length;
      }
      if (close >= 0) {
        const at = cx.lineStart + close;
        marks.push(cx.elt('MathMark', at, at + 2));
        end = at + 2;
        cx.nextLine();
      }
      cx.addElement(cx.elt('BlockMath', from, end, marks));
      return true;
    },
    endLeaf: (_cx: BlockContext, line: Line): boolean => opensBlockMath(line),
  }],
};

function opensBlockMath(line: Line): boolean {
  return line.next === DOLLAR && line.text.charCodeAt(line.pos + 1) === DOLLAR && line.indent - line.baseIndent < 4;
}

const markdownParser = commonmark.configure([GFM, MathSyntax]);

/** A fenced (or indented) code block: its language and its first and last line inside the fence. */
interface Fence { lang: string; first: number; last: number }

/** A formula: its text's offsets, and whether it stands alone (a display block, or the only thing on its line). */
interface MathSpan { from: number; to: number; alone: boolean }

/** What the parser found: the code blocks, the formulas, inline code, data tables, and the prose with all of those blanked. */
interface Structure {
  fences: Fence[];
  math: MathSpan[];
  inlineCode: Array<{ from: number; to: number }>;
  tables: Array<{ endLine: number; data: SumData }>;
  prose: string;
}

/** Nodes whose text is neither prose nor a formula. */
const NOT_PROSE = new Set(['HTMLBlock', 'HTMLTag', 'CommentBlock', 'ProcessingInstructionBlock', 'URL', 'Autolink']);
const MATH_FENCES = new Set(['math', 'latex', 'tex']);
/** Before a formula alone on its line: list, task and quote markers; after it: punctuation. */
const ALONE_BEFORE = /^\s*(?:(?:[-*+]|\d+[.)]|>|\[[ xX]\])\s*)*$/;
const ALONE_AFTER = /^\s*[.,;:]?\s*$/;

function structureOf(doc: string, lines: LineIndex): Structure {
  const tree = markdownParser.parse(doc);
  const s: Structure = { fences: [], math: [], inlineCode: [], tables: [], prose: '' };
  const blank: Array<[number, number]> = [];
  const lineOf = (offset: number): number => lines.position(offset).line;
  tree.iterate({
    enter: (ref) => {
      const n = ref.node;
      switch (n.name) {
        case 'FencedCode':
        case 'CodeBlock': {
          blank.push([n.from, n.to]);
          const info = n.getChild('CodeInfo');
          const lang = info ? (/^[\w+-]*/.exec(doc.slice(info.from, info.to))?.[0] ?? '').toLowerCase() : '';
          const texts = n.getChildren('CodeText');
          if (texts.length === 0) return false;
          const from = texts[0].from;
          const to = texts[texts.length - 1].to;
          if (MATH_FENCES.has(lang)) s.math.push({ from, to, alone: true });
          else s.fences.push({ lang, first: lineOf(from), last: lineOf(Math.max(from, to - 1)) });
          return false;
        }
        case 'InlineMath':
        case 'BlockMath': {
          blank.push([n.from, n.to]);
          const marks = n.getChildren('MathMark');
          const from = marks[0].to;
          const to = marks.length > 1 ? marks[marks.length - 1].from : n.to;
          const before = doc.slice(lines.lineStart(lineOf(n.from)), n.from);
          const after = doc.slice(n.to, lines.lineEnd(lineOf(n.to)));
          s.math.push({ from, to, alone: n.name === 'BlockMath' || (ALONE_BEFORE.test(before) && ALONE_AFTER.test(after)) });
          return false;
        }
        case 'InlineCode': {
          blank.push([n.from, n.to]);
          const marks = n.getChildren('CodeMark');
          if (marks.length === 2) s.inlineCode.push({ from: marks[0].to, to: marks[1].from });
          return false;
        }
        case 'Table': {
          const table = dataTable(doc, n);
          if (table) s.tables.push({ endLine: lineOf(Math.max(n.from, n.to - 1)), data: table });
          return undefined;
        }
        default:
          if (NOT_PROSE.has(n.name)) {
            blank.push([n.from, n.to]);
            return false;
          }
          return undefined;
      }
    },
  });
  const chars = doc.split('');
  for (const [a, b] of blank) for (let k = a; k < b; k++) if (chars[k] !== '\n') chars[k] = ' ';
  s.prose = chars.join('');
  return s;
}

/** A table of numbers (| x | y | header, rows of numbers) as the columns a `\sum` runs over; undefined for any other table. */
function dataTable(doc: string, table: SyntaxNode): SumData | undefined {
  const cells = (n: SyntaxNode): string[] => doc.slice(n.from, n.to).trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
  const header = table.getChild('TableHeader');
  if (!header) return undefined;
  const names = cells(header).map(columnName);
  const rows: number[][] = [];
  for (const r of table.getChildren('TableRow')) {
    const row = cells(r).map(Number);
    if (row.length !== names.length || row.some((v) => !Number.isFinite(v))) break;
    rows.push(row);
  }
  if (rows.length === 0) return undefined;
  return { rows: rows.length, columns: new Map(names.map((h, j) => [h, rows.map((r) => r[j])])) };
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

function tableAbove(tables: Structure['tables'], line: number): SumData | undefined {
  return tables.filter((t) => t.endLine < line).pop()?.data;
}

type Found = AnyCandidate<FunctionDefinition | NetworkDefinition>;
type CodeReader = (doc: string, lines: LineIndex, language: LanguageId, syntax: 'python' | 'js') => Found[];

/**
 * The definitions of a Markdown document: fenced code blocks by their language — each block read
 * with the document's other blocks of that language, as one program (data in one block, the cost in
 * the next) —, formulas (`$…$`, `$$…$$`, ```` ```math ````), inline code, and prose. A function
 * defined in math notation anywhere in the document can be called by name.
 */
export function markdownCandidates(doc: string, lines: LineIndex, readCode: CodeReader): Found[] {
  const s = structureOf(doc, lines);
  const functions = new DocumentFunctions();
  const out = fencedCandidates(doc, lines, s.fences, functions, readCode);
  for (const m of s.math) out.push(...latexCandidates(doc, lines, m, tableAbove(s.tables, lines.position(m.from).line), functions, s.math));
  for (const c of s.inlineCode) {
    if (doc.slice(c.from, c.to).includes('=')) out.push(...mathCandidatesIn(SourceText.slice(doc, c.from, c.to), lines, 'markdown', new Map(), functions));
  }
  out.push(...plainTextCandidates(s.prose, lines, 'markdown', undefined, functions));
  return out;
}

function latexCandidates(doc: string, lines: LineIndex, span: MathSpan, data: SumData | undefined, functions: DocumentFunctions, all: MathSpan[]): Candidate[] {
  const raw = SourceText.slice(doc, span.from, span.to);
  if (!span.alone && !raw.text.includes('=')) return [];
  let converted: SourceText;
  try {
    converted = latexToMath(raw, lines, data);
  } catch (e) {
    // The formula is not one we can read; report it only if it looks like a definition (`L(w) =`, `L(w) &=` in an align).
    if (!(e instanceof UserError) || !/\(\s*[^()]*\)\s*&?=/.test(raw.text)) return [];
    const err = e;
    const p = lines.position(span.from);
    return [{ startLine: p.line, endLine: lines.position(span.to).line, build: () => { throw err; } }];
  }
  // the sample count: the upper bound of a sum over the table (\sum_{i=1}^{m}) names it
  const constants = new Map<string, number>();
  if (data) {
    for (const m of raw.text.matchAll(/\\sum(?:\\(?:no)?limits)?\s*_\{?[^}^]*\}?\s*\^\s*\{?\s*([A-Za-z])\b/g)) constants.set(m[1], data.rows);
  }
  const named = mathCandidatesIn(converted, lines, 'markdown', constants, functions);
  return named.length > 0 ? named : formulaCandidates(converted, lines, span.alone, constants, functions, () => sentenceOrder(doc, lines, span, all, data));
}

/** A bare symbol in prose (`x`, `w1`, `b_2`), and a list of them: "x and y", "w, b and c". */
const BARE = String.raw`[A-Za-z](?:_?\d)?\b`;
const BARE_LIST = new RegExp(String.raw`^${BARE}(?:\s*(?:,\s*(?:and\s+)?|and\s+)${BARE})*`);
const LISTING = /\b(?:function of|with respect to|in terms of|where)\s+/g;

/**
 * The order a sentence near an unnamed formula gives its symbols ("as a function of the slope $m$ and the
 * intercept $c$", "where y and x are …"): the nearest such clause within the two lines above the formula, its
 * own lines and the two below; its inline formulas in order (read as formulas are), else a list of bare letters
 * right after the words.
 */
function sentenceOrder(doc: string, lines: LineIndex, span: MathSpan, all: MathSpan[], data: SumData | undefined): string[] {
  const from = lines.lineStart(Math.max(0, lines.position(span.from).line - 2));
  const to = lines.lineEnd(Math.min(lines.lineCount - 1, lines.position(span.to).line + 2));
  const inFormula = (at: number): boolean => all.some((f) => at >= f.from && at < f.to);
  let best: { distance: number; items: string[] } | undefined;
  for (const m of doc.slice(from, to).matchAll(LISTING)) {
    const at = from + (m.index ?? 0);
    if (inFormula(at)) continue;
    const distance = at < span.from ? span.from - at : at - span.to;
    if (best && best.distance <= distance) continue;
    // the clause: up to the end of the sentence or the paragraph
    const start = at + m[0].length;
    const clause = /^[\s\S]*?(?=[.:;!?](?:\s|$)|\n\s*\n|$)/.exec(doc.slice(start, Math.min(to, start + 200)))?.[0] ?? '';
    const symbols = all.filter((f) => f !== span && f.from >= start && f.to <= start + clause.length && f.to - f.from <= 24);
    const items: string[] = [];
    for (const f of symbols) {
      try {
        items.push(latexToMath(SourceText.slice(doc, f.from, f.to), lines, data).text.trim());
      } catch {
        // a listed symbol that does not read is left out
      }
    }
    if (symbols.length === 0) items.push(...(BARE_LIST.exec(clause)?.[0].split(/\s*,\s*(?:and\s+)?|\s+and\s+/) ?? []));
    best = { distance, items };
  }
  return best?.items ?? [];
}

/**
 * A formula without a signature: `z = w x + b` (anywhere), or `100 (y − x^2)^2 + (1 − x)^2` when it
 * stands alone. It is a function of its free symbols in the order a nearby sentence lists them ("as a function of
 * $w$ and $b$"), else alphabetical; `z =` names it. An
 * equation (`2x + 1 = 0`), a chain of `=`, or a formula without a variable (`m = 5`) is none.
 */
function formulaCandidates(src: SourceText, lines: LineIndex, alone: boolean, constants: ReadonlyMap<string, number>, functions: DocumentFunctions, listed: () => string[] = () => []): Candidate[] {
  const lhs = /^\s*(\p{L}[\p{L}\p{N}_']*)\s*=(?!=)/u.exec(src.text);
  if (!lhs && !alone) return [];
  const name = lhs ? lhs[1] : null;
  const value = src.sub(lhs ? lhs[0].length : 0, src.text.length).trim();
  if (value.text === '' || value.text.includes('=')) return [];
  let names: ReturnType<ExpressionParser['names']>;
  try {
    names = new ExpressionParser(value, lines, 'math', { params: [] }).names();
  } catch (e) {
    if (e instanceof UserError) return [];
    throw e;
  }
  if (!names.some((n) => !isBuiltinName(n.name) && !constants.has(n.name))) return [];
  const start = src.offsetAt(0);
  const end = src.offsetAt(src.text.length);
  const range = { start, end };
  const build = (): FunctionDefinition => {
    const params = freeSymbols(value, lines, (p) => constants.has(p), functions);
    if (name !== null && params.has(name)) {
      throw lines.errorAt(start, `'${name}' is on both sides of '=': an update rule or an equation, not a definition; write the function itself, such as f(${[...params.keys()].join(', ')}) = …`);
    }
    // the symbols a nearby sentence lists, in its order, then the rest alphabetically
    const order = listed().filter((p) => params.has(p));
    const sorted = [...new Set([...order, ...[...params.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))])];
    const nameRange = { start, end: start + (name?.length ?? 1) };
    return assembleFunction(lines, 'markdown', 'math',
      { name, params: sorted, defaults: {}, paramRanges: sorted.map((p) => ({ start: params.get(p) as number, end: (params.get(p) as number) + p.length })), nameRange },
      [{ kind: 'return', value, range }], range, constants, functions.callable);
  };
  return [{ startLine: lines.position(start).line, endLine: lines.position(Math.max(start, end - 1)).line, build }];
}

const CODE_FENCES: Record<string, 'python' | 'js'> = { python: 'python', py: 'python', python3: 'python', js: 'js', javascript: 'js', ts: 'js', typescript: 'js', jsx: 'js', tsx: 'js' };

/**
 * The definitions in a document's code blocks. Code blocks of one language are read together,
 * as one program in document order (the blocks' lines kept, everything else blanked), so a block
 * sees the imports, data and helpers of the others; blocks of any other language, and indented
 * code, are math notation.
 */
function fencedCandidates(doc: string, lines: LineIndex, fences: Fence[], functions: DocumentFunctions, readCode: CodeReader): Found[] {
  const out: Found[] = [];
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
    out.push(...readCode(only, lines, syntax === 'python' ? 'python' : 'javascript', syntax));
  }
  for (const f of fences) {
    if (Object.prototype.hasOwnProperty.call(CODE_FENCES, f.lang)) continue;
    const a = lines.lineStart(f.first);
    const b = lines.lineEnd(f.last);
    const only = doc.slice(0, a).replace(/[^\n]/g, ' ') + doc.slice(a, b) + doc.slice(b).replace(/[^\n]/g, ' ');
    out.push(...plainTextCandidates(only, lines, 'markdown', (l) => l >= f.first && l <= f.last, functions));
  }
  return out;
}
