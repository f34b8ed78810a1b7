import { dirname, resolve } from 'node:path';
import type { LogLevel, SessionConfig } from '@strat/core';
import {
  prewarmStrategyWorkers,
  ResultsCollector,
  releasePrewarmedStrategyWorkers,
  Session,
  type SessionSummary,
  type StrategyExecutor,
  strategyExecutorOf,
} from '@strat/runtime';
import { ExitCode, type ExitCodeValue, exitCodeFor, exitCodeForSummary } from '../exit-codes';
import { prepareOutputFolder } from '../output-folder';
import { colorsFor } from '../terminal/colors';
import { formatError } from '../terminal/error-report';
import { createLogSink } from '../terminal/log-sink';
import { ProgressReporter } from '../terminal/progress-reporter';
import { guardProcessExit } from './exit-guard';
import { type ModulePolicyOptions, modulePolicy } from './module-policy';
import { renderResultsTable } from './results-table';
import { checkRunOutputs, type RunOutputOptions, writeRunOutputs } from './run-outputs';
import { loadSessionConfig, type SessionConfigOverrides } from './session-config-loader';
import { renderStrategyErrors, strategyErrorsVerdict } from './strategy-errors-report';
import { liveRunFacts, renderRunSummary } from './summary-table';

/** Options of `strat run`. */
export interface RunCommandOptions extends SessionConfigOverrides, ModulePolicyOptions, RunOutputOptions {
  /** Signal journal file (`.jsonl`, or `.csv` by extension). */
  out?: string;
  /** Print the summary as one JSON document on stdout, and nothing else there. */
  json?: boolean;
  executor?: StrategyExecutor;
  logLevel?: LogLevel;
  /** No progress output. */
  quiet?: boolean;
  /** Stack traces with errors. */
  verbose?: boolean;
  /** A run whose strategies threw still exits 0 (a strategy that crashed or timed out still fails it). */
  allowErrors?: boolean;
}

const STOP_SIGNALS = { SIGINT: ExitCode.INTERRUPTED, SIGTERM: ExitCode.TERMINATED } as const;

/**
 * `strat run <config>`: runs a session with progress on stderr and prints the summary (a table, or
 * JSON with `--json`). Ctrl-C stops it cleanly: teardown runs, the journal holds every signal up to
 * the last processed bar, the partial summary prints, and the exit code is 130 (a second Ctrl-C
 * quits at once).
 */
export async function runCommand(configPath: string, options: RunCommandOptions): Promise<ExitCodeValue> {
  const stdout = process.stdout;
  const stderr = process.stderr;
  const errColors = colorsFor(stderr);
  let session: Session | undefined;
  const config = loadSessionConfig(configPath, options);
  // The journal itself is opened only once every strategy started: a run that fails to start leaves it as it was.
  if (options.out !== undefined) prepareOutputFolder(`--out ${options.out}`, dirname(resolve(options.out)));
  checkRunOutputs(config, options);
  // The worker strategies' threads start loading their modules now (cli.ts started one already), while
  // the session checks its config and opens its data (a thread's start-up is most of the time before the
  // first bar); one too many is released. Those the session does not take (it failed before starting its
  // strategies) are released at the end of the run.
  prewarmStrategyWorkers(workerStrategyCount(config, options.executor));
  const isLive = config.mode === 'live';
  let feedState = 'connecting';
  const progress = new ProgressReporter({
    mode: options.quiet ? 'off' : stderr.isTTY ? 'bar' : 'lines',
    stream: stderr,
    colors: errColors,
    read: () => session?.processor?.progress(),
    liveStatus: isLive ? () => feedState : undefined,
  });
  const logSink = createLogSink({
    write: (text) => stderr.write(text),
    colors: errColors,
    beforeWrite: () => progress.clearLine(),
    verbose: options.verbose,
  });

  try {
    session = new Session(config, {
      configDir: dirname(resolve(configPath)),
      journalPath: options.out,
      executor: options.executor,
      logLevel: options.logLevel ?? 'info',
      logSink,
      ...modulePolicy(configPath, options),
    });
  } catch (error) {
    await releasePrewarmedStrategyWorkers();
    throw error;
  }
  const collector =
    options.results !== undefined || options.report !== undefined ? new ResultsCollector(session) : undefined;
  let endSummary: SessionSummary | undefined;
  session.on('end', (summary) => {
    endSummary = summary;
  });
  // The session logs each feed change and gap on stderr; the progress line shows the state.
  session.on('feed', (event) => {
    feedState = event.state === 'reconnecting' ? `reconnecting (attempt ${event.attempt})` : event.state;
  });

  // An inline strategy runs on this thread: its process.exit would end the run without a word.
  const exitGuard = guardProcessExit((message) => {
    progress.clearLine();
    stderr.write(`${errColors.red(errColors.bold('error:'))} ${message}\n`);
  }, ExitCode.RUNTIME_FAILURE);
  let stopSignal: keyof typeof STOP_SIGNALS | undefined;
  const onStopSignal = (signal: keyof typeof STOP_SIGNALS) => {
    if (stopSignal !== undefined) {
      // Asked twice: the journal is written synchronously per batch, so quitting now loses nothing written.
      exitGuard.exitNow(STOP_SIGNALS[signal]);
    }
    stopSignal = signal;
    progress.clearLine();
    stderr.write(
      `${errColors.yellow(`${signal === 'SIGINT' ? 'interrupted' : 'terminated'}:`)} stopping after the current bar; ` +
        'strategies tear down (press Ctrl-C again to quit at once)\n',
    );
    void session?.stop();
  };
  const onInterrupt = () => onStopSignal('SIGINT');
  const onTerminate = () => onStopSignal('SIGTERM');
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onTerminate);

  let failure: unknown;
  progress.start();
  try {
    await session.start();
  } catch (error) {
    failure = error;
  } finally {
    progress.stop();
    await session.shutdown().catch(() => undefined);
    await releasePrewarmedStrategyWorkers();
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onTerminate);
    exitGuard.release();
  }

  const summary = endSummary;
  if (summary !== undefined) {
    if (options.json) stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    // A session that failed before replaying a bar has nothing to show but the error.
    else if (failure === undefined || summary.bars !== undefined) {
      stdout.write(
        renderRunSummary(summary, colorsFor(stdout), stopSignal !== undefined, liveRunFacts(summary)),
      );
      const strategyErrors = renderStrategyErrors(summary.strategyErrors, colorsFor(stdout));
      if (strategyErrors !== '') stdout.write(`\n${strategyErrors}`);
      if (session.results !== undefined) {
        const colors = colorsFor(stdout);
        stdout.write(`\n${colors.bold('Paper results')}\n${renderResultsTable(session.results, colors)}\n`);
      }
    }
    if (collector !== undefined && failure === undefined) {
      try {
        const told = await writeRunOutputs(collector, summary, options);
        // With --json, stdout holds the JSON document alone.
        for (const line of told) (options.json ? stderr : stdout).write(`${line}\n`);
      } catch (error) {
        failure = error;
      }
    }
  }
  if (failure !== undefined) {
    stderr.write(`${formatError(failure, errColors, options.verbose)}\n`);
    return exitCodeFor(failure);
  }
  if (stopSignal !== undefined) return STOP_SIGNALS[stopSignal];
  if (summary === undefined) return ExitCode.OK;
  const code = exitCodeForSummary(summary, { allowErrors: options.allowErrors });
  const verdict = options.allowErrors ? undefined : strategyErrorsVerdict(summary.strategyErrors);
  if (verdict !== undefined) stderr.write(`${errColors.red(errColors.bold('error:'))} ${verdict}\n`);
  return code;
}

/** How many of the config's strategies run in worker threads (enabled ones, with the executor they get). */
function workerStrategyCount(config: SessionConfig, executor: StrategyExecutor | undefined): number {
  const sdc = config.session_data_config;
  return sdc.strategies.filter(
    (entry) =>
      entry.enabled !== false && strategyExecutorOf(entry, sdc.streaming.executor, executor) === 'worker',
  ).length;
}
