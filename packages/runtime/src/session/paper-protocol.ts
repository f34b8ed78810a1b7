import type { ExecutionSettings } from '../execution/execution-types';
import type { AccountResult } from '../execution/paper-account';
import type { FillBatch } from './fill-batch';
import type { StrategyEquity } from './paper-engine';
import type { PaperChunk } from './paper-stream';

/** The session to its paper thread (`paper-worker.ts`). */
export type ToPaperThread =
  | {
      type: 'init';
      /** Per strategy name, its effective settings, in account order. */
      settings: Array<[string, ExecutionSettings]>;
      /** Int32 slot 0: chunks the thread has applied (it notifies each). */
      progress: SharedArrayBuffer;
    }
  | { type: 'chunk'; chunk: PaperChunk }
  | { type: 'finish' };

/** The paper thread to the session. */
export type FromPaperThread =
  | { type: 'fills'; fills: FillBatch }
  /** A chunk's entries array, applied and given back for the session to fill again. */
  | { type: 'spent'; entries: Float64Array }
  | { type: 'equity'; points: StrategyEquity[] }
  | { type: 'finished'; accounts: AccountResult[] }
  | { type: 'failed'; message: string; stack: string | undefined };
