import { hostSweep, type SweepChannel } from './sweep-host';
import type { SweepControl, SweepReport } from './sweep-process-protocol';

// The entry of a sweep's process (built to dist/sweep-process.js), forked by the service; its pool
// runs dist/sweep-worker.js.
if (process.send === undefined) throw new Error('sweep-process runs as a child of @strat/service');

function send(report: SweepReport, done?: () => void): void {
  process.send?.(report, undefined, undefined, () => done?.());
}

const channel: SweepChannel = {
  send,
  onControl: (listener) => process.on('message', (control: SweepControl) => listener(control)),
  exit: () => process.exit(0),
};

// The service decides when a sweep stops: a Ctrl-C reaching the whole process group is its to handle.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
// The service is gone (it exited or was killed): so is the sweep.
process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (error) => {
  send({ type: 'fatal', message: error.message }, () => process.exit(70));
});
process.once('message', (control: SweepControl) => {
  if (control.type === 'init') {
    hostSweep(channel, control.init, { workerScript: new URL('./sweep-worker.js', import.meta.url) });
  }
});
