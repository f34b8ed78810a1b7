import { describeError, hostSession, type ServiceChannel } from './session-host';
import type { SessionControl, SessionReport } from './session-process-protocol';

// The entry of a session's process (built to dist/session-process.js), forked by the service.
if (process.send === undefined) throw new Error('session-process runs as a child of @strat/service');

function send(report: SessionReport, done?: () => void): void {
  const callback = () => done?.();
  try {
    process.send?.(report, undefined, undefined, callback);
  } catch {
    // What the serializer refuses (a function in a log field, ...) goes as JSON.
    process.send?.(JSON.parse(JSON.stringify(report)) as SessionReport, undefined, undefined, callback);
  }
}

const channel: ServiceChannel = {
  send,
  onControl: (listener) => process.on('message', (control: SessionControl) => listener(control)),
  exit: () => process.exit(0),
};

// The service decides when a session stops: a Ctrl-C reaching the whole process group is its to handle.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
// The service is gone (it exited or was killed): so is the session.
process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (error) => {
  send({ type: 'fatal', message: describeError(error).message }, () => process.exit(70));
});
process.once('message', (control: SessionControl) => {
  if (control.type === 'init') hostSession(channel, control.init);
});
