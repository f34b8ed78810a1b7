import type { z } from 'zod';
import { ConfigError } from '../errors/config-error';
import { describeIssue, toConfigIssues } from './config-issues';
import { findJsonSyntaxError } from './json-syntax-error';
import { type ScannerEntry, scannerEntrySchema } from './scanner-entry';
import { type SessionConfig, sessionConfigSchema } from './session-config';
import { type StrategyEntry, strategyEntrySchema } from './strategy-entry';

/** Where a config came from, for error messages. */
export interface ParseConfigOptions {
  /** The file the config was read from; named in the error message. */
  file?: string;
  /** JSON path of the value inside a larger document (e.g. `session_data_config.strategies[2]`); prefixes every issue path. */
  path?: string;
}

function parseWithSchema<S extends z.ZodType>(
  schema: S,
  value: unknown,
  options: ParseConfigOptions,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value, { error: describeIssue, reportInput: true });
  if (result.success) return result.data;
  const where = options.file === undefined ? '' : ` in ${options.file}`;
  throw new ConfigError(toConfigIssues(result.error.issues, value, options.path), {
    file: options.file,
    summary: `Invalid ${what}${where}`,
  });
}

/**
 * Validates a session config (already parsed from JSON) and applies every default.
 * @throws ConfigError listing every problem, each with its JSON path and what was expected.
 */
export function parseSessionConfig(value: unknown, options: ParseConfigOptions = {}): SessionConfig {
  return parseWithSchema(sessionConfigSchema, value, options, 'session config');
}

/**
 * Parses the text of a session config file (JSON) and validates it like {@link parseSessionConfig}.
 * A leading byte-order mark is ignored.
 * @throws ConfigError for a JSON syntax error (with line and column) or an invalid config.
 */
export function parseSessionConfigText(text: string, options: ParseConfigOptions = {}): SessionConfig {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    const problem = findJsonSyntaxError(source);
    const message =
      problem === undefined
        ? `not valid JSON: ${(error as Error).message}`
        : `not valid JSON at line ${problem.line}, column ${problem.column}: ${problem.message}`;
    throw new ConfigError([{ path: '', message }], {
      file: options.file,
      summary: options.file === undefined ? 'Invalid JSON' : `Invalid JSON in ${options.file}`,
      cause: error,
    });
  }
  return parseSessionConfig(value, options);
}

/**
 * Validates one `session_data_config.strategies` entry and applies its defaults.
 * @throws ConfigError listing every problem (paths prefixed with `options.path` when given).
 */
export function parseStrategyEntry(value: unknown, options: ParseConfigOptions = {}): StrategyEntry {
  return parseWithSchema(strategyEntrySchema, value, options, 'strategy entry');
}

/**
 * Validates one `session_data_config.scanners` entry and applies its defaults.
 * @throws ConfigError listing every problem (paths prefixed with `options.path` when given).
 */
export function parseScannerEntry(value: unknown, options: ParseConfigOptions = {}): ScannerEntry {
  return parseWithSchema(scannerEntrySchema, value, options, 'scanner entry');
}
