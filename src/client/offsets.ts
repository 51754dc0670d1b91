// ListOffsets: the earliest, the latest, or the first offset at or after a timestamp, per partition.
import { FetchIsolationLevels } from './library.js';
import type { KafkaConnection } from './connection.js';

/** Kafka's special ListOffsets timestamps. */
export const EARLIEST = -2n;
export const LATEST = -1n;

export interface ListedOffset {
  /** -1 when a timestamp search found no record at or after the timestamp. */
  offset: bigint;
  timestamp: bigint;
}

export async function listOffsets(
  kafka: KafkaConnection,
  topic: string,
  partitions: readonly number[],
  timestamp: bigint,
  /**
   * Answer LATEST with the last stable offset, the end a read_committed reader can reach: before a
   * transaction still open, rather than the high watermark after it.
   */
  readCommitted = false,
): Promise<Map<number, ListedOffset>> {
  return kafka.call(`topic ${topic}`, async () => {
    const listed = await kafka.admin.listOffsets({
      isolationLevel: readCommitted
        ? FetchIsolationLevels.READ_COMMITTED
        : FetchIsolationLevels.READ_UNCOMMITTED,
      topics: [
        { name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) },
      ],
    });
    const result = new Map<number, ListedOffset>();
    for (const entry of listed) {
      if (entry.name !== topic) continue;
      for (const partition of entry.partitions)
        result.set(partition.partitionIndex, { offset: partition.offset, timestamp: partition.timestamp });
    }
    return result;
  });
}

/** Offsets at a timestamp, with partitions that have nothing that recent mapped to their end. */
export async function offsetsForTimestamp(
  kafka: KafkaConnection,
  topic: string,
  partitions: readonly number[],
  timestamp: bigint,
): Promise<Map<number, bigint>> {
  const [atTime, end] = await Promise.all([
    listOffsets(kafka, topic, partitions, timestamp),
    listOffsets(kafka, topic, partitions, LATEST),
  ]);
  return new Map(
    partitions.map((partition) => {
      const found = atTime.get(partition)?.offset ?? -1n;
      return [partition, found >= 0n ? found : (end.get(partition)?.offset ?? 0n)];
    }),
  );
}
