// Producing: Venice picks each record's partition itself (murmur2 of the key like Java's default
// partitioner, else round robin), so it can tell the caller where every record went.
import { murmur2 } from '@platformatic/kafka';
import type { KafkaConnection } from './connection.js';
import { KafkaClientError } from './errors.js';
import type { ProducedRecord, ProduceOptions, ProduceRecord } from './types.js';

export class RecordProducer {
  readonly #roundRobin = new Map<string, number>();
  constructor(private readonly kafka: KafkaConnection) {}

  async send(records: readonly ProduceRecord[], options: ProduceOptions = {}): Promise<ProducedRecord[]> {
    if (records.length === 0) return [];
    const topics = [...new Set(records.map((record) => record.topic))];
    const subject = topics.length === 1 ? `topic ${topics[0]}` : undefined;
    return this.kafka.call(subject, async () => {
      const counts = await this.#partitionCounts(topics);
      const partitions = records.map((record) => this.#partitionFor(record, counts.get(record.topic) ?? 0));
      const acks = options.acks ?? -1;
      const result = await this.kafka.producer.send({
        acks,
        messages: records.map((record, index) => ({
          topic: record.topic,
          partition: partitions[index],
          key: record.key ?? undefined,
          value: record.value ?? undefined,
          timestamp: record.timestamp,
          headers: new Map(
            (record.headers ?? []).map((header) => [
              Buffer.from(header.key),
              header.value ?? Buffer.alloc(0),
            ]),
          ),
        })),
      });
      // The broker answers with the base offset of each partition's batch; records of one partition
      // are sent in order in one batch, so the i-th of them got base + i.
      const base = new Map<string, bigint>();
      for (const entry of result.offsets ?? []) base.set(`${entry.topic}\0${entry.partition}`, entry.offset);
      const seen = new Map<string, bigint>();
      return records.map((record, index) => {
        const slot = `${record.topic}\0${partitions[index]}`;
        const position = seen.get(slot) ?? 0n;
        seen.set(slot, position + 1n);
        const first = base.get(slot);
        return {
          topic: record.topic,
          partition: partitions[index],
          offset: acks === 0 || first === undefined ? null : first + position,
        };
      });
    });
  }

  async #partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    // Asking for metadata with auto-creation lets a broker that allows it create the topic, as kcat does.
    const metadata = await this.kafka.producer.metadata({ topics: [...topics], autocreateTopics: true });
    const counts = new Map<string, number>();
    for (const topic of topics) {
      const found = metadata.topics.get(topic);
      if (!found || found.partitionsCount === 0)
        throw new KafkaClientError(
          'not-found',
          `topic ${topic} does not exist`,
          'UNKNOWN_TOPIC_OR_PARTITION',
        );
      counts.set(topic, found.partitionsCount);
    }
    return counts;
  }

  #partitionFor(record: ProduceRecord, count: number): number {
    if (record.partition !== undefined) {
      if (!Number.isInteger(record.partition) || record.partition < 0 || record.partition >= count)
        throw new KafkaClientError(
          'invalid',
          `topic ${record.topic} has no partition ${record.partition} (it has ${count})`,
          'UNKNOWN_TOPIC_OR_PARTITION',
        );
      return record.partition;
    }
    // The positive murmur2 hash, as Java's default partitioner computes it.
    if (record.key) return (murmur2(record.key, false) & 0x7fffffff) % count;
    const next = this.#roundRobin.get(record.topic) ?? 0;
    this.#roundRobin.set(record.topic, next + 1);
    return next % count;
  }
}
