/**
 * JavaScript / TypeScript front end: `function name(a, b) { … return …; }`,
 * arrow functions with expression or block bodies, function expressions,
 * `export`, typed parameters and return types, `Math.*`, `**`.
 */
import { LineIndex } from '../errors';
import { SourceText } from '../expr/sourceText';
import { Candidate, LanguageId, OffsetRange, Signature, Statement, assembleFunction, parseParams } from './definition';
import { maskCode, matchingParen } from '../text/scan';

const IDENT = '[\\p{L}_$][\\p{L}\\p{N}_$]*';
const FUNCTION_DECL = new RegExp(`(?<![\\p{L}\\p{N}_$.])(?:export\\s+(?:default\\s+)?)?(?:async\\s+)?function\\s*\\*?\\s*(${IDENT})\\s*(?:<[^>()]*>\\s*)?\\(`, 'gu');
const BINDING = new RegExp(`(?<![\\p{L}\\p{N}_$.])(?:export\\s+)?(?:const|let|var)\\s+(${IDENT})\\s*(?::[^=]*?)?=\\s*(?:async\\s+)?`, 'gu');
const CONSTANT = new RegExp(`(?:^|[;\\n])\\s*(?:export\\s+)?(?:const|let|var)\\s+(${IDENT})\\s*(?::\\s*number\\s*)?=\\s*(-?(?:[0-9][0-9_]*(?:\\.[0-9_]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\\s*(?=;|\\n|$)`, 'gu');

export function javascriptCandidates(doc: string, lines: LineIndex, language: LanguageId): Candidate[] {
  const masked = maskCode(doc, 'js');
  const constants = new Map<string, number>();
  for (const m of masked.matchAll(CONSTANT)) constants.set(m[1], Number(m[2].replace(/_/g, '')));
  const out: Candidate[] = [];
  const make = (sig: () => Signature, range: OffsetRange, body: () => Statement[]): Candidate => ({
    startLine: lines.position(range.start).line,
    endLine: lines.position(Math.max(range.start, range.end - 1)).line,
    build: () => {
      const s = sig();
      return assembleFunction(lines, language, 'js', s, body(), range, constants);
    },
  });

  for (const m of masked.matchAll(FUNCTION_DECL)) {
    const start = m.index;
    const open = start + m[0].length - 1;
    const nameStart = start + m[0].lastIndexOf(m[1], m[0].length - 1);
    const c = functionParts(masked, lines, open);
    if (!c) continue;
    out.push(make(() => signature(masked, lines, m[1], { start: nameStart, end: nameStart + m[1].length }, open, c.close), { start, end: c.end }, c.body));
  }

  for (const m of masked.matchAll(BINDING)) {
    const start = m.index;
    const at = start + m[0].length;
    const nameStart = start + m[0].indexOf(m[1], m[0].search(/(?:const|let|var)/) + 3);
    const nameRange = { start: nameStart, end: nameStart + m[1].length };
    const rest = masked.slice(at);
    const fn = /^function\s*\*?\s*(?:[\p{L}_$][\p{L}\p{N}_$]*)?\s*\(/u.exec(rest);
    if (fn) {
      const open = at + fn[0].length - 1;
      const c = functionParts(masked, lines, open);
      if (c) out.push(make(() => signature(masked, lines, m[1], nameRange, open, c.close), { start, end: c.end }, c.body));
      continue;
    }
    let paramsStart: number;
    let paramsEnd: number;
    let afterParams: number;
    if (rest.startsWith('(') || /^<[^>()]*>\s*\(/.test(rest)) {
      const open = at + rest.indexOf('(');
      const close = matchingParen(masked, open, masked.length);
      if (close < 0) continue;
      paramsStart = open + 1;
      paramsEnd = close;
      afterParams = close + 1;
    } else {
      const single = new RegExp(`^(${IDENT})\\s*(?==>)`, 'u').exec(rest);
      if (!single) continue;
      paramsStart = at;
      paramsEnd = at + single[1].length;
      afterParams = at + single[0].length;
    }
    const arrow = /^\s*(?::\s*[^=;{}()]+?)?\s*=>\s*/.exec(masked.slice(afterParams));
    if (!arrow) continue;
    const bodyStart = afterParams + arrow[0].length;
    const sig = (): Signature => ({ name: m[1], ...parseParams(SourceText.slice(masked, paramsStart, paramsEnd), lines, 'an arrow function'), nameRange });
    if (masked[bodyStart] === '{') {
      const close = matchingParen(masked, bodyStart, masked.length);
      if (close < 0) {
        out.push(make(sig, { start, end: masked.length }, () => { throw lines.errorAt(bodyStart, "missing '}' closing the function body"); }));
        continue;
      }
      out.push(make(sig, { start, end: close + 1 }, () => blockStatements(masked, lines, bodyStart + 1, close)));
    } else {
      const end = expressionEnd(masked, bodyStart);
      out.push(make(sig, { start, end }, () => [{ kind: 'return', value: SourceText.slice(masked, bodyStart, end), range: { start: bodyStart, end } }]));
    }
  }
  return out.sort((a, b) => a.startLine - b.startLine);
}

function signature(masked: string, lines: LineIndex, name: string, nameRange: OffsetRange, open: number, close: number): Signature {
  return { name, ...parseParams(SourceText.slice(masked, open + 1, close), lines, 'a function'), nameRange };
}

/** Parameter list closing paren, body braces and a lazy statement reader. */
function functionParts(masked: string, lines: LineIndex, open: number): { close: number; end: number; body: () => Statement[] } | undefined {
  const close = matchingParen(masked, open, masked.length);
  if (close < 0) return undefined;
  const brace = /^\s*(?::\s*[^{;]+?)?\s*\{/.exec(masked.slice(close + 1));
  if (!brace) return undefined;
  const bodyOpen = close + brace[0].length;
  const bodyClose = matchingParen(masked, bodyOpen, masked.length);
  if (bodyClose < 0) return { close, end: masked.length, body: () => { throw lines.errorAt(bodyOpen, "missing '}' closing the function body"); } };
  return { close, end: bodyClose + 1, body: () => blockStatements(masked, lines, bodyOpen + 1, bodyClose) };
}

/** End of an arrow function's expression body: a top-level `;`, `,` or closing bracket, or a line break that ends it. */
function expressionEnd(masked: string, start: number): number {
  let depth = 0;
  for (let i = start; i < masked.length; i++) {
    const c = masked[i];
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) return trimEnd(masked, start, i);
      depth--;
    } else if (depth === 0 && (c === ';' || c === ',')) return trimEnd(masked, start, i);
    else if (depth === 0 && c === '\n' && !continues(masked, start, i)) return trimEnd(masked, start, i);
  }
  return trimEnd(masked, start, masked.length);
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}

/** Whether the statement running up to a newline at `nl` carries on to the next line. */
function continues(masked: string, start: number, nl: number): boolean {
  const before = masked.slice(start, nl).trimEnd();
  if (before === '') return true;
  if (/[-+*/%=<>&|^!?:,(.]$/.test(before)) return true;
  const after = masked.slice(nl + 1).trimStart();
  return /^[-+*/%?:.)=&|<>]/.test(after) && !/^\+\+|^--/.test(after);
}

const UNSUPPORTED: Array<[RegExp, string]> = [
  [/^(for|while|do)\b/, 'loops are not supported: write the function as one expression (with named intermediates if you like)'],
  [/^(if|else|switch|case)\b/, 'branches are not supported: the function must be one differentiable expression (relu and abs cover the usual kinks)'],
  [/^(try|catch|throw|class|function|yield|await|delete|new|debugger)\b/, 'only declarations and a return statement can be read in a function body'],
  [/^console\./, 'side effects such as console output are not supported in a function body'],
];

function blockStatements(masked: string, lines: LineIndex, start: number, end: number): Statement[] {
  const out: Statement[] = [];
  let depth = 0;
  let s = start;
  const flush = (e: number): void => {
    const raw = masked.slice(s, e);
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    const at = s + lead;
    s = e + 1;
    if (body === '' || body === '"use strict"') return;
    const ret = /^return\b\s*/.exec(body);
    if (ret) {
      if (body.length === ret[0].length) throw lines.errorAt(at, 'the return statement has no value');
      out.push({ kind: 'return', value: SourceText.slice(masked, at + ret[0].length, at + body.length), range: { start: at, end: at + body.length } });
      return;
    }
    for (const [re, msg] of UNSUPPORTED) if (re.test(body)) throw lines.errorAt(at, msg);
    const decl = /^(?:(?:const|let|var)\s+)?([\p{L}_$][\p{L}\p{N}_$]*)\s*(?::\s*[^=]+?)?\s*([-+*/]?)=(?![=>])\s*/u.exec(body);
    if (decl) {
      const name = decl[1];
      const nameStart = at + decl[0].indexOf(name, /^(const|let|var)/.test(body) ? 3 : 0);
      out.push({
        kind: 'assign', name, nameRange: { start: nameStart, end: nameStart + name.length },
        value: SourceText.slice(masked, at + decl[0].length, at + body.length), range: { start: at, end: at + body.length },
        augmented: (decl[2] || undefined) as '+' | '-' | '*' | '/' | undefined,
      });
      return;
    }
    if (/^[\p{L}_$][\p{L}\p{N}_$.]*\s*\(/u.test(body)) throw lines.errorAt(at, 'a call as a statement is a side effect and is not supported in a function body');
    throw lines.errorAt(at, 'only declarations and a return statement can be read in a function body');
  };
  for (let i = start; i < end; i++) {
    const c = masked[i];
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (depth === 0 && c === ';') flush(i);
    else if (depth === 0 && c === '\n' && !continues(masked, s, i)) flush(i);
  }
  flush(end);
  return out;
}
