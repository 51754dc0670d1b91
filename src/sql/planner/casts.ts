// CAST(x AS type) as ksqlDB does it: numbers narrow like Java (a BIGINT wraps to INTEGER, a DOUBLE
// truncates and saturates), DECIMALs round HALF_UP to the target scale and fail when they no longer fit,
// STRINGs parse (a bad one fails: NULL and a processing error), anything casts to STRING as Java prints
// it, and ARRAY, MAP and STRUCT cast element by element, field by field.
import { SqlDecimal, formatType, type SqlType, type SqlValue } from '../types/index.js';
import { DAY_MS, javaText, parseDateText, parseTimeText, parseTimestampText } from './java-text.js';

export type Converter = (value: SqlValue) => SqlValue;

export class CastError extends Error {
  override readonly name = 'CastError';
}

const INT32 = 2 ** 31;

/** Java's (int) of a double: truncation toward zero, saturating, NaN to 0. */
export function doubleToInt(value: number): number {
  if (Number.isNaN(value)) return 0;
  if (value >= INT32 - 1) return INT32 - 1;
  if (value <= -INT32) return -INT32;
  return Math.trunc(value);
}

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

/** Java's (long) of a double. */
export function doubleToLong(value: number): bigint {
  if (Number.isNaN(value)) return 0n;
  if (value >= 9.223372036854776e18) return LONG_MAX;
  if (value <= -9.223372036854776e18) return LONG_MIN;
  return BigInt(Math.trunc(value));
}

function decimalToBigint(value: SqlDecimal): bigint {
  return value.unscaled / 10n ** BigInt(value.scale);
}

/** Rounds to the target scale and checks the precision, as ksqlDB's DecimalUtil.ensureFit. */
export function fitDecimal(value: SqlDecimal, precision: number, scale: number): SqlDecimal {
  const scaled = value.setScale(scale, 'HALF_UP');
  const digits = (scaled.unscaled < 0n ? -scaled.unscaled : scaled.unscaled).toString().length;
  if (scaled.unscaled !== 0n && digits > precision) {
    throw new CastError(
      `Cannot fit decimal '${value.toString()}' into DECIMAL(${precision}, ${scale}) without rounding. (Requires ${Math.max(value.precision - value.scale, 0) + scale},${scale})`,
    );
  }
  return scaled;
}

function syntaxError(type: string, text: string): CastError {
  return new CastError(`invalid input syntax for type ${type}: "${text}"`);
}

function parseInteger(text: string, type: 'INTEGER' | 'BIGINT'): bigint {
  const trimmed = text.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) throw syntaxError(type, text);
  const value = BigInt(trimmed);
  const limit = type === 'INTEGER' ? 2n ** 31n : 2n ** 63n;
  if (value >= limit || value < -limit) throw syntaxError(type, text);
  return value;
}

function parseDouble(text: string): number {
  const trimmed = text.trim();
  if (/^[+-]?(NaN|Infinity)$/.test(trimmed)) return Number(trimmed);
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(trimmed)) throw syntaxError('DOUBLE', text);
  return Number(trimmed.replace(/[dDfF]$/, ''));
}

const BOOLEAN_TEXT: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['t', true],
  ['yes', true],
  ['y', true],
  ['false', false],
  ['f', false],
  ['no', false],
  ['n', false],
]);

function toInteger(from: SqlType): Converter | undefined {
  switch (from.kind) {
    case 'INTEGER':
      return (v) => v;
    case 'BIGINT':
      return (v) => Number(BigInt.asIntN(32, v as bigint));
    case 'DOUBLE':
      return (v) => doubleToInt(v as number);
    case 'DECIMAL':
      return (v) => Number(BigInt.asIntN(32, decimalToBigint(v as SqlDecimal)));
    case 'STRING':
      return (v) => Number(parseInteger(v as string, 'INTEGER'));
    default:
      return undefined;
  }
}

function toBigint(from: SqlType): Converter | undefined {
  switch (from.kind) {
    case 'INTEGER':
      return (v) => BigInt(v as number);
    case 'BIGINT':
      return (v) => v;
    case 'DOUBLE':
      return (v) => doubleToLong(v as number);
    case 'DECIMAL':
      return (v) => BigInt.asIntN(64, decimalToBigint(v as SqlDecimal));
    case 'STRING':
      return (v) => parseInteger(v as string, 'BIGINT');
    default:
      return undefined;
  }
}

function toDouble(from: SqlType): Converter | undefined {
  switch (from.kind) {
    case 'INTEGER':
    case 'DOUBLE':
      return (v) => v;
    case 'BIGINT':
      return (v) => Number(v as bigint);
    case 'DECIMAL':
      return (v) => (v as SqlDecimal).toNumber();
    case 'STRING':
      return (v) => parseDouble(v as string);
    default:
      return undefined;
  }
}

function toDecimal(from: SqlType, precision: number, scale: number): Converter | undefined {
  const fit = (d: SqlDecimal): SqlDecimal => fitDecimal(d, precision, scale);
  switch (from.kind) {
    case 'INTEGER':
      return (v) => fit(SqlDecimal.fromBigInt(BigInt(v as number)));
    case 'BIGINT':
      return (v) => fit(SqlDecimal.fromBigInt(v as bigint));
    case 'DOUBLE':
      return (v) => {
        const n = v as number;
        if (!Number.isFinite(n)) throw new CastError(`Cannot convert ${n} to DECIMAL`);
        return fit(SqlDecimal.fromDouble(n));
      };
    case 'DECIMAL':
      return (v) => fit(v as SqlDecimal);
    case 'STRING':
      return (v) => {
        let parsed: SqlDecimal;
        try {
          parsed = SqlDecimal.parse(v as string);
        } catch {
          throw syntaxError('DECIMAL', v as string);
        }
        return fit(parsed);
      };
    default:
      return undefined;
  }
}

function toBoolean(from: SqlType): Converter | undefined {
  if (from.kind === 'BOOLEAN') return (v) => v;
  if (from.kind === 'STRING') {
    return (v) => {
      const parsed = BOOLEAN_TEXT.get((v as string).trim().toLowerCase());
      if (parsed === undefined) throw syntaxError('BOOLEAN', v as string);
      return parsed;
    };
  }
  return undefined;
}

function toTimestamp(from: SqlType): Converter | undefined {
  switch (from.kind) {
    case 'TIMESTAMP':
      return (v) => v;
    case 'DATE':
      return (v) => (v as number) * DAY_MS;
    case 'STRING':
      return (v) => {
        const t = parseTimestampText(v as string);
        if (t === undefined) throw syntaxError('TIMESTAMP', v as string);
        return t;
      };
    default:
      return undefined;
  }
}

function toDate(from: SqlType): Converter | undefined {
  switch (from.kind) {
    case 'DATE':
      return (v) => v;
    case 'TIMESTAMP':
      return (v) => Math.floor((v as number) / DAY_MS);
    case 'STRING':
      return (v) => {
        const d = parseDateText(v as string);
        if (d === undefined) throw syntaxError('DATE', v as string);
        return d;
      };
    default:
      return undefined;
  }
}

function toTime(from: SqlType): Converter | undefined {
  switch (from.kind) {
    case 'TIME':
      return (v) => v;
    case 'TIMESTAMP':
      return (v) => (((v as number) % DAY_MS) + DAY_MS) % DAY_MS;
    case 'STRING':
      return (v) => {
        const t = parseTimeText(v as string);
        if (t === undefined) throw syntaxError('TIME', v as string);
        return t;
      };
    default:
      return undefined;
  }
}

function nullSafe(convert: Converter): Converter {
  return (v) => (v === null ? null : convert(v));
}

function toArray(from: SqlType, element: SqlType): Converter | undefined {
  if (from.kind !== 'ARRAY') return undefined;
  const inner = castConverter(from.element, element);
  if (inner === undefined) return undefined;
  return (v) => (v as readonly SqlValue[]).map(inner);
}

function toMap(from: SqlType, key: SqlType, value: SqlType): Converter | undefined {
  if (from.kind !== 'MAP') return undefined;
  const keys = castConverter(from.key, key);
  const values = castConverter(from.value, value);
  if (keys === undefined || values === undefined) return undefined;
  return (v) => {
    const out = new Map<SqlValue, SqlValue>();
    for (const [k, x] of v as ReadonlyMap<SqlValue, SqlValue>) out.set(keys(k), values(x));
    return out;
  };
}

function toStruct(from: SqlType, to: Extract<SqlType, { kind: 'STRUCT' }>): Converter | undefined {
  if (from.kind !== 'STRUCT') return undefined;
  const fields: { name: string; convert: Converter }[] = [];
  for (const field of to.fields) {
    const source = from.fields.find((f) => f.name === field.name);
    if (source === undefined) {
      fields.push({ name: field.name, convert: () => null });
      continue;
    }
    const convert = castConverter(source.type, field.type);
    if (convert === undefined) return undefined;
    fields.push({ name: field.name, convert });
  }
  return (v) => {
    const struct = v as Readonly<Record<string, SqlValue>>;
    const out: Record<string, SqlValue> = {};
    for (const f of fields) out[f.name] = f.convert(struct[f.name] ?? null);
    return out;
  };
}

/**
 * A converter from `from` to `to` (NULL stays NULL), or undefined when ksqlDB refuses the cast. A NULL
 * literal (`from` null) casts to anything.
 */
export function castConverter(from: SqlType | null, to: SqlType): Converter | undefined {
  if (from === null) return () => null;
  let convert: Converter | undefined;
  switch (to.kind) {
    case 'STRING':
      convert = from.kind === 'STRING' ? (v) => v : (v) => javaText(v, from);
      break;
    case 'INTEGER':
      convert = toInteger(from);
      break;
    case 'BIGINT':
      convert = toBigint(from);
      break;
    case 'DOUBLE':
      convert = toDouble(from);
      break;
    case 'DECIMAL':
      convert = toDecimal(from, to.precision, to.scale);
      break;
    case 'BOOLEAN':
      convert = toBoolean(from);
      break;
    case 'TIMESTAMP':
      convert = toTimestamp(from);
      break;
    case 'DATE':
      convert = toDate(from);
      break;
    case 'TIME':
      convert = toTime(from);
      break;
    case 'BYTES':
      convert = from.kind === 'BYTES' ? (v) => v : undefined;
      break;
    case 'ARRAY':
      convert = toArray(from, to.element);
      break;
    case 'MAP':
      convert = toMap(from, to.key, to.value);
      break;
    case 'STRUCT':
      convert = toStruct(from, to);
      break;
  }
  return convert === undefined ? undefined : nullSafe(convert);
}

export function unsupportedCastMessage(from: SqlType, to: SqlType): string {
  return `Cast of ${formatType(from)} to ${formatType(to)} is not supported`;
}
