import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from './redact-secrets';

describe('redactSecrets', () => {
  it('replaces the values of secret-looking keys at any depth and keeps the rest', () => {
    const config = {
      mode: 'live',
      live_config: { url: 'ws://127.0.0.1:8765', key: 'AK123', secret: 's3cr3t', nested: [{ api_key: 'x' }] },
      session_data_config: {
        symbols: ['AAPL'],
        strategies: [{ config: { token: 't', tokens: 3, keyword: 'k' } }],
      },
    };
    expect(redactSecrets(config)).toEqual({
      mode: 'live',
      live_config: {
        url: 'ws://127.0.0.1:8765',
        key: REDACTED,
        secret: REDACTED,
        nested: [{ api_key: REDACTED }],
      },
      session_data_config: {
        symbols: ['AAPL'],
        strategies: [{ config: { token: REDACTED, tokens: 3, keyword: 'k' } }],
      },
    });
    expect(config.live_config.secret).toBe('s3cr3t');
  });

  it('leaves absent secrets absent', () => {
    expect(redactSecrets({ key: null, secret: undefined })).toEqual({ key: null, secret: undefined });
  });
});
