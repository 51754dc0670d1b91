// Arithmetic as ksqlDB computes it: INTEGER wraps at 32 bits and BIGINT at 64 as Java's int and long do
// (and dividing either by zero fails), DOUBLE is IEEE, and DECIMAL is exact with ksqlDB's result
// precision and scale (DecimalUtil): for p1,s1 op p2,s2
//   + and -  scale max(s1,s2), precision scale + max(p1-s1, p2-s2) + 1
//   *        scale s1+s2, precision p1+p2+1
//   /        scale max(6, s1+p2+1), precision p1-s1+s2+scale
//   %        scale max(s1,s2), precision min(p1-s1, p2-s2)+scale
// An integer operand counts as DECIMAL(10,0) (INTEGER) or DECIMAL(19,0) (BIGINT) next to a DECIMAL.
import type { ArithmeticOperator } from '../parser/index.js';
import { SqlDecimal, SqlTypes, decimalFor, type SqlType, type SqlValue } from '../types/index.js';

const MAX_PRECISION = 38;

export class ArithmeticError extends Error {
  override readonly name = 'ArithmeticError';
}

export type NumericKind = 'INTEGER' | 'BIGINT' | 'DECIMAL' | 'DOUBLE';

export function isNumeric(type: SqlType): boolean {
  return (
    type.kind === 'INTEGER' || type.kind === 'BIGINT' || type.kind === 'DECIMAL' || type.kind === 'DOUBLE'
  );
}

const RANK: Readonly<Record<NumericKind, number>> = { INTEGER: 0, BIGINT: 1, DECIMAL: 2, DOUBLE: 3 };

function decimalResult(op: ArithmeticOperator, a: SqlType, b: SqlType): SqlType {
  const l = decimalFor(a);
  const r = decimalFor(b);
  if (l.kind !== 'DECIMAL' || r.kind !== 'DECIMAL') throw new Error('decimal operands expected');
  const [p1, s1, p2, s2] = [l.precision, l.scale, r.precision, r.scale];
  let precision: number;
  let scale: number;
  switch (op) {
    case '+':
    case '-':
      scale = Math.max(s1, s2);
      precision = scale + Math.max(p1 - s1, p2 - s2) + 1;
      break;
    case '*':
      scale = s1 + s2;
      precision = p1 + p2 + 1;
      break;
    case '/':
      scale = Math.max(6, s1 + p2 + 1);
      precision = p1 - s1 + s2 + scale;
      break;
    case '%':
      scale = Math.max(s1, s2);
      precision = Math.min(p1 - s1, p2 - s2) + scale;
      break;
  }
  if (precision > MAX_PRECISION) {
    // Keep the integer digits, giving up scale down to 6 (as Hive and ksqlDB do).
    scale = Math.max(MAX_PRECISION - (precision - scale), Math.min(scale, 6));
    precision = MAX_PRECISION;
  }
  return SqlTypes.decimal(Math.max(precision, 1), Math.min(scale, Math.max(precision, 1)));
}

/** The result type of `a op b`, or undefined when ksqlDB refuses the operand types. */
export function arithmeticType(op: ArithmeticOperator, a: SqlType, b: SqlType): SqlType | undefined {
  if (!isNumeric(a) || !isNumeric(b)) return undefined;
  const rank = Math.max(RANK[a.kind as NumericKind], RANK[b.kind as NumericKind]);
  if (rank === RANK.DOUBLE) return SqlTypes.DOUBLE;
  if (rank === RANK.DECIMAL) return decimalResult(op, a, b);
  return rank === RANK.BIGINT ? SqlTypes.BIGINT : SqlTypes.INTEGER;
}

/** Converts an operand's value to the representation of the operation's kind. */
export function toOperand(kind: NumericKind, from: SqlType): (v: SqlValue) => SqlValue {
  if (from.kind === kind) return (v) => v;
  switch (kind) {
    case 'BIGINT':
      return (v) => BigInt(v as number);
    case 'DECIMAL':
      return from.kind === 'INTEGER'
        ? (v) => SqlDecimal.fromBigInt(BigInt(v as number))
        : (v) => SqlDecimal.fromBigInt(v as bigint);
    case 'DOUBLE':
      return from.kind === 'DECIMAL'
        ? (v) => (v as SqlDecimal).toNumber()
        : from.kind === 'BIGINT'
          ? (v) => Number(v as bigint)
          : (v) => v;
    default:
      return (v) => v;
  }
}

type Op = (a: SqlValue, b: SqlValue) => SqlValue;

function divideByZero(): never {
  throw new ArithmeticError('/ by zero');
}

function intOp(op: ArithmeticOperator): Op {
  switch (op) {
    case '+':
      return (a, b) => ((a as number) + (b as number)) | 0;
    case '-':
      return (a, b) => ((a as number) - (b as number)) | 0;
    case '*':
      return (a, b) => Math.imul(a as number, b as number);
    case '/':
      return (a, b) => (b === 0 ? divideByZero() : ((a as number) / (b as number)) | 0);
    case '%':
      return (a, b) => (b === 0 ? divideByZero() : ((a as number) % (b as number)) | 0);
  }
}

function longOp(op: ArithmeticOperator): Op {
  switch (op) {
    case '+':
      return (a, b) => BigInt.asIntN(64, (a as bigint) + (b as bigint));
    case '-':
      return (a, b) => BigInt.asIntN(64, (a as bigint) - (b as bigint));
    case '*':
      return (a, b) => BigInt.asIntN(64, (a as bigint) * (b as bigint));
    case '/':
      return (a, b) => (b === 0n ? divideByZero() : BigInt.asIntN(64, (a as bigint) / (b as bigint)));
    case '%':
      return (a, b) => (b === 0n ? divideByZero() : (a as bigint) % (b as bigint));
  }
}

function doubleOp(op: ArithmeticOperator): Op {
  switch (op) {
    case '+':
      return (a, b) => (a as number) + (b as number);
    case '-':
      return (a, b) => (a as number) - (b as number);
    case '*':
      return (a, b) => (a as number) * (b as number);
    case '/':
      return (a, b) => (a as number) / (b as number);
    case '%':
      return (a, b) => (a as number) % (b as number);
  }
}

function align(a: SqlDecimal, scale: number): bigint {
  return a.unscaled * 10n ** BigInt(scale - a.scale);
}

/** Exact quotient of two unscaled values, rounded HALF_UP. */
function roundedDivide(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const negative = n < 0n !== d < 0n;
  const twice = (r < 0n ? -r : r) * 2n;
  return twice >= (d < 0n ? -d : d) ? q + (negative ? -1n : 1n) : q;
}

function decimalOp(op: ArithmeticOperator, result: { precision: number; scale: number }): Op {
  const scale = result.scale;
  const fit = (value: SqlDecimal): SqlDecimal => value.setScale(scale, 'HALF_UP');
  switch (op) {
    case '+':
    case '-': {
      const sign = op === '+' ? 1n : -1n;
      return (a, b) => {
        const x = a as SqlDecimal;
        const y = b as SqlDecimal;
        const s = Math.max(x.scale, y.scale);
        return fit(new SqlDecimal(align(x, s) + sign * align(y, s), s));
      };
    }
    case '*':
      return (a, b) => {
        const x = a as SqlDecimal;
        const y = b as SqlDecimal;
        return fit(new SqlDecimal(x.unscaled * y.unscaled, x.scale + y.scale));
      };
    case '/':
      return (a, b) => {
        const x = a as SqlDecimal;
        const y = b as SqlDecimal;
        if (y.unscaled === 0n) divideByZero();
        // x/y at `scale`: (x.u * 10^(scale + y.s - x.s)) / y.u
        const shift = scale + y.scale - x.scale;
        const n = shift >= 0 ? x.unscaled * 10n ** BigInt(shift) : x.unscaled / 10n ** BigInt(-shift);
        return new SqlDecimal(roundedDivide(n, y.unscaled), scale);
      };
    case '%':
      return (a, b) => {
        const x = a as SqlDecimal;
        const y = b as SqlDecimal;
        if (y.unscaled === 0n) divideByZero();
        const s = Math.max(x.scale, y.scale);
        return fit(new SqlDecimal(align(x, s) % align(y, s), s));
      };
  }
}

/** The operation on values already in the result kind's representation (NULLs handled by the caller). */
export function arithmeticOp(op: ArithmeticOperator, result: SqlType): Op {
  switch (result.kind) {
    case 'INTEGER':
      return intOp(op);
    case 'BIGINT':
      return longOp(op);
    case 'DECIMAL':
      return decimalOp(op, result);
    default:
      return doubleOp(op);
  }
}

export function negate(type: SqlType): (v: SqlValue) => SqlValue {
  switch (type.kind) {
    case 'INTEGER':
      return (v) => -(v as number) | 0;
    case 'BIGINT':
      return (v) => BigInt.asIntN(64, -(v as bigint));
    case 'DECIMAL':
      return (v) => (v as SqlDecimal).negate();
    default:
      return (v) => -(v as number);
  }
}
