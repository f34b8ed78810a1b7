import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/config-error';
import { parseScannerEntry, parseSessionConfigText, parseStrategyEntry } from './parse-config';

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (ConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const GOOD_TEXT = '{"mode": "live", "session_data_config": {"symbols": ["AAPL"]}}';

describe('parseSessionConfigText', () => {
  it('parses and validates a JSON text', () => {
    expect(parseSessionConfigText(GOOD_TEXT).session_data_config.symbols).toEqual(['AAPL']);
  });

  it('ignores a byte-order mark', () => {
    expect(parseSessionConfigText(`\uFEFF${GOOD_TEXT}`).mode).toBe('live');
  });

  it('gives the line and column of a syntax error, with the file name', () => {
    const text = '{\n  "mode": "live",\n  "session_data_config": {"symbols": ["AAPL",]}\n}';
    const error = thrown(() => parseSessionConfigText(text, { file: 'session_configs/x.json' }));
    expect(error.file).toBe('session_configs/x.json');
    expect(error.issues).toEqual([
      { path: '', message: 'not valid JSON at line 3, column 45: trailing comma before "]"' },
    ]);
    expect(error.message).toBe(
      'Invalid JSON in session_configs/x.json:\n  - (root): not valid JSON at line 3, column 45: trailing comma before "]"',
    );
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it.each([
    ['', 1, 1, /expected a value/],
    ['{"mode": "live"', 1, 16, /expected "," or "}"/],
    ['{\n  "mode": "live"\n  "x": 1\n}', 3, 3, /missing comma/],
    ["{'mode': 'live'}", 1, 2, /double quotes/],
    ['{"mode": live}', 1, 10, /expected a value/],
    ['{"a": 1} // note', 1, 10, /comments are not allowed/],
    ['{"a": "x\ny"}', 1, 9, /line break inside a string/],
    ['{"a": 1}}', 1, 9, /after the end of the document/],
  ])('locates the error in %j', (text, line, column, message) => {
    const [issue] = thrown(() => parseSessionConfigText(text)).issues;
    expect(issue?.message).toMatch(new RegExp(`^not valid JSON at line ${line}, column ${column}: `));
    expect(issue?.message).toMatch(message);
  });

  it('validates the parsed value like parseSessionConfig', () => {
    const error = thrown(() => parseSessionConfigText('{"mode": "live"}', { file: 'a.json' }));
    expect(error.message).toBe(
      'Invalid session config in a.json:\n  - session_data_config: missing required field (expected an object)',
    );
  });
});

describe('parseStrategyEntry', () => {
  it('applies the entry defaults', () => {
    expect(parseStrategyEntry({ module: 'strategies.examples.rsi_strategy' })).toEqual({
      module: 'strategies.examples.rsi_strategy',
      enabled: true,
      config: {},
    });
  });

  it('reports every problem, under the given path', () => {
    const error = thrown(() =>
      parseStrategyEntry(
        { module: 'https://x.test/s.js', enabled: 1, confg: {} },
        { path: 'session_data_config.strategies[4]', file: 'api request' },
      ),
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      'session_data_config.strategies[4].module',
      'session_data_config.strategies[4].enabled',
      'session_data_config.strategies[4].confg',
    ]);
    expect(error.issues[2]?.message).toBe('unknown field "confg" (did you mean "config"?)');
    expect(error.message.split('\n')[0]).toBe('Invalid strategy entry in api request:');
  });

  it('reports a non-object entry at the given path itself', () => {
    const error = thrown(() => parseStrategyEntry('a.b', { path: 'strategies[0]' }));
    expect(error.issues).toEqual([{ path: 'strategies[0]', message: 'expected an object, got "a.b"' }]);
  });
});

describe('parseScannerEntry', () => {
  it('applies the entry defaults', () => {
    expect(parseScannerEntry({ module: '@strat/examples/gap-scanner' })).toEqual({
      module: '@strat/examples/gap-scanner',
      enabled: true,
      schedule: '5m',
      config: {},
    });
  });

  it('reports a bad schedule with its path', () => {
    const error = thrown(() => parseScannerEntry({ module: 'a.b', schedule: 'hourly' }));
    expect(error.issues.map((i) => i.path)).toEqual(['schedule']);
    expect(error.message.split('\n')[0]).toBe('Invalid scanner entry:');
  });
});
