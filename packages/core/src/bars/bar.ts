/**
 * One OHLCV bar. `time` is the bar's start in epoch milliseconds (UTC): a 5m bar labelled 09:30
 * covers [09:30, 09:35). Returned only by convenience accessors; hot paths read the columns.
 */
export interface Bar {
  /** Start of the bar, epoch milliseconds UTC. */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** True when the gap filler made this bar up (forward-filled close, volume 0). */
  filled: boolean;
}
