import { prewarmStrategyWorkers, releasePrewarmedStrategyWorkers } from '@strat/runtime/prewarm';
import type { ServiceChannel } from './session-host';
import type { SessionControl, SessionReport } from './session-process-protocol';

// The entry of a session's process (built to dist/session-process.js), forked by the service.
if (process.send === undefined) throw new Error('session-process runs as a child of @strat/service');

// A session here runs its strategies in worker threads (see session-host). The first one starts loading
// its modules now (~0.3 s), beside this process's own, which load below: only @strat/runtime/prewarm is
// loaded so far, and it loads nothing of @strat/core. The session takes it when it starts; the process
// ends it when it exits without having used it.
prewarmStrategyWorkers(1);
const host = import('./session-host');
// Handled where it is used; a failed load must not also end the process as an unhandled rejection first.
host.catch(() => undefined);

function send(report: SessionReport, done?: () => void): void {
  const callback = () => done?.();
  try {
    process.send?.(report, undefined, undefined, callback);
  } catch {
    // What the serializer refuses (a function in a log field, ...) goes as JSON.
    process.send?.(JSON.parse(JSON.stringify(report)) as SessionReport, undefined, undefined, callback);
  }
}

/** Sends a fatal error and ends the process (exit code 70). */
function fatal(message: string): void {
  send({ type: 'fatal', message }, () => process.exit(70));
}

const channel: ServiceChannel = {
  send,
  onControl: (listener) => process.on('message', (control: SessionControl) => listener(control)),
  // A strategy thread started ahead and never taken (a refused config, a session never started) ends
  // normally first: cut off by the exit, it would leave a truncated V8 coverage file under NODE_V8_COVERAGE.
  exit: () => {
    void releasePrewarmedStrategyWorkers().finally(() => process.exit(0));
  },
};

// The service decides when a session stops: a Ctrl-C reaching the whole process group is its to handle.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
// The service is gone (it exited or was killed): so is the session.
process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (error) => {
  host.then(
    ({ describeError }) => fatal(describeError(error).message),
    () => fatal(error instanceof Error ? error.message : String(error)),
  );
});
// Listened to at once: the service sends `init` as soon as the process is forked. The host's modules
// may still be loading then; it registers for the later controls before it reports `ready`.
process.once('message', (control: SessionControl) => {
  if (control.type !== 'init') return;
  host.then(
    ({ hostSession }) => hostSession(channel, control.init),
    (error: unknown) =>
      fatal(`the session host failed to load: ${error instanceof Error ? error.message : String(error)}`),
  );
});
