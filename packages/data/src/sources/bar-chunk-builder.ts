import { type BarChunk, MAX_CHUNK_BARS } from './bar-source';

/**
 * Collects bars of one symbol into columnar {@link BarChunk}s. Each chunk gets its own arrays (one
 * ArrayBuffer per chunk), so a chunk handed out is never written again, unless given back by
 * {@link BarChunkBuilder.recycle}.
 */
export class BarChunkBuilder {
  /** Bars collected since the last {@link take}. */
  length = 0;
  private time!: Float64Array;
  private open!: Float64Array;
  private high!: Float64Array;
  private low!: Float64Array;
  private close!: Float64Array;
  private volume!: Float64Array;
  /** Memory of chunks handed back by {@link recycle}, for the next ones. */
  private readonly free: ArrayBuffer[] = [];

  constructor(
    /** The symbol every chunk is for. */
    readonly symbol: string,
    /** Bars per full chunk. */
    readonly capacity = MAX_CHUNK_BARS,
  ) {
    this.allocate();
  }

  /** True when the next {@link push} needs a {@link take} first. */
  get isFull(): boolean {
    return this.length === this.capacity;
  }

  /** Appends one bar; the caller takes the chunk when {@link isFull}. */
  push(time: number, open: number, high: number, low: number, close: number, volume: number): void {
    const i = this.length;
    this.time[i] = time;
    this.open[i] = open;
    this.high[i] = high;
    this.low[i] = low;
    this.close[i] = close;
    this.volume[i] = volume;
    this.length = i + 1;
  }

  /** Hands out the bars collected so far as a chunk (arrays trimmed to its length) and starts afresh. */
  take(): BarChunk {
    const length = this.length;
    const full = length === this.capacity;
    const trim = (column: Float64Array): Float64Array => (full ? column : column.subarray(0, length));
    const chunk: BarChunk = {
      symbol: this.symbol,
      length,
      time: trim(this.time),
      open: trim(this.open),
      high: trim(this.high),
      low: trim(this.low),
      close: trim(this.close),
      volume: trim(this.volume),
    };
    this.allocate();
    return chunk;
  }

  /**
   * The reader is done with `chunk`, one {@link take} gave: the next chunks may be written into its
   * memory (what `ReadOptions.reuse` allows a source). Chunks of other builders are ignored.
   */
  recycle(chunk: BarChunk): void {
    const buffer = chunk.time.buffer;
    if (
      buffer instanceof ArrayBuffer &&
      buffer.byteLength === this.capacity * 6 * Float64Array.BYTES_PER_ELEMENT &&
      chunk.time.byteOffset === 0 &&
      buffer !== this.time.buffer &&
      !this.free.includes(buffer)
    ) {
      this.free.push(buffer);
    }
  }

  private allocate(): void {
    const n = this.capacity;
    const buffer = this.free.pop() ?? new ArrayBuffer(n * 6 * Float64Array.BYTES_PER_ELEMENT);
    const column = (k: number): Float64Array =>
      new Float64Array(buffer, k * n * Float64Array.BYTES_PER_ELEMENT, n);
    this.time = column(0);
    this.open = column(1);
    this.high = column(2);
    this.low = column(3);
    this.close = column(4);
    this.volume = column(5);
    this.length = 0;
  }
}
