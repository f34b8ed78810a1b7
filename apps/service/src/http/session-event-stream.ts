import type { ServerResponse } from 'node:http';
import type { SessionHubEvent } from '../sessions/session-event-hub';
import type { ServiceDatabase } from '../store/service-database';

/** Options of {@link SessionEventStream}. */
export interface SessionEventStreamOptions {
  response: ServerResponse;
  db: ServiceDatabase;
  sessionId: string;
  /** Send signals with a sequence number above this one (from `Last-Event-ID` or `?after=`). */
  after: number;
  /** How often a comment line keeps proxies from closing an idle stream (ms). */
  heartbeatMs: number;
}

/** Signals read from the database per query while catching up. */
const SIGNAL_PAGE = 500;
/** Passing events queued for a slow client before further ones are dropped (signals never are). */
const MAX_QUEUED_EVENTS = 1000;

/**
 * One Server-Sent Events stream of a session. Signals are read from the database, in sequence
 * order, up to the number the hub announced, so the stream only ever sends what is stored, resumes
 * exactly after `Last-Event-ID`, and never skips or repeats one. Each signal carries its sequence
 * number as the event id; other events (metrics, state, overrun, quality, gap, ...) carry none, so
 * a reconnecting client resumes from the last signal it saw. Writes wait for the socket to drain.
 */
export class SessionEventStream {
  readonly #o: SessionEventStreamOptions;
  readonly #queue: SessionHubEvent[] = [];
  readonly #closeListeners: (() => void)[] = [];
  #sentSeq: number;
  #pumping = false;
  #closed = false;
  #droppedEvents = 0;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: SessionEventStreamOptions) {
    this.#o = options;
    this.#sentSeq = options.after;
    options.response.on('close', () => this.close());
  }

  /** Sequence number of the newest signal sent. */
  get sentSeq(): number {
    return this.#sentSeq;
  }

  /** Passing events dropped because the client read too slowly. */
  get droppedEvents(): number {
    return this.#droppedEvents;
  }

  /** Whether the stream has ended. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Writes the response head and the reconnect delay; starts the heartbeat. */
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

  /** Calls `listener` once when the stream ends (the client left, the session ended, or the service closes). */
  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#closeListeners.push(listener);
  }

  /** Queues an event; they are written in the order pushed. */
  push(event: SessionHubEvent): void {
    if (this.#closed) return;
    const last = this.#queue[this.#queue.length - 1];
    if (event.kind === 'signals' && last?.kind === 'signals') {
      last.lastSeq = Math.max(last.lastSeq, event.lastSeq);
    } else if (event.kind === 'event' && this.#queue.length >= MAX_QUEUED_EVENTS) {
      this.#droppedEvents++;
      return;
    } else {
      this.#queue.push(event.kind === 'signals' ? { ...event } : event);
    }
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
        if (event.kind === 'signals') await this.#sendSignalsUpTo(event.lastSeq);
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

  async #sendSignalsUpTo(lastSeq: number): Promise<void> {
    while (!this.#closed && this.#sentSeq < lastSeq) {
      const rows = this.#o.db.listSignals(this.#o.sessionId, this.#sentSeq, SIGNAL_PAGE);
      if (rows.length === 0) return;
      let chunk = '';
      for (const row of rows) {
        chunk += `id: ${row.seq}\nevent: signal\ndata: {"seq":${row.seq},"signal":${row.json}}\n\n`;
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
