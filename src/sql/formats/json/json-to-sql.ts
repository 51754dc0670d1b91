// JSON values to SQL values, with the coercions of ksqlDB's JSON deserializer: numbers and numeric strings
// into INT/BIGINT/DOUBLE/DECIMAL, anything into STRING (objects as their JSON text, arrays as "[a, b]"),
// struct fields matched exactly first and then case-insensitively. One converter is built per type, once.
import { SqlDecimal, formatType, type SqlStruct, type SqlType, type SqlValue } from '../../types/index.js';
import { JsonNumberText, JsonObject, type JsonValue } from './json-reader.js';
import { writeJsonValue } from './json-writer.js';

/** A value that does not convert; `path` is where, as ksqlDB writes it ($.FOO[0].BAR). */
export class JsonCoercionError extends Error {
  constructor(
    readonly reason: string,
    readonly path: string,
  ) {
    super(`${reason}, path: ${path}`);
  }
}

export type JsonToSql = (value: JsonValue) => SqlValue;

/** Jackson's node class names, which ksqlDB's messages show. */
function nodeName(value: JsonValue): string {
  if (typeof value === 'boolean') return 'BooleanNode';
  if (typeof value === 'string') return 'TextNode';
  if (typeof value === 'number')
    return Number.isInteger(value) && Math.abs(value) <= 2147483647 ? 'IntNode' : 'LongNode';
  if (value instanceof JsonNumberText) return value.integral ? 'BigIntegerNode' : 'DecimalNode';
  if (Array.isArray(value)) return 'ArrayNode';
  return 'ObjectNode';
}

function cannotConvert(value: JsonValue, type: SqlType): Error {
  return new Error(`Can't convert type. sourceType: ${nodeName(value)}, requiredType: ${formatType(type)}`);
}

function cannotCoerceString(type: SqlType): Error {
  return new Error(`Can't coerce string to type. targetType: ${formatType(type)}`);
}

const INTEGER_TEXT = /^[+-]?\d+$/;
/** Java's Double.parseDouble: optional spaces, sign, NaN/Infinity, a trailing d/f. */
const DOUBLE_TEXT = /^\s*[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?)\s*$/;

export function parseJavaDouble(text: string): number | undefined {
  if (!DOUBLE_TEXT.test(text)) return undefined;
  return Number(text.trim().replace(/[dDfF]$/, ''));
}

/** Integer.parseInt / Long.parseLong: digits with an optional sign, in range. */
export function parseJavaInteger(text: string, bits: 32 | 64): bigint | undefined {
  if (!INTEGER_TEXT.test(text)) return undefined;
  const value = BigInt(text);
  return BigInt.asIntN(bits, value) === value ? value : undefined;
}

/** A number node's value as a long (Jackson's asLong: fractions truncated, overflow wraps). */
function numberToLong(value: number | JsonNumberText): bigint {
  if (typeof value === 'number') return BigInt.asIntN(64, BigInt(Math.trunc(value)));
  if (value.integral) return BigInt.asIntN(64, BigInt(value.text));
  const double = Number(value.text);
  return Number.isFinite(double) ? BigInt.asIntN(64, BigInt(Math.trunc(double))) : 0n;
}

/**
 * DECIMAL(p, s): the exact value brought to scale s (ksqlDB's ensureFit: a value that needs rounding or has
 * too many integer digits is an error).
 */
export function fitDecimal(value: SqlDecimal, precision: number, scale: number): SqlDecimal {
  const scaled = value.setScale(scale, 'HALF_UP');
  if (scaled.compare(value) !== 0 || scaled.precision > precision) {
    const required = `${Math.max(value.precision - value.scale, 0) + value.scale},${value.scale}`;
    throw new Error(
      `Cannot fit decimal '${value.toString()}' into DECIMAL(${precision}, ${scale}) without rounding. (Requires ${required})`,
    );
  }
  return scaled;
}

function numberText(value: number | JsonNumberText): string {
  return typeof value === 'number' ? String(value) : value.text;
}

/** Wraps a converter so that a failure below says where it happened. */
function at(segment: string, convert: JsonToSql, value: JsonValue): SqlValue {
  try {
    return convert(value);
  } catch (error) {
    if (error instanceof JsonCoercionError) throw new JsonCoercionError(error.reason, segment + error.path);
    throw new JsonCoercionError((error as Error).message, segment);
  }
}

function toStringValue(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' || value instanceof JsonNumberText) return numberText(value);
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === null ? 'null' : toStringValue(item))).join(', ')}]`;
  }
  return writeJsonValue(value as JsonObject);
}

/** The converter for one SQL type; null converts to null everywhere. */
export function jsonToSql(type: SqlType): JsonToSql {
  switch (type.kind) {
    case 'BOOLEAN':
      return (value) => {
        if (value === null || typeof value === 'boolean') return value;
        throw cannotConvert(value, type);
      };
    case 'INTEGER':
      return (value) => {
        if (value === null) return null;
        if (typeof value === 'number')
          return Number.isInteger(value) && (value | 0) === value
            ? value
            : Number(BigInt.asIntN(32, numberToLong(value)));
        if (value instanceof JsonNumberText) return Number(BigInt.asIntN(32, numberToLong(value)));
        if (typeof value === 'string') {
          const parsed = parseJavaInteger(value, 32);
          if (parsed === undefined) throw cannotCoerceString(type);
          return Number(parsed);
        }
        throw cannotConvert(value, type);
      };
    case 'BIGINT':
    case 'TIMESTAMP':
    case 'DATE':
    case 'TIME': {
      const asNumber = type.kind !== 'BIGINT';
      return (value) => {
        if (value === null) return null;
        let long: bigint;
        if (typeof value === 'number' && Number.isInteger(value)) return asNumber ? value : BigInt(value);
        if (typeof value === 'number' || value instanceof JsonNumberText) long = numberToLong(value);
        else if (typeof value === 'string') {
          const parsed = parseJavaInteger(value, 64);
          if (parsed === undefined) throw cannotCoerceString(type);
          long = parsed;
        } else throw cannotConvert(value, type);
        return asNumber ? Number(long) : long;
      };
    }
    case 'DOUBLE':
      return (value) => {
        if (value === null || typeof value === 'number') return value;
        if (value instanceof JsonNumberText) return Number(value.text);
        if (typeof value === 'string') {
          const parsed = parseJavaDouble(value);
          if (parsed === undefined) throw cannotCoerceString(type);
          return parsed;
        }
        throw cannotConvert(value, type);
      };
    case 'DECIMAL':
      return (value) => {
        if (value === null) return null;
        if (typeof value === 'number' || value instanceof JsonNumberText || typeof value === 'string') {
          let decimal: SqlDecimal;
          try {
            decimal = SqlDecimal.parse(typeof value === 'string' ? value : numberText(value));
          } catch {
            throw cannotCoerceString(type);
          }
          return fitDecimal(decimal, type.precision, type.scale);
        }
        throw cannotConvert(value, type);
      };
    case 'STRING':
      return (value) => (value === null ? null : toStringValue(value));
    case 'BYTES':
      return (value) => {
        if (value === null) return null;
        if (typeof value !== 'string') throw cannotConvert(value, type);
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1) {
          throw new Error(`Value is not a valid base64 encoded string: ${value}`);
        }
        return new Uint8Array(Buffer.from(value, 'base64'));
      };
    case 'ARRAY': {
      const element = jsonToSql(type.element);
      return (value) => {
        if (value === null) return null;
        if (!Array.isArray(value)) throw cannotConvert(value, type);
        const out = new Array<SqlValue>(value.length);
        for (let i = 0; i < value.length; i++) out[i] = at(`[${i}]`, element, value[i]);
        return out;
      };
    }
    case 'MAP': {
      const convertValue = jsonToSql(type.value);
      return (value) => {
        if (value === null) return null;
        if (!(value instanceof JsonObject)) throw cannotConvert(value, type);
        const out = new Map<SqlValue, SqlValue>();
        for (let i = 0; i < value.names.length; i++) {
          out.set(value.names[i], at(`.${value.names[i]}.value`, convertValue, value.values[i]));
        }
        return out;
      };
    }
    case 'STRUCT': {
      const fields = structReader(type.fields.map((field) => ({ name: field.name, type: field.type })));
      return (value) => {
        if (value === null) return null;
        if (!(value instanceof JsonObject)) throw cannotConvert(value, type);
        const values = fields(value);
        const out: Record<string, SqlValue> = {};
        type.fields.forEach((field, i) => (out[field.name] = values[i]));
        return out as SqlStruct;
      };
    }
  }
}

/**
 * Reads the named fields out of an object: an exact name match wins, else the member whose upper-cased name
 * matches (ksqlDB's rule: unquoted names are upper case, so `foo` in the data fills column FOO).
 */
export function structReader(
  fields: readonly { readonly name: string; readonly type: SqlType }[],
): (object: JsonObject) => SqlValue[] {
  const index = new Map<string, number>();
  fields.forEach((field, i) => index.set(field.name, i));
  const converters = fields.map((field) => jsonToSql(field.type));
  const segments = fields.map((field) => `.${field.name}`);
  // Upper-casing every member name of every record would cost more than the rest; remember the answer.
  const folded = new Map<string, number>();
  const fold = (name: string): number => {
    let found = folded.get(name);
    if (found === undefined) {
      found = index.get(name.toUpperCase()) ?? -1;
      if (folded.size < 10_000) folded.set(name, found);
    }
    return found;
  };
  const count = fields.length;
  return (object) => {
    const raw = new Array<JsonValue | undefined>(count);
    let exact = 0; // bit set of fields matched exactly (first 31 fields; beyond that exact matches just win last)
    const { names, values } = object;
    for (let m = 0; m < names.length; m++) {
      const name = names[m];
      const i = index.get(name);
      if (i !== undefined) {
        raw[i] = values[m];
        if (i < 31) exact |= 1 << i;
        continue;
      }
      const j = fold(name);
      if (j >= 0 && (j >= 31 || (exact & (1 << j)) === 0)) raw[j] = values[m];
    }
    const out = new Array<SqlValue>(count);
    for (let i = 0; i < count; i++) {
      const value = raw[i];
      out[i] = value === undefined || value === null ? null : at(segments[i], converters[i], value);
    }
    return out;
  };
}
