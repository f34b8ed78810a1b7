import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionSummary } from '@strat/runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseJournal, type RunningStrat, runStrat, scratchDir, startStrat } from '../strat-process';

const KEY = 'e2e-feed-key';
const SECRET = 'e2e-feed-secret-7c41';
const credentials = { STRAT_FEED_KEY: KEY, STRAT_FEED_SECRET: SECRET, STRAT_FEED_URL: undefined };

let scratch: ReturnType<typeof scratchDir>;
const running: RunningStrat[] = [];

/**
 * A live config that doubles as the replayer's history: `strat feed serve` reads its
 * backtest_config and data_config, `strat run` follows the feed, `strat run --mode backtest`
 * replays the same bars data-driven.
 */
function writeLiveConfig(name: string, feedUrl: string): string {
  const path = join(scratch.dir, name);
  writeFileSync(
    path,
    JSON.stringify({
      mode: 'live',
      live_config: { feed_url: feedUrl, clock: 'feed', end_date: '2024-01-02' },
      backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
      session_data_config: {
        symbols: ['AAPL', 'MSFT'],
        streams: ['1m', '5m'],
        strategies: [
          {
            module: 'strategies.examples.simple_ma_cross',
            config: { symbols: ['AAPL', 'MSFT'], interval: '5m', fast_period: 3, slow_period: 8 },
          },
          {
            module: 'strategies.examples.rsi_strategy',
            config: { symbols: ['AAPL', 'MSFT'], interval: '1m', rsi_period: 7 },
          },
        ],
      },
      data_config: { source: 'generator', seed: 7 },
    }),
  );
  return path;
}

/** How long a process may take to print what a test waits for. */
const WAIT = { timeout: 40_000, interval: 25 };

/** Starts `strat feed serve <config> --port 0` and resolves with the process and the URL it printed. */
async function serve(config: string, speed: number): Promise<{ server: RunningStrat; url: string }> {
  const server = startStrat(['feed', 'serve', config, '--port', '0', '--speed', String(speed)], {
    env: credentials,
  });
  running.push(server);
  const listening = /listening +(ws:\/\/127\.0\.0\.1:(\d+))\n/;
  await vi.waitFor(() => {
    if (server.child.exitCode === null) expect(server.output.stdout).toMatch(listening);
  }, WAIT);
  const match = listening.exec(server.output.stdout);
  if (match?.[1] === undefined) throw new Error(`strat feed serve did not start: ${server.output.stderr}`);
  return { server, url: match[1] };
}

const signalsOf = (lines: Array<Record<string, unknown>>, strategy: string) =>
  lines
    .filter((line) => line.strategy === strategy)
    .map((line) => `${line.symbol} ${line.action} ${line.barTime} ${line.price}`);

beforeAll(() => {
  scratch = scratchDir('feed');
});

afterEach(() => {
  for (const process of running.splice(0)) if (process.child.exitCode === null) process.child.kill('SIGKILL');
});

afterAll(() => scratch.remove());

describe('strat feed serve and a live strat run', () => {
  it('a live run against the replayer journals the signals of a data-driven run over the same bars', async () => {
    // A config to serve (its feed_url is not used by the server).
    const history = writeLiveConfig('history.json', 'ws://127.0.0.1:1');
    const { server, url } = await serve(history, 6000);
    expect(server.output.stdout).toContain(`replaying session config ${history} at 6000x`);
    expect(server.output.stdout).toMatch(
      /symbols +any symbol a client subscribes \(the config's: AAPL, MSFT\)/,
    );
    expect(server.output.stdout).toMatch(/dates +2024-01-02 to 2024-01-02: 1 session, 4s of replay/);
    expect(server.output.stdout).toMatch(/credentials +from STRAT_FEED_KEY and STRAT_FEED_SECRET/);

    const config = writeLiveConfig('live.json', url);
    const liveJournal = join(scratch.dir, 'live.jsonl');
    const live = await runStrat(['run', config, '--out', liveJournal, '--json'], { env: credentials });
    expect(live.code, live.stderr).toBe(0);
    const summary = JSON.parse(live.stdout) as SessionSummary;
    expect(summary).toMatchObject({
      state: 'completed',
      mode: 'live',
      startDate: '2024-01-02',
      endDate: '2024-01-02',
    });
    expect(summary.bars).toMatchObject({ barsDone: 2 * 390, sessions: 1, lateBars: 0 });
    expect(live.stderr).toContain(`[info] feed: streaming from ${url}/`);

    // The replay is over and its only client left: the server ends by itself.
    const served = await server.done;
    expect(served.code, served.stderr).toBe(0);
    expect(served.stderr).toContain('replay: client 1 subscribed: AAPL, MSFT');
    expect(served.stderr).toContain('replay: replay finished: 780 bars sent');

    const backtestJournal = join(scratch.dir, 'backtest.jsonl');
    const backtest = await runStrat([
      'run',
      config,
      '--mode',
      'backtest',
      '--out',
      backtestJournal,
      '--quiet',
    ]);
    expect(backtest.code, backtest.stderr).toBe(0);
    const liveLines = parseJournal(readFileSync(liveJournal, 'utf8'));
    const backtestLines = parseJournal(readFileSync(backtestJournal, 'utf8'));
    expect(liveLines.length).toBe(summary.signals);
    for (const strategy of ['simple_ma_cross', 'rsi_strategy']) {
      expect(signalsOf(backtestLines, strategy).length).toBeGreaterThan(2);
      expect(signalsOf(liveLines, strategy)).toEqual(signalsOf(backtestLines, strategy));
    }
    for (const output of [live.stdout, live.stderr, served.stdout, served.stderr]) {
      expect(output).not.toContain(SECRET);
      expect(output).not.toContain(KEY);
    }
  });

  it('refuses wrong credentials clearly, stops a live run at Ctrl-C, and closes the server at Ctrl-C', async () => {
    const history = writeLiveConfig('slow-history.json', 'ws://127.0.0.1:1');
    const { server, url } = await serve(history, 300);
    const config = writeLiveConfig('slow-live.json', url);

    const refused = await runStrat(['run', config], {
      env: { ...credentials, STRAT_FEED_SECRET: 'not-the-secret' },
    });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(
      'error: the feed refused the credentials: check live_config.key and live_config.secret (or STRAT_FEED_KEY and STRAT_FEED_SECRET)',
    );
    expect(refused.stderr).not.toMatch(/\n +at /);
    expect(refused.stderr).not.toContain('not-the-secret');

    const run = startStrat(['run', config, '--out', join(scratch.dir, 'interrupted.jsonl')], {
      env: credentials,
    });
    running.push(run);
    const streamingLine = /live: [\d,]+ bars \| 2024-01-02 \d\d:\d\dZ \| [\d,]+ bars\/s \| feed streaming\n/;
    await vi.waitFor(() => expect(run.output.stderr).toMatch(streamingLine), WAIT);
    run.child.kill('SIGINT');
    const interrupted = await run.done;
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(interrupted.stderr).not.toContain('ETA');
    expect(interrupted.stdout).toMatch(
      /^Session interrupted: live 2024-01-02 to 2024-01-02, feed clock at 300x \(partial results\)\n/,
    );
    expect(interrupted.stdout).toContain(`feed ${url}/: no reconnects, no gaps`);

    server.child.kill('SIGINT');
    const served = await server.done;
    expect(served.code, served.stderr).toBe(130);
    expect(served.stderr).toContain('interrupted: closing the replay');
  });

  it('explains what it needs (credentials, a CSV for --symbol) and serves a CSV file until SIGTERM', async () => {
    const history = writeLiveConfig('plain.json', 'ws://127.0.0.1:1');
    const noCredentials = await runStrat(['feed', 'serve', history, '--port', '0'], {
      env: { STRAT_FEED_KEY: undefined, STRAT_FEED_SECRET: undefined },
    });
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toContain(
      'pass --key and --secret, or set STRAT_FEED_KEY and STRAT_FEED_SECRET',
    );
    const symbol = await runStrat(['feed', 'serve', history, '--symbol', 'SPY'], { env: credentials });
    expect(symbol.code).toBe(2);
    expect(symbol.stderr).toContain('--symbol names the symbol of a CSV file');
    const rows = ['timestamp,open,high,low,close,volume'];
    for (const day of ['2024-01-03', '2024-01-04']) rows.push(`${day}T14:30:00Z,10,11,9,10.5,100`);
    const csv = join(scratch.dir, 'spy-1m.csv');
    writeFileSync(csv, `${rows.join('\n')}\n`);
    const { server } = await serve(csv, 60);
    expect(server.output.stdout).toContain(`replaying CSV file ${csv} at 60x`);
    expect(server.output.stdout).toMatch(/symbols +SPY\n/);
    expect(server.output.stdout).toMatch(/dates +2024-01-03 to 2024-01-04: 2 sessions, 13m00s of replay/);
    server.child.kill('SIGTERM');
    expect((await server.done).code).toBe(143);

    const help = await runStrat(['feed', 'serve', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('strat feed serve session_configs/live_replay.json --speed 600');
  });
});
