export { BarListSource, type TestBar } from './bar-list-source';
export {
  type GeneratedBars,
  type RunStrategyOptions,
  runStrategy,
  type StrategyRun,
  strategyRunConfig,
} from './run-strategy';
