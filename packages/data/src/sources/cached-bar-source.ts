import type { Interval } from '@strat/core';
import type { BarChunk, BarSource, ReadOptions, SourceReport } from './bar-source';

/** Bars a {@link BarCache} keeps by default, over every source: 2 Mi bars, about 96 MiB. */
export const DEFAULT_CACHE_BARS = 2 * 1024 * 1024;

/**
 * Bars read once and replayed many times: a sweep's worker runs one session per combination over the
 * same data, and this keeps what the first read so the next ones skip parsing. Keyed by source (the
 * caller's key: the data config and what it resolves against) and by symbol and time range. Copies
 * are kept (a source may reuse its chunk buffers); past `maxBars` nothing more is kept and reads go
 * to the source as before.
 */
export class BarCache {
  readonly #maxBars: number;
  #bars = 0;
  readonly #sources = new Map<string, CachedBarSource>();

  constructor(maxBars = DEFAULT_CACHE_BARS) {
    this.#maxBars = maxBars;
  }

  /** Bars kept now. */
  get bars(): number {
    return this.#bars;
  }

  /** `source` with this cache in front of it; the same `key` shares what was read under it before. */
  wrap(key: string, source: BarSource): BarSource {
    let cached = this.#sources.get(key);
    if (cached === undefined) {
      cached = new CachedBarSource(source, (bars) => {
        if (bars > 0 && this.#bars + bars > this.#maxBars) return false;
        this.#bars += bars;
        return true;
      });
      this.#sources.set(key, cached);
    }
    return cached;
  }
}

/** One source behind a {@link BarCache}. */
class CachedBarSource implements BarSource {
  readonly #inner: BarSource;
  readonly #reserve: (bars: number) => boolean;
  readonly #reads = new Map<string, readonly BarChunk[]>();

  constructor(inner: BarSource, reserve: (bars: number) => boolean) {
    this.#inner = inner;
    this.#reserve = reserve;
  }

  get description(): string {
    return this.#inner.description;
  }

  get interval(): Interval {
    return this.#inner.interval;
  }

  get symbols(): readonly string[] | undefined {
    return this.#inner.symbols;
  }

  /** The source's own preparation (see `BarSource.prepare`). */
  prepare(): Promise<void> {
    return this.#inner.prepare?.() ?? Promise.resolve();
  }

  /** The source's report (problems met while reading: a cached read meets none again). */
  report(): SourceReport {
    return this.#inner.report();
  }

  /** The inner source's read, kept (copied) when whole; `options` pass on (what is kept is a copy). */
  async *read(symbol: string, from: number, to: number, options?: ReadOptions): AsyncIterable<BarChunk> {
    const key = `${symbol}\u0000${from}\u0000${to}`;
    const kept = this.#reads.get(key);
    if (kept !== undefined) {
      yield* kept;
      return;
    }
    const copies: BarChunk[] = [];
    let reserved = 0;
    let keeping = true;
    let complete = false;
    try {
      for await (const chunk of this.#inner.read(symbol, from, to, options)) {
        if (keeping && this.#reserve(chunk.length)) {
          reserved += chunk.length;
          copies.push(copyChunk(chunk));
        } else {
          keeping = false;
        }
        yield chunk;
      }
      complete = true;
    } finally {
      // Only a whole read is kept: one that stopped early (the session ended) or outgrew the cache is not.
      if (complete && keeping) this.#reads.set(key, copies);
      else this.#reserve(-reserved);
    }
  }
}

function copyChunk(chunk: BarChunk): BarChunk {
  const n = chunk.length;
  return {
    symbol: chunk.symbol,
    length: n,
    time: chunk.time.slice(0, n),
    open: chunk.open.slice(0, n),
    high: chunk.high.slice(0, n),
    low: chunk.low.slice(0, n),
    close: chunk.close.slice(0, n),
    volume: chunk.volume.slice(0, n),
  };
}
