// Defaults shared by the connect worker, its CLI commands and the supervisor.
import { DEFAULT_POSTGRES_PORT, embeddedPostgresUrl } from '../postgres/defaults.js';

export const DEFAULT_CONNECT_PORT = 8083;
/** Kafka Connect's group.id default in its distributed-mode examples. */
export const DEFAULT_CONNECT_GROUP = 'connect-cluster';
/** The storage topics of Kafka Connect's distributed mode, with its usual names. */
export const DEFAULT_CONFIG_TOPIC = 'connect-configs';
export const DEFAULT_OFFSET_TOPIC = 'connect-offsets';
export const DEFAULT_STATUS_TOPIC = 'connect-status';
/** Where a sink writes without connection.url when the worker is given no --postgres-url: the embedded PostgreSQL. */
export const DEFAULT_EMBEDDED_POSTGRES_URL = embeddedPostgresUrl('127.0.0.1', DEFAULT_POSTGRES_PORT);
/** A sink connector's consumer group, as Kafka Connect names it. */
export function sinkGroupId(connector: string): string {
  return `connect-${connector}`;
}
/**
 * How often a sink with topics.regex looks for new matching topics. Kafka's consumer does it every
 * metadata.max.age.ms (5 minutes); Venice checks every 30 s, and the connector's
 * consumer.override.metadata.max.age.ms sets it as in Kafka Connect.
 */
export const TOPICS_REGEX_REFRESH_KEY = 'consumer.override.metadata.max.age.ms';
export const TOPICS_REGEX_REFRESH_MS = 30_000;
