import type { ProcessorProgress } from '@strat/data';
import cliProgress from 'cli-progress';
import type { Colors } from './colors';

/** How progress is shown: a live bar (stderr is a terminal), a plain line every few seconds, or not at all. */
export type ProgressMode = 'bar' | 'lines' | 'off';

/** Options of {@link ProgressReporter}. */
export interface ProgressReporterOptions {
  mode: ProgressMode;
  /** Where progress goes: stderr. */
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  colors: Colors;
  /** Reads the replay's progress now (undefined before the replay starts). */
  read: () => ProcessorProgress | undefined;
  /** Plain mode: time between lines (default 2000 ms). */
  lineIntervalMs?: number;
  /**
   * Live sessions: the total is unknown, so show bars so far, session time, rate and this status
   * (the feed's state) instead of a total and an ETA.
   */
  liveStatus?: () => string;
}

/** Rate and time left from how far a replay has come. */
export interface ProgressStats {
  percent: number;
  barsPerSecond: number;
  /** Seconds left at the current rate; undefined until the rate is known. */
  etaSeconds: number | undefined;
  /** The simulated time as `YYYY-MM-DD HH:MMZ`. */
  simulatedTime: string;
}

/** Works out percent, rate and ETA of a progress reading `elapsedMs` after the replay started. */
export function progressStats(progress: ProcessorProgress, elapsedMs: number): ProgressStats {
  const { barsDone, barsTotal } = progress;
  const percent = barsTotal === 0 ? 0 : Math.min(100, (barsDone / barsTotal) * 100);
  const barsPerSecond = elapsedMs <= 0 ? 0 : barsDone / (elapsedMs / 1000);
  const etaSeconds =
    barsPerSecond > 0 && barsDone > 0 ? Math.max(0, (barsTotal - barsDone) / barsPerSecond) : undefined;
  return { percent, barsPerSecond, etaSeconds, simulatedTime: formatSimulatedTime(progress.time) };
}

/** `2024-01-11 15:42Z` for an epoch-ms instant (empty before the replay has a time). */
export function formatSimulatedTime(time: number): string {
  if (!(time > 0)) return '';
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

/** `42s`, `3m05s`, `1h02m`. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * Shows a running session's progress on stderr: bars done / total, simulated time, bars per second
 * and ETA (live: bars so far, session time, rate and the feed's state, no total), as a cli-progress
 * bar on a terminal or as a plain line every few seconds otherwise.
 */
export class ProgressReporter {
  readonly #o: ProgressReporterOptions;
  #bar: cliProgress.SingleBar | undefined;
  #barStarted = false;
  #timer: NodeJS.Timeout | undefined;
  #startedAt = 0;

  constructor(options: ProgressReporterOptions) {
    this.#o = options;
  }

  /** Starts showing progress (polling the replay). */
  start(): void {
    if (this.#o.mode === 'off' || this.#timer !== undefined) return;
    this.#startedAt = performance.now();
    if (this.#o.mode === 'bar') {
      this.#bar = new cliProgress.SingleBar(
        {
          stream: this.#o.stream,
          format:
            this.#o.liveStatus === undefined
              ? `${this.#o.colors.cyan('{bar}')} {percentage}% | {value}/{total} bars | {date} | {rate} bars/s | ETA {timeLeft}`
              : `${this.#o.colors.cyan('live')} | {done} bars | {date} | {rate} bars/s | feed {feed}`,
          barsize: 24,
          hideCursor: true,
          clearOnComplete: true,
          fps: 10,
        },
        cliProgress.Presets.shades_classic,
      );
      this.#timer = setInterval(() => this.#updateBar(), 200);
    } else {
      this.#timer = setInterval(() => this.#writeLine(), this.#o.lineIntervalMs ?? 2000);
    }
    this.#timer.unref();
  }

  /** Clears the bar's line so that a log line can be written; the bar redraws at its next update. */
  clearLine(): void {
    if (this.#bar !== undefined && this.#o.stream.isTTY === true) this.#o.stream.write('\r\x1b[2K');
  }

  /** Stops and removes the bar. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#barStarted) this.#bar?.stop();
    this.#bar = undefined;
    this.#barStarted = false;
  }

  #reading(): { progress: ProcessorProgress; stats: ProgressStats } | undefined {
    const progress = this.#o.read();
    // Live, the wait for the first bar (a closed market, a replay not yet started) is worth showing.
    if (progress === undefined || (progress.barsTotal === 0 && this.#o.liveStatus === undefined))
      return undefined;
    return { progress, stats: progressStats(progress, performance.now() - this.#startedAt) };
  }

  #updateBar(): void {
    const reading = this.#reading();
    const bar = this.#bar;
    if (reading === undefined || bar === undefined) return;
    const { progress, stats } = reading;
    const payload = {
      date: stats.simulatedTime === '' ? 'waiting for the first bar' : stats.simulatedTime,
      rate: integer.format(stats.barsPerSecond),
      timeLeft: formatDuration(stats.etaSeconds),
      feed: this.#o.liveStatus?.() ?? '',
      done: integer.format(progress.barsDone),
    };
    if (!this.#barStarted) {
      bar.start(progress.barsTotal, progress.barsDone, payload);
      this.#barStarted = true;
      return;
    }
    if (bar.getTotal() !== progress.barsTotal) bar.setTotal(progress.barsTotal);
    bar.update(progress.barsDone, payload);
  }

  #writeLine(): void {
    const reading = this.#reading();
    if (reading === undefined) return;
    const { progress, stats } = reading;
    if (this.#o.liveStatus !== undefined) {
      const time = stats.simulatedTime === '' ? 'waiting for the first bar' : stats.simulatedTime;
      this.#o.stream.write(
        `${this.#o.colors.dim('live:')} ${integer.format(progress.barsDone)} bars | ${time} | ` +
          `${integer.format(stats.barsPerSecond)} bars/s | feed ${this.#o.liveStatus()}\n`,
      );
      return;
    }
    this.#o.stream.write(
      `${this.#o.colors.dim('progress:')} ${integer.format(progress.barsDone)}/${integer.format(progress.barsTotal)} bars ` +
        `(${stats.percent.toFixed(0)}%) | ${stats.simulatedTime} | ${integer.format(stats.barsPerSecond)} bars/s | ETA ${formatDuration(stats.etaSeconds)}\n`,
    );
  }
}
