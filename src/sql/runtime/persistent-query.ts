// A persistent query (CSAS, CTAS, INSERT INTO): a group member on its input topics whose outputs are
// produced to the sink's topic, each batch flushed before its input offsets are committed.
//
// Several servers of one service id run the same query in the same group, so the input partitions split
// between them. Where the query re-keys before stateful work, the records go through a repartition topic
// read by the same group (repartition.ts); each store's changelog has a partition per input partition,
// restored when the group assigns that partition and dropped when it is revoked (store-changelogs.ts).
import type { PartitionBatch, ProduceRecord, TopicPartition } from '../../client/index.js';
import type { RuntimeDeps } from './context.js';
import type { PersistentQuery, PersistentQueryOptions, QueryFailureInfo, QueryState } from './index.js';
import { InputRouter } from './input-router.js';
import { buildPipeline } from './pipeline.js';
import { processingLog } from './processing-log.js';
import { QueryContext } from './query-context.js';
import { checkpointIntervalMs, persistentQueryStores } from './stores/index.js';
import { RunningCheckpoints } from './stores/running-checkpoints.js';
import { QueryLoop } from './query-loop.js';
import { SINGLE_INSTANCE_PROCESS_ID } from './process-id.js';
import {
  AtLeastOnceCommitter,
  type BatchCommitter,
  ExactlyOnceCommitter,
  processingGuarantee,
  queryTransactionalId,
} from './batch-committer.js';
import { SinkEncoder, sinkTimestamper } from './sink-stage.js';
import { isRepartitionMarker, type PlannedSource } from '../planner/plan.js';
import type { DataSource } from '../planner/data-source.js';
import type { RowSerde, SerdeTarget } from '../formats/format.js';
import { keyTarget } from './source-stage.js';
import { ArrivalOrders } from './arrival-order.js';
import { repartitionTopic, repartitionWriter } from './repartition.js';
import { changelogTopicConfigs, StoreChangelogs } from './store-changelogs.js';

/** Kafka Streams' transaction.timeout.ms under exactly once. */
const EOS_TRANSACTION_TIMEOUT_MS = 10_000;

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
  /** Told when the query stops on a failure (see restarting-query.ts). */
  onFailed?: (error: unknown) => void,
): Promise<PersistentQuery> {
  const { queryId, plan, sink } = options;
  // Exactly once: the query's transactional producer starts first, fencing the one it replaces and ending
  // that one's open transaction, so the state restored below matches the committed offsets.
  const transactions =
    processingGuarantee(deps.properties) === 'exactly_once_v2'
      ? deps.kafka.transactionalProducer({
          transactionalId: queryTransactionalId(
            queryGroupId(deps.serviceId, queryId),
            deps.processId ?? SINGLE_INSTANCE_PROCESS_ID,
          ),
          // Kafka Streams' exactly-once default: a server that dies mid-transaction holds back
          // read_committed readers of its outputs (the other servers included) for at most this long.
          transactionTimeoutMs: EOS_TRANSACTION_TIMEOUT_MS,
        })
      : undefined;
  await transactions?.init();
  const stats = { consumed: 0, produced: 0, errors: 0 };
  let state: QueryState = 'RUNNING';
  let failure: QueryFailureInfo | undefined;
  const log = processingLog(deps, queryId);
  const outputs: ProduceRecord[] = [];
  const inputTopics = [...new Set(sourceTopics(plan.root))];
  const partitions = await partitionCount(deps, inputTopics);
  const stores = persistentQueryStores(deps, queryId);
  const changelogs = new StoreChangelogs(
    deps.kafka,
    deps.logger,
    deps.serviceId,
    queryId,
    outputs,
    partitions,
    stores.checkpoint,
  );
  const context = new QueryContext(
    queryId,
    (error) => {
      stats.errors++;
      log(error);
    },
    (store, codec, stateStore, options) =>
      changelogs.listener(
        store,
        codec,
        stateStore.keyPartitions,
        changelogTopicConfigs(options, deps.properties),
      ),
    stores,
  );
  plan.errors.target = (error) => context.processingError(error);
  const checkpoints = new RunningCheckpoints(
    context,
    checkpointIntervalMs(deps.properties),
    () => changelogs.checkpoint(),
    deps.logger,
    queryId,
  );

  const encoder = await SinkEncoder.create(sink, deps.createSerde);
  const stampTimestamp = sinkTimestamper(sink);
  const sourceKeys = new Map<string, RowSerde>();
  for (const source of repartitionKeySources(plan.root))
    sourceKeys.set(source.name, await deps.createSerde(repartitionKeyTarget(source)));
  const orders = new ArrivalOrders();
  const repartitionTopics: string[] = [];
  const repartitionNames: string[] = [];
  // Built again whenever state is restored or dropped: operators may index their stores when made.
  const build = () =>
    buildPipeline(
      plan.root,
      (produced) => {
        let record = produced;
        if (stampTimestamp !== undefined) {
          try {
            record = stampTimestamp(produced);
          } catch (error) {
            context.processingError({
              message: `Error writing row with extracted timestamp: ${(error as Error).message}`,
              record: produced,
              cause: error,
            });
            return;
          }
        }
        try {
          outputs.push(encoder.encode(record));
        } catch (error) {
          context.processingError({
            message: `Failed to serialize a record for ${sink.name}: ${(error as Error).message}`,
            record,
            cause: error,
            type: 'SERIALIZATION_ERROR',
            topic: sink.topic,
          });
        }
      },
      context,
      {
        enterSubTopology: (id) => (changelogs.subTopology = id),
        repartitionWriter: (point, index) => {
          // Two points of one name (a second join) get their index after it, so that topics differ.
          const named = repartitionNames.slice(0, index).includes(point.name);
          repartitionNames[index] = point.name;
          const step = named ? `${point.name}-${index}` : point.name;
          const topic = repartitionTopic(deps.serviceId, queryId, step);
          repartitionTopics[index] = topic;
          return repartitionWriter({
            topic,
            partitions,
            point,
            outputs,
            context,
            sinkKey: (key) => encoder.encodeKey(key),
            sourceKey: (source, key) => {
              const serde = sourceKeys.get(source.name);
              if (serde === undefined) throw new Error(`no key serde for ${source.name}`);
              return serde.serialize(key);
            },
            tickets: orders.office(topic),
          });
        },
      },
    );
  const pipeline = build();
  await createRepartitionTopics(deps, repartitionTopics, partitions);
  const router = await InputRouter.create(pipeline, context, deps, repartitionTopics, orders);
  router.beforeRecord = (consumed) => (changelogs.partition = consumed.partition);
  const subTopologies = new Map<string, number[]>();
  const addSubTopology = (topic: string, id: number) =>
    subTopologies.set(topic, [...new Set([...(subTopologies.get(topic) ?? []), id])]);
  for (const input of pipeline.inputs) addSubTopology(input.source.topic, input.subTopology);
  for (const repartition of pipeline.repartitions)
    addSubTopology(repartitionTopics[repartition.index] ?? '', repartition.subTopology);
  const subTopologiesOf = (topic: string) => subTopologies.get(topic) ?? [];
  const consumer = deps.kafka.consumer({
    group: queryGroupId(deps.serviceId, queryId),
    topics: router.topics,
    fallback: offsetReset(deps),
    // Written only to be read back: a partition the group has not committed yet is read whole.
    earliestTopics: repartitionTopics,
    // Partition p of every topic on one server, as Kafka Streams' tasks (a join's sides meet).
    copartitioned: true,
  });
  const started: { loop?: QueryLoop; committer?: BatchCommitter } = {};
  // Between batches: the batch in hand finishes with the state it began with, and the batches before it
  // are committed (their changelog records durable before any state is restored or dropped). A failed
  // commit fails the query at its next batch.
  const betweenBatches = (task: () => Promise<void>) => {
    const drained = async () => {
      await started.committer?.drain().catch(() => undefined);
      await task();
    };
    return started.loop ? started.loop.exclusive(drained) : drained();
  };
  consumer.onAssigned((assigned) =>
    betweenBatches(async () => {
      await changelogs.restore(assigned, subTopologiesOf, context.stores());
      router.rewire(build());
      orders.reassigned(consumer.assignment());
      deps.logger.debug({ queryId, assigned }, 'partitions assigned, their state restored');
    }),
  );
  let stopping = false;
  const release = (gone: readonly TopicPartition[]) =>
    betweenBatches(async () => {
      // Leaving the group at a stop revokes everything: the stores are closed (or checkpointed) instead.
      if (stopping) return;
      checkpoints.drop();
      changelogs.drop(gone, subTopologiesOf, context.stores());
      router.rewire(build());
      orders.reassigned(consumer.assignment());
    });
  consumer.onRevoked(release);
  consumer.onLost(release);
  await consumer.start();
  // A batch's outputs are all queued at once, so no linger: they go out at the end of this tick.
  const committer: BatchCommitter = transactions
    ? new ExactlyOnceCommitter(transactions, consumer)
    : new AtLeastOnceCommitter(deps.kafka.producer({ lingerMs: 0 }), consumer);
  started.committer = committer;
  const afterBatch = async (batches: readonly PartitionBatch[]) => {
    for (const batch of batches) stats.consumed += batch.records.length;
    await changelogs.ready();
    changelogs.flush();
    const sending = outputs.splice(0);
    stats.produced += sending.length;
    // A record still waiting its turn (arrival-order.ts) is not committed past.
    const held = orders.heldFrom();
    await committer.commit(
      sending,
      batches.map((b) => {
        const first = held.get(`${b.topic}\0${b.partition}`);
        const offset = first !== undefined && first < b.nextOffset ? first : b.nextOffset;
        return { topic: b.topic, partition: b.partition, offset };
      }),
    );
    // The changelog has the batch's writes now: the stores may put them on disk, and checkpoint.
    context.commit();
    await checkpoints.afterCommit();
  };
  const running = new QueryLoop({
    consumer,
    router,
    commit: false,
    afterBatch,
    // Places given up after their wait: what ran is flushed (its offsets go with a later batch).
    onIdle: async () => {
      if (orders.release()) await afterBatch([]);
      // An earlier batch's produce or commit failed while no batch came: fail now.
      else await committer.commit([], []);
    },
    // The batches handed to the producer are committed before the consumer leaves the group.
    beforeClose: () => committer.drain().catch(() => undefined),
    onFailure: (error) => {
      state = 'ERROR';
      failure = { message: error instanceof Error ? error.message : String(error), timestamp: Date.now() };
      deps.logger.error({ queryId, err: error }, `query ${queryId} failed`);
      onFailed?.(error);
    },
  });
  started.loop = running;

  return {
    queryId,
    sink,
    state: () => (state === 'RUNNING' && !running.running ? 'STOPPED' : state),
    stats: () => ({ ...stats }),
    failure: () => failure,
    async stop(options) {
      stopping = true;
      await running.stop();
      await committer.close();
      // A clean stop checkpoints the stores: their changelog records up to now are durable (acked, or
      // their transaction committed), so the next start restores only what came after.
      const clean = options?.keepState === true && state === 'RUNNING';
      await context.close(clean ? await changelogs.checkpoint().catch(() => undefined) : undefined);
      if (state === 'RUNNING') state = 'STOPPED';
    },
  };
}

/**
 * A source's key serde for re-keyed records meeting its partitions: in a registry format, with the schema
 * its producers registered (the subject's latest), so the bytes, and the partition, are theirs.
 */
function repartitionKeyTarget(source: DataSource): SerdeTarget {
  const target = keyTarget(source);
  return { ...target, options: { ...target.options, latestSchema: true } };
}

/** The sources whose key format a repartition writes its keys in (a join side meeting their partitions). */
function repartitionKeySources(planned: PlannedSource): DataSource[] {
  const found: DataSource[] = [];
  for (const factory of planned.operators) {
    if (!isRepartitionMarker(factory)) continue;
    const format = factory.repartition.keyFormat;
    if (typeof format === 'object' && !found.includes(format.source)) found.push(format.source);
  }
  if (planned.input.kind === 'Merge')
    for (const input of planned.input.inputs) found.push(...repartitionKeySources(input));
  return found;
}

/** The topics a plan reads, in plan order. */
function sourceTopics(planned: PlannedSource): string[] {
  const input = planned.input;
  return input.kind === 'Topic' ? [input.source.topic] : input.inputs.flatMap(sourceTopics);
}

/** The most partitions of the input topics: the partition count of the query's internal topics. */
async function partitionCount(deps: RuntimeDeps, topics: readonly string[]): Promise<number> {
  let count = 1;
  for (const topic of topics) {
    const description = await deps.kafka.topics.describe(topic).catch(() => undefined);
    count = Math.max(count, description?.partitions.length ?? 1);
  }
  return count;
}

async function createRepartitionTopics(deps: RuntimeDeps, topics: readonly string[], partitions: number) {
  for (const name of topics) {
    try {
      await deps.kafka.topics.createInternal({ name, partitions });
    } catch {
      // It exists already (a restart, or another server of this service id made it).
    }
  }
}
