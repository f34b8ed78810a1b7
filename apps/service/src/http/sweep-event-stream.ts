import type { ServerResponse } from 'node:http';
import type { ServiceDatabase } from '../store/service-database';
import type { SweepHubEvent } from '../sweeps/sweep-event-hub';

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
export class SweepEventStream {
  readonly #o: SweepEventStreamOptions;
  readonly #queue: SweepHubEvent[] = [];
  readonly #closeListeners: (() => void)[] = [];
  #sentSeq: number;
  #failed = 0;
  #pumping = false;
  #closed = false;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: SweepEventStreamOptions) {
    this.#o = options;
    this.#sentSeq = options.after;
    options.response.on('close', () => this.close());
  }

  /** Writes the response head and starts the heartbeat. */
  open(): void {
    this.#o.response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    this.#o.response.write('retry: 2000\n\n');
    this.#heartbeat = setInterval(() => {
      if (!this.#closed) this.#o.response.write(': keep-alive\n\n');
    }, this.#o.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Calls `listener` once when the stream ends. */
  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#closeListeners.push(listener);
  }

  /** Queues an event; they are written in the order pushed. */
  push(event: SweepHubEvent): void {
    if (this.#closed) return;
    const last = this.#queue[this.#queue.length - 1];
    if (event.kind === 'rows' && last?.kind === 'rows') last.lastSeq = Math.max(last.lastSeq, event.lastSeq);
    else this.#queue.push(event.kind === 'rows' ? { ...event } : event);
    void this.#pump();
  }

  /** Ends the stream. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#queue.length = 0;
    if (!this.#o.response.writableEnded) this.#o.response.end();
    for (const listener of this.#closeListeners.splice(0)) listener();
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#closed) {
        const event = this.#queue.shift();
        if (event === undefined) break;
        if (event.kind === 'rows') await this.#sendStoredUpTo(event.lastSeq);
        else if (event.kind === 'event') await this.#write(formatEvent(event.name, event.data));
        else {
          await this.#write(formatEvent('end', event.data));
          this.close();
        }
      }
    } catch {
      this.close();
    } finally {
      this.#pumping = false;
    }
  }

  async #sendStoredUpTo(lastSeq: number): Promise<void> {
    const { db, sweepId, total } = this.#o;
    if (this.#sentSeq === this.#o.after && this.#o.after > 0) {
      // Resuming: the failed count includes the rows sent before.
      this.#failed = db.sweeps.rows(sweepId, 0, this.#o.after).filter((r) => r.error !== null).length;
    }
    while (!this.#closed && this.#sentSeq < lastSeq) {
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
      await this.#write(chunk);
    }
  }

  #write(chunk: string): Promise<void> {
    const response = this.#o.response;
    if (this.#closed || response.writableEnded) return Promise.resolve();
    if (response.write(chunk)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        response.off('drain', done);
        response.off('close', done);
        resolve();
      };
      response.on('drain', done);
      response.on('close', done);
    });
  }
}

function formatEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data ?? null)}\n\n`;
}
