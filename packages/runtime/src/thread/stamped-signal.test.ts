import { Signal, SignalAction } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { stampSignal, toSignalJson } from './stamped-signal';

describe('toSignalJson', () => {
  const init = { symbol: 'AAPL', action: SignalAction.BUY, price: 101.5, reason: 'test' };

  it('takes a Signal, a plain signal-shaped object, or anything with a toJSON giving one', () => {
    const fromSignal = toSignalJson(new Signal(init));
    expect(fromSignal).toMatchObject(init);
    expect(toSignalJson({ ...init })).toEqual(fromSignal);
    expect(toSignalJson({ toJSON: () => ({ ...init }) })).toEqual(fromSignal);
  });

  it('refuses what is not a signal, saying what it got', () => {
    expect(() => toSignalJson(null)).toThrow(/got null/);
    expect(() => toSignalJson(42)).toThrow(/got number/);
    expect(() => toSignalJson({ symbol: 'AAPL', action: 'SHOUT' })).toThrow();
  });

  it('stamps with a fixed key order: who, when, which bar, then the signal', () => {
    const stamped = stampSignal(3, 'sma', 2000, 1000, '1m', toSignalJson(new Signal(init)));
    expect(Object.keys(stamped).slice(0, 5)).toEqual(['seq', 'strategy', 'time', 'barTime', 'interval']);
    expect(stamped).toMatchObject({ seq: 3, strategy: 'sma', time: 2000, barTime: 1000, ...init });
  });
});
