import type { Interval } from '../time/interval';
import type { Bar } from './bar';
import type { BarSeries } from './bar-series';
import { ColumnarBarSeries } from './columnar-bar-series';
import { appendBar, BAR_FLAG_FILLED, createSeriesBuffers } from './series-buffers';

/** A bar as accepted by {@link barSeriesFromBars}: `filled` may be left out. */
export type BarInput = Omit<Bar, 'filled'> & { filled?: boolean };

/**
 * Builds a standalone series from plain bars: for unit tests of strategies and for small tools.
 * The result behaves exactly like a series from the session store.
 */
export function barSeriesFromBars(
  symbol: string,
  interval: Interval,
  bars: ReadonlyArray<BarInput>,
): BarSeries {
  const buffers = createSeriesBuffers({ window: Math.max(1, bars.length), shared: false });
  for (const b of bars) {
    appendBar(buffers, b.time, b.open, b.high, b.low, b.close, b.volume, b.filled ? BAR_FLAG_FILLED : 0);
  }
  return new ColumnarBarSeries(buffers, symbol, interval);
}
