import { type ConfigIssue, StratError, type StratErrorOptions } from '@strat/core';

/** Options of {@link ServiceError}. */
export interface ServiceErrorOptions extends StratErrorOptions {
  /** Every problem found, each with its JSON path (for request bodies and configs). */
  issues?: ConfigIssue[];
  /** Extra response headers (for example `WWW-Authenticate`). */
  headers?: Record<string, string>;
}

/**
 * A request the service refuses or cannot serve, with the HTTP status it answers with. The message
 * is written for the client and is sent as is: never put a stack trace or a secret in it.
 */
export class ServiceError extends StratError {
  /** The HTTP status code of the answer. */
  readonly statusCode: number;
  /** Every problem found, when the request body or config had several. */
  readonly issues: ConfigIssue[] | undefined;
  /** Extra response headers. */
  readonly headers: Record<string, string>;

  constructor(statusCode: number, code: string, message: string, options: ServiceErrorOptions = {}) {
    super(code, message, options);
    this.statusCode = statusCode;
    this.issues = options.issues;
    this.headers = options.headers ?? {};
  }
}
