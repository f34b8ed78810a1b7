const SECRET_KEY = /(?:^|_)(?:secret|password|passphrase|token|key)$/i;

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * A deep copy of a JSON value with the values of secret-looking keys (`key`, `secret`, `api_key`,
 * `auth_token`, `password`, ...) replaced by {@link REDACTED}, so that feed credentials written in a
 * config are neither stored nor returned by the API.
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] =
      SECRET_KEY.test(key) && inner !== undefined && inner !== null ? REDACTED : redactSecrets(inner);
  }
  return out;
}
