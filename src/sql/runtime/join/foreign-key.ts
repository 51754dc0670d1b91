// Foreign-key table-table join (INNER, LEFT): each left row is joined to the right row whose primary
// key equals the left row's foreign-key expression; the result is keyed by the left row's key. As in
// Kafka Streams' foreign-key join:
//   - a left insert emits the joined row if its right row exists (LEFT: always, with NULLs);
//   - a left update emits the joined row, or for INNER without a right row a tombstone (the left
//     row's earlier result must go); a left delete emits a tombstone;
//   - a right update or delete re-emits the result of every left row pointing at it (INNER: a
//     tombstone when the right row is gone), in the order the left rows first pointed at it.
// Left-triggered results carry the left record's timestamp, right-triggered ones the right record's.
import type { MergeOperatorFactory } from '../../planner/plan.js';
import type { SqlValue } from '../../types/index.js';
import type { KeyValueStore } from '../operator.js';
import type { Emit, SqlRecord } from '../records.js';
import { windowedKeyString } from '../key-string.js';
import { combineRows, type JoinedRowLayout, type JoinRow } from './joined-row.js';

export interface ForeignKeyJoinSpec {
  readonly type: 'INNER' | 'LEFT';
  /** leftWidth: the left's value columns only (its key is the result's key); rightWidth: the right's whole row. */
  readonly layout: JoinedRowLayout;
  /** The foreign key of a left record (its key and value as the left table has them). */
  readonly foreignKey: (left: SqlRecord) => SqlValue;
  /** Prefix of the state stores' names (`-left`, `-right`, `-index`), unique within the query. */
  readonly storeName: string;
}

interface LeftRow {
  readonly key: readonly SqlValue[];
  readonly row: JoinRow;
  /** Where the row sits in the index: `<foreign key>|<sequence>`; undefined for a NULL foreign key. */
  readonly indexKey?: string;
}

interface IndexMeta {
  sequence: number;
}

/** Ports: 0 the left table (records as the table has them), 1 the right table (key = its primary key, value = its whole row). */
export function foreignKeyJoin(spec: ForeignKeyJoinSpec): MergeOperatorFactory {
  return (downstream, context) => {
    const left = context.store<LeftRow>(`${spec.storeName}-left`);
    const right = context.store<JoinRow>(`${spec.storeName}-right`);
    const index = context.store<string>(`${spec.storeName}-index`);
    const meta = context.store<IndexMeta>(`${spec.storeName}-meta`);
    const stores = { left, right, index, meta };
    return {
      ports: [
        { process: (record: SqlRecord) => onLeft(spec, stores, record, downstream) },
        { process: (record: SqlRecord) => onRight(spec, stores, record, downstream) },
      ],
    };
  };
}

interface Stores {
  readonly left: KeyValueStore<LeftRow>;
  readonly right: KeyValueStore<JoinRow>;
  readonly index: KeyValueStore<string>;
  readonly meta: KeyValueStore<IndexMeta>;
}

function onLeft(spec: ForeignKeyJoinSpec, stores: Stores, record: SqlRecord, downstream: Emit): void {
  const leftKey = windowedKeyString(record.key);
  const old = stores.left.get(leftKey);
  const emit = (value: SqlValue[] | null): void => downstream({ ...record, value, previous: undefined });
  if (record.value === null) {
    if (old === undefined) return;
    if (old.indexKey !== undefined) stores.index.delete(old.indexKey);
    stores.left.delete(leftKey);
    emit(null);
    return;
  }
  const foreignKey = spec.foreignKey(record);
  const fkString = foreignKey === null ? undefined : windowedKeyString([foreignKey]);
  let indexKey = old?.indexKey;
  if (indexKey === undefined || fkString === undefined || !indexKey.startsWith(`${fkString}|`)) {
    if (indexKey !== undefined) stores.index.delete(indexKey);
    indexKey = fkString === undefined ? undefined : `${fkString}|${nextSequence(stores.meta)}`;
    if (indexKey !== undefined) stores.index.put(indexKey, leftKey);
  }
  stores.left.put(leftKey, {
    key: record.key,
    row: record.value,
    ...(indexKey === undefined ? {} : { indexKey }),
  });

  const match = fkString === undefined ? undefined : stores.right.get(fkString);
  if (match !== undefined || spec.type === 'LEFT')
    emit(combineRows(spec.layout, record.value, match ?? null));
  else if (old !== undefined) emit(null);
}

function onRight(spec: ForeignKeyJoinSpec, stores: Stores, record: SqlRecord, downstream: Emit): void {
  const fkString = windowedKeyString(record.key);
  if (record.value === null) stores.right.delete(fkString);
  else stores.right.put(fkString, record.value);
  const prefix = `${fkString}|`;
  for (const [indexKey, leftKey] of stores.index.entries(prefix, `${prefix}~`)) {
    if (!indexKey.startsWith(prefix)) continue;
    const leftRow = stores.left.get(leftKey);
    if (leftRow === undefined) continue;
    const value =
      record.value === null && spec.type === 'INNER'
        ? null
        : combineRows(spec.layout, leftRow.row, record.value);
    downstream({ ...record, key: leftRow.key, value, previous: undefined });
  }
}

function nextSequence(meta: KeyValueStore<IndexMeta>): string {
  const current = meta.get('meta') ?? { sequence: 0 };
  const sequence = current.sequence + 1;
  meta.put('meta', { sequence });
  return String(sequence).padStart(16, '0');
}
