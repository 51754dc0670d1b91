// COLLECT_LIST and COLLECT_SET: the values in arrival order, NULLs included, up to a limit
// (ksql.functions.collect_list.limit / collect_set.limit, 1000 by default). On a table, a row's old value
// is taken out again: the last copy from a list, the value itself from a set.
import { SqlTypes, type SqlValue } from '../../types/index.js';
import { bound, type AggregateDefinition } from './definition.js';
import { valueFromJson, valueIdentity, valueToJson } from './values.js';

export const DEFAULT_COLLECT_LIMIT = 1000;

const jsonCodec = {
  toJson: (values: readonly SqlValue[]) => values.map(valueToJson),
  fromJson: (data: unknown) => (data as unknown[]).map(valueFromJson),
};

export function collectList(limit = DEFAULT_COLLECT_LIMIT): AggregateDefinition {
  return {
    name: 'COLLECT_LIST',
    description: 'Gather all of the values from an input grouping into a single Array field.',
    signatures: [{ args: 'T val', returns: 'ARRAY<T>', description: `Collects up to ${limit} values.` }],
    bind(argTypes) {
      const [type] = argTypes;
      if (argTypes.length !== 1 || type === null || type === undefined) return undefined;
      return bound('COLLECT_LIST', SqlTypes.array(type), 1, () => ({
        initialize: (): readonly SqlValue[] => [],
        aggregate: ([v], list) => (list.length < limit ? [...list, v ?? null] : list),
        undo: ([v], list) => {
          const identity = valueIdentity(v ?? null);
          for (let i = list.length - 1; i >= 0; i--) {
            if (valueIdentity(list[i] ?? null) === identity)
              return [...list.slice(0, i), ...list.slice(i + 1)];
          }
          return list;
        },
        merge: (a, b) => [...a, ...b].slice(0, limit),
        result: (list) => list,
        ...jsonCodec,
      }));
    },
  };
}

export function collectSet(limit = DEFAULT_COLLECT_LIMIT): AggregateDefinition {
  const add = (set: readonly SqlValue[], v: SqlValue): readonly SqlValue[] => {
    if (set.length >= limit) return set;
    const identity = valueIdentity(v);
    return set.some((x) => valueIdentity(x) === identity) ? set : [...set, v];
  };
  return {
    name: 'COLLECT_SET',
    description: 'Gather all of the distinct values from an input grouping into a single Array.',
    signatures: [
      { args: 'T val', returns: 'ARRAY<T>', description: `Collects up to ${limit} distinct values.` },
    ],
    bind(argTypes) {
      const [type] = argTypes;
      if (argTypes.length !== 1 || type === null || type === undefined) return undefined;
      return bound('COLLECT_SET', SqlTypes.array(type), 1, () => ({
        initialize: (): readonly SqlValue[] => [],
        aggregate: ([v], set) => add(set, v ?? null),
        undo: ([v], set) => {
          const identity = valueIdentity(v ?? null);
          return set.filter((x) => valueIdentity(x) !== identity);
        },
        merge: (a, b) => b.reduce(add, a),
        result: (set) => set,
        ...jsonCodec,
      }));
    },
  };
}
