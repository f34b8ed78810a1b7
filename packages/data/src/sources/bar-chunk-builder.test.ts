import { describe, expect, it } from 'vitest';
import { BarChunkBuilder } from './bar-chunk-builder';

describe('BarChunkBuilder', () => {
  it('hands out full chunks and trimmed partial ones, never reusing arrays', () => {
    const builder = new BarChunkBuilder('ES', 3);
    for (let i = 0; i < 3; i++) builder.push(i, i + 1, i + 2, i, i + 1, 10 * i);
    expect(builder.isFull).toBe(true);
    const full = builder.take();
    expect(full.length).toBe(3);
    expect(Array.from(full.time)).toEqual([0, 1, 2]);
    expect(Array.from(full.volume)).toEqual([0, 10, 20]);
    builder.push(3, 4, 5, 3, 4, 30);
    const partial = builder.take();
    expect(partial.length).toBe(1);
    expect(partial.close.length).toBe(1);
    expect(Array.from(partial.high)).toEqual([5]);
    // The first chunk is untouched by the later pushes.
    expect(Array.from(full.time)).toEqual([0, 1, 2]);
    expect(partial.time.buffer).not.toBe(full.time.buffer);
    expect(builder.length).toBe(0);
  });
});
