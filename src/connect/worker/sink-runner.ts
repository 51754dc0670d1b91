// A sink task's loop: one member of the connector's consumer group (connect-<name>), so the tasks of a
// connector share its partitions. Each poll's records are converted, handed to put(), and their offsets
// committed only once put() resolves: a crash replays at most the last batches (at-least-once), and
// nothing is skipped. The commit goes on in the background while the next poll's records are written
// (Kafka Connect commits asynchronously too), so a batch does not wait for the one before's commit;
// commits go in order, one at a time. A record that cannot be converted follows errors.tolerance.
import type {
  ConsumedRecord,
  GroupConsumer,
  GroupConsumerOptions,
  PartitionBatch,
} from '../../client/index.js';
import type { SinkRecord } from '../api/data.js';
import { ConversionError, RetriableError } from '../api/errors.js';
import type { SinkConnectorPlugin, SinkTask, SinkTaskContext } from '../api/plugin.js';
import { sinkGroupId, TOPICS_REGEX_REFRESH_KEY, TOPICS_REGEX_REFRESH_MS } from '../defaults.js';
import { connectorConverter, type NamedConverter } from './connector-converters.js';
import { DeadLetterReporter, errorPolicy, type ErrorPolicy } from './error-policy.js';
import { pause, traceOf, type TaskRunner, type TaskRunnerInputs } from './task-runner.js';

/** How long one poll waits for records before the loop looks at its stop signal again. */
const POLL_MS = 500;

/** Fails the task: not a record's problem but the task's (put() threw, a record with tolerance none). */
class TaskFailure extends Error {
  override name = 'TaskFailure';
}

export class SinkTaskRunner implements TaskRunner {
  readonly #inputs: TaskRunnerInputs;
  readonly #plugin: SinkConnectorPlugin;
  readonly #stopping = new AbortController();
  readonly #policy: ErrorPolicy;
  readonly #reporter: DeadLetterReporter;
  /** Each SinkRecord handed to the task, back to the bytes it came from (for reportFailedRecord). */
  readonly #originals = new WeakMap<SinkRecord, ConsumedRecord>();
  readonly #seenTopics = new Set<string>();
  #loop: Promise<void> | undefined;

  constructor(inputs: TaskRunnerInputs, plugin: SinkConnectorPlugin) {
    this.#inputs = inputs;
    this.#plugin = plugin;
    this.#policy = errorPolicy(inputs.config);
    this.#reporter = new DeadLetterReporter(
      inputs.kafka,
      this.#policy,
      inputs.connector,
      inputs.taskId,
      inputs.logger,
    );
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { kafka, config, connector, taskId, logger } = this.#inputs;
    let task: SinkTask | undefined;
    let consumer: GroupConsumer | undefined;
    try {
      const key = connectorConverter(config, 'key', this.#inputs.converterEnvironment);
      const value = connectorConverter(config, 'value', this.#inputs.converterEnvironment);
      task = this.#plugin.createTask();
      const context: SinkTaskContext = {
        connector,
        taskId,
        logger,
        reportFailedRecord: (record, error) => this.#reportFailed(record, error),
      };
      await task.start(config, context);
      // A new sink reads its topics from the beginning, as Kafka Connect's consumers do.
      consumer = kafka.consumer({
        group: sinkGroupId(connector),
        ...this.#subscription(),
        fallback: 'earliest',
      });
      await consumer.start();
      if (this.#stopping.signal.aborted) return;
      this.#inputs.onState('RUNNING');
      let committing: Promise<void> = Promise.resolve();
      try {
        while (!this.#stopping.signal.aborted) {
          const batches = await consumer.poll(POLL_MS);
          if (batches.length === 0 || this.#stopping.signal.aborted) continue;
          const records = await this.#convert(batches, key, value);
          const written = await this.#put(task, records);
          if (!written) return;
          const previous = committing;
          const member = consumer;
          committing = previous.then(() => this.#commit(member, batches));
        }
      } finally {
        // What put() wrote is committed before the consumer leaves the group.
        await committing;
      }
    } catch (error) {
      if (!this.#stopping.signal.aborted) {
        logger.error({ err: error }, `sink task ${connector}-${taskId} failed`);
        this.#inputs.onState('FAILED', traceOf(error));
      }
    } finally {
      await task?.stop().catch((error: unknown) => logger.warn({ err: error }, 'sink task stop failed'));
      await consumer
        ?.close()
        .catch((error: unknown) => logger.warn({ err: error }, 'sink consumer close failed'));
    }
  }

  /**
   * The consumer's subscription: the `topics` list, or `topics.regex`, which the consumer matches against
   * the cluster's topics again every consumer.override.metadata.max.age.ms, so a topic created later
   * starts flowing without a restart.
   */
  #subscription(): Pick<GroupConsumerOptions, 'topics' | 'topicPattern' | 'metadataMaxAgeMs'> {
    const { config } = this.#inputs;
    const listed = (config.topics ?? '')
      .split(',')
      .map((topic) => topic.trim())
      .filter((topic) => topic !== '');
    if (listed.length > 0) return { topics: listed };
    const refresh = Number(config[TOPICS_REGEX_REFRESH_KEY] ?? TOPICS_REGEX_REFRESH_MS);
    return {
      topics: [],
      topicPattern: new RegExp(config['topics.regex'] ?? ''),
      metadataMaxAgeMs: Number.isFinite(refresh) && refresh > 0 ? refresh : TOPICS_REGEX_REFRESH_MS,
    };
  }

  async #convert(
    batches: PartitionBatch[],
    key: NamedConverter,
    value: NamedConverter,
  ): Promise<SinkRecord[]> {
    const records: SinkRecord[] = [];
    for (const batch of batches) {
      if (!this.#seenTopics.has(batch.topic)) {
        this.#seenTopics.add(batch.topic);
        this.#inputs.onTopic(batch.topic);
      }
      for (const record of batch.records) {
        const converted = await this.#convertOne(record, key, value);
        if (converted) records.push(converted);
      }
    }
    return records;
  }

  async #convertOne(
    record: ConsumedRecord,
    key: NamedConverter,
    value: NamedConverter,
  ): Promise<SinkRecord | null> {
    let stage: 'KEY_CONVERTER' | 'VALUE_CONVERTER' = 'KEY_CONVERTER';
    try {
      const keyData = await key.converter.toConnectData(record.topic, record.key, record.headers);
      stage = 'VALUE_CONVERTER';
      const valueData = await value.converter.toConnectData(record.topic, record.value, record.headers);
      const sinkRecord: SinkRecord = {
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        timestamp: Number(record.timestamp),
        keySchema: keyData.schema,
        key: keyData.value,
        valueSchema: valueData.schema,
        value: valueData.value,
        headers: record.headers,
      };
      this.#originals.set(sinkRecord, record);
      return sinkRecord;
    } catch (error) {
      const failure = error instanceof Error ? error : new ConversionError(String(error));
      if (!this.#policy.tolerateAll)
        throw new TaskFailure(
          `${stage} failed on ${record.topic}-${record.partition} offset ${record.offset} and errors.tolerance is none: ${failure.message}`,
          { cause: failure },
        );
      await this.#reporter.report(record, {
        stage,
        className: stage === 'KEY_CONVERTER' ? key.className : value.className,
        error: failure,
      });
      return null;
    }
  }

  /** put() until it succeeds; false when the task was stopped while retrying (nothing to commit). */
  async #put(task: SinkTask, records: SinkRecord[]): Promise<boolean> {
    for (;;) {
      try {
        await task.put(records);
        return true;
      } catch (error) {
        if (!(error instanceof RetriableError)) throw error;
        this.#inputs.logger.warn({ err: error }, `sink task put will be retried in ${error.retryAfterMs} ms`);
        await pause(error.retryAfterMs, this.#stopping.signal);
        if (this.#stopping.signal.aborted) return false;
      }
    }
  }

  async #commit(consumer: GroupConsumer, batches: PartitionBatch[]): Promise<void> {
    const held = new Set(consumer.assignment().map(({ topic, partition }) => `${topic}\0${partition}`));
    const offsets = batches
      .filter((batch) => held.has(`${batch.topic}\0${batch.partition}`))
      .map(({ topic, partition, nextOffset }) => ({ topic, partition, offset: nextOffset }));
    try {
      await consumer.commit(offsets);
    } catch (error) {
      // A rebalance took the partitions away mid-batch: their new owner replays from the last commit.
      this.#inputs.logger.warn(
        { err: error },
        'sink offsets could not be committed; the batch may be replayed',
      );
    }
  }

  async #reportFailed(record: SinkRecord, error: Error): Promise<void> {
    if (!this.#policy.tolerateAll)
      throw new TaskFailure(`record rejected and errors.tolerance is none: ${error.message}`, {
        cause: error,
      });
    const original = this.#originals.get(record) ?? {
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      timestamp: BigInt(record.timestamp),
      key: null,
      value: null,
      headers: [...record.headers],
    };
    await this.#reporter.report(original, { stage: 'TASK_PUT', className: this.#plugin.className, error });
  }
}
