import { cloneMessage } from './clone-message';
import { StrategyHost } from './host/strategy-host';
import type { ControlMessage, HostInit } from './host-protocol';
import type { ExecutorSink, ThreadExecutor } from './thread-executor';

/**
 * Runs a strategy's host on the session's thread, for breakpoints: same host, same results as in a
 * worker. Its messages are cloned and delivered asynchronously, exactly as a worker's are; the
 * queue is drained in a `setImmediate` after each hand-over ({@link wake}), so the session's loop
 * goes on between batches as it does with a worker.
 */
export class InlineExecutor implements ThreadExecutor {
  readonly #init: HostInit;
  readonly #sink: ExecutorSink;
  readonly #inbox: ControlMessage[] = [];
  #host: StrategyHost | undefined;
  #started = false;
  #scheduled = false;
  #running = false;
  #finished = false;
  #terminated = false;

  constructor(init: HostInit, sink: ExecutorSink) {
    this.#init = init;
    this.#sink = sink;
  }

  start(): void {
    const sink = this.#sink;
    const host = new StrategyHost(this.#init, {
      post: (message) => {
        // A terminated strategy whose awaited promise settles after all is not heard from again.
        if (this.#terminated) return;
        const copy = cloneMessage(message);
        queueMicrotask(() => sink.message(copy));
      },
      receiveControl: () => this.#inbox.shift(),
    });
    this.#host = host;
    void this.#startHost(host);
  }

  sendControl(message: ControlMessage): boolean {
    if (this.#host === undefined) return false;
    this.#inbox.push(message);
    return true;
  }

  /** A batch was handed over: drain the queue soon (once the host has started, and not twice at once). */
  wake(): void {
    if (!this.#started || this.#scheduled || this.#running || this.#finished) return;
    this.#scheduled = true;
    setImmediate(() => void this.#drain(this.#host as StrategyHost));
  }

  /** Inline, the host's messages reach the sink as it posts them: nothing ever waits. */
  takeMessages(): void {}

  spinUntilCommitted(): void {
    // The host runs on this very thread: nothing to poll for.
  }

  hostStopped(): void {}

  async terminate(): Promise<void> {
    // Nothing on this thread can be interrupted: stop waiting for it, and should the promise it
    // awaits settle after all, let nothing more of it run.
    this.#terminated = true;
    this.#finished = true;
    this.#host?.abandon();
    this.#sink.end(undefined, true);
  }

  async #startHost(host: StrategyHost): Promise<void> {
    try {
      if (await host.start()) {
        this.#started = true;
        this.wake();
        return;
      }
      await host.teardown();
      this.#finish();
    } catch (error) {
      if (!this.#terminated) this.#crash(error);
    }
  }

  async #drain(host: StrategyHost): Promise<void> {
    this.#scheduled = false;
    this.#running = true;
    try {
      while (host.hasEntries() && !host.stopRequested) {
        const pending = host.processAvailable();
        if (pending !== undefined) await pending;
      }
      host.flushMetrics();
      if (host.stopRequested) {
        await host.teardown();
        this.#finish();
      }
    } catch (error) {
      if (!this.#terminated) this.#crash(error);
    } finally {
      this.#running = false;
    }
    if (!this.#finished && host.hasEntries()) this.wake();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    // After the host's last messages (queued as microtasks), like a worker's exit after its messages.
    queueMicrotask(() => this.#sink.end(undefined, false));
  }

  #crash(error: unknown): void {
    this.#finished = true;
    const message = error instanceof Error ? error.message : String(error);
    this.#sink.crash(`the runtime failed: ${message}`, error instanceof Error ? error.stack : undefined);
    this.#sink.end(undefined, false);
  }
}
