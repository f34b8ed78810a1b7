// @ts-check
// W6: scaling. W2's shape (1m + 5m, strategies cycling through W2's five, each on every symbol)
// with 1, 5 and 20 worker strategies on 10, 100 and 1,000 symbols (quick: 1 and 5 on 10 and 100). The cost per notification should
// stay roughly flat. Each cell replays about the same number of base bars (fewer sessions for more
// symbols): the full month of W2 on 1,000 symbols and 20 strategies would take minutes.
import { TradingCalendar } from '@strat/data';
import { loadEvents } from '../../baseline/naive-bars.mjs';
import { runNaivePipeline } from '../../baseline/naive-pipeline.mjs';
import { runSession } from '../run-session.mjs';
import { BENCH_SEED, cycleStrategies, replayConfig, symbolNames } from '../session-configs.mjs';

/** @typedef {'full' | 'quick'} Size */

/** The grid: strategies x symbols (quick: the small corner, start-up of 20 workers and 1,000 series would dominate). */
export const W6_GRID = {
  full: { strategies: [1, 5, 20], symbols: [10, 100, 1000] },
  quick: { strategies: [1, 5], symbols: [10, 100] },
};
const START_DATE = '2024-01-02';

/** Base bars per cell and session hours (quick: 30-minute sessions, so 1,000 symbols stay small). */
const CELL = {
  full: { targetBars: 200_000, sessionClose: '16:00', barsPerSession: 390 },
  quick: { targetBars: 3_000, sessionClose: '10:00', barsPerSession: 30 },
};
/** The baseline's cells: one short session (10 bars per symbol full, 2 quick). */
const BASELINE_CELL = { full: '09:40', quick: '09:32' };

/**
 * The date of the `count`-th US session from {@link START_DATE}.
 * @param {number} count
 */
function endDateAfter(count) {
  const sessions = TradingCalendar.usEquities().sessions(START_DATE, '2030-12-31');
  return /** @type {{ date: string }} */ (sessions[count - 1]).date;
}

/**
 * @param {number} strategies
 * @param {number} symbols
 */
const cellName = (strategies, symbols) => `${strategies} strat x ${symbols} sym`;

/**
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').WorkloadResult>}
 */
export async function measureW6(size) {
  const cell = CELL[size];
  /** @type {import('../measurement.mjs').Measurement[]} */
  const measurements = [];
  const grid = [];
  for (const strategies of W6_GRID[size].strategies) {
    for (const symbols of W6_GRID[size].symbols) {
      const sessions = Math.max(1, Math.round(cell.targetBars / (symbols * cell.barsPerSession)));
      const config = replayConfig({
        symbols: symbolNames(symbols),
        strategies: cycleStrategies(strategies),
        startDate: START_DATE,
        endDate: endDateAfter(sessions),
        sessionClose: cell.sessionClose,
      });
      const run = await runSession(config);
      const nsPerNotification = (run.replayMs * 1e6) / run.notifications;
      grid.push({
        strategies,
        symbols,
        sessions,
        baseBars: run.baseBars,
        notifications: run.notifications,
        replayMs: run.replayMs,
        overheadMs: run.overheadMs,
        nsPerNotification,
      });
      measurements.push({
        workload: 'W6',
        metric: cellName(strategies, symbols),
        value: nsPerNotification,
        unit: 'ns/notif',
        better: 'lower',
      });
    }
  }
  const costs = grid.map((g) => g.nsPerNotification);
  measurements.push({
    workload: 'W6',
    metric: 'spread (max / min)',
    value: Math.max(...costs) / Math.min(...costs),
    unit: 'x',
    better: 'lower',
    note: 'W6 cells replay about the same number of base bars each (fewer sessions for more symbols)',
  });
  return { measurements, details: { ...cell, grid } };
}

/**
 * The naive pipeline in each cell, on one short session.
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').BaselineResult>}
 */
export async function measureW6Baseline(size) {
  /** @type {Record<string, number>} */
  const values = {};
  const grid = [];
  for (const strategies of W6_GRID[size].strategies) {
    for (const symbols of W6_GRID[size].symbols) {
      const run = await runNaivePipeline({
        load: () =>
          loadEvents({
            symbols: symbolNames(symbols),
            seed: BENCH_SEED,
            startDate: START_DATE,
            endDate: START_DATE,
            sessionClose: BASELINE_CELL[size],
          }),
        strategies: cycleStrategies(strategies),
      });
      const nsPerNotification = (run.wallMs * 1e6) / run.notifications;
      values[cellName(strategies, symbols)] = nsPerNotification;
      grid.push({ strategies, symbols, ...run, nsPerNotification });
    }
  }
  const costs = grid.map((g) => g.nsPerNotification);
  values['spread (max / min)'] = Math.max(...costs) / Math.min(...costs);
  return {
    values,
    note: `naive pipeline per cell on one session of ${BASELINE_CELL[size] === '09:40' ? 10 : 2} bars per symbol`,
    details: { grid },
  };
}
