// Implicit numeric widening, as ksqlDB applies it when it resolves a function call:
// INTEGER → BIGINT → DECIMAL → DOUBLE. Nothing else converts implicitly (no STRING ↔ number).
import { SqlTypes, type SqlType } from './types.js';

const NUMERIC_ORDER = ['INTEGER', 'BIGINT', 'DECIMAL', 'DOUBLE'] as const;

function numericRank(type: SqlType): number {
  return NUMERIC_ORDER.indexOf(type.kind as (typeof NUMERIC_ORDER)[number]);
}

/**
 * How many steps widen `from` to `to`'s kind: 0 for the same kind, undefined when it cannot. A DECIMAL
 * parameter accepts any precision and scale, so the check is on the kind only.
 */
export function wideningDistance(from: SqlType, to: SqlType): number | undefined {
  if (from.kind === to.kind) return 0;
  const fromRank = numericRank(from);
  const toRank = numericRank(to);
  if (fromRank < 0 || toRank < 0 || fromRank > toRank) return undefined;
  return toRank - fromRank;
}

export function canWiden(from: SqlType, to: SqlType): boolean {
  return wideningDistance(from, to) !== undefined;
}

/** The DECIMAL that holds every value of an integer type exactly, as ksqlDB sizes it. */
export function decimalFor(type: SqlType): SqlType {
  if (type.kind === 'INTEGER') return SqlTypes.decimal(10, 0);
  if (type.kind === 'BIGINT') return SqlTypes.decimal(19, 0);
  return type;
}

/** The smallest type both widen to (for COALESCE, IFNULL), or undefined when they have none. */
export function commonType(a: SqlType, b: SqlType): SqlType | undefined {
  if (canWiden(a, b))
    return a.kind === b.kind ? a : b.kind === 'DECIMAL' ? widerDecimal(decimalFor(a), b) : b;
  if (canWiden(b, a)) return commonType(b, a);
  return undefined;
}

function widerDecimal(a: SqlType, b: SqlType): SqlType {
  if (a.kind !== 'DECIMAL' || b.kind !== 'DECIMAL') return b;
  const scale = Math.max(a.scale, b.scale);
  const integerDigits = Math.max(a.precision - a.scale, b.precision - b.scale);
  return SqlTypes.decimal(integerDigits + scale, scale);
}
