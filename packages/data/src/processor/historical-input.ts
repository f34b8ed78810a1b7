import type { TradingSession } from '../calendar/trading-calendar';
import type { BarChunk, BarSource, ReadOptions, SourceReport } from '../sources/bar-source';
import type { BarInput, JoinPoint, ReadAhead } from './bar-input';
import type { Lane } from './step-assembler';

/** A read begun by `prepare`, before its lane joined: the iterator and its first result on the way. */
interface ReadBegun {
  readonly from: number;
  readonly iterator: AsyncIterator<BarChunk> | undefined;
  readonly first: Promise<IteratorResult<BarChunk>>;
}

/** Every read here is done with a chunk once it asks for the next: the source may reuse its memory. */
const REUSE: ReadOptions = { reuse: true };

interface Cursor {
  lane: Lane;
  iterator: AsyncIterator<BarChunk>;
  chunk: BarChunk | undefined;
  pos: number;
  /** Start time of the next bar, +Infinity when the source is exhausted. */
  next: number;
}

/**
 * The pull kind of input: a historical {@link BarSource} read lane by lane (a cursor per lane over
 * its chunks), merged by time. Every lane's next bar is known, so a step is always complete and
 * nothing ever waits; only a used-up chunk makes `take` read on.
 */
export class HistoricalInput implements BarInput {
  readonly ended = false;
  readonly failure = undefined;
  readonly late = 0;
  readonly #source: BarSource;
  readonly #baseMs: number;
  readonly #endTime: number;
  readonly #cursors: Cursor[] = [];
  /** Reads begun by `prepare`, by symbol, until their lane joins (or the input closes). */
  readonly #begun = new Map<string, ReadBegun>();
  #closed = false;
  #taken = 0;

  /**
   * @param source where the bars come from
   * @param baseMs the base interval, ms
   * @param endTime bars start before this (the end of the range's last date)
   */
  constructor(source: BarSource, baseMs: number, endTime: number) {
    this.#source = source;
    this.#baseMs = baseMs;
    this.#endTime = endTime;
  }

  get taken(): number {
    return this.#taken;
  }

  async open(): Promise<void> {}

  /**
   * The source's `prepare`, then the reads of lanes that will join at `from` without history begin:
   * their first chunks (a parsing thread's start-up, a partition's decoding) come while the session
   * does other things. Their bars reach no lane before it joins.
   */
  async prepare(reads: readonly ReadAhead[]): Promise<void> {
    await this.#source.prepare?.().catch(() => undefined);
    // One read's first chunk after the other, in join order, as the joins would read them: which read
    // gets a parsing thread, and the order of the problems they report, stay the same.
    let previous: Promise<unknown> = Promise.resolve();
    for (const { symbol, from } of reads) {
      // A lane that joined meanwhile (a run started without waiting for this) reads for itself.
      if (this.#closed || this.#begun.has(symbol) || this.#cursors.some((c) => c.lane.symbol === symbol)) {
        continue;
      }
      let iterator: AsyncIterator<BarChunk> | undefined;
      let first: Promise<IteratorResult<BarChunk>>;
      try {
        const begun = this.#source.read(symbol, from, this.#endTime, REUSE)[Symbol.asyncIterator]();
        iterator = begun;
        first = previous.then(() =>
          this.#closed ? { done: true as const, value: undefined } : begun.next(),
        );
      } catch (error) {
        first = Promise.reject(error);
      }
      // Its failure is the join's to throw: not an unhandled rejection meanwhile.
      previous = first.catch(() => undefined);
      this.#begun.set(symbol, { from, iterator, first });
    }
  }

  async firstBar(): Promise<void> {}

  /**
   * Loads the lane's history through its (silent) aggregator: `warmupBars` base bars of the
   * sessions before the current one, then the current session's bars before now (it is all in the
   * past); then the lane streams from now on.
   */
  async join(lane: Lane, at: JoinPoint): Promise<void> {
    const now = at.time;
    const current = at.session;
    const sessions =
      at.warmupBars > 0 ? at.schedule.historyBefore(current?.open ?? now, at.warmupBars, this.#baseMs) : [];
    if (current !== undefined && current.open < now) sessions.push(current);
    const aggregator = lane.aggregator;
    for (const s of sessions) {
      aggregator.startSession(s.open, s.close);
      await this.#replayInto(lane, s, Math.min(s.close, now));
      if (s.close <= now) aggregator.endSession();
      else aggregator.advanceTo(now);
    }
    await this.#openCursor(lane, now);
  }

  earliest(): number {
    let t = Number.POSITIVE_INFINITY;
    const cursors = this.#cursors;
    for (let n = 0; n < cursors.length; n++) {
      const next = (cursors[n] as Cursor).next;
      if (next < t) t = next;
    }
    return t;
  }

  complete(): boolean {
    return true;
  }

  take(time: number): Promise<void> | undefined {
    const cursors = this.#cursors;
    let refills: Promise<void> | undefined;
    for (let n = 0; n < cursors.length; n++) {
      const c = cursors[n] as Cursor;
      if (c.next !== time) continue;
      const k = c.chunk as BarChunk;
      const i = c.pos;
      c.lane.aggregator.pushBaseAt(k, i);
      this.#taken++;
      // Reading on only when a chunk is used up keeps the step loop free of promises.
      c.pos = i + 1;
      if (c.pos < k.length) c.next = k.time[c.pos] as number;
      else refills = refills === undefined ? this.#refill(c) : refills.then(() => this.#refill(c));
    }
    return refills;
  }

  async skip(time: number): Promise<number> {
    let skipped = 0;
    for (const c of this.#cursors) {
      if (c.next !== time) continue;
      skipped++;
      c.pos++;
      const k = c.chunk as BarChunk;
      if (c.pos < k.length) c.next = k.time[c.pos] as number;
      else await this.#refill(c);
    }
    return skipped;
  }

  seal(): void {}

  async wait(): Promise<void> {}

  wake(): void {}

  interrupt(): void {}

  report(): SourceReport {
    return this.#source.report();
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const c of this.#cursors.splice(0)) await c.iterator.return?.();
    // Reads begun for lanes that never joined (a session that failed to start): ended, their threads too.
    const begun = [...this.#begun.values()];
    this.#begun.clear();
    for (const read of begun) await endRead(read);
  }

  async #replayInto(lane: Lane, session: TradingSession, until: number): Promise<void> {
    const aggregator = lane.aggregator;
    for await (const k of this.#source.read(lane.symbol, session.open, until, REUSE)) {
      for (let i = 0; i < k.length; i++) aggregator.pushBaseAt(k, i);
    }
  }

  async #openCursor(lane: Lane, from: number): Promise<void> {
    const begun = this.#begun.get(lane.symbol);
    this.#begun.delete(lane.symbol);
    let iterator: AsyncIterator<BarChunk>;
    let first: IteratorResult<BarChunk> | undefined;
    if (begun !== undefined && begun.from === from) {
      // The read `prepare` began: its first result (or its error) is this join's.
      first = await begun.first;
      iterator = begun.iterator as AsyncIterator<BarChunk>;
    } else {
      if (begun !== undefined) await endRead(begun);
      iterator = this.#source.read(lane.symbol, from, this.#endTime, REUSE)[Symbol.asyncIterator]();
    }
    const cursor: Cursor = { lane, iterator, chunk: undefined, pos: 0, next: Number.POSITIVE_INFINITY };
    await this.#refill(cursor, first);
    this.#cursors.push(cursor);
  }

  /** Moves `c` to its next non-empty chunk (`first`: a result already read). */
  async #refill(c: Cursor, first?: IteratorResult<BarChunk>): Promise<void> {
    for (let given = first; ; given = undefined) {
      const r = given ?? (await c.iterator.next());
      if (r.done) {
        c.chunk = undefined;
        c.next = Number.POSITIVE_INFINITY;
        return;
      }
      if (r.value.length > 0) {
        c.chunk = r.value;
        c.pos = 0;
        c.next = r.value.time[0] as number;
        return;
      }
    }
  }
}

/** Ends a read `prepare` began that no lane will take (its first chunk settled first). */
async function endRead(read: ReadBegun): Promise<void> {
  await read.first.catch(() => undefined);
  await read.iterator?.return?.();
}
