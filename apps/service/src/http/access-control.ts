import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ServiceError } from '../errors/service-error';
import { isLoopbackHost } from '../server/loopback';

/** Routes open without a token. */
const PUBLIC_PATHS = new Set(['/healthz']);

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  return hostHeader.split(':')[0] ?? '';
}

function originHostname(origin: string): string | undefined {
  try {
    return new URL(origin).hostname;
  } catch {
    return undefined;
  }
}

function checkBearer(request: FastifyRequest, expected: Buffer): void {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  // Comparing digests keeps the comparison constant-time whatever the given token's length.
  if (match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected)) return;
  throw new ServiceError(
    401,
    'UNAUTHORIZED',
    header === ''
      ? 'This service needs a bearer token (Authorization: Bearer <token>)'
      : 'The bearer token is wrong',
    { headers: { 'www-authenticate': 'Bearer realm="strat"' } },
  );
}

/**
 * Guards every route but `/healthz`.
 * - With a token: `Authorization: Bearer <token>` is required.
 * - Without one (the service then listens on a loopback address only): requests must name a
 *   loopback host and, when a browser sends an `Origin`, come from a loopback page, so that a web
 *   page elsewhere can neither drive the service (cross-site requests) nor read it through a DNS
 *   name that points at 127.0.0.1.
 */
export function installAccessControl(app: FastifyInstance, token: string | undefined): void {
  const expected = token === undefined ? undefined : digest(token);
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    if (PUBLIC_PATHS.has(path)) return;
    if (expected !== undefined) {
      checkBearer(request, expected);
      return;
    }
    const host = hostnameOf(request.headers.host ?? '');
    if (!isLoopbackHost(host)) {
      throw new ServiceError(
        403,
        'HOST_FORBIDDEN',
        `Requests must be addressed to a loopback host, not "${host}"`,
      );
    }
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== 'null') {
      const originHost = originHostname(origin);
      if (originHost === undefined || !isLoopbackHost(originHost)) {
        throw new ServiceError(403, 'ORIGIN_FORBIDDEN', 'Requests from web pages of other hosts are refused');
      }
    } else if (origin === 'null') {
      throw new ServiceError(403, 'ORIGIN_FORBIDDEN', 'Requests from opaque origins are refused');
    }
  });
}
