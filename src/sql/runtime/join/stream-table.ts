// Stream-table join (INNER, LEFT): the table side is materialized; a stream record looks up the table's
// current row for its key and emits the joined row with the stream record's timestamp. Table updates
// only change the materialized row and emit nothing, as in ksqlDB (Kafka Streams' KStream-KTable join).
import type { MergeOperatorFactory } from '../../planner/plan.js';
import type { SqlRecord } from '../records.js';
import { windowedKeyString } from '../key-string.js';
import { combineRows, type JoinedRowLayout, type JoinRow } from './joined-row.js';

export interface StreamTableJoinSpec {
  readonly type: 'INNER' | 'LEFT';
  readonly layout: JoinedRowLayout;
  /** Name of the state store holding the table side, unique within the query. */
  readonly storeName: string;
}

/** Ports: 0 the stream (left), 1 the table (right); both keyed by the join key (joinSideOperator). */
export function streamTableJoin(spec: StreamTableJoinSpec): MergeOperatorFactory {
  return (downstream, context) => {
    const table = context.store<JoinRow>(spec.storeName);
    const stream = {
      process(record: SqlRecord): void {
        if (record.value === null) return;
        const match = table.get(windowedKeyString(record.key, record.window));
        if (match === undefined && spec.type === 'INNER') return;
        downstream({
          ...record,
          previous: undefined,
          value: combineRows(spec.layout, record.value, match ?? null),
        });
      },
    };
    const tableSide = {
      process(record: SqlRecord): void {
        const key = windowedKeyString(record.key, record.window);
        if (record.value === null) table.delete(key);
        else table.put(key, record.value);
      },
    };
    return { ports: [stream, tableSide] };
  };
}
