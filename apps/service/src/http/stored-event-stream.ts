import type { ServerResponse } from 'node:http';

/** A passing event (metrics, state, ...): sent to whoever listens now, never stored. */
export interface PassingEvent {
  kind: 'event';
  name: string;
  data: unknown;
}

/** The end of what a stream watches: its `end` event is written and the stream closes. */
export interface EndEvent {
  kind: 'end';
  data: unknown;
}

/** What a stream is pushed: `S` announces stored records to read up to; or a passing event; or the end. */
export type StreamEvent<S extends { kind: string }> = S | PassingEvent | EndEvent;

/** Options of a {@link StoredEventStream}. */
export interface StoredEventStreamOptions {
  response: ServerResponse;
  /** How often a comment line keeps proxies from closing an idle stream (ms). */
  heartbeatMs: number;
  /** Passing events queued for a slow client before further ones are dropped (stored records never are; default: no limit). */
  maxQueuedEvents?: number;
}

/**
 * One Server-Sent Events stream whose records are read from the database, up to what a hub
 * announced (`S` events), between passing events, until an `end` event. Announcements pushed
 * while one is still queued merge into it (a slow client reads once what was announced twice).
 * Events are written in the order pushed, each write waiting for the socket to drain; the stream
 * closes when the client leaves, at the end, or on {@link close}. A heartbeat comment keeps
 * proxies from closing it while nothing happens.
 */
export abstract class StoredEventStream<S extends { kind: string }> {
  readonly #response: ServerResponse;
  readonly #heartbeatMs: number;
  readonly #maxQueuedEvents: number;
  readonly #queue: Array<StreamEvent<S>> = [];
  readonly #closeListeners: (() => void)[] = [];
  #pumping = false;
  #closed = false;
  #droppedEvents = 0;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(options: StoredEventStreamOptions) {
    this.#response = options.response;
    this.#heartbeatMs = options.heartbeatMs;
    this.#maxQueuedEvents = options.maxQueuedEvents ?? Number.POSITIVE_INFINITY;
    options.response.on('close', () => this.close());
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
    this.#response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    this.#response.write('retry: 2000\n\n');
    this.#heartbeat = setInterval(() => {
      if (!this.#closed) this.#response.write(': keep-alive\n\n');
    }, this.#heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Calls `listener` once when the stream ends (the client left, what it watches ended, or the service closes). */
  onClose(listener: () => void): void {
    if (this.#closed) listener();
    else this.#closeListeners.push(listener);
  }

  /** Queues an event; they are written in the order pushed. */
  push(event: StreamEvent<S>): void {
    if (this.#closed) return;
    const queue = this.#queue;
    if (isStored(event)) {
      const last = queue[queue.length - 1];
      // A copy is queued: the next announcement merges into it.
      if (last !== undefined && last.kind === event.kind) this.merge(last as S, event);
      else queue.push({ ...event });
    } else if (event.kind === 'event' && queue.length >= this.#maxQueuedEvents) {
      this.#droppedEvents++;
      return;
    } else {
      queue.push(event);
    }
    void this.#pump();
  }

  /** Ends the stream. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#queue.length = 0;
    if (!this.#response.writableEnded) this.#response.end();
    for (const listener of this.#closeListeners.splice(0)) listener();
  }

  /** Folds a later announcement into a queued one (both of the same kind): read up to the later numbers. */
  protected abstract merge(queued: S, later: S): void;

  /** Reads and writes the stored records an announcement makes known (checking {@link closed} between pages). */
  protected abstract sendStored(event: S): Promise<void>;

  /** Writes a chunk; resolves when the socket takes more (at once unless its buffer is full), or the stream closed. */
  protected write(chunk: string): Promise<void> {
    const response = this.#response;
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

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#closed) {
        const event = this.#queue.shift();
        if (event === undefined) break;
        if (isStored(event)) await this.sendStored(event);
        else if (event.kind === 'event') await this.write(formatEvent(event.name, event.data));
        else {
          await this.write(formatEvent('end', event.data));
          this.close();
        }
      }
    } catch {
      this.close();
    } finally {
      this.#pumping = false;
    }
  }
}

function isStored<S extends { kind: string }>(event: StreamEvent<S>): event is S {
  return event.kind !== 'event' && event.kind !== 'end';
}

/** One SSE event without an id. */
export function formatEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data ?? null)}\n\n`;
}
