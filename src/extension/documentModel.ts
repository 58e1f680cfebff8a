/**
 * Parsed definitions per open document, reused until the document changes,
 * so hovers and CodeLenses do not re-scan on every request.
 */
import * as vscode from 'vscode';
import { Candidate, Definition, allCandidates, candidateAt } from '../core/find';

import { LineIndex, UserError } from '../core/errors';

export type Built = { ok: true; def: Definition } | { ok: false; error: UserError };

interface Entry {
  version: number;
  candidates: Candidate[];
  built: Map<Candidate, Built>;
}

export class DocumentModel {
  private readonly entries = new Map<string, Entry>();

  private entry(doc: vscode.TextDocument): Entry {
    const key = doc.uri.toString();
    const e = this.entries.get(key);
    if (e && e.version === doc.version) return e;
    let candidates: Candidate[] = [];
    try {
      candidates = allCandidates(doc.getText(), doc.languageId, new LineIndex(doc.getText()));
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
    }
    const fresh: Entry = { version: doc.version, candidates, built: new Map() };
    this.entries.set(key, fresh);
    return fresh;
  }

  forget(doc: vscode.TextDocument): void {
    this.entries.delete(doc.uri.toString());
  }

  private build(e: Entry, c: Candidate): Built {
    let b = e.built.get(c);
    if (!b) {
      try {
        b = { ok: true, def: c.build() };
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        b = { ok: false, error: err };
      }
      e.built.set(c, b);
    }
    return b;
  }

  /** The definition whose lines contain `line` (0-based), if it parses. */
  definitionContaining(doc: vscode.TextDocument, line: number): Built | undefined {
    const e = this.entry(doc);
    const c = e.candidates.filter((k) => k.startLine <= line + 1 && line + 1 <= k.endLine).pop();
    return c ? this.build(e, c) : undefined;
  }

  /** The definition at or nearest to `line` (0-based): what the command visualizes. */
  definitionNear(doc: vscode.TextDocument, line: number): Built | undefined {
    const e = this.entry(doc);
    const c = candidateAt(e.candidates, line + 1);
    return c ? this.build(e, c) : undefined;
  }

  /** Every definition that parses, for CodeLenses. */
  definitions(doc: vscode.TextDocument): Definition[] {
    const e = this.entry(doc);
    return e.candidates.map((c) => this.build(e, c)).flatMap((b) => (b.ok ? [b.def] : []));
  }
}
