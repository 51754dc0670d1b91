// Math functions. Each keeps its argument's type where ksqlDB does (ABS(INTEGER) is INTEGER); those that
// only make sense on doubles (SQRT, LN, ...) take DOUBLE, which INTEGER, BIGINT and DECIMAL widen to.
import { SqlDecimal, SqlTypes, type DecimalSqlType, type SqlType, type SqlValue } from '../types/index.js';
import { ANY_DECIMAL, type FunctionOverload, type SqlFunction } from './registry.js';

const { INTEGER, BIGINT, DOUBLE } = SqlTypes;

const num = (v: SqlValue): number => v as number;
const big = (v: SqlValue): bigint => v as bigint;
const dec = (v: SqlValue): SqlDecimal => v as SqlDecimal;
const sameAsFirst = (types: readonly SqlType[]): SqlType => types[0] ?? DOUBLE;

/** The same operation for each numeric type, returning the argument's type. */
function perNumericType(ops: {
  int: (v: number) => number;
  bigint: (v: bigint) => bigint;
  double: (v: number) => number;
  decimal: (v: SqlDecimal) => SqlDecimal;
}): FunctionOverload[] {
  return [
    { params: [{ name: 'value', type: INTEGER }], returns: INTEGER, invoke: ([v]) => ops.int(num(v ?? 0)) },
    { params: [{ name: 'value', type: BIGINT }], returns: BIGINT, invoke: ([v]) => ops.bigint(big(v ?? 0n)) },
    { params: [{ name: 'value', type: DOUBLE }], returns: DOUBLE, invoke: ([v]) => ops.double(num(v ?? 0)) },
    {
      params: [{ name: 'value', type: ANY_DECIMAL }],
      returns: sameAsFirst,
      invoke: ([v]) => ops.decimal(dec(v ?? SqlDecimal.fromBigInt(0n))),
    },
  ];
}

function doubleFunction(name: string, description: string, fn: (v: number) => number): SqlFunction {
  return {
    name,
    description,
    overloads: [
      { params: [{ name: 'value', type: DOUBLE }], returns: DOUBLE, invoke: ([v]) => fn(num(v ?? 0)) },
    ],
  };
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/**
 * Java's Math.round to a long: ties toward +infinity (ROUND(-2.5) is -2, as JS's Math.round), NaN to 0,
 * and beyond the long range clamped to it.
 */
function roundToLong(v: number): bigint {
  if (Number.isNaN(v)) return 0n;
  if (v >= 2 ** 63) return LONG_MAX;
  if (v <= -(2 ** 63)) return LONG_MIN;
  return BigInt(Math.round(v));
}

/** Rounds a double to `places` decimals through its decimal form, as ksqlDB does with BigDecimal. */
function roundDouble(v: number, places: number): number {
  if (!Number.isFinite(v)) return v;
  return SqlDecimal.fromDouble(v).setScale(places, 'HALF_CEILING').toNumber();
}

/** Rounds a decimal to `places` and keeps its scale, as ksqlDB's ROUND(DECIMAL, INTEGER) does. */
function roundDecimal(v: SqlDecimal, places: number): SqlDecimal {
  return v.setScale(places, 'HALF_CEILING').setScale(v.scale, 'HALF_UP');
}

function roundedDecimalType(types: readonly SqlType[]): SqlType {
  const t = types[0] as DecimalSqlType;
  // As ksqlDB: the integer digits only, scale 0 (ROUND of a DECIMAL(33,16) is a DECIMAL(17,0)).
  return SqlTypes.decimal(Math.max(1, t.precision - t.scale), 0);
}

const signOf = (v: number): number => (Number.isNaN(v) ? 0 : Math.sign(v) + 0);

export const mathFunctions: readonly SqlFunction[] = [
  {
    name: 'ABS',
    description: 'The absolute value.',
    overloads: perNumericType({
      int: Math.abs,
      bigint: (v) => (v < 0n ? -v : v),
      double: Math.abs,
      decimal: (v) => v.abs(),
    }),
  },
  {
    name: 'CEIL',
    description: 'The smallest whole value not below the argument.',
    overloads: perNumericType({
      int: (v) => v,
      bigint: (v) => v,
      double: Math.ceil,
      decimal: (v) => v.setScale(0, 'CEILING').setScale(v.scale, 'HALF_UP'),
    }),
  },
  {
    name: 'FLOOR',
    description: 'The largest whole value not above the argument.',
    overloads: perNumericType({
      int: (v) => v,
      bigint: (v) => v,
      double: Math.floor,
      decimal: (v) => v.setScale(0, 'FLOOR').setScale(v.scale, 'HALF_UP'),
    }),
  },
  {
    name: 'ROUND',
    description:
      'Rounds half up (toward +infinity on ties), to a whole value or to the given decimal places.',
    overloads: [
      // ksqlDB's ROUND(INTEGER) is a BIGINT.
      { params: [{ name: 'value', type: INTEGER }], returns: BIGINT, invoke: ([v]) => BigInt(num(v ?? 0)) },
      { params: [{ name: 'value', type: BIGINT }], returns: BIGINT, invoke: ([v]) => v },
      {
        params: [{ name: 'value', type: DOUBLE }],
        returns: BIGINT,
        invoke: ([v]) => roundToLong(num(v ?? 0)),
      },
      {
        params: [
          { name: 'value', type: DOUBLE },
          { name: 'decimalPlaces', type: INTEGER },
        ],
        returns: DOUBLE,
        invoke: ([v, places]) => roundDouble(num(v ?? 0), num(places ?? 0)),
      },
      {
        params: [{ name: 'value', type: ANY_DECIMAL }],
        returns: roundedDecimalType,
        invoke: ([v]) => dec(v ?? SqlDecimal.fromBigInt(0n)).setScale(0, 'HALF_CEILING'),
      },
      {
        params: [
          { name: 'value', type: ANY_DECIMAL },
          { name: 'decimalPlaces', type: INTEGER },
        ],
        returns: sameAsFirst,
        invoke: ([v, places]) => roundDecimal(dec(v ?? SqlDecimal.fromBigInt(0n)), num(places ?? 0)),
      },
    ],
  },
  doubleFunction('SQRT', 'The square root; NaN for a negative value.', Math.sqrt),
  doubleFunction('EXP', 'e raised to the value.', Math.exp),
  doubleFunction('LN', 'The natural logarithm; NaN for a negative value.', Math.log),
  {
    name: 'POWER',
    description: 'The base raised to the exponent.',
    overloads: [
      {
        params: [
          { name: 'base', type: DOUBLE },
          { name: 'exponent', type: DOUBLE },
        ],
        returns: DOUBLE,
        invoke: ([b, e]) => Math.pow(num(b ?? 0), num(e ?? 0)),
      },
    ],
  },
  {
    name: 'SIGN',
    description: '-1, 0 or 1 as the value is negative, zero or positive.',
    overloads: [
      { params: [{ name: 'value', type: INTEGER }], returns: INTEGER, invoke: ([v]) => signOf(num(v ?? 0)) },
      {
        params: [{ name: 'value', type: BIGINT }],
        returns: INTEGER,
        invoke: ([v]) => signOf(Number(big(v ?? 0n))),
      },
      { params: [{ name: 'value', type: DOUBLE }], returns: INTEGER, invoke: ([v]) => signOf(num(v ?? 0)) },
      {
        params: [{ name: 'value', type: ANY_DECIMAL }],
        returns: INTEGER,
        invoke: ([v]) => dec(v ?? SqlDecimal.fromBigInt(0n)).sign,
      },
    ],
  },
  {
    name: 'RANDOM',
    description: 'A random double in [0, 1).',
    nondeterministic: true,
    overloads: [{ params: [], returns: DOUBLE, invoke: () => Math.random() }],
  },
  doubleFunction('CBRT', 'The cube root.', Math.cbrt),
  doubleFunction('SIN', 'The sine of an angle in radians.', Math.sin),
  doubleFunction('COS', 'The cosine of an angle in radians.', Math.cos),
  doubleFunction('TAN', 'The tangent of an angle in radians.', Math.tan),
  doubleFunction('COT', 'The cotangent of an angle in radians.', (v) => 1 / Math.tan(v)),
  doubleFunction('ASIN', 'The arc sine, in radians.', Math.asin),
  doubleFunction('ACOS', 'The arc cosine, in radians.', Math.acos),
  doubleFunction('ATAN', 'The arc tangent, in radians.', Math.atan),
  doubleFunction('SINH', 'The hyperbolic sine.', Math.sinh),
  doubleFunction('COSH', 'The hyperbolic cosine.', Math.cosh),
  doubleFunction('TANH', 'The hyperbolic tangent.', Math.tanh),
  doubleFunction('DEGREES', 'Radians to degrees.', (v) => (v * 180) / Math.PI),
  doubleFunction('RADIANS', 'Degrees to radians.', (v) => (v / 180) * Math.PI),
  {
    name: 'ATAN2',
    description: 'The angle, in radians, of the point (x, y) from the positive x axis.',
    overloads: [
      {
        params: [
          { name: 'y', type: DOUBLE },
          { name: 'x', type: DOUBLE },
        ],
        returns: DOUBLE,
        invoke: ([y, x]) => Math.atan2(num(y ?? 0), num(x ?? 0)),
      },
    ],
  },
  {
    name: 'LOG',
    description: 'The natural logarithm, or the logarithm in the given base.',
    overloads: [
      { params: [{ name: 'value', type: DOUBLE }], returns: DOUBLE, invoke: ([v]) => Math.log(num(v ?? 0)) },
      {
        params: [
          { name: 'base', type: DOUBLE },
          { name: 'value', type: DOUBLE },
        ],
        returns: DOUBLE,
        invoke: ([b, v]) => Math.log(num(v ?? 0)) / Math.log(num(b ?? 0)),
      },
    ],
  },
  {
    name: 'PI',
    description: 'The value of pi.',
    overloads: [{ params: [], returns: DOUBLE, invoke: () => Math.PI }],
  },
  {
    name: 'TRUNC',
    description: 'Drops the digits after the given number of decimal places (0 by default), toward zero.',
    overloads: [
      { params: [{ name: 'value', type: INTEGER }], returns: INTEGER, invoke: ([v]) => v ?? null },
      { params: [{ name: 'value', type: BIGINT }], returns: BIGINT, invoke: ([v]) => v ?? null },
      {
        params: [{ name: 'value', type: DOUBLE }],
        returns: BIGINT,
        invoke: ([v]) => roundToLong(Math.trunc(num(v ?? 0))),
      },
      {
        params: [
          { name: 'value', type: DOUBLE },
          { name: 'decimalPlaces', type: INTEGER },
        ],
        returns: DOUBLE,
        invoke: ([v, places]) => truncateDouble(num(v ?? 0), num(places ?? 0)),
      },
      {
        params: [{ name: 'value', type: ANY_DECIMAL }],
        returns: roundedDecimalType,
        invoke: ([v]) => truncateDecimal(dec(v ?? SqlDecimal.fromBigInt(0n)), 0),
      },
      {
        params: [
          { name: 'value', type: ANY_DECIMAL },
          { name: 'decimalPlaces', type: INTEGER },
        ],
        returns: sameAsFirst,
        invoke: ([v, places]) => {
          const d = dec(v ?? SqlDecimal.fromBigInt(0n));
          return truncateDecimal(d, num(places ?? 0)).setScale(d.scale, 'HALF_UP');
        },
      },
    ],
  },
];

/** Toward zero: FLOOR for positive values, CEILING for negative ones. */
function truncateDecimal(v: SqlDecimal, places: number): SqlDecimal {
  return v.setScale(places, v.sign < 0 ? 'CEILING' : 'FLOOR');
}

/** Truncates a double through its decimal form, as ksqlDB does with BigDecimal. */
function truncateDouble(v: number, places: number): number {
  if (!Number.isFinite(v)) return v;
  return truncateDecimal(SqlDecimal.fromDouble(v), places).toNumber();
}
