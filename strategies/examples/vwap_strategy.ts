// The module path `strategies.examples.vwap_strategy` loads this file.
export { VwapStrategy } from '@strat/examples';
