// A small in-memory worker for the REST tests while the real one is not on this branch: it keeps
// configs and states in maps and answers with the Herder's shapes and refusals.
import { ConnectRestError } from '../../../src/connect/api/errors.js';
import type {
  ConfigInfos,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  ConnectorStateName,
  PluginInfo,
  RestartOptions,
  TaskInfo,
  TaskState,
  WorkerInfo,
} from '../../../src/connect/api/herder.js';
import type { ConnectorConfig } from '../../../src/connect/api/plugin.js';
import type { ConnectWorker, ConnectWorkerOptions } from '../../../src/connect/api/worker.js';

const PLUGIN = 'org.apache.kafka.connect.file.FileStreamSinkConnector';

interface Entry {
  config: ConnectorConfig;
  state: ConnectorStateName;
  tasks: ConnectorStateName[];
  offsets: ConnectorOffsets;
}

export function createMemoryWorker(options: ConnectWorkerOptions): ConnectWorker {
  const connectors = new Map<string, Entry>();
  let started = false;
  const entry = (name: string): Entry => {
    const found = connectors.get(name);
    if (!found) throw new ConnectRestError(404, `Connector ${name} not found`);
    return found;
  };
  const check = (config: ConnectorConfig) => {
    const type = config['connector.class'];
    if (!type) throw new ConnectRestError(400, 'Connector config contains no connector type');
    if (!PLUGIN.endsWith(type.replace(/Connector$/, '') + 'Connector') && type !== PLUGIN)
      throw new ConnectRestError(
        400,
        `Failed to find any class that implements Connector and which name matches ${type}`,
      );
  };
  const info = (name: string): ConnectorInfo => {
    const { config, tasks } = entry(name);
    return { name, config, tasks: tasks.map((_, task) => ({ connector: name, task })), type: 'sink' };
  };
  const status = (name: string): ConnectorStateInfo => {
    const { state, tasks } = entry(name);
    return {
      name,
      connector: { state, worker_id: options.workerId },
      tasks: tasks.map((task, id) => ({
        id,
        state: task,
        worker_id: options.workerId,
        ...(task === 'FAILED' ? { trace: 'java.lang.Error: boom\n\tat somewhere' } : {}),
      })),
      type: 'sink',
    };
  };
  const taskCount = (config: ConnectorConfig) => Number(config['tasks.max'] ?? '1');
  const setAll = (name: string, state: ConnectorStateName) => {
    const found = entry(name);
    found.state = state;
    found.tasks = found.tasks.map(() => state);
  };

  return {
    workerId: options.workerId,
    async start() {
      started = true;
    },
    async stop() {
      started = false;
    },
    health: () => ({ ok: started, detail: { connectors: connectors.size } }),
    async workerInfo(): Promise<WorkerInfo> {
      return { version: '3.9.0', commit: 'venice', kafka_cluster_id: 'memory' };
    },
    async listConnectors() {
      return [...connectors.keys()];
    },
    async connectorInfo(name) {
      return info(name);
    },
    async connectorConfig(name) {
      return entry(name).config;
    },
    async connectorStatus(name) {
      return status(name);
    },
    async putConnectorConfig(name, config, replace) {
      check(config);
      const existing = connectors.get(name);
      if (existing && !replace) throw new ConnectRestError(409, `Connector ${name} already exists`);
      const tasks = Array.from({ length: taskCount(config) }, (): ConnectorStateName => 'RUNNING');
      connectors.set(name, { config, state: existing?.state ?? 'RUNNING', tasks, offsets: { offsets: [] } });
      return { created: !existing, info: info(name) };
    },
    async patchConnectorConfig(name, patch) {
      const config: Record<string, string> = { ...entry(name).config };
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete config[key];
        else config[key] = value;
      }
      check(config);
      entry(name).config = config;
      return info(name);
    },
    async deleteConnector(name) {
      entry(name);
      connectors.delete(name);
    },
    async pauseConnector(name) {
      setAll(name, 'PAUSED');
    },
    async resumeConnector(name) {
      setAll(name, 'RUNNING');
    },
    async stopConnector(name) {
      const found = entry(name);
      found.state = 'STOPPED';
      found.tasks = [];
    },
    async restartConnector(name, restart: RestartOptions) {
      const found = entry(name);
      if (!restart.includeTasks && !restart.onlyFailed) return null;
      if (restart.includeTasks)
        found.tasks = found.tasks.map((task) =>
          restart.onlyFailed && task !== 'FAILED' ? task : 'RESTARTING',
        );
      return status(name);
    },
    async taskConfigs(name): Promise<TaskInfo[]> {
      const { config, tasks } = entry(name);
      return tasks.map((_, task) => ({
        id: { connector: name, task },
        config: { ...config, 'task.id': String(task) },
      }));
    },
    async taskStatus(name, task): Promise<TaskState> {
      const found = status(name).tasks.find((candidate) => candidate.id === task);
      if (!found) throw new ConnectRestError(404, `No status found for task ${name}-${task}`);
      return found;
    },
    async restartTask(name, task) {
      const found = entry(name);
      if (task < 0 || task >= found.tasks.length)
        throw new ConnectRestError(404, `Task ${name}-${task} not found`);
      found.tasks[task] = 'RUNNING';
    },
    async activeTopics(name) {
      return (entry(name).config.topics ?? '').split(',').filter(Boolean);
    },
    async resetActiveTopics(name) {
      entry(name);
    },
    async offsets(name) {
      return entry(name).offsets;
    },
    async alterOffsets(name, offsets) {
      const found = entry(name);
      if (found.state !== 'STOPPED')
        throw new ConnectRestError(
          400,
          `Connectors must be in the STOPPED state before their offsets can be modified`,
        );
      found.offsets = offsets;
    },
    async resetOffsets(name) {
      const found = entry(name);
      if (found.state !== 'STOPPED')
        throw new ConnectRestError(
          400,
          `Connectors must be in the STOPPED state before their offsets can be modified`,
        );
      found.offsets = { offsets: [] };
    },
    plugins(connectorsOnly): PluginInfo[] {
      const sink: PluginInfo = { class: PLUGIN, type: 'sink', version: '1.0.0' };
      return connectorsOnly
        ? [sink]
        : [
            sink,
            {
              class: 'org.apache.kafka.connect.storage.StringConverter',
              type: 'converter',
              version: '1.0.0',
            },
          ];
    },
    async validateConfig(plugin, config): Promise<ConfigInfos> {
      const missing = config.file === undefined;
      return {
        name: plugin,
        error_count: missing ? 1 : 0,
        groups: ['Common'],
        configs: [
          {
            definition: {
              name: 'file',
              type: 'STRING',
              required: true,
              default_value: null,
              importance: 'HIGH',
              documentation: 'The file to write to',
              group: 'Common',
              order: 1,
              width: 'NONE',
              display_name: 'file',
              dependents: [],
            },
            value: {
              name: 'file',
              value: config.file ?? null,
              recommended_values: [],
              errors: missing ? ['Missing required configuration "file" which has no default value.'] : [],
              visible: true,
            },
          },
        ],
      };
    },
  };
}
