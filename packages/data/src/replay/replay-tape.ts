import type { BarChunk, BarSource } from '../sources/bar-source';
import type { FeedBar } from '../sources/feeds/bar-feed';

interface Cursor {
  iterator: AsyncIterator<BarChunk>;
  chunk: BarChunk | undefined;
  pos: number;
  done: boolean;
}

/**
 * The bars a replay plays, symbol by symbol: one forward-only cursor per symbol over a
 * {@link BarSource}, opened when a client first asks for the symbol, asked slot by slot for the
 * bar starting at that time.
 */
export class ReplayTape {
  readonly #source: BarSource;
  readonly #cursors = new Map<string, Cursor>();

  constructor(source: BarSource) {
    this.#source = source;
  }

  /** True when the source can have bars of `symbol` (a source without a symbol list has any). */
  has(symbol: string): boolean {
    const known = this.#source.symbols;
    return known === undefined || known.includes(symbol);
  }

  /** True when `symbol` is on the tape already. */
  playing(symbol: string): boolean {
    return this.#cursors.has(symbol);
  }

  /** Puts `symbol` on the tape from `from` (its bars before are never played) up to `to`. */
  add(symbol: string, from: number, to: number): void {
    if (this.#cursors.has(symbol)) return;
    const iterator = this.#source.read(symbol, from, to)[Symbol.asyncIterator]();
    this.#cursors.set(symbol, { iterator, chunk: undefined, pos: 0, done: false });
  }

  /** Calls `play` for every symbol's bar starting at `time` (older bars of a symbol are passed over). */
  async barsAt(time: number, play: (bar: FeedBar) => void): Promise<void> {
    for (const [symbol, cursor] of this.#cursors) {
      const i = await indexAt(cursor, time);
      const chunk = cursor.chunk;
      if (i < 0 || chunk === undefined) continue;
      play({
        symbol,
        time,
        open: chunk.open[i] as number,
        high: chunk.high[i] as number,
        low: chunk.low[i] as number,
        close: chunk.close[i] as number,
        volume: chunk.volume[i] as number,
      });
    }
  }

  /** Stops reading the source. */
  async close(): Promise<void> {
    for (const cursor of this.#cursors.values()) await cursor.iterator.return?.();
    this.#cursors.clear();
  }
}

/** The index in `cursor.chunk` of the bar starting at `time` (moving past older ones), or -1. */
async function indexAt(cursor: Cursor, time: number): Promise<number> {
  for (;;) {
    if (cursor.chunk === undefined || cursor.pos >= cursor.chunk.length) {
      if (cursor.done) return -1;
      const next = await cursor.iterator.next();
      if (next.done) {
        cursor.done = true;
        cursor.chunk = undefined;
        return -1;
      }
      cursor.chunk = next.value;
      cursor.pos = 0;
      continue;
    }
    const t = cursor.chunk.time[cursor.pos] as number;
    if (t > time) return -1;
    const index = cursor.pos++;
    if (t === time) return index;
  }
}
