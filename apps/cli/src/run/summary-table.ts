import { resolve } from 'node:path';
import type { SessionSummary, StrategyThreadState } from '@strat/runtime';
import Table from 'cli-table3';
import type { Colors } from '../terminal/colors';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Microseconds: one decimal below 100, whole numbers above. */
export function formatMicros(us: number): string {
  return us < 100 ? oneDecimal.format(us) : integer.format(us);
}

/** `1.09 s`, `850 ms`, `2m03s`. */
export function formatWallTime(ms: number): string {
  if (ms < 1000) return `${integer.format(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** A compact table with a bold header row and one alignment per column (colours only through `colors`). */
export function table(head: string[], align: ('left' | 'right')[], colors: Colors): Table.Table {
  return new Table({
    head: head.map((h) => colors.bold(h)),
    colAligns: align,
    // cli-table3 colours the header itself unless told not to; colours follow NO_COLOR/TTY here instead.
    style: { head: [], border: [], compact: true },
  });
}

/** What a live run's summary adds: the clock, the feed and what happened to it (see {@link liveRunFacts}). */
export interface LiveRunFacts {
  /** The feed URL, without credentials. */
  feedUrl: string;
  /** `wall`: the system clock; `feed`: the replayed bars' time at `speed`. */
  clock: 'wall' | 'feed';
  /** Feed clock: feed ms per wall ms (the replayer's announced speed unless configured). */
  speed: number;
  /** Times the connection was lost and retried. */
  reconnects: number;
  /** Times the watchdog found the feed silent during session hours. */
  staleFeeds: number;
  /** `gap` events: runs of minutes missed while the feed was down, and the minutes in them. */
  gaps: number;
  gapMinutes: number;
}

/** The live facts of a session summary (undefined for a backtest). */
export function liveRunFacts(summary: SessionSummary): LiveRunFacts | undefined {
  const feed = summary.feed;
  if (feed === undefined) return undefined;
  return {
    feedUrl: feed.url,
    clock: feed.clock,
    speed: feed.speed,
    reconnects: feed.stats.reconnects,
    staleFeeds: feed.stats.staleEvents,
    gaps: feed.stats.gaps,
    gapMinutes: feed.stats.missedMinutes,
  };
}

/** How the summary names a strategy's end when it was not a normal one. */
const STATE_LABELS: Partial<Record<StrategyThreadState, string>> = {
  crashed: 'crashed',
  timed_out: 'timed out',
  failed: 'failed to start',
};

/**
 * Strategies that died during the run, by how (`1 strategy timed out`, `2 strategies crashed, 1 timed
 * out`), or undefined when none did: such a run exits with code 1 however it ended.
 */
export function deadStrategiesNote(summary: SessionSummary): string | undefined {
  const counts = new Map<string, number>();
  for (const m of summary.metrics.per_strategy) {
    if (m.state !== 'crashed' && m.state !== 'timed_out') continue;
    const label = STATE_LABELS[m.state] as string;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  if (counts.size === 0) return undefined;
  const parts = [...counts].map(([label, n], i) =>
    i === 0 ? `${plural(n, 'strategy', 'strategies')} ${label}` : `${n} ${label}`,
  );
  return parts.join(', ');
}

function stateLine(
  summary: SessionSummary,
  colors: Colors,
  interrupted: boolean,
  live?: LiveRunFacts,
): string {
  const pace = summary.speedMultiplier === 0 ? 'data-driven' : `clock-driven at ${summary.speedMultiplier}x`;
  const dates = summary.startDate === '' ? '' : ` ${summary.startDate} to ${summary.endDate}`;
  const livePace =
    live === undefined ? '' : live.clock === 'feed' ? `, feed clock at ${live.speed}x` : ', wall clock';
  const range = summary.mode === 'live' ? `live${dates}${livePace}` : `${summary.mode}${dates}, ${pace}`;
  const dead = deadStrategiesNote(summary);
  switch (summary.state) {
    case 'completed':
      // A green run with a dead strategy would be the worst report of all.
      if (dead !== undefined) return `${colors.red(colors.bold(`Session completed, ${dead}`))}: ${range}`;
      // Strategies that threw ran to the end, but their signals are not what they meant: never green.
      if (summary.metrics.total_errors > 0) {
        return `${colors.red(colors.bold('Session completed with strategy errors'))}: ${range}`;
      }
      return `${colors.green(colors.bold('Session completed'))}: ${range}`;
    case 'stopped':
      return (
        `${colors.yellow(colors.bold(interrupted ? 'Session interrupted' : 'Session stopped'))}: ${range} (partial results)` +
        (dead === undefined ? '' : colors.red(`; ${dead}`))
      );
    default:
      return `${colors.red(colors.bold(`Session ${summary.state}`))}: ${range}`;
  }
}

/** The per-strategy metrics table: notifications, signals, errors, overruns, processing times. */
export function renderStrategyTable(summary: SessionSummary, colors: Colors): string {
  const t = table(
    ['strategy', 'executor', 'notifications', 'signals', 'errors', 'overruns', 'avg µs', 'p99 µs', 'max µs'],
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    colors,
  );
  for (const m of summary.metrics.per_strategy) {
    t.push([
      m.state === 'stopped' || m.state === 'running'
        ? m.strategy
        : `${m.strategy} ${colors.red(`(${STATE_LABELS[m.state] ?? m.state})`)}`,
      m.executor,
      integer.format(m.notifications_processed),
      integer.format(m.signals_generated),
      m.errors > 0 ? colors.red(integer.format(m.errors)) : '0',
      m.overruns > 0 ? colors.yellow(integer.format(m.overruns)) : '0',
      formatMicros(m.avg_processing_time_us),
      formatMicros(m.p99_processing_time_us),
      formatMicros(m.max_processing_time_us),
    ]);
  }
  const total = summary.metrics;
  if (total.per_strategy.length > 1) {
    t.push([
      colors.bold('total'),
      '',
      integer.format(total.total_notifications_processed),
      integer.format(total.total_signals_generated),
      integer.format(total.total_errors),
      integer.format(total.total_overruns),
      '',
      '',
      '',
    ]);
  }
  return t.toString();
}

/**
 * Bar quality per (symbol, interval), counted in bars of that row's own interval (a 5m row over one
 * 390-minute session expects 78): expected, received, partial (derived bars built from fewer base
 * bars than their slots), gap-filled, and the quality percent strategies see (base bars received
 * over base bars expected).
 */
export function renderQualityTable(summary: SessionSummary, colors: Colors): string {
  const t = table(
    ['symbol', 'interval', 'expected', 'received', 'partial', 'filled', 'quality'],
    ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
    colors,
  );
  for (const q of summary.quality) {
    const percent = `${q.percent.toFixed(q.percent === 100 ? 0 : 1)}%`;
    const derived = q.interval !== q.baseInterval;
    t.push([
      q.symbol,
      q.interval,
      integer.format(q.expectedBars),
      integer.format(q.receivedBars),
      derived ? (q.partialBars > 0 ? colors.yellow(integer.format(q.partialBars)) : '0') : '',
      derived ? '' : integer.format(q.filled),
      q.percent >= 99.5 ? percent : q.percent >= 90 ? colors.yellow(percent) : colors.red(percent),
    ]);
  }
  return t.toString();
}

/** The heading of the quality table: what its counts and its percent are measured in. */
export function qualityHeading(summary: SessionSummary): string {
  const bases = [...new Set(summary.quality.map((q) => q.baseInterval))];
  const base = bases.length === 1 ? `${bases[0]} bars` : 'base bars';
  return `Bar quality (counts in bars of each row's interval; quality: ${base} received / expected)`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${integer.format(n)} ${n === 1 ? one : many}`;
}

function liveLines(summary: SessionSummary, colors: Colors, live: LiveRunFacts): string[] {
  const bars = summary.bars;
  const lines: string[] = [];
  if (bars !== undefined) {
    const late = bars.lateBars;
    lines.push(
      `  ${integer.format(bars.barsDone)} bars from the feed (${integer.format(bars.barsPublished)} published in all streams, ` +
        `${plural(bars.sessions, 'session')}) in ${formatWallTime(summary.wallMs)}` +
        (late > 0 ? colors.yellow(`; ${plural(late, 'late bar')} dropped`) : ''),
    );
  } else {
    lines.push(`  no bars from the feed (${formatWallTime(summary.wallMs)})`);
  }
  const troubles = [
    live.reconnects > 0 ? plural(live.reconnects, 'reconnect') : undefined,
    live.staleFeeds > 0 ? `silent ${plural(live.staleFeeds, 'time')}` : undefined,
    live.gaps > 0 ? `${plural(live.gaps, 'gap')} (${plural(live.gapMinutes, 'minute')} missed)` : undefined,
  ].filter((part) => part !== undefined);
  lines.push(
    `  feed ${live.feedUrl}: ${troubles.length === 0 ? 'no reconnects, no gaps' : colors.yellow(troubles.join(', '))}`,
  );
  return lines;
}

/**
 * The whole end-of-run report `strat run` prints (without `--json`); `live` adds the clock and
 * the feed's reconnects and gaps of a live session.
 */
export function renderRunSummary(
  summary: SessionSummary,
  colors: Colors,
  interrupted = false,
  live?: LiveRunFacts,
): string {
  const lines = [stateLine(summary, colors, interrupted, live)];
  const bars = summary.bars;
  if (summary.mode === 'live' && live !== undefined) {
    lines.push(...liveLines(summary, colors, live));
  } else if (bars !== undefined) {
    lines.push(
      `  ${integer.format(bars.barsDone)} bars (${integer.format(bars.barsPublished)} published in all streams, ` +
        `${plural(bars.sessions, 'session')}) in ${formatWallTime(summary.wallMs)}: ` +
        `${integer.format(summary.barsPerSecond)} bars/s`,
    );
    // Start-up (worker threads, module loading) dominates short runs; the replay rate shows the engine's pace.
    if (bars.replayMs > 0 && summary.speedMultiplier === 0) {
      lines.push(
        `  replay alone ${formatWallTime(bars.replayMs)}: ${integer.format(bars.barsDone / (bars.replayMs / 1000))} bars/s`,
      );
    }
  } else {
    lines.push(`  no bars replayed (${formatWallTime(summary.wallMs)})`);
  }
  const holidays = bars?.holidays ?? [];
  if (holidays.length > 0) {
    const shown = holidays.slice(0, 5).map((h) => `${h.date} ${h.name}`);
    const more = holidays.length > 5 ? `, and ${holidays.length - 5} more` : '';
    lines.push(`  closed (holidays, no session, not missing): ${shown.join(', ')}${more}`);
  }
  const onClosed = bars?.barsOnClosedDays ?? 0;
  // Summaries written before these fields (a service record, an old results folder) lack them.
  const firstClosed = bars?.closedDaysWithBars?.[0];
  if (onClosed > 0 && firstClosed !== undefined) {
    lines.push(
      colors.yellow(
        `  ${plural(onClosed, 'bar')} on days the exchange is closed (first ${firstClosed.date}, ${firstClosed.name}): ` +
          'the data or its time zone may be wrong, or the calendar',
      ),
    );
  }
  const outside = bars?.barsOutsideSessions ?? 0;
  if (outside > 0) {
    lines.push(
      colors.yellow(
        `  ${plural(outside, 'bar')} outside the calendar's sessions skipped ` +
          "(not in session_data_config.calendar's days and hours)",
      ),
    );
  }
  const journal =
    summary.journal === undefined
      ? colors.dim('no journal (add --out signals.jsonl)')
      : `journal ${resolve(summary.journal)}`;
  lines.push(`  ${integer.format(summary.signals)} signal${summary.signals === 1 ? '' : 's'}, ${journal}`);
  if (summary.symbolsAdded.length > 0)
    lines.push(`  symbols added mid-session: ${summary.symbolsAdded.join(', ')}`);
  if (summary.source.rowsSkipped > 0) {
    lines.push(
      colors.yellow(
        `  ${plural(summary.source.rowsSkipped, summary.mode === 'live' ? 'feed bar' : 'bad data row')} skipped${summary.source.rowsSkipped === 1 ? '' : ', first ones'}:`,
      ),
    );
    for (const p of summary.source.problems.slice(0, 5)) {
      const where = p.file === undefined ? '' : `${p.file}${p.line === undefined ? '' : `:${p.line}`}: `;
      lines.push(colors.yellow(`    ${where}${p.message}`));
    }
  }
  if (summary.metrics.per_strategy.length > 0) {
    lines.push('', colors.bold('Strategies'), renderStrategyTable(summary, colors));
  }
  if (summary.quality.length > 0)
    lines.push('', colors.bold(qualityHeading(summary)), renderQualityTable(summary, colors));
  return `${lines.join('\n')}\n`;
}
