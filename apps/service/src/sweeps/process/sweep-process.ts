import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StratError } from '@strat/core';
import type { SweepCombinationProblem, SweepRow, WalkForwardStep } from '@strat/runtime';
import { describeExit, processEnv } from '../../sessions/process/session-process';
import type { ThreadError } from '../../sessions/process/session-process-protocol';
import type { SweepControl, SweepProcessInit, SweepReport, SweepRowPlace } from './sweep-process-protocol';

/** What a sweep's process tells the registry. */
export interface SweepProcessListener {
  /** One finished combination, in the order they finished. */
  row(row: SweepRow, place: SweepRowPlace): void;
  /** Exactly once: the sweep ended (every combination ran, or it was stopped), or its process died. */
  end(end: SweepEnd): void;
}

/** How a sweep ended. */
export interface SweepEnd {
  stopped: boolean;
  /** The walk-forward steps (null for a plain sweep, or when it failed). */
  steps: WalkForwardStep[] | null;
  /** Why it failed (its process died), else undefined. */
  error: string | undefined;
}

/** Why a sweep process did not become ready. */
export class SweepRefusal extends Error {
  constructor(
    /** Combinations the strategies refuse, each at its JSON path. */
    readonly problems: SweepCombinationProblem[] | undefined,
    /** The check failed otherwise. */
    readonly failure: ThreadError | undefined,
  ) {
    super(failure?.message ?? 'combinations the strategies refuse');
  }
}

/** After `shutdown`, how long a sweep may take to let go before its process is killed. */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * The sweep process script: `sweep-process.js` next to the bundle in `dist/`, or, from the sources
 * (the tests, whose global setup builds the package first), the one in `dist/`.
 * @throws StratError `WORKER_SCRIPT_MISSING` when the package is not built
 */
export function sweepProcessScript(): URL {
  for (const candidate of ['./sweep-process.js', '../../../dist/sweep-process.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new StratError(
    'WORKER_SCRIPT_MISSING',
    'The sweep process script dist/sweep-process.js is missing: build @strat/service (pnpm --filter @strat/service build)',
  );
}

/**
 * The service's handle of one sweep running in a child process of its own (its combinations on a
 * pool of worker threads there): strategies never run in the service's process, a sweep that
 * crashes ends alone, and its memory goes back to the system when it ends.
 */
export class SweepProcess {
  readonly #child: ChildProcess;
  readonly #listener: SweepProcessListener;
  readonly #exited: Promise<void>;
  #ended = false;
  #closing = false;
  #fatal: string | undefined;

  private constructor(child: ChildProcess, listener: SweepProcessListener, exited: Promise<void>) {
    this.#child = child;
    this.#listener = listener;
    this.#exited = exited;
  }

  /**
   * Starts a process and checks every combination in it (the sweep does not run yet: {@link start}).
   * @throws SweepRefusal when combinations are refused or the check failed; Error when the process died
   */
  static open(options: {
    init: SweepProcessInit;
    listener: SweepProcessListener;
    script?: URL;
  }): Promise<SweepProcess> {
    const child = fork(fileURLToPath(options.script ?? sweepProcessScript()), [], {
      env: processEnv(),
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.stdout?.pipe(process.stderr, { end: false });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let handle: SweepProcess | undefined;
    let fatal: string | undefined;
    return new Promise((resolve, reject) => {
      child.on('error', (error) => {
        fatal ??= error.message;
        if (handle === undefined && child.pid === undefined)
          reject(new Error(`the sweep's process ${fatal}`));
      });
      child.on('exit', (code, signal) => {
        if (handle !== undefined) handle.#onExit(code, signal);
        else reject(new Error(`the sweep's process ${fatal ?? describeExit(code, signal)}`));
      });
      child.on('message', (report: SweepReport) => {
        if (handle !== undefined) {
          handle.#onReport(report);
        } else if (report.type === 'ready') {
          handle = new SweepProcess(child, options.listener, exited);
          resolve(handle);
        } else if (report.type === 'refused' || report.type === 'failed') {
          reject(
            new SweepRefusal(
              report.type === 'refused' ? report.problems : undefined,
              report.type === 'failed' ? report.error : undefined,
            ),
          );
          // Nothing runs: let the process go.
          send(child, { type: 'shutdown' });
        } else if (report.type === 'fatal') {
          fatal = report.message;
        }
      });
      send(child, { type: 'init', init: options.init });
    });
  }

  /** The process id (for logs). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Runs the combinations. */
  start(): void {
    send(this.#child, { type: 'start' });
  }

  /** Starts no further combination; the listener's `end` follows with the finished rows sent. */
  stop(): void {
    send(this.#child, { type: 'stop' });
  }

  /** Lets the sweep go: its pool ends and its process exits (killed after 10 s). Resolves once it has exited. */
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

  #onReport(report: SweepReport): void {
    if (report.type === 'row') this.#listener.row(report.row, report.place);
    else if (report.type === 'end')
      this.#end({ stopped: report.stopped, steps: report.steps, error: report.error });
    else if (report.type === 'fatal') this.#fatal = report.message;
  }

  #onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const why = this.#fatal === undefined ? describeExit(code, signal) : `failed: ${this.#fatal}`;
    this.#end({ stopped: false, steps: null, error: `the sweep's process ${why}` });
  }

  #end(end: SweepEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#listener.end(end);
  }
}

function send(child: ChildProcess, control: SweepControl): void {
  if (!child.connected) return;
  child.send(control, (error) => void error);
}
