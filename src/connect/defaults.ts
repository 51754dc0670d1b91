// Defaults shared by the connect worker, its CLI commands and the supervisor.
export const DEFAULT_CONNECT_PORT = 8083;
/** Kafka Connect's group.id default in its distributed-mode examples. */
export const DEFAULT_CONNECT_GROUP = 'connect-cluster';
/** The storage topics of Kafka Connect's distributed mode, with its usual names. */
export const DEFAULT_CONFIG_TOPIC = 'connect-configs';
export const DEFAULT_OFFSET_TOPIC = 'connect-offsets';
export const DEFAULT_STATUS_TOPIC = 'connect-status';
/** The embedded PostgreSQL (the `postgres` component): a sink config without connection.url writes here. */
export const DEFAULT_POSTGRES_PORT = 5433;
export const DEFAULT_EMBEDDED_POSTGRES_URL = `postgres://postgres@127.0.0.1:${DEFAULT_POSTGRES_PORT}/postgres`;
/** A sink connector's consumer group, as Kafka Connect names it. */
export function sinkGroupId(connector: string): string {
  return `connect-${connector}`;
}
