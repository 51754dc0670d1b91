// The PostgreSQL sink, under the JDBC sink's class name so Kafka Connect configs paste unchanged: topics
// to tables, with insert, upsert or update, deletes from tombstones, auto.create and auto.evolve, and
// schemaless JSON and nested data (JSONB) besides what the JDBC sink writes.
//
// Task config keys: the JDBC sink's (config.ts), and `venice.default.connection.url`, which the worker
// sets to its default PostgreSQL (the embedded one, or --postgres-url) for configs without connection.url.
import type { ConnectorConfig, SinkConnectorPlugin } from '../../api/plugin.js';
import { checkSinkConfig, SINK_CONFIG_KEYS } from './config.js';
import { PostgresSinkTask } from './task.js';

export { DEFAULT_CONNECTION_URL_KEY } from './config.js';

export const postgresSinkPlugin: SinkConnectorPlugin = {
  type: 'sink',
  className: 'io.confluent.connect.jdbc.JdbcSinkConnector',
  aliases: ['JdbcSinkConnector', 'PostgresSinkConnector', 'venice.PostgresSink', 'PostgresSink'],
  version: '10.7.0-venice',
  configKeys: SINK_CONFIG_KEYS,
  validate: (config: ConnectorConfig) => checkSinkConfig(config),
  // Every task takes the whole config: the worker shares the topics' partitions among them.
  taskConfigs: (config: ConnectorConfig, maxTasks: number) =>
    Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...config })),
  createTask: () => new PostgresSinkTask(),
};
