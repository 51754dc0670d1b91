// WHERE / HAVING as an operator. On a stream a record passes when the predicate is TRUE (a NULL value,
// a tombstone, never does). On a table a row that does not match becomes a tombstone of its key, so that
// a row that stops matching leaves the result, as Kafka Streams' KTable#filter does; a key known not to
// be in the result gets no tombstone.
import type { OperatorFactory } from '../operator.js';
import type { SqlRecord } from '../records.js';
import type { SqlValue } from '../../types/index.js';

export type Predicate = (record: SqlRecord) => SqlValue;

export function filterOperator(predicate: Predicate, kind: 'STREAM' | 'TABLE'): OperatorFactory {
  if (kind === 'STREAM') {
    return (downstream) => ({
      process(record) {
        if (record.value !== null && predicate(record) === true) downstream(record);
      },
    });
  }
  // A table's previous value counts only if it matched: downstream it was never there otherwise.
  const matchedPrevious = (record: SqlRecord): SqlRecord['previous'] => {
    if (record.previous === undefined || record.previous === null) return record.previous;
    return predicate({ ...record, value: record.previous }) === true ? record.previous : null;
  };
  return (downstream) => ({
    process(record) {
      const previous = matchedPrevious(record);
      const matches = record.value !== null && predicate(record) === true;
      const value = matches ? record.value : null;
      // Neither there before nor now: nothing changed downstream (Kafka Streams' filter with old values).
      if (value === null && previous === null) return;
      if (previous === undefined) downstream(value === record.value ? record : { ...record, value });
      else downstream({ ...record, value, previous });
    },
  });
}
