import { z } from 'zod';

const initialCashSchema = z
  .number()
  .gt(0)
  .meta({ description: "Starting cash of each strategy's own paper account, in the quote currency." });

const fillSchema = z.enum(['next_open', 'close']).meta({
  description:
    "next_open: a market order fills at the open of the next bar of the signal's series; close: at once, at " +
    "the signal bar's close.",
});

const slippageSchema = z.number().min(0).meta({
  description: 'Slippage in basis points, always against the trade: a buy fills higher, a sell lower.',
});

const allowShortSchema = z
  .boolean()
  .meta({ description: 'Whether SELL may open a short (false: SELL targets flat).' });

const riskFreeRateSchema = z.number().gt(-1).max(1).meta({
  description:
    'Annual risk-free rate for Sharpe and Sortino, as a fraction (0.04 = 4 %; above -1, at most 1).',
});

const perUnitSchema = z.number().min(0).meta({ description: 'Commission per unit traded.' });
const percentSchema = z
  .number()
  .min(0)
  .max(100)
  .meta({ description: 'Commission as a percent of the notional (0.1 = 0.1 %).' });
const minimumSchema = z.number().min(0).meta({ description: 'Smallest commission of one order.' });

const COMMISSION_DESCRIPTION =
  'Commission of one order: max(minimum, per_unit * units + percent / 100 * notional).';

/** `execution.sizing`: how many units a signal without `quantity` trades. */
export const sizingConfigSchema = z
  .strictObject({
    percent_equity: z
      .number()
      .gt(0)
      .max(100)
      .optional()
      .meta({ description: 'Percent of the current equity, floored to whole lots (0 to 100).' }),
    lot_size: z
      .number()
      .gt(0)
      .optional()
      .meta({ description: 'With percent_equity: units are a whole multiple of this (default 1).' }),
    units: z.number().gt(0).optional().meta({ description: 'A fixed number of units.' }),
  })
  .superRefine((sizing, ctx) => {
    if (sizing.units !== undefined && sizing.percent_equity !== undefined) {
      ctx.addIssue({
        code: 'custom',
        input: sizing.units,
        path: ['units'],
        message: 'give either units or percent_equity, not both',
      });
    } else if (sizing.units === undefined && sizing.percent_equity === undefined) {
      ctx.addIssue({
        code: 'custom',
        input: sizing,
        message: 'expected { "percent_equity": number, "lot_size"?: number } or { "units": number }',
      });
    }
    if (sizing.units !== undefined && sizing.lot_size !== undefined) {
      ctx.addIssue({
        code: 'custom',
        input: sizing.lot_size,
        path: ['lot_size'],
        message: 'lot_size goes with percent_equity; with fixed units it has no meaning',
      });
    }
  })
  .meta({
    description:
      'Units a signal without quantity trades: { "percent_equity": 100, "lot_size": 1 } (the default) or ' +
      '{ "units": 10 }.',
  });

/** A parsed `execution.sizing`: exactly one of `units` or `percent_equity` is set. */
export type SizingConfig = z.output<typeof sizingConfigSchema>;

function defaultSizing(): SizingConfig {
  return { percent_equity: 100, lot_size: 1 };
}

/**
 * The session's `execution` section: every strategy gets its own paper account trading its signals
 * with these settings (defaults applied). Without it (and without `strategies[].execution`) no
 * strategy is paper-traded.
 */
export const executionConfigSchema = z.strictObject({
  initial_cash: initialCashSchema.default(100_000),
  fill: fillSchema.default('next_open'),
  slippage_bps: slippageSchema.default(0),
  commission: z
    .strictObject({
      per_unit: perUnitSchema.default(0),
      percent: percentSchema.default(0),
      minimum: minimumSchema.default(0),
    })
    .prefault({})
    .meta({ description: COMMISSION_DESCRIPTION }),
  sizing: sizingConfigSchema.default(defaultSizing),
  allow_short: allowShortSchema.default(false),
  risk_free_rate: riskFreeRateSchema.default(0),
});

/** A parsed session `execution` section, defaults applied. */
export type ExecutionConfig = z.output<typeof executionConfigSchema>;

/** The session `execution` section as written. */
export type ExecutionConfigInput = z.input<typeof executionConfigSchema>;

/**
 * `strategies[].execution`: overrides of the session's `execution` for one strategy. Each field
 * written replaces the session's; `commission` is merged field by field, `sizing` replaced whole.
 * No defaults here: what is not written comes from the session's section (or its defaults).
 */
export const executionOverrideSchema = z.strictObject({
  initial_cash: initialCashSchema.optional(),
  fill: fillSchema.optional(),
  slippage_bps: slippageSchema.optional(),
  commission: z
    .strictObject({
      per_unit: perUnitSchema.optional(),
      percent: percentSchema.optional(),
      minimum: minimumSchema.optional(),
    })
    .optional()
    .meta({ description: `${COMMISSION_DESCRIPTION} Merged field by field over the session's.` }),
  sizing: sizingConfigSchema.optional(),
  allow_short: allowShortSchema.optional(),
  risk_free_rate: riskFreeRateSchema.optional(),
});

/** A parsed `strategies[].execution`: only the fields written. */
export type ExecutionOverride = z.output<typeof executionOverrideSchema>;

/** The defaults of every `execution` field (what `"execution": {}` means). */
export function defaultExecutionConfig(): ExecutionConfig {
  return executionConfigSchema.parse({});
}
