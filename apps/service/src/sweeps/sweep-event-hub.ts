/** What the hub of one sweep tells the streams watching it. */
export type SweepHubEvent =
  /** Rows up to `lastSeq` are stored and may be read from the database. */
  | { kind: 'rows'; lastSeq: number }
  /** A passing event (`state`): sent to whoever listens now. */
  | { kind: 'event'; name: string; data: unknown }
  /** The sweep ended: no row follows. */
  | { kind: 'end'; data: unknown };

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
