// Value helpers the registry formats share: Connect's logical types (Decimal as a string, Date, Time and
// Timestamp as Dates) to and from their encoded forms, and number/bigint coercions.
import { LOGICAL_TYPES, type ConnectSchema, type ConnectValue } from '../api/data.js';
import { ConversionError } from '../api/errors.js';

export const MILLIS_PER_DAY = 86_400_000;

export function decimalScale(schema: ConnectSchema): number {
  const scale = Number(schema.parameters?.scale ?? '0');
  return Number.isInteger(scale) ? scale : 0;
}

/** The unscaled integer as a decimal string with `scale` digits after the point. */
export function decimalText(unscaled: bigint, scale: number): string {
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** The unscaled integer of a decimal value at `scale`; refuses digits that would be lost. */
export function unscaledOf(value: ConnectValue, scale: number): bigint {
  const text = typeof value === 'number' || typeof value === 'bigint' ? String(value) : value;
  if (typeof text !== 'string')
    throw new ConversionError(`a Decimal value must be a decimal string, not ${describe(value)}`);
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new ConversionError(`'${text}' is not a decimal number`);
  }
  const exponent = Number(match[4] ?? '0');
  let digits = `${match[2]}${match[3] ?? ''}`;
  let fractionDigits = (match[3] ?? '').length - exponent;
  if (fractionDigits < scale) {
    digits += '0'.repeat(scale - fractionDigits);
    fractionDigits = scale;
  }
  const dropped = digits.slice(digits.length - (fractionDigits - scale));
  if (fractionDigits > scale && /[1-9]/.test(dropped)) {
    throw new ConversionError(`${text} has more than ${scale} digits after the point (the schema's scale)`);
  }
  const kept = fractionDigits > scale ? digits.slice(0, digits.length - (fractionDigits - scale)) : digits;
  const unscaled = BigInt(kept === '' ? '0' : kept);
  return match[1] === '-' ? -unscaled : unscaled;
}

/** Two's-complement big-endian bytes in as few bytes as hold the sign, as Avro's and Connect's decimals hold them. */
export function bigintToBytes(value: bigint): Buffer {
  let width = 1;
  while (value < -(1n << BigInt(width * 8 - 1)) || value >= 1n << BigInt(width * 8 - 1)) width++;
  const modulus = 1n << BigInt(width * 8);
  return Buffer.from((((value % modulus) + modulus) % modulus).toString(16).padStart(width * 2, '0'), 'hex');
}

export function bytesToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  const unsigned = BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  return (bytes[0] & 0x80) !== 0 ? unsigned - (1n << BigInt(bytes.length * 8)) : unsigned;
}

/** Milliseconds since the epoch of a Date (or a number of milliseconds). */
export function millisOf(value: ConnectValue): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new ConversionError(`expected a Date, not ${describe(value)}`);
}

export function asNumber(value: ConnectValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new ConversionError(`expected a number, not ${describe(value)}`);
}

export function asBigint(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new ConversionError(`expected an integer, not ${describe(value)}`);
}

export function asBytes(value: ConnectValue): Buffer {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.length);
  if (typeof value === 'string') return Buffer.from(value, 'base64');
  throw new ConversionError(`expected bytes, not ${describe(value)}`);
}

/** The Connect value of a logical type from its encoded number (days, millis) or bytes; null when not logical. */
export function logicalFromEncoded(schema: ConnectSchema, encoded: unknown): ConnectValue | undefined {
  switch (schema.name) {
    case LOGICAL_TYPES.date:
      return new Date(Number(encoded) * MILLIS_PER_DAY);
    case LOGICAL_TYPES.time:
    case LOGICAL_TYPES.timestamp:
      return new Date(Number(encoded));
    case LOGICAL_TYPES.decimal:
      if (encoded instanceof Uint8Array) return decimalText(bytesToBigint(encoded), decimalScale(schema));
      return typeof encoded === 'number' || typeof encoded === 'string' ? String(encoded) : undefined;
    default:
      return undefined;
  }
}

/** The encoded number (days, millis) of a Date/Time/Timestamp value; undefined when the schema is not one. */
export function encodedTemporal(schema: ConnectSchema, value: ConnectValue): number | undefined {
  switch (schema.name) {
    case LOGICAL_TYPES.date:
      return Math.floor(millisOf(value) / MILLIS_PER_DAY);
    case LOGICAL_TYPES.time:
      return ((millisOf(value) % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY;
    case LOGICAL_TYPES.timestamp:
      return millisOf(value);
    default:
      return undefined;
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  if (value instanceof Map) return 'a map';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the string '${value.length > 40 ? `${value.slice(0, 37)}...` : value}'`;
  return `${typeof value} ${String(value)}`;
}

/** Map entries of a Connect map value (a Map, or a plain object for string keys). */
export function mapEntries(value: ConnectValue): [ConnectValue, ConnectValue][] {
  if (value instanceof Map) return [...(value as ReadonlyMap<ConnectValue, ConnectValue>).entries()];
  if (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Date)
  ) {
    return Object.entries(value as Readonly<Record<string, ConnectValue>>);
  }
  throw new ConversionError(`expected a map, not ${describe(value)}`);
}
