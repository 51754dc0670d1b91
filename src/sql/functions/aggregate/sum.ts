// SUM: of INTEGER an INTEGER, of BIGINT a BIGINT, of DOUBLE a DOUBLE, of DECIMAL(p, s) a DECIMAL(p, s)
// that fails with 'Numeric field overflow' past p digits, as ksqlDB's. NULLs are skipped; no rows sum to 0.
import type { SqlValue } from '../../types/index.js';
import { bound, NUMERIC_KINDS, type AggregateDefinition } from './definition.js';
import { numericOps } from './numbers.js';
import { valueFromJson, valueToJson } from './values.js';

export const sum: AggregateDefinition = {
  name: 'SUM',
  description: 'Computes the sum for a key.',
  signatures: ['INT', 'BIGINT', 'DOUBLE', 'DECIMAL'].map((t) => ({
    args: `${t} val`,
    returns: t,
    description: `Computes the sum of ${t} values for a key, ignoring NULLs.`,
  })),
  bind(argTypes) {
    const [type] = argTypes;
    if (argTypes.length !== 1 || type === null || type === undefined || !NUMERIC_KINDS.has(type.kind)) {
      return undefined;
    }
    const ops = numericOps(type);
    return bound('SUM', type, 1, () => ({
      initialize: (): SqlValue => ops.zero,
      aggregate: ([v], total) => (v === null || v === undefined ? total : ops.add(total, v)),
      undo: ([v], total) => (v === null || v === undefined ? total : ops.subtract(total, v)),
      merge: (a, b) => ops.add(a, b),
      result: (total) => total,
      toJson: (total) => valueToJson(total),
      fromJson: (data) => valueFromJson(data),
    }));
  },
};

const LIST_ELEMENT_KINDS: ReadonlySet<string> = new Set(['INTEGER', 'BIGINT', 'DOUBLE']);

/** SUM_LIST: the sum of every array's elements, NULL arrays and elements skipped, in the element's type. */
export const sumList: AggregateDefinition = {
  name: 'SUM_LIST',
  description: 'Returns the sum of elements contained in the list.',
  signatures: ['INT', 'BIGINT', 'DOUBLE'].map((t) => ({
    args: `ARRAY<${t}> val`,
    returns: t,
    description: `Sums the ${t} elements of each list into a single ${t}.`,
  })),
  bind(argTypes) {
    const [type] = argTypes;
    if (argTypes.length !== 1 || type?.kind !== 'ARRAY' || !LIST_ELEMENT_KINDS.has(type.element.kind)) {
      return undefined;
    }
    const ops = numericOps(type.element);
    const listSum = (list: SqlValue | undefined): SqlValue =>
      ((list ?? []) as readonly SqlValue[]).reduce<SqlValue>(
        (total, v) => (v === null ? total : ops.add(total, v)),
        ops.zero,
      );
    return bound('SUM_LIST', type.element, 1, () => ({
      initialize: (): SqlValue => ops.zero,
      aggregate: ([list], total) =>
        list === null || list === undefined ? total : ops.add(total, listSum(list)),
      undo: ([list], total) =>
        list === null || list === undefined ? total : ops.subtract(total, listSum(list)),
      merge: (a, b) => ops.add(a, b),
      result: (total) => total,
      toJson: (total) => valueToJson(total),
      fromJson: (data) => valueFromJson(data),
    }));
  },
};
