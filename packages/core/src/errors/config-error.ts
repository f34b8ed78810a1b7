import { StratError, type StratErrorOptions } from './strat-error';

/** One problem found in a config: where (a JSON path such as `session_data_config.strategies[0].module`) and what. */
export interface ConfigIssue {
  /** JSON path of the offending value; empty string for the document root. */
  path: string;
  /** What was expected or what is wrong. */
  message: string;
}

/** Formats a path array (`['a', 0, 'b']`) as a JSON path (`a[0].b`). */
export function formatJsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** A config (session, strategy or scanner) is invalid. Carries every problem found, each with its JSON path. */
export class ConfigError extends StratError {
  /** The kind {@link StratError.isInstance} recognises config errors by, across copies of the package. */
  static override readonly kind: string = '@strat/core/ConfigError';

  /** Every problem found, in document order. */
  readonly issues: ConfigIssue[];
  /** The file the config came from, when known. */
  readonly file: string | undefined;

  /**
   * @param issues - Every problem found, each with its JSON path.
   * @param options - The file the config came from, a summary line to use instead of `Invalid config in <file>`, the cause.
   */
  constructor(issues: ConfigIssue[], options: StratErrorOptions & { file?: string; summary?: string } = {}) {
    const where = options.file ? ` in ${options.file}` : '';
    const head = options.summary ?? `Invalid config${where}`;
    const lines = issues.map((i) => `  - ${i.path === '' ? '(root)' : i.path}: ${i.message}`);
    super('CONFIG_INVALID', [`${head}:`, ...lines].join('\n'), options);
    this.issues = issues;
    this.file = options.file;
  }

  /** The JSON path of the first issue (convenient when there is only one). */
  get path(): string {
    return this.issues[0]?.path ?? '';
  }
}
