// A real client (kafkajs) producing and consuming through a consumer group while the fuzz runs.
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';

export class KafkajsTraffic {
  private readonly producer: Producer;
  private readonly consumer: Consumer;
  private readonly received = new Set<string>();
  private readonly waiters = new Map<string, () => void>();

  constructor(
    bootstrap: string,
    private readonly topic: string,
    groupId: string,
  ) {
    const kafka = new Kafka({
      clientId: 'venice-fuzz-kafkajs',
      brokers: [bootstrap],
      logLevel: logLevel.NOTHING,
    });
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
    this.consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        const value = message.value?.toString() ?? '';
        this.received.add(value);
        this.waiters.get(value)?.();
      },
    });
  }

  async send(value: string): Promise<void> {
    await this.producer.send({ topic: this.topic, acks: -1, messages: [{ value }] });
  }

  /** Resolves once the consumer has seen `value`. */
  consumed(value: string, timeoutMs: number): Promise<void> {
    if (this.received.has(value)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(value);
        reject(new Error(`kafkajs consumer did not receive ${value} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(value, () => {
        clearTimeout(timer);
        this.waiters.delete(value);
        resolve();
      });
    });
  }

  hasConsumed(value: string): boolean {
    return this.received.has(value);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.consumer.disconnect(), this.producer.disconnect()]);
  }
}
