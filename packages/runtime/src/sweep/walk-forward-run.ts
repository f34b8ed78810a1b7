import { ConfigError, type SessionConfig } from '@strat/core';
import { TradingCalendar } from '@strat/data';
import { rankRows, type SweepObjective, type SweepRow } from './sweep-ranking';
import { type WalkForwardSpec, type WalkForwardWindow, walkForwardWindows, withDates } from './walk-forward';

/** One walk-forward window's outcome: the winner of its training sweep and that winner on its test sessions. */
export interface WalkForwardStep {
  window: WalkForwardWindow;
  /** The best training row (in-sample). */
  best?: SweepRow | undefined;
  /** The best combination run on the test sessions (out-of-sample). */
  test?: SweepRow | undefined;
  error?: string;
}

/**
 * The walk-forward windows over the config's backtest sessions (its calendar's trading sessions
 * from `start_date` to `end_date`).
 * @throws ConfigError naming `--walk-forward` when not one window fits
 */
export function walkForwardWindowsOf(config: SessionConfig, spec: WalkForwardSpec): WalkForwardWindow[] {
  const bt = config.backtest_config;
  const sessions =
    bt === undefined
      ? []
      : TradingCalendar.fromConfig(config.session_data_config.calendar)
          .sessions(bt.start_date, bt.end_date)
          .map((s) => s.date);
  const windows = walkForwardWindows(sessions, spec);
  if (windows.length === 0) {
    throw new ConfigError(
      [
        {
          path: '--walk-forward',
          message:
            `${bt?.start_date} to ${bt?.end_date} holds ${sessions.length} sessions: a window needs ` +
            `${spec.train + spec.test} (${spec.train} to train, ${spec.test} to test)`,
        },
      ],
      { summary: 'The walk-forward cannot run' },
    );
  }
  return windows;
}

/** What {@link runWalkForward} needs: how to run part of the grid on a config, and what ranks best. */
export interface WalkForwardRun {
  config: SessionConfig;
  windows: readonly WalkForwardWindow[];
  /** The grid indices each training sweep runs. */
  indices: readonly number[];
  objective: SweepObjective;
  minimize?: boolean;
  /** Once aborted, no further window starts. */
  signal?: AbortSignal;
  /**
   * Runs `indices` of the grid on `config` (the window's dates), resolving with a row per grid index
   * that finished; `window` is the step's index and `phase` says whether it trains or tests.
   */
  runGrid(
    config: SessionConfig,
    indices: readonly number[],
    window: number,
    phase: 'train' | 'test',
  ): Promise<Map<number, SweepRow>>;
}

/**
 * Walk-forward: per window, the grid on its training sessions, then the best combination by the
 * objective on its test sessions. Windows after an abort are not started; a window whose training
 * had no finished combination, or that was aborted, is a step with an error and no test.
 */
export async function runWalkForward(run: WalkForwardRun): Promise<WalkForwardStep[]> {
  const steps: WalkForwardStep[] = [];
  for (const [i, window] of run.windows.entries()) {
    if (run.signal?.aborted) break;
    const trained = await run.runGrid(
      withDates(run.config, window.trainStart, window.trainEnd),
      run.indices,
      i,
      'train',
    );
    const best = rankRows([...trained.values()], run.objective, run.minimize)[0];
    if (best?.stats === undefined || run.signal?.aborted) {
      steps.push({ window, best, error: best?.error ?? 'no combination finished' });
      continue;
    }
    const tested = await run.runGrid(
      withDates(run.config, window.testStart, window.testEnd),
      [best.index],
      i,
      'test',
    );
    const test = tested.get(best.index);
    steps.push({ window, best, test, ...(test?.error === undefined ? {} : { error: test.error }) });
  }
  return steps;
}
