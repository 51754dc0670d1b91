// A transient push query (SELECT ... EMIT CHANGES): the plan runs as a group member of its own, from the
// latest offsets unless ksql.streams.auto.offset.reset is earliest, and its rows go to the client until
// LIMIT rows are sent or the client closes it. Nothing is committed.
import { randomUUID } from 'node:crypto';
import type { QueryHandle } from '../engine/api.js';
import type { RuntimeDeps } from './context.js';
import type { TransientQueryOptions } from './index.js';
import { InputRouter } from './input-router.js';
import { offsetReset } from './persistent-query.js';
import { buildPipeline } from './pipeline.js';
import { processingLog } from './processing-log.js';
import { QueryContext } from './query-context.js';
import { QueryLoop } from './query-loop.js';
import { columnOrder, keyColumnNames, resultColumns, toRow } from './result-rows.js';
import { RowQueue } from './row-queue.js';

export async function runPushQuery(options: TransientQueryOptions, deps: RuntimeDeps): Promise<QueryHandle> {
  const { queryId, plan } = options;
  const log = processingLog(deps, queryId);
  const context = new QueryContext(queryId, log);
  plan.errors.target = log;
  const queue = new RowQueue();
  const order = columnOrder(plan);
  let sent = 0;
  const limit = plan.limit;
  // A stream's record without a value is no row (ksqlDB ignores it); a table's is a deleted row.
  const stream = plan.kind === 'STREAM';
  const running: { loop?: QueryLoop } = {};
  const close = async (): Promise<void> => {
    queue.end();
    await running.loop?.stop();
  };
  const pipeline = buildPipeline(
    plan.root,
    (record) => {
      if (queue.ended || (stream && record.value === null)) return;
      queue.push(toRow(record, order));
      sent++;
      if (limit !== undefined && sent >= limit) void close();
    },
    context,
  );
  const router = await InputRouter.create(pipeline, context, deps);
  const consumer = deps.kafka.consumer({
    group: `_confluent-ksql-${deps.serviceId}transient_${queryId}_${randomUUID()}`,
    topics: router.topics,
    fallback: offsetReset(deps),
  });
  await consumer.start();
  running.loop = new QueryLoop({
    consumer,
    router,
    commit: false,
    afterBatch: () => Promise.resolve(),
    onFailure: (error) => queue.end(error),
  });
  if (limit === 0) await close();
  return {
    queryId,
    columns: resultColumns(plan),
    ...(plan.kind === 'TABLE' ? { keyColumns: keyColumnNames(plan) } : {}),
    isPullQuery: false,
    rows: () => queue,
    close,
  };
}
