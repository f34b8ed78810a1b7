import { describe, expect, it } from 'vitest';
import { makeReportFixture } from '../../test/fixtures/report-fixture';
import { escapeHtml, jsonForScript } from './html-escape';
import { renderReport } from './render-report';
import { formatDuration, formatStat } from './report-format';

const HOSTILE = '</script><script>alert(1)</script>';

/** Whether the page holds `text` (a boolean, so a failure does not print the whole page). */
const has = (html: string, text: string): boolean => html.includes(text);

/** The bodies of every <script> element of a page, as the HTML parser would cut them. */
function scriptBodies(html: string): { attributes: string; body: string }[] {
  return [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script/gi)].map((m) => ({
    attributes: m[1]!,
    body: m[2]!,
  }));
}

describe('renderReport', () => {
  it('is one page with three scripts (data, chart library, page) and nothing fetched', () => {
    const html = renderReport(makeReportFixture({ longSeriesBars: 0 }));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    const scripts = scriptBodies(html);
    expect(scripts.map((s) => s.attributes.trim())).toEqual([
      'type="application/json" id="report-data"',
      '',
      '',
    ]);
    expect(scripts[1]!.body).toContain('LightweightCharts');
    // No element loads anything (the library's own source aside, which is one inline script).
    const markup = html.replace(scripts[1]!.body, '');
    expect(/\b(src|href)=/.test(markup)).toBe(false);
    expect(has(html, "default-src 'none'")).toBe(true);
  });

  it('keeps a hostile strategy name inside its elements', () => {
    const input = makeReportFixture({ strategies: [HOSTILE, 'plain'], longSeriesBars: 0 });
    input.results.session.config = { note: HOSTILE, line: '\u2028' };
    const html = renderReport(input);
    expect(has(html, '<script>alert(1)')).toBe(false);
    expect(has(html, 'alert(1)</script>')).toBe(false);
    // The HTML parser still sees exactly three scripts, and the data one parses back to the name.
    const scripts = scriptBodies(html);
    expect(scripts).toHaveLength(3);
    const data = JSON.parse(scripts[0]!.body) as { curves: { name: string }[] };
    expect(data.curves.map((c) => c.name)).toEqual([HOSTILE, 'plain', 'total']);
    expect(scripts[0]!.body).not.toMatch(/[<>&\u2028]/);
    // In text and attributes it is escaped.
    expect(has(html, `<li>${escapeHtml(HOSTILE)}</li>`)).toBe(true);
    expect(has(html, `data-strategy="${escapeHtml(HOSTILE)}"`)).toBe(true);
  });

  it('labels the fills of a price chart with a few dozen, and leaves the labels out past that', () => {
    const dataOf = (html: string) =>
      JSON.parse(scriptBodies(html)[0]!.body) as { candles: { markers: { text: string }[] }[] };
    // Two strategies trade 16 fills on the chart; eight trade 64.
    const few = renderReport(makeReportFixture({ longSeriesBars: 0 }));
    const fewMarkers = dataOf(few).candles[0]!.markers;
    expect(fewMarkers).toHaveLength(16);
    expect(fewMarkers.every((m) => /^(buy|sell|exit) \d+$/.test(m.text))).toBe(true);
    expect(has(few, '300 bars, 16 fills</span>')).toBe(true);
    const strategies = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const many = renderReport(makeReportFixture({ strategies, longSeriesBars: 0 }));
    const manyMarkers = dataOf(many).candles[0]!.markers;
    expect(manyMarkers).toHaveLength(64);
    expect(manyMarkers.every((m) => m.text === '')).toBe(true);
    expect(has(many, '300 bars, 64 fills (unlabelled past 60: see the trades table)</span>')).toBe(true);
  });

  it('shows every stat of every strategy and of the total, formatted', () => {
    const input = makeReportFixture({ longSeriesBars: 0 });
    const html = renderReport(input);
    const columns = [
      ...input.results.strategies.map((s) => [s.strategy, s.stats] as const),
      ['total', input.results.total] as const,
    ];
    for (const [name, stats] of columns) {
      for (const [field, value] of Object.entries(stats)) {
        const text = escapeHtml(formatStat(field as keyof typeof stats, value));
        const cell = `data-strategy="${name}" data-stat="${field}">${text}</td>`;
        expect(has(html, cell), cell).toBe(true);
      }
    }
  });

  it('says when a series is drawn at a coarser interval', () => {
    const html = renderReport(makeReportFixture({ longSeriesBars: 6000 }));
    expect(has(html, '6,000 bars, drawn as 1,200 bars of 5m')).toBe(true);
    const data = JSON.parse(scriptBodies(html)[0]!.body) as { candles: { bars: { time: number[] } }[] };
    expect(data.candles.map((c) => c.bars.time.length)).toEqual([300, 1200]);
  });
});

describe('jsonForScript', () => {
  it('escapes what could end or comment out a script, and still parses to the same value', () => {
    const value = { a: HOSTILE, b: '<!-- & -->', c: 'x\u2028y\u2029z' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('formatStat', () => {
  it('shows fractions as percents, an infinite profit factor as ∞ and durations in days and hours', () => {
    expect(formatStat('totalReturn', 0.12345)).toBe('12.35 %');
    expect(formatStat('maxDrawdown', 0.0831)).toBe('8.31 %');
    expect(formatStat('exposurePct', 41.5)).toBe('41.50 %');
    expect(formatStat('profitFactor', null)).toBe('∞');
    expect(formatStat('sharpe', null)).toBe('–');
    expect(formatStat('finalEquity', 1234567.891)).toBe('1,234,567.89');
    expect(formatStat('trades', 1234)).toBe('1,234');
    expect(formatStat('turnover', 3.2)).toBe('3.20×');
    expect(formatStat('maxDrawdownDurationMs', 76 * 3_600_000)).toBe('3d 4h');
    expect(formatDuration(135 * 60_000)).toBe('2h 15m');
    expect(formatDuration(0)).toBe('0m');
  });
});
