import { open } from 'node:fs/promises';
import { initParser, type Parser } from 'udsv';

/**
 * Bytes per read of the fast path: newline-aligned pieces of about this size are split at once.
 * Small enough that a piece's strings die young: with 1 MiB pieces each piece's ~140,000 field
 * strings outlived scavenges and were promoted, and the old generation's collection cost as much
 * CPU as the parsing (1M rows: 3.0-3.3 s of CPU for the process at 1 MiB, 1.4-1.7 s at 64 KiB).
 */
export const CLEAN_CHUNK_BYTES = 1 << 16;

const LF = 10;
const CR = 13;
const QUOTE = 34;
const BOM = [0xef, 0xbb, 0xbf] as const;

/** Where {@link readCleanChunks} starts and how the file's fields are separated. */
export interface CleanChunkOptions {
  readonly absolutePath: string;
  readonly delimiter: string;
  /** Lines before the first data row (the header, and blank lines before it). */
  readonly skipLines: number;
  /** Bytes per read (default {@link CLEAN_CHUNK_BYTES}). */
  readonly chunkBytes?: number;
}

/** The rows of one plain piece, by column: `columns[k][i]` is field k of row i. */
export interface CleanChunk {
  readonly columns: readonly string[][];
  readonly rows: number;
}

/**
 * The data rows of a CSV file, split by uDSV, as long as the file is plain: no quote character, no
 * blank line, one kind of line end (LF or CRLF), a one-character ASCII delimiter and on every line the
 * fields of the first data line. In such a piece every line is one record and csv-parse (with the
 * source's options) would split it into the same fields, so a row's place in the file is its line.
 * uDSV is only given such pieces: on ragged rows it merges lines or does not return. Yields each
 * piece's rows in order, then `undefined` at the first piece that is not plain (the caller reads the
 * rest with csv-parse).
 */
export async function* readCleanChunks(options: CleanChunkOptions): AsyncGenerator<CleanChunk | undefined> {
  const delimiter = options.delimiter.charCodeAt(0);
  if (options.delimiter.length !== 1 || delimiter < 0x20 || delimiter > 0x7e || delimiter === QUOTE) {
    yield undefined;
    return;
  }
  const handle = await open(options.absolutePath, 'r');
  try {
    const size = options.chunkBytes ?? CLEAN_CHUNK_BYTES;
    let buffer: Buffer = Buffer.allocUnsafe(size);
    let carried = 0;
    let atStart = true;
    let shape: { crlf: boolean; fields: number; parser: Parser } | undefined;
    for (;;) {
      if (carried === buffer.length) buffer = grow(buffer);
      const { bytesRead } = await handle.read(buffer, carried, buffer.length - carried, null);
      const atEnd = bytesRead === 0;
      const filled = carried + bytesRead;
      if (atEnd && filled === 0) return;
      // A piece ends after its last line feed; at the end of the file, after its last byte.
      const end = atEnd ? filled : buffer.lastIndexOf(LF, filled - 1) + 1;
      if (end === 0) {
        carried = filled;
        continue;
      }
      let start = 0;
      if (atStart) {
        atStart = false;
        start = skipHeader(buffer, end, options.skipLines);
        if (start < 0) {
          yield undefined;
          return;
        }
      }
      if (start < end) {
        shape ??= shapeOf(buffer, start, end, delimiter, options.delimiter);
        const piece = buffer.subarray(start, end);
        const lines = countPlainLines(piece, shape.crlf, delimiter, shape.fields - 1);
        if (lines < 0) {
          yield undefined;
          return;
        }
        // Columns, not rows: one array per column instead of one per row keeps the collector out of the way.
        const columns = shape.parser.stringCols(piece.toString('latin1')) as string[][];
        if ((columns[0]?.length ?? 0) !== lines) {
          yield undefined;
          return;
        }
        yield { columns, rows: lines };
      }
      if (atEnd) return;
      carried = filled - end;
      buffer.copy(buffer, 0, end, filled);
    }
  } finally {
    await handle.close();
  }
}

function grow(buffer: Buffer): Buffer {
  const larger = Buffer.allocUnsafe(buffer.length * 2);
  buffer.copy(larger);
  return larger;
}

/** The offset just after the first `lines` lines (and a BOM), or -1 when the piece does not hold them. */
function skipHeader(buffer: Buffer, end: number, lines: number): number {
  let at = buffer[0] === BOM[0] && buffer[1] === BOM[1] && buffer[2] === BOM[2] ? 3 : 0;
  for (let i = 0; i < lines; i++) {
    const lf = buffer.indexOf(LF, at);
    if (lf < 0 || lf >= end) return -1;
    at = lf + 1;
  }
  return at;
}

/** The line end and field count of the first data line, and a uDSV parser for lines of that shape. */
function shapeOf(
  buffer: Buffer,
  start: number,
  end: number,
  delimiter: number,
  delimiterText: string,
): { crlf: boolean; fields: number; parser: Parser } {
  let lf = buffer.indexOf(LF, start);
  if (lf < 0 || lf >= end) lf = end;
  const crlf = lf > start && lf < end && buffer[lf - 1] === CR;
  let fields = 1;
  for (let i = start; i < lf; i++) if (buffer[i] === delimiter) fields++;
  const parser = initParser({
    col: delimiterText,
    row: crlf ? '\r\n' : '\n',
    encl: '',
    esc: '',
    trim: false,
    cols: Array.from({ length: fields }, (_, i) => ({
      name: String(i),
      type: 's',
      repl: { empty: '', null: undefined, NaN: undefined },
    })),
  });
  return { crlf, fields, parser };
}

/**
 * The lines of `piece` (a last line without a line end counts), or -1 when it is not plain: a quote,
 * a blank line, a line end other than the file's, a lone carriage return, or a line whose delimiter
 * count is not `delimiters`.
 */
function countPlainLines(piece: Buffer, crlf: boolean, delimiter: number, delimiters: number): number {
  const length = piece.length;
  let lines = 0;
  let lineStart = 0;
  let seen = 0;
  for (let i = 0; i < length; i++) {
    const byte = piece[i] as number;
    if (byte === delimiter) {
      seen++;
    } else if (byte === LF) {
      if (crlf && piece[i - 1] !== CR) return -1;
      if ((crlf ? i - 1 : i) <= lineStart || seen !== delimiters) return -1;
      lines++;
      seen = 0;
      lineStart = i + 1;
    } else if (byte === CR) {
      if (!crlf || piece[i + 1] !== LF) return -1;
    } else if (byte === QUOTE) {
      return -1;
    }
  }
  if (lineStart < length) {
    if (seen !== delimiters) return -1;
    lines++;
  }
  return lines;
}
