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
  /**
   * Read from a comment or a docstring (`# f(x) = x^2`): prose as often as a formula, so it is a
   * definition only for a cursor on its own lines, and only when it reads — never the nearest one.
   */
  inComment?: boolean;
  /**
   * The 1-based line of this definition's CodeLens when it is not its first line (a script's:
   * the line that calls `.backward()` on it); false when it has none of its own (a script's
   * intermediate values, which its one CodeLens covers).
   */
  lensLine?: number | false;
}
