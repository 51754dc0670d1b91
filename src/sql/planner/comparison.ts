// Comparing two values as ksqlDB does: numbers of any kinds by value (through the wider kind), strings by
// UTF-16 code units as Java's compareTo, BYTES as ByteBuffer's compareTo, BOOLEAN and the containers
// (ARRAY, MAP, STRUCT) for equality only, and DATE/TIME/TIMESTAMP with each other or with a STRING, which is parsed.
import type { ComparisonOperator } from '../parser/index.js';
import { SqlDecimal, type SqlType, type SqlValue } from '../types/index.js';
import { isNumeric, toOperand, type NumericKind } from './arithmetic.js';
import { DAY_MS, parseDateText, parseTimeText, parseTimestampText } from './java-text.js';

/** Negative, zero or positive, as compareTo. Throws when a STRING is no time of the other side's type. */
export type Comparator = (a: SqlValue, b: SqlValue) => number;

export const OPERATOR_NAMES: Readonly<Record<ComparisonOperator, string>> = {
  '=': 'EQUAL',
  '<>': 'NOT_EQUAL',
  '<': 'LESS_THAN',
  '<=': 'LESS_THAN_OR_EQUAL',
  '>': 'GREATER_THAN',
  '>=': 'GREATER_THAN_OR_EQUAL',
};

const TIME_KINDS = new Set(['DATE', 'TIME', 'TIMESTAMP']);
const EQUALITY_ONLY = new Set(['BOOLEAN', 'ARRAY', 'MAP', 'STRUCT']);

function numericKind(a: SqlType, b: SqlType): NumericKind {
  const kinds = [a.kind, b.kind];
  if (kinds.includes('DOUBLE')) return 'DOUBLE';
  if (kinds.includes('DECIMAL')) return 'DECIMAL';
  if (kinds.includes('BIGINT')) return 'BIGINT';
  return 'INTEGER';
}

function compareScalars(a: SqlValue, b: SqlValue): number {
  if (a instanceof SqlDecimal) return a.compare(b as SqlDecimal);
  const x = a as number | bigint | string | boolean;
  const y = b as number | bigint | string | boolean;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** BYTES as Java's ByteBuffer.compareTo: byte by byte as signed numbers, then the shorter first. */
function compareBytes(a: SqlValue, b: SqlValue): number {
  const x = a as Uint8Array;
  const y = b as Uint8Array;
  const common = Math.min(x.length, y.length);
  for (let i = 0; i < common; i++) {
    const l = ((x[i] as number) << 24) >> 24;
    const r = ((y[i] as number) << 24) >> 24;
    if (l !== r) return l < r ? -1 : 1;
  }
  return x.length - y.length;
}

/** Milliseconds (TIMESTAMP), days (DATE) or ms of the day (TIME) of a STRING. */
function timeParser(kind: string): (text: string) => number {
  const parse = kind === 'DATE' ? parseDateText : kind === 'TIME' ? parseTimeText : parseTimestampText;
  return (text) => {
    const value = parse(text);
    if (value === undefined) throw new Error(`Cannot parse '${text}' as a ${kind}`);
    return value;
  };
}

/** Brings a DATE/TIMESTAMP pair to ms since the epoch. */
function timeValue(kind: string, other: string): (v: SqlValue) => SqlValue {
  if (kind === 'DATE' && other === 'TIMESTAMP') return (v) => (v as number) * DAY_MS;
  return (v) => v;
}

/**
 * A comparator for values of types `a` and `b`, or undefined when ksqlDB refuses to compare them with
 * `operator` (which may be IS [NOT] DISTINCT FROM, as equality).
 */
export function comparatorFor(a: SqlType, b: SqlType, equalityOnly: boolean): Comparator | undefined {
  if (isNumeric(a) && isNumeric(b)) {
    const kind = numericKind(a, b);
    const left = toOperand(kind, a);
    const right = toOperand(kind, b);
    if (kind === 'DOUBLE') {
      return (x, y) => {
        const l = left(x) as number;
        const r = right(y) as number;
        return l < r ? -1 : l > r ? 1 : 0;
      };
    }
    return (x, y) => compareScalars(left(x), right(y));
  }
  if (TIME_KINDS.has(a.kind) || TIME_KINDS.has(b.kind)) {
    if (a.kind === 'STRING') {
      const parse = timeParser(b.kind);
      return (x, y) => compareScalars(parse(x as string), y);
    }
    if (b.kind === 'STRING') {
      const parse = timeParser(a.kind);
      return (x, y) => compareScalars(x, parse(y as string));
    }
    const timestamps =
      (a.kind === 'TIMESTAMP' || a.kind === 'DATE') && (b.kind === 'TIMESTAMP' || b.kind === 'DATE');
    if (a.kind !== b.kind && !timestamps) return undefined;
    const left = timeValue(a.kind, b.kind);
    const right = timeValue(b.kind, a.kind);
    return (x, y) => compareScalars(left(x), right(y));
  }
  if (a.kind === 'STRING' && b.kind === 'STRING') return compareScalars;
  if (a.kind === 'BYTES' && b.kind === 'BYTES') return compareBytes;
  if (EQUALITY_ONLY.has(a.kind) && a.kind === b.kind) {
    if (!equalityOnly) return undefined;
    return (x, y) => (valuesEqual(x, y) ? 0 : 1);
  }
  return undefined;
}

function numericValue(v: SqlValue): SqlDecimal | number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return SqlDecimal.fromBigInt(v);
  if (v instanceof SqlDecimal) return v;
  return undefined;
}

/** Numbers of any representation by value: 1 (INTEGER), 1n (BIGINT) and 1.0 (DECIMAL) are equal. */
function numbersEqual(a: SqlValue, b: SqlValue): boolean | undefined {
  const x = numericValue(a);
  const y = numericValue(b);
  if (x === undefined || y === undefined) return undefined;
  if (typeof x === 'number' || typeof y === 'number') {
    const l = typeof x === 'number' ? x : x.toNumber();
    const r = typeof y === 'number' ? y : y.toNumber();
    return l === r;
  }
  return x.compare(y) === 0;
}

/**
 * Deep equality (containers included), numbers by value whatever their representation, so that a
 * container of INTEGERs equals one of BIGINTs with the same numbers, as ksqlDB compares them widened.
 */
export function valuesEqual(a: SqlValue, b: SqlValue): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const numeric = numbersEqual(a, b);
  if (numeric !== undefined) return numeric;
  if (a instanceof Uint8Array) return b instanceof Uint8Array && Buffer.compare(a, b) === 0;
  if (Array.isArray(a)) {
    const other = b as readonly SqlValue[];
    return (
      Array.isArray(other) && a.length === other.length && a.every((v, i) => valuesEqual(v, other[i] ?? null))
    );
  }
  if (a instanceof Map) {
    const other = b as ReadonlyMap<SqlValue, SqlValue>;
    if (!(other instanceof Map) || a.size !== other.size) return false;
    for (const [k, v] of a as ReadonlyMap<SqlValue, SqlValue>) {
      if (!other.has(k) || !valuesEqual(v, other.get(k) ?? null)) return false;
    }
    return true;
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const x = a as Readonly<Record<string, SqlValue>>;
    const y = b as Readonly<Record<string, SqlValue>>;
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    for (const key of keys) if (!valuesEqual(x[key] ?? null, y[key] ?? null)) return false;
    return true;
  }
  return false;
}

/**
 * Whether an IN list's item of type `item` can stand for a value of type `value` when both are ARRAY,
 * MAP or STRUCT: ksqlDB coerces the list to the value's type, so their elements, keys, values and
 * fields must agree (numbers with numbers); `=` alone would let any two maps or structs meet.
 */
export function nestedTypesCompatible(value: SqlType, item: SqlType): boolean {
  if (value.kind === 'ARRAY' && item.kind === 'ARRAY')
    return nestedTypesCompatible(value.element, item.element);
  if (value.kind === 'MAP' && item.kind === 'MAP')
    return nestedTypesCompatible(value.key, item.key) && nestedTypesCompatible(value.value, item.value);
  if (value.kind === 'STRUCT' && item.kind === 'STRUCT')
    // Fields by name; one that only one side has is left out, as ksqlDB's struct coercion leaves it.
    return value.fields.every((field) => {
      const other = item.fields.find((f) => f.name === field.name);
      return other === undefined || nestedTypesCompatible(field.type, other.type);
    });
  if (isNumeric(value) && isNumeric(item)) return true;
  // A string may be a literal that coerces to a number or a boolean (STRUCT(A := '7')); its value is
  // checked when the item is built.
  if (item.kind === 'STRING' && (isNumeric(value) || value.kind === 'BOOLEAN')) return true;
  return value.kind === item.kind;
}
