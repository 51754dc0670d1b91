// connect-configs as Kafka Connect's distributed mode lays it out (one partition, compacted):
//   connector-<name>      {"properties": {...}}            the connector's config
//   task-<name>-<n>       {"properties": {...}}            a task's config
//   commit-<name>         {"tasks": n}                     the task configs above now count
//   target-state-<name>   {"state": ..., "state.v2": ...}  STARTED, PAUSED or STOPPED
//   restart-connector-<name> {"include-tasks", "only-failed"} a restart request (KIP-745)
// plus one key of Venice's own, restart-task-<name>-<n> {}: Kafka Connect forwards a task restart to
// the task's worker over REST; Venice workers share no REST calls, so the request travels here.
import type { ConnectorConfig } from '../api/plugin.js';
import { jsonBuffer, parseJsonBuffer, type StorageTopic } from './storage-topic.js';

export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';

export interface StoredConnector {
  readonly name: string;
  readonly config: ConnectorConfig;
  readonly targetState: TargetState;
  /** The committed task configs (as many as the last commit record said). */
  readonly tasks: readonly ConnectorConfig[];
}

export type RestartRequest =
  | {
      readonly kind: 'connector';
      readonly connector: string;
      readonly includeTasks: boolean;
      readonly onlyFailed: boolean;
    }
  | { readonly kind: 'task'; readonly connector: string; readonly task: number };

const CONNECTOR = 'connector-';
const TASK = 'task-';
const COMMIT = 'commit-';
const TARGET_STATE = 'target-state-';
const RESTART_CONNECTOR = 'restart-connector-';
const RESTART_TASK = 'restart-task-';

function properties(value: Buffer | undefined): ConnectorConfig | undefined {
  const parsed = parseJsonBuffer(value) as { properties?: unknown } | undefined;
  const found = parsed?.properties;
  if (typeof found !== 'object' || found === null) return undefined;
  return Object.fromEntries(Object.entries(found).map(([key, inner]) => [key, String(inner)]));
}

/** `<name>-<n>` into its parts; a connector name may itself hold dashes. */
function splitTaskKey(rest: string): { connector: string; task: number } | undefined {
  const dash = rest.lastIndexOf('-');
  const task = Number(rest.slice(dash + 1));
  if (dash <= 0 || !Number.isInteger(task) || task < 0) return undefined;
  return { connector: rest.slice(0, dash), task };
}

export function parseRestartRequest(key: string, value: Buffer | null): RestartRequest | undefined {
  if (value === null) return undefined;
  if (key.startsWith(RESTART_CONNECTOR)) {
    const parsed = parseJsonBuffer(value) as Record<string, unknown> | undefined;
    return {
      kind: 'connector',
      connector: key.slice(RESTART_CONNECTOR.length),
      includeTasks: parsed?.['include-tasks'] === true,
      onlyFailed: parsed?.['only-failed'] === true,
    };
  }
  if (key.startsWith(RESTART_TASK)) {
    const parts = splitTaskKey(key.slice(RESTART_TASK.length));
    return parts && { kind: 'task', ...parts };
  }
  return undefined;
}

export class ConfigStore {
  constructor(readonly topic: StorageTopic) {}

  /** Every stored connector, by name. */
  connectors(): Map<string, StoredConnector> {
    const configs = new Map<string, ConnectorConfig>();
    const states = new Map<string, TargetState>();
    const counts = new Map<string, number>();
    const tasks = new Map<string, Map<number, ConnectorConfig>>();
    for (const [key, value] of this.topic.entries()) {
      if (key.startsWith(CONNECTOR)) {
        const config = properties(value);
        if (config) configs.set(key.slice(CONNECTOR.length), config);
      } else if (key.startsWith(TARGET_STATE)) {
        const parsed = parseJsonBuffer(value) as Record<string, unknown> | undefined;
        const state = parsed?.['state.v2'] ?? parsed?.state;
        if (state === 'STARTED' || state === 'PAUSED' || state === 'STOPPED')
          states.set(key.slice(TARGET_STATE.length), state);
      } else if (key.startsWith(COMMIT)) {
        const parsed = parseJsonBuffer(value) as { tasks?: unknown } | undefined;
        if (typeof parsed?.tasks === 'number') counts.set(key.slice(COMMIT.length), parsed.tasks);
      } else if (key.startsWith(TASK)) {
        const parts = splitTaskKey(key.slice(TASK.length));
        const config = properties(value);
        if (!parts || !config) continue;
        const byIndex = tasks.get(parts.connector) ?? new Map<number, ConnectorConfig>();
        byIndex.set(parts.task, config);
        tasks.set(parts.connector, byIndex);
      }
    }
    const result = new Map<string, StoredConnector>();
    for (const [name, config] of [...configs].sort(([a], [b]) => a.localeCompare(b))) {
      const count = counts.get(name) ?? 0;
      const byIndex = tasks.get(name);
      const committed: ConnectorConfig[] = [];
      // Tasks count only once committed, and only when every one of them is there.
      for (let index = 0; index < count && byIndex?.has(index); index++)
        committed.push(byIndex.get(index) as ConnectorConfig);
      result.set(name, {
        name,
        config,
        targetState: states.get(name) ?? 'STARTED',
        tasks: committed.length === count ? committed : [],
      });
    }
    return result;
  }

  connector(name: string): StoredConnector | undefined {
    return this.connectors().get(name);
  }

  /** Writes a connector's config, its target state and its task configs in one go (one partition, in order). */
  async putConnector(
    name: string,
    config: ConnectorConfig,
    targetState: TargetState,
    tasks: readonly ConnectorConfig[],
  ): Promise<void> {
    await this.topic.write([
      this.#targetStateEntry(name, targetState),
      { key: CONNECTOR + name, value: jsonBuffer({ properties: config }) },
      ...this.#taskEntries(name, tasks),
    ]);
  }

  async putTasks(name: string, tasks: readonly ConnectorConfig[]): Promise<void> {
    await this.topic.write(this.#taskEntries(name, tasks));
  }

  async putTargetState(name: string, state: TargetState, tasks?: readonly ConnectorConfig[]): Promise<void> {
    // A stopped connector has no tasks, as in Kafka Connect: its task count is committed as 0.
    await this.topic.write([
      this.#targetStateEntry(name, state),
      ...(tasks ? this.#taskEntries(name, tasks) : []),
    ]);
  }

  async remove(name: string, taskCount: number): Promise<void> {
    await this.topic.write([
      { key: CONNECTOR + name, value: null },
      { key: TARGET_STATE + name, value: null },
      { key: COMMIT + name, value: null },
      ...Array.from({ length: taskCount }, (_, index) => ({ key: `${TASK}${name}-${index}`, value: null })),
    ]);
  }

  async requestRestart(request: RestartRequest): Promise<void> {
    const entry =
      request.kind === 'connector'
        ? {
            key: RESTART_CONNECTOR + request.connector,
            value: jsonBuffer({ 'include-tasks': request.includeTasks, 'only-failed': request.onlyFailed }),
          }
        : { key: `${RESTART_TASK}${request.connector}-${request.task}`, value: jsonBuffer({}) };
    await this.topic.write([entry]);
  }

  #taskEntries(name: string, tasks: readonly ConnectorConfig[]) {
    return [
      ...tasks.map((config, index) => ({
        key: `${TASK}${name}-${index}`,
        value: jsonBuffer({ properties: config }),
      })),
      { key: COMMIT + name, value: jsonBuffer({ tasks: tasks.length }) },
    ];
  }

  #targetStateEntry(name: string, state: TargetState) {
    // Kafka Connect 3.5+ writes STOPPED as "state.v2" and PAUSED in "state", which older workers read.
    return {
      key: TARGET_STATE + name,
      value: jsonBuffer({ state: state === 'STOPPED' ? 'PAUSED' : state, 'state.v2': state }),
    };
  }
}
