// Venice's Kafka client: the one module through which the CLI, the console and the services reach
// Kafka. It wraps @platformatic/kafka behind types of Venice's own (see types.ts).
import { KafkaConnection } from './connection.js';
import { consumeRecords } from './consume.js';
import { deleteGroups, describeGroup, listGroups, resetGroupOffsets } from './groups.js';
import { RecordProducer } from './produce.js';
import { alterTopicConfig, createTopic, deleteTopics, describeTopic, listTopics } from './topics.js';
import type {
  ConfigChanges,
  ConsumedRecord,
  ConsumeOptions,
  CreateTopicSpec,
  GroupDescription,
  GroupSummary,
  KafkaConnectionOptions,
  OffsetResetPlan,
  ProducedRecord,
  ProduceOptions,
  ProduceRecord,
  ResetOffsetsOptions,
  TopicDescription,
  TopicSummary,
} from './types.js';

export { KafkaClientError, type KafkaErrorKind } from './errors.js';
export { parseBootstrapServers } from './connection.js';
export type * from './types.js';

export interface Kafka {
  readonly bootstrapServers: readonly string[];
  readonly topics: {
    list(options?: { includeInternal?: boolean }): Promise<TopicSummary[]>;
    describe(name: string): Promise<TopicDescription>;
    create(spec: CreateTopicSpec): Promise<void>;
    delete(names: readonly string[]): Promise<void>;
    alterConfig(name: string, changes: ConfigChanges): Promise<void>;
  };
  produce(records: readonly ProduceRecord[], options?: ProduceOptions): Promise<ProducedRecord[]>;
  /** Yields records until the count, the end (stopAtEnd) or the signal stops it. */
  consume(options: ConsumeOptions): AsyncGenerator<ConsumedRecord>;
  readonly groups: {
    list(): Promise<GroupSummary[]>;
    describe(group: string): Promise<GroupDescription>;
    resetOffsets(options: ResetOffsetsOptions): Promise<OffsetResetPlan>;
    delete(groups: readonly string[]): Promise<void>;
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
      delete: (names) => deleteTopics(connection, names),
      alterConfig: (name, changes) => alterTopicConfig(connection, name, changes),
    },
    produce: (records, produceOptions) => producer.send(records, produceOptions),
    consume: (consumeOptions) => consumeRecords(connection, consumeOptions),
    groups: {
      list: () => listGroups(connection),
      describe: (group) => describeGroup(connection, group),
      resetOffsets: (resetOptions) => resetGroupOffsets(connection, resetOptions),
      delete: (groups) => deleteGroups(connection, groups),
    },
    close: () => connection.close(),
  };
}
