import { describe, expect, it } from 'vitest';
import { hashCombine, hashString, mix32, SeededRandom } from './seeded-random';

describe('SeededRandom', () => {
  it('repeats a sequence for a seed and restarts on reseed', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const first = Array.from({ length: 5 }, () => a.nextUniform());
    expect(Array.from({ length: 5 }, () => b.nextUniform())).toEqual(first);
    a.reseed(42);
    expect(a.nextUniform()).toBe(first[0]);
    expect(new SeededRandom(43).nextUniform()).not.toBe(first[0]);
  });

  it('draws uniforms in (0, 1) and standard normals', () => {
    const random = new SeededRandom(7);
    let sum = 0;
    let sumSquares = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const u = random.nextUniform();
      expect(u > 0 && u < 1).toBe(true);
      const z = random.nextNormal();
      sum += z;
      sumSquares += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.02);
    expect(Math.abs(sumSquares / n - 1)).toBeLessThan(0.03);
  });
});

describe('hashing', () => {
  it('spreads nearby inputs and tells strings apart', () => {
    expect(mix32(1)).not.toBe(mix32(2));
    expect(hashString('AAPL')).not.toBe(hashString('AAPM'));
    expect(hashCombine(1, -5)).not.toBe(hashCombine(1, 5));
    expect(hashCombine(1, 2 ** 40)).not.toBe(hashCombine(1, 0));
    expect(hashString('ES')).toBe(hashString('ES'));
  });
});
