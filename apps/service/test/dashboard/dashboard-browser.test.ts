/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// (the page.evaluate callbacks run in the browser)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MarketReplayServer, serveFeedFromConfig } from '@strat/data/replay';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestService, type TestService } from '../support/test-service';
import {
  buildDashboard,
  CHROMIUM,
  canvasDrawn,
  HAVE_CHROMIUM,
  IN_CI,
  launch,
  OUTPUT_DIR,
  type WatchedPage,
  watchedPage,
} from './browser';

/**
 * The dashboard (web/, built with Vite) in real headless Chromium against a real service on
 * 127.0.0.1 with a temp data dir: the sessions page starts the demo, the session page follows it to
 * its end and shows the stored results; a sweep shows its heatmap; a live session over the local
 * replayer grows its chart while it runs; no console error on any page; a service with a token asks
 * for it and says when it is refused. Screenshots of each page go to test-output/ (gitignored;
 * docs/dashboard.png is a copy of session-ended-charts.png).
 */

if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(
    `\n!!! dashboard browser test SKIPPED: no Chromium at ${CHROMIUM}.\n` +
      '!!! Install it (apt-get install -y chromium) or set STRAT_CHROMIUM to a Chromium binary.\n',
  );
}

it.runIf(!HAVE_CHROMIUM && IN_CI)('has a Chromium to drive the dashboard (CI)', () => {
  expect.fail(`no Chromium at ${CHROMIUM}: CI must have it (.ci/run installs the Debian package chromium)`);
});

const TOKEN = 'dashboard-token-0123456789abcdef';
const FEED_KEY = 'dashboard-feed-key';
const FEED_SECRET = 'dashboard-feed-secret-7c2a';

async function shot(page: WatchedPage['page'], name: string): Promise<string> {
  const file = join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

describe.skipIf(!HAVE_CHROMIUM)('the dashboard in headless Chromium', () => {
  let dashboardDir: string;
  let service: TestService;
  let browser: Browser;

  beforeAll(async () => {
    // The page as `pnpm build` makes it, in a folder of this run's own.
    dashboardDir = mkdtempSync(join(tmpdir(), 'strat-dashboard-'));
    buildDashboard(dashboardDir);
    service = await startTestService({ dashboardDir, metricsIntervalMs: 200 });
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
    rmSync(dashboardDir, { recursive: true, force: true });
  });

  it('starts the demo from the sessions page and follows it to its results', async () => {
    const { page, problems, origins } = await watchedPage(browser);
    await page.goto(`${service.url}/`);
    await page.locator('#sessions-list .empty').waitFor();
    expect(await page.locator('#sessions-list').textContent()).toContain('No sessions yet');
    await shot(page, 'sessions-empty');

    await page.locator('#config-name').selectOption('demo');
    await page.locator('#start-named').click();
    await page.waitForURL(/#\/sessions\/[\w-]+$/);
    const id = page.url().split('/').at(-1)!;

    // Live: signals and fills stream in, the strategies' metrics appear.
    await page.locator('#stream li[data-kind="signal"]').first().waitFor({ timeout: 120_000 });
    await page.locator('#stream li[data-kind="fill"]').first().waitFor({ timeout: 120_000 });
    await page.locator('#metrics table tr[data-strategy="simple_ma_cross"]').waitFor();
    await shot(page, 'session-live');

    // The end: progress 100 %, completed, the results table.
    await page.locator('[data-figure="progress"] [data-percent="100.0"]').waitFor({ timeout: 170_000 });
    await page.locator('.session-head [data-state="completed"]').waitFor({ timeout: 60_000 });
    await page.locator('#results-table').waitFor();
    await page.locator('#trades-table').waitFor();

    const results = (await request(`${service.url}/sessions/${id}/results`)).body as {
      strategies: { strategy: string; stats: Record<string, number | null> }[];
      total: Record<string, number | null>;
    };
    const cells = await page.locator('#results-table td[data-stat]').evaluateAll((tds) =>
      tds.map((td) => ({
        strategy: (td as HTMLElement).dataset.strategy!,
        stat: (td as HTMLElement).dataset.stat!,
        value: JSON.parse((td as HTMLElement).dataset.value!) as number | null,
      })),
    );
    const expected = [
      ...results.strategies.map((s) => [s.strategy, s.stats] as const),
      ['total', results.total] as const,
    ].flatMap(([strategy, stats]) =>
      Object.entries(stats).map(([stat, value]) => ({ strategy, stat, value })),
    );
    expect(results.strategies.map((s) => s.strategy)).toEqual([
      'simple_ma_cross',
      'rsi_strategy',
      'vwap_strategy',
    ]);
    expect(cells).toHaveLength(expected.length);
    expect(cells).toEqual(expect.arrayContaining(expected));
    const trades = (await request(`${service.url}/sessions/${id}/trades?limit=1`)).body as { count: number };
    expect(await page.locator('#trades-table tbody tr').count()).toBe(Math.min(trades.count, 1000));

    // The signals the page counted are the stored ones.
    const stored = (await request(`${service.url}/sessions/${id}`)).body as { signals: number };
    expect(await page.locator('[data-figure="signals"]').textContent()).toBe(
      stored.signals.toLocaleString('en-US'),
    );

    // Charts: the candles of a traded symbol, equity and drawdown, drawn.
    await page.waitForFunction(() => document.querySelectorAll('[data-chart="candles"] canvas').length > 0);
    await expect.poll(() => canvasDrawn(page, '[data-chart="candles"][data-symbol="AAPL"]')).toBe(true);
    await expect.poll(() => canvasDrawn(page, '#equity-chart')).toBe(true);
    await expect.poll(() => canvasDrawn(page, '#drawdown-chart')).toBe(true);
    await shot(page, 'session-ended');
    await page.screenshot({ path: join(OUTPUT_DIR, 'session-ended-full.png'), fullPage: true });
    // From the top to the drawdown chart (docs/dashboard.png is a copy).
    const bottom = await page
      .locator('#drawdown-chart')
      .evaluate((e) => e.getBoundingClientRect().bottom + scrollY);
    await page.screenshot({
      path: join(OUTPUT_DIR, 'session-ended-charts.png'),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: bottom + 16 },
    });

    // Back to the list: the session is there, completed, with its return.
    await page.locator('a', { hasText: '← Sessions' }).click();
    const row = page.locator(`#sessions-list tr[data-id="${id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('completed');
    await expect
      .poll(() => row.locator(`[data-return="${id}"]`).textContent())
      .toBe(`${((results.total.totalReturn ?? 0) * 100).toFixed(2)} %`);
    await shot(page, 'sessions');

    // The state filter.
    await page.locator('#state-filter').selectOption('failed');
    await page.locator('#sessions-list .empty', { hasText: 'No failed session' }).waitFor();
    await page.locator('#state-filter').selectOption('completed');
    await row.waitFor();

    expect(problems).toEqual([]);
    expect([...origins]).toEqual([service.url]);
    await page.close();
  });

  it("shows a pasted config's problems at their JSON paths", async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${service.url}/`);
    await page.locator('summary', { hasText: 'paste' }).click();
    await page.locator('#config-json').fill('{ "mode": "bactest" ');
    await page.locator('#start-pasted').click();
    await page.locator('.error-box', { hasText: 'Not JSON' }).waitFor();

    // Checked in the page against the published JSON Schema: nothing is sent.
    await page
      .locator('#config-json')
      .fill(JSON.stringify({ mode: 'bactest', session_data_config: { symbols: [] } }));
    await page.locator('#start-pasted').click();
    await page.locator('.error-box', { hasText: 'published JSON Schema' }).waitFor();
    const issues = page.locator('.error-box .issues li');
    const texts = await issues.allTextContents();
    expect(texts).toContainEqual(expect.stringMatching(/^mode expected one of .*"backtest".*got "bactest"$/));
    expect(texts).toContain('session_data_config.symbols expected at least one item');
    await shot(page, 'sessions-config-errors');
    expect(problems).toEqual([]);

    // Valid by the schema, refused by the service (a module that resolves nowhere): its path too.
    const config = {
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02', speed_multiplier: 0 },
      session_data_config: {
        symbols: ['AAPL'],
        streams: ['1m'],
        strategies: [{ module: 'strategies.examples.no_such_strategy', config: { symbols: ['AAPL'] } }],
      },
      data_config: { source: 'generator', seed: 7 },
    };
    await page.locator('#config-json').fill(JSON.stringify(config));
    await page.locator('#start-pasted').click();
    await page.locator('.error-box', { hasText: 'CONFIG_INVALID' }).waitFor();
    expect(await page.locator('.error-box .issues .path').allTextContents()).toContain(
      'session_data_config.strategies[0].module',
    );
    // The refused POST is the only problem the console reports (Chromium logs every 4xx).
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    expect(problems.length).toBe(1);
    await page.close();
  });

  it('starts a sweep and shows its ranked rows and heatmap', async () => {
    const { page, problems, origins } = await watchedPage(browser);
    await page.goto(`${service.url}/#/sweeps`);
    await page.locator('#sweeps-list .empty').waitFor();
    await page.locator('#sweep-config').selectOption('demo');
    await page
      .locator('#sweep-params')
      .fill('simple_ma_cross.fast_period=5,8\nsimple_ma_cross.slow_period=20,30');
    await page.locator('#start-sweep').click();
    await page.waitForURL(/#\/sweeps\/[\w-]+$/);
    const id = page.url().split('/').at(-1)!;
    await page.locator('#sweep-progress [data-percent="100.0"]').waitFor({ timeout: 170_000 });
    await page.locator('.session-head [data-state="completed"]').waitFor({ timeout: 60_000 });
    const sweep = (await request(`${service.url}/sweeps/${id}`)).body as {
      rows: { rank: number; combination: Record<string, number>; stats: { sharpe: number } }[];
    };
    expect(sweep.rows).toHaveLength(4);
    // The ranked table in the service's order, the heatmap a cell per combination with its objective.
    await expect
      .poll(() =>
        page
          .locator('#ranked-table tbody tr')
          .evaluateAll((trs) => trs.map((tr) => Number((tr as HTMLElement).dataset.rank))),
      )
      .toEqual(sweep.rows.map((r) => r.rank));
    const cells = await page.locator('#heatmap-table td.cell').evaluateAll((tds) =>
      tds.map((td) => ({
        x: Number((td as HTMLElement).dataset.x),
        y: Number((td as HTMLElement).dataset.y),
        value: Number((td as HTMLElement).dataset.value),
        colour: getComputedStyle(td).backgroundColor,
      })),
    );
    expect(cells).toHaveLength(4);
    for (const row of sweep.rows) {
      expect(cells).toContainEqual(
        expect.objectContaining({
          x: row.combination['simple_ma_cross.fast_period'],
          y: row.combination['simple_ma_cross.slow_period'],
          value: row.stats.sharpe,
        }),
      );
    }
    // Coloured by value: the best and the worst cells differ.
    const sorted = [...cells].sort((a, b) => a.value - b.value);
    expect(sorted[0]!.colour).not.toBe(sorted.at(-1)!.colour);
    await shot(page, 'sweep');

    // The best combination runs as a session of its own.
    await page.locator('#run-best').click();
    await page.waitForURL(/#\/sessions\/[\w-]+$/);
    const sessionId = page.url().split('/').at(-1)!;
    const session = (await request(`${service.url}/sessions/${sessionId}`)).body as {
      config: { session_data_config: { strategies: { config: Record<string, unknown> }[] } };
    };
    const best = sweep.rows.find((r) => r.rank === 1)!;
    expect(session.config.session_data_config.strategies[0]!.config).toMatchObject({
      fast_period: best.combination['simple_ma_cross.fast_period'],
      slow_period: best.combination['simple_ma_cross.slow_period'],
    });
    await page.locator('.session-head [data-state]').waitFor();
    await page.goto(`${service.url}/#/sweeps`);
    await page.locator(`#sweeps-list tr[data-id="${id}"]`).waitFor();
    await shot(page, 'sweeps');
    expect(problems).toEqual([]);
    expect([...origins]).toEqual([service.url]);
    await page.close();
  });

  it('grows the chart of a live session over the local replayer while it runs', async () => {
    const historyDir = mkdtempSync(join(tmpdir(), 'strat-dashboard-live-'));
    const symbols = ['AAPL', 'MSFT'];
    const sessionData = {
      symbols,
      streams: ['1m'],
      strategies: [
        {
          module: 'strategies.examples.simple_ma_cross',
          config: { symbols, interval: '1m', fast_period: 2, slow_period: 3, follow_added_symbols: true },
        },
      ],
    };
    const history = join(historyDir, 'history.json');
    writeFileSync(
      history,
      JSON.stringify({
        mode: 'backtest',
        backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
        session_data_config: sessionData,
        data_config: { source: 'generator', seed: 7 },
      }),
    );
    // One trading day in about 40 s: time to see the chart grow.
    let replay: MarketReplayServer | undefined;
    const { page, problems, origins } = await watchedPage(browser);
    try {
      replay = await serveFeedFromConfig({
        path: history,
        port: 0,
        speed: 600,
        env: { STRAT_FEED_KEY: FEED_KEY, STRAT_FEED_SECRET: FEED_SECRET },
      });
      const config = {
        mode: 'live',
        session_data_config: sessionData,
        live_config: { feed_url: replay.url, clock: 'feed', key: FEED_KEY, secret: FEED_SECRET },
        execution: { initial_cash: 100000, sizing: { percent_equity: 30, lot_size: 1 } },
      };
      await page.goto(`${service.url}/`);
      await page.locator('summary', { hasText: 'paste' }).click();
      await page.locator('#config-json').fill(JSON.stringify(config, null, 2));
      await page.locator('#start-pasted').click();
      await page.waitForURL(/#\/sessions\/[\w-]+$/);
      const id = page.url().split('/').at(-1)!;
      const status = page.locator('[data-symbol="AAPL"]').locator('xpath=..').locator('figcaption .muted');
      const barCount = async () =>
        Number(/^([\d,]+) bars/.exec((await status.textContent()) ?? '')?.[1]?.replace(/,/g, '') ?? 0);
      await expect.poll(barCount, { timeout: 60_000 }).toBeGreaterThan(0);
      const first = await barCount();
      await expect.poll(barCount, { timeout: 60_000 }).toBeGreaterThan(first);
      expect((await request(`${service.url}/sessions/${id}`)).body.state).toBe('running');
      await expect.poll(() => canvasDrawn(page, '[data-chart="candles"][data-symbol="AAPL"]')).toBe(true);
      await page.locator('#stream li[data-kind="signal"]').first().waitFor({ timeout: 60_000 });
      await shot(page, 'session-live-feed');
      await page.locator('#stop-session').click();
      await page.locator('.session-head [data-state="stopped"]').waitFor({ timeout: 60_000 });
      expect(problems).toEqual([]);
      expect([...origins]).toEqual([service.url]);

      // A session that fails (the feed refuses its secret) says so, with the reason.
      await page.goto(`${service.url}/`);
      await page.locator('summary', { hasText: 'paste' }).click();
      const refused = { ...config, live_config: { ...config.live_config, secret: 'not-the-feed-secret' } };
      await page.locator('#config-json').fill(JSON.stringify(refused));
      await page.locator('#start-pasted').click();
      await page.waitForURL(/#\/sessions\/[\w-]+$/);
      await page.locator('.session-head [data-state="failed"]').waitFor({ timeout: 60_000 });
      const error = page.locator('#session-error .error-box');
      await error.waitFor();
      expect(await error.textContent()).toMatch(/^The session failed: .*auth/i);
      await shot(page, 'session-failed');
      // A bars request may race the failure (an ended live session has none: 404); nothing else.
      expect(problems.filter((p) => !/status of 404 .*\/bars\?/.test(p))).toEqual([]);
    } finally {
      await page.close();
      await replay?.close();
      rmSync(historyDir, { recursive: true, force: true });
    }
  });

  it('is keyboard navigable: links, selects and buttons take the focus in order, with a visible ring', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${service.url}/`);
    await page.locator('#sessions-list table, #sessions-list .empty').first().waitFor();
    const focused: { id: string; tag: string; text: string; outline: string }[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      focused.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          return {
            id: el.id,
            tag: el.tagName,
            text: (el.textContent ?? '').trim().slice(0, 20),
            outline: getComputedStyle(el).outlineStyle,
          };
        }),
      );
    }
    expect(focused.map((f) => f.id || f.text)).toEqual([
      'Skip to content',
      'strat',
      'Sessions',
      'Sweeps',
      'config-name',
      'start-named',
      'Or paste a config',
      'state-filter',
    ]);
    for (const f of focused) expect(f.outline, `${f.tag} ${f.text}`).not.toBe('none');
    // A link opens its page with Enter.
    await page.locator('a[data-nav="sweeps"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/sweeps$/);
    await page.locator('#sweeps-list table, #sweeps-list .empty').first().waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('follows the system into the dark theme, charts included', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${service.url}/`);
    await page.locator('#sessions-list table, #sessions-list .empty').first().waitFor();
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(11, 17, 32)',
    );
    const link = page.locator('#sessions-list tr[data-state="completed"] a').first();
    if ((await link.count()) > 0) {
      await link.click();
      await page.locator('[data-chart="candles"] canvas').first().waitFor();
      // The chart's own background is the dark theme's (#111827), read from its canvas.
      await expect
        .poll(() =>
          page.evaluate(() => {
            const canvas = document.querySelector<HTMLCanvasElement>('[data-chart="candles"] canvas')!;
            const [r, g, b] = canvas.getContext('2d')!.getImageData(2, 2, 1, 1).data;
            return [r, g, b];
          }),
        )
        .toEqual([0x11, 0x18, 0x27]);
    }
    await shot(page, 'dark');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('reads well at phone width', async () => {
    const { page, problems } = await watchedPage(browser, { width: 390, height: 844 });
    await page.goto(`${service.url}/`);
    await page.locator('#sessions-list table, #sessions-list .empty').first().waitFor();
    // Nothing wider than the screen but the scrolling tables.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await shot(page, 'sessions-phone');
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe.skipIf(!HAVE_CHROMIUM)('the dashboard of a service with a token', () => {
  let dashboardDir: string;
  let service: TestService;
  let browser: Browser;

  beforeAll(async () => {
    dashboardDir = mkdtempSync(join(tmpdir(), 'strat-dashboard-'));
    buildDashboard(dashboardDir);
    service = await startTestService({ dashboardDir, apiToken: TOKEN });
    browser = await launch();
  });

  let closed = false;
  afterAll(async () => {
    await browser?.close();
    if (!closed) await service?.close();
    rmSync(dashboardDir, { recursive: true, force: true });
  });

  it('asks for the token, says when it is refused, and works with the right one', async () => {
    const { page, problems } = await watchedPage(browser);
    await page.goto(`${service.url}/`);
    const dialog = page.locator('#token-dialog[open]');
    await dialog.waitFor();
    expect(await page.locator('#token-error').textContent()).toBe('');
    await page.locator('#token-input').fill('not-the-token-at-all');
    await page.locator('#token-dialog button[type="submit"]').click();
    await page.locator('#token-error', { hasText: 'refused' }).waitFor();
    await shot(page, 'token-refused');
    await page.locator('#token-input').fill(TOKEN);
    await page.locator('#token-dialog button[type="submit"]').click();
    await page.locator('#sessions-list .empty', { hasText: 'No sessions yet' }).waitFor();
    expect(await dialog.count()).toBe(0);
    // Kept for the tab: another page asks no more.
    await page.locator('a[data-nav="sweeps"]').click();
    await page.locator('#sweeps-list .empty').waitFor();
    expect(await dialog.count()).toBe(0);
    // The token is nowhere but in memory.
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie])).toEqual([
      0,
      0,
      '',
    ]);
    // Chromium logs each 401 answer; nothing else.
    expect(problems.filter((p) => !p.includes('status of 401'))).toEqual([]);

    // The service goes away: the page says so (and recovers nothing it cannot).
    await service.close();
    closed = true;
    await page.locator('#sweeps-list .error-box', { hasText: 'does not answer' }).waitFor();
    await shot(page, 'service-down');
    await page.close();
  });
});
