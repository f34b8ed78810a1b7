import { type Interval, isInterval, parseInterval } from '@strat/core';
import { InvalidArgumentError } from 'commander';

/** `YYYY-MM-DD`, a real calendar date. */
export function parseDateOption(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match === null ? undefined : new Date(`${value}T00:00:00Z`);
  if (date === undefined || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError('expected a date YYYY-MM-DD, such as 2024-01-02.');
  }
  return value;
}

/** A number >= 0 (a speed multiplier; 0 = data-driven). */
export function parseSpeedOption(value: string): number {
  const speed = Number(value);
  if (value.trim() === '' || !Number.isFinite(speed) || speed < 0) {
    throw new InvalidArgumentError('expected a number >= 0 (0 = as fast as the strategies allow).');
  }
  return speed;
}

/** An integer (a random seed). */
export function parseSeedOption(value: string): number {
  const seed = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(seed))
    throw new InvalidArgumentError('expected an integer.');
  return seed;
}

/** A share of bars from 0 to 0.5. */
export function parseMissingRateOption(value: string): number {
  const rate = Number(value);
  if (value.trim() === '' || !(rate >= 0 && rate <= 0.5)) {
    throw new InvalidArgumentError('expected a number from 0 to 0.5.');
  }
  return rate;
}

/** A bar interval such as `1m`, `5m`, `1h`, `1d`. */
export function parseIntervalOption(value: string): Interval {
  if (!isInterval(value)) throw new InvalidArgumentError('expected an interval such as 1m, 5m, 1h or 1d.');
  try {
    parseInterval(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  return value;
}

/** `AAPL,MSFT` -> `['AAPL', 'MSFT']` (no empty or repeated symbols). */
export function parseSymbolsOption(value: string): string[] {
  const symbols = value.split(',').map((s) => s.trim());
  if (symbols.some((s) => s === ''))
    throw new InvalidArgumentError('expected symbols separated by commas, such as AAPL,MSFT.');
  const repeated = symbols.find((s, i) => symbols.indexOf(s) !== i);
  if (repeated !== undefined) throw new InvalidArgumentError(`${repeated} is listed twice.`);
  return symbols;
}

/** A TCP port, 0 to 65535 (0 = any free port). */
export function parsePortOption(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(port) || port > 65_535) {
    throw new InvalidArgumentError('expected a port from 0 to 65535 (0 = any free port).');
  }
  return port;
}

/** A replay speed > 0 (replayed ms per wall ms: 60 plays an hour in a minute). */
export function parseReplaySpeedOption(value: string): number {
  const speed = Number(value);
  if (value.trim() === '' || !Number.isFinite(speed) || speed <= 0) {
    throw new InvalidArgumentError('expected a number > 0 (60 plays an hour of bars in a minute).');
  }
  return speed;
}

/** One symbol such as `SPY` (letters, digits, `.`, `-`, `/`). */
export function parseSymbolOption(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9./-]*$/.test(value)) {
    throw new InvalidArgumentError('expected one symbol such as SPY.');
  }
  return value;
}

/** A whole number >= 1 (a count: workers, combinations, rows). */
export function parseCountOption(value: string): number {
  const count = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(count) || count < 1) {
    throw new InvalidArgumentError('expected a whole number >= 1.');
  }
  return count;
}
