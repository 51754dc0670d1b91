// Topic administration: list, describe (with offsets and configs), create, delete, alter configs.
import { ConfigResourceTypes, IncrementalAlterConfigOperationTypes } from './library.js';
import type { KafkaConnection } from './connection.js';
import { KafkaClientError } from './errors.js';
import { listOffsets, EARLIEST, LATEST } from './offsets.js';
import type {
  ConfigChanges,
  ConfigSource,
  CreateTopicSpec,
  PartitionDescription,
  TopicConfig,
  TopicDescription,
  TopicSummary,
} from './types.js';

export async function listTopics(kafka: KafkaConnection, includeInternal = false): Promise<TopicSummary[]> {
  return kafka.call(undefined, async () => {
    const all = await kafka.admin.listTopics({ includeInternals: true });
    const external = new Set(await kafka.admin.listTopics({ includeInternals: false }));
    const names = all.filter((name) => includeInternal || external.has(name)).sort();
    if (names.length === 0) return [];
    const metadata = await kafka.admin.metadata({ topics: names, forceUpdate: true });
    return names.flatMap((name) => {
      const topic = metadata.topics.get(name);
      if (!topic) return [];
      return [
        {
          name,
          partitions: topic.partitionsCount,
          replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
          internal: !external.has(name),
        },
      ];
    });
  });
}

/** Partition ids and leaders of a topic; a KafkaClientError of kind not-found when it does not exist. */
export async function topicPartitions(
  kafka: KafkaConnection,
  topic: string,
): Promise<{
  id: string;
  partitions: { partition: number; leader: number; replicas: number[]; isr: number[] }[];
}> {
  return kafka.call(`topic ${topic}`, async () => {
    const metadata = await kafka.admin.metadata({ topics: [topic], forceUpdate: true });
    const found = metadata.topics.get(topic);
    if (!found) throw new KafkaClientError('not-found', `topic ${topic} does not exist`);
    return {
      id: found.id,
      partitions: found.partitions.map((partition, index) => ({
        partition: index,
        leader: partition.leader,
        replicas: partition.replicas,
        isr: partition.isr,
      })),
    };
  });
}

export async function describeTopic(kafka: KafkaConnection, topic: string): Promise<TopicDescription> {
  const { id, partitions } = await topicPartitions(kafka, topic);
  const ids = partitions.map((partition) => partition.partition);
  const [low, high, configs, internalNames] = await Promise.all([
    listOffsets(kafka, topic, ids, EARLIEST),
    listOffsets(kafka, topic, ids, LATEST),
    describeTopicConfigs(kafka, topic),
    kafka.call(undefined, () => kafka.admin.listTopics({ includeInternals: false })),
  ]);
  const described: PartitionDescription[] = partitions.map((partition) => {
    const lowOffset = low.get(partition.partition)?.offset ?? 0n;
    const highOffset = high.get(partition.partition)?.offset ?? 0n;
    return { ...partition, lowOffset, highOffset, messages: highOffset - lowOffset };
  });
  return {
    name: topic,
    id,
    internal: !internalNames.includes(topic),
    replicationFactor: partitions[0]?.replicas.length ?? 0,
    partitions: described,
    configs,
  };
}

// Kafka's DescribeConfigs config_source values.
const CONFIG_SOURCES: Readonly<Record<number, ConfigSource>> = {
  1: 'topic',
  2: 'broker',
  3: 'broker',
  4: 'broker',
  5: 'default',
};

async function describeTopicConfigs(kafka: KafkaConnection, topic: string): Promise<TopicConfig[]> {
  return kafka.call(`topic ${topic}`, async () => {
    const [description] = await kafka.admin.describeConfigs({
      resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: topic, configurationKeys: null }],
    });
    return (description?.configs ?? [])
      .map((config) => ({
        name: config.name,
        value: config.value ?? null,
        source: CONFIG_SOURCES[config.configSource] ?? 'unknown',
        readOnly: config.readOnly,
        sensitive: config.isSensitive,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  });
}

export async function createTopic(kafka: KafkaConnection, spec: CreateTopicSpec): Promise<void> {
  await kafka.call(`topic ${spec.name}`, () =>
    kafka.admin.createTopics({
      topics: [spec.name],
      // -1 asks the broker for its default.
      partitions: spec.partitions ?? -1,
      replicas: spec.replicationFactor ?? -1,
      configs: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
    }),
  );
  kafka.forgetTopicMetadata();
}

export async function deleteTopics(kafka: KafkaConnection, names: readonly string[]): Promise<void> {
  const subject = names.length === 1 ? `topic ${names[0]}` : `one of the topics ${names.join(', ')}`;
  await kafka.call(subject, () => kafka.admin.deleteTopics({ topics: [...names] }));
  kafka.forgetTopicMetadata();
}

export async function alterTopicConfig(
  kafka: KafkaConnection,
  topic: string,
  changes: ConfigChanges,
): Promise<void> {
  const configs = [
    ...Object.entries(changes.set ?? {}).map(([name, value]) => ({
      name,
      configOperation: IncrementalAlterConfigOperationTypes.SET,
      value,
    })),
    ...(changes.delete ?? []).map((name) => ({
      name,
      configOperation: IncrementalAlterConfigOperationTypes.DELETE,
    })),
  ];
  if (configs.length === 0) return;
  await kafka.call(`topic ${topic}`, () =>
    kafka.admin.incrementalAlterConfigs({
      resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: topic, configs }],
    }),
  );
}
