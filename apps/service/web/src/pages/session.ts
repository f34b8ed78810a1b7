import { STAT_ROWS } from '../../../../cli/src/report/report-format';
import { ApiError, api, describeError } from '../api';
import { type Bar, CandleChart, EquityCharts, type EquityRow, type Fill, StrategyColors } from '../charts';
import { empty, errorBox, h, replace } from '../dom';
import { formatInteger, formatMoney, formatNumber, formatStat, formatTime } from '../format';
import { openEvents } from '../sse';
import {
  isActive,
  type Metrics,
  type Progress,
  type Results,
  type SessionDetail,
  type Trade,
} from '../types';
import { progressBar, stateBadge } from '../widgets';

/** At most this many symbols get a chart (the others are listed). */
const MAX_CHARTS = 8;
/** Lines of the signal and fill stream kept on the page. */
const MAX_LINES = 200;
/**
 * At most this many bars a chart (about a pixel each at 1280 px; the service aggregates a longer
 * series into coarser bars, as the report does).
 */
const MAX_POINTS = 600;
const TRADES_SHOWN = 1000;
/** How often a running session's charts ask for new bars. */
const BARS_EVERY_MS = 2000;

interface StoredSignal {
  seq: number;
  signal: {
    strategy: string;
    symbol: string;
    interval: string;
    action: string;
    price?: number;
    quantity?: number;
    reason: string;
    timeMs: number;
  };
}

/** The interval a symbol is charted at: that of the first strategy trading it, else the first stream. */
function chartInterval(detail: SessionDetail, symbol: string): string {
  const data = detail.config?.session_data_config;
  for (const entry of data?.strategies ?? []) {
    if (entry.enabled === false) continue;
    const config = entry.config ?? {};
    const symbols = Array.isArray(config.symbols) ? config.symbols : [];
    if (symbols.includes(symbol) && typeof config.interval === 'string') return config.interval;
  }
  return data?.streams?.[0] ?? '1m';
}

/** The names the session gives its strategies: `name`, else the module's base name. */
function strategyNames(detail: SessionDetail): string[] {
  return (detail.config?.session_data_config?.strategies ?? [])
    .filter((s) => s.enabled !== false)
    .map((s) => s.name ?? s.module.split(/[./]/).at(-1)!);
}

/** One session, live: progress, metrics, signals and fills, candles per symbol, equity; results once ended. */
export function renderSession(view: HTMLElement, id: string): () => void {
  let closed = false;
  const cleanups: (() => void)[] = [];
  const colors = new StrategyColors();
  const charts = new Map<
    string,
    {
      chart: CandleChart;
      interval: string;
      status: HTMLElement;
      loading: boolean;
      /** A whole reload asked for while a load ran: done after it. */
      again: boolean;
      bucket: string | null;
    }
  >();
  let mode = '';
  let lastBarsLoad = 0;
  let equity: EquityCharts | undefined;
  let state = '';
  let fills = 0;
  let signals = 0;
  let lastRate: { done: number; at: number } | undefined;

  const title = h('h1', { text: 'Session' });
  const header = h('div', { class: 'session-head' });
  const stats = h('dl', { class: 'figures', id: 'live-figures' });
  const failure = h('div', { class: 'message-slot', id: 'session-error', 'aria-live': 'polite' });
  const metricsBox = h('div', { class: 'scroll', id: 'metrics' }, empty('No metrics yet.'));
  const stream = h(
    'ol',
    { class: 'stream', id: 'stream', 'aria-label': 'Signals and fills, newest first' },
    h('li', { class: 'none', text: 'No signals yet.' }),
  );
  const streamCount = h('span', { class: 'muted', id: 'stream-count' });
  const chartsBox = h('div', { class: 'chart-grid', id: 'candles' });
  const equityBox = h('div', { class: 'chart', id: 'equity-chart', 'data-chart': 'equity' });
  const drawdownBox = h('div', { class: 'chart short', id: 'drawdown-chart', 'data-chart': 'drawdown' });
  const equityNote = h('p', { class: 'muted', id: 'equity-note' });
  const results = h('section', { id: 'results', 'aria-labelledby': 'results-title' });

  const figure = (key: string, label: string) => {
    const value = h('dd', { 'data-figure': key, text: '—' });
    stats.append(h('div', {}, h('dt', { text: label }), value));
    return value;
  };
  const progressSlot = figure('progress', 'Progress');
  const clock = figure('clock', 'Session time (UTC)');
  const rateSlot = figure('rate', 'Bars/s');
  const signalSlot = figure('signals', 'Signals');
  const fillSlot = figure('fills', 'Fills');

  replace(
    view,
    h('p', { class: 'crumbs' }, h('a', { href: '#/', text: '← Sessions' })),
    title,
    header,
    failure,
    stats,
    h(
      'div',
      { class: 'two-columns' },
      h(
        'section',
        { 'aria-labelledby': 'metrics-title' },
        h('h2', { id: 'metrics-title', text: 'Strategies' }),
        metricsBox,
      ),
      h(
        'section',
        { 'aria-labelledby': 'stream-title' },
        h('h2', { id: 'stream-title' }, 'Signals and fills ', streamCount),
        h('div', { class: 'stream-box', tabindex: 0, 'aria-label': 'Signal and fill stream' }, stream),
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'prices-title' },
      h('h2', { id: 'prices-title', text: 'Prices and fills' }),
      chartsBox,
    ),
    h(
      'section',
      { 'aria-labelledby': 'equity-title' },
      h('h2', { id: 'equity-title', text: 'Equity' }),
      equityNote,
      equityBox,
      h('h2', { text: 'Drawdown' }),
      drawdownBox,
    ),
    results,
  );

  const setProgress = (progress: Progress | null) => {
    if (progress === null) return;
    // A live session has no end to be a percentage of: its bars so far.
    if (mode === 'live') progressSlot.textContent = `${formatInteger(progress.barsDone)} bars (live)`;
    else progressSlot.replaceChildren(progressBar(progress.barsDone, progress.barsTotal, 'Session progress'));
    clock.textContent = progress.time > 0 ? formatTime(progress.time) : '—';
    const now = performance.now();
    if (isActive(state) && lastRate !== undefined && now > lastRate.at && progress.barsDone > lastRate.done) {
      rateSlot.textContent = formatInteger(
        ((progress.barsDone - lastRate.done) * 1000) / (now - lastRate.at),
      );
    }
    lastRate = { done: progress.barsDone, at: now };
  };

  /** An ended session's bars per second: over its whole wall time. */
  const setAverageRate = (detail: SessionDetail) => {
    if (detail.progress === null || detail.endedAt === null) return;
    const seconds = (Date.parse(detail.endedAt) - Date.parse(detail.createdAt)) / 1000;
    if (seconds > 0) rateSlot.textContent = formatInteger(detail.progress.barsDone / seconds);
  };

  const setMetrics = (metrics: Metrics | null) => {
    if (metrics === null || metrics.per_strategy.length === 0) return;
    const headers = ['Strategy', 'State', 'Notified', 'Signals', 'Queue', 'p99 µs', 'Overruns', 'Errors'];
    metricsBox.replaceChildren(
      h(
        'table',
        { class: 'metrics' },
        h('thead', {}, h('tr', {}, ...headers.map((text) => h('th', { scope: 'col', text })))),
        h(
          'tbody',
          {},
          ...metrics.per_strategy.map((m) =>
            h(
              'tr',
              { 'data-strategy': m.strategy },
              h(
                'th',
                { scope: 'row' },
                h('span', { class: 'swatch', 'data-color': colors.of(m.strategy) }),
                m.strategy,
              ),
              h('td', { text: m.state }),
              h('td', { class: 'num', text: formatInteger(m.notifications_processed) }),
              h('td', { class: 'num', 'data-metric': 'signals', text: formatInteger(m.signals_generated) }),
              h('td', { class: 'num', text: formatInteger(m.queue_size) }),
              h('td', { class: 'num', text: formatNumber(m.p99_processing_time_us) }),
              h('td', { class: `num${m.overruns > 0 ? ' warn' : ''}`, text: formatInteger(m.overruns) }),
              h('td', { class: `num${m.errors > 0 ? ' bad' : ''}`, text: formatInteger(m.errors) }),
            ),
          ),
        ),
      ),
    );
    for (const swatch of metricsBox.querySelectorAll<HTMLElement>('.swatch')) {
      swatch.style.backgroundColor = swatch.dataset.color ?? '';
    }
  };

  const addLine = (kind: 'signal' | 'fill', text: string, strategy: string) => {
    const line = h(
      'li',
      { class: kind, 'data-kind': kind },
      h('span', { class: 'tag', text: kind }),
      h('span', { class: 'swatch', 'data-color': colors.of(strategy) }),
      text,
    );
    (line.querySelector('.swatch') as HTMLElement).style.backgroundColor = colors.of(strategy);
    stream.querySelector('.none')?.remove();
    stream.prepend(line);
    while (stream.childElementCount > MAX_LINES) stream.lastElementChild!.remove();
    streamCount.textContent = `${formatInteger(signals)} signals, ${formatInteger(fills)} fills`;
    signalSlot.textContent = formatInteger(signals);
    fillSlot.textContent = formatInteger(fills);
  };

  const setState = (next: string, error: string | null) => {
    state = next;
    header.replaceChildren(stateBadge(next));
    if (isActive(next) && next !== 'stopping') {
      header.append(
        h('button', {
          type: 'button',
          id: 'stop-session',
          text: 'Stop',
          onclick: (event: Event) => {
            const button = event.currentTarget as HTMLButtonElement;
            button.disabled = true;
            api(`/sessions/${id}/stop`, { method: 'POST' }).catch((e) =>
              failure.replaceChildren(errorBox(`Could not stop: ${describeError(e)}`)),
            );
          },
        }),
      );
    }
    if (error) failure.replaceChildren(errorBox(next === 'failed' ? `The session failed: ${error}` : error));
  };

  /**
   * A symbol's bars: all of them (`whole`), or those from the newest drawn on (the newest again: it may
   * have been forming). A series the service aggregated (more bars than MAX_POINTS) is asked again
   * whole, so its buckets stay one size.
   */
  const loadBars = async (symbol: string, whole: boolean) => {
    const entry = charts.get(symbol);
    if (entry === undefined) return;
    if (entry.loading) {
      entry.again ||= whole;
      return;
    }
    entry.loading = true;
    try {
      // Whole again once the series is aggregated or would be: its bars stay one size.
      const aggregated = entry.bucket !== null || entry.chart.barCount >= MAX_POINTS;
      const from = whole || aggregated ? undefined : entry.chart.lastTime;
      const query = new URLSearchParams({ symbol, interval: entry.interval, max_points: String(MAX_POINTS) });
      if (from !== undefined) query.set('from', String(from));
      const answer = await api<{ bars: Bar[]; bucket?: string | null; count?: number }>(
        `/sessions/${id}/bars?${query}`,
      );
      if (closed) return;
      if (from === undefined) {
        entry.bucket = answer.bucket ?? null;
        entry.chart.setBars(answer.bars);
      } else entry.chart.addBars(answer.bars);
      const drawn = entry.bucket === null ? '' : `, drawn as ${entry.bucket} bars`;
      entry.status.textContent = `${formatInteger(entry.chart.barCount)} bars of ${entry.interval}${drawn}`;
      entry.status.classList.remove('bad');
    } catch (error) {
      if (closed) return;
      entry.status.textContent = `No bars: ${describeError(error)}`;
      entry.status.classList.add('bad');
    } finally {
      entry.loading = false;
    }
    if (entry.again && !closed) {
      entry.again = false;
      await loadBars(symbol, true);
    }
  };
  /** Every chart's bars; while the session runs at most every 2 s (each tick of metrics would be more). */
  const loadAllBars = (whole: boolean, force = false) => {
    const now = performance.now();
    if (!force && now - lastBarsLoad < BARS_EVERY_MS) return;
    lastBarsLoad = now;
    for (const symbol of charts.keys()) void loadBars(symbol, whole);
  };

  const showResults = async () => {
    results.replaceChildren(
      h('h2', { id: 'results-title', text: 'Results' }),
      h('p', { class: 'muted', text: 'Loading…' }),
    );
    let answer: Results;
    try {
      answer = await api<Results>(`/sessions/${id}/results`);
    } catch (error) {
      if (closed) return;
      const text =
        error instanceof ApiError && error.code === 'RESULTS_NONE'
          ? error.message
          : `No results: ${describeError(error)}`;
      results.replaceChildren(h('h2', { id: 'results-title', text: 'Results' }), empty(text));
      return;
    }
    if (closed) return;
    const columns: [string, Record<string, number | null>][] = [
      ...answer.strategies.map((s) => [s.strategy, s.stats] as [string, Record<string, number | null>]),
      ['total', answer.total],
    ];
    const fields = STAT_ROWS.filter((row) => columns.some(([, stats]) => row.field in stats));
    const statsTable = h(
      'table',
      { class: 'results', id: 'results-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col', text: 'Statistic' }),
          ...columns.map(([name]) => h('th', { scope: 'col', text: name })),
        ),
      ),
      h(
        'tbody',
        {},
        ...fields.map((row) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row', text: row.label }),
            ...columns.map(([name, stats]) => {
              const value = stats[row.field] ?? null;
              return h('td', {
                class: 'num',
                'data-strategy': name,
                'data-stat': row.field,
                'data-value': JSON.stringify(value),
                text: formatStat(row.field, value),
              });
            }),
          ),
        ),
      ),
    );
    results.replaceChildren(
      h('h2', { id: 'results-title', text: 'Results' }),
      h('div', { class: 'scroll' }, statsTable),
      h('h2', { text: 'Trades' }),
      h(
        'div',
        { class: 'scroll table-box', id: 'trades', tabindex: 0, 'aria-label': 'Trades' },
        h('p', { class: 'muted', text: 'Loading…' }),
      ),
    );
    void showTrades();
    try {
      const rows = await api<{ rows: EquityRow[] }>(`/sessions/${id}/equity?every=1`);
      if (closed) return;
      equity?.set(rows.rows);
      equityNote.textContent = `${formatInteger(rows.rows.length)} equity rows.`;
    } catch (error) {
      if (!closed) equityNote.textContent = `No equity curve: ${describeError(error)}`;
    }
  };

  const showTrades = async () => {
    const box = results.querySelector('#trades');
    if (box === null) return;
    try {
      const trades: Trade[] = [];
      let after = 0;
      let count = 0;
      for (;;) {
        const page = await api<{ trades: Trade[]; next: number; hasMore: boolean; count: number }>(
          `/sessions/${id}/trades?after=${after}&limit=1000`,
        );
        trades.push(...page.trades);
        count = page.count;
        after = page.next;
        if (!page.hasMore || trades.length >= TRADES_SHOWN) break;
      }
      if (closed) return;
      if (trades.length === 0) {
        box.replaceChildren(empty('No closed trades.'));
        return;
      }
      const headers = [
        '#',
        'Strategy',
        'Symbol',
        'Side',
        'Qty',
        'Entry (UTC)',
        'Entry',
        'Exit (UTC)',
        'Exit',
        'Net P&L',
        'Bars',
      ];
      box.replaceChildren(
        count > trades.length
          ? h('p', {
              class: 'muted',
              text: `The first ${formatInteger(trades.length)} of ${formatInteger(count)} trades.`,
            })
          : '',
        h(
          'table',
          { class: 'trades', id: 'trades-table' },
          h('thead', {}, h('tr', {}, ...headers.map((text) => h('th', { scope: 'col', text })))),
          h(
            'tbody',
            {},
            ...trades.slice(0, TRADES_SHOWN).map((t) =>
              h(
                'tr',
                { 'data-seq': t.seq },
                h('td', { class: 'num', text: t.seq }),
                h('td', { text: t.strategy }),
                h('td', { text: t.symbol }),
                h('td', { text: t.side }),
                h('td', { class: 'num', text: formatNumber(t.quantity) }),
                h('td', { text: formatTime(t.entryTime) }),
                h('td', { class: 'num', text: formatNumber(t.entryPrice) }),
                h('td', { text: formatTime(t.exitTime) }),
                h('td', { class: 'num', text: formatNumber(t.exitPrice) }),
                h('td', {
                  class: `num ${t.netPnl >= 0 ? 'up' : 'down'}`,
                  'data-v': t.netPnl,
                  text: formatMoney(t.netPnl),
                }),
                h('td', { class: 'num', text: formatInteger(t.barsHeld) }),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      if (!closed) box.replaceChildren(errorBox(`No trades: ${describeError(error)}`));
    }
  };

  const start = async () => {
    let detail: SessionDetail;
    try {
      detail = await api<SessionDetail>(`/sessions/${id}`);
    } catch (error) {
      if (closed) return;
      const text =
        error instanceof ApiError && error.code === 'SESSION_NOT_FOUND'
          ? `No session ${id}.`
          : describeError(error);
      replace(view, h('p', { class: 'crumbs' }, h('a', { href: '#/', text: '← Sessions' })), errorBox(text));
      return;
    }
    if (closed) return;
    title.textContent = `${detail.name ?? 'Posted config'} · ${detail.mode}`;
    title.append(h('span', { class: 'muted mono', text: ` ${id.slice(0, 8)}` }));
    mode = detail.mode;
    setState(detail.state, detail.error);
    setProgress(detail.progress);
    setAverageRate(detail);
    setMetrics(detail.metrics);
    signalSlot.textContent = formatInteger(detail.signals);
    const names = strategyNames(detail);
    for (const name of names) colors.of(name);

    const symbols =
      detail.symbols.length > 0 ? detail.symbols : (detail.config?.session_data_config?.symbols ?? []);
    if (symbols.length === 0) chartsBox.replaceChildren(empty('No symbols.'));
    for (const symbol of symbols.slice(0, MAX_CHARTS)) {
      const box = h('div', { class: 'chart', 'data-chart': 'candles', 'data-symbol': symbol });
      const status = h('span', { class: 'muted', text: 'Loading bars…' });
      const interval = chartInterval(detail, symbol);
      chartsBox.append(
        h('figure', {}, h('figcaption', {}, h('strong', { text: symbol }), ` ${interval} `, status), box),
      );
      charts.set(symbol, {
        chart: new CandleChart(box, colors),
        interval,
        status,
        loading: false,
        again: false,
        bucket: null,
      });
    }
    if (symbols.length > MAX_CHARTS) {
      chartsBox.append(
        h('p', { class: 'muted', text: `Not charted: ${symbols.slice(MAX_CHARTS).join(', ')}.` }),
      );
    }
    if (
      detail.config?.execution !== undefined ||
      (detail.config?.session_data_config?.strategies ?? []).some((s) => 'execution' in s)
    ) {
      equity = new EquityCharts(equityBox, drawdownBox, names, colors);
      equityNote.textContent = isActive(detail.state)
        ? 'Updated about once a second while the session runs.'
        : '';
    } else {
      equityNote.textContent = 'This config has no execution section: no paper trading, no equity.';
    }
    if (mode === 'live' && !isActive(detail.state)) {
      for (const entry of charts.values()) entry.status.textContent = 'An ended live session keeps no bars.';
    } else loadAllBars(true, true);

    const events = openEvents(
      `/sessions/${id}/events`,
      {
        state: (data) => setState((data as { state: string }).state, null),
        metrics: (data) => {
          const { metrics, progress } = data as { metrics: Metrics | null; progress: Progress | null };
          setMetrics(metrics);
          setProgress(progress);
          loadAllBars(false);
        },
        signal: (data) => {
          const { signal } = data as StoredSignal;
          signals++;
          const price = signal.price === undefined ? '' : ` @ ${formatNumber(signal.price)}`;
          addLine(
            'signal',
            ` ${formatTime(signal.timeMs)} ${signal.strategy} ${signal.action} ${signal.symbol}${price}`,
            signal.strategy,
          );
        },
        fill: (data) => {
          const { fill } = data as { fill: Fill };
          fills++;
          addLine(
            'fill',
            ` ${formatTime(fill.timeMs)} ${fill.strategy} ${fill.side} ${formatNumber(fill.quantity)} ${fill.symbol} @ ${formatNumber(fill.price)}`,
            fill.strategy,
          );
          charts.get(fill.symbol)?.chart.addFill(fill);
        },
        equity: (data) => equity?.add(data as EquityRow[]),
        strategyError: (data) => {
          const { strategy, message } = data as { strategy?: string; message?: string };
          failure.replaceChildren(
            errorBox(`Strategy ${strategy ?? ''} threw: ${message ?? JSON.stringify(data)}`),
          );
        },
        end: (data) => {
          const end = data as { state: string; error: string | null };
          setState(end.state, end.error);
          void api<SessionDetail>(`/sessions/${id}`).then((d) => {
            if (closed) return;
            setProgress(d.progress);
            setAverageRate(d);
            setMetrics(d.metrics);
          });
          // A backtest's bars are there after its end (read again from its source); an ended live
          // session has none: its charts keep what they drew.
          if (mode !== 'live') loadAllBars(true, true);
          // Results are stored when a session completes or is stopped; a failed one has none.
          if (equity === undefined)
            results.replaceChildren(empty('No paper results: this config has no execution section.'));
          else if (end.state === 'completed' || end.state === 'stopped') void showResults();
          else results.replaceChildren(empty(`No paper results: the session ended ${end.state}.`));
        },
      },
      (problem) => {
        const slot = document.getElementById('status');
        if (slot) slot.textContent = problem ?? '';
      },
    );
    cleanups.push(() => events.close());
  };
  void start();

  return () => {
    closed = true;
    for (const cleanup of cleanups) cleanup();
    for (const entry of charts.values()) entry.chart.remove();
    equity?.remove();
    const slot = document.getElementById('status');
    if (slot) slot.textContent = '';
    void state;
  };
}
