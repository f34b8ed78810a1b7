import { describe, expect, it } from 'vitest';
import { isSignalAction, Signal, SignalAction } from './signal';

describe('Signal', () => {
  it('keeps what it is given and defaults reason to "" and metadata to {}', () => {
    const signal = new Signal({ symbol: 'AAPL', action: SignalAction.BUY });
    expect(signal).toMatchObject({ symbol: 'AAPL', action: 'BUY', reason: '', metadata: {} });
    expect(signal.quantity).toBeUndefined();
    expect(signal.price).toBeUndefined();
  });

  it('gives each signal its own default metadata object', () => {
    const a = new Signal({ symbol: 'A', action: 'SELL' });
    const b = new Signal({ symbol: 'B', action: 'SELL' });
    expect(a.metadata).not.toBe(b.metadata);
  });

  it.each([
    [{ symbol: '', action: 'BUY' }, /symbol must be a non-empty string/],
    [{ symbol: 'A', action: 'buy' }, /action must be one of BUY, SELL, HOLD, CLOSE, got buy/],
    [{ symbol: 'A', action: 'BUY', quantity: 0 }, /quantity must be a positive finite number, got 0/],
    [{ symbol: 'A', action: 'BUY', quantity: -3 }, /quantity/],
    [{ symbol: 'A', action: 'BUY', quantity: Number.POSITIVE_INFINITY }, /quantity/],
    [{ symbol: 'A', action: 'BUY', quantity: Number.NaN }, /quantity/],
    [{ symbol: 'A', action: 'BUY', price: -0.01 }, /price must be a finite number >= 0, got -0.01/],
    [{ symbol: 'A', action: 'BUY', price: Number.NaN }, /price/],
  ])('refuses %j', (init, message) => {
    expect(() => new Signal(init as never)).toThrow(TypeError);
    expect(() => new Signal(init as never)).toThrow(message);
  });

  it('accepts a price of 0 and fractional quantities', () => {
    const signal = new Signal({ symbol: 'A', action: 'CLOSE', quantity: 0.5, price: 0 });
    expect([signal.quantity, signal.price]).toEqual([0.5, 0]);
  });

  it('serialises to a plain object without absent optional fields', () => {
    const bare = new Signal({ symbol: 'TSLA', action: 'HOLD' });
    expect(bare.toJSON()).toEqual({ symbol: 'TSLA', action: 'HOLD', reason: '', metadata: {} });
    expect(Object.keys(bare.toJSON())).not.toContain('quantity');

    const full = new Signal({
      symbol: 'TSLA',
      action: 'SELL',
      quantity: 10,
      price: 251.5,
      reason: 'rsi above 70',
      metadata: { rsi: 71.2 },
    });
    expect(JSON.parse(JSON.stringify(full))).toEqual({
      symbol: 'TSLA',
      action: 'SELL',
      quantity: 10,
      price: 251.5,
      reason: 'rsi above 70',
      metadata: { rsi: 71.2 },
    });
  });
});

describe('isSignalAction', () => {
  it('accepts exactly the four actions', () => {
    for (const action of Object.values(SignalAction)) expect(isSignalAction(action)).toBe(true);
    for (const other of ['buy', 'SHORT', '', 1, undefined, null]) expect(isSignalAction(other)).toBe(false);
  });
});
