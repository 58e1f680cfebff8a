/**
 * A problem in the user's text, located at a 1-based line and column.
 * Every failure the core reports about user input is one of these; anything
 * else escaping the core is a bug.
 */
export class UserError extends Error {
  /**
   * The front end for code is its own lazily required bundle with its own
   * copy of this class: a brand, not the constructor, says what is a UserError.
   */
  readonly userError = true;

  static [Symbol.hasInstance](v: unknown): boolean {
    return typeof v === 'object' && v !== null && (v as { userError?: unknown }).userError === true;
  }

  constructor(
    message: string,
    /** 1-based line in the document. */
    readonly line: number,
    /** 1-based column in the document. */
    readonly column: number,
  ) {
    super(message);
    this.name = 'UserError';
  }

  /** `file:line:column: message`, the form compilers and editors understand. */
  format(file: string): string {
    return `${file}:${this.line}:${this.column}: ${this.message}`;
  }
}

/** Maps document offsets to 1-based lines and columns. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 0-based offset → 1-based { line, column }. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }

  /** Offset of the start of a 1-based line (clamped to the document). */
  lineStart(line: number): number {
    const i = Math.min(Math.max(line - 1, 0), this.starts.length - 1);
    return this.starts[i];
  }

  /** Offset just past the last character of a 1-based line (before its newline). */
  lineEnd(line: number): number {
    if (line >= this.starts.length) return this.text.length;
    return this.starts[line] - 1;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line)).replace(/\r$/, '');
  }

  errorAt(offset: number, message: string): UserError {
    const p = this.position(offset);
    return new UserError(message, p.line, p.column);
  }
}

/**
 * Where `offset` of `now` was in `before`, the text before an edit: text the
 * two share at their end and at their start keeps its place; in between the
 * edit changed it (undefined). The end is matched first, so text after an
 * edit keeps its identity even when the edit typed something like it (a
 * line `layer(2 *)` typed above `layer(1)`: `layer(1)` is still itself).
 */
export function offsetBefore(before: string, now: string, offset: number): number | undefined {
  const most = Math.min(before.length, now.length);
  let tail = 0;
  while (tail < most && before.charCodeAt(before.length - 1 - tail) === now.charCodeAt(now.length - 1 - tail)) tail++;
  let head = 0;
  while (head < most - tail && before.charCodeAt(head) === now.charCodeAt(head)) head++;
  if (offset < head) return offset;
  if (offset >= now.length - tail) return offset - now.length + before.length;
  return undefined;
}
