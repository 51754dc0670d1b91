// Kafka Connect's error handling keys (errors.*) and the dead letter queue. A record that cannot be
// converted (or that a task reports through the errant record reporter) is, with errors.tolerance=all,
// logged when errors.log.enable says so and sent with its original bytes to the DLQ topic with
// Kafka Connect's __connect.errors.* context headers; with none it fails the task.
import type { Kafka, RecordHeader } from '../../client/index.js';
import type { Logger } from '../../service/index.js';
import type { ConnectorConfig } from '../api/plugin.js';

export type ErrorStage = 'KEY_CONVERTER' | 'VALUE_CONVERTER' | 'HEADER_CONVERTER' | 'TASK_PUT' | 'TASK_POLL';

export interface ErrorPolicy {
  readonly tolerateAll: boolean;
  readonly deadLetterTopic: string | null;
  /** -1: the replication every internal topic gets (see src/client/internal-topics.ts). */
  readonly deadLetterReplicationFactor: number;
  readonly contextHeaders: boolean;
  readonly log: boolean;
  readonly logMessages: boolean;
}

/** errors.deadletterqueue.topic.replication.factor when unset: the cluster's internal topic replication. */
export const DEFAULT_DLQ_REPLICATION_FACTOR = -1;

const isTrue = (value: string | undefined) => value?.trim().toLowerCase() === 'true';

export function errorPolicy(config: ConnectorConfig): ErrorPolicy {
  const topic = config['errors.deadletterqueue.topic.name']?.trim();
  const factor = config['errors.deadletterqueue.topic.replication.factor'];
  return {
    tolerateAll: config['errors.tolerance']?.trim().toLowerCase() === 'all',
    deadLetterTopic: topic ? topic : null,
    // Kafka Connect's default is 3, which a one-broker cluster cannot give: Venice's is -1, the cluster's internal replication.
    deadLetterReplicationFactor:
      factor === undefined || factor.trim() === '' ? DEFAULT_DLQ_REPLICATION_FACTOR : Number(factor),
    contextHeaders: isTrue(config['errors.deadletterqueue.context.headers.enable']),
    log: isTrue(config['errors.log.enable']),
    logMessages: isTrue(config['errors.log.include.messages']),
  };
}

/** The consumed record an error is about. */
export interface OriginalRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly timestamp: bigint;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

export interface ErrorContext {
  readonly stage: ErrorStage;
  /** The class of what failed: the converter's class name, or the connector's for TASK_PUT. */
  readonly className: string;
  readonly error: Error;
}

/** Java's class names for the errors Connect users look for in the headers. */
function exceptionClassName(error: Error): string {
  switch (error.name) {
    case 'ConversionError':
      return 'org.apache.kafka.connect.errors.DataException';
    case 'RetriableError':
      return 'org.apache.kafka.connect.errors.RetriableException';
    default:
      return 'org.apache.kafka.connect.errors.ConnectException';
  }
}

export class DeadLetterReporter {
  #topicReady: Promise<void> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly policy: ErrorPolicy,
    private readonly connector: string,
    private readonly taskId: number,
    private readonly logger: Logger,
  ) {}

  /** Logs and sends the record to the DLQ as the policy says. Call only with errors.tolerance=all. */
  async report(record: OriginalRecord, context: ErrorContext): Promise<void> {
    if (this.policy.log)
      this.logger.error(
        {
          err: context.error,
          stage: context.stage,
          topic: record.topic,
          partition: record.partition,
          offset: String(record.offset),
          ...(this.policy.logMessages
            ? { key: record.key?.toString('utf8') ?? null, value: record.value?.toString('utf8') ?? null }
            : {}),
        },
        `error in ${context.stage} of connector ${this.connector} task ${this.taskId}; the record is skipped`,
      );
    const topic = this.policy.deadLetterTopic;
    if (!topic) return;
    await this.#ensureTopic(topic);
    const headers: RecordHeader[] = [...record.headers];
    if (this.policy.contextHeaders) headers.push(...this.#contextHeaders(record, context));
    await this.kafka.produce([
      { topic, key: record.key, value: record.value, headers, timestamp: record.timestamp },
    ]);
  }

  #contextHeaders(record: OriginalRecord, context: ErrorContext): RecordHeader[] {
    const text = (key: string, value: string): RecordHeader => ({
      key: `__connect.errors.${key}`,
      value: Buffer.from(value),
    });
    return [
      text('topic', record.topic),
      text('partition', String(record.partition)),
      text('offset', String(record.offset)),
      text('connector.name', this.connector),
      text('task.id', String(this.taskId)),
      text('stage', context.stage),
      text('class.name', context.className),
      text('exception.class.name', exceptionClassName(context.error)),
      text('exception.message', context.error.message),
      text('exception.stacktrace', context.error.stack ?? String(context.error)),
    ];
  }

  #ensureTopic(topic: string): Promise<void> {
    this.#topicReady ??= (async () => {
      const topics = await this.kafka.topics.list();
      if (topics.some((existing) => existing.name === topic)) return;
      const factor = this.policy.deadLetterReplicationFactor;
      try {
        await this.#createTopic(topic, factor);
      } catch (error) {
        if ((error as { kafkaError?: string }).kafkaError !== 'INVALID_REPLICATION_FACTOR' || factor <= 0)
          throw error;
        // A factor pasted from a production config (Kafka Connect's default is 3) on a smaller cluster:
        // the records matter more than the factor, so the topic gets the cluster's replication instead.
        this.logger.warn(
          { topic, replicationFactor: factor },
          `the cluster cannot give the dead letter queue ${topic} replication factor ${factor}: created with Venice's internal topic replication (set errors.deadletterqueue.topic.replication.factor to -1 or a factor the cluster has)`,
        );
        await this.#createTopic(topic, DEFAULT_DLQ_REPLICATION_FACTOR);
      }
    })().catch((error: unknown) => {
      this.#topicReady = undefined;
      throw error;
    });
    return this.#topicReady;
  }

  /** A factor of -1 (not configured) gives the cluster's replication, as every internal topic gets. */
  async #createTopic(topic: string, replicationFactor: number): Promise<void> {
    try {
      if (replicationFactor <= 0) await this.kafka.topics.createInternal({ name: topic, partitions: 1 });
      else await this.kafka.topics.create({ name: topic, partitions: 1, replicationFactor });
    } catch (error) {
      if ((error as { kind?: string }).kind !== 'already-exists') throw error;
    }
  }
}
