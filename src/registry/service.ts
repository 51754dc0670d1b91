// Starts the schema registry: opens Kafka, rebuilds the state from `_schemas`, then serves HTTP.
import type { KafkaClientSettings } from '../client/index.js';
import { openKafka } from '../client/index.js';
import type { LogLevel } from '../config/settings.js';
import type { HttpClientConfig, HttpServerConfig } from '../config/http.js';
import { clientFetch } from '../service/http-client.js';
import { securityFor, serviceUrl } from '../service/http-security/index.js';
import {
  type RunningHttpService,
  createLogger,
  listenOrExplain,
  type HealthReport,
  type ListenSetting,
  type Logger,
} from '../service/index.js';
import { buildHttpServer } from './http/server.js';
import { Forwarder } from './http/forwarding.js';
import { redactUrl } from './redact.js';
import { SchemaRegistry } from './registry.js';
import { SchemaLog } from './store/schema-log.js';
import { RegistryState } from './store/state.js';

import { DEFAULT_REGISTRY_PORT, DEFAULT_SCHEMAS_TOPIC } from './defaults.js';

export { DEFAULT_REGISTRY_PORT, DEFAULT_SCHEMAS_TOPIC };

export type RegistryLogger = Logger;

export interface RegistryOptions {
  bootstrapServers: string;
  /** Security and internal topics' replication; default plaintext, replication from the cluster's size. */
  kafkaClient?: KafkaClientSettings;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  topic?: string;
  /** Makes this instance a follower: it serves reads and forwards writes to this primary. */
  primaryUrl?: string;
  bodyLimit?: number;
  /** How long to keep trying to reach Kafka on start. */
  startTimeoutMs?: number;
  /** How long a write may take before it is answered as of unknown outcome (50002). */
  writeTimeoutMs?: number;
  logger?: RegistryLogger;
  /** Which setting the port comes from, so that a port in use can be told how to change. */
  listenSetting?: ListenSetting;
  /** Authentication, TLS, Host and CORS checks (the `http` settings); open HTTP when left out. */
  http?: HttpServerConfig;
  /** How a follower reaches its primary (a CA to trust). */
  httpClient?: HttpClientConfig;
}

export interface RunningRegistry extends RunningHttpService {
  readonly registry: SchemaRegistry;
}

export function createRegistryLogger(level: LogLevel): RegistryLogger {
  return createLogger({ name: 'registry', level });
}

export async function startRegistry(options: RegistryOptions): Promise<RunningRegistry> {
  const logger = options.logger ?? createRegistryLogger('info');
  const host = options.host ?? '127.0.0.1';
  const topic = options.topic ?? DEFAULT_SCHEMAS_TOPIC;
  const startedAt = Date.now();
  const security = securityFor(options.http, host);
  const kafka = openKafka({
    ...options.kafkaClient,
    bootstrapServers: options.bootstrapServers,
    clientId: 'venice-registry',
  });
  const state = new RegistryState();
  const log = new SchemaLog(
    kafka,
    topic,
    (record) => state.apply(record),
    { warn: (message) => logger.warn(message), error: (message) => logger.error(message) },
    options.writeTimeoutMs,
  );
  try {
    await log.start(options.startTimeoutMs);
  } catch (error) {
    await log.stop();
    await kafka.close();
    throw error;
  }
  const registry = new SchemaRegistry(state, log);
  const role = options.primaryUrl ? 'follower' : 'primary';

  const health = (): HealthReport => ({
    status: log.lastError ? 'failing' : 'ok',
    component: 'registry',
    role,
    ...(options.primaryUrl ? { primary: redactUrl(options.primaryUrl) } : {}),
    kafka: options.bootstrapServers,
    topic,
    subjects: state.subjectNames().length,
    schemas: state.schemas.size,
    offset: Number(log.position),
    ...(log.lastError ? { error: log.lastError } : {}),
    uptimeMs: Date.now() - startedAt,
  });

  const app = await buildHttpServer({
    registry,
    health,
    forwarder: options.primaryUrl
      ? new Forwarder(options.primaryUrl, () => log.catchUp(), undefined, clientFetch(options.httpClient))
      : undefined,
    bodyLimit: options.bodyLimit,
    security,
  });
  const wantedPort = options.port ?? DEFAULT_REGISTRY_PORT;
  const setting = options.listenSetting ?? { setting: 'registry' };
  try {
    await listenOrExplain({ host, port: wantedPort, setting }, () => app.listen({ host, port: wantedPort }));
  } catch (error) {
    await app.close();
    await log.stop();
    await kafka.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : wantedPort;
  const url = serviceUrl(host, port, security.tls);
  logger.info(
    { url, topic, role, subjects: state.subjectNames().length },
    `schema registry listening on ${url}`,
  );

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    host,
    registry,
    health,
    stop: () =>
      (stopping ??= (async () => {
        await app.close();
        await log.stop();
        await kafka.close();
      })()),
  };
}
