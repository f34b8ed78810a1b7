import type { SessionConfig } from '@strat/core';
import type {
  SweepCombinationProblem,
  SweepObjective,
  SweepParam,
  SweepRow,
  WalkForwardStep,
  WalkForwardWindow,
} from '@strat/runtime';
import type { ThreadError } from '../../sessions/process/session-process-protocol';

/** What a sweep's process is started with (its first message). */
export interface SweepProcessInit {
  config: SessionConfig;
  configDir: string;
  /** The project: the only strategy root. */
  projectRoot: string;
  params: SweepParam[];
  /** The grid indices to run (the whole grid, or a seeded sample of it). */
  indices: number[];
  /** Worker threads running combinations at once. */
  workers: number;
  objective: SweepObjective;
  minimize: boolean;
  /** The walk-forward windows, or null for a plain sweep. */
  windows: WalkForwardWindow[] | null;
}

/** Which part of a walk-forward a row belongs to (null for a plain sweep). */
export interface SweepRowPlace {
  /** The window, from 0. */
  window: number | null;
  phase: 'train' | 'test' | null;
}

/** Service to sweep process. */
export type SweepControl =
  | { type: 'init'; init: SweepProcessInit }
  /** Run the combinations (after `ready`). */
  | { type: 'start' }
  /** Start no further combination; the running ones are abandoned, finished ones kept. */
  | { type: 'stop' }
  /** Let go of the pool and exit. */
  | { type: 'shutdown' };

/** Sweep process to service. */
export type SweepReport =
  /** Every combination checked (strategies set up): the service records the sweep, then sends `start`. */
  | { type: 'ready' }
  /** Combinations the strategies refuse (a value their config schema refuses, ...). */
  | { type: 'refused'; problems: SweepCombinationProblem[] }
  /** The check itself failed. */
  | { type: 'failed'; error: ThreadError }
  /** One combination finished (ranked or failed). */
  | { type: 'row'; row: SweepRow; place: SweepRowPlace }
  /** No further row follows: every combination ran, or the sweep was stopped. */
  | { type: 'end'; stopped: boolean; steps: WalkForwardStep[] | null; error?: string }
  /** Something uncaught: the process exits next. */
  | { type: 'fatal'; message: string };
