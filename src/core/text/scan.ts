/**
 * Blanks comments and the insides of string literals with spaces, keeping
 * every other character at its offset. Scanners then read code structure
 * without being fooled by a `def` in a docstring or a `}` in a string, and
 * offsets into the masked text are offsets into the document.
 */
export function maskCode(text: string, syntax: 'python' | 'js'): string {
  // only comments and strings change: the text between them is copied in slices, not character by character
  const out: string[] = [];
  let copied = 0;
  // Newlines inside a triple-quoted string are blanked too, so the string
  // reads as one logical line (offsets are unchanged either way).
  const blank = (a: number, b: number, keepNewlines = true): void => {
    if (b <= a) return;
    out.push(text.slice(copied, a), text.slice(a, b).replace(keepNewlines ? /[^\n]/g : /[^]/g, ' '));
    copied = b;
  };
  const start = syntax === 'python' ? /[#"']/g : /[/"'`]/g;
  let i = 0;
  while (i < text.length) {
    start.lastIndex = i;
    const m = start.exec(text);
    if (!m) break;
    i = m.index;
    const c = text[i];
    if (syntax === 'python' && c === '#') {
      const e = lineEnd(text, i);
      blank(i, e);
      i = e;
    } else if (syntax === 'js' && c === '/' && text[i + 1] === '/') {
      const e = lineEnd(text, i);
      blank(i, e);
      i = e;
    } else if (syntax === 'js' && c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const e = close < 0 ? text.length : close + 2;
      blank(i, e);
      i = e;
    } else if (c === '"' || c === "'" || (syntax === 'js' && c === '`')) {
      const triple = syntax === 'python' && text.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      let j = i + q.length;
      while (j < text.length) {
        if (text[j] === '\\') { j += 2; continue; }
        if (text.startsWith(q, j)) break;
        if (!triple && c !== '`' && text[j] === '\n') break;
        j++;
      }
      // keep the quotes so a string inside an expression is still seen as one
      blank(i + q.length, Math.min(j, text.length), !triple);
      i = Math.min(j + q.length, text.length);
    } else i++;
  }
  out.push(text.slice(copied));
  return out.join('');
}

function lineEnd(text: string, i: number): number {
  const e = text.indexOf('\n', i);
  return e < 0 ? text.length : e;
}

/** A statement-level line: physical lines joined by open brackets or a trailing backslash. */
export interface LogicalLine {
  start: number;
  /** offset just past the last character (before the newline) */
  end: number;
  /** the column of the first non-blank character */
  indent: number;
}

/** Python logical lines of a masked text (blank lines omitted). */
export function logicalLines(masked: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let i = 0;
  while (i < masked.length) {
    const lineStart = i;
    let depth = 0;
    let end = i;
    for (;;) {
      const e = lineEnd(masked, end);
      for (let k = end; k < e; k++) {
        const c = masked[k];
        if ('([{'.includes(c)) depth++;
        else if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
      }
      const continued = depth > 0 || /\\\s*$/.test(masked.slice(end, e));
      end = e;
      if (!continued || e >= masked.length) break;
      end = e + 1;
    }
    const text = masked.slice(lineStart, end);
    if (text.trim() !== '') {
      const indent = text.length - text.replace(/^[ \t]+/, '').length;
      out.push({ start: lineStart, end, indent });
    }
    i = end + 1;
  }
  return out;
}

/** Offset of the bracket closing the one at `open`, or -1 before `limit`. */
export function matchingParen(text: string, open: number, limit: number): number {
  let depth = 0;
  for (let i = open; i < limit; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** [start, end) spans of `text` split at `sep` outside (), [], {} and strings. */
export function splitTopLevel(text: string, sep: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === sep && depth === 0) {
      out.push([start, i]);
      start = i + 1;
    }
  }
  out.push([start, text.length]);
  return out;
}
