// @ts-check
// One W1 or W1x session in this fresh process (W1x's interleaved pairs, see measureW1x); prints the run
// as JSON on stdout.
// Usage: node src/workloads/w1-once.mjs <full|quick> <w1|w1x>
import { runSession } from '../run-session.mjs';
import { figuresOf, W1_EXECUTION, W1_SIZES, w1Config } from './w1-replay.mjs';

const [size = 'quick', kind = 'w1'] = process.argv.slice(2);
if ((size !== 'full' && size !== 'quick') || (kind !== 'w1' && kind !== 'w1x')) {
  console.error('usage: node w1-once.mjs <full|quick> <w1|w1x>');
  process.exit(2);
}
const run = await runSession(w1Config(W1_SIZES[size], kind === 'w1x' ? W1_EXECUTION : undefined), {
  executor: 'worker',
});
process.stdout.write(`${JSON.stringify(figuresOf(run))}\n`, () => process.exit(0));
