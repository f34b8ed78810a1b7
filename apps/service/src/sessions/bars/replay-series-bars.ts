import type { Interval, SessionConfig } from '@strat/core';
import { SessionData } from '@strat/data';
import { TradingCalendar } from '@strat/data/calendar';
import { createSessionProcessor } from '@strat/data/internal';
import { GrowingColumns, type SeriesColumns } from './series-columns';

/**
 * The bars a backtest published for one series, read again from its source: the session's own data
 * path (source, calendar, aggregation to the stream's interval, gap filling, warm-up) replayed as
 * fast as it goes for that symbol alone, without strategies. The same config and source give the
 * same bars the session's strategies saw.
 * @param configDir - Where the config's relative paths resolve (the service's `session_configs/`)
 * @throws what the data path throws (a source file gone since: DataError)
 */
export async function replaySeriesBars(
  config: SessionConfig,
  configDir: string,
  symbol: string,
  interval: Interval,
): Promise<SeriesColumns> {
  const sdc = config.session_data_config;
  const store = new SessionData({ window: sdc.streaming.window });
  const calendar = TradingCalendar.fromConfig(sdc.calendar);
  const bars = new GrowingColumns();
  const replayed: SessionConfig =
    config.backtest_config === undefined
      ? config
      : { ...config, backtest_config: { ...config.backtest_config, speed_multiplier: 0 } };
  const { processor } = createSessionProcessor(replayed, {
    store,
    calendar,
    symbols: [symbol],
    baseDir: configDir,
    consumer: {
      onBar(barSymbol, barInterval, index) {
        if (barSymbol !== symbol || barInterval !== interval) return;
        const buffers = store.getSeries(barSymbol, barInterval);
        if (buffers === undefined) return;
        const slot = index & buffers.mask;
        bars.push(
          buffers.time[slot] as number,
          buffers.open[slot] as number,
          buffers.high[slot] as number,
          buffers.low[slot] as number,
          buffers.close[slot] as number,
          buffers.volume[slot] as number,
        );
      },
    },
  });
  await processor.run();
  return bars.columns();
}
