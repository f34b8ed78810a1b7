export {
  EVEN_WITH_INVALID_KEYS,
  isPeriod,
  type PerSymbolConfig,
  type PerSymbolDefaults,
  perSymbolFields,
  requireSymbols,
} from './config/per-symbol-config';
export { SessionVwap } from './indicators/session-vwap';
export { WilderRsi } from './indicators/wilder-rsi';
export { PerSymbolStrategy } from './per-symbol-strategy';
export { RSI_DEFAULTS, type RsiConfig, RsiStrategy, rsiConfigSchema } from './rsi';
export {
  SIMPLE_MA_CROSS_DEFAULTS,
  type SimpleMaCrossConfig,
  SimpleMaCrossStrategy,
  simpleMaCrossConfigSchema,
} from './sma-cross';
export { LocalCalendarDay } from './time/local-calendar-day';
export {
  VOLUME_SPIKE_DEFAULTS,
  type VolumeSpikeConfig,
  VolumeSpikeScanner,
  volumeSpikeConfigSchema,
} from './volume-spike-scanner';
export { VWAP_DEFAULTS, type VwapConfig, VwapStrategy, vwapConfigSchema } from './vwap';
