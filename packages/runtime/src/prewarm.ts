/**
 * `@strat/runtime/prewarm`: starts strategy worker threads ahead of a session, before the rest of the
 * runtime is loaded. It imports nothing of `@strat/core` (nor zod), so a program's first statement can
 * call it and the threads load their modules while the program loads its own (`strat run` does).
 * The same functions as the package's main entry (one pool: a session takes the threads started here).
 * @packageDocumentation
 */
export { prewarmStrategyWorkers, releasePrewarmedStrategyWorkers } from './thread/prewarm-pool';
