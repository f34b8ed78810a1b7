import { describe, expect, it } from 'vitest';
import { DataError } from './data-error';
import { StratError } from './strat-error';

describe('DataError', () => {
  it('prefixes the message with file and line', () => {
    const error = new DataError('high 99 is below low 100', { file: 'data/aapl.csv', line: 17 });
    expect(error.message).toBe('data/aapl.csv:17: high 99 is below low 100');
    expect(error).toMatchObject({ file: 'data/aapl.csv', line: 17, code: 'DATA_INVALID', name: 'DataError' });
    expect(error).toBeInstanceOf(StratError);
    expect(DataError.isInstance(error)).toBe(true);
    expect(StratError.isInstance(error)).toBe(true);
  });

  it('names only the file when there is no line, and nothing when there is no file', () => {
    expect(new DataError('empty file', { file: 'a.csv' }).message).toBe('a.csv: empty file');
    expect(new DataError('feed disconnected').message).toBe('feed disconnected');
  });

  it('takes a specific code and a cause', () => {
    const cause = new Error('EACCES');
    const error = new DataError('no trading sessions', { file: 'a.csv' }, { code: 'NO_SESSIONS', cause });
    expect(error.code).toBe('NO_SESSIONS');
    expect(error.cause).toBe(cause);
  });
});
