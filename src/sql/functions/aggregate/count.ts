// COUNT(*), COUNT() and COUNT(col): rows, or rows where col is not NULL. A BIGINT, as in ksqlDB.
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
      initialize: () => 0n,
      aggregate: (args, n: bigint) => (countsAll || args[0] !== null ? n + 1n : n),
      undo: (args, n: bigint) => (countsAll || args[0] !== null ? n - 1n : n),
      merge: (a, b) => a + b,
      result: (n) => n,
      toJson: (n) => n.toString(),
      fromJson: (data) => BigInt(data as string),
    }));
  },
};
