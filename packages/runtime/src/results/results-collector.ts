import type { Interval } from '@strat/core';
import type { Fill } from '../execution/execution-types';
import type { Session } from '../session/session';
import type { SessionSummary } from '../session/session-types';
import type { ResultsFolderData, SeriesBars } from './results-folder-types';

const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

class SeriesRecording {
  count = 0;
  columns = COLUMNS.map(() => new Float64Array(1024));

  push(values: readonly number[]): void {
    if (this.count === (this.columns[0] as Float64Array).length) {
      this.columns = this.columns.map((column) => {
        const grown = new Float64Array(column.length * 2);
        grown.set(column);
        return grown;
      });
    }
    for (let c = 0; c < COLUMNS.length; c++)
      (this.columns[c] as Float64Array)[this.count] = values[c] as number;
    this.count++;
  }
}

/**
 * Keeps every bar a session publishes, per series, in growable columns (48 bytes a bar), for the
 * charts of a results folder: the store's rings keep only each series' window. Attach it before
 * `start()`.
 */
export class BarRecorder {
  readonly #series = new Map<string, { symbol: string; interval: Interval; recording: SeriesRecording }>();

  constructor(session: Session) {
    const values = [0, 0, 0, 0, 0, 0];
    session.on('bar', ({ symbol, interval, index }) => {
      const buffers = session.store.getSeries(symbol, interval);
      if (buffers === undefined) return;
      const key = `${symbol}\u0000${interval}`;
      let entry = this.#series.get(key);
      if (entry === undefined) {
        entry = { symbol, interval, recording: new SeriesRecording() };
        this.#series.set(key, entry);
      }
      const slot = index & buffers.mask;
      values[0] = buffers.time[slot] as number;
      values[1] = buffers.open[slot] as number;
      values[2] = buffers.high[slot] as number;
      values[3] = buffers.low[slot] as number;
      values[4] = buffers.close[slot] as number;
      values[5] = buffers.volume[slot] as number;
      entry.recording.push(values);
    });
  }

  /** The bars of the given series (`symbol`, `interval`), in the order asked; series never seen are left out. */
  bars(series: ReadonlyArray<{ symbol: string; interval: Interval }>): SeriesBars<Float64Array>[] {
    const out: SeriesBars<Float64Array>[] = [];
    for (const { symbol, interval } of series) {
      const entry = this.#series.get(`${symbol}\u0000${interval}`);
      if (entry === undefined) continue;
      const { count, columns } = entry.recording;
      const [time, open, high, low, close, volume] = columns.map((c) => c.slice(0, count)) as Float64Array[];
      out.push({
        symbol,
        interval,
        time: time as Float64Array,
        open: open as Float64Array,
        high: high as Float64Array,
        low: low as Float64Array,
        close: close as Float64Array,
        volume: volume as Float64Array,
      });
    }
    return out;
  }
}

/** The series fills happened on, in order of their first fill. */
export function tradedSeries(
  fills: ReadonlyArray<{ symbol: string; interval: Interval }>,
): Array<{ symbol: string; interval: Interval }> {
  const seen = new Map<string, { symbol: string; interval: Interval }>();
  for (const { symbol, interval } of fills) {
    const key = `${symbol}\u0000${interval}`;
    if (!seen.has(key)) seen.set(key, { symbol, interval });
  }
  return [...seen.values()];
}

/**
 * Collects, while a session runs, what its results folder needs besides the results: every fill
 * and the bars of every series. Attach it before `start()`; `data()` once the session ended.
 */
export class ResultsCollector {
  readonly #session: Session;
  readonly #bars: BarRecorder;
  readonly #fills: Fill[] = [];

  constructor(session: Session) {
    this.#session = session;
    this.#bars = new BarRecorder(session);
    session.on('fill', (fill) => this.#fills.push(fill));
  }

  /** The results folder's content, or undefined when the session had no paper execution (or has not ended). */
  data(summary: SessionSummary): ResultsFolderData | undefined {
    const results = this.#session.results;
    if (results === undefined) return undefined;
    return {
      session: {
        mode: summary.mode,
        start: summary.startDate,
        end: summary.endDate,
        config: this.#session.config,
        quality: summary.quality,
      },
      results,
      fills: this.#fills,
      bars: this.#bars.bars(tradedSeries(this.#fills)),
    };
  }
}
