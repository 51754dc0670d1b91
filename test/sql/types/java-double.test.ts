// Doubles as Java's Double.toString prints them (literals: "DOUBLE literal min/max").
import { describe, expect, it } from 'vitest';
import { javaFiniteDouble } from '../../../src/sql/types/index.js';

describe('javaFiniteDouble', () => {
  it('prints plain between 10^-3 and 10^7, else E notation with at least one fractional digit', () => {
    expect(javaFiniteDouble(1)).toBe('1.0');
    expect(javaFiniteDouble(0.001)).toBe('0.001');
    expect(javaFiniteDouble(1e7)).toBe('1.0E7');
    expect(javaFiniteDouble(1.5e-7)).toBe('1.5E-7');
    expect(javaFiniteDouble(1e23)).toBe('1.0E23');
  });

  it('takes the second digit nearest the exact value when it still reads back (Double.MIN_VALUE)', () => {
    expect(javaFiniteDouble(Number.MIN_VALUE)).toBe('4.9E-324');
    expect(javaFiniteDouble(-Number.MIN_VALUE)).toBe('-4.9E-324');
    expect(javaFiniteDouble(2.2250738585072014e-308)).toBe('2.2250738585072014E-308');
    expect(javaFiniteDouble(Number.MAX_VALUE)).toBe('1.7976931348623157E308');
  });
});
