/**
 * The report page's stylesheet: a light theme in system fonts. A string rather than a .css file: vitest
 * empties imported CSS, so `?raw` would give the tests an unstyled page.
 */
export const PAGE_STYLE = `
:root {
  color-scheme: light;
  --text: #1f2937;
  --muted: #6b7280;
  --line: #e5e7eb;
  --panel: #f9fafb;
  --up: #15803d;
  --down: #b91c1c;
}
* {
  box-sizing: border-box;
}
body {
  margin: 0;
  background: #ffffff;
  color: var(--text);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
main {
  max-width: 1200px;
  margin: 0 auto;
  padding: 24px 24px 48px;
}
h1 {
  margin: 0 0 4px;
  font-size: 24px;
}
h2 {
  margin: 32px 0 12px;
  font-size: 18px;
}
.muted,
.run {
  color: var(--muted);
  font-weight: normal;
  font-size: 13px;
}
.run {
  margin: 0 0 8px;
}
.strategies {
  display: flex;
  flex-wrap: wrap;
  gap: 6px;
  margin: 0 0 16px;
  padding: 0;
  list-style: none;
}
.strategies li {
  padding: 2px 10px;
  border: 1px solid var(--line);
  border-radius: 999px;
  background: var(--panel);
  font-size: 13px;
}
.figures {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(150px, 1fr));
  gap: 12px;
}
.figure {
  padding: 10px 14px;
  border: 1px solid var(--line);
  border-radius: 8px;
  background: var(--panel);
}
.figure span {
  display: block;
  color: var(--muted);
  font-size: 12px;
}
.figure strong {
  font-size: 20px;
  font-variant-numeric: tabular-nums;
}
.up strong,
td.win {
  color: var(--up);
}
.down strong,
td.loss {
  color: var(--down);
}
.scroll {
  overflow-x: auto;
}
table {
  border-collapse: collapse;
  font-variant-numeric: tabular-nums;
  white-space: nowrap;
}
th,
td {
  padding: 4px 12px;
  border-bottom: 1px solid var(--line);
  text-align: left;
}
thead th {
  background: var(--panel);
  font-weight: 600;
}
.num {
  text-align: right;
}
th.total,
td[data-strategy="total"] {
  font-weight: 600;
}
table.stats tbody th {
  font-weight: normal;
  color: var(--muted);
}
table.trades {
  font-size: 13px;
}
table.trades tbody tr:hover {
  background: var(--panel);
}
th button {
  padding: 0;
  border: 0;
  background: none;
  font: inherit;
  color: inherit;
  cursor: pointer;
}
th[aria-sort="ascending"] button::after {
  content: " ▲";
}
th[aria-sort="descending"] button::after {
  content: " ▼";
}
figure {
  margin: 0 0 24px;
}
figcaption {
  margin-bottom: 6px;
}
.chart {
  height: 360px;
  border: 1px solid var(--line);
  border-radius: 8px;
  overflow: hidden;
}
.chart.short {
  height: 220px;
}
.legend {
  display: flex;
  gap: 16px;
  margin: 0 0 8px;
  padding: 0;
  list-style: none;
  font-size: 13px;
}
.swatch {
  display: inline-block;
  width: 12px;
  height: 3px;
  margin-right: 6px;
  vertical-align: middle;
}
details {
  margin-bottom: 12px;
}
summary {
  cursor: pointer;
  font-weight: 600;
}
pre {
  max-height: 420px;
  overflow: auto;
  padding: 12px;
  border: 1px solid var(--line);
  border-radius: 8px;
  background: var(--panel);
  font-size: 12px;
}
.empty {
  color: var(--muted);
}
`;
