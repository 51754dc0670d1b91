// A source task's loop: poll() the task, convert each record's key and value, produce them, and only
// once the broker has acknowledged them store their source offsets in connect-offsets. A crash between
// the two replays the last batch (at-least-once); an offset never runs ahead of the records.
import type { ProduceRecord } from '../../client/index.js';
import type { JsonObject, SourceRecord } from '../api/data.js';
import { RetriableError } from '../api/errors.js';
import type { SourceConnectorPlugin, SourceTask } from '../api/plugin.js';
import { connectorConverter, type NamedConverter } from './connector-converters.js';
import { errorPolicy, type ErrorPolicy } from './error-policy.js';
import { pause, traceOf, type TaskRunner, type TaskRunnerInputs } from './task-runner.js';
import { stableStringify, type JsonValue } from '../../serdes/json-text.js';

export class SourceTaskRunner implements TaskRunner {
  readonly #inputs: TaskRunnerInputs;
  readonly #plugin: SourceConnectorPlugin;
  readonly #stopping = new AbortController();
  readonly #policy: ErrorPolicy;
  readonly #seenTopics = new Set<string>();
  #loop: Promise<void> | undefined;

  constructor(inputs: TaskRunnerInputs, plugin: SourceConnectorPlugin) {
    this.#inputs = inputs;
    this.#plugin = plugin;
    this.#policy = errorPolicy(inputs.config);
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { config, connector, taskId, logger, offsets } = this.#inputs;
    const signal = this.#stopping.signal;
    let task: SourceTask | undefined;
    try {
      const key = connectorConverter(config, 'key', this.#inputs.converterEnvironment);
      const value = connectorConverter(config, 'value', this.#inputs.converterEnvironment);
      task = this.#plugin.createTask();
      await task.start(config, {
        connector,
        taskId,
        logger,
        offset: (partition) => offsets.offset(connector, partition),
      });
      if (signal.aborted) return;
      this.#inputs.onState('RUNNING');
      while (!signal.aborted) {
        let records: readonly SourceRecord[];
        try {
          records = await task.poll(signal);
        } catch (error) {
          if (!(error instanceof RetriableError)) throw error;
          logger.warn({ err: error }, `source task poll will be retried in ${error.retryAfterMs} ms`);
          await pause(error.retryAfterMs, signal);
          continue;
        }
        if (records.length > 0) await this.#send(records, key, value);
      }
    } catch (error) {
      if (!signal.aborted) {
        logger.error({ err: error }, `source task ${connector}-${taskId} failed`);
        this.#inputs.onState('FAILED', traceOf(error));
      }
    } finally {
      await task?.stop().catch((error: unknown) => logger.warn({ err: error }, 'source task stop failed'));
    }
  }

  async #send(records: readonly SourceRecord[], key: NamedConverter, value: NamedConverter): Promise<void> {
    const { kafka, connector, logger } = this.#inputs;
    const produced: ProduceRecord[] = [];
    for (const record of records) {
      let stage = 'KEY_CONVERTER';
      try {
        const keyBytes = await key.converter.fromConnectData(record.topic, record.keySchema, record.key);
        stage = 'VALUE_CONVERTER';
        const valueBytes = await value.converter.fromConnectData(
          record.topic,
          record.valueSchema,
          record.value,
        );
        produced.push({
          topic: record.topic,
          key: keyBytes,
          value: valueBytes,
          headers: record.headers ? [...record.headers] : [],
          ...(record.partition === undefined ? {} : { partition: record.partition }),
          ...(record.timestamp === undefined ? {} : { timestamp: BigInt(record.timestamp) }),
        });
      } catch (error) {
        if (!this.#policy.tolerateAll) throw error;
        // Kafka Connect has no dead letter queue for sources: a tolerated failure is logged and skipped.
        logger.error({ err: error, stage, topic: record.topic }, `source record skipped (${stage} failed)`);
      }
    }
    if (produced.length > 0) await kafka.produce(produced);
    for (const topic of new Set(produced.map((record) => record.topic)))
      if (!this.#seenTopics.has(topic)) {
        this.#seenTopics.add(topic);
        this.#inputs.onTopic(topic);
      }
    // The last offset of each source partition in this batch is where the next run resumes.
    const latest = new Map<string, { partition: JsonObject; offset: JsonObject }>();
    for (const record of records)
      latest.set(stableStringify(record.sourcePartition as JsonValue), {
        partition: record.sourcePartition,
        offset: record.sourceOffset,
      });
    await this.#inputs.offsets.write(connector, [...latest.values()]);
  }
}
