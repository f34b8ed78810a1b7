import { type ConfigIssue, StratError, type StratErrorCode, type StratErrorOptions } from '@strat/core';

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
  /** The kind {@link StratError.isInstance} recognises service errors by. */
  static override readonly kind: string = '@strat/service/ServiceError';

  /** The HTTP status code of the answer. */
  readonly statusCode: number;
  /** Every problem found, when the request body or config had several. */
  readonly issues: ConfigIssue[] | undefined;
  /** Extra response headers. */
  readonly headers: Record<string, string>;

  /**
   * @param statusCode - The HTTP status of the answer (4xx).
   * @param code - The stable code sent as the answer's `code`.
   * @param message - Sent to the client as the answer's `error`.
   * @param options - The issues, extra headers and the cause.
   */
  constructor(statusCode: number, code: StratErrorCode, message: string, options: ServiceErrorOptions = {}) {
    super(code, message, options);
    this.statusCode = statusCode;
    this.issues = options.issues;
    this.headers = options.headers ?? {};
  }
}
