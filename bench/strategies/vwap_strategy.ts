// Loaded as `./strategies/vwap_strategy.ts`: the bundled VWAP strategy.
export { VwapStrategy } from '@strat/examples';
