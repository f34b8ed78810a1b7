import { describe, expect, it } from 'vitest';
import { ConfigError, formatJsonPath } from './config-error';
import { StratError } from './strat-error';

describe('formatJsonPath', () => {
  it('writes keys with dots and indices with brackets', () => {
    expect(formatJsonPath([])).toBe('');
    expect(formatJsonPath(['mode'])).toBe('mode');
    expect(formatJsonPath(['session_data_config', 'strategies', 0, 'module'])).toBe(
      'session_data_config.strategies[0].module',
    );
    expect(formatJsonPath([2, 'a', 0, 1])).toBe('[2].a[0][1]');
  });
});

describe('ConfigError', () => {
  const issues = [
    { path: 'mode', message: 'expected one of "backtest", "live", got "bactest"' },
    {
      path: 'session_data_config.strategies[0].module',
      message: 'missing required field (expected a string)',
    },
    { path: '', message: 'something about the whole document' },
  ];

  it('lists every issue with its path in the message', () => {
    const error = new ConfigError(issues, { file: 'session_configs/a.json' });
    expect(error.message).toBe(
      [
        'Invalid config in session_configs/a.json:',
        '  - mode: expected one of "backtest", "live", got "bactest"',
        '  - session_data_config.strategies[0].module: missing required field (expected a string)',
        '  - (root): something about the whole document',
      ].join('\n'),
    );
  });

  it('carries code, name, file, issues, the first path and a cause', () => {
    const cause = new SyntaxError('x');
    const error = new ConfigError(issues, { file: 'a.json', cause });
    expect(error).toBeInstanceOf(StratError);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'CONFIG_INVALID',
      name: 'ConfigError',
      file: 'a.json',
      path: 'mode',
    });
    expect(error.issues).toEqual(issues);
    expect(error.cause).toBe(cause);
  });

  it('uses a given summary line and works without a file', () => {
    const error = new ConfigError([{ path: 'x', message: 'bad' }], { summary: 'Invalid strategy entry' });
    expect(error.message).toBe('Invalid strategy entry:\n  - x: bad');
    expect(error.file).toBeUndefined();
    expect(new ConfigError([]).path).toBe('');
  });
});
