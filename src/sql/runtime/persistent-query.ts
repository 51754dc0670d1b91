// A persistent query (CSAS, CTAS, INSERT INTO): a group member on its input topics whose outputs are
// produced to the sink's topic, each batch flushed before its input offsets are committed.
import type { ProduceRecord } from '../../client/index.js';
import type { RuntimeDeps } from './context.js';
import type { PersistentQuery, PersistentQueryOptions, QueryState } from './index.js';
import { InputRouter } from './input-router.js';
import { buildPipeline } from './pipeline.js';
import { processingLog } from './processing-log.js';
import { QueryContext } from './query-context.js';
import { persistentQueryStores } from './stores/index.js';
import { QueryLoop } from './query-loop.js';
import {
  AtLeastOnceCommitter,
  ExactlyOnceCommitter,
  processingGuarantee,
  queryTransactionalId,
} from './batch-committer.js';
import { SinkEncoder } from './sink-stage.js';
import { CHANGELOG_SUFFIX, changelogPrefix, changelogTopic, encodeStoreValue } from './changelog.js';
import type { StoreCodec } from './operator.js';
import type { StoreListener } from './state-store.js';

/** One store's changelog: its topic, its codec, and the keys written since the last flush. */
interface StoreChangelog {
  readonly topic: string;
  readonly codec: StoreCodec<unknown> | undefined;
  /** Each written key's latest value (undefined: deleted), in the order first written. */
  readonly pending: Map<string, unknown>;
  disabled: boolean;
}

/**
 * Each store's changelog: its topic created on the first write, its records queued with the outputs.
 * A batch's writes are kept per key and encoded once at its end (`flush`): a compacted topic keeps only
 * the latest value of a key anyway, and a store written once per record then costs no encoding per record.
 */
class StoreChangelogs {
  readonly #creating: Promise<void>[] = [];
  readonly #stores = new Map<string, StoreChangelog>();

  constructor(
    private readonly deps: RuntimeDeps,
    private readonly queryId: string,
    private readonly outputs: ProduceRecord[],
  ) {}

  listener(store: string, codec: StoreCodec<unknown> | undefined): StoreListener<unknown> {
    const topic = changelogTopic(this.deps.serviceId, this.queryId, store);
    this.#creating.push(
      this.deps.kafka.topics
        .create({ name: topic, partitions: 1, configs: { 'cleanup.policy': 'compact' } })
        .catch(() => undefined), // it exists already (a restart)
    );
    const changelog: StoreChangelog = { topic, codec, pending: new Map(), disabled: false };
    this.#stores.set(store, changelog);
    return (key, value) => {
      if (!changelog.disabled) changelog.pending.set(key, value);
    };
  }

  /** Queues each store's writes since the last flush with the outputs, latest value per key. */
  flush(): void {
    for (const [store, changelog] of this.#stores) {
      const { topic, codec, pending } = changelog;
      for (const [key, value] of pending) {
        const bytes = encodeStoreValue(
          value === undefined || codec === undefined ? value : codec.toData(value),
        );
        if (bytes === undefined) {
          changelog.disabled = true;
          this.deps.logger.warn(
            { queryId: this.queryId, store },
            'store values have no changelog form: not restored after a restart',
          );
          break;
        }
        this.outputs.push({ topic, key: Buffer.from(key), value: bytes });
      }
      pending.clear();
    }
  }

  /** Waits for the changelog topics to exist before their first records are produced. */
  async ready(): Promise<void> {
    await Promise.all(this.#creating.splice(0));
  }

  /**
   * Reads every store's changelog topic to its end, handing each record to `into` as it comes (value
   * null: a tombstone), so that a changelog larger than memory streams into a disk-backed store.
   */
  async restore(into: (store: string, key: string, value: Buffer | null) => void): Promise<void> {
    const prefix = changelogPrefix(this.deps.serviceId, this.queryId);
    const topics = await this.deps.kafka.topics.list({ includeInternal: true });
    for (const { name } of topics) {
      if (!name.startsWith(prefix) || !name.endsWith(CHANGELOG_SUFFIX)) continue;
      const store = name.slice(prefix.length, -CHANGELOG_SUFFIX.length);
      for await (const record of this.deps.kafka.consume({
        topic: name,
        from: { kind: 'beginning' },
        stopAtEnd: true,
      })) {
        if (record.key !== null) into(store, record.key.toString('utf8'), record.value);
      }
    }
  }
}

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
          transactionalId: queryTransactionalId(queryGroupId(deps.serviceId, queryId)),
        })
      : undefined;
  await transactions?.init();
  const stats = { consumed: 0, produced: 0, errors: 0 };
  let state: QueryState = 'RUNNING';
  const log = processingLog(deps, queryId);
  const outputs: ProduceRecord[] = [];
  const changelogs = new StoreChangelogs(deps, queryId, outputs);
  const context = new QueryContext(
    queryId,
    (error) => {
      stats.errors++;
      log(error);
    },
    (store, codec) => changelogs.listener(store, codec),
    persistentQueryStores(deps, queryId),
  );
  try {
    await changelogs.restore((store, key, value) => context.restore(store, key, value));
  } catch (error) {
    await context.close();
    throw error;
  }
  plan.errors.target = (error) => context.processingError(error);

  const encoder = await SinkEncoder.create(sink, deps.createSerde);
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
          type: 'SERIALIZATION_ERROR',
          topic: sink.topic,
        });
      }
    },
    context,
  );
  const router = await InputRouter.create(pipeline, context, deps);
  const consumer = deps.kafka.consumer({
    group: queryGroupId(deps.serviceId, queryId),
    topics: router.topics,
    fallback: offsetReset(deps),
  });
  await consumer.start();
  const committer = transactions
    ? new ExactlyOnceCommitter(transactions, consumer)
    : new AtLeastOnceCommitter(deps.kafka.producer({ lingerMs: 2 }), consumer);
  const loop = new QueryLoop({
    consumer,
    router,
    commit: false,
    afterBatch: async (batches) => {
      for (const batch of batches) stats.consumed += batch.records.length;
      changelogs.flush();
      context.flush();
      if (outputs.length > 0) await changelogs.ready();
      const sending = outputs.splice(0);
      stats.produced += sending.length;
      await committer.commit(
        sending,
        batches.map((b) => ({ topic: b.topic, partition: b.partition, offset: b.nextOffset })),
      );
    },
    onFailure: (error) => {
      state = 'ERROR';
      deps.logger.error({ queryId, err: error }, `query ${queryId} failed`);
      onFailed?.(error);
    },
  });

  return {
    queryId,
    sink,
    state: () => (state === 'RUNNING' && !loop.running ? 'STOPPED' : state),
    stats: () => ({ ...stats }),
    async stop() {
      await loop.stop();
      await committer.close();
      await context.close();
      if (state === 'RUNNING') state = 'STOPPED';
    },
  };
}
