// A pull query (SELECT without EMIT): the source topics are read from their beginning to the end they
// have now, through the plan. On a table the answer is each key's latest row (deleted rows left out); on
// a stream, every row in order. LIMIT cuts the answer.
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

export async function runPullQuery(options: TransientQueryOptions, deps: RuntimeDeps): Promise<QueryHandle> {
  const { queryId, plan } = options;
  const log = processingLog(deps, queryId);
  const context = new QueryContext(queryId, log);
  plan.errors.target = log;
  const order = columnOrder(plan);
  const table = plan.kind === 'TABLE';
  const latest = new Map<string, ResultRow>();
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
      if (record.value !== null) latest.set(id, toRow(record, order));
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
  for (const record of mergeByTimestamp(batches, router.topics)) await router.process(record);

  const answer = table ? [...latest.values()] : rows;
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
