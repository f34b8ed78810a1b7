// @ts-check
// Session configs of the workloads, built as plain objects and validated by @strat/core like a file would be.
import { fileURLToPath } from 'node:url';
import { parseSessionConfig } from '@strat/core';

/** The bench folder: strategy modules (`./strategies/*.ts`) resolve against it. */
export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Generator seed of every workload, so runs compare like for like. */
export const BENCH_SEED = 2024;

/**
 * A strategy of the workloads. `sma_cross` and `sma_cross_5m` are the bundled SMA cross (10/20 on
 * 1m, 5/15 on 5m), `rsi` and `vwap` the bundled RSI and VWAP strategies, `breakout` the bench's
 * channel breakout, `latency_probe` an empty handler that notes when it was called.
 * @typedef {'sma_cross' | 'sma_cross_5m' | 'rsi' | 'vwap' | 'breakout' | 'latency_probe'} StrategyKind
 */

/** The five strategies of W2, in config order. @type {readonly StrategyKind[]} */
export const W2_STRATEGIES = ['sma_cross', 'sma_cross_5m', 'rsi', 'vwap', 'breakout'];

/**
 * `count` strategies cycling through W2's five.
 * @param {number} count
 * @returns {StrategyKind[]}
 */
export function cycleStrategies(count) {
  return Array.from({ length: count }, (_, i) => /** @type {StrategyKind} */ (W2_STRATEGIES[i % 5]));
}

/**
 * Symbol names S0000, S0001, ...
 * @param {number} count
 */
export function symbolNames(count) {
  return Array.from({ length: count }, (_, i) => `S${String(i).padStart(4, '0')}`);
}

/**
 * The config entry of one strategy trading `symbols`.
 * @param {StrategyKind} kind
 * @param {readonly string[]} symbols
 * @param {string} name unique in the session
 */
export function strategyEntry(kind, symbols, name) {
  const list = [...symbols];
  switch (kind) {
    case 'sma_cross':
      return {
        name,
        module: './strategies/simple_ma_cross.ts',
        config: { symbols: list, interval: '1m', fast_period: 10, slow_period: 20 },
      };
    case 'sma_cross_5m':
      return {
        name,
        module: './strategies/simple_ma_cross.ts',
        config: { symbols: list, interval: '5m', fast_period: 5, slow_period: 15 },
      };
    case 'rsi':
      return { name, module: './strategies/rsi_strategy.ts', config: { symbols: list, interval: '1m' } };
    case 'vwap':
      return { name, module: './strategies/vwap_strategy.ts', config: { symbols: list, interval: '1m' } };
    case 'breakout':
      return {
        name,
        module: './strategies/channel_breakout.ts',
        config: { symbols: list, interval: '1m', period: 20 },
      };
    case 'latency_probe':
      return { name, module: './strategies/latency_probe.ts', config: { symbols: list, interval: '1m' } };
  }
}

/**
 * @typedef {object} ReplaySpec
 * @property {readonly string[]} symbols
 * @property {readonly StrategyKind[]} strategies each trades every symbol
 * @property {string} startDate first session date, YYYY-MM-DD
 * @property {string} endDate last session date, YYYY-MM-DD
 * @property {number} [speedMultiplier] 0 (default) = data-driven
 * @property {'us_equities' | '24x7'} [calendar] default us_equities
 * @property {string} [sessionClose] local closing time instead of the preset's (`HH:MM`): shorter sessions
 * @property {number} [timeBudgetMs] per-notification budget when clock-driven
 * @property {unknown} [dataConfig] default: the generator with {@link BENCH_SEED}
 * @property {unknown} [execution] the config's `execution` section (paper execution); default none
 */

/**
 * A validated session config: streams 1m + 5m, the strategies each on every symbol.
 * @param {ReplaySpec} spec
 */
export function replayConfig(spec) {
  return parseSessionConfig({
    mode: 'backtest',
    backtest_config: {
      start_date: spec.startDate,
      end_date: spec.endDate,
      speed_multiplier: spec.speedMultiplier ?? 0,
    },
    session_data_config: {
      symbols: [...spec.symbols],
      streams: ['1m', '5m'],
      calendar: {
        preset: spec.calendar ?? 'us_equities',
        ...(spec.sessionClose === undefined ? {} : { close: spec.sessionClose }),
      },
      ...(spec.timeBudgetMs === undefined ? {} : { streaming: { time_budget_ms: spec.timeBudgetMs } }),
      strategies: spec.strategies.map((kind, i) => strategyEntry(kind, spec.symbols, `${kind}_${i + 1}`)),
    },
    data_config: spec.dataConfig ?? { source: 'generator', seed: BENCH_SEED },
    ...(spec.execution === undefined ? {} : { execution: spec.execution }),
  });
}
