/**
 * A definition found in a document before its body is read, and document
 * offsets. Shared by the function front ends (source/) and the network
 * readers (network/), which do not import each other.
 */
export interface OffsetRange {
  start: number;
  end: number;
}

/** A definition found by scanning, before its body is parsed. */
export interface Candidate<D> {
  startLine: number;
  endLine: number;
  /** Parses the body; throws a located UserError when it cannot be read. */
  build(): D;
}
