// Sizes on disk: DescribeLogDirs (key 35) to every broker, for the partitions of the topics named.
import type { KafkaConnection } from './connection.js';
import { topicPartitions } from './topics.js';
import type { PartitionSize } from './types.js';

/**
 * The bytes each partition of `topics` takes in its broker's log directory (one row per replica).
 * A topic that does not exist gives a KafkaClientError of kind not-found.
 */
export async function partitionSizes(
  kafka: KafkaConnection,
  topics: readonly string[],
): Promise<PartitionSize[]> {
  if (topics.length === 0) return [];
  const wanted = await Promise.all(
    topics.map(async (name) => ({
      name,
      partitions: (await topicPartitions(kafka, name)).partitions.map((partition) => partition.partition),
    })),
  );
  return kafka.call(topics.length === 1 ? `topic ${topics[0]}` : undefined, async () => {
    const brokers = await kafka.admin.describeLogDirs({ topics: wanted });
    return brokers.flatMap(({ broker, results }) =>
      results.flatMap(({ logDir, topics: described }) =>
        described.flatMap(({ name, partitions }) =>
          partitions.map((partition) => ({
            topic: name,
            partition: partition.partitionIndex,
            broker,
            logDir,
            sizeBytes: partition.partitionSize,
          })),
        ),
      ),
    );
  });
}
