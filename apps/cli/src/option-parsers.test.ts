import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  parseDateOption,
  parseIntervalOption,
  parseMissingRateOption,
  parsePortOption,
  parseReplaySpeedOption,
  parseSeedOption,
  parseSpeedOption,
  parseSymbolOption,
  parseSymbolsOption,
} from './option-parsers';

describe('option parsers', () => {
  it('accept real dates only', () => {
    expect(parseDateOption('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2023-02-29', '2024-13-01', '2024-1-02', '20240102', '']) {
      expect(() => parseDateOption(bad)).toThrow(InvalidArgumentError);
    }
  });

  it('accept speeds >= 0, integer seeds, missing rates up to 0.5', () => {
    expect(parseSpeedOption('0')).toBe(0);
    expect(parseSpeedOption('2.5')).toBe(2.5);
    for (const bad of ['-1', 'fast', '', 'Infinity'])
      expect(() => parseSpeedOption(bad)).toThrow(InvalidArgumentError);
    expect(parseSeedOption('-7')).toBe(-7);
    expect(() => parseSeedOption('1.5')).toThrow(InvalidArgumentError);
    expect(parseMissingRateOption('0.5')).toBe(0.5);
    expect(() => parseMissingRateOption('0.51')).toThrow(InvalidArgumentError);
  });

  it('accept intervals and symbol lists', () => {
    expect(parseIntervalOption('5m')).toBe('5m');
    expect(() => parseIntervalOption('5x')).toThrow('expected an interval such as 1m, 5m, 1h or 1d.');
    expect(parseSymbolsOption('AAPL, MSFT')).toEqual(['AAPL', 'MSFT']);
    expect(() => parseSymbolsOption('AAPL,,MSFT')).toThrow(InvalidArgumentError);
    expect(() => parseSymbolsOption('AAPL,AAPL')).toThrow('AAPL is listed twice.');
  });

  it('accept ports 0 to 65535, replay speeds > 0, one symbol', () => {
    expect([parsePortOption('0'), parsePortOption('8765'), parsePortOption('65535')]).toEqual([
      0, 8765, 65_535,
    ]);
    for (const bad of ['-1', '65536', '80.5', 'http', '', '0x50'])
      expect(() => parsePortOption(bad)).toThrow(InvalidArgumentError);
    expect(parseReplaySpeedOption('60')).toBe(60);
    expect(parseReplaySpeedOption('0.5')).toBe(0.5);
    for (const bad of ['0', '-60', 'fast', '', 'Infinity'])
      expect(() => parseReplaySpeedOption(bad)).toThrow(InvalidArgumentError);
    expect(parseSymbolOption('BRK.B')).toBe('BRK.B');
    for (const bad of ['', 'AAPL,MSFT', ' SPY'])
      expect(() => parseSymbolOption(bad)).toThrow(InvalidArgumentError);
  });
});
