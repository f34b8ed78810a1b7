import { type Fill, formatJournalLine, type StampedSignal } from '@strat/runtime';
import { describe, expect, it } from 'vitest';
import { clientFill, clientSignal } from './client-times';

const signal: StampedSignal = {
  seq: 3,
  strategy: 'simple_ma_cross',
  time: Date.UTC(2024, 0, 2, 15, 15),
  barTime: Date.UTC(2024, 0, 2, 15, 10),
  interval: '5m',
  symbol: 'AAPL',
  action: 'BUY',
  price: 185.2,
  reason: 'fast SMA(10) crossed above slow SMA(20)',
  metadata: { fast_ma: 185.1, slow_ma: 184.9, interval: '5m' },
};

describe('clientSignal', () => {
  it("is the journal's line with the epoch ms times after it", () => {
    const client = clientSignal(JSON.stringify(signal));
    expect(JSON.stringify(client)).toBe(
      '{"seq":3,"strategy":"simple_ma_cross","time":"2024-01-02T15:15:00.000Z","barTime":"2024-01-02T15:10:00.000Z",' +
        '"interval":"5m","symbol":"AAPL","action":"BUY","price":185.2,"reason":"fast SMA(10) crossed above slow SMA(20)",' +
        '"metadata":{"fast_ma":185.1,"slow_ma":184.9,"interval":"5m"},"timeMs":1704208500000,"barTimeMs":1704208200000}',
    );
    const { timeMs: _timeMs, barTimeMs: _barTimeMs, ...line } = client;
    // without them, byte for byte the line the signal journal writes
    expect(`${JSON.stringify(line)}\n`).toBe(formatJournalLine(signal, 'jsonl'));
  });

  it('keeps a quantity', () => {
    expect(clientSignal(JSON.stringify({ ...signal, quantity: 10 }))).toMatchObject({
      quantity: 10,
      price: 185.2,
    });
  });
});

describe('clientFill', () => {
  it('writes the fill time in ISO, with its epoch ms beside it', () => {
    const fill: Fill = {
      strategy: 'simple_ma_cross',
      symbol: 'AAPL',
      interval: '5m',
      time: Date.UTC(2024, 0, 2, 15, 15),
      signalSeq: 3,
      side: 'buy',
      quantity: 161,
      price: 185.31,
      referencePrice: 185.2,
      commission: 1,
      positionAfter: 161,
    };
    expect(JSON.stringify(clientFill(JSON.stringify(fill)))).toBe(
      '{"strategy":"simple_ma_cross","symbol":"AAPL","interval":"5m","time":"2024-01-02T15:15:00.000Z","signalSeq":3,' +
        '"side":"buy","quantity":161,"price":185.31,"referencePrice":185.2,"commission":1,"positionAfter":161,' +
        '"timeMs":1704208500000}',
    );
  });
});
