import type { SessionConfig } from '@strat/core';
import type { BarCache, BarSource } from '@strat/data';
import { Session } from '../session/session';
import { applyCombination } from './sweep-config';
import type { Combination } from './sweep-grid';
import type { SweepRow } from './sweep-ranking';

/** Where a sweep's sessions find their files and code: as for `Session`. */
export interface SweepSessionOptions {
  /** Folder the config's relative paths (data files, strategy modules) resolve from. */
  configDir: string;
  /** Bars kept between combinations over the same data (a worker's own: never sent between threads). */
  cache?: BarCache;
  strategyRoots?: readonly string[];
  allowedPackages?: readonly string[];
}

/**
 * Runs one combination: `config` with its values, as one data-driven session with every strategy
 * inline (a sweep already keeps every core busy with sessions), no journal. A session that failed,
 * ended other than completed, or whose strategies threw or timed out is a failed row (its error
 * says why), never a ranked one.
 */
export async function runCombination(
  config: SessionConfig,
  index: number,
  combination: Combination,
  options: SweepSessionOptions,
): Promise<SweepRow> {
  const started = performance.now();
  const errors: string[] = [];
  const session = new Session(applyCombination(config, combination), {
    configDir: options.configDir,
    executor: 'inline',
    logLevel: 'warn',
    handleSignals: false,
    ...(options.cache === undefined
      ? {}
      : {
          wrapSource: (source: BarSource) =>
            (options.cache as BarCache).wrap(dataKey(config, options.configDir), source),
        }),
    logSink: (record) => {
      if (record.level === 'error' && errors.length < 3) errors.push(`${record.name}: ${record.message}`);
    },
    ...(options.strategyRoots === undefined ? {} : { strategyRoots: options.strategyRoots }),
    ...(options.allowedPackages === undefined ? {} : { allowedPackages: options.allowedPackages }),
  });
  try {
    const summary = await session.start();
    const ms = performance.now() - started;
    const failed = summary.metrics.per_strategy.filter((m) => m.state !== 'stopped');
    const problem =
      summary.state !== 'completed'
        ? `the session ended ${summary.state}${summary.error === undefined ? '' : `: ${summary.error}`}`
        : failed.length > 0
          ? `strategies ended ${failed.map((m) => `${m.strategy} ${m.state}`).join(', ')}`
          : summary.metrics.total_errors > 0
            ? `strategies threw ${summary.metrics.total_errors} times${errors.length > 0 ? ` (first: ${errors[0]})` : ''}`
            : summary.results === undefined
              ? 'the session has no paper results'
              : undefined;
    if (problem !== undefined) return { index, combination, error: problem, signals: summary.signals, ms };
    return { index, combination, stats: summary.results?.total, signals: summary.signals, ms };
  } catch (error) {
    return {
      index,
      combination,
      error: error instanceof Error ? error.message : String(error),
      ms: performance.now() - started,
    };
  } finally {
    await session.shutdown().catch(() => undefined);
  }
}

/** What the bars of a session depend on: its data config, calendar, streams and where paths resolve. */
function dataKey(config: SessionConfig, configDir: string): string {
  const sdc = config.session_data_config;
  return JSON.stringify([config.data_config, sdc.calendar, sdc.streams, configDir]);
}
