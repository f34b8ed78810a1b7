import type { LogRecord, LogSink } from '@strat/core';
import type { Colors } from './colors';

/** Where log lines are written (stderr), and what to do just before (clear a progress bar). */
export interface LogSinkOptions {
  write: (text: string) => void;
  colors: Colors;
  beforeWrite?: () => void;
  /** Show the `stack` field of error records (otherwise dropped: users see messages, not stacks). */
  verbose?: boolean;
}

/** One log record as a line: `[warn] rsi_strategy: message {"field":1}`. */
export function formatLogRecord(record: LogRecord, colors: Colors, verbose = false): string {
  const paint =
    record.level === 'error'
      ? colors.red
      : record.level === 'warn'
        ? colors.yellow
        : record.level === 'debug'
          ? colors.dim
          : colors.cyan;
  const { stack, ...rest } = record.fields ?? {};
  const fields = Object.keys(rest).length === 0 ? '' : ` ${colors.dim(JSON.stringify(rest))}`;
  const trace = verbose && typeof stack === 'string' ? `\n${colors.dim(stack)}` : '';
  return `${paint(`[${record.level}]`)} ${colors.bold(record.name)}: ${record.message}${fields}${trace}`;
}

/** A log sink writing one line per record (never to stdout, so `--json` output stays clean). */
export function createLogSink(options: LogSinkOptions): LogSink {
  return (record) => {
    options.beforeWrite?.();
    options.write(`${formatLogRecord(record, options.colors, options.verbose)}\n`);
  };
}
