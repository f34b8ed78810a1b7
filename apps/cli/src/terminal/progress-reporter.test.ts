import { describe, expect, it, vi } from 'vitest';
import { colorsFor } from './colors';
import {
  formatDuration,
  formatSimulatedTime,
  ProgressReporter,
  type ProgressReporterOptions,
  progressStats,
} from './progress-reporter';

describe('progress figures', () => {
  it('works out percent, bars per second and time left', () => {
    const progress = {
      barsDone: 2_000,
      barsTotal: 10_000,
      time: Date.UTC(2024, 0, 2, 15, 4),
      sessionDate: '2024-01-02',
    };
    expect(progressStats(progress, 4_000)).toEqual({
      percent: 20,
      barsPerSecond: 500,
      etaSeconds: 16,
      simulatedTime: '2024-01-02 15:04Z',
    });
    expect(progressStats({ ...progress, barsDone: 0 }, 1_000).etaSeconds).toBeUndefined();
  });

  it('formats durations and simulated times', () => {
    expect([
      formatDuration(42.4),
      formatDuration(185),
      formatDuration(3_725),
      formatDuration(undefined),
    ]).toEqual(['42s', '3m05s', '1h02m', '?']);
    expect(formatSimulatedTime(0)).toBe('');
  });
});

/** A plain-mode reporter writing into `written`, a line every 20 ms, reading progress from `read`. */
function lineReporter(written: string[], read: ProgressReporterOptions['read'], liveStatus?: () => string) {
  const stream = {
    isTTY: false,
    write: (text: string) => written.push(text) > 0,
  } as unknown as NodeJS.WritableStream;
  return new ProgressReporter({
    mode: 'lines',
    stream,
    colors: colorsFor({ isTTY: false }, {}),
    lineIntervalMs: 20,
    read,
    ...(liveStatus === undefined ? {} : { liveStatus }),
  });
}

/**
 * Resolves once a reporter like the one under test, started now, has written `lines` lines: proof
 * that enough time passed for the one under test to have written as many, had it been running.
 */
async function linesOfAControlReporter(lines: number): Promise<void> {
  const written: string[] = [];
  const control = lineReporter(written, () => ({ barsDone: 1, barsTotal: 2, time: 1, sessionDate: '' }));
  control.start();
  try {
    await vi.waitFor(() => expect(written.length).toBeGreaterThanOrEqual(lines));
  } finally {
    control.stop();
  }
}

describe('ProgressReporter in plain mode', () => {
  it('writes a line every interval while there is progress, and nothing once stopped', async () => {
    const written: string[] = [];
    let barsDone = 0;
    const reporter = lineReporter(written, () => {
      barsDone += 100;
      return {
        barsDone,
        barsTotal: 1_000,
        time: Date.UTC(2024, 0, 2, 15),
        sessionDate: '2024-01-02',
      };
    });
    reporter.start();
    // Timers are unref'd: waitFor keeps the test alive while they fire.
    await vi.waitFor(() => expect(written.length).toBeGreaterThanOrEqual(2));
    reporter.stop();
    const count = written.length;
    await linesOfAControlReporter(2);
    expect(written.length).toBe(count);
    expect(count).toBeGreaterThanOrEqual(2);
    expect(written[0]).toMatch(
      /^progress: 100\/1,000 bars \(10%\) \| 2024-01-02 15:00Z \| [\d,]+ bars\/s \| ETA \S+\n$/,
    );
  });

  it('shows live progress without a total or an ETA, from the wait for the first bar on', async () => {
    const written: string[] = [];
    let barsDone = -50;
    const reporter = lineReporter(
      written,
      () => {
        barsDone += 50;
        return {
          barsDone,
          barsTotal: barsDone,
          time: barsDone === 0 ? 0 : Date.UTC(2024, 0, 2, 15),
          sessionDate: '',
        };
      },
      () => (barsDone > 0 ? 'streaming' : 'connecting'),
    );
    reporter.start();
    await vi.waitFor(() => expect(written.length).toBeGreaterThanOrEqual(2));
    reporter.stop();
    expect(written[0]).toBe('live: 0 bars | waiting for the first bar | 0 bars/s | feed connecting\n');
    expect(written[1]).toMatch(/^live: 50 bars \| 2024-01-02 15:00Z \| [\d,]+ bars\/s \| feed streaming\n$/);
    expect(written.join('')).not.toContain('ETA');
  });

  it('writes nothing when off', async () => {
    const written: string[] = [];
    const stream = { write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WritableStream;
    const reporter = new ProgressReporter({
      mode: 'off',
      stream,
      colors: colorsFor({}, {}),
      lineIntervalMs: 20,
      read: () => ({ barsDone: 1, barsTotal: 2, time: 1, sessionDate: '' }),
    });
    reporter.start();
    await linesOfAControlReporter(2);
    reporter.stop();
    expect(written).toEqual([]);
  });
});
