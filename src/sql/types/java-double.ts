// Java's Double.toString for finite values, the one text every stage prints doubles with.

/**
 * Finite, non-zero doubles as Double.toString writes them: plain in [10^-3, 10^7), else `d.dddE±n`.
 * Java always prints a fractional digit and, when a second significant digit is printed anyway, takes
 * the one nearest the exact binary value (Double.MIN_VALUE is `4.9E-324`, where JS's shortest is `5e-324`).
 */
export function javaFiniteDouble(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const shortest = value.toExponential();
  // A one-digit mantissa gets a second digit: the nearest to the exact value when that still reads back.
  const twoDigits = value.toExponential(1);
  const text = shortest.split('e')[0]?.includes('.') || Number(twoDigits) !== value ? shortest : twoDigits;
  const [mantissa = '', exponent = '0'] = text.split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}
