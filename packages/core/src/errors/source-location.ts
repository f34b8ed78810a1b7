/** A place in a source file: what a stack frame points at (after source maps, the `.ts` line). */
export interface SourceLocation {
  /** The file's absolute path. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}
