// The command topic, `_confluent-ksql-<service id>_command_topic`: every statement that changes the
// engine's state (CREATE, CREATE ... AS SELECT, INSERT INTO ... SELECT, DROP, TERMINATE, ALTER, CREATE
// and DROP TYPE) is appended with the properties it ran with. Its offset is the statement's sequence
// number (commandSequenceNumber, and the <n> of CSAS_<SINK>_<n>). A starting engine replays the topic
// from the beginning to rebuild the catalog and restart the queries.
//
// As ksqlDB's: one partition (one order for all commands), kept forever (retention.ms=-1) and not
// compacted, since a later command with the same key (DROP after CREATE) must not erase the earlier one.
import { KafkaClientError, type Kafka } from '../../client/index.js';

/** What the topic holds for one command; ksqlDB's field names where it has them. */
export interface CommandRecord {
  readonly statement: string;
  /** The request's and the session's property overrides the statement ran with. */
  readonly streamsProperties: Readonly<Record<string, string>>;
  readonly version: number;
}

export interface LoggedCommand {
  readonly sequence: number;
  readonly commandId: string;
  readonly record: CommandRecord;
}

const RECORD_VERSION = 1;
/** How often ensureTopic asks a Kafka that is not up yet. */
const KAFKA_RETRY_MS = 100;

export function commandTopicName(serviceId: string): string {
  return `_confluent-ksql-${serviceId}_command_topic`;
}

export class CommandLog {
  readonly topic: string;

  constructor(
    private readonly kafka: Kafka,
    serviceId: string,
  ) {
    this.topic = commandTopicName(serviceId);
  }

  /**
   * Creates the topic on the first start of this service id. A Kafka that does not answer yet is asked
   * again for up to `waitMs`: `venice up` starts this engine beside a broker that is still starting.
   */
  async ensureTopic(waitMs = 0): Promise<void> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        return await this.#ensureTopic();
      } catch (error) {
        if (!(error instanceof KafkaClientError) || error.kind !== 'unreachable' || Date.now() > deadline)
          throw error;
        await new Promise((resolve) => setTimeout(resolve, KAFKA_RETRY_MS));
      }
    }
  }

  async #ensureTopic(): Promise<void> {
    const topics = await this.kafka.topics.list({ includeInternal: true });
    if (topics.some((t) => t.name === this.topic)) return;
    try {
      await this.kafka.topics.createInternal({
        name: this.topic,
        partitions: 1,
        configs: { 'cleanup.policy': 'delete', 'retention.ms': '-1' },
      });
    } catch (error) {
      // Another engine of the same service id may have created it meanwhile.
      const again = await this.kafka.topics.list({ includeInternal: true });
      if (!again.some((t) => t.name === this.topic)) throw error;
    }
  }

  /** Appends a command; resolves to its sequence number once the broker has it. */
  async append(
    commandId: string,
    statement: string,
    properties: Readonly<Record<string, string>>,
  ): Promise<number> {
    const record: CommandRecord = { statement, streamsProperties: properties, version: RECORD_VERSION };
    const [produced] = await this.kafka.produce(
      [
        {
          topic: this.topic,
          partition: 0,
          key: Buffer.from(commandId),
          value: Buffer.from(JSON.stringify(record)),
        },
      ],
      { acks: -1 },
    );
    if (produced?.offset == null) throw new Error(`the broker gave no offset for command ${commandId}`);
    return Number(produced.offset);
  }

  /** The sequence number the next command will get. */
  async nextSequence(): Promise<number> {
    const description = await this.kafka.topics.describe(this.topic);
    return Number(description.partitions[0]?.highOffset ?? 0n);
  }

  /** The commands so far, in order, from sequence `from` on. */
  async *replay(from = 0): AsyncGenerator<LoggedCommand> {
    for await (const consumed of this.kafka.consume({
      topic: this.topic,
      from: from === 0 ? { kind: 'beginning' } : { kind: 'offset', offset: BigInt(from) },
      stopAtEnd: true,
    })) {
      if (consumed.value === null) continue;
      yield {
        sequence: Number(consumed.offset),
        commandId: consumed.key?.toString() ?? '',
        record: JSON.parse(consumed.value.toString()) as CommandRecord,
      };
    }
  }
}
