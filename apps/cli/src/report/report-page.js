// The report page's script: draws the charts from the embedded JSON with lightweight-charts (inlined
// before this script as window.LightweightCharts) and report-charts.js, and makes the trades table sortable.
(() => {
  const model = JSON.parse(document.getElementById('report-data').textContent);
  // newChart, drawCurves, drawCandles: report-charts.js, inlined before this script (shared with the
  // service's dashboard, so both draw the same way).
  const lib = window.LightweightCharts;

  const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const equityChart = document.getElementById('equity-chart');
  if (equityChart) drawCurves(lib, equityChart, model.curves, 'equity', (v) => money.format(v));
  const drawdownChart = document.getElementById('drawdown-chart');
  if (drawdownChart) drawCurves(lib, drawdownChart, model.curves, 'drawdown', (v) => `${v.toFixed(2)} %`);
  for (const container of document.querySelectorAll('[data-chart="candles"]')) {
    drawCandles(lib, container, model.candles[Number(container.dataset.index)]);
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
