import type { StreamEvent } from '../http/stored-event-stream';

/** Signals up to `lastSeq` and paper fills up to `lastFill` are stored and may be read from the database. */
export interface SignalsStored {
  kind: 'signals';
  lastSeq: number;
  lastFill: number;
}

/**
 * What the hub of one session tells its listeners (the SSE streams watching it): stored signals and
 * fills, a passing event (metrics, overrun, quality, gap, state, ...), or the end (no signal follows).
 */
export type SessionHubEvent = StreamEvent<SignalsStored>;

/** A listener of a {@link SessionEventHub}. */
export type SessionHubListener = (event: SessionHubEvent) => void;

/**
 * Fans one session's events out to the streams watching it. Signals and fills are announced only
 * after they are committed, as sequence numbers to read up to, so a stream never sends a signal or
 * fill the database does not hold.
 */
export class SessionEventHub {
  readonly #listeners = new Set<SessionHubListener>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: SessionHubListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Tells every listener, in the order they subscribed. */
  publish(event: SessionHubEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  /** How many listeners there are. */
  get listenerCount(): number {
    return this.#listeners.size;
  }
}
