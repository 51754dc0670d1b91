// The end of a persistent query's batch: its outputs (sink records, changelog records, repartition
// records) made durable and its input offsets committed. At least once (the default) produces, then
// commits: a crash between the two replays the batch. Exactly once (processing.guarantee=exactly_once_v2)
// does both in one Kafka transaction: readers with isolation.level=read_committed see all of a batch's
// outputs or none, and the offsets move only with them.
import type {
  BatchingProducer,
  GroupConsumer,
  ProduceRecord,
  TopicPartitionOffset,
  TransactionalProducer,
} from '../../client/index.js';

export interface BatchCommitter {
  /** Makes `outputs` durable and commits `offsets` (the next offset to read per input partition). */
  commit(outputs: ProduceRecord[], offsets: readonly TopicPartitionOffset[]): Promise<void>;
  close(): Promise<void>;
}

export class AtLeastOnceCommitter implements BatchCommitter {
  constructor(
    private readonly producer: BatchingProducer,
    private readonly consumer: GroupConsumer,
  ) {}

  async commit(outputs: ProduceRecord[], offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (outputs.length > 0) await this.producer.sendMany(outputs);
    if (offsets.length > 0) await this.consumer.commit(offsets);
  }

  async close(): Promise<void> {
    await this.producer.close().catch(() => undefined);
  }
}

/**
 * One transaction per batch: the outputs, then the offsets with the consumer's generation and member id
 * (a member the group has replaced cannot commit), then commit. A failure aborts the transaction and is
 * thrown: the query stops, and its next start reads from the committed offsets with its state restored
 * from changelogs that hold only committed batches (every reader of src/client reads read_committed).
 */
export class ExactlyOnceCommitter implements BatchCommitter {
  constructor(
    /** Initialised (init()) before the query's state is restored: see persistent-query.ts. */
    private readonly producer: TransactionalProducer,
    private readonly consumer: GroupConsumer,
  ) {}

  async commit(outputs: ProduceRecord[], offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (outputs.length === 0 && offsets.length === 0) return;
    await this.producer.begin();
    try {
      if (outputs.length > 0) await this.producer.send(outputs);
      if (offsets.length > 0) await this.producer.sendOffsets(offsets, this.consumer.groupMetadata());
      await this.producer.commit();
    } catch (error) {
      // A fenced producer may not even abort: the newer one has ended its transaction already.
      await this.producer.abort().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.producer.close().catch(() => undefined);
  }
}

export type ProcessingGuarantee = 'at_least_once' | 'exactly_once_v2';

const GUARANTEES: Readonly<Record<string, ProcessingGuarantee>> = {
  at_least_once: 'at_least_once',
  exactly_once_v2: 'exactly_once_v2',
  // ksqlDB still accepts Kafka Streams' older name; it gets the same transactions here.
  exactly_once: 'exactly_once_v2',
  exactly_once_beta: 'exactly_once_v2',
};

/**
 * The query's processing guarantee from ksql.streams.processing.guarantee (what SET 'processing.guarantee'
 * and a request's streamsProperties become) or processing.guarantee; at least once when neither is set.
 */
export function processingGuarantee(properties: Readonly<Record<string, string>> = {}): ProcessingGuarantee {
  const given = properties['ksql.streams.processing.guarantee'] ?? properties['processing.guarantee'];
  if (given === undefined || given.trim() === '') return 'at_least_once';
  const guarantee = GUARANTEES[given.trim().toLowerCase()];
  if (guarantee) return guarantee;
  throw new Error(
    `processing.guarantee '${given}' is not known: use at_least_once (the default) or exactly_once_v2 ` +
      '(exactly_once is taken as exactly_once_v2)',
  );
}

/**
 * The transactional id of a query's producer on this engine: its consumer group (ksqlDB's application id
 * for the query), "-eos" and the engine's process id (process-id.ts), as Kafka Streams' exactly_once_v2
 * names its producers per instance. Stable across restarts of one server, so a restarted engine's
 * producer fences the one it replaces and aborts the transaction that one left open, before the query's
 * state is restored; distinct per server, so servers sharing a query's partitions do not fence each
 * other (the group's generation fences a server that lost its partitions: KIP-447).
 */
export function queryTransactionalId(groupId: string, processId: string): string {
  return `${groupId}-eos-${processId}`;
}
