import fc from 'fast-check';

/**
 * Random price paths for property tests: a start price and multiplicative steps of at most
 * +-5 %, so prices stay positive and cover calm and wild stretches alike.
 */
export function pricePath(minLength: number, maxLength: number): fc.Arbitrary<number[]> {
  return fc
    .record({
      start: fc.double({ min: 1, max: 1000, noNaN: true }),
      steps: fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), {
        minLength: minLength - 1,
        maxLength: maxLength - 1,
      }),
    })
    .map(({ start, steps }) => {
      const path = [start];
      for (const step of steps) path.push((path[path.length - 1] as number) * (1 + step));
      return path;
    });
}

/** Prices from a handful of integer levels, so that equal averages (ties) are common. */
export function tiedPricePath(minLength: number, maxLength: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 8, max: 12 }), { minLength, maxLength });
}
