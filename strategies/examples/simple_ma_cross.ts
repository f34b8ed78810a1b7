// The seed's module path `strategies.examples.simple_ma_cross` loads this file.
export { SimpleMaCrossStrategy } from '@strat/examples';
