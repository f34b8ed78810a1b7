import { parseSessionConfig, type SessionConfigInput } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { SchemaBreakoutStrategy } from '../../test/fixtures/schema_breakout';
import { fixturesDir } from '../../test/helpers';
import { checkSessionConfig } from '../config-check/check-session-config';
import { Session } from '../session/session';
import type { StampedSignal } from '../thread/stamped-signal';

// two_breakouts.ts exports UpBreakout and DownBreakout: neither is named after the module.
function configWith(...strategies: Record<string, unknown>[]): SessionConfigInput {
  return {
    mode: 'backtest',
    backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02', speed_multiplier: 0 },
    session_data_config: { symbols: ['AAPL'], streams: ['1m'], strategies },
    data_config: { source: 'generator', seed: 5 },
  } as SessionConfigInput;
}

const options = { configDir: fixturesDir, strategyRoots: [fixturesDir], logSink: () => {} };
const config = { symbols: ['AAPL'] };

async function signalsOf(session: Session): Promise<StampedSignal[]> {
  const signals: StampedSignal[] = [];
  session.on('signal', (batch) => signals.push(...batch));
  try {
    await session.start();
  } finally {
    await session.shutdown();
  }
  return signals;
}

describe('a strategy entry naming its class with "export"', () => {
  it('runs the export it names from a module of several strategy classes, in a worker and inline', async () => {
    const signals = await signalsOf(
      Session.fromConfig(
        configWith(
          { module: './two_breakouts.ts', export: 'UpBreakout', name: 'up', config },
          { module: './two_breakouts.ts', export: 'DownBreakout', name: 'down', executor: 'inline', config },
        ),
        options,
      ),
    );
    const actionsOf = (name: string) =>
      new Set(signals.filter((s) => s.strategy === name).map((s) => s.action));
    expect(actionsOf('up')).toEqual(new Set(['BUY']));
    expect(actionsOf('down')).toEqual(new Set(['SELL']));
  });

  it('is needed there: without it the session cannot pick one', async () => {
    const failure = signalsOf(
      Session.fromConfig(configWith({ module: './two_breakouts.ts', config }), options),
    );
    await expect(failure).rejects.toThrow(
      'the module exports several strategy classes (DownBreakout, UpBreakout); name the one to run in the ' +
        'entry\'s "export", or rename it TwoBreakoutsStrategy',
    );
  });

  it('fails the session, and the config check at the "export" path, when the export is no strategy class', async () => {
    for (const [name, found] of [
      ['Sideways', 'no export'],
      ['NOT_A_CLASS', 'an export that is not a strategy class'],
    ]) {
      const parsed = parseSessionConfig(configWith({ module: './two_breakouts.ts', export: name, config }));
      const message = `"export": "${name}" names ${found}; the module's strategy classes: DownBreakout, UpBreakout`;
      for (const modules of ['import', 'start'] as const) {
        expect((await checkSessionConfig(parsed, { ...options, modules })).problems).toEqual([
          { path: 'session_data_config.strategies[0].export', message: expect.stringContaining(message) },
        ]);
      }
      await expect(signalsOf(new Session(parsed, options))).rejects.toThrow(message);
    }
  });

  it('is a name, and only for a module entry', () => {
    expect(() =>
      parseSessionConfig(configWith({ module: './two_breakouts.ts', export: 'Up Breakout' })),
    ).toThrow(
      'session_data_config.strategies[0].export: expected the name of an export (a JavaScript identifier)',
    );
    expect(() =>
      parseSessionConfig(configWith({ strategy: SchemaBreakoutStrategy, export: 'SchemaBreakoutStrategy' })),
    ).toThrow(
      'session_data_config.strategies[0].export: "export" names a class of "module"; a "strategy" entry is the class itself',
    );
  });
});
