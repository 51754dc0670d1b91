// Starts the connect component: Kafka Connect's REST API first (the worker's id is the host:port it
// answers on, as Kafka Connect shows it, and the port may be picked by the system), then the worker,
// which reads its storage topics through src/client and resumes every stored connector. Until then
// GET /health answers 503 `starting` and the other routes 503.
import type { KafkaClientSettings } from '../client/index.js';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaClientError } from '../client/index.js';
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
import type { ConnectWorker, ConnectWorkerOptions } from './api/worker.js';
import {
  DEFAULT_CONFIG_TOPIC,
  DEFAULT_CONNECT_GROUP,
  DEFAULT_CONNECT_PORT,
  DEFAULT_OFFSET_TOPIC,
  DEFAULT_STATUS_TOPIC,
} from './defaults.js';
import { deferredHerder } from './rest/deferred-herder.js';
import { buildConnectRestServer } from './rest/server.js';

export type WorkerFactory = (options: ConnectWorkerOptions) => ConnectWorker | Promise<ConnectWorker>;

export interface ConnectServiceOptions {
  readonly bootstrapServers: string;
  /** Security and internal topics' replication; default plaintext, replication from the cluster's size. */
  readonly kafkaClient?: KafkaClientSettings;
  /** The schema registry the Avro, JSON Schema and Protobuf converters use by default. */
  readonly registryUrl?: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Kafka Connect's group.id: workers with the same one share connectors and tasks. */
  readonly groupId?: string;
  /** Where sinks write when their config has no connection.url. */
  readonly postgresUrl?: string;
  readonly configTopic?: string;
  readonly offsetTopic?: string;
  readonly statusTopic?: string;
  readonly logger?: Logger;
  /** Which setting the port comes from, so that a port in use can be told how to change. */
  readonly listenSetting?: ListenSetting;
  /** The worker to serve; by default the real one (worker/index.ts), loaded on start. */
  readonly createWorker?: WorkerFactory;
  /**
   * How long to keep retrying a Kafka that does not answer yet: `venice up` starts connect beside the
   * broker, so that loading the worker overlaps the broker's start.
   */
  readonly startTimeoutMs?: number;
  /** Authentication, TLS, Host and CORS checks (the `http` settings); open HTTP when left out. */
  readonly http?: HttpServerConfig;
  /** How the converters reach the worker's registry: its user and the CA it trusts. */
  readonly httpClient?: HttpClientConfig;
}

/** Pause between attempts to reach a Kafka that is still starting. */
const KAFKA_RETRY_MS = 100;

export interface RunningConnect extends RunningHttpService {
  readonly workerId: string;
  readonly worker: ConnectWorker;
}

export function createConnectLogger(level: LogLevel): Logger {
  return createLogger({ name: 'connect', level });
}

/** The real worker, imported only when the component starts (the CLI's other commands never load it). */
async function defaultWorkerFactory(options: ConnectWorkerOptions): Promise<ConnectWorker> {
  const { createWorker } = await import('./worker/index.js');
  return createWorker(options);
}

/** The id statuses show: host:port of the REST API; a wildcard address is replaced by the machine's name. */
function workerIdOf(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? os.hostname() : host;
  return `${name.includes(':') ? `[${name}]` : name}:${port}`;
}

export async function startConnect(options: ConnectServiceOptions): Promise<RunningConnect> {
  const logger = options.logger ?? createConnectLogger('info');
  const host = options.host ?? '127.0.0.1';
  const startedAt = Date.now();
  const security = securityFor(options.http, host);
  let worker: ConnectWorker | null = null;
  let workerId = '';

  const health = (): HealthReport => {
    const base = {
      component: 'connect',
      workerId,
      kafka: options.bootstrapServers,
      ...(options.registryUrl ? { schemaRegistry: options.registryUrl } : {}),
      uptimeMs: Date.now() - startedAt,
    };
    if (worker === null) return { status: 'starting', message: 'Worker is still starting up.', ...base };
    const { ok, detail } = worker.health();
    return {
      status: ok ? 'ok' : 'failing',
      message: ok
        ? 'Worker has completed startup and is ready to handle requests.'
        : 'Worker was unable to handle this request and may be unable to handle other requests.',
      ...base,
      worker: detail,
    };
  };

  const app = await buildConnectRestServer({
    herder: deferredHerder(() => worker),
    health: () => {
      const report = health();
      return { status: report.status === 'ok' ? 200 : 503, body: report };
    },
    logger,
    security,
  });
  const wantedPort = options.port ?? DEFAULT_CONNECT_PORT;
  const setting = options.listenSetting ?? { setting: 'connect' };
  const port = await listenOrExplain({ host, port: wantedPort, setting }, async () => {
    await app.listen({ host, port: wantedPort });
    const address = app.server.address();
    return typeof address === 'object' && address !== null ? address.port : wantedPort;
  }).catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  workerId = workerIdOf(host, port);
  const url = serviceUrl(host, port, security.tls);

  const workerOptions: ConnectWorkerOptions = {
    kafka: { ...options.kafkaClient, bootstrapServers: options.bootstrapServers, clientId: 'venice-connect' },
    schemaRegistryUrl: options.registryUrl,
    ...(options.httpClient ? { schemaRegistryFetch: clientFetch(options.httpClient) } : {}),
    groupId: options.groupId ?? DEFAULT_CONNECT_GROUP,
    workerId,
    configTopic: options.configTopic ?? DEFAULT_CONFIG_TOPIC,
    offsetTopic: options.offsetTopic ?? DEFAULT_OFFSET_TOPIC,
    statusTopic: options.statusTopic ?? DEFAULT_STATUS_TOPIC,
    defaultPostgresUrl: options.postgresUrl,
    logger,
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  let created: ConnectWorker;
  for (;;) {
    let attempt: ConnectWorker | undefined;
    try {
      attempt = await (options.createWorker ?? defaultWorkerFactory)(workerOptions);
      await attempt.start();
      created = attempt;
      break;
    } catch (error) {
      await attempt?.stop().catch(() => {});
      // A Kafka that is not up yet (the broker starting beside us) is waited for; anything else fails the start.
      const kafkaStarting =
        error instanceof KafkaClientError && error.kind === 'unreachable' && Date.now() < deadline;
      if (!kafkaStarting) {
        await app.close();
        throw error;
      }
      await sleep(KAFKA_RETRY_MS);
    }
  }
  worker = created;
  logger.info({ url, workerId }, `connect worker (Kafka Connect REST API) listening on ${url}`);

  let stopping: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    workerId,
    worker: created,
    health,
    stop: () =>
      (stopping ??= (async () => {
        // The worker first: its sinks commit what they wrote while the API still answers status calls.
        await created.stop();
        await app.close();
      })()),
  };
}
