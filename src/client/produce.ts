// Producing: Venice picks each record's partition itself (murmur2 of the key like Java's default
// partitioner, else round robin), so it can tell the caller where every record went.
import type { Producer } from './library.js';
import { murmur2 } from './murmur2.js';
import type { KafkaConnection } from './connection.js';
import { EncodedProducer } from './encoded-produce.js';
import { KafkaClientError } from './errors.js';
import type { Acks, ProducedRecord, ProduceOptions, ProduceRecord } from './types.js';

type LibraryMessage = Parameters<Producer['send']>[0]['messages'][number];

// Kafka errors after which fresh metadata may name another leader: worth one retry.
const STALE_METADATA = new Set([
  'NOT_LEADER_OR_FOLLOWER',
  'LEADER_NOT_AVAILABLE',
  'UNKNOWN_TOPIC_OR_PARTITION',
]);

export class RecordProducer {
  readonly #partitioner = new Partitioner();
  #encoded: EncodedProducer | undefined;
  constructor(
    private readonly kafka: KafkaConnection,
    /** The library producer to send with (and ask for metadata); the connection's shared one unless given. */
    private readonly producer: () => Producer = () => kafka.producer,
    /** Idempotent sends go through the library, which keeps the sequence numbers. */
    private readonly idempotent = false,
  ) {}

  async send(records: readonly ProduceRecord[], options: ProduceOptions = {}): Promise<ProducedRecord[]> {
    if (records.length === 0) return [];
    const acks = options.acks ?? -1;
    const placement = await this.place(records, acks);
    const produced = new Array<ProducedRecord>(records.length);
    placement.forEachRecord(records, (index, partition, offset) => {
      produced[index] = { topic: records[index].topic, partition, offset };
    });
    return produced;
  }

  /**
   * Sends records in one request per leader and tells where they went, without an object per record:
   * what send() and the batching producer build their answers from.
   */
  async place(records: readonly ProduceRecord[], acks: Acks): Promise<Placement> {
    const topics = topicsOf(records);
    const subject = topics.length === 1 ? `topic ${topics[0]}` : undefined;
    return this.kafka.call(subject, async () => {
      const counts = await this.#partitionCounts(topics);
      const partitions = new Array<number>(records.length);
      for (let index = 0; index < records.length; index++)
        partitions[index] = this.#partitioner.partitionFor(
          records[index],
          counts.get(records[index].topic) ?? 0,
        );
      if (this.idempotent) {
        const messages = records.map((record, index) => toLibraryMessage(record, partitions[index]));
        return new Placement(partitions, await this.#sendThroughLibrary(messages, acks));
      }
      const baseOffsets = await this.#sendEncoded(records, partitions, acks);
      return new Placement(partitions, acks === 0 ? undefined : baseOffsets);
    });
  }

  async #sendThroughLibrary(messages: LibraryMessage[], acks: number): Promise<Map<string, bigint[]>> {
    const result = await this.producer().send({ acks, messages });
    const baseOffsets = new Map<string, bigint[]>();
    for (const entry of result.offsets ?? []) {
      let byPartition = baseOffsets.get(entry.topic);
      if (!byPartition) baseOffsets.set(entry.topic, (byPartition = []));
      byPartition[entry.partition] = entry.offset;
    }
    return baseOffsets;
  }

  async #sendEncoded(
    records: readonly ProduceRecord[],
    partitions: readonly number[],
    acks: -1 | 0 | 1,
  ): Promise<Map<string, bigint[]>> {
    this.#encoded ??= new EncodedProducer(this.kafka, this.producer);
    try {
      return await this.#encoded.send(records, partitions, acks);
    } catch (error) {
      const failure = this.kafka.translate(error);
      if (!failure.kafkaError || !STALE_METADATA.has(failure.kafkaError)) throw error;
      this.producer().clearMetadata();
      return await this.#encoded.send(records, partitions, acks);
    }
  }

  /** Releases the connections of the fast path. */
  async close(): Promise<void> {
    await this.#encoded?.close();
    this.#encoded = undefined;
  }

  #partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    return partitionCounts(this.producer(), topics);
  }
}

/** Each topic's partition count, from the library's (cached) metadata; missing topics are refused. */
export async function partitionCounts(
  producer: Producer,
  topics: readonly string[],
): Promise<Map<string, number>> {
  // Asking for metadata with auto-creation lets a broker that allows it create the topic, as kcat does.
  // The library caches metadata, so this costs a request only when the cache is stale.
  const metadata = await producer.metadata({ topics: [...topics], autocreateTopics: true });
  const counts = new Map<string, number>();
  for (const topic of topics) {
    const found = metadata.topics.get(topic);
    if (!found || found.partitionsCount === 0)
      throw new KafkaClientError('not-found', `topic ${topic} does not exist`, 'UNKNOWN_TOPIC_OR_PARTITION');
    counts.set(topic, found.partitionsCount);
  }
  return counts;
}

/** The partition Java's default partitioner gives a key: the positive murmur2 hash modulo the count. */
export function keyPartition(key: Buffer, count: number): number {
  return (murmur2(key) & 0x7fffffff) % count;
}

/** Picks a record's partition: the one it names, murmur2 of its key like Java's, else round robin. */
export class Partitioner {
  readonly #roundRobin = new Map<string, number>();

  partitionFor(record: ProduceRecord, count: number): number {
    if (record.partition !== undefined) {
      if (!Number.isInteger(record.partition) || record.partition < 0 || record.partition >= count)
        throw new KafkaClientError(
          'invalid',
          `topic ${record.topic} has no partition ${record.partition} (it has ${count})`,
          'UNKNOWN_TOPIC_OR_PARTITION',
        );
      return record.partition;
    }
    if (record.key) return keyPartition(record.key, count);
    const next = this.#roundRobin.get(record.topic) ?? 0;
    this.#roundRobin.set(record.topic, next + 1);
    return next % count;
  }
}

/** Where the records of one request went: each record's partition, each partition's base offset. */
export class Placement {
  constructor(
    readonly partitions: readonly number[],
    /** topic -> partition -> offset of the partition's first record; undefined with acks 0. */
    private readonly baseOffsets: ReadonlyMap<string, readonly bigint[]> | undefined,
  ) {}

  /**
   * Calls `visit` with each record's index, partition and offset (null with acks 0), in order. The
   * broker answers with the base offset of each partition's batch; records of one partition are sent in
   * order in one batch, so the i-th of them got base + i.
   */
  forEachRecord(
    records: readonly ProduceRecord[],
    visit: (index: number, partition: number, offset: bigint | null) => void,
  ): void {
    const next = new Map<string, bigint[]>();
    for (const [topic, offsets] of this.baseOffsets ?? []) next.set(topic, [...offsets]);
    for (let index = 0; index < records.length; index++) {
      const partition = this.partitions[index];
      const byPartition = next.get(records[index].topic);
      const offset = byPartition?.[partition];
      if (byPartition && offset !== undefined) byPartition[partition] = offset + 1n;
      visit(index, partition, offset ?? null);
    }
  }
}

function topicsOf(records: readonly ProduceRecord[]): string[] {
  const first = records[0].topic;
  // Nearly every batch has one topic: check that before building a set.
  if (records.every((record) => record.topic === first)) return [first];
  return [...new Set(records.map((record) => record.topic))];
}

function toLibraryMessage(record: ProduceRecord, partition: number): LibraryMessage {
  return {
    topic: record.topic,
    partition,
    key: record.key ?? undefined,
    value: record.value ?? undefined,
    timestamp: record.timestamp,
    headers:
      record.headers && record.headers.length > 0
        ? new Map(record.headers.map((header) => [Buffer.from(header.key), header.value ?? Buffer.alloc(0)]))
        : undefined,
  };
}
