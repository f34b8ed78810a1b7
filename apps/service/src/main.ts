import { buildServer } from './server/build-server';
import { readServiceSettings, USAGE } from './server/read-service-settings';

/** Prints what went wrong for the user (the stack only with --verbose) and exits 1. */
function fail(error: unknown, verbose: boolean): never {
  process.stderr.write(`@strat/service: ${error instanceof Error ? error.message : String(error)}\n`);
  if (verbose && error instanceof Error && error.stack !== undefined)
    process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const verbose = process.argv.includes('--verbose');
  let settings: ReturnType<typeof readServiceSettings>;
  try {
    settings = readServiceSettings(process.argv.slice(2), process.env);
  } catch (error) {
    fail(error, verbose);
  }
  if (settings === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let app: Awaited<ReturnType<typeof buildServer>>;
  try {
    app = await buildServer({ ...settings.options, logger: { level: settings.logLevel } });
    await app.listen({ host: settings.host, port: settings.port });
  } catch (error) {
    fail(error, settings.verbose);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : settings.port;
  const shownHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  app.log.info(
    {
      url: `http://${shownHost}:${port}`,
      dataDir: settings.options.dataDir,
      docs: `http://${shownHost}:${port}/docs`,
    },
    '@strat/service ready',
  );
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'stopping: running sessions are stopped cleanly');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'clean shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

void main();
