// What a connector is to the worker. A connector plugin validates its config and splits the work into
// task configs; tasks do the work. Sink tasks receive converted records from the worker, which consumes
// them in the connector's consumer group and commits their offsets only after put() resolves. Source
// tasks return records from poll(); the worker converts and produces them, then stores their source
// offsets in connect-offsets.
import type { Logger } from '../../service/index.js';
import type { JsonObject, SinkRecord, SourceRecord } from './data.js';

/**
 * Set by the worker in every task config it starts (never stored): the database a connector uses when
 * its config gives no connection.url, i.e. the embedded PostgreSQL or the pipeline's --postgres-url.
 */
export const WORKER_DEFAULT_DATABASE_URL_KEY = 'venice.default.connection.url';

/** Connector and task configs are string maps, as in Kafka Connect's REST API. */
export type ConnectorConfig = Readonly<Record<string, string>>;

export type ConnectorType = 'sink' | 'source';

/** Kafka Connect's ConfigDef types, as /config/validate reports them. */
export type ConfigKeyType =
  'BOOLEAN' | 'STRING' | 'INT' | 'SHORT' | 'LONG' | 'DOUBLE' | 'LIST' | 'CLASS' | 'PASSWORD';

export interface ConfigKeyDefinition {
  readonly name: string;
  readonly type: ConfigKeyType;
  /** Left out: the key is required. */
  readonly defaultValue?: string;
  readonly importance: 'HIGH' | 'MEDIUM' | 'LOW';
  readonly documentation: string;
  readonly group?: string;
  readonly displayName?: string;
  /** The accepted values, when they are a fixed set (insert.mode: insert, upsert, update). */
  readonly recommendedValues?: readonly string[];
  /** Checks one value (present or defaulted); returns an error message, or null when it is fine. */
  validate?(value: string | undefined, config: ConnectorConfig): string | null;
}

/** Per-key messages from a whole-config check, for /config/validate. */
export type ConfigIssues = Readonly<Record<string, readonly string[]>>;

interface PluginBase {
  /** Kafka Connect's class name, e.g. `io.confluent.connect.jdbc.JdbcSinkConnector`. */
  readonly className: string;
  /** Other names a config may give in `connector.class`, e.g. `JdbcSinkConnector`, `PostgresSink`. */
  readonly aliases: readonly string[];
  readonly version: string;
  /** The plugin's own keys (the worker adds the common ones: name, connector.class, tasks.max, topics, converters, errors.*). */
  readonly configKeys: readonly ConfigKeyDefinition[];
  /** Checks across keys (pk.mode=record_value needs pk.fields, ...), beyond each key's own validate. */
  validate?(config: ConnectorConfig): ConfigIssues | Promise<ConfigIssues>;
  /** Splits the connector's work into at most maxTasks task configs (each a full config map). */
  taskConfigs(config: ConnectorConfig, maxTasks: number): ConnectorConfig[] | Promise<ConnectorConfig[]>;
}

export interface SinkConnectorPlugin extends PluginBase {
  readonly type: 'sink';
  createTask(): SinkTask;
}

export interface SourceConnectorPlugin extends PluginBase {
  readonly type: 'source';
  createTask(): SourceTask;
}

export type ConnectorPlugin = SinkConnectorPlugin | SourceConnectorPlugin;

interface TaskContextBase {
  readonly connector: string;
  readonly taskId: number;
  readonly logger: Logger;
}

export interface SinkTaskContext extends TaskContextBase {
  /**
   * Kafka Connect's errant record reporter: a record this task could not write. With
   * errors.tolerance=all the worker sends its original bytes to the dead letter queue (when one is
   * configured) with the error in context headers, logs it when errors.log.enable is set, and resolves;
   * the task then carries on without it. With errors.tolerance=none it rejects, and put() should throw.
   */
  reportFailedRecord(record: SinkRecord, error: Error): Promise<void>;
}

export interface SinkTask {
  start(config: ConnectorConfig, context: SinkTaskContext): Promise<void>;
  /**
   * Writes the records (one poll's worth, possibly from several partitions, in offset order within each).
   * When it resolves they are durable: the worker commits their offsets next. Throwing RetriableError
   * makes the worker call put() again with the same records after the error's delay; any other error
   * fails the task (its status shows the trace) until it is restarted.
   */
  put(records: readonly SinkRecord[]): Promise<void>;
  stop(): Promise<void>;
}

export interface SourceTaskContext extends TaskContextBase {
  /** The last stored offset of a source partition (from connect-offsets), or null when there is none. */
  offset(sourcePartition: JsonObject): Promise<JsonObject | null>;
}

export interface SourceTask {
  start(config: ConnectorConfig, context: SourceTaskContext): Promise<void>;
  /**
   * The next records, or none when nothing is ready yet. It may wait for data (about a second at most)
   * and must return soon after the signal aborts. Throwing RetriableError makes the worker poll again
   * after the delay; any other error fails the task.
   */
  poll(signal: AbortSignal): Promise<readonly SourceRecord[]>;
  stop(): Promise<void>;
}
