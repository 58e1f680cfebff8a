/**
 * A piece of text cut or rewritten from a document that still knows, for each
 * character, the document offset it came from. Front ends rewrite syntax
 * (LaTeX `\frac{a}{b}`, Python line continuations) into plain math text; the
 * offsets keep every error message pointing at the user's own characters.
 */
export class SourceText {
  private constructor(
    readonly text: string,
    /** offsets[i] is the document offset of text[i]; one extra entry for the end. */
    private readonly offsets: number[],
  ) {}

  static slice(doc: string, start: number, end: number): SourceText {
    const offsets: number[] = [];
    for (let i = start; i <= end; i++) offsets.push(i);
    return new SourceText(doc.slice(start, end), offsets);
  }

  /** Assembles text piece by piece, each piece carrying its document offset. */
  static builder(): SourceBuilder {
    return new SourceBuilder((text, offsets) => new SourceText(text, offsets));
  }

  static empty(at: number): SourceText {
    return new SourceText('', [at]);
  }

  get length(): number {
    return this.text.length;
  }

  /** Document offset of character i (or of the end). */
  offsetAt(i: number): number {
    return this.offsets[Math.min(Math.max(i, 0), this.offsets.length - 1)];
  }

  sub(start: number, end: number): SourceText {
    return new SourceText(this.text.slice(start, end), this.offsets.slice(start, end + 1));
  }

  concat(other: SourceText): SourceText {
    return new SourceText(this.text + other.text, [...this.offsets.slice(0, -1), ...other.offsets]);
  }

  trim(): SourceText {
    let a = 0;
    let b = this.text.length;
    while (a < b && /\s/.test(this.text[a])) a++;
    while (b > a && /\s/.test(this.text[b - 1])) b--;
    return this.sub(a, b);
  }

  /**
   * Replaces every match of `re` (global) by `replacement(match)`. Inserted
   * characters take the offset of the match's first character.
   */
  replace(re: RegExp, replacement: (m: RegExpExecArray) => string): SourceText {
    const flags = re.flags.includes('g') ? re.flags : re.flags + 'g';
    const g = new RegExp(re.source, flags);
    let text = '';
    const offsets: number[] = [];
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = g.exec(this.text)) !== null) {
      for (let i = last; i < m.index; i++) {
        text += this.text[i];
        offsets.push(this.offsets[i]);
      }
      const r = replacement(m);
      for (let k = 0; k < r.length; k++) {
        text += r[k];
        offsets.push(this.offsets[m.index]);
      }
      last = m.index + m[0].length;
      if (m[0].length === 0) g.lastIndex++;
    }
    for (let i = last; i < this.text.length; i++) {
      text += this.text[i];
      offsets.push(this.offsets[i]);
    }
    offsets.push(this.offsets[this.text.length]);
    return new SourceText(text, offsets);
  }
}

export class SourceBuilder {
  private text = '';
  private readonly offsets: number[] = [];

  constructor(private readonly make: (text: string, offsets: number[]) => SourceText) {}

  /** Appends `s`, every character of it attributed to document offset `offset`. */
  push(s: string, offset: number): this {
    this.text += s;
    for (let k = 0; k < s.length; k++) this.offsets.push(offset);
    return this;
  }

  /** Appends a run of a SourceText, keeping its per-character offsets. */
  pushSource(src: SourceText): this {
    for (let k = 0; k < src.length; k++) {
      this.text += src.text[k];
      this.offsets.push(src.offsetAt(k));
    }
    return this;
  }

  finish(endOffset: number): SourceText {
    return this.make(this.text, [...this.offsets, endOffset]);
  }
}
