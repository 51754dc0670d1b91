// Broker settings: what the process listens on, where it keeps data, and the defaults new topics get.
import path from 'node:path';
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORTS } from '../config/settings.js';

/**
 * Kafka's default group.initial.rebalance.delay.ms: a new group waits this long for more members before its
 * first rebalance, so a group whose members start together rebalances once rather than once per member.
 */
export const DEFAULT_GROUP_INITIAL_REBALANCE_DELAY_MS = 3000;

export interface BrokerConfig {
  /** Interface to bind. */
  host: string;
  port: number;
  /** Host and port clients are told to connect to (Metadata, FindCoordinator). */
  advertisedHost: string;
  advertisedPort: number;
  nodeId: number;
  dataDir: string;
  /** Create a topic on first Metadata or Produce request that names it (auto.create.topics.enable). */
  autoCreateTopics: boolean;
  /** Let DeleteTopics remove the schema registry's `_schemas` (refused by default: its ids are sacred). */
  allowDeleteInternal: boolean;
  /** Partitions of an auto-created topic (num.partitions). */
  defaultPartitions: number;
  /** Largest request frame accepted (socket.request.max.bytes). */
  maxRequestBytes: number;
  /** fsync a partition before answering an acks=all produce, so an acknowledged record survives a crash. */
  flushBeforeAcksAll: boolean;
  /** Topic config defaults applied to new topics (log.* in Kafka), by topic config name. */
  topicDefaults: Record<string, string>;
  /** group.initial.rebalance.delay.ms (0: a new group rebalances as soon as its first member joins). */
  groupInitialRebalanceDelayMs: number;
  /** offsets.topic.num.partitions */
  offsetsTopicPartitions: number;
  /** Port of the HTTP health endpoint (GET /health) on the same host; null for none. */
  healthPort: number | null;
}

export function defaultBrokerConfig(given: Partial<BrokerConfig> = {}): BrokerConfig {
  // An option left undefined (an unset CLI flag) must not hide the default.
  const overrides = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined),
  ) as Partial<BrokerConfig>;
  const host = overrides.host ?? DEFAULT_HOST;
  const port = overrides.port ?? DEFAULT_PORTS.kafka;
  return {
    host,
    port,
    advertisedHost: overrides.advertisedHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host),
    advertisedPort: overrides.advertisedPort ?? port,
    nodeId: 1,
    dataDir: path.resolve(DEFAULT_DATA_DIR),
    autoCreateTopics: true,
    allowDeleteInternal: false,
    defaultPartitions: 1,
    maxRequestBytes: 100 * 1024 * 1024,
    flushBeforeAcksAll: true,
    topicDefaults: {},
    groupInitialRebalanceDelayMs: DEFAULT_GROUP_INITIAL_REBALANCE_DELAY_MS,
    offsetsTopicPartitions: 1,
    healthPort: null,
    ...overrides,
  };
}
