// Converts a value to the representation of the type it was widened to (see widening.ts).
import { SqlDecimal } from './decimal.js';
import type { SqlType } from './types.js';
import type { SqlValue } from './values.js';

export function coerceValue(value: SqlValue, from: SqlType, to: SqlType): SqlValue {
  if (value === null) return value;
  // A wider DECIMAL has at least the scale: bring the value to it, so that results print alike.
  if (to.kind === 'DECIMAL' && value instanceof SqlDecimal && value.scale !== to.scale) {
    return value.setScale(to.scale, 'HALF_UP');
  }
  if (from.kind === to.kind) return value;
  switch (to.kind) {
    case 'BIGINT':
      if (typeof value === 'number') return BigInt(value);
      break;
    case 'DECIMAL':
      if (typeof value === 'number') return SqlDecimal.fromBigInt(BigInt(value));
      if (typeof value === 'bigint') return SqlDecimal.fromBigInt(value);
      break;
    case 'DOUBLE':
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      if (value instanceof SqlDecimal) return value.toNumber();
      break;
    default:
      break;
  }
  throw new Error(`cannot convert a ${from.kind} value to ${to.kind}`);
}
