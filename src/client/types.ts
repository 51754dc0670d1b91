// Venice's own vocabulary for talking to Kafka. Nothing here mentions @platformatic/kafka, so the
// library behind src/client/ can change without touching the CLI, the console or the services.

import type { KafkaClientSettings } from './security-settings.js';

export type {
  KafkaClientSettings,
  KafkaSecurity,
  SaslCredentials,
  SaslMechanism,
  SecurityProtocol,
  TlsFiles,
} from './security-settings.js';

export interface KafkaConnectionOptions extends KafkaClientSettings {
  /** "host:port" entries, or one comma-separated string. */
  bootstrapServers: string | readonly string[];
  clientId?: string;
  /** How long to wait for a connection before giving up on a server (default 3000 ms). */
  connectTimeoutMs?: number;
  /** How long to wait for a response (default 10000 ms). */
  requestTimeoutMs?: number;
}

export interface TopicSummary {
  name: string;
  partitions: number;
  replicationFactor: number;
  internal: boolean;
}

export interface PartitionDescription {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  /** The first offset still in the log. */
  lowOffset: bigint;
  /** The offset the next record will get (the high watermark). */
  highOffset: bigint;
  /** Records currently in the partition: highOffset - lowOffset. */
  messages: bigint;
}

/** Where a config value comes from; `default` means nobody set it for this topic. */
export type ConfigSource = 'topic' | 'broker' | 'default' | 'unknown';

export interface TopicConfig {
  name: string;
  value: string | null;
  source: ConfigSource;
  readOnly: boolean;
  sensitive: boolean;
}

/** A partition replica's bytes on disk, as DescribeLogDirs reports them. */
export interface PartitionSize {
  topic: string;
  partition: number;
  broker: number;
  logDir: string;
  sizeBytes: bigint;
}

export interface TopicDescription {
  name: string;
  id: string;
  internal: boolean;
  replicationFactor: number;
  partitions: PartitionDescription[];
  configs: TopicConfig[];
}

export interface CreateTopicSpec {
  name: string;
  partitions?: number;
  replicationFactor?: number;
  configs?: Readonly<Record<string, string>>;
}

/** A topic a service creates for itself; its replication comes from the cluster (see internal-topics.ts). */
export interface InternalTopicSpec {
  name: string;
  partitions: number;
  configs?: Readonly<Record<string, string>>;
}

export interface BrokerAddress {
  id: number;
  host: string;
  port: number;
}

export interface ClusterDescription {
  /** Null when the cluster does not say (Metadata before v2). */
  clusterId: string | null;
  controllerId: number;
  brokers: BrokerAddress[];
}

export interface ConfigChanges {
  set?: Readonly<Record<string, string>>;
  delete?: readonly string[];
}

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface ProduceRecord {
  topic: string;
  key?: Buffer | null;
  value: Buffer | null;
  headers?: readonly RecordHeader[];
  /** Omit to let the partitioner choose (murmur2 of the key, like Java's, else round robin). */
  partition?: number;
  /** Milliseconds since the epoch; omit for now. */
  timestamp?: bigint;
}

/** -1 (all in-sync replicas), 1 (the leader) or 0 (no answer). */
export type Acks = -1 | 0 | 1;

export interface ProduceOptions {
  acks?: Acks;
}

export interface ProducedRecord {
  topic: string;
  partition: number;
  /** Null with acks 0: the broker does not say. */
  offset: bigint | null;
}

export type StartPosition =
  | { kind: 'beginning' }
  | { kind: 'end' }
  | { kind: 'offset'; offset: bigint }
  | { kind: 'timestamp'; timestamp: bigint }
  /** The last `count` records of each partition. */
  | { kind: 'tail'; count: number }
  /** Exact positions; partitions not listed are not read. */
  | { kind: 'positions'; offsets: ReadonlyMap<number, bigint> };

export interface ConsumeOptions {
  topic: string;
  /** Where to start. With a group this applies only to partitions the group has no offset for. */
  from?: StartPosition;
  /** Read only these partitions (not with a group). */
  partitions?: readonly number[];
  /** Consume as a member of this group, committing offsets as records are handed out. */
  group?: string;
  /** Stop after this many records. */
  count?: number;
  /** Stop once every partition has been read up to the end it had when consumption started. */
  stopAtEnd?: boolean;
  signal?: AbortSignal;
}

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: bigint;
  /** Milliseconds since the epoch. */
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export interface GroupSummary {
  id: string;
  state: string;
  protocolType: string;
}

export interface GroupMemberDescription {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  host: string;
  assignments: { topic: string; partitions: number[] }[];
}

export interface GroupPartitionOffsets {
  topic: string;
  partition: number;
  /** Null when the group has committed nothing for this partition. */
  committedOffset: bigint | null;
  endOffset: bigint;
  /** endOffset - committedOffset, or null with no committed offset. */
  lag: bigint | null;
  /** The member the partition is assigned to, if any. */
  memberId: string | null;
}

export interface GroupDescription {
  id: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: GroupMemberDescription[];
  offsets: GroupPartitionOffsets[];
  totalLag: bigint;
}

export type ResetTarget =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'timestamp'; timestamp: bigint }
  | { kind: 'offset'; offset: bigint };

export interface ResetOffsetsOptions {
  group: string;
  topic: string;
  to: ResetTarget;
  /** Apply the plan; without it the plan is only computed (a dry run). */
  execute?: boolean;
}

export interface OffsetResetPlanEntry {
  topic: string;
  partition: number;
  currentOffset: bigint | null;
  newOffset: bigint;
}

export interface OffsetResetPlan {
  group: string;
  executed: boolean;
  partitions: OffsetResetPlanEntry[];
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  /** The next offset to read: the offset after the last record processed. */
  offset: bigint;
}

/** Called with the partitions concerned; the consumer waits for a returned promise before fetching on. */
export type PartitionsListener = (partitions: TopicPartition[]) => void | Promise<void>;

export interface GroupConsumerOptions {
  group: string;
  /** The topics to consume; may be empty when topicPattern is given. */
  topics: readonly string[];
  /**
   * Subscribes to every topic whose whole name matches, as Kafka's subscribe(Pattern): the topics are
   * listed again every metadataMaxAgeMs, and a new or deleted match changes the subscription (a rejoin).
   * Until a topic matches, the member does not join and poll() returns nothing.
   */
  topicPattern?: RegExp;
  /** How often a topicPattern is matched against the cluster's topics again (default 300000, Kafka's). */
  metadataMaxAgeMs?: number;
  /** Where to start a partition the group has no committed offset for (default latest). */
  fallback?: 'earliest' | 'latest';
  /** Topics whose partitions without a committed offset start at their beginning whatever `fallback`
   * says (a stream processor's internal topics, written only to be read back). */
  earliestTopics?: readonly string[];
  /** Give partition p of every topic to the same member (as Kafka Streams' tasks) rather than round robin. */
  copartitioned?: boolean;
  /** How long the group waits for a silent member before reassigning its partitions (default 10000). */
  sessionTimeoutMs?: number;
  /** How often the member tells the group it is alive (default 1000; at most sessionTimeoutMs). */
  heartbeatIntervalMs?: number;
  /** How long a fetch may wait at the broker for records (default 500). */
  maxWaitMs?: number;
  /** The most bytes one fetch returns for one partition (default 1 MiB). */
  maxBytesPerPartition?: number;
  /** The most records held fetched but not yet polled; fetching stops there (default 50000). */
  maxBufferedRecords?: number;
}

/** Who a group member is, for offsets committed inside a transaction (KIP-447 fencing). */
export interface ConsumerGroupMetadata {
  group: string;
  generationId: number;
  memberId: string;
}

export interface TransactionalProducerOptions {
  /**
   * Names the producer across restarts: a new producer with the same id fences the old one (its
   * writes are refused from then on) and aborts the transaction it left open.
   */
  transactionalId: string;
  /** How long the broker lets a transaction stay open before aborting it (default 60000). */
  transactionTimeoutMs?: number;
}

/** Records of one partition, in offset order, as one poll hands them out. */
export interface PartitionBatch {
  topic: string;
  partition: number;
  records: ConsumedRecord[];
  /** The offset after this batch: commit it once the batch is processed. */
  nextOffset: bigint;
  /** The partition's high watermark when fetched; nextOffset equal to it means caught up. */
  highWatermark: bigint;
}

export interface BatchingProducerOptions {
  /** How long a record waits for others to share its request (default 5 ms; 0 sends on the next tick). */
  lingerMs?: number;
  /** Send as soon as this many records wait, without waiting out the linger (default 16384). */
  batchSize?: number;
  /**
   * Send as soon as the waiting records hold about this many bytes (default 1,000,000). Keep it under
   * the topic's max.message.bytes (1 MiB by default): one request is one batch per partition.
   */
  batchBytes?: number;
  /** Requests sent and not yet answered at once (default 5; 1 keeps order even across retries). */
  maxInFlight?: number;
  /** Acknowledgement asked of the broker (default -1; an idempotent producer needs -1). */
  acks?: Acks;
  /** Ask the broker to drop duplicates of retried requests (producer id and sequence numbers). */
  idempotent?: boolean;
}

export type ScramMechanismName = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/** A SCRAM user as the broker describes it: never the password or its salt. */
export interface ScramUser {
  name: string;
  credentials: { mechanism: string; iterations: number }[];
}

export interface ScramUserSpec {
  name: string;
  password: string;
  /** Both SCRAM mechanisms by default. */
  mechanisms?: readonly ScramMechanismName[];
  /** 4096 to 16384 (Kafka's bounds); 8192 by default. */
  iterations?: number;
}
