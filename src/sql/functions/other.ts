// The rest of ksqlDB's scalar functions: CHR, UUID, the MASK family, GEO_DISTANCE, GREATEST, LEAST.
import { randomUUID } from 'node:crypto';
import { SqlTypes, type SqlValue } from '../types/index.js';
import { generic, type FunctionOverload, type Param, type SqlFunction } from './registry.js';
import { compareValues } from './value-semantics.js';

const { STRING, INTEGER, DOUBLE, BYTES } = SqlTypes;

/** The character of a code point, or of a Java escape such as '\u597d' or '\ud820\udeb8'; NULL when invalid. */
export function chr(code: SqlValue): string | null {
  if (typeof code === 'number') {
    return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : null;
  }
  const text = code as string;
  if (!/^(?:\\u[0-9a-fA-F]{4})+$/.test(text)) return null;
  const units = text
    .split('\\u')
    .slice(1)
    .map((h) => parseInt(h, 16));
  const s = String.fromCharCode(...units);
  // One character: a code unit, or a surrogate pair.
  return [...s].length === 1 ? s : null;
}

/** The canonical 8-4-4-4-12 form of 16 bytes. */
function uuidOf(bytes: Uint8Array): string | null {
  if (bytes.length !== 16) return null;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---------------------------------------------------------------- masking

interface Masks {
  readonly upper: string | null;
  readonly lower: string | null;
  readonly digit: string | null;
  readonly other: string | null;
}
const DEFAULT_MASKS: Masks = { upper: 'X', lower: 'x', digit: 'n', other: '-' };

/** Replacement characters from the optional trailing arguments; NULL leaves that class as it is. */
function masksFrom(args: readonly SqlValue[]): Masks {
  if (args.length === 0) return DEFAULT_MASKS;
  const first = (v: SqlValue | undefined): string | null =>
    v === null || v === undefined ? null : (v as string).charAt(0) || null;
  return { upper: first(args[0]), lower: first(args[1]), digit: first(args[2]), other: first(args[3]) };
}

function maskChar(c: string, masks: Masks): string {
  const replacement =
    c !== c.toLowerCase() && c === c.toUpperCase()
      ? masks.upper
      : c !== c.toUpperCase() && c === c.toLowerCase()
        ? masks.lower
        : /\p{Nd}/u.test(c)
          ? masks.digit
          : masks.other;
  return replacement ?? c;
}

const maskRange = (s: string, from: number, to: number, masks: Masks): string =>
  [...s].map((c, i) => (i >= from && i < to ? maskChar(c, masks) : c)).join('');

const MASK_PARAMS: readonly Param[] = [
  { name: 'upper', type: STRING },
  { name: 'lower', type: STRING },
  { name: 'digit', type: STRING },
  { name: 'other', type: STRING },
];

/** A MASK function with or without its four replacement characters; `range` picks what is masked. */
function maskFunction(
  name: string,
  description: string,
  withCount: boolean,
  range: (length: number, count: number) => readonly [number, number],
): SqlFunction {
  const head: Param[] = [{ name: 'input', type: STRING }];
  if (withCount) head.push({ name: 'numChars', type: INTEGER });
  const invoke = (args: readonly SqlValue[]): SqlValue => {
    const [input, count] = args;
    if (input === null || input === undefined) return null;
    if (withCount && (count === null || count === undefined)) return null;
    const s = input as string;
    const n = withCount ? (count as number) : 0;
    if (n < 0)
      throw new Error(`function ${name} requires a non-negative number of characters to mask or keep`);
    const [from, to] = range([...s].length, n);
    return maskRange(s, from, to, masksFrom(args.slice(head.length)));
  };
  const overloads: FunctionOverload[] = [
    { params: head, returns: STRING, acceptsNulls: true, invoke },
    { params: [...head, ...MASK_PARAMS], returns: STRING, acceptsNulls: true, invoke },
  ];
  return { name, category: 'STRING', description, overloads };
}

// ---------------------------------------------------------------- geo

const EARTH_RADIUS: Readonly<Record<string, number>> = {
  KM: 6371,
  KILOMETER: 6371,
  KILOMETERS: 6371,
  KILOMETRE: 6371,
  KILOMETRES: 6371,
  MI: 3959,
  MILE: 3959,
  MILES: 3959,
};

/**
 * Great-circle distance by the haversine formula, in ksqlDB's order of operations; V8's trigonometry may
 * differ from the JVM's in the last bit.
 */
export function geoDistance(lat1: number, lon1: number, lat2: number, lon2: number, unit = 'KM'): number {
  const radius = EARTH_RADIUS[unit.toUpperCase()];
  if (radius === undefined) throw new Error(`GEO_DISTANCE unit must be KM or MI, not '${unit}'`);
  if (Math.abs(lat1) > 90 || Math.abs(lat2) > 90) throw new Error('valid latitude values are -90 to 90');
  if (Math.abs(lon1) > 180 || Math.abs(lon2) > 180) throw new Error('valid longitude values are -180 to 180');
  const rad = (d: number): number => (d * Math.PI) / 180;
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.sin(dLon / 2) ** 2 * Math.cos(rad(lat1)) * Math.cos(rad(lat2));
  return 2 * Math.asin(Math.sqrt(a)) * radius;
}

const coordinates: readonly Param[] = ['lat1', 'lon1', 'lat2', 'lon2'].map((name) => ({
  name,
  type: DOUBLE,
}));
const num = (v: SqlValue | undefined): number => v as number;

export const otherFunctions: readonly SqlFunction[] = [
  {
    name: 'CHR',
    category: 'STRING',
    description: "The character of a Unicode code point, given as a number or as '\\uXXXX'.",
    overloads: [
      { params: [{ name: 'decimalCode', type: INTEGER }], returns: STRING, invoke: ([c]) => chr(c ?? null) },
      { params: [{ name: 'utf16Code', type: STRING }], returns: STRING, invoke: ([c]) => chr(c ?? null) },
    ],
  },
  {
    name: 'UUID',
    category: 'STRING',
    description: 'A random UUID, or the UUID of 16 bytes, as text.',
    nondeterministic: true,
    overloads: [
      { params: [], returns: STRING, invoke: () => randomUUID() },
      { params: [{ name: 'bytes', type: BYTES }], returns: STRING, invoke: ([b]) => uuidOf(b as Uint8Array) },
    ],
  },
  maskFunction('MASK', 'Masks letters (X, x), digits (n) and other characters (-).', false, (length) => [
    0,
    length,
  ]),
  maskFunction('MASK_KEEP_LEFT', 'Masks all but the first n characters.', true, (length, n) => [n, length]),
  maskFunction('MASK_KEEP_RIGHT', 'Masks all but the last n characters.', true, (length, n) => [
    0,
    length - n,
  ]),
  maskFunction('MASK_LEFT', 'Masks the first n characters.', true, (_length, n) => [0, n]),
  maskFunction('MASK_RIGHT', 'Masks the last n characters.', true, (length, n) => [length - n, length]),
  {
    name: 'GEO_DISTANCE',
    category: 'MATHEMATICAL',
    description: 'The great-circle distance between two latitude/longitude points, in KM (default) or MI.',
    overloads: [
      {
        params: coordinates,
        returns: DOUBLE,
        invoke: ([a, b, c, d]) => geoDistance(num(a), num(b), num(c), num(d)),
      },
      {
        params: [...coordinates, { name: 'units', type: STRING }],
        returns: DOUBLE,
        invoke: ([a, b, c, d, unit]) => geoDistance(num(a), num(b), num(c), num(d), unit as string),
      },
    ],
  },
  extremeOf('GREATEST', 'The largest of the values, NULLs ignored.', 1),
  extremeOf('LEAST', 'The smallest of the values, NULLs ignored.', -1),
];

function extremeOf(name: string, description: string, sign: 1 | -1): SqlFunction {
  const T = generic('T');
  return {
    name,
    category: 'MATHEMATICAL',
    description,
    overloads: [
      {
        params: [
          { name: 'val', type: T },
          { name: 'vals', type: T },
        ],
        variadic: true,
        returns: (types) => types[0] ?? DOUBLE,
        acceptsNulls: true,
        invoke: (args) => {
          let best: SqlValue = null;
          for (const v of args)
            if (v !== null && (best === null || sign * compareValues(v, best) > 0)) best = v;
          return best;
        },
      },
    ],
  };
}
