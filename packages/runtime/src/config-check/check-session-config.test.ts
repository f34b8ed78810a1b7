import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseSessionConfig } from '@strat/core';
import { TradingCalendar } from '@strat/data';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from '../../test/helpers';
import { assertSessionConfig, checkSessionConfig } from './check-session-config';

const backtest = (sdc: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  parseSessionConfig({
    mode: 'backtest',
    backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
    session_data_config: sdc,
    ...extra,
  });

const at = { configDir: fixturesDir, roots: [fixturesDir], strategyRoots: [fixturesDir] };

describe('checkSessionConfig', () => {
  it("lists the project files of the enabled modules, once each, not packages' (what --types checks)", async () => {
    const config = backtest({
      symbols: ['AAA'],
      streams: ['1m'],
      strategies: [
        { module: './simple_ma_cross.ts' },
        { module: './rsi_strategy.ts', enabled: false },
        { module: '@strat/examples/rsi' },
        { module: './simple_ma_cross.ts', name: 'again' },
      ],
    });
    const check = await checkSessionConfig(config, { ...at, modules: 'resolve' });
    expect(check.problems).toEqual([]);
    expect(check.moduleFiles).toEqual([join(fixturesDir, 'simple_ma_cross.ts')]);
    expect((await checkSessionConfig(config, { ...at, modules: 'none' })).moduleFiles).toEqual([]);
  });

  it("checks against the caller's calendar when given one (a session's own), not a second one from the config", async () => {
    // 2024-01-02 is a Tuesday: a session on the config's calendar, none on a weekends-only one.
    const config = backtest({ symbols: ['AAA'], streams: ['1m'] });
    expect((await checkSessionConfig(config, { ...at, modules: 'none' })).problems).toEqual([]);
    const weekends = TradingCalendar.fromConfig({ preset: 'custom', weekdays: [0, 6] });
    const { problems } = await checkSessionConfig(config, { ...at, modules: 'none', calendar: weekends });
    expect(problems.map((p) => p.path)).toEqual(['backtest_config']);
    expect(problems[0]?.message).toMatch(/^no trading sessions from 2024-01-02 to 2024-01-02/);
  });

  it('finds every data problem at once, each at its JSON path, in the words the processor uses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strat-check-'));
    writeFileSync(
      join(dir, 'a.csv'),
      'timestamp,open,high,low,close,volume\n2024-01-02T14:30:00Z,1,2,0.5,1.5,10\n',
    );
    const config = backtest(
      { symbols: ['A', 'B'], streams: ['1m', '5m'] },
      {
        backtest_config: { start_date: '2024-01-06', end_date: '2024-01-07' },
        data_config: {
          source: 'csv',
          files: [
            { path: 'a.csv', symbol: 'A', interval: '5m' },
            { path: 'missing.csv', symbol: 'A', interval: '5m' },
          ],
        },
      },
    );
    const { problems, warnings } = await checkSessionConfig(config, { ...at, configDir: dir });
    expect(warnings).toEqual([]);
    expect(problems).toEqual([
      {
        path: 'backtest_config',
        message: expect.stringMatching(/^no trading sessions from 2024-01-06 to 2024-01-07/),
      },
      {
        path: 'session_data_config.streams',
        message: 'csv a.csv, missing.csv gives 5m bars, so the shortest stream must be 5m (got 1m)',
      },
      { path: 'data_config.files[1]', message: expect.stringMatching(/missing\.csv.*no such file/) },
      {
        path: 'session_data_config.symbols[1]',
        message: 'no file in data_config.files provides B (they provide A)',
      },
    ]);
  });

  it('counts missing live feed settings as problems before a run and as warnings for strat validate', async () => {
    const live = parseSessionConfig({
      mode: 'live',
      session_data_config: { symbols: ['A'], streams: ['5m'] },
      live_config: { key: 'in-the-file' },
    });
    const before = await checkSessionConfig(live, { ...at, env: {} });
    expect(before.problems.map((p) => p.path)).toEqual([
      'session_data_config.streams',
      'live_config.feed_url',
      'live_config.secret',
    ]);
    expect(before.problems[0]?.message).toBe(
      'the live feed sends 1m bars, so the shortest stream must be 1m (got 5m)',
    );
    const validate = await checkSessionConfig(live, { ...at, env: {}, liveSettings: 'warning' });
    expect(validate.problems.map((p) => p.path)).toEqual(['session_data_config.streams']);
    expect(validate.warnings.map((w) => w.path)).toEqual([
      'live_config.feed_url',
      'live_config.secret',
      'live_config.key',
    ]);
  });

  it("warns of a live end_date whose session has closed, by the calendar's hours (not the UTC date)", async () => {
    const dateIn = (timeZone: string, time: number) =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(time);
    const endWarnings = async (timezone: string, endDate: string, clock: 'wall' | 'feed' = 'wall') => {
      const live = parseSessionConfig({
        mode: 'live',
        session_data_config: {
          symbols: ['A'],
          streams: ['1m'],
          calendar: {
            preset: 'custom',
            timezone,
            open: '00:00',
            close: '24:00',
            weekdays: [0, 1, 2, 3, 4, 5, 6],
          },
        },
        live_config: { feed_url: 'ws://127.0.0.1:1', clock, end_date: endDate },
      });
      const check = await checkSessionConfig(live, {
        ...at,
        env: { STRAT_FEED_KEY: 'k', STRAT_FEED_SECRET: 's' },
      });
      return check.warnings.filter((w) => w.path === 'live_config.end_date').map((w) => w.message);
    };
    const day = 86_400_000;
    // Kiritimati (UTC+14): yesterday's session there has closed, though that date can be today in UTC.
    expect(await endWarnings('Pacific/Kiritimati', dateIn('Pacific/Kiritimati', Date.now() - day))).toEqual([
      expect.stringMatching(/is past: on the wall clock the session ends as soon as it starts/),
    ]);
    // Pago Pago (UTC-11): today's session there is still open, though that date can be yesterday in UTC.
    expect(await endWarnings('Pacific/Pago_Pago', dateIn('Pacific/Pago_Pago', Date.now()))).toEqual([]);
    expect(await endWarnings('UTC', '2099-01-02')).toEqual([]);
    // A replay on the feed clock may end in the past.
    expect(await endWarnings('UTC', '2020-01-02', 'feed')).toEqual([]);
  });

  it('checks modules as deep as asked: resolved, imported with their class, or started', async () => {
    const config = backtest({
      symbols: ['AAA'],
      strategies: [
        { module: './empty_strategy.ts', config: { symbol: 'AAA' } },
        { module: './no_such_module.ts' },
        { module: './no_strategy.ts' },
      ],
    });
    const resolved = await checkSessionConfig(config, at);
    expect(resolved.problems.map((p) => p.path)).toEqual(['session_data_config.strategies[1].module']);
    const imported = await checkSessionConfig(config, { ...at, modules: 'import' });
    expect(imported.problems.map((p) => p.path)).toEqual([
      'session_data_config.strategies[1].module',
      'session_data_config.strategies[2].module',
    ]);
  });

  it('starts strategies inline: a refused setup with its reason, and subscriptions nobody streams', async () => {
    const refused = await checkSessionConfig(
      backtest({ symbols: ['AAA'], strategies: [{ module: './setup_false.ts' }] }),
      { ...at, modules: 'start' },
    );
    expect(refused.problems).toEqual([
      {
        path: 'session_data_config.strategies[0].module',
        message: expect.stringMatching(/setup returned false/),
      },
    ]);
    const unstreamed = backtest({
      symbols: ['AAA'],
      streams: ['1m'],
      strategies: [
        { module: './empty_strategy.ts', config: { symbol: 'AAA' } },
        { module: './empty_strategy.ts', name: 'wide', config: { symbol: 'AAA', interval: '5m' } },
        { module: './empty_strategy.ts', name: 'elsewhere', config: { symbol: 'ZZZ' } },
      ],
    });
    const started = await checkSessionConfig(unstreamed, { ...at, modules: 'start' });
    expect(started.problems).toEqual([
      {
        path: 'session_data_config.strategies[1].config',
        message: 'wide subscribes to AAA 5m, which the session does not stream (symbols AAA; streams 1m)',
      },
      {
        path: 'session_data_config.strategies[2].config',
        message:
          'elsewhere subscribes to ZZZ 1m, which the session does not stream (symbols AAA; streams 1m)',
      },
    ]);
    await expect(assertSessionConfig(unstreamed, { ...at, modules: 'start' })).rejects.toSatisfy(
      (error: unknown) => ConfigError.isInstance(error) && error.issues.length === 2,
    );
  });
});
