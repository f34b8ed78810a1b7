/** What a scaffolded strategy is called: its module name and the class the loader will look for. */
export interface StrategyNames {
  /** snake_case module name, the file's base name: `mean_reversion`. */
  module: string;
  /** The exported class: `MeanReversionStrategy`. */
  className: string;
}

/** The strategy file: a complete, working channel breakout to change. */
export function strategySource({ module, className }: StrategyNames): string {
  const configName = `${className.replace(/Strategy$/, '')}Config`;
  return `import {
  BaseStrategy,
  type Interval,
  isInterval,
  Signal,
  SignalAction,
  type StrategyConfig,
  type StrategyContext,
  type Subscription,
} from '@strat/core';

/** The \`config\` object of this strategy's entry in a session config. */
export interface ${configName} extends StrategyConfig {
  /** Symbols to trade (required, non-empty). */
  symbols?: readonly string[];
  /** Bar interval to read (default \`1m\`); it must be one of the session's streams. */
  interval?: Interval;
  /** Bars that form the channel (default 20). */
  lookback?: number;
}

/**
 * ${className}: BUY when the close breaks above the highest high of the \`lookback\` bars before
 * it, SELL when it breaks below their lowest low, never the same action twice in a row per symbol.
 * Change \`onBars\` to your own rule.
 *
 * Session config entry:
 * \`\`\`json
 * { "module": "strategies.production.${module}",
 *   "config": { "symbols": ["AAPL"], "interval": "5m", "lookback": 20 } }
 * \`\`\`
 */
export class ${className} extends BaseStrategy<${configName}> {
  #symbols: string[] = [];
  #interval: Interval = '1m';
  #lookback = 20;
  // Signals mark changes of mind: without the last action per symbol, a long breakout would repeat BUY.
  readonly #lastAction = new Map<string, SignalAction>();

  /** Checks the config once, before any bar; returning false stops the session with the logged reason. */
  override setup(ctx: StrategyContext): boolean {
    super.setup(ctx);
    const { symbols, interval = '1m', lookback = 20 } = this.config;
    const problems: string[] = [];
    if (
      !Array.isArray(symbols) ||
      symbols.length === 0 ||
      !symbols.every((s) => typeof s === 'string' && s !== '')
    ) {
      problems.push('symbols: must be a non-empty list of symbols such as ["AAPL"]');
    }
    if (!isInterval(interval)) {
      problems.push(\`interval: must be an interval such as "1m" or "5m", got \${JSON.stringify(interval)}\`);
    }
    if (typeof lookback !== 'number' || !Number.isInteger(lookback) || lookback < 1) {
      problems.push(\`lookback: must be a whole number of at least 1, got \${JSON.stringify(lookback)}\`);
    }
    if (problems.length > 0) {
      this.logger.error(\`invalid config: \${problems.join('; ')}\`);
      return false;
    }
    this.#symbols = [...(symbols as readonly string[])];
    this.#interval = interval;
    this.#lookback = lookback;
    return true;
  }

  /** The (symbol, interval) series whose closed bars call \`onBars\`. */
  getSubscriptions(): ReadonlyArray<Subscription> {
    return this.#symbols.map((symbol) => [symbol, this.#interval] as const);
  }

  /** Called once per closed bar of each subscribed series, in time order. */
  onBars(symbol: string, interval: Interval): Signal[] {
    // The bars closed so far, oldest first, read in place: ask again on every call, keep nothing.
    const bars = this.context.getBars(symbol, interval);
    const newest = bars.length - 1;
    const lookback = this.#lookback;
    if (newest < lookback) return [];

    let highest = Number.NEGATIVE_INFINITY;
    let lowest = Number.POSITIVE_INFINITY;
    for (let i = newest - lookback; i < newest; i++) {
      highest = Math.max(highest, bars.high.get(i));
      lowest = Math.min(lowest, bars.low.get(i));
    }
    const close = bars.close.get(newest);
    const action = close > highest ? SignalAction.BUY : close < lowest ? SignalAction.SELL : undefined;
    if (action === undefined || this.#lastAction.get(symbol) === action) return [];
    this.#lastAction.set(symbol, action);
    return [
      new Signal({
        symbol,
        action,
        price: close,
        reason: \`close \${action === SignalAction.BUY ? 'broke above' : 'broke below'} the \${lookback}-bar channel\`,
        metadata: { channel_high: highest, channel_low: lowest },
      }),
    ];
  }
}
`;
}

/** The test beside the strategy: hand-made bars, one at a time, as a session feeds them. */
export function strategyTestSource({ module, className }: StrategyNames): string {
  return `import { type BarSeries, barSeriesFromBars, createLogger, type StrategyContext } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { ${className} } from './${module}';

/** A minimal session context over one series that grows by one bar per call of \`next\`. */
function fakeContext(closes: number[]) {
  const bars = closes.map((close, i) => ({
    time: i * 60_000,
    open: close,
    high: close,
    low: close,
    close,
    volume: 100,
  }));
  let visible: BarSeries = barSeriesFromBars('DEMO', '1m', []);
  const ctx: StrategyContext = {
    mode: 'backtest',
    speedMultiplier: 0,
    logger: createLogger('test', 'silent'),
    getCurrentTime: () => 0,
    getBars: () => visible,
    hasBars: () => true,
    getBarQuality: () => 100,
    getSymbols: () => ['DEMO'],
  };
  const next = (i: number) => {
    visible = barSeriesFromBars('DEMO', '1m', bars.slice(0, i + 1));
  };
  return { ctx, next };
}

describe('${className}', () => {
  it('signals a breakout above the channel once, then a breakdown', () => {
    const { ctx, next } = fakeContext([10, 11, 10, 12, 13, 9]);
    const strategy = new ${className}('test', { symbols: ['DEMO'], lookback: 3 });
    expect(strategy.setup(ctx)).toBe(true);
    const actions: string[] = [];
    for (let i = 0; i < 6; i++) {
      next(i);
      for (const signal of strategy.onBars('DEMO', '1m')) actions.push(\`\${i}:\${signal.action}\`);
    }
    // bar 3: 12 > 11, the highest of 10, 11, 10; bar 4: 13 is another BUY, not repeated; bar 5: 9 < 10
    expect(actions).toEqual(['3:BUY', '5:SELL']);
  });

  it('refuses a config without symbols', () => {
    const { ctx } = fakeContext([]);
    expect(new ${className}('test', {}).setup(ctx)).toBe(false);
  });
});
`;
}

/** A session config that runs the strategy on generated bars (laid out as the formatter would). */
export function sessionConfigSource({ module }: StrategyNames, schemaPath: string | undefined): string {
  const schema = schemaPath === undefined ? '' : `\n  "$schema": ${JSON.stringify(schemaPath)},`;
  return `{${schema}
  "mode": "backtest",
  "backtest_config": { "start_date": "2024-01-02", "end_date": "2024-01-12", "speed_multiplier": 0 },
  "session_data_config": {
    "symbols": ["AAPL", "MSFT"],
    "streams": ["1m", "5m"],
    "strategies": [
      {
        "module": "strategies.production.${module}",
        "config": { "symbols": ["AAPL", "MSFT"], "interval": "5m", "lookback": 20 }
      }
    ]
  },
  "data_config": { "source": "generator", "seed": 42 }
}
`;
}
