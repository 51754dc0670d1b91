// PostgreSQL column types to Connect schemas, and their text values to Connect values, as the JDBC source maps
// them: int2/int4/int8 to int16/int32/int64, numeric(p,s) to Decimal with scale s, timestamp(tz) to
// Timestamp, date to Date, time to Time, bool, bytea to bytes, float4/float8, and text-like types (text,
// varchar, json, jsonb, uuid, enums, arrays, intervals, ...) to string. An unconstrained numeric has no scale
// for a Decimal: it becomes float64.
import { LOGICAL_TYPES, type ConnectField, type ConnectSchema, type ConnectValue } from '../../api/data.js';

export interface ColumnDescription {
  readonly name: string;
  readonly typeOid: number;
  /** pg's atttypmod: numeric precision and scale, or -1. */
  readonly typeModifier: number;
  readonly notNull: boolean;
}

export interface ColumnMapping {
  readonly schema: ConnectSchema;
  read(text: string): ConnectValue;
}

const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  float4: 700,
  float8: 701,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
} as const;

const MILLIS_PER_DAY = 86_400_000;

/** A timestamp's text in a UTC session: 2026-12-05 20:13:52.123456(+00). */
const TIMESTAMP_TEXT =
  /^(-?\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?)?( BC)?$/;

/** Milliseconds since the epoch and the microseconds beyond them, of a timestamp's text. */
export function parseTimestamp(text: string): { millis: number; micros: number } {
  if (text === 'infinity') return { millis: 8.64e15, micros: 0 };
  if (text === '-infinity') return { millis: -8.64e15, micros: 0 };
  const match = TIMESTAMP_TEXT.exec(text);
  if (!match) throw new Error(`'${text}' is not a PostgreSQL timestamp`);
  let year = Number(match[1]);
  if (match[12]) year = 1 - year;
  const fraction = (match[7] ?? '').padEnd(6, '0');
  const offsetMinutes = match[8]
    ? (match[8] === '-' ? -1 : 1) *
      (Number(match[9]) * 60 + Number(match[10] ?? 0) + Number(match[11] ?? 0) / 60)
    : 0;
  const base = Date.UTC(
    0,
    Number(match[2]) - 1,
    Number(match[3]),
    Number(match[4]),
    Number(match[5]),
    Number(match[6]),
  );
  const withYear = new Date(base);
  withYear.setUTCFullYear(year);
  const micros = Number(fraction);
  return {
    millis: withYear.getTime() + Math.floor(micros / 1000) - offsetMinutes * 60_000,
    micros: micros % 1000,
  };
}

function parseDate(text: string): Date {
  const { millis } = parseTimestamp(`${text} 00:00:00`);
  return new Date(Math.floor(millis / MILLIS_PER_DAY) * MILLIS_PER_DAY);
}

function parseTime(text: string): Date {
  const match = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) throw new Error(`'${text}' is not a PostgreSQL time`);
  const millis = ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000;
  return new Date(millis + Math.floor(Number((match[4] ?? '').padEnd(6, '0')) / 1000));
}

/** bytea's hex output (\x0102...); the old escape format is read too. */
function parseBytea(text: string): Uint8Array {
  if (text.startsWith('\\x')) return Buffer.from(text.slice(2), 'hex');
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '\\' && text[index + 1] === '\\') {
      bytes.push(0x5c);
      index++;
    } else if (text[index] === '\\') {
      bytes.push(parseInt(text.slice(index + 1, index + 4), 8));
      index += 3;
    } else {
      bytes.push(text.charCodeAt(index));
    }
  }
  return Uint8Array.from(bytes);
}

function parseFloatText(text: string): number {
  if (text === 'NaN') return Number.NaN;
  if (text === 'Infinity') return Number.POSITIVE_INFINITY;
  if (text === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** numeric(p,s): atttypmod is ((p << 16) | s) + 4; -1 when unconstrained. */
function numericScale(typeModifier: number): { precision: number; scale: number } | null {
  if (typeModifier < 4) return null;
  const packed = typeModifier - 4;
  return { precision: (packed >> 16) & 0xffff, scale: packed & 0xffff };
}

export function columnMapping(column: ColumnDescription): ColumnMapping {
  const optional = !column.notNull;
  const plain = (type: ConnectSchema['type'], read: (text: string) => ConnectValue): ColumnMapping => ({
    schema: { type, optional },
    read,
  });
  switch (column.typeOid) {
    case OID.bool:
      return plain('boolean', (text) => text === 't' || text === 'true');
    case OID.bytea:
      return plain('bytes', parseBytea);
    case OID.int2:
      return plain('int16', Number);
    case OID.int4:
      return plain('int32', Number);
    case OID.int8:
    case OID.oid:
      return plain('int64', (text) => BigInt(text));
    case OID.float4:
      return plain('float32', parseFloatText);
    case OID.float8:
      return plain('float64', parseFloatText);
    case OID.numeric: {
      const numeric = numericScale(column.typeModifier);
      if (numeric === null) return plain('float64', parseFloatText);
      return {
        schema: {
          type: 'bytes',
          optional,
          name: LOGICAL_TYPES.decimal,
          version: 1,
          parameters: {
            scale: String(numeric.scale),
            'connect.decimal.precision': String(numeric.precision),
          },
        },
        read: (text) => text,
      };
    }
    case OID.date:
      return {
        schema: { type: 'int32', optional, name: LOGICAL_TYPES.date, version: 1 },
        read: parseDate,
      };
    case OID.time:
      return {
        schema: { type: 'int32', optional, name: LOGICAL_TYPES.time, version: 1 },
        read: parseTime,
      };
    case OID.timestamp:
    case OID.timestamptz:
      return {
        schema: { type: 'int64', optional, name: LOGICAL_TYPES.timestamp, version: 1 },
        read: (text) => new Date(parseTimestamp(text).millis),
      };
    default:
      return plain('string', (text) => text);
  }
}

export interface RowMapping {
  readonly schema: ConnectSchema;
  /** The struct value of a row of texts in column order (null for SQL NULL). */
  read(row: readonly (string | null)[]): Record<string, ConnectValue>;
}

/** The struct schema of a result's columns, named like the JDBC source names it (the table's name). */
export function rowMapping(columns: readonly ColumnDescription[], name: string | undefined): RowMapping {
  const mappings = columns.map((column) => ({ column, mapping: columnMapping(column) }));
  const fields: ConnectField[] = mappings.map(({ column, mapping }, index) => ({
    name: column.name,
    index,
    schema: mapping.schema,
  }));
  return {
    schema: { type: 'struct', optional: false, ...(name !== undefined ? { name } : {}), fields },
    read(row) {
      const out: Record<string, ConnectValue> = {};
      for (const [index, { column, mapping }] of mappings.entries()) {
        const text = row[index];
        out[column.name] = text === null || text === undefined ? null : mapping.read(text);
      }
      return out;
    },
  };
}
