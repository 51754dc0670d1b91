// A view of the Kafka cluster for `venice status` in external mode: its id, controller and brokers,
// and the internal topics whose single replica would be lost with its broker.
import type { ClusterDescription, Kafka, TopicSummary } from '../client/index.js';

/** Topics Venice's services keep for themselves, by name (ksqlDB's and Kafka Connect's names). */
const VENICE_INTERNAL_PREFIXES = ['_schemas', '_confluent-ksql-', 'connect-'];

export interface ClusterView extends ClusterDescription {
  /** Internal topics (the cluster's own and Venice's) with one replica. */
  unreplicatedInternalTopics: string[];
}

export function isInternalTopic(topic: TopicSummary): boolean {
  return topic.internal || VENICE_INTERNAL_PREFIXES.some((prefix) => topic.name.startsWith(prefix));
}

export async function describeClusterView(
  kafka: Pick<Kafka, 'describeCluster' | 'topics'>,
): Promise<ClusterView> {
  const [cluster, topics] = await Promise.all([
    kafka.describeCluster(),
    kafka.topics.list({ includeInternal: true }),
  ]);
  return {
    ...cluster,
    unreplicatedInternalTopics: topics
      .filter((topic) => isInternalTopic(topic) && topic.replicationFactor === 1)
      .map((topic) => topic.name),
  };
}
