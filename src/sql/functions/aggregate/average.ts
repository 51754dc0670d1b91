// AVG: a DOUBLE from a running sum and count of the non-NULL values; 0.0 before any, as ksqlDB's.
import { SqlTypes, type SqlValue } from '../../types/index.js';
import { bound, NUMERIC_KINDS, type AggregateDefinition } from './definition.js';
import { numericOps } from './numbers.js';
import { valueFromJson, valueToJson } from './values.js';

interface SumAndCount {
  readonly sum: SqlValue;
  readonly count: number;
}

export const average: AggregateDefinition = {
  name: 'AVG',
  description: 'Returns the average value of the column computed as the sum divided by the count.',
  signatures: ['INT', 'BIGINT', 'DOUBLE', 'DECIMAL'].map((t) => ({
    args: `${t} val`,
    returns: 'DOUBLE',
    description: `Returns the average of ${t} values, ignoring NULLs.`,
  })),
  bind(argTypes) {
    const [type] = argTypes;
    if (argTypes.length !== 1 || type === null || type === undefined || !NUMERIC_KINDS.has(type.kind)) {
      return undefined;
    }
    // A DECIMAL's average is taken over doubles: it is a DOUBLE anyway, and its sum cannot overflow then.
    const ops = numericOps(type.kind === 'DECIMAL' ? SqlTypes.DOUBLE : type);
    const input = (v: SqlValue): SqlValue => (type.kind === 'DECIMAL' ? numericOps(type).toDouble(v) : v);
    return bound(
      'AVG',
      SqlTypes.DOUBLE,
      1,
      () => ({
        initialize: (): SumAndCount => ({ sum: ops.zero, count: 0 }),
        aggregate: ([v], acc) =>
          v === null || v === undefined ? acc : { sum: ops.add(acc.sum, input(v)), count: acc.count + 1 },
        undo: ([v], acc) =>
          v === null || v === undefined
            ? acc
            : { sum: ops.subtract(acc.sum, input(v)), count: acc.count - 1 },
        merge: (a, b) => ({ sum: ops.add(a.sum, b.sum), count: a.count + b.count }),
        result: (acc) => (acc.count === 0 ? 0 : ops.toDouble(acc.sum) / acc.count),
        toJson: (acc) => ({ sum: valueToJson(acc.sum), count: acc.count }),
        fromJson: (data) => {
          const { sum, count } = data as { sum: unknown; count: number };
          return { sum: valueFromJson(sum), count };
        },
      }),
      SqlTypes.struct([
        { name: 'SUM', type },
        { name: 'COUNT', type: SqlTypes.BIGINT },
      ]),
    );
  },
};
