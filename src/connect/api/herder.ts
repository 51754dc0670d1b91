// The worker's control surface, which the REST API serves. Shapes and field names are Kafka Connect's
// REST API responses, so the routes send them as they are. Refusals throw ConnectRestError (errors.ts):
// 404 for an unknown connector or task, 409 when a connector exists or the cluster is rebalancing, 400
// for a bad config (with the /config/validate messages in the text).
import type { ConnectorConfig, ConnectorType, ConfigKeyType } from './plugin.js';

export type ConnectorStateName = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING';

export interface TaskId {
  readonly connector: string;
  readonly task: number;
}

/** GET /connectors/{name} */
export interface ConnectorInfo {
  readonly name: string;
  readonly config: ConnectorConfig;
  readonly tasks: readonly TaskId[];
  readonly type: ConnectorType;
}

/** GET /connectors/{name}/tasks/{id}/status, and an entry of the status's `tasks`. */
export interface TaskState {
  readonly id: number;
  readonly state: ConnectorStateName;
  readonly worker_id: string;
  /** The failure's stack trace (FAILED only). */
  readonly trace?: string;
}

/** GET /connectors/{name}/status */
export interface ConnectorStateInfo {
  readonly name: string;
  readonly connector: {
    readonly state: ConnectorStateName;
    readonly worker_id: string;
    readonly trace?: string;
  };
  readonly tasks: readonly TaskState[];
  readonly type: ConnectorType;
}

/** GET /connectors/{name}/tasks: each task's id and config. */
export interface TaskInfo {
  readonly id: TaskId;
  readonly config: ConnectorConfig;
}

/** GET /connectors/{name}/offsets (KIP-875). Sinks: partition {kafka_topic, kafka_partition}, offset {kafka_offset}. */
export interface ConnectorOffsets {
  readonly offsets: readonly {
    readonly partition: Readonly<Record<string, unknown>>;
    readonly offset: Readonly<Record<string, unknown>> | null;
  }[];
}

/** GET /connector-plugins entries. */
export interface PluginInfo {
  readonly class: string;
  readonly type: ConnectorType | 'converter';
  readonly version: string;
}

/** PUT /connector-plugins/{plugin}/config/validate: Kafka Connect's ConfigInfos. */
export interface ConfigInfos {
  readonly name: string;
  readonly error_count: number;
  readonly groups: readonly string[];
  readonly configs: readonly {
    readonly definition: {
      readonly name: string;
      readonly type: ConfigKeyType;
      readonly required: boolean;
      readonly default_value: string | null;
      readonly importance: 'HIGH' | 'MEDIUM' | 'LOW';
      readonly documentation: string;
      readonly group: string | null;
      readonly order: number;
      readonly width: 'NONE' | 'SHORT' | 'MEDIUM' | 'LONG';
      readonly display_name: string;
      readonly dependents: readonly string[];
    };
    readonly value: {
      readonly name: string;
      readonly value: string | null;
      readonly recommended_values: readonly string[];
      readonly errors: readonly string[];
      readonly visible: boolean;
    };
  }[];
}

/** GET / */
export interface WorkerInfo {
  readonly version: string;
  readonly commit: string;
  readonly kafka_cluster_id: string;
}

export interface RestartOptions {
  readonly includeTasks: boolean;
  readonly onlyFailed: boolean;
}

export interface Herder {
  readonly workerId: string;
  workerInfo(): Promise<WorkerInfo>;
  listConnectors(): Promise<string[]>;
  connectorInfo(name: string): Promise<ConnectorInfo>;
  connectorConfig(name: string): Promise<ConnectorConfig>;
  connectorStatus(name: string): Promise<ConnectorStateInfo>;
  /**
   * Creates (POST /connectors, replace=false: 409 when it exists) or creates-or-replaces (PUT
   * /connectors/{name}/config). The config is validated first; a bad one is refused with 400.
   */
  putConnectorConfig(
    name: string,
    config: ConnectorConfig,
    replace: boolean,
  ): Promise<{ created: boolean; info: ConnectorInfo }>;
  /** PATCH /connectors/{name}/config: null removes a key. */
  patchConnectorConfig(name: string, patch: Readonly<Record<string, string | null>>): Promise<ConnectorInfo>;
  deleteConnector(name: string): Promise<void>;
  pauseConnector(name: string): Promise<void>;
  resumeConnector(name: string): Promise<void>;
  /** PUT /connectors/{name}/stop: tasks shut down, config kept; needed before altering offsets. */
  stopConnector(name: string): Promise<void>;
  /**
   * POST /connectors/{name}/restart. Without includeTasks/onlyFailed only the connector restarts (null:
   * the route answers 204); otherwise the status right after the restart was requested (route answers 202).
   */
  restartConnector(name: string, options: RestartOptions): Promise<ConnectorStateInfo | null>;
  taskConfigs(name: string): Promise<TaskInfo[]>;
  taskStatus(name: string, task: number): Promise<TaskState>;
  restartTask(name: string, task: number): Promise<void>;
  /** GET /connectors/{name}/topics: the topics it has used since the last reset. */
  activeTopics(name: string): Promise<string[]>;
  /** PUT /connectors/{name}/topics/reset */
  resetActiveTopics(name: string): Promise<void>;
  offsets(name: string): Promise<ConnectorOffsets>;
  /** PATCH /connectors/{name}/offsets; the connector must be STOPPED (else 400). */
  alterOffsets(name: string, offsets: ConnectorOffsets): Promise<void>;
  /** DELETE /connectors/{name}/offsets; the connector must be STOPPED (else 400). */
  resetOffsets(name: string): Promise<void>;
  /** GET /connector-plugins (connectorsOnly=false adds the converters). */
  plugins(connectorsOnly: boolean): PluginInfo[];
  /** PUT /connector-plugins/{plugin}/config/validate */
  validateConfig(plugin: string, config: ConnectorConfig): Promise<ConfigInfos>;
}
