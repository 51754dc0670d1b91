// The connect worker: the Herder over the storage topics, plus its share of the tasks (runtime.ts).
// Every change goes through connect-configs, so every worker of the group sees it: the worker that
// takes a REST call writes the record, and the workers that own the connector or its tasks act on it
// when they read it (at once for their own writes, within a second for the others').
import { openKafka, type Kafka } from '../../client/index.js';
import type { ConverterEnvironment } from '../api/converter.js';
import { ConnectRestError } from '../api/errors.js';
import type {
  ConfigInfos,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  PluginInfo,
  RestartOptions,
  TaskInfo,
  TaskState,
  WorkerInfo,
} from '../api/herder.js';
import type { ConnectorConfig, ConnectorType } from '../api/plugin.js';
import type { ConnectWorker, ConnectWorkerOptions } from '../api/worker.js';
import { CONVERTER_PLUGINS } from '../converters/index.js';
import { CONNECTOR_PLUGINS, findConnectorPlugin } from '../plugins/index.js';
import { ConfigStore, parseRestartRequest, type StoredConnector } from './config-store.js';
import { OffsetStore } from './offset-store.js';
import { makeTaskConfigs, WorkerRuntime } from './runtime.js';
import {
  alterSinkOffsets,
  resetSinkOffsets,
  sinkOffsets,
  parseSinkOffsets,
  parseSourceOffsets,
} from './offsets-api.js';
import { StatusStore } from './status-store.js';
import { StorageTopic } from './storage-topic.js';
import { invalidConfigError, resolvePlugin, validateConnectorConfig } from './validation.js';
import { WorkerGroup } from './worker-group.js';
import { veniceVersion } from './worker-version.js';

/** Settings tests turn down; Kafka Connect's defaults otherwise. */
export interface WorkerTuning {
  /** How long the group waits for a silent worker before its tasks move (Kafka Connect: 10 s). */
  readonly sessionTimeoutMs?: number;
  /** How often the worker reads the config and status topics for other workers' changes (default 1 s). */
  readonly refreshMs?: number;
}

/** Kafka Connect's partition counts for its storage topics (offset.storage.partitions, status.storage.partitions). */
const OFFSET_PARTITIONS = 25;
const STATUS_PARTITIONS = 5;

export function createWorker(options: ConnectWorkerOptions, tuning: WorkerTuning = {}): ConnectWorker {
  return new Worker(options, tuning);
}

class Worker implements ConnectWorker {
  readonly workerId: string;
  readonly #options: ConnectWorkerOptions;
  readonly #tuning: WorkerTuning;
  readonly #kafka: Kafka;
  readonly #configTopic: StorageTopic;
  readonly #statusTopic: StorageTopic;
  readonly #offsetTopic: StorageTopic;
  readonly #configs: ConfigStore;
  readonly #statuses: StatusStore;
  readonly #offsets: OffsetStore;
  readonly #environment: ConverterEnvironment;
  readonly #runtime: WorkerRuntime;
  readonly #group: WorkerGroup;
  #timer: NodeJS.Timeout | undefined;
  #started = false;
  #refreshing = false;
  #lastError: string | null = null;

  constructor(options: ConnectWorkerOptions, tuning: WorkerTuning) {
    this.workerId = options.workerId;
    this.#options = options;
    this.#tuning = tuning;
    this.#kafka = openKafka({ clientId: `connect-${options.workerId}`, ...options.kafka });
    this.#configTopic = new StorageTopic(this.#kafka, { name: options.configTopic, partitions: 1 });
    this.#statusTopic = new StorageTopic(this.#kafka, {
      name: options.statusTopic,
      partitions: STATUS_PARTITIONS,
    });
    this.#offsetTopic = new StorageTopic(this.#kafka, {
      name: options.offsetTopic,
      partitions: OFFSET_PARTITIONS,
    });
    this.#configs = new ConfigStore(this.#configTopic);
    this.#statuses = new StatusStore(this.#statusTopic);
    this.#offsets = new OffsetStore(this.#offsetTopic);
    this.#environment = options.schemaRegistryUrl
      ? {
          schemaRegistryUrl: options.schemaRegistryUrl,
          ...(options.schemaRegistryFetch ? { schemaRegistryFetch: options.schemaRegistryFetch } : {}),
        }
      : {};
    this.#runtime = new WorkerRuntime({
      kafka: this.#kafka,
      workerId: options.workerId,
      logger: options.logger,
      converterEnvironment: this.#environment,
      configs: this.#configs,
      statuses: this.#statuses,
      offsets: this.#offsets,
      defaultDatabaseUrl: options.defaultPostgresUrl,
      generation: () => this.#group.generation,
    });
    this.#group = new WorkerGroup({
      kafka: options.kafka,
      groupId: options.groupId,
      topic: options.configTopic,
      workerId: options.workerId,
      sessionTimeoutMs: tuning.sessionTimeoutMs ?? 10_000,
      logger: options.logger,
    });
  }

  async start(): Promise<void> {
    for (const topic of [this.#configTopic, this.#statusTopic, this.#offsetTopic]) await topic.ensure();
    await Promise.all([this.#configTopic.sync(), this.#statusTopic.sync(), this.#offsetTopic.sync()]);
    // From here on, every config change (ours or another worker's) brings the tasks in line.
    this.#configTopic.onChange((changes) => {
      for (const { key, value } of changes) {
        const request = parseRestartRequest(key, value);
        if (request) void this.#runtime.restart(request);
      }
      void this.#runtime.reconcile();
    });
    this.#statusTopic.onChange(() => void this.#runtime.reassertStatuses());
    this.#group.onChange((workers) => void this.#runtime.setWorkers(workers));
    await this.#group.start();
    this.#timer = setInterval(() => void this.#refresh(), this.#tuning.refreshMs ?? 1_000);
    this.#started = true;
    await this.#runtime.setWorkers(this.#group.workers);
    this.#options.logger.info(
      { workerId: this.workerId, connectors: this.#configs.connectors().size },
      'connect worker started',
    );
  }

  async #refresh(): Promise<void> {
    // A slow broker must not pile reads up behind each other.
    if (this.#refreshing) return;
    this.#refreshing = true;
    try {
      await Promise.all([this.#configTopic.sync(), this.#statusTopic.sync()]);
      this.#lastError = null;
    } catch (error) {
      this.#lastError = (error as Error).message;
      this.#options.logger.warn({ err: error }, 'could not read the connect storage topics');
    } finally {
      this.#refreshing = false;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#started = false;
    await this.#runtime.close();
    await this.#group.stop();
    await this.#kafka.close();
  }

  health(): { ok: boolean; detail: Readonly<Record<string, unknown>> } {
    return {
      ok: this.#started && this.#lastError === null,
      detail: {
        workerId: this.workerId,
        started: this.#started,
        workers: this.#group.workers,
        ...(this.#lastError ? { error: this.#lastError } : {}),
      },
    };
  }

  workerInfo(): Promise<WorkerInfo> {
    // The Kafka client does not expose the cluster id; Kafka Connect's field is kept, empty.
    return Promise.resolve({ version: veniceVersion(), commit: '', kafka_cluster_id: '' });
  }

  async listConnectors(): Promise<string[]> {
    await this.#configTopic.sync();
    return [...this.#configs.connectors().keys()];
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    const connector = await this.#existing(name);
    return this.#info(connector);
  }

  async connectorConfig(name: string): Promise<ConnectorConfig> {
    return (await this.#existing(name)).config;
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const connector = await this.#existing(name);
    await this.#statusTopic.sync();
    const stored = this.#statuses.connector(name);
    return {
      name,
      connector: {
        state: stored?.state ?? 'UNASSIGNED',
        worker_id: stored?.worker_id ?? '',
        ...(stored?.trace ? { trace: stored.trace } : {}),
      },
      tasks: connector.tasks.map((_, task) => this.#taskState(name, task)),
      type: typeOf(connector.config),
    };
  }

  async putConnectorConfig(
    name: string,
    config: ConnectorConfig,
    replace: boolean,
  ): Promise<{ created: boolean; info: ConnectorInfo }> {
    checkName(name);
    if (config.name !== undefined && config.name !== name)
      throw new ConnectRestError(
        400,
        `Connector name configuration (${config.name}) doesn't match connector name in the URL (${name})`,
      );
    const full: ConnectorConfig = { ...config, name };
    const plugin = resolvePlugin(full['connector.class']);
    const infos = await validateConnectorConfig(plugin, full, this.#environment);
    if (infos.error_count > 0) throw invalidConfigError(infos);
    await this.#configTopic.sync();
    const existing = this.#configs.connector(name);
    if (existing && !replace) throw new ConnectRestError(409, `Connector ${name} already exists`);
    const targetState = existing?.targetState ?? 'STARTED';
    let tasks: ConnectorConfig[] = [];
    if (targetState !== 'STOPPED') {
      try {
        tasks = await makeTaskConfigs(full);
      } catch (error) {
        throw new ConnectRestError(
          400,
          `connector ${name} could not make its task configs: ${(error as Error).message}`,
        );
      }
    }
    await this.#configs.putConnector(name, full, targetState, tasks);
    if (existing) await this.#statuses.removeTasks(name, tasks.length, existing.tasks.length);
    const stored = this.#configs.connector(name);
    if (!stored) throw new ConnectRestError(500, `connector ${name} was written but cannot be read back`);
    return { created: !existing, info: this.#info(stored) };
  }

  async patchConnectorConfig(
    name: string,
    patch: Readonly<Record<string, string | null>>,
  ): Promise<ConnectorInfo> {
    const existing = await this.#existing(name);
    const merged: Record<string, string> = { ...existing.config };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    return (await this.putConnectorConfig(name, merged, true)).info;
  }

  async deleteConnector(name: string): Promise<void> {
    const existing = await this.#existing(name);
    await this.#configs.remove(name, existing.tasks.length);
    // Our own tasks are stopped before their statuses go, so none comes back.
    await this.#runtime.reconcile();
    await this.#statuses.remove(name, existing.tasks.length, true);
  }

  async pauseConnector(name: string): Promise<void> {
    const existing = await this.#existing(name);
    if (existing.targetState === 'STOPPED')
      throw new ConnectRestError(409, `connector ${name} is stopped: resume it before pausing it`);
    await this.#configs.putTargetState(name, 'PAUSED');
  }

  async resumeConnector(name: string): Promise<void> {
    const existing = await this.#existing(name);
    // A stopped connector has no tasks: resuming makes them anew, as Kafka Connect does.
    const tasks = existing.targetState === 'STOPPED' ? await makeTaskConfigs(existing.config) : undefined;
    await this.#configs.putTargetState(name, 'STARTED', tasks);
  }

  async stopConnector(name: string): Promise<void> {
    const existing = await this.#existing(name);
    await this.#configs.putTargetState(name, 'STOPPED', []);
    await this.#runtime.reconcile();
    await this.#statuses.removeTasks(name, 0, existing.tasks.length);
  }

  async restartConnector(name: string, options: RestartOptions): Promise<ConnectorStateInfo | null> {
    const before = await this.connectorStatus(name);
    await this.#configs.requestRestart({ kind: 'connector', connector: name, ...options });
    if (!options.includeTasks && !options.onlyFailed) return null;
    const restartsConnector = !options.onlyFailed || before.connector.state === 'FAILED';
    return {
      ...before,
      connector: restartsConnector ? { ...before.connector, state: 'RESTARTING' } : before.connector,
      tasks: before.tasks.map((task) =>
        options.includeTasks && (!options.onlyFailed || task.state === 'FAILED')
          ? { ...task, state: 'RESTARTING' }
          : task,
      ),
    };
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    const connector = await this.#existing(name);
    return connector.tasks.map((config, task) => ({ id: { connector: name, task }, config }));
  }

  async taskStatus(name: string, task: number): Promise<TaskState> {
    const connector = await this.#existing(name);
    if (!Number.isInteger(task) || task < 0 || task >= connector.tasks.length)
      throw new ConnectRestError(404, `Task ${name}-${task} not found`);
    await this.#statusTopic.sync();
    return this.#taskState(name, task);
  }

  async restartTask(name: string, task: number): Promise<void> {
    const connector = await this.#existing(name);
    if (!Number.isInteger(task) || task < 0 || task >= connector.tasks.length)
      throw new ConnectRestError(404, `Task ${name}-${task} not found`);
    await this.#configs.requestRestart({ kind: 'task', connector: name, task });
  }

  async activeTopics(name: string): Promise<string[]> {
    await this.#existing(name);
    await this.#statusTopic.sync();
    return this.#statuses.activeTopics(name);
  }

  async resetActiveTopics(name: string): Promise<void> {
    await this.#existing(name);
    await this.#statusTopic.sync();
    await this.#statuses.resetActiveTopics(name);
  }

  async offsets(name: string): Promise<ConnectorOffsets> {
    const connector = await this.#existing(name);
    if (typeOf(connector.config) === 'sink') return sinkOffsets(this.#kafka, name);
    const entries = await this.#offsets.offsets(name);
    return { offsets: entries.map(({ partition, offset }) => ({ partition, offset })) };
  }

  async alterOffsets(name: string, offsets: ConnectorOffsets): Promise<void> {
    const connector = await this.#stopped(name);
    if (typeOf(connector.config) === 'sink')
      await alterSinkOffsets(this.#kafka, name, parseSinkOffsets(offsets));
    else await this.#offsets.write(name, parseSourceOffsets(offsets));
  }

  async resetOffsets(name: string): Promise<void> {
    const connector = await this.#stopped(name);
    if (typeOf(connector.config) === 'sink') return resetSinkOffsets(this.#kafka, name);
    const entries = await this.#offsets.offsets(name);
    await this.#offsets.write(
      name,
      entries.map(({ partition }) => ({ partition, offset: null })),
    );
  }

  plugins(connectorsOnly: boolean): PluginInfo[] {
    const connectors: PluginInfo[] = CONNECTOR_PLUGINS.map((plugin) => ({
      class: plugin.className,
      type: plugin.type,
      version: plugin.version,
    }));
    if (connectorsOnly) return connectors;
    return [
      ...connectors,
      ...CONVERTER_PLUGINS.map((plugin) => ({
        class: plugin.className,
        type: 'converter' as const,
        version: veniceVersion(),
      })),
    ];
  }

  async validateConfig(pluginName: string, config: ConnectorConfig): Promise<ConfigInfos> {
    const plugin = resolvePlugin(pluginName);
    return validateConnectorConfig(
      plugin,
      { 'connector.class': plugin.className, ...config },
      this.#environment,
    );
  }

  async #existing(name: string): Promise<StoredConnector> {
    await this.#configTopic.sync();
    const connector = this.#configs.connector(name);
    if (!connector) throw new ConnectRestError(404, `Connector ${name} not found`);
    return connector;
  }

  /** Offsets change only while the connector is STOPPED (KIP-875), so no task writes them meanwhile. */
  async #stopped(name: string): Promise<StoredConnector> {
    const connector = await this.#existing(name);
    if (connector.targetState !== 'STOPPED')
      throw new ConnectRestError(
        400,
        `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
      );
    return connector;
  }

  #info(connector: StoredConnector): ConnectorInfo {
    return {
      name: connector.name,
      config: connector.config,
      tasks: connector.tasks.map((_, task) => ({ connector: connector.name, task })),
      type: typeOf(connector.config),
    };
  }

  #taskState(name: string, task: number): TaskState {
    const stored = this.#statuses.task(name, task);
    return {
      id: task,
      state: stored?.state ?? 'UNASSIGNED',
      worker_id: stored?.worker_id ?? '',
      ...(stored?.trace ? { trace: stored.trace } : {}),
    };
  }
}

function typeOf(config: ConnectorConfig): ConnectorType {
  return findConnectorPlugin(config['connector.class'] ?? '')?.type ?? 'source';
}

function checkName(name: string): void {
  if (name.trim() === '') throw new ConnectRestError(400, 'a connector needs a name');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f/]/.test(name))
    throw new ConnectRestError(
      400,
      `connector name ${JSON.stringify(name)} must not contain control characters or "/"`,
    );
}
