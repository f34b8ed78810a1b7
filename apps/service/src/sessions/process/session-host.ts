import { ConfigError, type Interval, StratError } from '@strat/core';
import { type Fill, Session, type SessionResults, type SessionSummary } from '@strat/runtime';
import type { SeriesColumns } from '../bars/series-columns';
import { splitResults } from '../results/result-transfer';
import { resultRecordsOf } from '../results/session-result-records';
import type {
  SessionControl,
  SessionProcessInit,
  SessionReport,
  SessionStatus,
  ThreadError,
} from './session-process-protocol';

/**
 * Session events the service forwards as they are; `gap` and `feed` come from live sessions,
 * `equity` from sessions with paper execution.
 */
const FORWARDED_EVENTS = [
  'overrun',
  'quality',
  'gap',
  'feed',
  'strategyError',
  'symbolAdded',
  'equity',
] as const;

/** How the host talks to the service: the IPC channel of its process (or a fake in tests). */
export interface ServiceChannel {
  /** Sends a report; `done` runs once it is handed to the channel. */
  send(report: SessionReport, done?: () => void): void;
  /** Calls `listener` with every control message. */
  onControl(listener: (control: SessionControl) => void): void;
  /** Ends the process (after `shutdown`, or when the session could not be built). */
  exit(): void;
}

/** The error of a thrown value, carried across the process boundary. */
export function describeError(error: unknown): ThreadError {
  const config = ConfigError.isInstance(error);
  return {
    message: error instanceof Error ? error.message : String(error),
    code: StratError.isInstance(error) ? error.code : undefined,
    issues: config ? (error as ConfigError).issues : undefined,
    config,
  };
}

/**
 * The session's side of a session process: builds the `Session` from the config (strategies always
 * in worker threads of their own, feed settings from the environment it was given), forwards
 * everything it emits to the service in order, and carries out `start`, `stop`, `addSymbol` and
 * `shutdown`. When the process exits, every byte the session held goes back to the system.
 */
export function hostSession(service: ServiceChannel, init: SessionProcessInit): void {
  const channel = new FillBatching(service);
  let session: Session;
  try {
    session = new Session(init.config, {
      configDir: init.configDir,
      roots: [init.projectRoot],
      // The service never runs a strategy on the session's own thread: a request cannot choose code to run there.
      executor: 'worker',
      logLevel: init.logLevel,
      logSink: (record) => channel.send({ type: 'log', record }),
      stopTimeoutMs: init.stopTimeoutMs,
      env: init.feedEnv,
    });
  } catch (error) {
    channel.send({ type: 'refused', error: describeError(error) }, () => channel.exit());
    return;
  }
  const status = (): SessionStatus => ({
    state: session.state,
    metrics: session.getMetrics(),
    progress: { ...session.processor.progress() },
    symbols: [...session.symbols],
  });
  // A state change goes out with the first signals after it: the status timer may not fire while a
  // busy replay keeps the process's event loop full, and a client that saw signals must see `running`.
  let toldState = session.state;
  session.on('signal', (signals) => {
    if (session.state !== toldState) {
      toldState = session.state;
      channel.send({ type: 'status', status: status() });
    }
    channel.send({ type: 'signals', bodies: signals.map((signal) => JSON.stringify(signal)) });
  });
  session.on('fill', (fill) => channel.fill(fill));
  session.on('result', (results) => sendResults(channel, results));
  const loose = session as unknown as { on(name: string, listener: (payload: unknown) => void): unknown };
  for (const name of FORWARDED_EVENTS) {
    loose.on(name, (data) =>
      channel.send({
        type: 'event',
        name,
        data,
        ...(name === 'symbolAdded' ? { symbols: [...session.symbols] } : {}),
      }),
    );
  }
  let timer: NodeJS.Timeout | undefined;
  const end = (summary: SessionSummary | undefined, error: string | undefined) => {
    if (timer !== undefined) clearInterval(timer);
    channel.send({ type: 'end', end: { summary, error, status: status() } });
  };
  channel.onControl((control) => {
    switch (control.type) {
      case 'start':
        timer = setInterval(() => channel.send({ type: 'status', status: status() }), init.statusIntervalMs);
        session.start().then(
          (summary) => end(summary, undefined),
          (error: unknown) => end(undefined, error instanceof Error ? error.message : String(error)),
        );
        break;
      case 'stop':
        session.stop().catch(() => undefined);
        break;
      case 'addSymbol':
        void addSymbol(channel, session, control.requestId, control.symbol);
        break;
      case 'bars':
        channel.send({ type: 'bars', requestId: control.requestId, bars: storedBars(session, control) });
        break;
      case 'shutdown':
        session
          .shutdown()
          .catch(() => undefined)
          .finally(() => channel.send({ type: 'closed' }, () => channel.exit()));
        break;
      default:
        break;
    }
  });
  channel.send({ type: 'ready', status: status() });
}

/**
 * The channel with fills sent in batches: a fill waits until the next report or the end of the
 * current turn of the event loop, whichever comes first, so fills keep their order with everything
 * else and the service stores them a batch per transaction.
 */
class FillBatching implements ServiceChannel {
  readonly #channel: ServiceChannel;
  #fills: string[] = [];
  #scheduled = false;

  constructor(channel: ServiceChannel) {
    this.#channel = channel;
  }

  fill(fill: Fill): void {
    this.#fills.push(JSON.stringify(fill));
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
  }

  send(report: SessionReport, done?: () => void): void {
    this.#flush();
    this.#channel.send(report, done);
  }

  onControl(listener: (control: SessionControl) => void): void {
    this.#channel.onControl(listener);
  }

  exit(): void {
    this.#channel.exit();
  }

  #flush(): void {
    this.#scheduled = false;
    if (this.#fills.length === 0) return;
    const bodies = this.#fills;
    this.#fills = [];
    this.#channel.send({ type: 'fills', bodies });
  }
}

/** The results as plain records, head first, then the rows in bounded parts (the channel keeps the order). */
function sendResults(channel: ServiceChannel, results: SessionResults): void {
  const { head, parts } = splitResults(resultRecordsOf(results));
  channel.send({ type: 'result', head });
  for (const part of parts) channel.send({ type: 'resultPart', part });
}

/** The bars the session's store holds for a series (at most its window), or null when it has none. */
function storedBars(session: Session, series: { symbol: string; interval: string }): SeriesColumns | null {
  const interval = series.interval as Interval;
  if (!session.store.hasSeries(series.symbol, interval)) return null;
  const bars = session.store.getBars(series.symbol, interval);
  return {
    time: bars.time.toArray(),
    open: bars.open.toArray(),
    high: bars.high.toArray(),
    low: bars.low.toArray(),
    close: bars.close.toArray(),
    volume: bars.volume.toArray(),
  };
}

async function addSymbol(
  channel: ServiceChannel,
  session: Session,
  requestId: number,
  symbol: string,
): Promise<void> {
  const answer = (fields: { added: boolean; notRunning?: SessionStatus['state']; error?: string }) =>
    channel.send({ type: 'symbolAdded', requestId, symbols: [...session.symbols], ...fields });
  if (session.state !== 'running') {
    answer({ added: false, notRunning: session.state });
    return;
  }
  try {
    answer({ added: await session.addSymbol(symbol) });
  } catch (error) {
    answer({ added: false, error: error instanceof Error ? error.message : String(error) });
  }
}
