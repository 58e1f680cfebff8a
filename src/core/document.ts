/**
 * The entry point the extension and the command line share: what is defined
 * at a line of a document, analysed.
 */
import { AnalysisOptions, FunctionAnalysis, UnboundAnalysis, analyzeFunction, analyzeUnbound } from './analysis';
import { LineIndex, UserError } from './errors';
import { findDefinition } from './find';
import type { CodeContext } from './code/program';
import { descentOf } from './hints';
import { NetworkAnalysis, analyzeNetwork } from './network/analysis';
import { optimizerFor } from './optimizers';

export interface DocumentOptions extends AnalysisOptions {
  seed?: number;
  /** epochs to train a network (else the file's own, else the default) */
  epochs?: number;
  /** how data files named in the code are read (relative to the document) */
  context?: CodeContext;
}

export type DocumentAnalysis = (FunctionAnalysis & { undefinedAtPosition: { line: number; column: number } }) | UnboundAnalysis | NetworkAnalysis;

/** Throws a located UserError when nothing analysable is at `line`. */
export function analyzeDocument(text: string, language: string, line: number, options: DocumentOptions = {}): DocumentAnalysis {
  const def = findDefinition(text, language, line, options.context);
  if (options.batchSize && (def.kind === 'network' || !def.sumForm)) {
    const p = new LineIndex(text).position(def.kind === 'network' ? def.nameRange?.start ?? def.layers[0]?.range.start ?? 0 : def.nameRange.start);
    throw new UserError(def.kind === 'network'
      ? '--batch is for a cost over data; a network trains on the batch size its file sets (fit(batch_size=…), a DataLoader)'
      : `--batch is for a cost over data (a sum over samples); ${def.name ?? 'this function'} has no data`, p.line, p.column);
  }
  if (def.kind === 'network') {
    return analyzeNetwork(def, { seed: options.seed, learningRate: options.learningRate, optimizer: options.optimizer && optimizerFor('network', options.optimizer), epochs: options.epochs ?? options.maxSteps });
  }
  // no data in the file: the partials over symbolic samples, nothing to evaluate or descend
  if (def.symbolicSum) return analyzeUnbound(def);
  // θ0, θ_0 and theta0 name the same parameter
  if (options.start) {
    const key = (n: string): string => n.replace(/_/g, '').replace(/^theta/, 'θ').replace(/^alpha/, 'α').replace(/^beta/, 'β');
    const start: Record<string, number> = {};
    for (const [k, v] of Object.entries(options.start)) start[def.params.includes(k) ? k : def.params.find((p) => key(p) === key(k)) ?? k] = v;
    options = { ...options, start };
  }
  const unknown = Object.keys(options.start ?? {}).filter((k) => !def.params.includes(k));
  if (unknown.length > 0) {
    const p = new LineIndex(text).position(def.nameRange.start);
    throw new UserError(`--at names ${unknown.map((u) => `'${u}'`).join(', ')}, which ${unknown.length > 1 ? 'are not parameters' : 'is not a parameter'} of ${def.name ?? 'this function'} (parameters: ${def.params.join(', ')})`, p.line, p.column);
  }
  // the file's own learning rate and iteration count (alpha = 0.01, num_iters = 1500) unless given
  const hints = descentOf(def, text);
  const analysis = analyzeFunction(def, { ...options, learningRate: options.learningRate ?? hints.learningRate, maxSteps: options.maxSteps ?? hints.maxSteps, source: text });
  const lines = new LineIndex(text);
  return { ...analysis, undefinedAtPosition: lines.position(analysis.undefinedAt?.offset ?? def.range.start) };
}
