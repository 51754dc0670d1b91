// DECIMAL values. ksqlDB uses Java's BigDecimal: exact, with a fixed scale that shows in the output
// ("1.10" stays "1.10"). A JS number would lose both, so a DECIMAL is an unscaled bigint and a scale.

/**
 * HALF_UP: ties away from zero (BigDecimal's HALF_UP). HALF_CEILING: ties toward +infinity, as Java's
 * Math.round, which ksqlDB's ROUND follows for negative numbers too (ROUND(-2.5) = -2).
 */
export type RoundingMode = 'HALF_UP' | 'HALF_CEILING' | 'FLOOR' | 'CEILING';

export class SqlDecimal {
  /** value = unscaled × 10^-scale */
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {
    if (!Number.isInteger(scale) || scale < 0) throw new Error(`a decimal scale must be >= 0, got ${scale}`);
  }

  /**
   * Parses "12.30", "-0.5", "7", "1.5E-7"; the scale is the number of digits after the point (BigDecimal's
   * scale, never below 0 here).
   */
  static parse(text: string): SqlDecimal {
    const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
    if (match === null || (match[2] === '' && (match[3] ?? '') === '')) {
      throw new Error(`'${text}' is not a decimal number; write digits with an optional point, e.g. 12.30`);
    }
    const fraction = match[3] ?? '';
    const digits = BigInt(`${match[2]}${fraction}` || '0');
    const scale = fraction.length - Number(match[4] ?? '0');
    const unscaled = match[1] === '-' ? -digits : digits;
    if (scale >= 0) return new SqlDecimal(unscaled, scale);
    return new SqlDecimal(unscaled * 10n ** BigInt(-scale), 0);
  }

  /** The double's shortest decimal form, as Java's BigDecimal.valueOf(double) takes it. */
  static fromDouble(value: number): SqlDecimal {
    if (!Number.isFinite(value)) throw new Error(`${value} has no decimal value`);
    return SqlDecimal.parse(String(value));
  }

  static fromBigInt(value: bigint): SqlDecimal {
    return new SqlDecimal(value, 0);
  }

  get sign(): -1 | 0 | 1 {
    return this.unscaled === 0n ? 0 : this.unscaled < 0n ? -1 : 1;
  }

  negate(): SqlDecimal {
    return new SqlDecimal(-this.unscaled, this.scale);
  }

  abs(): SqlDecimal {
    return this.unscaled < 0n ? this.negate() : this;
  }

  /** The digits before the point and after, counted as ksqlDB's precision counts them. */
  get precision(): number {
    const digits = (this.unscaled < 0n ? -this.unscaled : this.unscaled).toString().length;
    return Math.max(digits, this.scale);
  }

  /**
   * Changes the scale. Growing it is exact; shrinking rounds with `mode`. A negative `scale` rounds to tens,
   * hundreds, ... and the result keeps scale 0 (ROUND(v, -1)).
   */
  setScale(scale: number, mode: RoundingMode): SqlDecimal {
    if (scale >= this.scale) return new SqlDecimal(this.unscaled * 10n ** BigInt(scale - this.scale), scale);
    const divisor = 10n ** BigInt(this.scale - scale);
    let quotient = this.unscaled / divisor; // truncates toward zero
    const remainder = this.unscaled % divisor;
    if (remainder !== 0n) {
      const negative = this.unscaled < 0n;
      if (mode === 'FLOOR' && negative) quotient -= 1n;
      else if (mode === 'CEILING' && !negative) quotient += 1n;
      else if (mode === 'HALF_UP' || mode === 'HALF_CEILING') {
        const twice = (remainder < 0n ? -remainder : remainder) * 2n;
        const tieTowardZero = mode === 'HALF_CEILING' && negative;
        if (twice > divisor || (twice === divisor && !tieTowardZero)) quotient += negative ? -1n : 1n;
      }
    }
    if (scale >= 0) return new SqlDecimal(quotient, scale);
    return new SqlDecimal(quotient * 10n ** BigInt(-scale), 0);
  }

  toNumber(): number {
    return Number(this.toString());
  }

  /** Numeric order, whatever the scales: 1.0 and 1.00 compare equal. */
  compare(other: SqlDecimal): -1 | 0 | 1 {
    const scale = Math.max(this.scale, other.scale);
    const a = this.unscaled * 10n ** BigInt(scale - this.scale);
    const b = other.unscaled * 10n ** BigInt(scale - other.scale);
    return a === b ? 0 : a < b ? -1 : 1;
  }

  /** Plain notation, keeping trailing zeros of the scale: "3.20", "-0.5", "12". */
  toString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString().padStart(this.scale + 1, '0');
    const point = digits.length - this.scale;
    const text = this.scale === 0 ? digits : `${digits.slice(0, point)}.${digits.slice(point)}`;
    return negative ? `-${text}` : text;
  }
}
