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

/** The query parameter an event stream may carry the token in (a browser's EventSource cannot send headers). */
export const ACCESS_TOKEN_PARAM = 'access_token';

/** Whether a route takes the token in {@link ACCESS_TOKEN_PARAM} too (the SSE routes set `config.queryToken`). */
function takesQueryToken(request: FastifyRequest): boolean {
  return (request.routeOptions.config as { queryToken?: boolean } | undefined)?.queryToken === true;
}

function queryToken(request: FastifyRequest): string | undefined {
  const query = request.url.split('?')[1];
  if (query === undefined) return undefined;
  return new URLSearchParams(query).get(ACCESS_TOKEN_PARAM) ?? undefined;
}

function checkBearer(request: FastifyRequest, expected: Buffer): void {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  const fromQuery = header === '' && takesQueryToken(request) ? queryToken(request) : undefined;
  const given = match?.[1] ?? fromQuery;
  // Comparing digests keeps the comparison constant-time whatever the given token's length.
  if (given !== undefined && timingSafeEqual(digest(given), expected)) return;
  throw new ServiceError(
    401,
    'UNAUTHORIZED',
    header === '' && fromQuery === undefined
      ? 'This service needs a bearer token (Authorization: Bearer <token>)'
      : 'The bearer token is wrong',
    { headers: { 'www-authenticate': 'Bearer realm="strat"' } },
  );
}

/**
 * A URL with the value of {@link ACCESS_TOKEN_PARAM} replaced by `[redacted]`, for logs.
 */
export function redactAccessToken(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/gi, '$1[redacted]');
}

/**
 * Guards every route but `/healthz` and, with a token, the dashboard's files and page (`isPublic`).
 * - With a token: `Authorization: Bearer <token>` is required; the event streams (routes with
 *   `config.queryToken`) take it as `?access_token=<token>` too, for a browser's EventSource.
 * - Without one (the service then listens on a loopback address only): requests must name a
 *   loopback host and, when a browser sends an `Origin`, come from a loopback page, so that a web
 *   page elsewhere can neither drive the service (cross-site requests) nor read it through a DNS
 *   name that points at 127.0.0.1.
 */
export function installAccessControl(
  app: FastifyInstance,
  token: string | undefined,
  isPublic: (request: FastifyRequest) => boolean = () => false,
): void {
  const expected = token === undefined ? undefined : digest(token);
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    if (PUBLIC_PATHS.has(path)) return;
    if (expected !== undefined) {
      // The page asks for the token and sends it with its API calls: the page itself loads without.
      if (isPublic(request)) return;
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
