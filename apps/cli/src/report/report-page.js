// The report page's script: draws the charts from the embedded JSON with lightweight-charts (inlined
// before this script as window.LightweightCharts) and makes the trades table sortable.
(() => {
  const model = JSON.parse(document.getElementById('report-data').textContent);
  const { createChart, createSeriesMarkers, CandlestickSeries, LineSeries, ColorType } =
    window.LightweightCharts;

  const UP = '#16a34a';
  const DOWN = '#dc2626';

  function newChart(container) {
    return createChart(container, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: '#ffffff' },
        textColor: '#374151',
        fontFamily: getComputedStyle(document.body).fontFamily,
      },
      grid: { vertLines: { color: '#f1f3f5' }, horzLines: { color: '#f1f3f5' } },
      rightPriceScale: { borderColor: '#e5e7eb' },
      timeScale: { borderColor: '#e5e7eb', timeVisible: true, secondsVisible: false },
    });
  }

  function points(time, values) {
    const out = new Array(time.length);
    for (let i = 0; i < time.length; i++) out[i] = { time: time[i], value: values[i] };
    return out;
  }

  function drawCurves(container, key, format) {
    if (!container) return;
    const chart = newChart(container);
    // The total (the sum of every account) is drawn on its own scale, on the left, so the strategies'
    // curves are not flattened by it.
    if (key === 'equity' && model.curves.some((c) => c.total)) {
      chart.applyOptions({ leftPriceScale: { visible: true, borderColor: '#e5e7eb' } });
    }
    for (const curve of model.curves) {
      const series = chart.addSeries(LineSeries, {
        color: curve.color,
        lineWidth: curve.total ? 3 : 2,
        priceScaleId: curve.total && key === 'equity' ? 'left' : 'right',
        title: curve.name,
        priceFormat: { type: 'custom', formatter: format, minMove: 0.01 },
      });
      series.setData(points(curve.time, curve[key]));
    }
    chart.timeScale().fitContent();
  }

  function drawCandles(container, candles) {
    const chart = newChart(container);
    const series = chart.addSeries(CandlestickSeries, {
      upColor: UP,
      downColor: DOWN,
      borderUpColor: UP,
      borderDownColor: DOWN,
      wickUpColor: UP,
      wickDownColor: DOWN,
    });
    const { time, open, high, low, close } = candles.bars;
    const bars = new Array(time.length);
    for (let i = 0; i < time.length; i++) {
      bars[i] = { time: time[i], open: open[i], high: high[i], low: low[i], close: close[i] };
    }
    series.setData(bars);
    createSeriesMarkers(
      series,
      candles.markers.map((m) => ({
        time: m.time,
        position: m.side === 'buy' ? 'belowBar' : 'aboveBar',
        shape: m.kind === 'exit' ? 'circle' : m.side === 'buy' ? 'arrowUp' : 'arrowDown',
        color: m.color,
        text: m.text,
      })),
    );
    chart.timeScale().fitContent();
  }

  const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  drawCurves(document.getElementById('equity-chart'), 'equity', (v) => money.format(v));
  drawCurves(document.getElementById('drawdown-chart'), 'drawdown', (v) => `${v.toFixed(2)} %`);
  for (const container of document.querySelectorAll('[data-chart="candles"]')) {
    drawCandles(container, model.candles[Number(container.dataset.index)]);
  }

  // Sorting: a header click sorts by its column, ascending first, descending on the next click.
  for (const table of document.querySelectorAll('table.sortable')) {
    const headers = table.querySelectorAll('thead th');
    const body = table.tBodies[0];
    for (const button of table.querySelectorAll('thead button')) {
      button.addEventListener('click', () => {
        const column = Number(button.dataset.column);
        const header = headers[column];
        const descending = header.getAttribute('aria-sort') === 'ascending';
        const numeric = header.dataset.type === 'number';
        const rows = Array.from(body.rows);
        const key = (row) => row.cells[column].dataset.v;
        rows.sort((a, b) => {
          const order = numeric ? Number(key(a)) - Number(key(b)) : key(a).localeCompare(key(b));
          return descending ? -order : order;
        });
        for (const h of headers) h.setAttribute('aria-sort', 'none');
        header.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        body.append(...rows);
      });
    }
  }
})();
