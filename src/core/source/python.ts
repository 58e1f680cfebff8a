/**
 * Python front end: `def name(params): … return expr` with local assignments,
 * `name = lambda params: expr`, module-level numeric constants. Reads the text
 * only; nothing is imported or run.
 */
import { LineIndex } from '../errors';
import { SourceText } from '../expr/sourceText';
import { Candidate, LanguageId, Signature, Statement, assembleFunction, parseParams } from './definition';
import { LogicalLine, logicalLines, maskCode, matchingParen, splitTopLevel } from '../text/scan';

const DEF = /^([ \t]*)(?:async[ \t]+)?def[ \t]+([\p{L}_][\p{L}\p{N}_]*)[ \t]*\(/u;
const LAMBDA = /^([ \t]*)([\p{L}_][\p{L}\p{N}_]*)[ \t]*(?::[^=]*)?=[ \t]*lambda\b([^:]*):/u;
const CONSTANT = /^([\p{L}_][\p{L}\p{N}_]*)[ \t]*(?::[^=]*)?=[ \t]*(-?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9]+)?|-?\.[0-9]+(?:[eE][+-]?[0-9]+)?)[ \t]*$/u;

export function pythonCandidates(doc: string, lines: LineIndex, language: LanguageId): Candidate[] {
  // Masked text: comments and string contents blanked, backslash continuations removed.
  const raw = maskCode(doc, 'python');
  const logical = logicalLines(raw);
  const masked = raw.replace(/\\(?=[ \t]*\r?\n)/g, ' ');
  const constants = new Map<string, number>();
  for (const l of logical) {
    if (l.indent !== 0) continue;
    const m = CONSTANT.exec(masked.slice(l.start, l.end).trimEnd());
    if (m) constants.set(m[1], Number(m[2].replace(/_/g, '')));
  }
  const out: Candidate[] = [];
  logical.forEach((l, idx) => {
    const text = masked.slice(l.start, l.end);
    const def = DEF.exec(text);
    if (def) {
      out.push(defCandidate(masked, lines, language, logical, idx, def, constants));
      return;
    }
    const lam = LAMBDA.exec(text);
    if (lam) out.push(lambdaCandidate(masked, lines, language, l, lam, constants));
  });
  return out;
}

function defCandidate(
  masked: string, lines: LineIndex, language: LanguageId,
  logical: LogicalLine[], idx: number, m: RegExpExecArray, constants: Map<string, number>,
): Candidate {
  const head = logical[idx];
  const indent = m[1].length;
  let last = idx;
  while (last + 1 < logical.length && logical[last + 1].indent > indent) last++;
  const range = { start: head.start + indent, end: logical[last].end };
  const startLine = lines.position(range.start).line;
  const endLine = lines.position(range.end).line;
  return {
    startLine,
    endLine,
    build: () => {
      const open = head.start + m[0].length - 1;
      const close = matchingParen(masked, open, head.end);
      if (close < 0) throw lines.errorAt(open, "missing ')' closing the parameter list");
      const nameStart = head.start + m[0].indexOf(m[2], indent);
      const sig: Signature = {
        name: m[2],
        ...parseParams(SourceText.slice(masked, open + 1, close), lines, 'Python'),
        nameRange: { start: nameStart, end: nameStart + m[2].length },
      };
      const after = masked.slice(close + 1, head.end);
      const colon = /^\s*(?:->[^:]*)?:/.exec(after);
      if (!colon) throw lines.errorAt(close + 1, "expected ':' after the parameter list");
      const statements: Statement[] = [];
      const inlineStart = close + 1 + colon[0].length;
      if (masked.slice(inlineStart, head.end).trim() !== '') {
        statements.push(...splitStatements(masked, lines, inlineStart, head.end));
      }
      for (let k = idx + 1; k <= last; k++) statements.push(...splitStatements(masked, lines, logical[k].start, logical[k].end));
      return assembleFunction(lines, language, 'python', sig, statements, range, constants);
    },
  };
}

function lambdaCandidate(
  masked: string, lines: LineIndex, language: LanguageId, l: LogicalLine, m: RegExpExecArray, constants: Map<string, number>,
): Candidate {
  const range = { start: l.start + m[1].length, end: l.end };
  return {
    startLine: lines.position(range.start).line,
    endLine: lines.position(range.end).line,
    build: () => {
      const paramsStart = l.start + m[0].length - 1 - m[3].length;
      const nameStart = l.start + m[1].length;
      const sig: Signature = {
        name: m[2],
        ...parseParams(SourceText.slice(masked, paramsStart, paramsStart + m[3].length), lines, 'a lambda'),
        nameRange: { start: nameStart, end: nameStart + m[2].length },
      };
      const bodyStart = l.start + m[0].length;
      const value = SourceText.slice(masked, bodyStart, l.end);
      return assembleFunction(lines, language, 'python', sig, [{ kind: 'return', value, range: { start: bodyStart, end: l.end } }], range, constants);
    },
  };
}

const UNSUPPORTED: Array<[RegExp, string]> = [
  [/^(for|while)\b/, 'loops are not supported: write the function as one expression (with named intermediates if you like)'],
  [/^(if|elif|else)\b/, 'branches are not supported: the function must be one differentiable expression (relu and abs cover the usual kinks)'],
  [/^(try|except|finally|with|raise|assert|yield|global|nonlocal|del|class|def|async|await)\b/, 'only assignments and a return statement can be read in a function body'],
  [/^print\s*\(/, 'side effects such as print() are not supported in a function body'],
];

/** One logical line → statements, split at top-level `;`. */
function splitStatements(masked: string, lines: LineIndex, start: number, end: number): Statement[] {
  const out: Statement[] = [];
  for (const [a, b] of splitTopLevel(masked.slice(start, end), ';')) {
    const s = start + a;
    const text = masked.slice(s, start + b);
    const lead = text.length - text.trimStart().length;
    const body = text.trim();
    if (body === '' || body === 'pass') continue;
    const at = s + lead;
    if (/^[rRbBuUfF]?("""|'''|"|')\s*\1$/.test(body)) continue; // a docstring (contents are masked)
    if (/^(import|from)\b/.test(body)) continue;
    const ret = /^return\b\s*/.exec(body);
    if (ret) {
      if (body.length === ret[0].length) throw lines.errorAt(at, 'the return statement has no value');
      const vs = at + ret[0].length;
      out.push({ kind: 'return', value: SourceText.slice(masked, vs, s + lead + body.length), range: { start: at, end: at + body.length } });
      continue;
    }
    for (const [re, msg] of UNSUPPORTED) if (re.test(body)) throw lines.errorAt(at, msg);
    const assign = /^([\p{L}_][\p{L}\p{N}_]*)\s*(?::\s*[^=]+?)?\s*([-+*/]?)=(?!=)\s*/u.exec(body);
    if (assign) {
      const vs = at + assign[0].length;
      out.push({
        kind: 'assign',
        name: assign[1],
        nameRange: { start: at, end: at + assign[1].length },
        value: SourceText.slice(masked, vs, at + body.length),
        range: { start: at, end: at + body.length },
        augmented: (assign[2] || undefined) as '+' | '-' | '*' | '/' | undefined,
      });
      continue;
    }
    if (/^[\p{L}_][\p{L}\p{N}_.]*\s*\(/u.test(body)) throw lines.errorAt(at, 'a call as a statement is a side effect and is not supported in a function body');
    throw lines.errorAt(at, 'only assignments and a return statement can be read in a function body');
  }
  return out;
}

