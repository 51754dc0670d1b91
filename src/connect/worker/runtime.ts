// This worker's share of the work, kept in line with the stored connectors and the worker group: it
// starts the tasks assigned to it, stops the ones that moved, were paused, stopped, deleted or
// reconfigured, and writes the statuses of what it runs (with its worker id). reconcile() runs after
// every change to connect-configs and every change of the group, one run at a time.
import type { Kafka } from '../../client/index.js';
import type { Logger } from '../../service/index.js';
import type { ConverterEnvironment } from '../api/converter.js';
import type { ConnectorStateName } from '../api/herder.js';
import { WORKER_DEFAULT_DATABASE_URL_KEY, type ConnectorConfig } from '../api/plugin.js';
import { findConnectorPlugin } from '../plugins/index.js';
import { assignWork, unitKey, type WorkUnit } from './assignment.js';
import type { ConfigStore, RestartRequest, StoredConnector } from './config-store.js';
import type { OffsetStore } from './offset-store.js';
import { SinkTaskRunner } from './sink-runner.js';
import { SourceTaskRunner } from './source-runner.js';
import type { StatusStore } from './status-store.js';
import { traceOf, type TaskRunner, type TaskRunnerInputs } from './task-runner.js';

interface RunningTask {
  readonly connector: string;
  readonly task: number;
  /** The task config it runs with: a different stored config means restart it. */
  readonly fingerprint: string;
  readonly runner: TaskRunner | null;
  failed: boolean;
  /** It reported RUNNING once. */
  started: boolean;
}

export interface RuntimeInputs {
  readonly kafka: Kafka;
  readonly workerId: string;
  readonly logger: Logger;
  readonly converterEnvironment: ConverterEnvironment;
  readonly configs: ConfigStore;
  readonly statuses: StatusStore;
  readonly offsets: OffsetStore;
  /** Given to every task as WORKER_DEFAULT_DATABASE_URL_KEY: where sinks write without connection.url. */
  readonly defaultDatabaseUrl?: string;
  /** The worker group's current generation, written in every status (Kafka Connect's fencing). */
  readonly generation: () => number;
}

const CONNECTOR_STATE: Readonly<Record<StoredConnector['targetState'], ConnectorStateName>> = {
  STARTED: 'RUNNING',
  PAUSED: 'PAUSED',
  STOPPED: 'STOPPED',
};

export class WorkerRuntime {
  readonly #inputs: RuntimeInputs;
  readonly #tasks = new Map<string, RunningTask>();
  /** Connectors this worker owns whose task configs could not be made, with the trace. */
  readonly #connectorFailures = new Map<string, string>();
  #workers: readonly string[] = [];
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(inputs: RuntimeInputs) {
    this.#inputs = inputs;
  }

  /** The group's live workers changed. */
  setWorkers(workers: readonly string[]): Promise<void> {
    this.#workers = workers;
    return this.reconcile();
  }

  /** Brings the running tasks in line with the stored connectors and the assignment (queued, one at a time). */
  reconcile(): Promise<void> {
    const next = this.#queue.then(() => this.#reconcile());
    this.#queue = next.catch((error: unknown) =>
      this.#inputs.logger.error({ err: error }, 'connect worker reconcile failed'),
    );
    return next;
  }

  /** Acts on a restart request for work this worker owns. */
  restart(request: RestartRequest): Promise<void> {
    const next = this.#queue.then(() => this.#restart(request));
    this.#queue = next.catch((error: unknown) =>
      this.#inputs.logger.error({ err: error }, 'connect restart failed'),
    );
    return next.then(() => this.reconcile());
  }

  /**
   * Statuses were read: where a task this worker runs shows another worker's id from the same or an
   * older generation (a late write of its previous owner), this worker writes its own again.
   */
  reassertStatuses(): Promise<void> {
    const next = this.#queue.then(async () => {
      for (const entry of this.#tasks.values()) {
        if (entry.failed || !entry.runner || !entry.started) continue;
        const stored = this.#inputs.statuses.task(entry.connector, entry.task);
        // Only a late write of an older generation is put right: a newer one means this worker is
        // the one behind (the group moved the task on), and its reconcile will stop the task.
        if (
          stored &&
          stored.worker_id !== this.#inputs.workerId &&
          stored.generation <= this.#inputs.generation()
        )
          await this.#reportTask(entry.connector, entry.task, 'RUNNING');
      }
    });
    this.#queue = next.catch((error: unknown) =>
      this.#inputs.logger.warn({ err: error }, 'could not rewrite a task status'),
    );
    return next;
  }

  /** Whether this worker runs the connector itself (its status, its restarts). */
  ownsConnector(name: string): boolean {
    return this.#mine().some((unit) => unit.connector === name && unit.task === null);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    await Promise.all([...this.#tasks.values()].map((entry) => entry.runner?.stop()));
    this.#tasks.clear();
  }

  #mine(): WorkUnit[] {
    const connectors = [...this.#inputs.configs.connectors().values()].map((connector) => ({
      name: connector.name,
      taskCount: connector.tasks.length,
    }));
    return assignWork(this.#workers, connectors).get(this.#inputs.workerId) ?? [];
  }

  async #reconcile(): Promise<void> {
    if (this.#closed) return;
    const connectors = this.#inputs.configs.connectors();
    const mine = this.#mine();
    const wanted = new Map<string, { connector: StoredConnector; task: number }>();
    for (const unit of mine) {
      const connector = connectors.get(unit.connector);
      if (!connector) continue;
      if (unit.task === null) await this.#reportConnector(connector);
      else if (connector.targetState === 'STARTED') wanted.set(unitKey(unit), { connector, task: unit.task });
    }
    // Stop what is no longer ours to run, or runs with an old config: all of them told at once (stop()
    // aborts at the call), so none of them reports RUNNING after its new owner did.
    const stopping: Promise<void>[] = [];
    for (const [key, entry] of [...this.#tasks]) {
      const target = wanted.get(key);
      if (target && this.#fingerprint(target.connector, target.task) === entry.fingerprint) continue;
      this.#tasks.delete(key);
      if (entry.runner) stopping.push(entry.runner.stop());
    }
    await Promise.all(stopping);
    for (const unit of mine) {
      const connector = connectors.get(unit.connector);
      if (!connector || unit.task === null) continue;
      if (connector.targetState === 'PAUSED') await this.#reportTask(connector.name, unit.task, 'PAUSED');
    }
    for (const [key, { connector, task }] of wanted) {
      if (this.#tasks.has(key)) continue;
      this.#startTask(key, connector, task);
    }
  }

  #fingerprint(connector: StoredConnector, task: number): string {
    return JSON.stringify(connector.tasks[task] ?? {});
  }

  async #reportConnector(connector: StoredConnector): Promise<void> {
    const failure = this.#connectorFailures.get(connector.name);
    const state = failure === undefined ? CONNECTOR_STATE[connector.targetState] : 'FAILED';
    const stored = this.#inputs.statuses.connector(connector.name);
    if (
      stored?.state === state &&
      stored.worker_id === this.#inputs.workerId &&
      (stored.trace ?? undefined) === failure
    )
      return;
    const status = {
      state,
      trace: failure ?? null,
      worker_id: this.#inputs.workerId,
      generation: this.#inputs.generation(),
    };
    if (state !== 'FAILED') return this.#inputs.statuses.putConnector(connector.name, status);
    if (!(await this.#inputs.statuses.putConnectorSafely(connector.name, status)))
      this.#inputs.logger.info(
        { connector: connector.name },
        'a newer worker generation owns the connector: its failure here is not recorded',
      );
  }

  async #reportTask(
    connector: string,
    task: number,
    state: ConnectorStateName,
    trace?: string,
  ): Promise<void> {
    // A task stopping as its connector is deleted must not bring its status back.
    if (!this.#inputs.configs.connector(connector)) return;
    const stored = this.#inputs.statuses.task(connector, task);
    if (stored?.state === state && stored.worker_id === this.#inputs.workerId && trace === undefined) return;
    const status = {
      state,
      trace: trace ?? null,
      worker_id: this.#inputs.workerId,
      generation: this.#inputs.generation(),
    };
    // A failure is written only if no worker of a newer generation reported the task since: a late
    // failure of an old owner must not hide the new owner's RUNNING (Kafka Connect's putSafe).
    if (state !== 'FAILED') return this.#inputs.statuses.putTask(connector, task, status);
    if (!(await this.#inputs.statuses.putTaskSafely(connector, task, status)))
      this.#inputs.logger.info(
        { connector, task },
        'a newer worker generation owns the task: its failure here is not recorded',
      );
  }

  #startTask(key: string, connector: StoredConnector, task: number): void {
    const { logger } = this.#inputs;
    const plugin = findConnectorPlugin(connector.config['connector.class'] ?? '');
    const fingerprint = this.#fingerprint(connector, task);
    const { defaultDatabaseUrl } = this.#inputs;
    const config: ConnectorConfig = {
      ...(defaultDatabaseUrl ? { [WORKER_DEFAULT_DATABASE_URL_KEY]: defaultDatabaseUrl } : {}),
      ...connector.tasks[task],
    };
    if (!plugin) {
      const trace = `connector.class ${connector.config['connector.class']} is not a connector Venice has`;
      this.#tasks.set(key, {
        connector: connector.name,
        task,
        fingerprint,
        runner: null,
        failed: true,
        started: false,
      });
      void this.#reportTask(connector.name, task, 'FAILED', trace);
      return;
    }
    const entry: RunningTask = {
      connector: connector.name,
      task,
      fingerprint,
      runner: null,
      failed: false,
      started: false,
    };
    const inputs: TaskRunnerInputs = {
      kafka: this.#inputs.kafka,
      logger: logger.child({ connector: connector.name, task }),
      converterEnvironment: this.#inputs.converterEnvironment,
      offsets: this.#inputs.offsets,
      connector: connector.name,
      taskId: task,
      config,
      onState: (state, trace) => {
        if (this.#tasks.get(key) !== running) return;
        running.failed = state === 'FAILED';
        running.started ||= state === 'RUNNING';
        this.#reportTask(connector.name, task, state, trace).catch((error: unknown) =>
          logger.warn({ err: error }, 'could not write a task status'),
        );
      },
      onTopic: (topic) => {
        this.#inputs.statuses
          .putActiveTopic(topic, connector.name, task)
          .catch((error: unknown) => logger.warn({ err: error }, 'could not record an active topic'));
      },
    };
    const runner =
      plugin.type === 'sink' ? new SinkTaskRunner(inputs, plugin) : new SourceTaskRunner(inputs, plugin);
    const running: RunningTask = { ...entry, runner };
    this.#tasks.set(key, running);
    logger.info({ connector: connector.name, task }, 'starting connect task');
    runner.start();
  }

  async #restart(request: RestartRequest): Promise<void> {
    const connector = this.#inputs.configs.connector(request.connector);
    if (!connector) return;
    const mine = this.#mine();
    if (request.kind === 'task') {
      if (mine.some((unit) => unit.connector === request.connector && unit.task === request.task))
        await this.#stopTask(request.connector, request.task);
      return;
    }
    const ownsConnector = mine.some((unit) => unit.connector === request.connector && unit.task === null);
    if (ownsConnector && (!request.onlyFailed || this.#connectorFailures.has(request.connector)))
      await this.#restartConnector(connector);
    if (!request.includeTasks) return;
    for (const unit of mine) {
      if (unit.connector !== request.connector || unit.task === null) continue;
      const entry = this.#tasks.get(unitKey(unit));
      const failed =
        entry?.failed ?? this.#inputs.statuses.task(unit.connector, unit.task)?.state === 'FAILED';
      if (!request.onlyFailed || failed) await this.#stopTask(unit.connector, unit.task);
    }
  }

  /** Makes the task configs anew (the connector's own restart) and reports the connector. */
  async #restartConnector(connector: StoredConnector): Promise<void> {
    this.#connectorFailures.delete(connector.name);
    if (connector.targetState === 'STOPPED') return;
    try {
      const tasks = await makeTaskConfigs(connector.config);
      if (JSON.stringify(tasks) !== JSON.stringify(connector.tasks))
        await this.#inputs.configs.putTasks(connector.name, tasks);
    } catch (error) {
      this.#connectorFailures.set(connector.name, traceOf(error));
    }
    const refreshed = this.#inputs.configs.connector(connector.name);
    if (refreshed) await this.#reportConnector(refreshed);
  }

  async #stopTask(connector: string, task: number): Promise<void> {
    const key = unitKey({ connector, task });
    const entry = this.#tasks.get(key);
    this.#tasks.delete(key);
    await this.#reportTask(connector, task, 'RESTARTING');
    await entry?.runner?.stop();
  }
}

/** The connector plugin's task configs for a config, at most tasks.max of them. */
export async function makeTaskConfigs(config: ConnectorConfig): Promise<ConnectorConfig[]> {
  const plugin = findConnectorPlugin(config['connector.class'] ?? '');
  if (!plugin) throw new Error(`connector.class ${config['connector.class']} is not a connector Venice has`);
  const maxTasks = Number(config['tasks.max'] ?? '1');
  const tasks = await plugin.taskConfigs(config, Number.isInteger(maxTasks) && maxTasks > 0 ? maxTasks : 1);
  return tasks.slice(0, Math.max(1, maxTasks));
}
