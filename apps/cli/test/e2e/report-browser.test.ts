/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (the page.evaluate callbacks run in the browser)
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/render-report';
import { formatStat } from '../../src/report/report-format';
import type { ReportStats } from '../../src/report/report-input';
import { makeIdleReportFixture, makeReportFixture } from '../fixtures/report-fixture';

/**
 * The rendered report in real headless Chromium (Debian's `chromium`, driven by playwright-core): it
 * draws without errors or requests, every chart shows something, the stats table shows the input's
 * numbers and the trades table sorts. The browser is STRAT_CHROMIUM or /usr/bin/chromium (`.ci/run`
 * installs it). Without one the suite fails in CI and is skipped, loudly, elsewhere.
 *
 * STRAT_REPORT_SCREENSHOT=<file.png> also saves a screenshot of the page's top (apps/cli/docs/report.png).
 */
const CHROMIUM = process.env.STRAT_CHROMIUM || '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(
    `\n!!! report browser test SKIPPED: no Chromium at ${CHROMIUM}.\n` +
      '!!! Install it (apt-get install -y chromium) or set STRAT_CHROMIUM to a Chromium binary.\n',
  );
}

/** Colours of the candles in the page's script. */
const UP: Rgb = [0x16, 0xa3, 0x4a];
const DOWN: Rgb = [0xdc, 0x26, 0x26];
type Rgb = [number, number, number];

/** Per chart on the page: its kind and, over its price pane, how many colours and how many pixels near each given colour. */
interface ChartPixels {
  kind: string;
  width: number;
  height: number;
  colours: number;
  near: number[];
}

async function chartPixels(page: Page, colours: Rgb[]): Promise<ChartPixels[]> {
  return page.evaluate((targets) => {
    return [...document.querySelectorAll<HTMLElement>('.chart')].map((chart) => {
      const canvases = [...chart.querySelectorAll('canvas')];
      const area = (c: HTMLCanvasElement) => c.width * c.height;
      const largest = Math.max(0, ...canvases.map(area));
      // The price pane is the largest canvas (with its crosshair layer of the same size).
      const pane = canvases.filter((c) => area(c) === largest && largest > 0);
      const seen = new Set<number>();
      const near = targets.map(() => 0);
      for (const canvas of pane) {
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] === 0) continue;
          seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
          targets.forEach(([r, g, b], k) => {
            if (Math.abs(data[i]! - r) + Math.abs(data[i + 1]! - g) + Math.abs(data[i + 2]! - b) <= 24)
              near[k]!++;
          });
        }
      }
      return {
        kind: chart.dataset.chart ?? '',
        width: pane[0]?.width ?? 0,
        height: pane[0]?.height ?? 0,
        colours: seen.size,
        near,
      };
    });
  }, colours);
}

const hexToRgb = (hex: string): Rgb => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as Rgb;

// In CI a missing browser is a failing test (not a broken file: CI's summary counts failed tests).
it.runIf(!HAVE_CHROMIUM && IN_CI)('has a Chromium to drive the report (CI)', () => {
  expect.fail(`no Chromium at ${CHROMIUM}: CI must have it (.ci/run installs the Debian package chromium)`);
});

describe.skipIf(!HAVE_CHROMIUM)('the HTML report in headless Chromium', () => {
  const input = makeReportFixture();
  const dir = mkdtempSync(join(tmpdir(), 'strat-report-'));
  const file = join(dir, 'report.html');
  const problems: string[] = [];
  const requests: string[] = [];
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    writeFileSync(file, renderReport(input));
    browser = await chromium.launch({ executablePath: CHROMIUM });
    page = await browser.newPage({ viewport: { width: 1024, height: 900 }, deviceScaleFactor: 1 });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // Charts draw on animation frames: wait until every chart's pane has more than its background.
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.chart')].every((chart) =>
        [...chart.querySelectorAll('canvas')].some((canvas) => {
          if (canvas.width === 0 || canvas.height === 0) return false;
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 4; i < data.length; i += 4) {
            if (
              data[i] !== data[0] ||
              data[i + 1] !== data[1] ||
              data[i + 2] !== data[2] ||
              data[i + 3] !== data[3]
            )
              return true;
          }
          return false;
        }),
      ),
    );
  });

  afterAll(async () => {
    const screenshot = process.env.STRAT_REPORT_SCREENSHOT;
    if (screenshot && page) {
      // From the top to the first price chart: the run, the stats, equity, drawdown and one symbol.
      const bottom = await page
        .locator('figure')
        .first()
        .evaluate((f) => f.getBoundingClientRect().bottom + scrollY);
      await page.screenshot({
        path: screenshot,
        fullPage: true,
        clip: { x: 0, y: 0, width: 1024, height: bottom + 16 },
      });
    }
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads without console errors, page errors or any request but the file itself', () => {
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
  });

  it('draws every chart: candles in both colours, every equity and drawdown curve in its colour', async () => {
    const model = JSON.parse((await page.locator('#report-data').textContent()) ?? '') as {
      curves: { name: string; color: string }[];
    };
    const curveColours = model.curves.map((c) => hexToRgb(c.color));
    expect(model.curves.map((c) => c.name)).toEqual(['sma_cross', 'rsi_reversion', 'total']);
    const charts = await chartPixels(page, [UP, DOWN, ...curveColours]);
    expect(charts.map((c) => c.kind)).toEqual(['equity', 'drawdown', 'candles', 'candles']);
    for (const chart of charts) {
      expect(chart.width, chart.kind).toBeGreaterThan(500);
      expect(chart.height, chart.kind).toBeGreaterThan(150);
      expect(chart.colours, chart.kind).toBeGreaterThan(2);
      const [up, down, ...curves] = chart.near;
      if (chart.kind === 'candles') {
        expect(up, 'up candles').toBeGreaterThan(100);
        expect(down, 'down candles').toBeGreaterThan(100);
      } else {
        for (const [k, pixels] of curves.entries()) {
          expect(pixels, `${chart.kind} of ${model.curves[k]!.name}`).toBeGreaterThan(50);
        }
      }
    }
  });

  it('shows every number of the stats in the stats table, as the report formats it', async () => {
    const cells = await page.locator('td[data-stat]').evaluateAll((tds) =>
      tds.map((td) => ({
        strategy: td.dataset.strategy!,
        stat: td.dataset.stat!,
        text: td.textContent ?? '',
      })),
    );
    const columns = [
      ...input.results.strategies.map((s) => [s.strategy, s.stats] as const),
      ['total', input.results.total] as const,
    ];
    const expected = columns.flatMap(([strategy, stats]) =>
      (Object.keys(stats) as (keyof ReportStats)[]).map((stat) => ({
        strategy,
        stat,
        text: formatStat(stat, stats[stat]),
      })),
    );
    expect(cells).toHaveLength(expected.length);
    expect(cells).toEqual(expect.arrayContaining(expected));
    // Spot checks of the formatting itself, from the fixture's numbers.
    expect(cells).toContainEqual({ strategy: 'rsi_reversion', stat: 'profitFactor', text: '∞' });
    expect(cells).toContainEqual({ strategy: 'sma_cross', stat: 'sharpe', text: '1.46' });
    expect(cells).toContainEqual({ strategy: 'total', stat: 'initialCash', text: '200,000.00' });
  });

  it('sorts the trades table by net P&L, ascending then descending, moving whole rows', async () => {
    const headers = await page.locator('table.trades thead th').allTextContents();
    const column = headers.indexOf('Net P&L');
    expect(column).toBeGreaterThan(0);
    const rows = async () =>
      page.locator('table.trades tbody tr').evaluateAll(
        (trs, c) =>
          trs.map((tr) => ({
            net: Number((tr as HTMLTableRowElement).cells[c]!.dataset.v),
            text: tr.textContent ?? '',
          })),
        column,
      );
    const before = await rows();
    const ascending = [...before].sort((a, b) => a.net - b.net);
    expect(before.length).toBe(input.trades.net_pnl.length);
    expect(before.map((r) => r.net)).not.toEqual(ascending.map((r) => r.net));

    const button = page.locator('table.trades thead th button', { hasText: 'Net P&L' });
    await button.click();
    const afterFirst = await rows();
    expect(afterFirst.map((r) => r.net)).toEqual(ascending.map((r) => r.net));
    expect(new Set(afterFirst.map((r) => r.text))).toEqual(new Set(before.map((r) => r.text)));
    expect(afterFirst[0]!.text).toBe(ascending[0]!.text);
    expect(await page.locator('table.trades thead th').nth(column).getAttribute('aria-sort')).toBe(
      'ascending',
    );

    await button.click();
    const afterSecond = await rows();
    expect(afterSecond.map((r) => r.net)).toEqual(ascending.map((r) => r.net).reverse());
    expect(afterSecond[0]!.text).toBe(ascending.at(-1)!.text);
    expect(await page.locator('table.trades thead th').nth(column).getAttribute('aria-sort')).toBe(
      'descending',
    );
  });

  it('shows the whole run in every chart, however many points it draws (up to the downsampling threshold)', async () => {
    // 4,000 bars and equity rows: more than the charts' default smallest bar spacing (half a pixel) lets
    // fit in a pane this wide, fewer than the downsampling threshold. The first 1,000 are high, the rest
    // flat: a chart showing the whole run draws the fall; one showing only its latest part (the library
    // fits some 2,000 points here by default), a flat line.
    const long = makeReportFixture({ bars: 4_000, longSeriesBars: 0 });
    const high = (i: number) => i < 1_000;
    const equity = long.equity.equity as number[];
    const rows = equity.length / long.results.strategies.length;
    for (let i = 0; i < equity.length; i++) equity[i] = high(i % rows) ? 130_000 : 100_000;
    for (const column of ['open', 'high', 'low', 'close'] as const) {
      const values = long.bars[column] as number[];
      for (let i = 0; i < values.length; i++) values[i] = high(i) ? 200 : 100;
    }
    const longFile = join(dir, 'long.html');
    writeFileSync(longFile, renderReport(long));
    const longPage = await browser.newPage({ viewport: { width: 1024, height: 900 }, deviceScaleFactor: 1 });
    await longPage.goto(pathToFileURL(longFile).href, { waitUntil: 'load' });
    await longPage.waitForTimeout(300);
    // Per chart: how many pixel rows of its price pane hold a pixel that is not the background's.
    const extents = await longPage.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.chart')].map((chart) => {
        const canvases = [...chart.querySelectorAll('canvas')];
        const area = (c: HTMLCanvasElement) => c.width * c.height;
        const pane = canvases.reduce((a, b) => (area(b) > area(a) ? b : a));
        const { width, height } = pane;
        const data = pane.getContext('2d')!.getImageData(0, 0, width, height).data;
        let rowsDrawn = 0;
        for (let y = 0; y < height; y++) {
          let drawn = false;
          // The pane's left part, where the fall is (the last value's price line runs across the whole pane).
          for (let x = Math.floor(width * 0.02); x < width * 0.6 && !drawn; x++) {
            const i = (y * width + x) * 4;
            // Not white (the background) nor the light grid.
            drawn = data[i + 3]! > 0 && data[i]! + data[i + 1]! + data[i + 2]! < 600;
          }
          if (drawn) rowsDrawn++;
        }
        return { kind: chart.dataset.chart, height, rowsDrawn };
      }),
    );
    await longPage.close();
    expect(extents.map((e) => e.kind)).toEqual(['equity', 'drawdown', 'candles']);
    for (const e of extents)
      expect(e.rowsDrawn, `${e.kind}: ${JSON.stringify(e)}`).toBeGreaterThan(e.height / 4);
  });

  it('shows a run that traded nothing without errors: flat curves, no price chart, no trades', async () => {
    const idleFile = join(dir, 'idle.html');
    writeFileSync(idleFile, renderReport(makeIdleReportFixture()));
    const idle = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    const idleProblems: string[] = [];
    idle.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning')
        idleProblems.push(`console ${m.type()}: ${m.text()}`);
    });
    idle.on('pageerror', (error) => idleProblems.push(`page error: ${error.message}`));
    await idle.goto(pathToFileURL(idleFile).href, { waitUntil: 'load' });
    await idle.waitForFunction(() => document.querySelectorAll('#equity-chart canvas').length > 0);
    expect(
      await idle.locator('[data-chart]').evaluateAll((els) => els.map((e) => e.getAttribute('data-chart'))),
    ).toEqual(['equity', 'drawdown']);
    expect(await idle.locator('p.empty').allTextContents()).toEqual(['No closed trades.']);
    expect(await idle.locator('td[data-strategy="idle"][data-stat="trades"]').textContent()).toBe('0');
    await idle.close();
    expect(idleProblems).toEqual([]);
  });
});
