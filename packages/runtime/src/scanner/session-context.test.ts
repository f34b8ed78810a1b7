import { createLogger } from '@strat/core';
import { SessionData, SimulatedClock, TradingCalendar } from '@strat/data';
import { describe, expect, it } from 'vitest';
import { createSessionContext } from './session-context';

describe('createSessionContext (what scanners see)', () => {
  it("dates instants by the session's calendar; without a time, the clock's", () => {
    const clock = new SimulatedClock(Date.UTC(2024, 2, 5, 22, 0)); // Tuesday 17:00 New York
    const ctx = createSessionContext({
      store: new SessionData(),
      clock,
      mode: 'backtest',
      speedMultiplier: 0,
      logger: createLogger('scanner', 'silent'),
      calendar: TradingCalendar.fromConfig({ preset: 'cme_globex_equity' }),
      symbols: () => ['ES'],
    });
    expect(ctx.sessionDate()).toBe('2024-03-05');
    clock.set(Date.UTC(2024, 2, 5, 23, 0)); // 18:00: Wednesday's Globex session
    expect(ctx.sessionDate()).toBe('2024-03-06');
    expect(ctx.sessionDate(Date.UTC(2024, 2, 5, 21, 59))).toBe('2024-03-05');
    expect(ctx.getSymbols()).toEqual(['ES']);
  });
});
