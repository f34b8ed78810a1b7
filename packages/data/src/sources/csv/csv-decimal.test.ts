import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../generator/seeded-random';
import { parsePlainDecimal } from './csv-decimal';

const decimal = (text: string): number => parsePlainDecimal(`x${text}x`, 1, text.length + 1);

describe('parsePlainDecimal', () => {
  it('gives exactly what Number gives for plain decimals of up to 15 digits', () => {
    const random = new SeededRandom(11);
    for (let n = 0; n < 50_000; n++) {
      const digits = 1 + Math.floor(random.nextUniform() * 15);
      let text = '';
      for (let d = 0; d < digits; d++) text += Math.floor(random.nextUniform() * 10);
      const point = Math.floor(random.nextUniform() * digits);
      if (point > 0) text = `${text.slice(0, point)}.${text.slice(point)}`;
      if (random.nextUniform() < 0.3) text = `-${text}`;
      expect(Object.is(decimal(text), Number(text)) ? text : `${text}: ${decimal(text)}`).toBe(text);
    }
    expect(Object.is(decimal('-0'), -0)).toBe(true);
    expect(decimal('+2.50')).toBe(2.5);
    expect(decimal('112.08')).toBe(112.08);
  });

  it('gives NaN where the caller needs Number (exponents, hex, long or odd numbers)', () => {
    for (const text of [
      '',
      '-',
      '1.',
      '.5',
      '1e5',
      '0x10',
      '1.2.3',
      '1 2',
      'Infinity',
      '1234567890123456',
      '--1',
    ]) {
      expect(decimal(text)).toBeNaN();
    }
  });
});
