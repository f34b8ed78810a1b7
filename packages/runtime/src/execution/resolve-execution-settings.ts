import {
  defaultExecutionConfig,
  type ExecutionConfig,
  type ExecutionOverride,
  type SessionConfig,
  type SizingConfig,
} from '@strat/core';
import type { ExecutionSettings } from './execution-types';

function toSizing(sizing: SizingConfig): ExecutionSettings['sizing'] {
  if (sizing.units !== undefined) return { kind: 'units', units: sizing.units };
  return { kind: 'percent_equity', percent: sizing.percent_equity ?? 100, lotSize: sizing.lot_size ?? 1 };
}

/**
 * The effective paper-execution settings of one strategy: its entry's `execution` merged over the
 * session's (each written field replaces the session's; `commission` merged field by field;
 * `sizing` replaced whole), defaults for the rest.
 * @param session - the session config's `execution` (parsed: defaults applied), if any
 * @param entry - the strategy entry's `execution` (parsed: only what was written), if any
 * @returns undefined when neither is present: the strategy is not paper-traded
 */
export function resolveExecutionSettings(
  session: ExecutionConfig | undefined,
  entry: ExecutionOverride | undefined,
): ExecutionSettings | undefined {
  if (session === undefined && entry === undefined) return undefined;
  const base = session ?? defaultExecutionConfig();
  const over = entry ?? {};
  const commission = over.commission ?? {};
  return {
    initialCash: over.initial_cash ?? base.initial_cash,
    fill: over.fill ?? base.fill,
    slippageBps: over.slippage_bps ?? base.slippage_bps,
    commission: {
      perUnit: commission.per_unit ?? base.commission.per_unit,
      percent: commission.percent ?? base.commission.percent,
      minimum: commission.minimum ?? base.commission.minimum,
    },
    sizing: toSizing(over.sizing ?? base.sizing),
    allowShort: over.allow_short ?? base.allow_short,
    riskFreeRate: over.risk_free_rate ?? base.risk_free_rate,
  };
}

/**
 * True when a session of this config trades on paper: the config, or an enabled strategy entry, has
 * an `execution` section (a strategy gets an account exactly then, see {@link resolveExecutionSettings}).
 */
export function hasPaperExecution(config: SessionConfig): boolean {
  return (
    config.execution !== undefined ||
    config.session_data_config.strategies.some((s) => s.enabled !== false && s.execution !== undefined)
  );
}
