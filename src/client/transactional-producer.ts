// A transactional producer: records to any partitions and a consumer group's offsets, made visible
// together (commit) or not at all (abort) to readers with isolation.level read_committed.
//
// Why not @platformatic/kafka's Producer.beginTransaction (1.35): its offset commit takes one library
// Message (with the library consumer's metadata) per offset and sends one TxnOffsetCommit for each,
// which Venice's group consumer (its own fetcher, no library messages) cannot supply; it asks for the
// producer id with id 0 / epoch 0 instead of -1 / -1 and uses the request timeout as the transaction
// timeout; and its sends take the library's per-record encoding that encoded-produce.ts avoids. So this
// module speaks the transaction APIs itself over the library's request definitions and connections:
// FindCoordinator, InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit (v3: with the
// group's generation and member id, KIP-447) and EndTxn; records go through the fast produce path,
// stamped with the producer id, epoch and sequence numbers (produce-request.ts).
//
// One transaction at a time, and each call awaited before the next: a stream processor's batch loop.
import {
  addOffsetsToTxnV3,
  addPartitionsToTxnV3,
  endTxnV3,
  findCoordinatorV4,
  FindCoordinatorKeyTypes,
  initProducerIdV4,
  txnOffsetCommitV3,
  type Broker,
  type ConnectionPool,
} from './library.js';
import type { KafkaConnection } from './connection.js';
import { EncodedProducer } from './encoded-produce.js';
import { KafkaClientError } from './errors.js';
import { partitionCounts, Partitioner } from './produce.js';
import type { ProducerStamp } from './produce-request.js';
import type {
  ConsumerGroupMetadata,
  ProduceRecord,
  TopicPartitionOffset,
  TransactionalProducerOptions,
} from './types.js';

type State = 'new' | 'ready' | 'in-transaction' | 'fenced' | 'closed';

// Answers that mean a newer producer with the same transactional id took over.
const FENCED = new Set(['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH']);
// Answers worth waiting out: the coordinator is busy finishing a transaction, loading, or has moved.
const BUSY = new Set([
  'CONCURRENT_TRANSACTIONS',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
]);
const BUSY_RETRY_DELAY_MS = 100;
// One request per chunk of about this many bytes: each partition's batch stays under the default
// max.message.bytes (1 MiB).
const CHUNK_BYTES = 900_000;
const RECORD_OVERHEAD_BYTES = 16;

export class TransactionalProducer {
  readonly transactionalId: string;
  readonly #kafka: KafkaConnection;
  readonly #timeoutMs: number;
  readonly #pool: ConnectionPool;
  readonly #encoded: EncodedProducer;
  readonly #partitioner = new Partitioner();
  #state: State = 'new';
  #producerId = -1n;
  #producerEpoch = -1;
  /** The next sequence number per "topic\0partition", for this producer id and epoch. */
  #sequences = new Map<string, number>();
  /** Partitions and groups already added to the open transaction. */
  #partitionsInTxn = new Set<string>();
  #groupsInTxn = new Set<string>();
  #coordinator: Broker | undefined;
  readonly #groupCoordinators = new Map<string, Broker>();

  constructor(kafka: KafkaConnection, options: TransactionalProducerOptions) {
    if (options.transactionalId.length === 0)
      throw new KafkaClientError('invalid', 'a transactional producer needs a non-empty transactionalId');
    const timeoutMs = options.transactionTimeoutMs ?? 60_000;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
      throw new KafkaClientError(
        'invalid',
        `transactionTimeoutMs must be a whole number of milliseconds, not ${timeoutMs}`,
      );
    this.transactionalId = options.transactionalId;
    this.#kafka = kafka;
    this.#timeoutMs = timeoutMs;
    this.#pool = kafka.newConnectionPool();
    this.#encoded = new EncodedProducer(kafka, () => kafka.producer);
  }

  /**
   * Registers the transactional id with the broker and gets a producer id and epoch. An older producer
   * with the same id is fenced from now on, and a transaction it left open is aborted. begin() calls it
   * on first use; call it first to fence early (before restoring state, say).
   */
  async init(): Promise<void> {
    this.#check('new', 'ready');
    await this.#initProducerId();
    this.#state = 'ready';
  }

  /** Starts a transaction. Nothing is sent until the first record or offset. */
  async begin(): Promise<void> {
    if (this.#state === 'new') await this.init();
    this.#check('ready');
    this.#partitionsInTxn = new Set();
    this.#groupsInTxn = new Set();
    this.#state = 'in-transaction';
  }

  /** Sends records inside the open transaction; they are durable (acks all) when this resolves. */
  async send(records: readonly ProduceRecord[]): Promise<void> {
    this.#check('in-transaction');
    for (const chunk of chunks(records)) await this.#fence(() => this.#sendChunk(chunk));
  }

  /**
   * Commits a group's offsets inside the open transaction: they count only if it commits. The member's
   * generation and id go with them, so a member the group has since replaced cannot commit (KIP-447).
   */
  async sendOffsets(offsets: readonly TopicPartitionOffset[], group: ConsumerGroupMetadata): Promise<void> {
    this.#check('in-transaction');
    if (offsets.length === 0) return;
    await this.#fence(async () => {
      if (!this.#groupsInTxn.has(group.group)) {
        await this.#coordinatorCall((connection) =>
          addOffsetsToTxnV3.api.async(
            connection,
            this.transactionalId,
            this.#producerId,
            this.#producerEpoch,
            group.group,
          ),
        );
        this.#groupsInTxn.add(group.group);
      }
      const byTopic = new Map<string, TopicPartitionOffset[]>();
      for (const entry of offsets) byTopic.set(entry.topic, [...(byTopic.get(entry.topic) ?? []), entry]);
      let groupCoordinator = this.#groupCoordinators.get(group.group);
      if (!groupCoordinator) {
        groupCoordinator = await this.#findCoordinator(FindCoordinatorKeyTypes.GROUP, group.group);
        this.#groupCoordinators.set(group.group, groupCoordinator);
      }
      const coordinator = groupCoordinator;
      try {
        await this.#kafka.call(`group ${group.group}`, async () =>
          txnOffsetCommitV3.api.async(
            await this.#pool.get(coordinator),
            this.transactionalId,
            group.group,
            this.#producerId,
            this.#producerEpoch,
            group.generationId,
            group.memberId,
            null,
            [...byTopic].map(([name, entries]) => ({
              name,
              partitions: entries.map(({ partition, offset }) => ({
                partitionIndex: partition,
                committedOffset: offset,
                committedLeaderEpoch: -1,
              })),
            })),
          ),
        );
      } catch (error) {
        // The group's coordinator may have moved: ask again next time.
        this.#groupCoordinators.delete(group.group);
        throw error;
      }
    });
  }

  /** Makes the transaction's records and offsets visible, all at once. */
  async commit(): Promise<void> {
    this.#check('in-transaction');
    await this.#fence(() => this.#endTxn(true));
    this.#state = 'ready';
  }

  /**
   * Drops the transaction's records and offsets. The producer then takes a new epoch, so sequence
   * numbers start afresh whatever a failed send left behind; begin() may follow.
   */
  async abort(): Promise<void> {
    this.#check('in-transaction');
    await this.#fence(async () => {
      await this.#endTxn(false);
      await this.#initProducerId();
    });
    this.#state = 'ready';
  }

  /** Releases the connections. A transaction still open is left to the broker's timeout (or the next
   * producer with this id). */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    await this.#encoded.close();
    await this.#kafka.closeConnectionPool(this.#pool);
  }

  async #sendChunk(records: readonly ProduceRecord[]): Promise<void> {
    const topics = [...new Set(records.map((record) => record.topic))];
    const counts = await this.#kafka.call(topics.length === 1 ? `topic ${topics[0]}` : undefined, () =>
      partitionCounts(this.#kafka.producer, topics),
    );
    const partitions = records.map((record) =>
      this.#partitioner.partitionFor(record, counts.get(record.topic) ?? 0),
    );
    const added = new Map<string, Set<number>>();
    for (let index = 0; index < records.length; index++) {
      const slot = `${records[index].topic}\0${partitions[index]}`;
      if (this.#partitionsInTxn.has(slot)) continue;
      const set = added.get(records[index].topic) ?? new Set<number>();
      added.set(records[index].topic, set.add(partitions[index]));
    }
    if (added.size > 0) {
      await this.#coordinatorCall((connection) =>
        addPartitionsToTxnV3.api.async(connection, [
          {
            transactionalId: this.transactionalId,
            producerId: this.#producerId,
            producerEpoch: this.#producerEpoch,
            verifyOnly: false,
            topics: [...added].map(([name, set]) => ({ name, partitions: [...set] })),
          },
        ]),
      );
      for (const [topic, set] of added)
        for (const partition of set) this.#partitionsInTxn.add(`${topic}\0${partition}`);
    }
    await this.#kafka.call(undefined, () => this.#encoded.send(records, partitions, -1, this.#stamp()));
  }

  #stamp(): ProducerStamp {
    return {
      transactionalId: this.transactionalId,
      producerId: this.#producerId,
      producerEpoch: this.#producerEpoch,
      nextSequence: (topic, partition, count) => {
        const slot = `${topic}\0${partition}`;
        const sequence = this.#sequences.get(slot) ?? 0;
        // After 2^31 - 1 comes 0, as in Kafka.
        this.#sequences.set(slot, (sequence + count) % 2_147_483_648);
        return sequence;
      },
    };
  }

  async #initProducerId(): Promise<void> {
    const answer = await this.#coordinatorCall((connection) =>
      initProducerIdV4.api.async(connection, this.transactionalId, this.#timeoutMs, -1n, -1),
    );
    this.#producerId = answer.producerId;
    this.#producerEpoch = answer.producerEpoch;
    this.#sequences = new Map();
  }

  async #endTxn(commit: boolean): Promise<void> {
    await this.#coordinatorCall((connection) =>
      endTxnV3.api.async(connection, this.transactionalId, this.#producerId, this.#producerEpoch, commit),
    );
  }

  /** A request to the transaction coordinator, retried while it is busy or has moved. */
  async #coordinatorCall<T>(
    request: (connection: Awaited<ReturnType<ConnectionPool['get']>>) => Promise<T>,
  ): Promise<T> {
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      try {
        this.#coordinator ??= await this.#findCoordinator(
          FindCoordinatorKeyTypes.TRANSACTION,
          this.transactionalId,
        );
        const connection = await this.#pool.get(this.#coordinator);
        return await this.#kafka.call(`transactional id ${this.transactionalId}`, () => request(connection));
      } catch (error) {
        const failure = this.#kafka.translate(error);
        if (!BUSY.has(failure.kafkaError ?? '') || Date.now() > deadline) throw failure;
        if (failure.kafkaError === 'NOT_COORDINATOR') this.#coordinator = undefined;
        await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_DELAY_MS));
      }
    }
  }

  async #findCoordinator(keyType: number, key: string): Promise<Broker> {
    // Any broker answers FindCoordinator: the bootstrap servers in turn ("[::1]:9092" for IPv6).
    let answer: Awaited<ReturnType<typeof findCoordinatorV4.api.async>> | undefined;
    let failure: unknown;
    for (const server of this.#kafka.bootstrapServers) {
      const colon = server.lastIndexOf(':');
      const host = server.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
      try {
        const connection = await this.#pool.get({ host, port: Number(server.slice(colon + 1)) });
        answer = await findCoordinatorV4.api.async(connection, keyType, [key]);
        break;
      } catch (error) {
        failure = error;
      }
    }
    if (!answer) throw this.#kafka.translate(failure);
    const found = answer.coordinators.find((coordinator) => coordinator.key === key);
    if (!found || found.errorCode !== 0)
      throw new KafkaClientError('failure', `no coordinator found for ${key}`, 'COORDINATOR_NOT_AVAILABLE');
    return { host: found.host, port: found.port };
  }

  /** Runs a step of the transaction; a fencing answer turns the producer unusable, with a clear error. */
  async #fence<T>(step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      const failure = this.#kafka.translate(error);
      if (!FENCED.has(failure.kafkaError ?? '')) throw failure;
      this.#state = 'fenced';
      throw new KafkaClientError(
        'refused',
        `the producer with transactional id ${this.transactionalId} was fenced: a newer producer with the ` +
          'same id has started, and this one may not write any more. Close it; the newer one carries on.',
        'PRODUCER_FENCED',
        { cause: failure },
      );
    }
  }

  #check(...allowed: State[]): void {
    if (allowed.includes(this.#state)) return;
    const why: Record<State, string> = {
      new: 'no transaction has begun',
      ready: 'no transaction is open: call begin() first',
      'in-transaction': 'a transaction is already open: commit() or abort() it first',
      fenced: `it was fenced by a newer producer with transactional id ${this.transactionalId}`,
      closed: 'it is closed',
    };
    throw new KafkaClientError(
      this.#state === 'fenced' ? 'refused' : 'invalid',
      `the transactional producer cannot do that: ${why[this.#state]}`,
      this.#state === 'fenced' ? 'PRODUCER_FENCED' : undefined,
    );
  }
}

/** Splits records into runs of about CHUNK_BYTES, in order. */
function* chunks(records: readonly ProduceRecord[]): Generator<readonly ProduceRecord[]> {
  let start = 0;
  let bytes = 0;
  for (let index = 0; index < records.length; index++) {
    const record = records[index];
    let size = RECORD_OVERHEAD_BYTES + (record.key?.length ?? 0) + (record.value?.length ?? 0);
    for (const header of record.headers ?? []) size += header.key.length + (header.value?.length ?? 0) + 4;
    if (index > start && bytes + size > CHUNK_BYTES) {
      yield records.slice(start, index);
      start = index;
      bytes = 0;
    }
    bytes += size;
  }
  if (start < records.length) yield start === 0 ? records : records.slice(start);
}
