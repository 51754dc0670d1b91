// JSON values to SQL values, with the coercions of ksqlDB's JSON deserializer: numbers and numeric strings
// into INT/BIGINT/DOUBLE/DECIMAL, anything into STRING (objects as their JSON text, arrays as "[a, b]"),
// struct fields matched exactly first and then case-insensitively. One converter is built per type, once.
import { SqlDecimal, formatType, type SqlStruct, type SqlType, type SqlValue } from '../../types/index.js';
import {
  JsonNumberText,
  JsonObject,
  type JsonMemberSink,
  type JsonValue,
} from '../../../serdes/exact-json.js';
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
export function nodeName(value: JsonValue): string {
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

const POWERS_OF_TEN: bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));
const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

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

/** Decimal text to DECIMAL(p, s); plain text with no more than s fraction digits (the usual case) is quick. */
export function parseDecimalText(text: string, precision: number, scale: number): SqlDecimal {
  const match = PLAIN_DECIMAL.exec(text);
  if (match !== null) {
    const fraction = match[3] ?? '';
    const integer = match[2].replace(/^0+(?=\d)/, '');
    if (fraction.length <= scale && (integer === '0' ? 0 : integer.length) <= precision - scale) {
      const digits = BigInt(integer + fraction) * POWERS_OF_TEN[scale - fraction.length];
      return new SqlDecimal(match[1] === '-' ? -digits : digits, scale);
    }
  }
  return fitDecimal(SqlDecimal.parse(text), precision, scale);
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
          const text = typeof value === 'string' ? value : numberText(value);
          if (typeof value === 'string' && !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text)) {
            throw cannotCoerceString(type);
          }
          return parseDecimalText(text.trim(), type.precision, type.scale);
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
      const fields = new StructAssembler(type.fields);
      return (value) => {
        if (value === null) return null;
        if (!(value instanceof JsonObject)) throw cannotConvert(value, type);
        const values = fields.read(value);
        const out: Record<string, SqlValue> = {};
        type.fields.forEach((field, i) => (out[field.name] = values[i]));
        return out as SqlStruct;
      };
    }
  }
}

/**
 * Reads the named fields out of an object: an exact name match wins, else the member whose upper-cased name
 * matches (ksqlDB's rule: unquoted names are upper case, so `foo` in the data fills column FOO). Members can
 * come one by one (a JsonMemberSink, straight from the text) or as a parsed JsonObject.
 */
export class StructAssembler implements JsonMemberSink {
  private readonly index = new Map<string, number>();
  private readonly converters: JsonToSql[];
  private readonly segments: string[];
  /** Upper-casing every member name of every record would cost more than the rest; remember the answer. */
  private readonly folded = new Map<string, number>();
  private out: SqlValue[] = [];
  /** Fields matched exactly (first 31): a case-folded match must not overwrite them. */
  private exact = 0;

  constructor(fields: readonly { readonly name: string; readonly type: SqlType }[]) {
    fields.forEach((field, i) => this.index.set(field.name, i));
    this.converters = fields.map((field) => jsonToSql(field.type));
    this.segments = fields.map((field) => `.${field.name}`);
  }

  begin(): void {
    this.out = new Array<SqlValue>(this.converters.length).fill(null);
    this.exact = 0;
  }

  member(name: string, value: JsonValue): void {
    let i = this.index.get(name);
    if (i !== undefined) {
      if (i < 31) this.exact |= 1 << i;
    } else {
      i = this.fold(name);
      if (i < 0 || (i < 31 && (this.exact & (1 << i)) !== 0)) return;
    }
    if (value === null) {
      this.out[i] = null;
      return;
    }
    try {
      this.out[i] = this.converters[i](value);
    } catch (error) {
      if (error instanceof JsonCoercionError)
        throw new JsonCoercionError(error.reason, this.segments[i] + error.path);
      throw new JsonCoercionError((error as Error).message, this.segments[i]);
    }
  }

  end(): SqlValue[] {
    return this.out;
  }

  /** All at once, from a parsed object. */
  read(object: JsonObject): SqlValue[] {
    this.begin();
    for (let m = 0; m < object.names.length; m++) this.member(object.names[m], object.values[m]);
    return this.end();
  }

  private fold(name: string): number {
    let found = this.folded.get(name);
    if (found === undefined) {
      found = this.index.get(name.toUpperCase()) ?? -1;
      if (this.folded.size < 10_000) this.folded.set(name, found);
    }
    return found;
  }
}
