// The one way Venice's services create the topics they keep for themselves (_schemas, connect-*, the
// sql command topic, changelogs, repartition topics, dead letter queues), so that each gets the
// cluster's replication: the configured factor, else 3 on a cluster of 3 or more brokers and 1 on a
// smaller one (the embedded broker). With 3 replicas or more, min.insync.replicas is 2, as Kafka's own
// internal topics are usually set: a write survives one broker's loss and the topic stays writable
// with one broker down.
import { describeCluster } from './cluster.js';
import type { KafkaConnection } from './connection.js';
import { createTopic } from './topics.js';
import type { InternalTopicSpec } from './types.js';

export const REPLICATED_FACTOR = 3;
export const REPLICATED_MIN_INSYNC = 2;

/** The replication factor internal topics get on a cluster of `brokerCount` brokers. */
export function defaultReplicationFactor(brokerCount: number): number {
  return brokerCount >= REPLICATED_FACTOR ? REPLICATED_FACTOR : 1;
}

/** The configs an internal topic with `replicationFactor` replicas gets beyond its own. */
export function replicationConfigs(replicationFactor: number): Record<string, string> {
  return replicationFactor >= REPLICATED_FACTOR
    ? { 'min.insync.replicas': String(REPLICATED_MIN_INSYNC) }
    : {};
}

export async function internalReplicationFactor(kafka: KafkaConnection): Promise<number> {
  const configured = kafka.internalReplicationFactor;
  if (configured !== undefined) return configured;
  const cluster = await describeCluster(kafka);
  return defaultReplicationFactor(cluster.brokers.length);
}

/** Creates the topic; a KafkaClientError of kind already-exists when it is there. */
export async function createInternalTopic(kafka: KafkaConnection, spec: InternalTopicSpec): Promise<void> {
  const replicationFactor = await internalReplicationFactor(kafka);
  await createTopic(kafka, {
    name: spec.name,
    partitions: spec.partitions,
    replicationFactor,
    // The topic's own configs win: a caller that sets min.insync.replicas knows why.
    configs: { ...replicationConfigs(replicationFactor), ...spec.configs },
  });
}
