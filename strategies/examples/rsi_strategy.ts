// The seed's module path `strategies.examples.rsi_strategy` loads this file.
export { RsiStrategy } from '@strat/examples';
