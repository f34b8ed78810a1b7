import { ConfigError, type SessionConfig } from '@strat/core';

/** `--walk-forward TRAIN:TEST`: window lengths in trading sessions of the config's calendar. */
export interface WalkForwardSpec {
  train: number;
  test: number;
}

/** One walk-forward step: optimise on the training sessions, score the winner on the test sessions after them. */
export interface WalkForwardWindow {
  trainStart: string;
  trainEnd: string;
  testStart: string;
  testEnd: string;
}

/**
 * Parses `60d:20d` (or `60:20`): sessions to train on, then sessions to test on.
 * @throws ConfigError naming `--walk-forward`
 */
export function parseWalkForward(text: string): WalkForwardSpec {
  const match = /^\s*(\d+)d?\s*:\s*(\d+)d?\s*$/.exec(text);
  const train = Number(match?.[1]);
  const test = Number(match?.[2]);
  if (match === null || !(train >= 1) || !(test >= 1)) {
    throw new ConfigError(
      [
        {
          path: '--walk-forward',
          message: `expected TRAIN:TEST in trading sessions, such as 60d:20d, not "${text}"`,
        },
      ],
      { summary: 'Invalid walk-forward' },
    );
  }
  return { train, test };
}

/**
 * The windows over `sessions` (the backtest's session dates, in order): training on `train` sessions,
 * testing on the `test` after them, then moving on by `test` so the test windows follow each other
 * without overlap. Only whole windows; none when the range is shorter than `train + test`.
 */
export function walkForwardWindows(sessions: readonly string[], spec: WalkForwardSpec): WalkForwardWindow[] {
  const windows: WalkForwardWindow[] = [];
  for (let start = 0; start + spec.train + spec.test <= sessions.length; start += spec.test) {
    const testStart = start + spec.train;
    windows.push({
      trainStart: sessions[start] as string,
      trainEnd: sessions[testStart - 1] as string,
      testStart: sessions[testStart] as string,
      testEnd: sessions[testStart + spec.test - 1] as string,
    });
  }
  return windows;
}

/** `config` replaying `start` to `end` instead (a copy). */
export function withDates(config: SessionConfig, start: string, end: string): SessionConfig {
  const copy = structuredClone(config);
  copy.backtest_config = { speed_multiplier: 0, ...copy.backtest_config, start_date: start, end_date: end };
  return copy;
}
