import type { ServerResponse } from 'node:http';
import type { ServiceDatabase } from '../store/service-database';
import type { RowsStored } from '../sweeps/sweep-event-hub';
import { formatEvent, StoredEventStream } from './stored-event-stream';

/** Options of {@link SweepEventStream}. */
export interface SweepEventStreamOptions {
  response: ServerResponse;
  db: ServiceDatabase;
  sweepId: string;
  /** Sessions the sweep runs in all (each `row` event says how many are done of it). */
  total: number;
  /** Send rows with a sequence number above this one (from `Last-Event-ID` or `?after=`). */
  after: number;
  heartbeatMs: number;
}

const ROW_PAGE = 500;

/**
 * One Server-Sent Events stream of a sweep: a `row` event per finished combination (id: its
 * sequence number in the order they finished; read from the database up to what the hub announced,
 * so a reconnecting client resumes after `Last-Event-ID` and misses none), `state` events, then
 * `end` and the stream closes.
 */
export class SweepEventStream extends StoredEventStream<RowsStored> {
  readonly #o: SweepEventStreamOptions;
  #sentSeq: number;
  #failed = 0;

  constructor(options: SweepEventStreamOptions) {
    super({ response: options.response, heartbeatMs: options.heartbeatMs });
    this.#o = options;
    this.#sentSeq = options.after;
  }

  protected merge(queued: RowsStored, later: RowsStored): void {
    queued.lastSeq = Math.max(queued.lastSeq, later.lastSeq);
  }

  protected sendStored(event: RowsStored): Promise<void> {
    return this.#sendStoredUpTo(event.lastSeq);
  }

  async #sendStoredUpTo(lastSeq: number): Promise<void> {
    const { db, sweepId, total } = this.#o;
    if (this.#sentSeq === this.#o.after && this.#o.after > 0) {
      // Resuming: the failed count includes the rows sent before.
      this.#failed = db.sweeps.rows(sweepId, 0, this.#o.after).filter((r) => r.error !== null).length;
    }
    while (!this.closed && this.#sentSeq < lastSeq) {
      const rows = db.sweeps.rows(sweepId, this.#sentSeq, ROW_PAGE).filter((r) => r.seq <= lastSeq);
      if (rows.length === 0) return;
      let chunk = '';
      for (const row of rows) {
        if (row.error !== null) this.#failed++;
        const data = {
          seq: row.seq,
          done: row.seq,
          total,
          failed: this.#failed,
          window: row.window,
          phase: row.phase,
          row: {
            index: row.index,
            combination: JSON.parse(row.combination) as unknown,
            stats: row.stats === null ? null : (JSON.parse(row.stats) as unknown),
            signals: row.signals,
            error: row.error,
            ms: row.ms,
          },
        };
        chunk += `id: ${row.seq}\n${formatEvent('row', data)}`;
        this.#sentSeq = row.seq;
      }
      await this.write(chunk);
    }
  }
}
