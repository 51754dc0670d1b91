// The end of a persistent query's batch: its outputs (sink records, changelog records, repartition
// records) made durable and its input offsets committed. At least once (the default) produces, then
// commits: a crash between the two replays the batch. The query does not wait for either: it goes on
// with the next batch while the outputs are in flight, and each batch's offsets are committed, in batch
// order, once its outputs and those of every batch before it are acknowledged (as Kafka Streams sends
// asynchronously and commits after a producer flush). A record's latency is then its fetch, its
// processing and its own produce, not also the produce and commit of the batch before. Exactly once (processing.guarantee=exactly_once_v2)
// does both in one Kafka transaction: readers with isolation.level=read_committed see all of a batch's
// outputs or none, and the offsets move only with them.
import {
  KafkaClientError,
  type BatchingProducer,
  type GroupConsumer,
  type ProduceRecord,
  type TopicPartitionOffset,
  type TransactionalProducer,
} from '../../client/index.js';

export interface BatchCommitter {
  /**
   * Makes `outputs` durable and commits `offsets` (the next offset to read per input partition).
   * Resolves when the next batch may start; a failure of an earlier batch's produce or commit is thrown
   * here (or by drain()), and then by every later call.
   */
  commit(outputs: ProduceRecord[], offsets: readonly TopicPartitionOffset[]): Promise<void>;
  /** Resolves once every batch handed in is durable and committed (before a rebalance or a stop). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Batches whose outputs may be in flight at once before the query waits for the oldest. */
const MAX_BATCHES_IN_FLIGHT = 8;

/**
 * A commit refused because the group moved on (a rebalance began or ended while it was in flight). Under
 * at least once that is no failure: the outputs are durable, and whoever holds each partition next reads
 * it again from its last commit (Kafka Streams rejoins rather than fail the task, too).
 */
const GENERATION_MOVED = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']);

function generationMoved(error: unknown): boolean {
  return error instanceof KafkaClientError && GENERATION_MOVED.has(error.kafkaError ?? '');
}

interface BatchInFlight {
  readonly sent: Promise<void>;
  acknowledged: boolean;
  readonly offsets: readonly TopicPartitionOffset[];
}

export class AtLeastOnceCommitter implements BatchCommitter {
  /** Batches not committed yet, oldest first. */
  readonly #inFlight: BatchInFlight[] = [];
  #committing: Promise<void> | undefined;
  #failure: { error: unknown } | undefined;

  constructor(
    private readonly producer: BatchingProducer,
    private readonly consumer: GroupConsumer,
  ) {}

  async commit(outputs: ProduceRecord[], offsets: readonly TopicPartitionOffset[]): Promise<void> {
    this.#throwIfFailed();
    if (outputs.length === 0 && offsets.length === 0) return;
    const batch: BatchInFlight = {
      sent: outputs.length > 0 ? this.producer.sendMany(outputs) : Promise.resolve(),
      acknowledged: false,
      offsets,
    };
    // Handled by #commitInOrder; this only keeps a failure from counting as unhandled meanwhile.
    batch.sent.then(
      () => (batch.acknowledged = true),
      () => undefined,
    );
    this.#inFlight.push(batch);
    this.#committing ??= this.#commitInOrder().finally(() => (this.#committing = undefined));
    // Back-pressure: a producer slower than the query holds the query back rather than its memory.
    while (this.#inFlight.length > MAX_BATCHES_IN_FLIGHT && this.#committing) await this.#committing;
    this.#throwIfFailed();
  }

  /**
   * Commits the batches as their outputs are acknowledged, oldest first. Batches acknowledged by the
   * time a commit starts go in one commit (their latest offset per partition).
   */
  async #commitInOrder(): Promise<void> {
    try {
      while (this.#inFlight.length > 0) {
        await this.#inFlight[0]!.sent;
        const latest = new Map<string, TopicPartitionOffset>();
        let taken = 0;
        for (const batch of this.#inFlight) {
          if (taken > 0 && !batch.acknowledged) break;
          for (const offset of batch.offsets) latest.set(`${offset.topic}\0${offset.partition}`, offset);
          taken++;
        }
        if (latest.size > 0)
          await this.consumer.commit([...latest.values()]).catch((error: unknown) => {
            if (!generationMoved(error)) throw error;
          });
        this.#inFlight.splice(0, taken);
      }
    } catch (error) {
      this.#failure ??= { error };
      this.#inFlight.length = 0;
    }
  }

  async drain(): Promise<void> {
    while (this.#committing) await this.#committing;
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure.error;
  }

  async close(): Promise<void> {
    await this.drain().catch(() => undefined);
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

  /** Each batch's transaction is committed before commit() resolves: nothing is left in flight. */
  async drain(): Promise<void> {}

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
