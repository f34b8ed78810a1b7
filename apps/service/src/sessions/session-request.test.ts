import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@strat/core';
import { findProjectRoot } from '@strat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../errors/service-error';
import { prepareSessionRequest, resolveSessionRequest } from './session-request';

let project: string;
let outside: string;

function config(
  overrides: { module?: string; scanner?: string; csv?: string } = {},
): Record<string, unknown> {
  return {
    mode: 'backtest',
    backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
    session_data_config: {
      symbols: ['AAPL'],
      strategies: [{ module: overrides.module ?? 'strategies.alpha' }],
      scanners: overrides.scanner === undefined ? [] : [{ module: overrides.scanner }],
    },
    data_config:
      overrides.csv === undefined
        ? { source: 'generator' }
        : { source: 'csv', files: [{ path: overrides.csv, symbol: 'AAPL' }] },
  };
}

function policy(trustedFeedUrls: string[] = []) {
  return { projectRoot: project, trustedFeedUrls };
}

function thrown(fn: () => unknown): ServiceError | ConfigError {
  try {
    fn();
  } catch (error) {
    if (ServiceError.isInstance(error) || ConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'strat-project-'));
  outside = mkdtempSync(join(tmpdir(), 'strat-outside-'));
  mkdirSync(join(project, 'strategies'));
  writeFileSync(join(project, 'strategies', 'alpha.ts'), 'export {};\n');
  mkdirSync(join(project, 'session_configs', 'data'), { recursive: true });
  writeFileSync(join(project, 'session_configs', 'data', 'a.csv'), 'timestamp,open,high,low,close,volume\n');
  writeFileSync(join(outside, 'secret.csv'), 'x\n');
  symlinkSync(join(outside, 'secret.csv'), join(project, 'session_configs', 'data', 'link.csv'));
  writeFileSync(
    join(project, 'session_configs', 'mine.json'),
    JSON.stringify(config({ module: './alpha_local.ts' })),
  );
  writeFileSync(join(project, 'session_configs', 'alpha_local.ts'), 'export {};\n');
  writeFileSync(join(project, 'session_configs', 'broken.json'), '{ "mode": ');
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('resolveSessionRequest', () => {
  it('accepts an inline config naming a dotted module and a CSV file inside session_configs/', () => {
    const resolved = resolveSessionRequest({ config: config({ csv: 'data/a.csv' }) }, policy());
    expect(resolved.name).toBeNull();
    expect(resolved.configDir).toBe(join(project, 'session_configs'));
    expect(resolved.config.session_data_config.strategies[0]?.module).toBe('strategies.alpha');
  });

  it('accepts installed packages', () => {
    const root = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
    expect(() =>
      resolveSessionRequest(
        { config: config({ module: '@strat/examples/rsi' }) },
        { projectRoot: root, trustedFeedUrls: [] },
      ),
    ).not.toThrow();
  });

  it('refuses relative module paths and CSV paths that leave session_configs/, naming each (403)', () => {
    const error = thrown(() =>
      resolveSessionRequest(
        { config: config({ module: './alpha_local.ts', scanner: '../x/y.ts', csv: '../../etc/passwd' }) },
        policy(),
      ),
    );
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).statusCode).toBe(403);
    expect(error.issues?.map((i) => i.path)).toEqual([
      'session_data_config.strategies[0].module',
      'session_data_config.scanners[0].module',
      'data_config.files[0].path',
    ]);
  });

  it.each([
    ['/etc/passwd', /absolute/],
    ['C:/data/x.csv', /absolute/],
    ['file:///etc/passwd', /absolute/],
    ['data\\..\\..\\x.csv', /backslash/],
    ['data/../../x.csv', /climbs out/],
    ['data/link.csv', /leads outside the project/],
  ])('refuses the CSV path %s', (path, message) => {
    const error = thrown(() => resolveSessionRequest({ config: config({ csv: path }) }, policy()));
    expect(error.code).toBe('PATH_FORBIDDEN');
    expect(error.issues?.[0]?.message).toMatch(message);
  });

  it.each([
    ['/etc', /absolute/],
    ['data/../../x', /climbs out/],
  ])('refuses the catalog path %s as it refuses CSV paths', (path, message) => {
    const inline = { ...config(), data_config: { source: 'catalog', path } };
    const error = thrown(() => resolveSessionRequest({ config: inline }, policy()));
    expect(error.code).toBe('PATH_FORBIDDEN');
    expect(error.issues?.map((i) => i.path)).toEqual(['data_config.path']);
    expect(error.issues?.[0]?.message).toMatch(message);
  });

  it('refuses absolute module paths and URLs as invalid configs (400)', () => {
    for (const module of ['/tmp/evil.ts', 'file:///tmp/evil.ts', 'https://evil.example/x.js']) {
      const error = thrown(() => resolveSessionRequest({ config: config({ module }) }, policy()));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.issues?.[0]?.path).toBe('session_data_config.strategies[0].module');
    }
  });

  it('names modules that resolve nowhere, with the check every session runs', async () => {
    const error = await prepareSessionRequest(
      { config: config({ module: 'strategies.nope' }) },
      policy(),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    expect((error as ConfigError).issues).toEqual([
      {
        path: 'session_data_config.strategies[0].module',
        message: expect.stringMatching(/Cannot load strategy module "strategies.nope"/),
      },
    ]);
    await expect(prepareSessionRequest({ config: config() }, policy())).resolves.toMatchObject({
      name: null,
    });
  });

  it('reads a named config from session_configs/, where the project may use relative modules', () => {
    const resolved = resolveSessionRequest({ name: 'mine.json' }, policy());
    expect(resolved.name).toBe('mine');
    expect(resolveSessionRequest({ name: 'mine' }, policy()).name).toBe('mine');
  });

  it('refuses names that are not config files, and reports invalid files with their name', () => {
    expect(thrown(() => resolveSessionRequest({ name: '../mine' }, policy())).code).toBe('REQUEST_INVALID');
    expect(thrown(() => resolveSessionRequest({ name: 'data/a.csv' }, policy())).code).toBe(
      'REQUEST_INVALID',
    );
    expect(
      (thrown(() => resolveSessionRequest({ name: 'absent' }, policy())) as ServiceError).statusCode,
    ).toBe(404);
    const broken = thrown(() => resolveSessionRequest({ name: 'broken' }, policy()));
    expect(broken).toBeInstanceOf(ConfigError);
    expect(broken.message).toContain('session_configs/broken.json');
  });

  it('lets an inline config name a feed only on a loopback host or at a trusted origin', () => {
    // A feed other than the service's own needs credentials of its own (see the feed credential tests).
    const live = (feed_url: string) => ({
      ...config(),
      mode: 'live',
      backtest_config: undefined,
      live_config: { feed_url, key: 'k', secret: 's' },
    });
    for (const url of [
      'ws://127.0.0.1:8765',
      'ws://localhost:9000/v2/test',
      'wss://stream.data.alpaca.markets/v2/sip',
    ]) {
      expect(() =>
        resolveSessionRequest({ config: live(url) }, policy(['wss://stream.data.alpaca.markets/v2/iex'])),
      ).not.toThrow();
    }
    const error = thrown(() => resolveSessionRequest({ config: live('wss://evil.example/v2') }, policy()));
    expect(error.code).toBe('PATH_FORBIDDEN');
    expect(error.issues).toEqual([
      { path: 'live_config.feed_url', message: expect.stringContaining('evil.example') },
    ]);
  });
});
