import { createRequire } from 'node:module';
import { ConfigError, StratError } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../errors/service-error';
import { toErrorAnswer } from './error-handler';

describe('toErrorAnswer', () => {
  it('hides an unexpected error behind a plain 500 without its message or stack', () => {
    const answer = toErrorAnswer(new TypeError('cannot read x of undefined at /srv/app.js:12'));
    expect(answer).toEqual({
      status: 500,
      headers: {},
      body: { error: 'Internal server error', code: 'INTERNAL' },
    });
  });

  it('passes a ServiceError on with its status, code, issues and headers', () => {
    const error = new ServiceError(401, 'UNAUTHORIZED', 'no token', {
      headers: { 'www-authenticate': 'Bearer' },
      issues: [{ path: 'a', message: 'b' }],
    });
    expect(toErrorAnswer(error)).toEqual({
      status: 401,
      headers: { 'www-authenticate': 'Bearer' },
      body: { error: 'no token', code: 'UNAUTHORIZED', issues: [{ path: 'a', message: 'b' }] },
    });
  });

  it('answers 400 for config errors (every issue) and other StratErrors', () => {
    const config = new ConfigError([{ path: 'mode', message: 'bad' }]);
    expect(toErrorAnswer(config)).toMatchObject({
      status: 400,
      body: { code: 'CONFIG_INVALID', issues: config.issues },
    });
    expect(toErrorAnswer(new StratError('NO_SESSIONS', 'no trading sessions'))).toMatchObject({
      status: 400,
      body: { error: 'no trading sessions', code: 'NO_SESSIONS' },
    });
  });

  it('recognises errors made by the CommonJS copy of @strat/core the same way', () => {
    const cjs = createRequire(import.meta.url)('@strat/core') as typeof import('@strat/core');
    const config = new cjs.ConfigError([{ path: 'mode', message: 'bad' }]);
    expect(config).not.toBeInstanceOf(ConfigError);
    expect(toErrorAnswer(config)).toMatchObject({
      status: 400,
      body: { code: 'CONFIG_INVALID', issues: config.issues },
    });
    expect(toErrorAnswer(new cjs.StratError('NO_SESSIONS', 'no trading sessions'))).toMatchObject({
      status: 400,
      body: { error: 'no trading sessions', code: 'NO_SESSIONS' },
    });
  });

  it('maps body parser errors to 400, 413 and 415', () => {
    expect(toErrorAnswer({ code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 }).status).toBe(400);
    expect(
      toErrorAnswer({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413, message: 'too large' }),
    ).toMatchObject({
      status: 413,
      body: { code: 'BODY_TOO_LARGE' },
    });
    expect(toErrorAnswer({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }).status).toBe(415);
  });
});
