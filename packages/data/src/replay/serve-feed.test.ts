import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@strat/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AlpacaBarFeed } from '../sources/feeds/alpaca/alpaca-bar-feed';
import type { FeedBar } from '../sources/feeds/bar-feed';
import type { MarketReplayServer } from './market-replay-server';
import { serveFeedFromConfig } from './serve-feed';

const env = { STRAT_FEED_KEY: 'k', STRAT_FEED_SECRET: 's' };
const servers: MarketReplayServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

function tmp(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'strat-serve-')), name);
  writeFileSync(path, text);
  return path;
}

async function firstBars(server: MarketReplayServer, symbol: string, count: number): Promise<FeedBar[]> {
  const feed = new AlpacaBarFeed({ url: server.url, key: 'k', secret: 's' });
  const bars: FeedBar[] = [];
  const enough = new Promise<void>((resolve) => {
    feed.on('bars', (b) => {
      bars.push(...b);
      if (bars.length >= count) resolve();
    });
  });
  void feed.subscribe([symbol]);
  await feed.connect();
  await enough;
  await feed.close();
  return bars;
}

describe('serveFeedFromConfig (strat feed serve)', () => {
  it('serves a CSV file: symbol from the file name, dates from its rows', async () => {
    const rows = ['timestamp,open,high,low,close,volume'];
    for (const [day, hour] of [
      ['2024-01-03', 14],
      ['2024-01-04', 14],
    ] as const) {
      for (let m = 30; m < 35; m++) rows.push(`${day}T${hour}:${m}:00Z,10,11,9,10.5,${m}`);
    }
    const path = tmp('spy.csv', `${rows.join('\n')}\n`);
    const server = await serveFeedFromConfig({ path, port: 0, speed: 6000, env });
    servers.push(server);
    expect(server.sessions.map((s) => s.date)).toEqual(['2024-01-03', '2024-01-04']);
    const bars = await firstBars(server, 'SPY', 3);
    expect(bars[0]).toMatchObject({
      symbol: 'SPY',
      time: Date.parse('2024-01-03T14:30:00Z'),
      close: 10.5,
      volume: 30,
    });
  });

  it('serves a session config over its backtest dates, with its credentials', async () => {
    const path = tmp(
      'live.json',
      JSON.stringify({
        mode: 'live',
        backtest_config: { start_date: '2024-01-05', end_date: '2024-01-08' },
        session_data_config: { symbols: ['AAPL'] },
        live_config: { key: 'k', secret: 's' },
      }),
    );
    const server = await serveFeedFromConfig({ path, port: 0, speed: 6000, env: {} });
    servers.push(server);
    expect(server.sessions.map((s) => s.date)).toEqual(['2024-01-05', '2024-01-08']);
    expect(server.speed).toBe(6000);
    expect((await firstBars(server, 'QQQ', 2))[0]?.time).toBe(Date.parse('2024-01-05T14:30:00Z'));
  });

  it('explains what is missing: dates, credentials, a free port', async () => {
    const noDates = tmp('x.json', JSON.stringify({ mode: 'live', session_data_config: { symbols: ['A'] } }));
    await expect(serveFeedFromConfig({ path: noDates, port: 0, env })).rejects.toThrow(
      /dates come from backtest_config .* or --from and --to/,
    );
    const server = await serveFeedFromConfig({
      path: noDates,
      port: 0,
      env,
      from: '2024-01-02',
      to: '2024-01-02',
    });
    servers.push(server);
    const error = await serveFeedFromConfig({ path: noDates, port: 0, env: {}, from: '2024-01-02' }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /pass --key and --secret, or set STRAT_FEED_KEY and STRAT_FEED_SECRET/,
    );
    await expect(
      serveFeedFromConfig({ path: noDates, port: server.port, env, from: '2024-01-02' }),
    ).rejects.toMatchObject({ code: 'REPLAY_LISTEN_FAILED' });
  });
});
