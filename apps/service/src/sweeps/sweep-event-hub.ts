import type { StreamEvent } from '../http/stored-event-stream';

/** Rows up to `lastSeq` are stored and may be read from the database. */
export interface RowsStored {
  kind: 'rows';
  lastSeq: number;
}

/** What the hub of one sweep tells the streams watching it: stored rows, a passing event (`state`), or the end (no row follows). */
export type SweepHubEvent = StreamEvent<RowsStored>;

/** Fans one sweep's events out to the SSE streams watching it; rows are announced once committed. */
export class SweepEventHub {
  readonly #listeners = new Set<(event: SweepHubEvent) => void>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: (event: SweepHubEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Tells every listener, in the order they subscribed. */
  publish(event: SweepHubEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
