// Venice's Kafka client: the one module through which the CLI, the console and the services reach
// Kafka. It wraps @platformatic/kafka behind types of Venice's own (see types.ts).
//
// Node engines: @platformatic/kafka 1.35 declares Node >= 20.19.4, which is what Venice declares too. Its
// helpers @platformatic/dynamic-buffer 0.3.x and @platformatic/wasm-utils 0.x declare >= 22.19 in every
// published version, so npm warns (EBADENGINE) on Node 20; they are plain JavaScript and WebAssembly with
// no Node 22 API, and the client tests pass on Node 20 and 22. Checked 2026-12-05: 1.27.0 to 1.35.0 all
// depend on them; 1.22.0, the last release without them, lacks request timeouts (a frozen broker would
// hang every call) and six admin operations Venice uses, so pinning it would trade a warning for real
// failures. test/setup/node-engines.test.ts fails if any other dependency starts refusing Node 20.
// cookie (fastify's light-my-request) is pinned to 1.1.x by an override in package.json: 2.x wants Node
// 22 and 1.1.1 exports the same stringifySetCookie.
import { createAcls, deleteAcls, listAcls, type AclQuery, type AclSpec } from './acls.js';
import { BatchingProducer } from './batching-producer.js';
import { KafkaConnection } from './connection.js';
import { describeCluster } from './cluster.js';
import { consumeRecords } from './consume.js';
import { createInternalTopic, internalReplicationFactor } from './internal-topics.js';
import { GroupConsumer } from './group-consumer.js';
import { deleteGroups, describeGroup, listGroups, removeGroupMembers, resetGroupOffsets } from './groups.js';
import { RecordProducer } from './produce.js';
import { TransactionalProducer } from './transactional-producer.js';
import { partitionSizes } from './log-dirs.js';
import { alterTopicConfig, createTopic, deleteTopics, describeTopic, listTopics } from './topics.js';
import { deleteScramUser, listScramUsers, upsertScramUser } from './users.js';
import type {
  BatchingProducerOptions,
  ClusterDescription,
  InternalTopicSpec,
  ConfigChanges,
  ConsumedRecord,
  ConsumeOptions,
  CreateTopicSpec,
  GroupConsumerOptions,
  GroupDescription,
  GroupSummary,
  KafkaConnectionOptions,
  OffsetResetPlan,
  PartitionSize,
  ProducedRecord,
  ProduceOptions,
  ProduceRecord,
  ResetOffsetsOptions,
  ScramMechanismName,
  ScramUser,
  ScramUserSpec,
  TopicDescription,
  TopicSummary,
  TransactionalProducerOptions,
} from './types.js';

export { KafkaClientError, type KafkaErrorKind } from './errors.js';
export { parseBootstrapServers } from './connection.js';
export {
  SASL_MECHANISMS,
  SECURITY_PROTOCOLS,
  describeSecurity,
  usesSasl,
  usesTls,
} from './security-settings.js';
export { defaultReplicationFactor } from './internal-topics.js';
export { keyPartition } from './produce.js';
export type { AclQuery, AclSpec } from './acls.js';
export type * from './types.js';
export type { BatchingProducer } from './batching-producer.js';
export type { GroupConsumer } from './group-consumer.js';
export type { TransactionalProducer } from './transactional-producer.js';

export interface Kafka {
  readonly bootstrapServers: readonly string[];
  readonly topics: {
    list(options?: { includeInternal?: boolean }): Promise<TopicSummary[]>;
    describe(name: string): Promise<TopicDescription>;
    create(spec: CreateTopicSpec): Promise<void>;
    /**
     * Creates a topic a service keeps for itself, with the cluster's replication (the configured
     * factor, else 3 on 3 or more brokers, else 1) and min.insync.replicas 2 when replicated.
     */
    createInternal(spec: InternalTopicSpec): Promise<void>;
    /** The replication factor createInternal gives. */
    internalReplicationFactor(): Promise<number>;
    delete(names: readonly string[]): Promise<void>;
    alterConfig(name: string, changes: ConfigChanges): Promise<void>;
    /** Each partition's bytes on disk (DescribeLogDirs), per broker holding it. */
    sizes(names: readonly string[]): Promise<PartitionSize[]>;
  };
  produce(records: readonly ProduceRecord[], options?: ProduceOptions): Promise<ProducedRecord[]>;
  /** Yields records until the count, the end (stopAtEnd) or the signal stops it. */
  consume(options: ConsumeOptions): AsyncGenerator<ConsumedRecord>;
  /** A group member that polls batches per partition and commits only what it is told to. */
  consumer(options: GroupConsumerOptions): GroupConsumer;
  /** A producer that gathers records into requests (linger, batch size) and can flush. */
  producer(options?: BatchingProducerOptions): BatchingProducer;
  /**
   * A producer whose records and group offsets become visible together (commit) or never (abort) to
   * read_committed readers, which every consumer of this client is. A newer producer with the same
   * transactionalId fences this one.
   */
  transactionalProducer(options: TransactionalProducerOptions): TransactionalProducer;
  readonly groups: {
    list(): Promise<GroupSummary[]>;
    describe(group: string): Promise<GroupDescription>;
    resetOffsets(options: ResetOffsetsOptions): Promise<OffsetResetPlan>;
    delete(groups: readonly string[]): Promise<void>;
    /** Removes members from a group, as if they had left it; the group rebalances. */
    removeMembers(group: string, memberIds: readonly string[]): Promise<void>;
  };
  /** SCRAM users of the cluster (AlterUserScramCredentials, DescribeUserScramCredentials). */
  readonly users: {
    list(names?: readonly string[]): Promise<ScramUser[]>;
    /** Creates the user or changes its password. */
    upsert(spec: ScramUserSpec): Promise<void>;
    /** Deletes the user's credentials for the given mechanisms, or all of them. */
    delete(name: string, mechanisms?: readonly ScramMechanismName[]): Promise<void>;
  };
  /** The cluster's id, controller and brokers. */
  describeCluster(): Promise<ClusterDescription>;
  /** ACLs, kept by the broker's authorizer (CreateAcls, DescribeAcls, DeleteAcls). */
  readonly acls: {
    create(acls: readonly AclSpec[]): Promise<void>;
    list(query: AclQuery): Promise<AclSpec[]>;
    /** Deletes what the queries match and returns it. */
    delete(queries: readonly AclQuery[]): Promise<AclSpec[]>;
  };
  close(): Promise<void>;
}

export function openKafka(options: KafkaConnectionOptions): Kafka {
  const connection = new KafkaConnection(options);
  const producer = new RecordProducer(connection);
  return {
    bootstrapServers: connection.bootstrapServers,
    topics: {
      list: (listOptions) => listTopics(connection, listOptions?.includeInternal),
      describe: (name) => describeTopic(connection, name),
      create: (spec) => createTopic(connection, spec),
      createInternal: (spec) => createInternalTopic(connection, spec),
      internalReplicationFactor: () => internalReplicationFactor(connection),
      delete: (names) => deleteTopics(connection, names),
      alterConfig: (name, changes) => alterTopicConfig(connection, name, changes),
      sizes: (names) => partitionSizes(connection, names),
    },
    produce: (records, produceOptions) => producer.send(records, produceOptions),
    consume: (consumeOptions) => consumeRecords(connection, consumeOptions),
    consumer: (consumerOptions) => new GroupConsumer(connection, consumerOptions),
    producer: (producerOptions) => new BatchingProducer(connection, producerOptions),
    transactionalProducer: (transactionalOptions) =>
      new TransactionalProducer(connection, transactionalOptions),
    groups: {
      list: () => listGroups(connection),
      describe: (group) => describeGroup(connection, group),
      resetOffsets: (resetOptions) => resetGroupOffsets(connection, resetOptions),
      delete: (groups) => deleteGroups(connection, groups),
      removeMembers: (group, memberIds) => removeGroupMembers(connection, group, memberIds),
    },
    users: {
      list: (names) => listScramUsers(connection, names),
      upsert: (spec) => upsertScramUser(connection, spec),
      delete: (name, mechanisms) => deleteScramUser(connection, name, mechanisms),
    },
    describeCluster: () => describeCluster(connection),
    acls: {
      create: (acls) => createAcls(connection, acls),
      list: (query) => listAcls(connection, query),
      delete: (queries) => deleteAcls(connection, queries),
    },
    close: () => connection.close(),
  };
}
