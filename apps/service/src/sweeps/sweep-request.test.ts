import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@strat/core';
import { findProjectRoot, type SweepCombinationProblem } from '@strat/runtime';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../errors/service-error';
import { prepareSweepRequest, refusedCombinations, type SweepRequestBody } from './sweep-request';

const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
const policy = { projectRoot, trustedFeedUrls: [] };
const limits = { maxRunningSweeps: 1, maxCombinations: 100, maxWorkers: 4 };

const config = {
  mode: 'backtest',
  backtest_config: { start_date: '2024-01-02', end_date: '2024-01-10', speed_multiplier: 0 },
  session_data_config: {
    symbols: ['AAPL'],
    streams: ['1m'],
    strategies: [
      {
        module: 'strategies.examples.simple_ma_cross',
        config: { symbols: ['AAPL'], interval: '1m', fast_period: 2, slow_period: 5 },
      },
    ],
  },
  data_config: { source: 'generator', seed: 7 },
  execution: { initial_cash: 10_000 },
};

const prepare = (body: Partial<SweepRequestBody>) =>
  prepareSweepRequest({ config, params: [], ...body }, policy, limits);

async function refusal(body: Partial<SweepRequestBody>): Promise<ConfigError | ServiceError> {
  try {
    await prepare(body);
  } catch (error) {
    if (ConfigError.isInstance(error) || ServiceError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('prepareSweepRequest', () => {
  it('reads the parameters, the objective, the sample and the defaults', async () => {
    const sweep = await prepare({
      params: [
        'simple_ma_cross.fast_period=1:4',
        { strategy: 'simple_ma_cross', key: 'slow_period', values: [5, 9] },
      ],
      random: 3,
      seed: 4,
      objective: 'max_drawdown',
      minimize: true,
    });
    expect(sweep.spec).toMatchObject({
      objective: 'maxDrawdown',
      minimize: true,
      random: 3,
      seed: 4,
      workers: 4,
      top: null,
      walkForward: null,
    });
    expect(sweep.spec.params.map((p) => p.values)).toEqual([
      [1, 2, 3, 4],
      [5, 9],
    ]);
    expect(sweep.indices).toHaveLength(3);
    expect(sweep.total).toBe(3);
    expect(sweep.windows).toBeNull();
    expect(sweep.session.name).toBeNull();
  });

  it('counts every walk-forward window: its grid and its test', async () => {
    // 2024-01-02..10: 7 sessions; 3 + 2 fits twice.
    const sweep = await prepare({ params: ['simple_ma_cross.fast_period=1,2,3'], walk_forward: '3d:2d' });
    expect(sweep.windows).toHaveLength(2);
    expect(sweep.total).toBe(2 * (3 + 1));
    expect(sweep.spec.walkForward).toEqual({ train: 3, test: 2 });
  });

  it('names the parameter of every problem', async () => {
    const twice = await refusal({
      params: ['simple_ma_cross.fast_period=1', 'simple_ma_cross.fast_period=2'],
    });
    expect((twice as ConfigError).issues).toEqual([
      { path: 'body.params[1]', message: 'simple_ma_cross.fast_period: swept twice' },
    ]);
    const malformed = await refusal({ params: ['simple_ma_cross.fast_period'] });
    expect((malformed as ConfigError).issues[0]?.path).toBe('body.params[0]');
    expect((malformed as ConfigError).issues[0]?.message).toMatch(
      /^simple_ma_cross\.fast_period: expected STRATEGY\.KEY=VALUES/,
    );
    const step = await refusal({
      params: [{ strategy: 'simple_ma_cross', key: 'fast_period', range: { from: 1, to: 3, step: 0 } }],
    });
    expect((step as ConfigError).issues[0]?.message).toMatch(
      /^simple_ma_cross\.fast_period: the step must be above 0/,
    );
  });

  it('holds the sweep limits: sessions (at random when it is given) and workers', async () => {
    const random = await refusal({ params: ['simple_ma_cross.fast_period=1:500'], random: 101 });
    expect(random).toMatchObject({ statusCode: 422, issues: [{ path: 'body.random' }] });
    const walk = await refusal({ params: ['simple_ma_cross.fast_period=1:60'], walk_forward: '3d:2d' });
    expect((walk as ServiceError).issues?.[0]?.message).toMatch(/^122 sessions \(2 walk-forward windows\)/);
    expect(await refusal({ params: ['simple_ma_cross.fast_period=1'], workers: 5 })).toMatchObject({
      statusCode: 422,
      issues: [{ path: 'body.workers' }],
    });
  });

  it('reads a list the same from "KEY=VALUES" and from its structured form', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 8 }),
        async (values) => {
          const text = await prepare({ params: [`simple_ma_cross.fast_period=${values.join(',')}`] });
          const structured = await prepare({
            params: [{ strategy: 'simple_ma_cross', key: 'fast_period', values }],
          });
          expect(structured.spec.params).toEqual(text.spec.params);
          expect(structured.indices).toEqual(text.indices);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('refusedCombinations', () => {
  it("reports a problem at a swept key at its parameter, any other at the combination's config path", async () => {
    const sweep = await prepare({ params: ['simple_ma_cross.fast_period=2,9'] });
    const problem = (configPath: string, message: string): SweepCombinationProblem => ({
      path: `simple_ma_cross.fast_period=9: ${configPath}`,
      message,
      index: 1,
      combination: { 'simple_ma_cross.fast_period': 9 },
      configPath,
    });
    const error = refusedCombinations(
      [
        problem(
          'session_data_config.strategies[0].config.fast_period',
          'must be less than slow_period (5), got 9',
        ),
        problem('session_data_config.strategies[0].config.interval', 'not streamed'),
      ],
      sweep,
    );
    expect(error.issues).toEqual([
      {
        path: 'body.params[0]',
        message: 'simple_ma_cross.fast_period=9: must be less than slow_period (5), got 9',
      },
      {
        path: 'simple_ma_cross.fast_period=9: session_data_config.strategies[0].config.interval',
        message: 'not streamed',
      },
    ]);
  });
});
