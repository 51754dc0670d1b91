// COUNT(*), COUNT() and COUNT(col): rows, or rows where col is not NULL. A BIGINT, as in ksqlDB. The
// accumulator is a JS number (exact to 2^53 rows): a small integer costs no allocation per row, where a
// bigint would be a new object each time. Its changelog form is the count's digits either way.
import { SqlTypes } from '../../types/index.js';
import { bound, type AggregateDefinition } from './definition.js';

export const count: AggregateDefinition = {
  name: 'COUNT',
  description: 'Counts records by key.',
  signatures: [
    { args: '', returns: 'BIGINT', description: 'Counts all the rows: COUNT(*) and COUNT().' },
    { args: 'T val', returns: 'BIGINT', description: 'Counts the rows where val is not NULL.' },
  ],
  bind(argTypes) {
    if (argTypes.length > 1) return undefined;
    const countsAll = argTypes.length === 0;
    return bound('COUNT', SqlTypes.BIGINT, argTypes.length, () => ({
      initialize: () => 0,
      aggregate: (args, n: number) => (countsAll || args[0] !== null ? n + 1 : n),
      undo: (args, n: number) => (countsAll || args[0] !== null ? n - 1 : n),
      merge: (a, b) => a + b,
      result: (n) => BigInt(n),
      toJson: (n) => String(n),
      fromJson: (data) => Number(data as string),
    }));
  },
};
