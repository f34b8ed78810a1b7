import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, isLevelEnabled, type LogRecord } from './logger';

describe('isLevelEnabled', () => {
  it('passes records at or above the threshold', () => {
    expect(isLevelEnabled('warn', 'info')).toBe(true);
    expect(isLevelEnabled('info', 'info')).toBe(true);
    expect(isLevelEnabled('debug', 'info')).toBe(false);
    expect(isLevelEnabled('error', 'silent')).toBe(false);
  });
});

describe('createLogger', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('sends records at or above its level to the sink with name and fields', () => {
    const records: LogRecord[] = [];
    const logger = createLogger('ma_cross', 'info', (r) => records.push(r));
    logger.debug('hidden');
    logger.info('started', { symbols: 2 });
    logger.warn('slow');
    logger.error('failed');
    expect(records).toEqual([
      { level: 'info', name: 'ma_cross', message: 'started', fields: { symbols: 2 } },
      { level: 'warn', name: 'ma_cross', message: 'slow', fields: undefined },
      { level: 'error', name: 'ma_cross', message: 'failed', fields: undefined },
    ]);
  });

  it('writes to the console by default, errors and warnings to stderr', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const logger = createLogger('s');
    logger.info('hello', { a: 1 });
    logger.warn('careful');
    logger.error('broken');
    expect(log).toHaveBeenCalledWith('[info] s: hello', { a: 1 });
    expect(warn).toHaveBeenCalledWith('[warn] s: careful');
    expect(error).toHaveBeenCalledWith('[error] s: broken');
  });
});
