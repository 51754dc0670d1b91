// Arithmetic on one numeric SQL type at a time, with Java's behaviour: INTEGER and BIGINT wrap on
// overflow, a DECIMAL keeps its scale and refuses a result beyond its precision, as ksqlDB's SUM does.
import { SqlDecimal, type SqlType, type SqlValue } from '../../types/index.js';

export interface NumericOps {
  readonly zero: SqlValue;
  add(a: SqlValue, b: SqlValue): SqlValue;
  subtract(a: SqlValue, b: SqlValue): SqlValue;
  toDouble(value: SqlValue): number;
}

export function numericOps(type: SqlType): NumericOps {
  switch (type.kind) {
    case 'INTEGER':
      return {
        zero: 0,
        add: (a, b) => ((a as number) + (b as number)) | 0,
        subtract: (a, b) => ((a as number) - (b as number)) | 0,
        toDouble: (v) => v as number,
      };
    case 'BIGINT':
      return {
        zero: 0n,
        add: (a, b) => BigInt.asIntN(64, (a as bigint) + (b as bigint)),
        subtract: (a, b) => BigInt.asIntN(64, (a as bigint) - (b as bigint)),
        toDouble: (v) => Number(v as bigint),
      };
    case 'DOUBLE':
      return {
        zero: 0,
        add: (a, b) => (a as number) + (b as number),
        subtract: (a, b) => (a as number) - (b as number),
        toDouble: (v) => v as number,
      };
    case 'DECIMAL': {
      const { precision, scale } = type;
      const fit = (unscaled: bigint): SqlDecimal => {
        const result = new SqlDecimal(unscaled, scale);
        if (result.precision > precision) throw new NumericOverflowError();
        return result;
      };
      const unscaled = (v: SqlValue): bigint => (v as SqlDecimal).setScale(scale, 'HALF_UP').unscaled;
      return {
        zero: new SqlDecimal(0n, scale),
        add: (a, b) => fit(unscaled(a) + unscaled(b)),
        subtract: (a, b) => fit(unscaled(a) - unscaled(b)),
        toDouble: (v) => (v as SqlDecimal).toNumber(),
      };
    }
    default:
      throw new Error(`${type.kind} is not numeric`);
  }
}

/**
 * A DECIMAL sum past its precision. ksqlDB lets it out of the aggregation (a KsqlFunctionException), which
 * stops the query, rather than logging the record and going on.
 */
export class NumericOverflowError extends Error {
  constructor() {
    super('Numeric field overflow');
    this.name = 'NumericOverflowError';
  }
}
