// Starts the sql component: the engine (which reaches Kafka only through src/client and replays its
// command topic), then ksqlDB's REST API on one port (HTTP/1.1 and cleartext HTTP/2), with GET /health
// for the supervisor on the same port.
import type { KafkaClientSettings } from '../client/index.js';
import path from 'node:path';
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
import type { SqlEngine, SqlEngineOptions } from './engine/api.js';
import { createDualProtocolListener } from './server/listener.js';
import { buildSqlHttpServer } from './server/server.js';
import { maybeCreateProcessingLogStream } from './server/processing-log-stream.js';
import { processingLogTopic } from './runtime/processing-log.js';

import { DEFAULT_SERVICE_ID, DEFAULT_SQL_PORT } from './defaults.js';

export { DEFAULT_SERVICE_ID, DEFAULT_SQL_PORT };

export type EngineFactory = (options: SqlEngineOptions) => SqlEngine | Promise<SqlEngine>;

export interface SqlServiceOptions {
  readonly bootstrapServers: string;
  /** Security and internal topics' replication; default plaintext, replication from the cluster's size. */
  readonly kafkaClient?: KafkaClientSettings;
  readonly schemaRegistryUrl?: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** The component's own folder: state stores live below it. */
  readonly dataDir: string;
  readonly serviceId?: string;
  /** Server-wide ksql.* properties. */
  readonly properties?: Readonly<Record<string, string>>;
  readonly logger?: Logger;
  /** Which setting the port comes from, so that a port in use can be told how to change. */
  readonly listenSetting?: ListenSetting;
  /** The engine to serve; by default the real one (engine/index.ts), loaded on start. */
  readonly createEngine?: EngineFactory;
  /** Authentication, TLS, Host and CORS checks (the `http` settings); open HTTP when left out. */
  readonly http?: HttpServerConfig;
  /** How the engine reaches the schema registry: its user and the CA it trusts. */
  readonly httpClient?: HttpClientConfig;
}

export interface RunningSql extends RunningHttpService {
  readonly engine: SqlEngine;
}

export function createSqlLogger(level: LogLevel): Logger {
  return createLogger({ name: 'sql', level });
}

/** The real engine, imported only when the component starts (the CLI's other commands never load it). */
async function defaultEngineFactory(options: SqlEngineOptions): Promise<SqlEngine> {
  const { createSqlEngine } = await import('./engine/index.js');
  return createSqlEngine(options);
}

export async function startSql(options: SqlServiceOptions): Promise<RunningSql> {
  const logger = options.logger ?? createSqlLogger('info');
  const host = options.host ?? '127.0.0.1';
  const startedAt = Date.now();
  const security = securityFor(options.http, host);
  const engine = await (options.createEngine ?? defaultEngineFactory)({
    kafka: { ...options.kafkaClient, bootstrapServers: options.bootstrapServers, clientId: 'venice-sql' },
    schemaRegistryUrl: options.schemaRegistryUrl,
    ...(options.httpClient ? { registryFetch: clientFetch(options.httpClient) } : {}),
    serviceId: options.serviceId ?? DEFAULT_SERVICE_ID,
    stateDir: path.join(options.dataDir, 'state'),
    logger,
    properties: options.properties,
  });
  try {
    await engine.start();
  } catch (error) {
    await engine.stop().catch(() => {});
    throw error;
  }
  await maybeCreateProcessingLogStream(engine, options.properties ?? {}, logger);

  const health = (): HealthReport => {
    const { ok, detail } = engine.health();
    return {
      status: ok ? 'ok' : 'failing',
      component: 'sql',
      serviceId: engine.serviceId,
      kafka: options.bootstrapServers,
      ...(options.schemaRegistryUrl ? { schemaRegistry: options.schemaRegistryUrl } : {}),
      openQueries: server.openQueries.size,
      engine: detail,
      uptimeMs: Date.now() - startedAt,
    };
  };

  const { listener, serverFactory } = createDualProtocolListener(undefined, security.tls);
  const server = await buildSqlHttpServer(
    {
      engine,
      logger,
      health,
      info: { processingLogTopic: processingLogTopic(engine.serviceId, options.properties) },
      security,
    },
    serverFactory,
  );
  await server.app.ready();
  const wantedPort = options.port ?? DEFAULT_SQL_PORT;
  const setting = options.listenSetting ?? { setting: 'sql' };
  let port: number;
  try {
    port = await listenOrExplain({ host, port: wantedPort, setting }, () =>
      listener.listen(host, wantedPort),
    );
  } catch (error) {
    await server.app.close();
    await engine.stop().catch(() => {});
    throw error;
  }
  const url = serviceUrl(host, port, security.tls);
  logger.info({ url, serviceId: engine.serviceId }, `sql engine (ksqlDB REST API) listening on ${url}`);

  let stopping: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    engine,
    health,
    stop: () =>
      (stopping ??= (async () => {
        // Push queries first, so that their responses end and the connections can close.
        await server.openQueries.closeAll();
        await listener.close();
        await server.app.close();
        await engine.stop();
      })()),
  };
}
