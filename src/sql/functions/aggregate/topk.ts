// TOPK(col, k): the k largest values, largest first; TOPK(col, other..., k) keeps the other columns
// beside each value as STRUCT<sort_col, col0, col1, ...>. TOPKDISTINCT(col, k): the k largest distinct
// values. NULL sort values are skipped. Stream-only, as in ksqlDB.
import { SqlTypes, type SqlStruct, type SqlType, type SqlValue } from '../../types/index.js';
import { bound, ORDERED_KINDS, type AggregateDefinition, type LiteralArg } from './definition.js';
import { compareValues, valueFromJson, valueToJson } from './values.js';

/** k must be a positive INTEGER literal. */
function literalK(type: SqlType | null | undefined, literal: LiteralArg): number | undefined {
  if (type?.kind !== 'INTEGER' || typeof literal !== 'number' || literal < 1) return undefined;
  return literal;
}

const descending = (a: SqlValue, b: SqlValue): number => compareValues(b, a);

const listCodec = {
  toJson: (values: readonly SqlValue[]) => values.map(valueToJson),
  fromJson: (data: unknown) => (data as unknown[]).map(valueFromJson),
};

export const topk: AggregateDefinition = {
  name: 'TOPK',
  description: 'Computes the top k values for a column, per key.',
  signatures: [
    { args: 'T val, INT k', returns: 'ARRAY<T>', description: 'The k largest values, largest first.' },
    {
      args: 'T val, U other..., INT k',
      returns: 'ARRAY<STRUCT<sort_col T, col0 U, ...>>',
      description: 'The k rows with the largest val, with their other columns.',
    },
  ],
  bind(argTypes, literals) {
    const last = argTypes.length - 1;
    const [sortType] = argTypes;
    const k = literalK(argTypes[last], literals[last]);
    if (argTypes.length < 2 || k === undefined || sortType === null || sortType === undefined)
      return undefined;
    if (!ORDERED_KINDS.has(sortType.kind)) return undefined;
    const others = argTypes.slice(1, last);
    if (others.some((t) => t === null)) return undefined;
    if (others.length === 0) {
      return bound('TOPK', SqlTypes.array(sortType), 1, () => ({
        initialize: (): readonly SqlValue[] => [],
        aggregate: ([v], top) =>
          v === null || v === undefined ? top : [...top, v].sort(descending).slice(0, k),
        merge: (a, b) => [...a, ...b].sort(descending).slice(0, k),
        result: (top) => top,
        ...listCodec,
      }));
    }
    const fields = [
      { name: 'sort_col', type: sortType },
      ...others.map((t, i) => ({ name: `col${i}`, type: t as SqlType })),
    ];
    const bySortCol = (a: SqlValue, b: SqlValue): number =>
      descending((a as SqlStruct).sort_col ?? null, (b as SqlStruct).sort_col ?? null);
    return bound('TOPK', SqlTypes.array(SqlTypes.struct(fields)), last, () => ({
      initialize: (): readonly SqlValue[] => [],
      aggregate: (args, top) => {
        const [v] = args;
        if (v === null || v === undefined) return top;
        const row: Record<string, SqlValue> = { sort_col: v };
        others.forEach((_, i) => (row[`col${i}`] = args[i + 1] ?? null));
        // A stable sort keeps the earlier of two equal sort values first.
        return [...top, row].sort(bySortCol).slice(0, k);
      },
      merge: (a, b) => [...a, ...b].sort(bySortCol).slice(0, k),
      result: (top) => top,
      ...listCodec,
    }));
  },
};

export const topkDistinct: AggregateDefinition = {
  name: 'TOPKDISTINCT',
  description: 'Calculates the top k distinct values for a column, per key.',
  signatures: [{ args: 'T val, INT k', returns: 'ARRAY<T>', description: 'The k largest distinct values.' }],
  bind(argTypes, literals) {
    const [sortType] = argTypes;
    const k = literalK(argTypes[1], literals[1]);
    if (argTypes.length !== 2 || k === undefined || sortType === null || sortType === undefined)
      return undefined;
    if (!ORDERED_KINDS.has(sortType.kind)) return undefined;
    const insert = (top: readonly SqlValue[], v: SqlValue): readonly SqlValue[] =>
      v === null || top.some((x) => compareValues(x, v) === 0)
        ? top
        : [...top, v].sort(descending).slice(0, k);
    return bound('TOPKDISTINCT', SqlTypes.array(sortType), 1, () => ({
      initialize: (): readonly SqlValue[] => [],
      aggregate: ([v], top) => insert(top, v ?? null),
      merge: (a, b) => b.reduce(insert, a),
      result: (top) => top,
      ...listCodec,
    }));
  },
};
