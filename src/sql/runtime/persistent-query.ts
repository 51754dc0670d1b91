// A persistent query (CSAS, CTAS, INSERT INTO): a group member on its input topics whose outputs are
// produced to the sink's topic, each batch flushed before its input offsets are committed.
import type { ProduceRecord } from '../../client/index.js';
import type { RuntimeDeps } from './context.js';
import type { PersistentQuery, PersistentQueryOptions, QueryState } from './index.js';
import { InputRouter } from './input-router.js';
import { buildPipeline } from './pipeline.js';
import { processingLog } from './processing-log.js';
import { QueryContext } from './query-context.js';
import { QueryLoop } from './query-loop.js';
import { SinkEncoder } from './sink-stage.js';

export function queryGroupId(serviceId: string, queryId: string): string {
  return `_confluent-ksql-${serviceId}query_${queryId}`;
}

export function offsetReset(deps: RuntimeDeps): 'earliest' | 'latest' {
  return deps.properties?.['ksql.streams.auto.offset.reset']?.toLowerCase() === 'earliest'
    ? 'earliest'
    : 'latest';
}

export async function runPersistentQuery(
  options: PersistentQueryOptions,
  deps: RuntimeDeps,
): Promise<PersistentQuery> {
  const { queryId, plan, sink } = options;
  const stats = { consumed: 0, produced: 0, errors: 0 };
  let state: QueryState = 'RUNNING';
  const log = processingLog(deps, queryId);
  const context = new QueryContext(queryId, (error) => {
    stats.errors++;
    log(error);
  });
  plan.errors.target = (error) => context.processingError(error);

  const encoder = await SinkEncoder.create(sink, deps.createSerde);
  const outputs: ProduceRecord[] = [];
  const pipeline = buildPipeline(
    plan.root,
    (record) => {
      try {
        outputs.push(encoder.encode(record));
      } catch (error) {
        context.processingError({
          message: `Failed to serialize a record for ${sink.name}: ${(error as Error).message}`,
          record,
          cause: error,
        });
      }
    },
    context,
  );
  const router = await InputRouter.create(pipeline, context, deps);
  const producer = deps.kafka.producer({ lingerMs: 2 });
  const consumer = deps.kafka.consumer({
    group: queryGroupId(deps.serviceId, queryId),
    topics: router.topics,
    fallback: offsetReset(deps),
  });
  await consumer.start();
  const loop = new QueryLoop({
    consumer,
    router,
    commit: true,
    afterBatch: async (batches) => {
      for (const batch of batches) stats.consumed += batch.records.length;
      if (outputs.length === 0) return;
      const sending = outputs.splice(0);
      stats.produced += sending.length;
      await producer.sendMany(sending);
    },
    onFailure: (error) => {
      state = 'ERROR';
      deps.logger.error({ queryId, err: error }, `query ${queryId} failed`);
    },
  });

  return {
    queryId,
    sink,
    state: () => (state === 'RUNNING' && !loop.running ? 'STOPPED' : state),
    stats: () => ({ ...stats }),
    async stop() {
      await loop.stop();
      await producer.close().catch(() => undefined);
      if (state === 'RUNNING') state = 'STOPPED';
    },
  };
}
