// Views of topics that the CLI and the console share: a topic's description with its totals, which of
// its configs were set on purpose, and its most recent records across partitions. Built on src/client.
import type { ConsumedRecord, Kafka, TopicConfig, TopicDescription } from '../client/index.js';

export interface TopicView extends TopicDescription {
  /** Records across every partition (the sum of each partition's high minus low offset). */
  messages: bigint;
}

export async function describeTopic(kafka: Pick<Kafka, 'topics'>, name: string): Promise<TopicView> {
  return topicView(await kafka.topics.describe(name));
}

export function topicView(described: TopicDescription): TopicView {
  const messages = described.partitions.reduce((sum, partition) => sum + partition.messages, 0n);
  return { ...described, messages };
}

/** The configs someone set (on the topic or the broker), leaving out those at their default. */
export function configsSetForTopic(configs: readonly TopicConfig[]): TopicConfig[] {
  return configs.filter((config) => config.source !== 'default');
}

/** A config's value as it may be shown: sensitive ones masked. */
export function displayedConfigValue(config: TopicConfig): string | null {
  return config.sensitive ? '******' : config.value;
}

export interface RecentRecords {
  /** The last `count` records of the topic, oldest first by timestamp (ties by partition). */
  records: ConsumedRecord[];
  /** Where each partition continues after what was read: the start for following the topic. */
  next: Map<number, bigint>;
}

/**
 * The most recent `count` records across partitions: the last `count` of each partition, then the last
 * `count` of those by time. "Recent" is by timestamp, since offsets of different partitions do not compare.
 */
export async function recentRecords(
  kafka: Pick<Kafka, 'topics' | 'consume'>,
  topic: string,
  count: number,
  signal?: AbortSignal,
): Promise<RecentRecords> {
  const { partitions } = await kafka.topics.describe(topic);
  const next = new Map(partitions.map((partition) => [partition.partition, partition.highOffset]));
  const start = new Map(
    partitions.map((partition) => {
      const back = partition.highOffset - BigInt(count);
      return [partition.partition, back > partition.lowOffset ? back : partition.lowOffset];
    }),
  );
  const read: ConsumedRecord[] = [];
  for await (const record of kafka.consume({
    topic,
    from: { kind: 'positions', offsets: start },
    stopAtEnd: true,
    signal,
  })) {
    read.push(record);
    if (record.offset >= (next.get(record.partition) ?? 0n)) next.set(record.partition, record.offset + 1n);
  }
  return { records: latestByTime(read, count), next };
}

/** The last `count` records by timestamp, oldest first. */
export function latestByTime(records: readonly ConsumedRecord[], count: number): ConsumedRecord[] {
  const sorted = [...records].sort(
    (a, b) =>
      (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0) || a.partition - b.partition,
  );
  return count > 0 ? sorted.slice(-count) : [];
}

/** The partitions (of those chosen, or all) whose end is before `offset`, with where each ends. */
export function partitionsEndingBefore(
  described: TopicDescription,
  offset: bigint,
  chosen?: readonly number[],
): { partition: number; end: bigint }[] {
  return described.partitions
    .filter((partition) => !chosen || chosen.includes(partition.partition))
    .filter((partition) => partition.highOffset < offset)
    .map((partition) => ({ partition: partition.partition, end: partition.highOffset }));
}
