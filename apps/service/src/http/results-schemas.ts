import type { PerformanceStats } from '@strat/runtime';
import { z } from 'zod';

const STAT_DESCRIPTIONS: Record<keyof PerformanceStats, string> = {
  initialCash: 'Starting cash of the account.',
  finalEquity: 'Equity at the last row.',
  totalReturn: 'finalEquity / initialCash - 1.',
  cagr: '(finalEquity / initialCash) ^ (252 / tradingDays) - 1.',
  volatility: 'Standard deviation of daily returns * sqrt(252).',
  sharpe: 'Mean excess daily return / its sample standard deviation * sqrt(252).',
  sortino: 'Mean excess daily return / downside deviation * sqrt(252).',
  maxDrawdown: 'Largest peak-to-trough fall, as a fraction.',
  maxDrawdownDurationMs: 'Longest time from a peak to its recovery (or the end), ms.',
  calmar: 'cagr / maxDrawdown (0 without drawdown).',
  trades: 'Closed trades.',
  winRate: 'Share of trades with a positive net P&L.',
  profitFactor: 'Gross wins / gross losses; null when there were wins and no loss (Infinity).',
  averageWin: 'Mean net P&L of winning trades.',
  averageLoss: 'Mean net P&L of losing trades.',
  expectancy: 'Mean net P&L per trade.',
  exposurePct: 'Share of equity rows with a position open.',
  commissions: 'Commissions paid.',
  turnover: 'Notional of every fill / mean equity.',
  tradingDays: 'Trading days in the equity curve.',
};

/** The runtime's `PerformanceStats`; an Infinity (a profit factor without losses) is null, as in results.json. */
export const performanceStatsSchema = z
  .object(
    Object.fromEntries(
      Object.entries(STAT_DESCRIPTIONS).map(([key, description]) => [
        key,
        z.number().nullable().meta({ description }),
      ]),
    ) as Record<keyof PerformanceStats, z.ZodNullable<z.ZodNumber>>,
  )
  .meta({ id: 'PerformanceStats', description: 'Formulas: the runtime README, "Results".' });

/** The runtime's `ExecutionSettings`: a strategy's `execution` section, defaults applied. */
export const executionSettingsSchema = z
  .object({
    initialCash: z.number(),
    fill: z.enum(['next_open', 'close']),
    slippageBps: z.number(),
    commission: z.object({ perUnit: z.number(), percent: z.number(), minimum: z.number() }),
    sizing: z.union([
      z.object({ kind: z.literal('units'), units: z.number() }),
      z.object({ kind: z.literal('percent_equity'), percent: z.number(), lotSize: z.number() }),
    ]),
    allowShort: z.boolean(),
    riskFreeRate: z.number(),
  })
  .meta({ id: 'ExecutionSettings' });

/** Answer of `GET /sessions/:id/results`. */
export const sessionResultsSchema = z
  .object({
    strategies: z.array(
      z.object({
        strategy: z.string(),
        settings: executionSettingsSchema,
        stats: performanceStatsSchema,
        unfilled: z.number().meta({ description: 'Signals that could not fill.' }),
        open_positions: z
          .record(z.string(), z.number())
          .meta({ description: 'Units per symbol still held at the end (marked, not closed).' }),
      }),
    ),
    total: performanceStatsSchema.meta({ description: "The strategies' accounts summed." }),
  })
  .meta({ id: 'SessionResults' });

/** Query of `GET /sessions/:id/trades`. */
export const tradesQuerySchema = z.object({
  strategy: z.string().min(1).max(200).optional().meta({ description: 'Only this strategy’s trades.' }),
  after: z.coerce.number().int().min(0).default(0).meta({ description: 'Return trades after this seq.' }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** One closed trade (a row of trades.csv; times epoch ms). */
export const tradeSchema = z
  .object({
    seq: z
      .number()
      .meta({ description: 'From 1 per session: strategy by strategy (config order), in trade order.' }),
    strategy: z.string(),
    symbol: z.string(),
    side: z.enum(['long', 'short']),
    quantity: z.number(),
    entryTime: z.number(),
    entryPrice: z.number(),
    exitTime: z.number(),
    exitPrice: z.number(),
    grossPnl: z.number(),
    commission: z.number(),
    netPnl: z.number(),
    barsHeld: z.number(),
    mae: z.number(),
    mfe: z.number(),
  })
  .meta({ id: 'Trade' });

/** Answer of `GET /sessions/:id/trades`. */
export const tradePageSchema = z.object({
  trades: z.array(tradeSchema),
  count: z.number().meta({ description: 'Trades stored (of the strategy, when one is given).' }),
  next: z
    .number()
    .meta({ description: 'The after of the next page: the last seq returned (or the given after).' }),
  hasMore: z.boolean().meta({ description: 'Whether trades after next are stored.' }),
});

/** Query of `GET /sessions/:id/equity`. */
export const equityQuerySchema = z.object({
  strategy: z.string().min(1).max(200).optional().meta({ description: 'Only this strategy’s curve.' }),
  every: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(1)
    .meta({ description: 'Keep every Nth row of each curve (rows 0, N, 2N, ...) and its last row.' }),
});

/** Answer of `GET /sessions/:id/equity`. */
export const equityRowsSchema = z.object({
  every: z.number(),
  rows: z.array(
    z
      .object({
        strategy: z.string(),
        time: z.number().meta({ description: 'Close time of the step (epoch ms).' }),
        equity: z.number(),
        cash: z.number(),
        exposure: z.number().meta({ description: 'Sum of |position| * last close.' }),
      })
      .meta({ id: 'EquityRow' }),
  ),
});
