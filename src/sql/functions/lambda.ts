// Higher-order functions: TRANSFORM, FILTER, REDUCE over arrays and maps. Their lambda arguments arrive as
// JS functions (see LambdaParam in registry.ts for how the compiler learns the lambdas' parameter types).
import { SqlTypes, type SqlType, type SqlValue } from '../types/index.js';
import { arrayOf, asLambda, generic, lambda, mapOf, type SqlFunction } from './registry.js';

const T = generic('T');
const R = generic('R');
const K = generic('K');
const V = generic('V');
const K2 = generic('K2');
const V2 = generic('V2');
const S = generic('S');

const array = (v: SqlValue | undefined): readonly SqlValue[] => v as readonly SqlValue[];
const map = (v: SqlValue | undefined): ReadonlyMap<SqlValue, SqlValue> =>
  v as ReadonlyMap<SqlValue, SqlValue>;
const at = (types: readonly SqlType[], i: number): SqlType => types[i] as SqlType;

/** A map built from transformed entries fails, as Java's Collectors.toMap does, on a NULL value or a repeated key. */
function collectMap(entries: Iterable<readonly [SqlValue, SqlValue]>): Map<SqlValue, SqlValue> {
  const out = new Map<SqlValue, SqlValue>();
  for (const [k, v] of entries) {
    if (v === null) throw new Error('TRANSFORM produced a NULL map value');
    if (out.has(k)) throw new Error(`TRANSFORM produced the map key ${String(k)} twice`);
    out.set(k, v);
  }
  return out;
}

export const lambdaFunctions: readonly SqlFunction[] = [
  {
    name: 'TRANSFORM',
    category: 'LAMBDA',
    description:
      'Applies a lambda to each element of an array, or two lambdas to the keys and values of a map.',
    overloads: [
      {
        params: [
          { name: 'array', type: arrayOf(T) },
          { name: 'function', type: lambda([T], R) },
        ],
        returns: (types) => SqlTypes.array(at(types, 1)),
        invoke: ([values, fn]) => array(values).map((v) => asLambda(fn)(v)),
      },
      {
        params: [
          { name: 'map', type: mapOf(K, V) },
          { name: 'keyFunction', type: lambda([K, V], K2) },
          { name: 'valueFunction', type: lambda([K, V], V2) },
        ],
        returns: (types) => SqlTypes.map(at(types, 1), at(types, 2)),
        invoke: ([m, keyFn, valueFn]) =>
          collectMap([...map(m)].map(([k, v]) => [asLambda(keyFn)(k, v), asLambda(valueFn)(k, v)] as const)),
      },
    ],
  },
  {
    name: 'FILTER',
    category: 'LAMBDA',
    description: 'The elements of an array, or the entries of a map, for which the lambda is true.',
    overloads: [
      {
        params: [
          { name: 'array', type: arrayOf(T) },
          { name: 'function', type: lambda([T], SqlTypes.BOOLEAN) },
        ],
        returns: (types) => at(types, 0),
        invoke: ([values, fn]) => array(values).filter((v) => asLambda(fn)(v) === true),
      },
      {
        params: [
          { name: 'map', type: mapOf(K, V) },
          { name: 'function', type: lambda([K, V], SqlTypes.BOOLEAN) },
        ],
        returns: (types) => at(types, 0),
        invoke: ([m, fn]) => new Map([...map(m)].filter(([k, v]) => asLambda(fn)(k, v) === true)),
      },
    ],
  },
  {
    name: 'REDUCE',
    category: 'LAMBDA',
    description:
      'Folds an array or a map into one value: the lambda takes the state and each element (or key and value).',
    overloads: [
      {
        params: [
          { name: 'array', type: arrayOf(T) },
          { name: 'initialState', type: S },
          { name: 'function', type: lambda([S, T], S) },
        ],
        returns: (types) => at(types, 1),
        acceptsNulls: true,
        invoke: ([values, initial, fn]) => {
          // As ksqlDB: a NULL collection gives the initial state, a NULL initial state gives NULL.
          if (initial === null || initial === undefined) return null;
          if (values === null || values === undefined) return initial;
          return array(values).reduce<SqlValue>((state, v) => asLambda(fn)(state, v), initial);
        },
      },
      {
        params: [
          { name: 'map', type: mapOf(K, V) },
          { name: 'initialState', type: S },
          { name: 'function', type: lambda([S, K, V], S) },
        ],
        returns: (types) => at(types, 1),
        acceptsNulls: true,
        invoke: ([m, initial, fn]) => {
          if (initial === null || initial === undefined) return null;
          if (m === null || m === undefined) return initial;
          let state: SqlValue = initial;
          for (const [k, v] of map(m)) state = asLambda(fn)(state, k, v);
          return state;
        },
      },
    ],
  },
];
