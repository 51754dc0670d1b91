// The step before a join on each side: the record's key becomes the join key (the side's ON
// expression), and its value the side's whole row (key columns, value columns, and a source's
// ROWTIME, ROWPARTITION and ROWOFFSET), so the join
// operator sees both sides alike whatever they were keyed by. A side re-keyed here is then sent
// through its repartition topic by a persistent query (the planner's marker follows this step).
import type { SqlValue } from '../../types/index.js';
import type { OperatorFactory } from '../operator.js';
import type { SqlRecord } from '../records.js';

export interface JoinSideSpec {
  /** The join key of a record; absent when the side's key already is the join key. */
  readonly joinKey?: (record: SqlRecord) => SqlValue;
  /** A stream's records without a value, or whose join key is NULL, join nothing: they are dropped, as in ksqlDB. */
  readonly kind: 'STREAM' | 'TABLE';
  /** Leave the key out of the row: an earlier join's synthetic key is no column of any source. */
  readonly keyNotInRow?: boolean;
  /** Append the record's ROWTIME, ROWPARTITION and ROWOFFSET (a single source's side; sideColumns). */
  readonly withPseudo?: boolean;
}

export function joinSideOperator(spec: JoinSideSpec): OperatorFactory {
  return (downstream) => ({
    process(record) {
      if (spec.kind === 'STREAM' && record.value === null) return;
      const key = spec.joinKey === undefined ? record.key : [spec.joinKey(record)];
      if (key.length === 0 || key[0] === null) return;
      if (record.value === null) {
        downstream({ ...record, key, value: null });
        return;
      }
      const keyPart = spec.keyNotInRow === true ? [] : record.key;
      if (spec.withPseudo !== true) {
        downstream({
          ...record,
          key,
          value: keyPart.length === 0 ? record.value : [...keyPart, ...record.value],
        });
        return;
      }
      // Read here, before a repartition topic gives the record another partition and offset.
      const pseudo = [BigInt(record.timestamp), record.partition, BigInt(record.offset)];
      downstream({ ...record, key, value: [...keyPart, ...record.value, ...pseudo] });
    },
  });
}
