// Starts strategy threads ahead and takes none: the process must end on its own, as without them.
import { prewarmedStrategyWorkerCount, prewarmStrategyWorkers } from '../src/thread/worker-executor';

prewarmStrategyWorkers(2);
process.stdout.write(`prewarmed ${prewarmedStrategyWorkerCount()}\n`);
