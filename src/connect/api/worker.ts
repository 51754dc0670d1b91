// The worker as the connect service (service.ts) starts it: a Herder plus its lifecycle.
import type { KafkaConnectionOptions } from '../../client/index.js';
import type { Logger } from '../../service/index.js';
import type { Herder } from './herder.js';

export interface ConnectWorkerOptions {
  readonly kafka: KafkaConnectionOptions;
  /** Used by the Avro, JSON Schema and Protobuf converters when a config gives no schema.registry.url. */
  readonly schemaRegistryUrl?: string;
  /** How to reach that registry: the worker's credentials and trusted CA. */
  readonly schemaRegistryFetch?: typeof fetch;
  /** Workers with the same group share connectors and tasks (Kafka Connect's group.id). */
  readonly groupId: string;
  /** This worker's id in statuses (`host:port` of its REST API, as Kafka Connect shows it). */
  readonly workerId: string;
  readonly configTopic: string;
  readonly offsetTopic: string;
  readonly statusTopic: string;
  /** Where a sink writes when its config has no connection.url: the embedded PostgreSQL, or --postgres-url. */
  readonly defaultPostgresUrl?: string;
  readonly logger: Logger;
}

export interface ConnectWorker extends Herder {
  /** Reads the storage topics (creating them when missing), joins the group and starts its share of the tasks. */
  start(): Promise<void>;
  /** Stops its tasks (sinks commit what they wrote), leaves the group. */
  stop(): Promise<void>;
  /** For GET /health: ok once started and the storage topics are readable. */
  health(): { ok: boolean; detail: Readonly<Record<string, unknown>> };
}
