export { ConfigReader, type NumberBounds } from './config/config-reader';
export { SessionVwap } from './indicators/session-vwap';
export { WilderRsi } from './indicators/wilder-rsi';
export { type PerSymbolDefaults, PerSymbolStrategy } from './per-symbol-strategy';
export { RSI_DEFAULTS, type RsiConfig, RsiStrategy } from './rsi';
export { SIMPLE_MA_CROSS_DEFAULTS, type SimpleMaCrossConfig, SimpleMaCrossStrategy } from './sma-cross';
export { LocalCalendarDay } from './time/local-calendar-day';
export { VOLUME_SPIKE_DEFAULTS, type VolumeSpikeConfig, VolumeSpikeScanner } from './volume-spike-scanner';
export { VWAP_DEFAULTS, type VwapConfig, VwapStrategy } from './vwap';
