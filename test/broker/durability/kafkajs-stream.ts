// One idempotent kafkajs producer that keeps sending acks=all batches to every partition, across broker
// kills: its retries re-send the same sequence numbers, so the broker's duplicate detection is exercised.
import { Kafka, logLevel, Partitioners, type Producer, type RecordMetadata } from 'kafkajs';
import type { Ledger } from './ledger.js';
import type { SeededRandom } from './seeded-random.js';

export const KAFKAJS_STREAM = 'kafkajs';
const SEND_PAUSE_MS = 4;

export interface KafkajsStreamStats {
  sends: number;
  /** Acknowledgements that contradict the ledger (a record given two offsets); must stay empty. */
  ackErrors: string[];
  /** Sends that failed after all retries; their records may or may not be in the log. */
  failedSends: number;
  /** Distinct error messages of the failed sends. */
  errors: string[];
  /** Producers created: one at start plus one after each failed send. */
  producers: number;
}

export class KafkajsStream {
  readonly stats: KafkajsStreamStats = { sends: 0, ackErrors: [], failedSends: 0, errors: [], producers: 0 };
  private readonly kafka: Kafka;
  private producer: Producer | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private nextSeq = 0;

  constructor(
    bootstrap: string,
    private readonly topic: string,
    private readonly partitions: number,
    private readonly ledger: Ledger,
    private readonly random: SeededRandom,
  ) {
    this.kafka = new Kafka({
      clientId: 'durability-kafkajs',
      brokers: [bootstrap],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1000,
      requestTimeout: 10_000,
      // Enough to ride out a broker restart (about a second) without giving up on a batch.
      retry: { initialRetryTime: 100, maxRetryTime: 500, retries: 40 },
    });
  }

  start(): void {
    this.loop = this.run();
  }

  /** Lets the send in flight finish (acknowledged or failed), then disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
    await this.producer?.disconnect().catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const producer = this.producer ?? (await this.connectProducer());
      if (!producer) continue;
      const messages = this.nextMessages();
      let results: RecordMetadata[];
      try {
        results = await producer.send({ topic: this.topic, acks: -1, messages });
      } catch (error) {
        this.stats.failedSends++;
        const message = error instanceof Error ? error.message : String(error);
        if (!this.stats.errors.includes(message)) this.stats.errors.push(message);
        // Its sequence numbers are now uncertain: a new producer (new id) must not reuse them.
        await producer.disconnect().catch(() => undefined);
        this.producer = null;
        continue;
      }
      this.stats.sends++;
      this.recordAcks(messages, results);
      // A steady, moderate rate: batches in flight at any kill, yet few enough records to read back quickly.
      await new Promise((resolve) => setTimeout(resolve, SEND_PAUSE_MS));
    }
  }

  /** Stops without waiting for the send in flight (cleanup after a failure, the broker may be gone). */
  abandon(): void {
    this.stopping = true;
    void this.producer?.disconnect().catch(() => undefined);
  }

  private async connectProducer(): Promise<Producer | null> {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await producer.connect();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return null;
    }
    this.stats.producers++;
    this.producer = producer;
    return producer;
  }

  /** One to four records for each partition, so batches of several records are torn and retried too. */
  private nextMessages(): { partition: number; value: string }[] {
    const messages: { partition: number; value: string }[] = [];
    for (let partition = 0; partition < this.partitions; partition++) {
      const count = this.random.between(1, 4);
      for (let i = 0; i < count; i++) {
        messages.push({ partition, value: this.ledger.send(KAFKAJS_STREAM, this.nextSeq++, partition) });
      }
    }
    return messages;
  }

  private recordAcks(messages: { partition: number; value: string }[], results: RecordMetadata[]): void {
    for (const result of results) {
      let offset = Number(result.baseOffset);
      // kafkajs keeps the send order of records within a partition's batch.
      for (const message of messages) {
        if (message.partition !== result.partition) continue;
        try {
          this.ledger.acknowledge(message.value, offset++);
        } catch (error) {
          this.stats.ackErrors.push(error instanceof Error ? error.message : String(error));
        }
      }
    }
  }
}
