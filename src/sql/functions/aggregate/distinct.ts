// COUNT_DISTINCT: the number of distinct non-NULL values (exact here; ksqlDB's HyperLogLog is exact at
// small counts and approximate beyond). HISTOGRAM: how many times each STRING value occurs, up to 1000
// distinct values; on a table, a row's old value is counted out again.
import { SqlTypes, type SqlValue } from '../../types/index.js';
import { bound, type AggregateDefinition } from './definition.js';
import { valueIdentity } from './values.js';

export const countDistinct: AggregateDefinition = {
  name: 'COUNT_DISTINCT',
  description: 'Returns the approximate number of unique values for a column.',
  signatures: [{ args: 'T val', returns: 'BIGINT', description: 'Counts the distinct non-NULL values.' }],
  bind(argTypes) {
    const [type] = argTypes;
    if (argTypes.length !== 1 || type === null || type === undefined) return undefined;
    return bound(
      'COUNT_DISTINCT',
      SqlTypes.BIGINT,
      1,
      () => ({
        initialize: (): readonly string[] => [],
        aggregate: ([v], seen) => {
          if (v === null || v === undefined) return seen;
          const identity = valueIdentity(v);
          return seen.includes(identity) ? seen : [...seen, identity];
        },
        merge: (a, b) => [...new Set([...a, ...b])],
        result: (seen) => BigInt(seen.length),
        toJson: (seen) => seen,
        fromJson: (data) => data as string[],
      }),
      SqlTypes.array(SqlTypes.INTEGER),
    );
  },
};

export const HISTOGRAM_LIMIT = 1000;

export const histogram: AggregateDefinition = {
  name: 'HISTOGRAM',
  description:
    'Returns a map containing the distinct String values of col mapped to the number of times each one occurs.',
  signatures: [
    { args: 'VARCHAR val', returns: 'MAP<VARCHAR, BIGINT>', description: 'Counts each string value.' },
  ],
  bind(argTypes) {
    const [type] = argTypes;
    if (argTypes.length !== 1 || type?.kind !== 'STRING') return undefined;
    const change = (counts: ReadonlyMap<SqlValue, SqlValue>, v: SqlValue, by: bigint) => {
      if (v === null) return counts;
      const current = (counts.get(v) as bigint | undefined) ?? 0n;
      if (current === 0n && (by < 0n || counts.size >= HISTOGRAM_LIMIT)) return counts;
      const next = new Map(counts);
      if (current + by === 0n) next.delete(v);
      else next.set(v, current + by);
      return next;
    };
    return bound('HISTOGRAM', SqlTypes.map(SqlTypes.STRING, SqlTypes.BIGINT), 1, () => ({
      initialize: (): ReadonlyMap<SqlValue, SqlValue> => new Map(),
      aggregate: ([v], counts) => change(counts, v ?? null, 1n),
      undo: ([v], counts) => change(counts, v ?? null, -1n),
      merge: (a, b) => [...b].reduce((acc, [k, n]) => change(acc, k, n as bigint), a),
      result: (counts) => counts,
      toJson: (counts) => [...counts].map(([k, n]) => [k, String(n)]),
      fromJson: (data) => new Map((data as [string, string][]).map(([k, n]) => [k, BigInt(n)])),
    }));
  },
};
