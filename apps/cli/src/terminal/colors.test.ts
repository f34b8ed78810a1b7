import { describe, expect, it } from 'vitest';
import { colorsEnabled, colorsFor } from './colors';

describe('colorsEnabled', () => {
  it('follows NO_COLOR first, then FORCE_COLOR, then whether the stream is a terminal', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colorsEnabled(tty, {})).toBe(true);
    expect(colorsEnabled(pipe, {})).toBe(false);
    expect(colorsEnabled(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colorsEnabled(tty, { NO_COLOR: '' })).toBe(true);
    expect(colorsEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorsEnabled(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorsEnabled(pipe, { FORCE_COLOR: '1', NO_COLOR: 'yes' })).toBe(false);
    expect(colorsEnabled(tty, { TERM: 'dumb' })).toBe(false);
  });

  it('gives formatters that add escape codes only when enabled', () => {
    expect(colorsFor({ isTTY: false }, {}).red('x')).toBe('x');
    expect(colorsFor({ isTTY: true }, {}).red('x')).toBe('\x1b[31mx\x1b[39m');
  });
});
