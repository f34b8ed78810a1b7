import { describe, expect, it } from 'vitest';
import { runSession } from '../run-session.mjs';
import { cycleStrategies, replayConfig, symbolNames } from '../session-configs.mjs';

// W6's largest cell (20 worker strategies, each on 1,000 symbols) over a 15-minute session. In the
// full bench one worker of it used to end in the middle of the run ("its worker exited unexpectedly
// with code 0"): an idle worker's wait let its event loop run dry (see the runtime's wait-async).
const SYMBOLS = 1000;
const STRATEGIES = 20;
const BARS_PER_SYMBOL = { '1m': 15, '5m': 3 };

describe('W6: 20 strategies x 1,000 symbols', () => {
  it.each([1, 2, 3])(
    'run %i: every strategy handles every bar to the end and none crashes',
    async () => {
      const config = replayConfig({
        symbols: symbolNames(SYMBOLS),
        strategies: cycleStrategies(STRATEGIES),
        startDate: '2024-01-02',
        endDate: '2024-01-02',
        sessionClose: '09:45',
      });
      const crashes: string[] = [];
      const run = await runSession(config, {
        beforeStart: (session) =>
          session.on('strategyError', (event) => {
            if (event.fatal) crashes.push(`${event.strategy}: ${event.message}`);
          }),
      });
      expect(crashes).toEqual([]);
      expect(run.summary.state).toBe('completed');
      expect(run.baseBars).toBe(SYMBOLS * BARS_PER_SYMBOL['1m']);
      const perStrategy = run.summary.metrics.per_strategy;
      expect(perStrategy).toHaveLength(STRATEGIES);
      for (const [i, metrics] of perStrategy.entries()) {
        const interval = config.session_data_config.strategies[i]?.config.interval as '1m' | '5m';
        expect(metrics, metrics.strategy).toMatchObject({
          state: 'stopped',
          notifications_processed: SYMBOLS * BARS_PER_SYMBOL[interval],
          errors: 0,
          queue_size: 0,
        });
      }
    },
    300_000,
  );
});
