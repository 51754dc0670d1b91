// Topic and partition sizes on disk, from DescribeLogDirs. A broker that does not answer it (or a
// failure) gives no sizes rather than failing the page that shows them.
import type { Kafka } from '../../client/index.js';

/** Bytes on disk by topic, then by partition, summed over the replicas. */
export type SizesByTopic = Map<string, Map<number, bigint>>;

export async function sizesOnDisk(kafka: Kafka, topics: readonly string[]): Promise<SizesByTopic | null> {
  let rows;
  try {
    rows = await kafka.topics.sizes(topics);
  } catch {
    return null;
  }
  const sizes: SizesByTopic = new Map();
  for (const row of rows) {
    const partitions = sizes.get(row.topic) ?? new Map<number, bigint>();
    partitions.set(row.partition, (partitions.get(row.partition) ?? 0n) + row.sizeBytes);
    sizes.set(row.topic, partitions);
  }
  return sizes;
}

export function topicSize(sizes: SizesByTopic | null, topic: string): bigint | null {
  if (sizes === null) return null;
  let total = 0n;
  for (const bytes of sizes.get(topic)?.values() ?? []) total += bytes;
  return total;
}

export function partitionSize(sizes: SizesByTopic | null, topic: string, partition: number): bigint | null {
  return sizes === null ? null : (sizes.get(topic)?.get(partition) ?? null);
}
