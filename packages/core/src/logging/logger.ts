/** Log levels from most to least verbose. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** The logger every strategy and scanner gets. The runtime may route it elsewhere (a worker forwards to the main thread). */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A log record as handed to a {@link LogSink}. */
export interface LogRecord {
  level: Exclude<LogLevel, 'silent'>;
  name: string;
  message: string;
  fields: LogFields | undefined;
}

/** Where log records go. */
export type LogSink = (record: LogRecord) => void;

/** True when a record at `level` passes a logger set to `threshold`. */
export function isLevelEnabled(level: LogLevel, threshold: LogLevel): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[threshold];
}

const consoleSink: LogSink = (r) => {
  const line = `[${r.level}] ${r.name}: ${r.message}`;
  const args = r.fields === undefined ? [line] : [line, r.fields];
  if (r.level === 'error') console.error(...args);
  else if (r.level === 'warn') console.warn(...args);
  else console.log(...args);
};

/** Creates a named logger writing records at or above `level` to `sink` (default: the console). */
export function createLogger(name: string, level: LogLevel = 'info', sink: LogSink = consoleSink): Logger {
  const emit =
    (l: Exclude<LogLevel, 'silent'>) =>
    (message: string, fields?: LogFields): void => {
      if (isLevelEnabled(l, level)) sink({ level: l, name, message, fields });
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
