import { ConfigError, type ConfigIssue, formatJsonPath, StratError, StratErrorCode } from '@strat/core';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ServiceError } from '../errors/service-error';

/** An error answer: status, headers and the JSON body `{ error, code, issues? }`. */
export interface ErrorAnswer {
  /** The HTTP status. */
  status: number;
  /** Extra response headers. */
  headers: Record<string, string>;
  /**
   * The JSON body: the message for the client, a {@link StratErrorCode} (or, for another client
   * error of the web framework, the framework's own code) and every issue when there were several.
   */
  body: { error: string; code: string; issues?: ConfigIssue[] };
}

const FASTIFY_ERRORS: Record<string, { status: number; code: StratErrorCode; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'INVALID_JSON', message: 'The body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'INVALID_JSON',
    message: 'The body is empty but content-type is application/json',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'BODY_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send request bodies as application/json',
  },
};

function pathOf(context: string | undefined, instancePath: string): string {
  const keys = instancePath
    .split('/')
    .filter((k) => k !== '')
    .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  return formatJsonPath([context ?? 'request', ...keys]);
}

/**
 * The answer for any error a route or hook throws. Clients get a message written for them and a
 * stable code, never a stack trace; anything unexpected is a 500 with a generic message (and is
 * logged in full by the caller).
 */
export function toErrorAnswer(error: unknown): ErrorAnswer {
  if (ServiceError.isInstance(error)) {
    return {
      status: error.statusCode,
      headers: error.headers,
      body: { error: error.message, code: error.code, issues: error.issues },
    };
  }
  if (ConfigError.isInstance(error)) {
    return {
      status: 400,
      headers: {},
      body: { error: error.message, code: error.code, issues: error.issues },
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext;
    const issues = error.validation.map((v) => ({
      path: pathOf(context, v.instancePath),
      message: v.message ?? 'is invalid',
    }));
    return {
      status: 400,
      headers: {},
      body: {
        error: `Invalid request ${context ?? ''}:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`,
        code: StratErrorCode.REQUEST_INVALID,
        issues,
      },
    };
  }
  const fastifyError = error as Partial<FastifyError>;
  const known = fastifyError.code === undefined ? undefined : FASTIFY_ERRORS[fastifyError.code];
  if (known !== undefined) {
    return {
      status: known.status,
      headers: {},
      body: { error: known.message ?? String(fastifyError.message), code: known.code },
    };
  }
  if (StratError.isInstance(error))
    return { status: 400, headers: {}, body: { error: error.message, code: error.code } };
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      status,
      headers: {},
      body: { error: String(fastifyError.message), code: fastifyError.code ?? StratErrorCode.BAD_REQUEST },
    };
  }
  return {
    status: 500,
    headers: {},
    body: { error: 'Internal server error', code: StratErrorCode.INTERNAL },
  };
}

/** Answers errors and unknown routes with JSON `{ error, code, issues? }`. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const answer = toErrorAnswer(error);
    if (answer.status >= 500) request.log.error({ err: error }, 'request failed');
    void reply.code(answer.status).headers(answer.headers).send(answer.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]?.slice(0, 200) ?? '';
    void reply
      .code(404)
      .send({ error: `There is no route ${request.method} ${path}`, code: StratErrorCode.NOT_FOUND });
  });
}
