import { type Interval, intervalSchema, symbolSchema, z } from '@strat/core';

/** Defaults of the keys every `PerSymbolStrategy` reads. */
export interface PerSymbolDefaults {
  readonly interval: Interval;
  readonly min_quality: number;
  readonly follow_added_symbols: boolean;
}

/** The keys every `PerSymbolStrategy` reads, as its config schema gives them (defaults applied). */
export interface PerSymbolConfig {
  /** Symbols to trade (none only with `follow_added_symbols`). */
  readonly symbols?: readonly string[] | undefined;
  readonly interval: Interval;
  readonly min_quality: number;
  readonly follow_added_symbols: boolean;
}

const symbolListSchema = z
  .array(symbolSchema)
  .superRefine((symbols, ctx) => {
    symbols.forEach((symbol, index) => {
      if (symbols.indexOf(symbol) !== index) {
        ctx.addIssue({
          code: 'custom',
          input: symbol,
          path: [index],
          message: `"${symbol}" is listed twice`,
        });
      }
    });
  })
  .readonly();

/**
 * The schema fields of the keys every `PerSymbolStrategy` reads, with the strategy's defaults:
 * spread them into the strategy's `z.strictObject` and add {@link requireSymbols} as a check.
 */
export function perSymbolFields(defaults: PerSymbolDefaults) {
  return {
    symbols: symbolListSchema.optional().meta({
      description: 'Symbols to trade. Required, non-empty (may be empty only with follow_added_symbols).',
    }),
    interval: intervalSchema.default(defaults.interval).meta({ description: 'Bar interval to read.' }),
    min_quality: z.number().min(0).max(100).default(defaults.min_quality).meta({
      description: "Skip bars while the series' quality (percent of expected bars received) is below this.",
    }),
    follow_added_symbols: z.boolean().default(defaults.follow_added_symbols).meta({
      description: 'Also trade symbols added mid-session, for example by a scanner.',
    }),
  };
}

/** Check options that run a config's checks even when some keys are invalid, so every problem is listed at once. */
export const EVEN_WITH_INVALID_KEYS = {
  when: (payload: z.core.ParsePayload): boolean =>
    typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
};

/**
 * A check for the strategy's `z.strictObject` (with {@link EVEN_WITH_INVALID_KEYS}): `symbols` is a
 * non-empty list unless the strategy follows added symbols.
 */
export function requireSymbols(
  config: { symbols?: unknown; follow_added_symbols?: unknown },
  ctx: z.core.$RefinementCtx,
): void {
  const { symbols } = config;
  const empty = symbols === undefined || (Array.isArray(symbols) && symbols.length === 0);
  if (empty && config.follow_added_symbols !== true) {
    ctx.addIssue({
      code: 'custom',
      input: symbols,
      path: ['symbols'],
      message: `must be a non-empty list of symbols, got ${symbols === undefined ? 'nothing' : 'an empty list'}`,
    });
  }
}

/** True when `value` is a whole number of at least 1 (a period that passed its own check). */
export function isPeriod(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}
