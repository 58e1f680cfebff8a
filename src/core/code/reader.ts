/** What both language readers share: the document, a node's text and span, and how a definition is built. */
import type { SyntaxNode } from '@lezer/common';
import type { Param, S, Span } from './ir';

/**
 * Top-level statements of an earlier reading, by span (`from:to`), with the
 * offset where the text first changed: a statement ending before it has the
 * same text at the same offsets, so it is the same program tree. A notebook's
 * data cell of 20,000 numbers is not read again when the cost below it is edited.
 */
export interface Reuse { before: number; spans: ReadonlyMap<string, S[]> }

export abstract class TreeReader {
  /** the top-level statements read (or reused) this time, by span: the next reading's Reuse */
  readonly topLevel = new Map<string, S[]>();

  constructor(protected readonly doc: string, private readonly reuse?: Reuse) {}

  /** A top-level statement: reused from the earlier reading where the edit did not reach it. */
  protected top(n: SyntaxNode, read: (n: SyntaxNode) => S[]): S[] {
    const key = `${n.from}:${n.to}`;
    const s = (this.reuse && n.to < this.reuse.before ? this.reuse.spans.get(key) : undefined) ?? read(n);
    this.topLevel.set(key, s);
    return s;
  }

  abstract block(n: SyntaxNode): S[];
  abstract params(n: SyntaxNode): Param[];

  protected text(n: SyntaxNode): string {
    return this.doc.slice(n.from, n.to);
  }

  protected span(n: SyntaxNode): Span {
    return { start: n.from, end: n.to };
  }

  /** A statement the reader recognised but cannot read, with what to write instead. */
  protected bad(n: SyntaxNode, what: string, hint: string): S {
    return { ...this.span(n), k: 'bad', what, hint };
  }

  /** `def f(…): …` or `function f(…) {…}`: the children named by `kinds`, or a message when one is missing. */
  protected definition(n: SyntaxNode, kinds: { name: string; params: string; body: string }, unfinished: string, hint: string): S[] {
    const ks: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) ks.push(c);
    const name = ks.find((c) => c.name === kinds.name);
    const params = ks.find((c) => c.name === kinds.params);
    const body = ks.find((c) => c.name === kinds.body);
    if (!name || !params || !body) return [this.bad(n, unfinished, hint)];
    return [{ ...this.span(n), k: 'def', name: this.text(name), nameSpan: this.span(name), params: this.params(params), body: this.block(body) }];
  }
}
