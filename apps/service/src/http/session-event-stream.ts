import type { ServerResponse } from 'node:http';
import type { SessionHubEvent } from '../sessions/session-event-hub';
import type { ServiceDatabase } from '../store/service-database';
import { clientFill, clientSignal } from './client-times';

/** Options of {@link SessionEventStream}. */
export interface SessionEventStreamOptions {
  response: ServerResponse;
  db: ServiceDatabase;
  sessionId: string;
  /** Send signals with a sequence number above this one (from `Last-Event-ID` or `?after=`). */
  after: number;
  /** Send paper fills with a sequence number above this one (from `Last-Event-ID`, or the fills stored before signal `after`). */
  afterFill: number;
  /** How often a comment line keeps proxies from closing an idle stream (ms). */
  heartbeatMs: number;
}

/** Signals (and fills) read from the database per query while catching up. */
const SIGNAL_PAGE = 500;
/** Passing events queued for a slow client before further ones are dropped (signals never are). */
const MAX_QUEUED_EVENTS = 1000;

/**
 * One Server-Sent Events stream of a session. Signals and paper fills are read from the database,
 * in the order they were stored, up to the numbers the hub announced, so the stream only ever
 * sends what is stored, resumes exactly after `Last-Event-ID`, and never skips or repeats one.
 * Each signal carries its sequence number as the event id, each fill `SIGNAL:FILL` (the newest
 * signal before it and its own number): both are the position in the stored order a reconnecting
 * client resumes from. Other events (metrics, equity, state, overrun, quality, gap, ...) carry no
 * id. Writes wait for the socket to drain.
 */
export class SessionEventStream {
  readonly #o: SessionEventStreamOptions;
  readonly #queue: SessionHubEvent[] = [];
  readonly #closeListeners: (() => void)[] = [];
  #sentSeq: number;
  #sentFill: number;
  #pumping = false;
  #closed = false;
  #droppedEvents = 0;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: SessionEventStreamOptions) {
    this.#o = options;
    this.#sentSeq = options.after;
    this.#sentFill = options.afterFill;
    options.response.on('close', () => this.close());
  }

  /** Sequence number of the newest signal sent. */
  get sentSeq(): number {
    return this.#sentSeq;
  }

  /** Sequence number of the newest fill sent. */
  get sentFill(): number {
    return this.#sentFill;
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
      last.lastFill = Math.max(last.lastFill, event.lastFill);
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
        if (event.kind === 'signals') await this.#sendStoredUpTo(event.lastSeq, event.lastFill);
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

  /**
   * Sends signals up to `lastSeq` and fills up to `lastFill` in the order they were stored: a fill
   * stored after signal k goes after signal k and before signal k + 1. Reads a page of each at a
   * time and sends only what is known to come before everything not read yet.
   */
  async #sendStoredUpTo(lastSeq: number, lastFill: number): Promise<void> {
    const { db, sessionId } = this.#o;
    while (!this.#closed && (this.#sentSeq < lastSeq || this.#sentFill < lastFill)) {
      const signals =
        this.#sentSeq < lastSeq
          ? db.listSignals(sessionId, this.#sentSeq, SIGNAL_PAGE).filter((r) => r.seq <= lastSeq)
          : [];
      const fills =
        this.#sentFill < lastFill
          ? db.listFills(sessionId, this.#sentFill, SIGNAL_PAGE).filter((r) => r.seq <= lastFill)
          : [];
      if (signals.length === 0 && fills.length === 0) return;
      const allSignals = (signals[signals.length - 1]?.seq ?? lastSeq) >= lastSeq;
      const allFills = (fills[fills.length - 1]?.seq ?? lastFill) >= lastFill;
      let chunk = '';
      let i = 0;
      let j = 0;
      for (;;) {
        const signal = signals[i];
        const fill = fills[j];
        const fillFirst =
          fill !== undefined &&
          (signal !== undefined
            ? fill.afterSignal < signal.seq
            : allSignals || fill.afterSignal <= this.#sentSeq);
        if (fill !== undefined && fillFirst) {
          chunk += `id: ${this.#sentSeq}:${fill.seq}\nevent: fill\ndata: {"seq":${fill.seq},"fill":${JSON.stringify(clientFill(fill.json))}}\n\n`;
          this.#sentFill = fill.seq;
          j++;
        } else if (signal !== undefined && (fill !== undefined || allFills)) {
          chunk += `id: ${signal.seq}\nevent: signal\ndata: {"seq":${signal.seq},"signal":${JSON.stringify(clientSignal(signal.json))}}\n\n`;
          this.#sentSeq = signal.seq;
          i++;
        } else {
          break;
        }
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
