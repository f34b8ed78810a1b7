/**
 * Mixes the bits of a 32-bit integer (MurmurHash3's finaliser), so nearby inputs give unrelated outputs.
 */
export function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines a hash with one more integer (any safe integer, negative ones included). */
export function hashCombine(hash: number, value: number): number {
  const low = value | 0;
  const high = Math.floor(value / 4294967296) | 0;
  return mix32(mix32(hash ^ Math.imul(low, 0x9e3779b1)) + Math.imul(high ^ 0x7f4a7c15, 0x27d4eb2f));
}

/** A 32-bit FNV-1a hash of a string's UTF-16 code units. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/**
 * A small, fast, seedable pseudo-random generator (mulberry32) with Box-Muller normals. Not for
 * cryptography; the same seed always gives the same sequence on every platform.
 */
export class SeededRandom {
  private state: number;
  /** The pair's second normal is `spareRadius * sin(spareAngle)`, worked out only when asked for (a reseed drops it). */
  private spareRadius = 0;
  private spareAngle = 0;
  private hasSpare = false;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** Restarts the sequence from `seed`. */
  reseed(seed: number): void {
    this.state = seed | 0;
    this.hasSpare = false;
  }

  /** A uniform number in the open interval (0, 1). */
  nextUniform(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  }

  /** A standard normal number (mean 0, standard deviation 1). */
  nextNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spareRadius * Math.sin(this.spareAngle);
    }
    const radius = Math.sqrt(-2 * Math.log(this.nextUniform()));
    const angle = 2 * Math.PI * this.nextUniform();
    this.spareRadius = radius;
    this.spareAngle = angle;
    this.hasSpare = true;
    return radius * Math.cos(angle);
  }
}
