// Loaded as `./strategies/simple_ma_cross.ts`: the bundled SMA cross, measured as users run it.
export { SimpleMaCrossStrategy } from '@strat/examples';
