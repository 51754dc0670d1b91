// The demo component: sets the pipeline up (order schema, SQL files, connectors), says it is ready, then
// feeds orders until stopped. Everything it does is safe to do again, so a restart of `venice up`
// (or of the demo alone) neither duplicates queries or connectors nor resends orders.
import { openKafka, type KafkaClientSettings } from '../client/index.js';
import { SchemaRegistryClient } from '../serdes/index.js';
import type { Logger, StoppableService } from '../service/index.js';
import { applyConnectorFiles } from './apply-connectors.js';
import { applySqlFiles } from './apply-sql.js';
import { findDemoFiles } from './files.js';
import { OrderFeed } from './order-feed.js';
import { clearReady, markReady } from './ready-marker.js';
import { TallyStore } from './tally.js';

export const ORDERS_TOPIC = 'orders';
export const ORDER_KEY_FIELD = 'order_id';

export interface DemoOptions {
  /** The project folder: its sql/, connectors/ and schemas/order.avsc, else the template's. */
  projectDir: string;
  /** The demo's own folder (tally, ready marker). */
  dataDir: string;
  bootstrapServers: string;
  registryUrl: string;
  sqlUrl: string;
  connectUrl: string;
  rate: number;
  count: number | null;
  seed: string | null;
  logger: Logger;
  /** How to reach Kafka beyond its address (the kafka.* settings: SASL, TLS). */
  kafkaClient?: KafkaClientSettings;
  /** The fetch for the registry, sql and connect: it sends the configured HTTP user. */
  fetch?: typeof fetch;
}

export interface RunningDemo extends StoppableService {
  /** Ends when the feed fails (the process then exits for the supervisor to restart it). */
  readonly feeding: Promise<void>;
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const { logger } = options;
  clearReady(options.dataDir);
  const files = findDemoFiles(options.projectDir);
  const tally = new TallyStore(options.dataDir, options.seed);
  const kafka = openKafka({
    ...options.kafkaClient,
    bootstrapServers: options.bootstrapServers,
    clientId: 'venice-demo',
  });
  const http = options.fetch === undefined ? {} : { fetch: options.fetch };
  const feed = new OrderFeed({
    kafka,
    registry: new SchemaRegistryClient({ url: options.registryUrl, timeoutMs: 30_000, ...http }),
    schemaFile: files.orderSchemaFile,
    topic: ORDERS_TOPIC,
    keyField: ORDER_KEY_FIELD,
    rate: options.rate,
    count: options.count,
    tally,
    logger,
  });
  try {
    logger.info({ dir: files.dir }, `setting the pipeline up from ${files.dir}`);
    await feed.register();
    await applySqlFiles(options.sqlUrl, files.sqlFiles, logger, http);
    await applyConnectorFiles(options.connectUrl, files.connectorFiles, logger, http);
  } catch (error) {
    await kafka.close();
    throw error;
  }
  markReady(options.dataDir);
  const feeding = feed.start();
  return {
    feeding,
    async stop() {
      clearReady(options.dataDir);
      await feed.stop();
      tally.save();
      await kafka.close();
    },
  };
}
