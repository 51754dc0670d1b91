// A pull query (SELECT without EMIT): the source topics are read from their beginning to the end they
// have now, through the plan. On a table the answer is each key's latest row (deleted rows left out); on
// a stream, every row in order. LIMIT cuts the answer.
//
// A table's rows come in the order ksqlDB's table scan gives them: it reads the state store of each
// partition in turn (partition 0 first), and a store iterates its keys in the order of their serialized
// bytes (RocksDB's and the in-memory store's comparator), so a windowed key's windows follow its key by
// start. Not the order rows were last updated in: clients and tests written against ksqlDB see the same
// rows in the same order here.
import type { QueryHandle, ResultRow } from '../engine/api.js';
import type { RuntimeDeps } from './context.js';
import type { TransientQueryOptions } from './index.js';
import { InputRouter } from './input-router.js';
import { keyString } from './key-string.js';
import { mergeByTimestamp } from './partition-merge.js';
import { buildPipeline } from './pipeline.js';
import { processingLog } from './processing-log.js';
import { QueryContext } from './query-context.js';
import { columnOrder, keyColumnNames, resultColumns, toRow } from './result-rows.js';
import { RowQueue } from './row-queue.js';
import type { ConsumedRecord, PartitionBatch } from '../../client/index.js';
import type { WindowInfo } from '../planner/data-source.js';
import type { WindowBounds } from './records.js';

export async function runPullQuery(options: TransientQueryOptions, deps: RuntimeDeps): Promise<QueryHandle> {
  const { queryId, plan } = options;
  const log = processingLog(deps, queryId);
  const context = new QueryContext(queryId, log);
  plan.errors.target = log;
  const order = columnOrder(plan);
  const table = plan.kind === 'TABLE';
  const latest = new Map<string, StoredRow>();
  // The topic record being processed: a table row's place in ksqlDB's answer comes from it.
  let current: ConsumedRecord | undefined;
  const rows: ResultRow[] = [];
  const pipeline = buildPipeline(
    plan.root,
    (record) => {
      if (!table) {
        if (record.value !== null) rows.push(toRow(record, order));
        return;
      }
      const window = record.window === undefined ? '' : `@${record.window.start}-${record.window.end}`;
      const id = keyString(record.key) + window;
      latest.delete(id);
      if (record.value !== null)
        latest.set(id, {
          row: toRow(record, order),
          partition: current?.partition ?? 0,
          key: current?.key ?? EMPTY_KEY,
          ...(record.window === undefined ? {} : { window: record.window }),
        });
    },
    context,
  );
  const router = await InputRouter.create(pipeline, context, deps);
  // Each topic read to its current end; the records of all of them merged by timestamp, as a query would.
  const batches: PartitionBatch[] = [];
  for (const topic of router.topics) {
    const byPartition = new Map<number, ConsumedRecord[]>();
    for await (const record of deps.kafka.consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true })) {
      const list = byPartition.get(record.partition) ?? [];
      list.push(record);
      byPartition.set(record.partition, list);
    }
    for (const [partition, records] of byPartition) {
      batches.push({ topic, partition, records, nextOffset: 0n, highWatermark: 0n });
    }
  }
  let streamTime = Number.NEGATIVE_INFINITY;
  for (const record of mergeByTimestamp(batches, router.topics)) {
    current = record;
    if (Number(record.timestamp) > streamTime) streamTime = Number(record.timestamp);
    await router.process(record);
  }

  const answer = table ? storeOrder(retained(latest.values(), plan.window, streamTime)) : rows;
  const queue = new RowQueue();
  for (const row of plan.limit === undefined ? answer : answer.slice(0, plan.limit)) queue.push(row);
  queue.end();
  return {
    queryId,
    columns: resultColumns(plan),
    ...(table ? { keyColumns: keyColumnNames(plan) } : {}),
    isPullQuery: true,
    rows: () => queue,
    close: () => Promise.resolve(),
  };
}

interface StoredRow {
  readonly row: ResultRow;
  readonly partition: number;
  /** The record's key as it is on the topic (a windowed key with its window bytes). */
  readonly key: Buffer;
  readonly window?: WindowBounds;
}

/**
 * The rows a windowed aggregation's store still holds: as Kafka Streams' window store, those whose window
 * starts (a session store: ends) less than the retention behind stream time, the table's latest timestamp.
 */
function retained(
  rows: Iterable<StoredRow>,
  window: WindowInfo | undefined,
  streamTime: number,
): Iterable<StoredRow> {
  if (window?.retentionMs === undefined) return rows;
  const horizon = streamTime - window.retentionMs;
  const session = window.type === 'SESSION';
  return [...rows].filter(
    (stored) => stored.window === undefined || (session ? stored.window.end : stored.window.start) > horizon,
  );
}

const EMPTY_KEY = Buffer.alloc(0);

/** Rows by partition, then by serialized key, bytes compared unsigned as Kafka Streams' Bytes are. */
function storeOrder(rows: Iterable<StoredRow>): ResultRow[] {
  return [...rows]
    .sort((a, b) => a.partition - b.partition || Buffer.compare(a.key, b.key))
    .map((stored) => stored.row);
}
