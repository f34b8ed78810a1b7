import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startTestService, type TestService, waitForSession } from '../support/test-service';

// A project of its own (inside the repository, so that its strategy resolves @strat/core), whose
// strategy has a typo: every onBars throws.
const TYPO = [
  "import { BaseStrategy, type Interval, type Signal, type Subscription } from '@strat/core';",
  '',
  'export class TypoStrategy extends BaseStrategy {',
  "  getSubscriptions(): Subscription[] { return [['AAPL', '1m']]; }",
  '  onBars(symbol: string, interval: Interval): Signal[] {',
  '    const bars = this.context.getBars(symbol, interval) as unknown as Record<string, number[]>;',
  '    return (bars.clse as number[]).at(-1) === 0 ? [] : [];',
  '  }',
  '}',
  '',
].join('\n');

let project: string;
let service: TestService;

beforeAll(async () => {
  const base = fileURLToPath(new URL('../../.tmp/', import.meta.url));
  mkdirSync(base, { recursive: true });
  project = mkdtempSync(join(base, 'strategy-errors-'));
  writeFileSync(
    join(project, 'package.json'),
    '{ "name": "errors-project", "private": true, "type": "module" }\n',
  );
  mkdirSync(join(project, 'strategies'));
  mkdirSync(join(project, 'session_configs'));
  writeFileSync(join(project, 'strategies', 'typo.ts'), TYPO);
  service = await startTestService({ projectRoot: project, sessionLogLevel: 'silent' });
});

afterAll(async () => {
  await service?.close();
  rmSync(project, { recursive: true, force: true });
});

describe('a session whose strategy throws', () => {
  it('ends completed, its error naming the strategy, the count and the first error with its place', async () => {
    const created = await request(`${service.url}/sessions`, {
      body: {
        config: {
          mode: 'backtest',
          backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02', speed_multiplier: 0 },
          session_data_config: {
            symbols: ['AAPL'],
            streams: ['1m'],
            strategies: [{ module: 'strategies.typo' }],
          },
          data_config: { source: 'generator', seed: 7, missing_bar_rate: 0 },
        },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const done = await waitForSession(service.url, created.body.id, (s) => s.endedAt !== null);
    expect(done.state).toBe('completed');
    expect(done.error).toBe(
      // The file relative to the project root, as the config names it.
      'strategy typo threw 390 errors; the first: onBars threw at strategies/typo.ts:7:36 ' +
        'on AAPL 1m (bar closing 2024-01-02T14:31:00.000Z): ' +
        "Cannot read properties of undefined (reading 'at')",
    );
    expect(done.metrics.total_errors).toBe(390);
    expect(done.summary.strategyErrors).toMatchObject([
      {
        strategy: 'typo',
        errors: 390,
        first: {
          phase: 'onBars',
          location: { file: join(project, 'strategies', 'typo.ts'), line: 7, column: 36 },
        },
      },
    ]);
  });
});
