import type { ControlMessage, HostMessage } from './host-protocol';
import type { NotificationQueue } from './queue/notification-queue';

/** How an executor reports to its {@link StrategyThread}. */
export interface ExecutorSink {
  /** A message the host posted; delivered asynchronously, in the order the host posted them. */
  message(message: HostMessage): void;
  /** The strategy's thread failed under it: the strategy is marked crashed (unless it has already ended). */
  crash(reason: string, stack?: string): void;
  /** The strategy's thread has ended; `terminated` when {@link ThreadExecutor.terminate} ended it. */
  end(code: number | undefined, terminated: boolean): void;
}

/**
 * Where a {@link StrategyThread}'s host runs: its own worker thread ({@link WorkerExecutor}) or the
 * session's thread ({@link InlineExecutor}). The thread keeps the strategy's state and events; the
 * executor starts the host, carries control messages to it and reports what it posts and how it ends.
 */
export interface ThreadExecutor {
  /**
   * Starts the host: it loads the strategy and then processes the queue; its messages and its end
   * come back through the sink.
   * @throws when the thread cannot be started at all
   */
  start(): void;
  /** Hands a control message to the host (its queue entry follows). False when there is no host to take it. */
  sendControl(message: ControlMessage): boolean;
  /**
   * Hands the sink, now, every message the host has posted and the sink has not had yet (a worker's
   * wait in its port); nothing to do where messages arrive synchronously (inline).
   */
  takeMessages(): void;
  /** Polls briefly for the host to commit past `cursor`, where that is cheaper than sleeping (may do nothing). */
  spinUntilCommitted(queue: NotificationQueue, cursor: number): void;
  /** The host has posted `stopped`: its thread should end now. */
  hostStopped(): void;
  /** Ends a host that did not stop in time (the sink's `end` reports it, with `terminated`). */
  terminate(): Promise<void>;
}
