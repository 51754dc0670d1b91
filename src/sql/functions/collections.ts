// Array and map functions. Elements compare by value, deep inside nested arrays, maps and structs
// (value-semantics.ts), as ksqlDB's Java collections do; NULL elements are kept unless said otherwise.
import { SqlTypes, type SqlType, type SqlValue } from '../types/index.js';
import {
  arrayOf,
  generic,
  mapOf,
  type FunctionCategory,
  type FunctionOverload,
  type SqlFunction,
} from './registry.js';
import { compareValues, contains, distinct, javaStringOf, valuesEqual } from './value-semantics.js';

const { STRING, INTEGER, BIGINT, BOOLEAN } = SqlTypes;
const T = generic('T');
const V = generic('V');

const list = (v: SqlValue | undefined): readonly SqlValue[] => v as readonly SqlValue[];
const map = (v: SqlValue | undefined): ReadonlyMap<SqlValue, SqlValue> =>
  v as ReadonlyMap<SqlValue, SqlValue>;
const first = (types: readonly SqlType[]): SqlType => types[0] as SqlType;
const elementOf = (types: readonly SqlType[]): SqlType => {
  const t = first(types);
  return t.kind === 'ARRAY' ? t.element : t;
};

function fn(
  name: string,
  category: FunctionCategory,
  description: string,
  overloads: readonly FunctionOverload[],
): SqlFunction {
  return { name, category, description, overloads };
}

/** Smallest or largest non-NULL element; NULL for an empty array. */
function extreme(values: readonly SqlValue[], sign: 1 | -1): SqlValue {
  let best: SqlValue = null;
  for (const v of values) if (v !== null && (best === null || sign * compareValues(v, best) > 0)) best = v;
  return best;
}

/** Sorted, NULLs last whatever the direction, as ksqlDB. */
function sorted(values: readonly SqlValue[], direction: string): SqlValue[] | null {
  const sign = direction.toUpperCase() === 'DESC' ? -1 : direction.toUpperCase() === 'ASC' ? 1 : 0;
  if (sign === 0) return null;
  const present = values.filter((v) => v !== null).sort((a, b) => sign * compareValues(a, b));
  return [...present, ...values.filter((v) => v === null)];
}

/** start..end inclusive by step; the step must head from start towards end. */
function series(start: bigint, end: bigint, step?: bigint): bigint[] {
  const by = step ?? (end >= start ? 1n : -1n);
  if (by === 0n) throw new Error('GENERATE_SERIES step cannot be zero');
  if ((end > start && by < 0n) || (end < start && by > 0n)) {
    throw new Error('GENERATE_SERIES step has wrong sign');
  }
  const out: bigint[] = [];
  for (let i = start; by > 0n ? i <= end : i >= end; i += by) out.push(i);
  return out;
}

function seriesOverloads(type: SqlType): FunctionOverload[] {
  const asType = (vs: bigint[]): SqlValue[] => (type.kind === 'INTEGER' ? vs.map(Number) : vs);
  const big = (v: SqlValue | undefined): bigint => BigInt(v as number | bigint);
  return [
    {
      params: [
        { name: 'start', type },
        { name: 'end', type },
      ],
      returns: SqlTypes.array(type),
      invoke: ([s, e]) => asType(series(big(s), big(e))),
    },
    {
      params: [
        { name: 'start', type },
        { name: 'end', type },
        { name: 'step', type: INTEGER },
      ],
      returns: SqlTypes.array(type),
      invoke: ([s, e, step]) => asType(series(big(s), big(e), big(step))),
    },
  ];
}

const oneArray = (
  returns: FunctionOverload['returns'],
  invoke: (values: readonly SqlValue[]) => SqlValue,
): FunctionOverload => ({
  params: [{ name: 'array', type: arrayOf(T) }],
  returns,
  invoke: ([a]) => invoke(list(a)),
});

const twoArrays = (
  invoke: (a: readonly SqlValue[], b: readonly SqlValue[]) => SqlValue,
): FunctionOverload => ({
  params: [
    { name: 'left', type: arrayOf(T) },
    { name: 'right', type: arrayOf(T) },
  ],
  returns: first,
  invoke: ([a, b]) => invoke(list(a), list(b)),
});

export const collectionFunctions: readonly SqlFunction[] = [
  fn('ARRAY_CONTAINS', 'ARRAY', 'Whether the array holds the value.', [
    {
      params: [
        { name: 'array', type: arrayOf(T) },
        { name: 'value', type: T },
      ],
      returns: BOOLEAN,
      acceptsNulls: true,
      invoke: ([a, v]) => (a === null || a === undefined ? false : contains(list(a), v ?? null)),
    },
  ]),
  fn('ARRAY_DISTINCT', 'ARRAY', 'The distinct elements, in order of first appearance.', [
    oneArray(first, distinct),
  ]),
  fn('ARRAY_EXCEPT', 'ARRAY', 'The distinct elements of the first array that are not in the second.', [
    twoArrays((a, b) => distinct(a).filter((v) => !contains(b, v))),
  ]),
  fn('ARRAY_INTERSECT', 'ARRAY', 'The distinct elements that are in both arrays.', [
    twoArrays((a, b) => distinct(a).filter((v) => contains(b, v))),
  ]),
  fn('ARRAY_UNION', 'ARRAY', 'The distinct elements of both arrays.', [
    twoArrays((a, b) => distinct([...a, ...b])),
  ]),
  fn('ARRAY_CONCAT', 'ARRAY', 'The elements of both arrays; a NULL array counts as empty, unless both are.', [
    {
      ...twoArrays((a, b) => [...a, ...b]),
      acceptsNulls: true,
      invoke: ([a, b]) => (a === null && b === null ? null : [...list(a ?? []), ...list(b ?? [])]),
    },
  ]),
  fn('ARRAY_JOIN', 'ARRAY', "The elements as text joined by a delimiter (',' by default; NULL means '').", [
    {
      params: [{ name: 'array', type: arrayOf(T) }],
      returns: STRING,
      specialize:
        (types) =>
        ([a]) =>
          list(a)
            .map((v) => javaStringOf(elementOf(types), v))
            .join(','),
    },
    {
      params: [
        { name: 'array', type: arrayOf(T) },
        { name: 'delimiter', type: STRING },
      ],
      returns: STRING,
      acceptsNulls: true,
      specialize:
        (types) =>
        ([a, d]) =>
          a === null || a === undefined
            ? null
            : list(a)
                .map((v) => javaStringOf(elementOf(types), v))
                .join(typeof d === 'string' ? d : ''),
    },
  ]),
  fn('ARRAY_LENGTH', 'ARRAY', 'The number of elements.', [oneArray(INTEGER, (a) => a.length)]),
  fn('ARRAY_MAX', 'ARRAY', 'The largest element that is not NULL; NULL for an empty array.', [
    oneArray(elementOf, (a) => extreme(a, 1)),
  ]),
  fn('ARRAY_MIN', 'ARRAY', 'The smallest element that is not NULL; NULL for an empty array.', [
    oneArray(elementOf, (a) => extreme(a, -1)),
  ]),
  fn('ARRAY_REMOVE', 'ARRAY', 'The array without the elements equal to the value (NULL removes NULLs).', [
    {
      params: [
        { name: 'array', type: arrayOf(T) },
        { name: 'victim', type: T },
      ],
      returns: first,
      acceptsNulls: true,
      invoke: ([a, v]) =>
        a === null || a === undefined ? null : list(a).filter((x) => !valuesEqual(x, v ?? null)),
    },
  ]),
  fn('ARRAY_SORT', 'ARRAY', "The elements sorted, 'ASC' (default) or 'DESC', NULLs last.", [
    oneArray(first, (a) => sorted(a, 'ASC')),
    {
      params: [
        { name: 'array', type: arrayOf(T) },
        { name: 'direction', type: STRING },
      ],
      returns: first,
      invoke: ([a, d]) => sorted(list(a), d as string),
    },
  ]),
  fn('SLICE', 'ARRAY', 'The elements from one 1-based position to another, both included.', [
    {
      params: [
        { name: 'array', type: arrayOf(T) },
        { name: 'from', type: INTEGER },
        { name: 'to', type: INTEGER },
      ],
      returns: first,
      invoke: ([a, from, to]) => list(a).slice(Math.max((from as number) - 1, 0), to as number),
    },
  ]),
  fn('GENERATE_SERIES', 'ARRAY', 'The whole numbers from start to end, by a step (1 or -1 by default).', [
    ...seriesOverloads(INTEGER),
    ...seriesOverloads(BIGINT),
  ]),
  fn('ENTRIES', 'MAP', 'The entries of a map as an array of STRUCT<K, V>, sorted by key if asked.', [
    {
      params: [
        { name: 'map', type: mapOf(STRING, V) },
        { name: 'sorted', type: BOOLEAN },
      ],
      returns: (types) => {
        const m = first(types);
        const value = m.kind === 'MAP' ? m.value : STRING;
        return SqlTypes.array(
          SqlTypes.struct([
            { name: 'K', type: STRING },
            { name: 'V', type: value },
          ]),
        );
      },
      invoke: ([m, sort]) => {
        const entries = [...map(m)];
        if (sort === true) entries.sort(([a], [b]) => compareValues(a, b));
        return entries.map(([K, V]) => ({ K, V }));
      },
    },
  ]),
  fn('MAP_KEYS', 'MAP', 'The keys of a map.', [
    {
      params: [{ name: 'map', type: mapOf(generic('K'), V) }],
      returns: (types) => {
        const m = first(types);
        return SqlTypes.array(m.kind === 'MAP' ? m.key : STRING);
      },
      invoke: ([m]) => [...map(m).keys()],
    },
  ]),
  fn('MAP_VALUES', 'MAP', 'The values of a map.', [
    {
      params: [{ name: 'map', type: mapOf(generic('K'), V) }],
      returns: (types) => {
        const m = first(types);
        return SqlTypes.array(m.kind === 'MAP' ? m.value : STRING);
      },
      invoke: ([m]) => [...map(m).values()],
    },
  ]),
  fn(
    'MAP_UNION',
    'MAP',
    'The entries of both maps; the second wins on a shared key. NULL maps are skipped.',
    [
      {
        params: [
          { name: 'map1', type: mapOf(generic('K'), V) },
          { name: 'map2', type: mapOf(generic('K'), V) },
        ],
        returns: first,
        acceptsNulls: true,
        invoke: ([a, b]) => {
          if ((a ?? null) === null && (b ?? null) === null) return null;
          return new Map([
            ...(a === null || a === undefined ? [] : map(a)),
            ...(b === null || b === undefined ? [] : map(b)),
          ]);
        },
      },
    ],
  ),
  fn('AS_MAP', 'MAP', 'A map from an array of keys and an array of values, paired by position.', [
    {
      params: [
        { name: 'keys', type: arrayOf(STRING) },
        { name: 'values', type: arrayOf(V) },
      ],
      returns: (types) => SqlTypes.map(STRING, elementOf([types[1] as SqlType])),
      invoke: ([keys, values]) => new Map(list(keys).map((k, i) => [k, list(values)[i] ?? null])),
    },
  ]),
  fn('ELT', 'STRING', 'The n-th of the strings (1-based); NULL when out of range.', [
    {
      params: [
        { name: 'n', type: INTEGER },
        { name: 'args', type: STRING },
      ],
      variadic: true,
      returns: STRING,
      acceptsNulls: true,
      invoke: ([n, ...args]) => (typeof n === 'number' && n >= 1 ? (args[n - 1] ?? null) : null),
    },
  ]),
  fn('FIELD', 'STRING', 'The 1-based position of the string among the others; 0 when absent or NULL.', [
    {
      params: [
        { name: 'str', type: STRING },
        { name: 'args', type: STRING },
      ],
      variadic: true,
      returns: INTEGER,
      acceptsNulls: true,
      invoke: ([s, ...args]) => (s === null || s === undefined ? 0 : args.indexOf(s) + 1),
    },
  ]),
  fn('AS_VALUE', 'OTHER', 'The value itself: used to copy a key column into the value.', [
    { params: [{ name: 'source', type: T }], returns: first, acceptsNulls: true, invoke: ([v]) => v ?? null },
  ]),
];
