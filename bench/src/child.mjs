// @ts-check
// Runs one workload (or its baseline) in this fresh process and sends the result to the parent.
// Usage (by run.mjs): node --expose-gc src/child.mjs <workload> <run|baseline> <full|quick>
import { findWorkload } from './workloads.mjs';

const [id = '', part = 'run', size = 'quick'] = process.argv.slice(2);

/** @param {unknown} message */
function reply(message) {
  if (process.send === undefined) {
    console.log(JSON.stringify(message, null, 2));
    process.exit(0);
  }
  // Exit right after the result is out: a handle left open by a workload must not hang the bench.
  process.send(message, () => process.exit(0));
}

try {
  const workload = findWorkload(id);
  if (size !== 'full' && size !== 'quick') throw new Error(`size must be full or quick, got ${size}`);
  const measure = part === 'baseline' ? workload.baseline : workload.run;
  if (measure === undefined) throw new Error(`${workload.id} has no ${part}`);
  reply({ ok: true, result: await measure(size) });
} catch (error) {
  reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
