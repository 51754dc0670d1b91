// Starts the console: a Kafka client (src/client), a registry-backed decoder (src/serdes), and the
// HTTP server with the JSON API and the built UI on one port (9000 by default).
import type { KafkaClientSettings } from '../client/index.js';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openKafka } from '../client/index.js';
import type { LogLevel } from '../config/settings.js';
import type { HttpClientConfig, HttpServerConfig } from '../config/http.js';
import { clientFetch } from '../service/http-client.js';
import { securityFor, serviceUrl } from '../service/http-security/index.js';
import { SchemaRegistryClient, Serdes } from '../serdes/index.js';
import {
  type RunningHttpService,
  createLogger,
  listenOrExplain,
  type HealthReport,
  type ListenSetting,
  type Logger,
} from '../service/index.js';
import type { ComponentUrls, StatusSource } from './api/context.js';
import { RecordDecoder } from './decode.js';
import { DEFAULT_CONSOLE_PORT } from './defaults.js';
import { buildConsoleServer } from './server.js';

export { DEFAULT_CONSOLE_PORT };

export interface ConsoleOptions {
  bootstrapServers: string;
  /** Security; default plaintext. */
  kafkaClient?: KafkaClientSettings;
  /** Base URLs of the schema registry, the SQL engine and the connect worker; null leaves one out. */
  urls: ComponentUrls;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The supervisor's status report, for the overview's component health; without it each is probed. */
  status?: StatusSource;
  /** The built UI; by default dist/console-ui of this installation. */
  uiDir?: string;
  logger?: Logger;
  listenSetting?: ListenSetting;
  /** Authentication, TLS, Host and CORS checks (the `http` settings); open HTTP when left out. */
  http?: HttpServerConfig;
  /** How the console reaches the registry, the SQL engine and the worker: its user, the CA it trusts. */
  httpClient?: HttpClientConfig;
}

export type RunningConsole = RunningHttpService;

export function createConsoleLogger(level: LogLevel): Logger {
  return createLogger({ name: 'console', level });
}

/**
 * Where `npm run build` puts the UI: dist/console-ui. From the compiled dist/console/service.js that is
 * ../console-ui; from src/console/service.ts (tests run the sources) ../../dist/console-ui.
 */
export function defaultUiDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const besideCompiled = path.resolve(here, '../console-ui');
  return fs.existsSync(besideCompiled) ? besideCompiled : path.resolve(here, '../../dist/console-ui');
}

export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const logger = options.logger ?? createConsoleLogger('info');
  const host = options.host ?? '127.0.0.1';
  const startedAt = Date.now();
  const uiDir = options.uiDir ?? defaultUiDir();
  const security = securityFor(options.http, host);
  const componentFetch = clientFetch(options.httpClient);
  const kafka = openKafka({
    ...options.kafkaClient,
    bootstrapServers: options.bootstrapServers,
    clientId: 'venice-console',
  });
  const serdes = options.urls.registry
    ? new Serdes(new SchemaRegistryClient({ url: options.urls.registry, fetch: componentFetch }))
    : null;
  const uiBuilt = fs.existsSync(path.join(uiDir, 'index.html'));
  if (!uiBuilt)
    logger.warn({ uiDir }, 'the console UI is not built (npm run build): only the JSON API is served');

  const health = (): HealthReport => ({
    status: 'ok',
    component: 'console',
    kafka: options.bootstrapServers,
    registry: options.urls.registry,
    sql: options.urls.sql,
    connect: options.urls.connect,
    ui: uiBuilt ? uiDir : null,
    uptimeMs: Date.now() - startedAt,
  });

  const app = await buildConsoleServer({
    context: {
      kafka,
      bootstrapServers: options.bootstrapServers,
      decoder: new RecordDecoder(serdes),
      serdes,
      urls: options.urls,
      status: options.status ?? null,
      fetch: componentFetch,
    },
    health,
    uiDir,
    security,
  });
  const wantedPort = options.port ?? DEFAULT_CONSOLE_PORT;
  const setting = options.listenSetting ?? { setting: 'console' };
  let port: number;
  try {
    port = await listenOrExplain({ host, port: wantedPort, setting }, async () => {
      await app.listen({ host, port: wantedPort });
      const address = app.server.address();
      return typeof address === 'object' && address !== null ? address.port : wantedPort;
    });
  } catch (error) {
    await app.close();
    await kafka.close();
    throw error;
  }
  const url = serviceUrl(host, port, security.tls);
  logger.info({ url }, `console listening on ${url}`);

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    host,
    health,
    stop: () =>
      (stopping ??= (async () => {
        await app.close();
        await kafka.close();
      })()),
  };
}
