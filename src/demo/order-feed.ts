// The demo's producer: orders generated from the order schema (src/datagen, seeded), Avro in the
// registry's wire format with the order id as a STRING key, at a steady rate, each acknowledged chunk
// counted in the tally. It stops at the tally's target count, or when stopped.
import type { BatchingProducer, Kafka, ProduceRecord } from '../client/index.js';
import { createRecordGenerator, loadSchemaFile, RatePacer, type RecordGenerator } from '../datagen/index.js';
import { encodePayload, encodeWire, parseSchema, type SchemaRegistryClient } from '../serdes/index.js';
import type { Logger } from '../service/index.js';
import type { TallyStore } from './tally.js';

export interface OrderFeedOptions {
  kafka: Kafka;
  registry: SchemaRegistryClient;
  schemaFile: string;
  topic: string;
  keyField: string;
  /** Orders per second. */
  rate: number;
  /** Orders in all, over every run; null: no end. */
  count: number | null;
  tally: TallyStore;
  logger: Logger;
}

/** Orders generated and sent in one request at most. */
const CHUNK = 500;
const PROGRESS_EVERY_MS = 30_000;

export class OrderFeed {
  readonly #options: OrderFeedOptions;
  readonly #stop = new AbortController();
  #encode: ((value: Record<string, unknown>) => Buffer) | null = null;
  #running: Promise<void> | null = null;

  constructor(options: OrderFeedOptions) {
    this.#options = options;
  }

  /** Registers the order schema as `<topic>-value`, so the SQL engine can read the columns from it. */
  async register(): Promise<void> {
    const { registry, schemaFile, topic } = this.#options;
    const schema = loadSchemaFile(schemaFile);
    const parsed = parseSchema('AVRO', schema.text, []);
    const id = await registry.register(`${topic}-value`, { schemaType: 'AVRO', schema: schema.text });
    this.#encode = (value) => encodeWire(id, encodePayload(parsed, value).payload);
  }

  /** Starts producing in the background; the returned promise is the run's end. */
  start(): Promise<void> {
    this.#running ??= this.#run();
    return this.#running;
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running?.catch(() => undefined);
  }

  async #run(): Promise<void> {
    const { kafka, schemaFile, keyField, topic, rate, count, tally, logger } = this.#options;
    const encode = this.#encode;
    if (encode === null) throw new Error('OrderFeed.register() must succeed before start()');
    const generator = createRecordGenerator(loadSchemaFile(schemaFile), { seed: tally.tally.seed, keyField });
    skip(generator, tally.tally.produced);
    const producer: BatchingProducer = kafka.producer({ acks: -1, lingerMs: 0 });
    const pacer = new RatePacer(rate);
    const signal = this.#stop.signal;
    logger.info(
      { topic, rate, count, seed: tally.tally.seed, produced: tally.tally.produced },
      `producing orders to ${topic} at ${rate}/s`,
    );
    let loggedAt = Date.now();
    try {
      while (!signal.aborted) {
        const left = count === null ? CHUNK : Math.min(CHUNK, count - tally.tally.produced);
        if (left <= 0) {
          logger.info({ produced: tally.tally.produced }, `all ${count} orders produced; the demo idles`);
          await pause(null, signal);
          break;
        }
        const take = pacer.take(left);
        if (take === 0) {
          await pause(Math.min(100, Math.max(1, pacer.waitMs())), signal);
          continue;
        }
        const records: ProduceRecord[] = [];
        for (let index = 0; index < take; index++) {
          const order = generator.next();
          records.push({
            topic,
            key: order.key === null ? null : Buffer.from(order.key),
            value: encode(order.value),
          });
        }
        // Counted only once acknowledged: a restart resumes after what the broker holds.
        await producer.sendMany(records);
        tally.add(records.length);
        if (Date.now() - loggedAt >= PROGRESS_EVERY_MS) {
          loggedAt = Date.now();
          logger.info({ produced: tally.tally.produced }, `${tally.tally.produced} orders produced`);
        }
      }
    } finally {
      await producer.close();
    }
  }
}

/** Moves a seeded generator past the orders an earlier run produced. */
function skip(generator: RecordGenerator, orders: number): void {
  for (let index = 0; index < orders; index++) generator.next();
}

/** Waits `ms` (null: until aborted), or less when aborted. */
function pause(ms: number | null, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = ms === null ? null : setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      if (timer !== null) clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
