/** What both language readers share: the document, and a syntax node's text and span. */
import type { SyntaxNode } from '@lezer/common';
import type { Span } from './ir';

export class TreeReader {
  constructor(protected readonly doc: string) {}

  protected text(n: SyntaxNode): string {
    return this.doc.slice(n.from, n.to);
  }

  protected span(n: SyntaxNode): Span {
    return { start: n.from, end: n.to };
  }
}
