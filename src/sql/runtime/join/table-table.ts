// Table-table join on both tables' primary keys (INNER, LEFT, RIGHT, FULL): both sides are materialized
// with each row's timestamp; an update on either side emits the key's new joined row (and the one before,
// for aggregations over the join), or a tombstone when the join no longer has a row for it. The result's timestamp is the later of the two rows', as
// Kafka Streams' KTable-KTable joins give it.
import type { MergeOperatorFactory } from '../../planner/plan.js';
import type { KeyValueStore } from '../operator.js';
import type { Emit, SqlRecord } from '../records.js';
import { windowedKeyString } from '../key-string.js';
import { combineRows, type JoinedRowLayout, type JoinRow } from './joined-row.js';

export interface TableTableJoinSpec {
  readonly type: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';
  readonly layout: JoinedRowLayout;
  /** Prefix of the two state stores' names (`-left`, `-right`), unique within the query. */
  readonly storeName: string;
}

interface StoredRow {
  readonly row: JoinRow;
  readonly timestamp: number;
}

type Side = 'left' | 'right';

/** Ports: 0 the left table, 1 the right table, both keyed by their primary key. */
export function tableTableJoin(spec: TableTableJoinSpec): MergeOperatorFactory {
  return (downstream, context) => {
    const stores: Record<Side, KeyValueStore<StoredRow>> = {
      left: context.store<StoredRow>(`${spec.storeName}-left`),
      right: context.store<StoredRow>(`${spec.storeName}-right`),
    };
    const port = (side: Side) => ({
      process(record: SqlRecord): void {
        onUpdate(spec, stores, side, record, downstream);
      },
    });
    return { ports: [port('left'), port('right')] };
  };
}

/** Whether a side's row must exist for the join to have a row: the inner side(s) of the join type. */
function required(type: TableTableJoinSpec['type'], side: Side): boolean {
  if (type === 'INNER') return true;
  if (type === 'LEFT') return side === 'left';
  if (type === 'RIGHT') return side === 'right';
  return false;
}

function onUpdate(
  spec: TableTableJoinSpec,
  stores: Record<Side, KeyValueStore<StoredRow>>,
  side: Side,
  record: SqlRecord,
  downstream: Emit,
): void {
  const otherSide: Side = side === 'left' ? 'right' : 'left';
  const key = windowedKeyString(record.key, record.window);
  const old = stores[side].get(key);
  if (record.value === null) stores[side].delete(key);
  else stores[side].put(key, { row: record.value, timestamp: record.timestamp });
  const other = stores[otherSide].get(key);

  // The other side is required and absent: there was no joined row and there is none now.
  if (other === undefined && required(spec.type, otherSide)) return;
  // Deleting a row that was not there changes nothing when the other side is absent too.
  if (other === undefined && record.value === null && old === undefined) return;

  const timestamp = other === undefined ? record.timestamp : Math.max(record.timestamp, other.timestamp);
  const mine = record.value;
  const theirs = other?.row ?? null;
  const value = joinedRow(spec, side, mine, theirs);
  // The key's joined row before this update, so that an aggregation over the join can take it back out.
  const previous = joinedRow(spec, side, old?.row ?? null, theirs);
  downstream({ ...record, value, previous, timestamp });
}

/** The joined row of this side's row and the other's, or null when the join type has none for them. */
function joinedRow(
  spec: TableTableJoinSpec,
  side: Side,
  mine: JoinRow | null,
  theirs: JoinRow | null,
): JoinRow | null {
  const hasRow = mine !== null ? true : !required(spec.type, side) && theirs !== null;
  if (!hasRow) return null;
  return side === 'left' ? combineRows(spec.layout, mine, theirs) : combineRows(spec.layout, theirs, mine);
}
