// Starts strategy threads ahead and takes none: the process must end on its own, as without them.
import { prewarmedStrategyWorkerCount, prewarmStrategyWorkers } from '../src/thread/prewarm-pool';

prewarmStrategyWorkers(2);
process.stdout.write(`prewarmed ${prewarmedStrategyWorkerCount()}\n`);
