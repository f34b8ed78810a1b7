import type { ServerResponse } from 'node:http';
import type { SignalsStored } from '../sessions/session-event-hub';
import type { ServiceDatabase } from '../store/service-database';
import { clientFill, clientSignal } from './client-times';
import { StoredEventStream } from './stored-event-stream';

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
 * id, and are dropped past 1,000 queued for a slow client. Writes wait for the socket to drain.
 */
export class SessionEventStream extends StoredEventStream<SignalsStored> {
  readonly #o: SessionEventStreamOptions;
  #sentSeq: number;
  #sentFill: number;

  constructor(options: SessionEventStreamOptions) {
    super({
      response: options.response,
      heartbeatMs: options.heartbeatMs,
      maxQueuedEvents: MAX_QUEUED_EVENTS,
    });
    this.#o = options;
    this.#sentSeq = options.after;
    this.#sentFill = options.afterFill;
  }

  /** Sequence number of the newest signal sent. */
  get sentSeq(): number {
    return this.#sentSeq;
  }

  /** Sequence number of the newest fill sent. */
  get sentFill(): number {
    return this.#sentFill;
  }

  protected merge(queued: SignalsStored, later: SignalsStored): void {
    queued.lastSeq = Math.max(queued.lastSeq, later.lastSeq);
    queued.lastFill = Math.max(queued.lastFill, later.lastFill);
  }

  protected sendStored(event: SignalsStored): Promise<void> {
    return this.#sendStoredUpTo(event.lastSeq, event.lastFill);
  }

  /**
   * Sends signals up to `lastSeq` and fills up to `lastFill` in the order they were stored: a fill
   * stored after signal k goes after signal k and before signal k + 1. Reads a page of each at a
   * time and sends only what is known to come before everything not read yet.
   */
  async #sendStoredUpTo(lastSeq: number, lastFill: number): Promise<void> {
    const { db, sessionId } = this.#o;
    while (!this.closed && (this.#sentSeq < lastSeq || this.#sentFill < lastFill)) {
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
      await this.write(chunk);
    }
  }
}
