import { extname } from 'node:path';
import { createLogger, type Logger, type LogLevel } from '@strat/core';
import { FEED_ENV } from '@strat/data';
import type { MarketReplayServer } from '@strat/data/replay';
import { ExitCode, type ExitCodeValue } from '../exit-codes';
import { colorsFor } from '../terminal/colors';
import { createLogSink } from '../terminal/log-sink';
import { formatDuration } from '../terminal/progress-reporter';
import { UsageError } from '../usage-error';
import { defaultCsvSymbol, describeReplay } from './replay-description';

/** Options of `strat feed serve`. */
export interface FeedServeCommandOptions {
  port: number;
  host: string;
  /** Replayed ms per wall ms. */
  speed: number;
  key?: string;
  secret?: string;
  from?: string;
  to?: string;
  /** CSV only: the symbol of its bars. */
  symbol?: string;
  logLevel?: LogLevel;
  verbose?: boolean;
  /** After the last bar, how long to wait for clients to leave before closing (default 5000 ms). */
  lingerMs?: number;
}

const STOP_SIGNALS = { SIGINT: ExitCode.INTERRUPTED, SIGTERM: ExitCode.TERMINATED } as const;
type StopSignal = keyof typeof STOP_SIGNALS;

const integer = new Intl.NumberFormat('en-US');
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * `strat feed serve <config-or-csv>`: replays a session config's bars (or one CSV file of 1m bars)
 * over the Alpaca market-data stream protocol on a local port, prints where it listens and what
 * it serves, and runs until the replay is over (exit 0) or Ctrl-C (exit 130). Credentials are
 * checked, never printed.
 */
export async function feedServeCommand(
  path: string,
  options: FeedServeCommandOptions,
): Promise<ExitCodeValue> {
  const isCsv = extname(path).toLowerCase() !== '.json';
  if (!isCsv && options.symbol !== undefined) {
    throw new UsageError(
      '--symbol names the symbol of a CSV file; a session config names its own (data_config, symbols)',
    );
  }
  const logger = createLogger(
    'replay',
    options.logLevel ?? 'info',
    createLogSink({
      write: (text) => process.stderr.write(text),
      colors: colorsFor(process.stderr),
      verbose: options.verbose,
    }),
  );

  const symbol = isCsv ? (options.symbol ?? defaultCsvSymbol(path)) : undefined;
  // Loaded here: the replay server (and ws) would cost every other command its load time.
  const { serveFeedFromConfig } = await import('@strat/data/replay');
  const server = await serveFeedFromConfig({
    path,
    port: options.port,
    host: options.host,
    speed: options.speed,
    key: options.key,
    secret: options.secret,
    from: options.from,
    to: options.to,
    symbol,
  });
  try {
    return await announceAndServe(server, path, { ...options, symbol }, logger);
  } finally {
    await server.close();
  }
}

async function announceAndServe(
  server: MarketReplayServer,
  path: string,
  options: FeedServeCommandOptions,
  logger: Logger,
): Promise<ExitCodeValue> {
  const stdout = process.stdout;
  const stderr = process.stderr;
  const out = colorsFor(stdout);
  const what = describeReplay(path, options);
  const sessions = server.sessions;
  const first = sessions[0];
  const last = sessions[sessions.length - 1];
  const replayedMs = sessions.reduce((sum, s) => sum + (s.close - s.open), 0);
  const symbols =
    what.symbols !== undefined
      ? what.symbols.join(', ')
      : `any symbol a client subscribes${what.configSymbols.length > 0 ? ` (the config's: ${what.configSymbols.join(', ')})` : ''}`;
  const label = (name: string) => out.dim(name.padEnd(12));
  // SIGINT / SIGTERM are handled before the banner says where the server listens: whoever reads it may
  // signal at once (a signal before the handlers would kill the process with no exit code of ours).
  const ended = waitForEnd(server, options.lingerMs ?? 5000, () =>
    logger.info(
      `replay finished: ${integer.format(server.barsSent)} bars sent; closing once the clients leave ` +
        `(at most ${formatDuration((options.lingerMs ?? 5000) / 1000)})`,
    ),
  );
  stdout.write(
    [
      `${out.bold('strat feed serve')}: replaying ${what.kind} ${path} at ${options.speed}x`,
      `  ${label('listening')}${out.cyan(server.url)}`,
      `  ${label('bars')}1m, ${what.bars}, sent over the Alpaca market-data v2 stream protocol`,
      `  ${label('symbols')}${symbols}`,
      `  ${label('dates')}${first?.date} to ${last?.date}: ${sessions.length} session${sessions.length === 1 ? '' : 's'}, ` +
        `${formatDuration(replayedMs / options.speed / 1000)} of replay`,
      `  ${label('credentials')}${what.credentials}`,
      `The replay clock starts when the first client subscribes; clients that join later get the bars from then on.`,
      `Point a live session at it: live_config.feed_url "${server.url}" (or ${FEED_ENV.url}). Ctrl-C stops.`,
      '',
    ].join('\n'),
  );
  if (!LOOPBACK.has(options.host)) {
    logger.warn(`listening on ${options.host}: other machines can connect (they still need the credentials)`);
  }

  server.on('authenticated', ({ connection }) => logger.info(`client ${connection} authenticated`));
  server.on('subscribed', ({ connection, symbols: set }) =>
    logger.info(`client ${connection} subscribed: ${set.length === 0 ? '(nothing)' : set.join(', ')}`),
  );
  server.on('disconnected', ({ connection }) => logger.info(`client ${connection} disconnected`));
  server.on('session', (session) => {
    const index = sessions.findIndex((s) => s.date === session.date) + 1;
    logger.info(`replaying session ${session.date} (${index} of ${sessions.length})`);
  });
  server.on('problem', (error) => logger.warn(error.message));

  const outcome = await ended;
  if (outcome !== 'finished') {
    stderr.write(
      `${colorsFor(stderr).yellow(`${outcome === 'SIGINT' ? 'interrupted' : 'terminated'}:`)} closing the replay\n`,
    );
  }
  await server.close();
  logger.info(`closed after ${integer.format(server.barsSent)} bars sent`);
  return outcome === 'finished' ? ExitCode.OK : STOP_SIGNALS[outcome];
}

/** Resolves once the replay is over and its clients left (or `lingerMs` passed), or at SIGINT / SIGTERM. */
function waitForEnd(
  server: MarketReplayServer,
  lingerMs: number,
  onFinished: () => void,
): Promise<'finished' | StopSignal> {
  return new Promise((resolve) => {
    let linger: NodeJS.Timeout | undefined;
    const done = (outcome: 'finished' | StopSignal) => {
      clearTimeout(linger);
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onTerminate);
      server.off('finished', onReplayFinished);
      server.off('disconnected', onDisconnected);
      resolve(outcome);
    };
    const onInterrupt = () => done('SIGINT');
    const onTerminate = () => done('SIGTERM');
    const onDisconnected = () => {
      if (server.finished && server.connectionCount === 0) done('finished');
    };
    const onReplayFinished = () => {
      onFinished();
      if (server.connectionCount === 0) done('finished');
      else linger = setTimeout(() => done('finished'), lingerMs);
    };
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onTerminate);
    server.on('finished', onReplayFinished);
    server.on('disconnected', onDisconnected);
  });
}
