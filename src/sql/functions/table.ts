// Table functions (UDTFs): each call turns one row into zero or more. They resolve like scalar functions,
// from their own registry (createTableFunctionRegistry), but `invoke` returns the array of output values,
// one per output row, and the overload's `returns` is the type of one such value. The planner zips the
// outputs of several table functions in one SELECT, padding the shorter ones with NULL, as ksqlDB does.
import { sqlEquals } from './nulls.js';
import { arrayOf, generic, type SqlFunction } from './registry.js';
import { SqlTypes, type SqlType, type SqlValue } from '../types/index.js';

const T = generic('T');
const elementOf = (types: readonly SqlType[]): SqlType => {
  const t = types[0];
  return t?.kind === 'ARRAY' ? t.element : SqlTypes.STRING;
};

/** Every subset of the values, as arrays with NULL where one is left out; repeats (from NULLs) once. */
export function cube(values: readonly SqlValue[]): SqlValue[][] {
  const rows: SqlValue[][] = [];
  const n = values.length;
  for (let mask = 0; mask < 2 ** n; mask++) {
    // The first value is the highest bit, so the all-NULL row comes first, as ksqlDB orders them.
    const row = values.map((v, i) => (((mask >> (n - 1 - i)) & 1) === 1 ? v : null));
    if (!rows.some((r) => r.every((v, i) => sqlEquals(v, row[i] ?? null)))) rows.push(row);
  }
  return rows;
}

export const tableFunctions: readonly SqlFunction[] = [
  {
    name: 'EXPLODE',
    category: 'TABLE',
    description: 'One row for each element of the array; none for a NULL or empty array.',
    overloads: [
      {
        params: [{ name: 'list', type: arrayOf(T) }],
        returns: elementOf,
        acceptsNulls: true,
        invoke: ([list]) => (list === null || list === undefined ? [] : [...(list as readonly SqlValue[])]),
      },
    ],
  },
  {
    name: 'CUBE_EXPLODE',
    category: 'TABLE',
    description: 'One row for each combination of the elements, the others NULL.',
    overloads: [
      {
        params: [{ name: 'list', type: arrayOf(T) }],
        returns: (types) => types[0] ?? SqlTypes.array(SqlTypes.STRING),
        acceptsNulls: true,
        invoke: ([list]) => (list === null || list === undefined ? [] : cube(list as readonly SqlValue[])),
      },
    ],
  },
];
