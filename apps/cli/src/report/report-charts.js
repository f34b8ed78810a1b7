// How the report and the service's dashboard draw their charts with lightweight-charts: one module for
// both, so they draw the same way. Each function takes the library (`window.LightweightCharts` in the
// report, the ES module's namespace in the dashboard) as its first argument. The report inlines this file
// as a classic script (render-report.ts drops the `export` keywords), so it holds nothing but `export`ed
// declarations; the dashboard imports it (with report-charts.d.ts for its types).

/** Colours of up and down candles. */
export const UP = '#16a34a';
export const DOWN = '#dc2626';

/**
 * The smallest spacing of a chart's points, in pixels (the library's default is half one, so that
 * `fitContent` would show only the newest ~2,000 points of a pane): a twentieth, so a whole run fits,
 * up to the 5,000 points the report downsamples to and the thousands the dashboard draws.
 */
export const MIN_BAR_SPACING = 0.05;

/** A price chart with more fills than this draws them without labels ("buy 100"): they would only overlap. */
export const MAX_LABELLED_FILLS = 60;

/** The report's colours (white paper); the dashboard passes its dark colours when the system is dark. */
export const LIGHT_THEME = { background: '#ffffff', text: '#374151', grid: '#f1f3f5', border: '#e5e7eb' };

/**
 * A chart sized by its container, time axis in minutes, in the theme's colours, that can show every
 * point it is given at once (`fitContent` then does). A theme with
 * `attributionLogo: false` leaves out TradingView's logo (it is a `<style>` element, which the
 * dashboard's Content-Security-Policy refuses; the dashboard credits TradingView in its footer instead).
 */
export function newChart(lib, container, theme = LIGHT_THEME) {
  return lib.createChart(container, {
    autoSize: true,
    layout: {
      attributionLogo: theme.attributionLogo !== false,
      background: { type: lib.ColorType.Solid, color: theme.background },
      textColor: theme.text,
      fontFamily: getComputedStyle(document.body).fontFamily,
    },
    grid: { vertLines: { color: theme.grid }, horzLines: { color: theme.grid } },
    rightPriceScale: { borderColor: theme.border },
    leftPriceScale: { borderColor: theme.border },
    timeScale: {
      borderColor: theme.border,
      timeVisible: true,
      secondsVisible: false,
      minBarSpacing: MIN_BAR_SPACING,
    },
  });
}

/** `{ time, value }` points of two columns. */
export function linePoints(time, values) {
  const out = new Array(time.length);
  for (let i = 0; i < time.length; i++) out[i] = { time: time[i], value: values[i] };
  return out;
}

/** Candlestick rows of OHLC columns (times in epoch seconds). */
export function candleRows(bars) {
  const { time, open, high, low, close } = bars;
  const rows = new Array(time.length);
  for (let i = 0; i < time.length; i++) {
    rows[i] = { time: time[i], open: open[i], high: high[i], low: low[i], close: close[i] };
  }
  return rows;
}

/** A fill `{ time, side, kind, color, text }` as a marker: an arrow opens or reverses, a circle closes. */
export function fillMarker(m) {
  return {
    time: m.time,
    position: m.side === 'buy' ? 'belowBar' : 'aboveBar',
    shape: m.kind === 'exit' ? 'circle' : m.side === 'buy' ? 'arrowUp' : 'arrowDown',
    color: m.color,
    text: m.text,
  };
}

/** A candlestick chart of `candles.bars` with `candles.markers`; its chart, series and markers. */
export function drawCandles(lib, container, candles, theme = LIGHT_THEME) {
  const chart = newChart(lib, container, theme);
  const series = chart.addSeries(lib.CandlestickSeries, {
    upColor: UP,
    downColor: DOWN,
    borderUpColor: UP,
    borderDownColor: DOWN,
    wickUpColor: UP,
    wickDownColor: DOWN,
  });
  series.setData(candleRows(candles.bars));
  const markers = lib.createSeriesMarkers(series, candles.markers.map(fillMarker));
  chart.timeScale().fitContent();
  return { chart, series, markers };
}

/**
 * Equity (`key` "equity") or drawdown ("drawdown") curves, one line per curve in its colour; the total
 * (the sum of every account) on its own scale, on the left, so the strategies' curves are not flattened
 * by it. Returns the chart and each curve's series, by name.
 */
export function drawCurves(lib, container, curves, key, format, theme = LIGHT_THEME) {
  const chart = newChart(lib, container, theme);
  if (key === 'equity' && curves.some((c) => c.total)) {
    chart.applyOptions({ leftPriceScale: { visible: true } });
  }
  const series = new Map();
  for (const curve of curves) {
    const line = chart.addSeries(lib.LineSeries, {
      color: curve.color,
      lineWidth: curve.total ? 3 : 2,
      priceScaleId: curve.total && key === 'equity' ? 'left' : 'right',
      title: curve.name,
      priceFormat: { type: 'custom', formatter: format, minMove: 0.01 },
    });
    line.setData(linePoints(curve.time, curve[key]));
    series.set(curve.name, line);
  }
  chart.timeScale().fitContent();
  return { chart, series };
}
