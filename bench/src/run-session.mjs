// @ts-check
// Runs one Session through the public API and reports what the workloads measure.
import { Session } from '@strat/runtime';
import { BENCH_DIR } from './session-configs.mjs';

/**
 * @typedef {object} SessionRun
 * @property {import('@strat/runtime').SessionSummary} summary
 * @property {import('@strat/runtime').Session} session
 * @property {number} replayMs wall time of the replay itself, from the first bar on (loading the strategies, opening the
 *   sources and teardown excluded)
 * @property {number} overheadMs the rest of the session's wall time: loading and starting the strategies, teardown
 * @property {number} baseBars base bars replayed
 * @property {number} notifications bar notifications the strategies processed
 */

/**
 * Runs a session to its end. Strategy errors and warnings go to stderr; a session that fails, whose
 * strategies threw, or one of whose strategies did not end stopped (a worker that crashed or exited
 * under it) rejects: a benchmark of broken runs measures nothing.
 * @param {import('@strat/core').SessionConfig} config
 * @param {object} [options]
 * @param {'worker' | 'inline'} [options.executor]
 * @param {string} [options.journalPath]
 * @param {import('@strat/core').LogLevel} [options.logLevel] default warn
 * @param {(record: import('@strat/core').LogRecord) => boolean} [options.onLog] return true when the record was handled
 * @param {(session: import('@strat/runtime').Session) => void} [options.beforeStart] attach listeners
 * @returns {Promise<SessionRun>}
 */
export async function runSession(config, options = {}) {
  const session = new Session(config, {
    configDir: BENCH_DIR,
    logLevel: options.logLevel ?? 'warn',
    ...(options.executor === undefined ? {} : { executor: options.executor }),
    ...(options.journalPath === undefined ? {} : { journalPath: options.journalPath }),
    logSink: (record) => {
      if (options.onLog?.(record) === true) return;
      if (record.level === 'warn' || record.level === 'error') {
        process.stderr.write(`[${record.level}] ${record.name}: ${record.message}\n`);
      }
    },
  });
  options.beforeStart?.(session);
  const summary = await session.start();
  await session.shutdown();
  if (summary.state !== 'completed') {
    throw new Error(`the session ended ${summary.state}${summary.error ? `: ${summary.error}` : ''}`);
  }
  const lost = summary.metrics.per_strategy.filter((m) => m.state !== 'stopped');
  if (lost.length > 0) {
    throw new Error(
      `strategies ended ${lost.map((m) => `${m.state} (${m.strategy})`).join(', ')}: the run is not a valid measurement`,
    );
  }
  if (summary.metrics.total_errors > 0) {
    throw new Error(
      `strategies threw ${summary.metrics.total_errors} times: the run is not a valid measurement`,
    );
  }
  const replayMs = summary.bars?.replayMs ?? summary.wallMs;
  return {
    summary,
    session,
    replayMs,
    overheadMs: summary.wallMs - replayMs,
    baseBars: summary.bars?.barsDone ?? 0,
    notifications: summary.metrics.total_notifications_processed,
  };
}
