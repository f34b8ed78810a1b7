import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, type LogRecord, StratError, type StratErrorCode } from '@strat/core';
import { ServiceError } from '../../errors/service-error';
import type { SeriesColumns } from '../bars/series-columns';
import { ResultsAssembler } from '../results/result-transfer';
import type { SessionResultRecords } from '../results/session-result-records';
import type {
  SessionControl,
  SessionEnd,
  SessionProcessInit,
  SessionReport,
  SessionStatus,
  ThreadError,
} from './session-process-protocol';

/** What a session's process tells the registry, in the order the session emitted it. */
export interface SessionProcessListener {
  /** A batch of signals in journal order, each as the JSON to store. */
  signals(bodies: string[]): void;
  /** A batch of paper fills in the order they happened, each as the JSON to store. */
  fills(bodies: string[]): void;
  /** A session event forwarded as is. */
  event(name: string, data: unknown): void;
  /** The session's paper results, whole, just before `end` (only for sessions with paper execution). */
  results(results: SessionResultRecords): void;
  log(record: LogRecord): void;
  /** Exactly once: the session ended, or its process died. */
  end(end: SessionEnd): void;
}

/** Options of {@link SessionProcess.open}. */
export interface SessionProcessOptions {
  init: SessionProcessInit;
  listener: SessionProcessListener;
  /** The script the process runs (default {@link sessionProcessScript}). */
  script?: URL;
}

/** Environment variables a session's process (and the strategy threads in it) never sees. */
const WITHHELD_ENV = ['STRAT_FEED_KEY', 'STRAT_FEED_SECRET', 'STRAT_FEED_URL', 'STRAT_API_TOKEN'];
/** After `shutdown`, how long a session may take to let go before its process is killed. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * The session process script: `session-process.js` next to the bundle in `dist/`, or, running
 * from the sources (the tests, whose global setup builds the package first), the one in `dist/`.
 * @throws StratError `WORKER_SCRIPT_MISSING` when the package is not built
 */
export function sessionProcessScript(): URL {
  for (const candidate of ['./session-process.js', '../../../dist/session-process.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new StratError(
    'WORKER_SCRIPT_MISSING',
    'The session process script dist/session-process.js is missing: build @strat/service (pnpm --filter @strat/service build)',
  );
}

/** The service's environment without what a session's (or sweep's) process must not see. */
export function processEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of WITHHELD_ENV) delete env[name];
  return env;
}

function recreateError(error: ThreadError): Error {
  if (error.config && error.issues !== undefined) {
    const head = (error.message.split('\n')[0] ?? '').replace(/:$/, '');
    return new ConfigError(error.issues, { summary: head });
  }
  return new ServiceError(400, (error.code ?? 'CONFIG_INVALID') as StratErrorCode, error.message);
}

/** How a child process ended, for an error message. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `was killed by ${signal}` : `exited unexpectedly with code ${code}`;
}

/**
 * The service's handle of one session running in a child process of its own. The session, its
 * store and its strategy threads live and die with that process: when it exits, the system gets
 * every byte back (worker threads would leave freed memory to the allocator of the service's
 * process), and code that crashes or exits there ends that session only. Reports arrive in the
 * order the session emitted them; `stop` and `addSymbol` go the other way.
 */
export class SessionProcess {
  readonly #child: ChildProcess;
  readonly #listener: SessionProcessListener;
  readonly #pending = new Map<
    number,
    { resolve: (v: { added: boolean; symbols: string[] }) => void; reject: (e: Error) => void }
  >();
  readonly #pendingBars = new Map<
    number,
    { resolve: (bars: SeriesColumns | null) => void; reject: (e: Error) => void }
  >();
  readonly #exited: Promise<void>;
  #status: SessionStatus;
  #ended = false;
  #closing = false;
  #fatal: string | undefined;
  #nextRequest = 1;
  #results: ResultsAssembler | undefined;

  private constructor(
    child: ChildProcess,
    listener: SessionProcessListener,
    status: SessionStatus,
    exited: Promise<void>,
  ) {
    this.#child = child;
    this.#listener = listener;
    this.#status = status;
    this.#exited = exited;
  }

  /**
   * Starts a process and builds the session in it (not started yet: {@link start}).
   * @throws ConfigError or ServiceError (400) when the session cannot be built from the config
   */
  static open(options: SessionProcessOptions): Promise<SessionProcess> {
    const child = fork(fileURLToPath(options.script ?? sessionProcessScript()), [], {
      env: processEnv(),
      execArgv: [],
      serialization: 'advanced',
      // A console.log in the session's process goes to stderr: stdout carries the service's log lines.
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.stdout?.pipe(process.stderr, { end: false });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let handle: SessionProcess | undefined;
    let fatal: string | undefined;
    return new Promise((resolve, reject) => {
      child.on('error', (error) => {
        fatal ??= error.message;
        // It could not be started at all (no exit follows then).
        if (handle === undefined && child.pid === undefined)
          reject(new Error(`the session's process ${fatal}`));
      });
      child.on('exit', (code, signal) => {
        if (handle !== undefined) handle.#onExit(code, signal);
        else reject(new Error(`the session's process ${fatal ?? describeExit(code, signal)}`));
      });
      child.on('message', (report: SessionReport) => {
        if (handle !== undefined) {
          handle.#onReport(report);
        } else if (report.type === 'ready') {
          handle = new SessionProcess(child, options.listener, report.status, exited);
          resolve(handle);
        } else if (report.type === 'refused') {
          reject(recreateError(report.error));
        } else if (report.type === 'log') {
          options.listener.log(report.record);
        } else if (report.type === 'fatal') {
          fatal = report.message;
        }
      });
      send(child, { type: 'init', init: options.init });
    });
  }

  /** The state, metrics, progress and symbols the session reported last. */
  get status(): SessionStatus {
    return this.#status;
  }

  /** The process id (for logs). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Runs the session. */
  start(): void {
    send(this.#child, { type: 'start' });
  }

  /** Asks the session to stop; the listener's `end` follows. */
  stop(): void {
    send(this.#child, { type: 'stop' });
  }

  /**
   * Adds a symbol to the running session; resolves with whether it was new and the symbols now.
   * @throws ServiceError 409 `SESSION_NOT_RUNNING` when the session is not running
   */
  addSymbol(symbol: string): Promise<{ added: boolean; symbols: string[] }> {
    if (this.#ended) return Promise.reject(notRunning(this.#status.state));
    const requestId = this.#nextRequest++;
    return new Promise((resolve, reject) => {
      this.#pending.set(requestId, { resolve, reject });
      send(this.#child, { type: 'addSymbol', requestId, symbol });
    });
  }

  /**
   * The bars the session's store holds for a series now (its last `streaming.window`), or null when
   * it has no such series.
   * @throws ServiceError 409 `SESSION_NOT_RUNNING` when the session ended before it answered
   */
  bars(symbol: string, interval: string): Promise<SeriesColumns | null> {
    if (this.#ended) return Promise.reject(notRunning(this.#status.state));
    const requestId = this.#nextRequest++;
    return new Promise((resolve, reject) => {
      this.#pendingBars.set(requestId, { resolve, reject });
      send(this.#child, { type: 'bars', requestId, symbol, interval });
    });
  }

  /**
   * Lets the session go: it shuts down (strategies, feed, store) and its process exits, killed
   * after {@link SHUTDOWN_GRACE_MS} if it has not. Resolves once the process has exited.
   */
  async close(): Promise<void> {
    if (!this.#closing && this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#closing = true;
      const kill = setTimeout(() => this.#child.kill('SIGKILL'), SHUTDOWN_GRACE_MS);
      send(this.#child, { type: 'shutdown' });
      await this.#exited;
      clearTimeout(kill);
    }
    await this.#exited;
  }

  #onReport(report: SessionReport): void {
    switch (report.type) {
      case 'signals':
        this.#listener.signals(report.bodies);
        break;
      case 'fills':
        this.#listener.fills(report.bodies);
        break;
      case 'result':
        this.#results = new ResultsAssembler(report.head);
        break;
      case 'resultPart':
        this.#results?.add(report.part);
        break;
      case 'event':
        if (report.symbols !== undefined) this.#status = { ...this.#status, symbols: report.symbols };
        this.#listener.event(report.name, report.data);
        break;
      case 'status':
        this.#status = report.status;
        break;
      case 'log':
        this.#listener.log(report.record);
        break;
      case 'symbolAdded': {
        const request = this.#pending.get(report.requestId);
        this.#pending.delete(report.requestId);
        this.#status = { ...this.#status, symbols: report.symbols };
        if (report.notRunning !== undefined) request?.reject(notRunning(report.notRunning));
        else if (report.error !== undefined) request?.reject(new Error(report.error));
        else request?.resolve({ added: report.added, symbols: report.symbols });
        break;
      }
      case 'bars': {
        const request = this.#pendingBars.get(report.requestId);
        this.#pendingBars.delete(report.requestId);
        request?.resolve(report.bars);
        break;
      }
      case 'end':
        this.#status = report.end.status ?? this.#status;
        this.#deliverResults();
        this.#end(report.end);
        break;
      case 'fatal':
        this.#fatal = report.message;
        break;
      default:
        break;
    }
  }

  #deliverResults(): void {
    const assembler = this.#results;
    this.#results = undefined;
    if (assembler === undefined) return;
    try {
      this.#listener.results(assembler.complete());
    } catch (error) {
      this.#listener.log({
        level: 'error',
        name: 'service',
        message: `the session's results were not stored: ${(error as Error).message}`,
        fields: undefined,
      });
    }
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const why = this.#fatal === undefined ? describeExit(code, signal) : `failed: ${this.#fatal}`;
    this.#end({ summary: undefined, error: `the session's process ${why}`, status: this.#status });
  }

  #end(end: SessionEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const request of this.#pending.values()) request.reject(notRunning(this.#status.state));
    this.#pending.clear();
    for (const request of this.#pendingBars.values()) request.reject(notRunning(this.#status.state));
    this.#pendingBars.clear();
    this.#listener.end(end);
  }
}

function send(child: ChildProcess, control: SessionControl): void {
  if (!child.connected) return;
  // An error here means the process is gone: its exit ends the session.
  child.send(control, (error) => void error);
}

function notRunning(state: string): ServiceError {
  return new ServiceError(
    409,
    'SESSION_NOT_RUNNING',
    `The session is ${state}; symbols can be added while it is running`,
  );
}
