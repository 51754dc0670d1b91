// NULL handling. These are the functions that see NULL arguments (acceptsNulls) and decide themselves.
import type { SqlType, SqlValue } from '../types/index.js';
import { generic, type SqlFunction } from './registry.js';
import { valuesEqual } from './value-semantics.js';

const T = generic('T');
const first = (types: readonly SqlType[]): SqlType => types[0] as SqlType;

/**
 * Equality as NULLIF needs it: decimals by value (1.0 = 1.00), bytes by content, arrays, maps and structs
 * deeply (Java's equals), the rest as ===.
 */
export function sqlEquals(a: SqlValue, b: SqlValue): boolean {
  return valuesEqual(a, b);
}

export const nullFunctions: readonly SqlFunction[] = [
  {
    name: 'IFNULL',
    description: 'The value, or the alternative when the value is NULL.',
    overloads: [
      {
        params: [
          { name: 'expression', type: T },
          { name: 'altValue', type: T },
        ],
        returns: first,
        acceptsNulls: true,
        invoke: ([value, alternative]) => value ?? alternative ?? null,
      },
    ],
  },
  {
    name: 'COALESCE',
    description: 'The first argument that is not NULL, or NULL.',
    overloads: [
      {
        params: [
          { name: 'first', type: T },
          { name: 'others', type: T },
        ],
        variadic: true,
        returns: first,
        acceptsNulls: true,
        invoke: (args) => args.find((a) => a !== null) ?? null,
      },
    ],
  },
  {
    name: 'NULLIF',
    description: 'NULL when both are equal, else the first.',
    overloads: [
      {
        params: [
          { name: 'expression1', type: T },
          { name: 'expression2', type: T },
        ],
        returns: first,
        acceptsNulls: true,
        invoke: ([a, b]) =>
          a === null || a === undefined ? null : b !== null && b !== undefined && sqlEquals(a, b) ? null : a,
      },
    ],
  },
];
