import { PassThrough } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pipeWorkerStdout } from './start-worker';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('pipeWorkerStdout', () => {
  it("sends every worker's stdout to stderr without adding listeners to stderr (no leak warning at 20 workers)", async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(Buffer.from(chunk).toString());
      return true;
    });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const before = process.stderr.eventNames().map((e) => process.stderr.listenerCount(e));
    const streams = Array.from({ length: 20 }, () => new PassThrough());
    for (const stdout of streams) pipeWorkerStdout({ stdout } as unknown as Worker);
    streams.forEach((s, i) => {
      s.write(`worker ${i}\n`);
    });
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(written.sort()).toEqual(streams.map((_, i) => `worker ${i}\n`).sort());
    expect(process.stderr.eventNames().map((e) => process.stderr.listenerCount(e))).toEqual(before);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
