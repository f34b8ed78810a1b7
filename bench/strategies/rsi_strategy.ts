// Loaded as `./strategies/rsi_strategy.ts`: the bundled RSI strategy.
export { RsiStrategy } from '@strat/examples';
