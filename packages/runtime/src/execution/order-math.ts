import type { ExecutionSettings } from './execution-types';

/** 1 for a buy, -1 for a sell. */
export type OrderSide = 1 | -1;

/** The fill price of `price` after slippage against the trade: `price * (1 ± bps / 10,000)`. */
export function slippedPrice(price: number, side: OrderSide, slippageBps: number): number {
  return side === 1 ? price * (1 + slippageBps / 10_000) : price * (1 - slippageBps / 10_000);
}

/** Commission of one order: `max(minimum, perUnit * units + percent / 100 * notional)`. */
export function orderCommission(
  commission: ExecutionSettings['commission'],
  units: number,
  notional: number,
): number {
  return Math.max(commission.minimum, commission.perUnit * units + (commission.percent / 100) * notional);
}

/**
 * Units of a new position under the configured sizing: fixed units, or
 * `floor(equity * percent / 100 / price / lotSize) * lotSize` (0 when that is not positive).
 */
export function sizedUnits(sizing: ExecutionSettings['sizing'], equity: number, price: number): number {
  if (sizing.kind === 'units') return sizing.units;
  const units = Math.floor((equity * sizing.percent) / 100 / price / sizing.lotSize) * sizing.lotSize;
  return Math.max(units, 0);
}
