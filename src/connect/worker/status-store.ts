// connect-status as Kafka Connect lays it out (compacted):
//   status-connector-<name>            {"state", "trace", "worker_id", "generation"}
//   status-task-<name>-<n>             the same, for a task
//   status-topic-<topic>:connector-<name>  {"topic": {"name", "connector", "task", "discoverTimestamp"}}
import type { ConnectorStateName } from '../api/herder.js';
import { jsonBuffer, parseJsonBuffer, type StorageTopic } from './storage-topic.js';

export interface StoredStatus {
  readonly state: ConnectorStateName;
  readonly trace: string | null;
  readonly worker_id: string;
  readonly generation: number;
}

const CONNECTOR = 'status-connector-';
const TASK = 'status-task-';
const TOPIC = 'status-topic-';

const taskKey = (connector: string, task: number) => `${TASK}${connector}-${task}`;
const topicKey = (topic: string, connector: string) => `${TOPIC}${topic}:connector-${connector}`;

function parseStatus(value: Buffer | undefined): StoredStatus | undefined {
  const parsed = parseJsonBuffer(value) as Partial<StoredStatus> | undefined;
  if (typeof parsed?.state !== 'string') return undefined;
  return {
    state: parsed.state,
    trace: typeof parsed.trace === 'string' ? parsed.trace : null,
    worker_id: typeof parsed.worker_id === 'string' ? parsed.worker_id : '',
    generation: typeof parsed.generation === 'number' ? parsed.generation : 0,
  };
}

/**
 * Kafka Connect's safe write: a status may replace the stored one when there is none, when the same
 * worker wrote it, or when it comes from the same or a newer generation of the worker group. A worker
 * that lost the work in a rebalance it has not seen yet writes with an older generation, and is ignored.
 */
export function canWriteSafely(stored: StoredStatus | undefined, next: StoredStatus): boolean {
  return stored === undefined || stored.worker_id === next.worker_id || stored.generation <= next.generation;
}

export class StatusStore {
  constructor(readonly topic: StorageTopic) {}

  connector(name: string): StoredStatus | undefined {
    return parseStatus(this.topic.get(CONNECTOR + name));
  }

  task(connector: string, task: number): StoredStatus | undefined {
    return parseStatus(this.topic.get(taskKey(connector, task)));
  }

  async putConnector(name: string, status: StoredStatus): Promise<void> {
    await this.topic.write([{ key: CONNECTOR + name, value: jsonBuffer(status) }]);
  }

  async putTask(connector: string, task: number, status: StoredStatus): Promise<void> {
    await this.topic.write([{ key: taskKey(connector, task), value: jsonBuffer(status) }]);
  }

  /** Writes the status unless canWriteSafely refuses it against the latest stored one; whether it wrote. */
  async putConnectorSafely(name: string, status: StoredStatus): Promise<boolean> {
    await this.topic.sync();
    if (!canWriteSafely(this.connector(name), status)) return false;
    await this.putConnector(name, status);
    return true;
  }

  async putTaskSafely(connector: string, task: number, status: StoredStatus): Promise<boolean> {
    await this.topic.sync();
    if (!canWriteSafely(this.task(connector, task), status)) return false;
    await this.putTask(connector, task, status);
    return true;
  }

  /** Tombstones for the connector's status, its tasks' statuses (up to taskCount) and, optionally, its topics. */
  async remove(connector: string, taskCount: number, withTopics: boolean): Promise<void> {
    await this.topic.write([
      { key: CONNECTOR + connector, value: null },
      ...Array.from({ length: taskCount }, (_, index) => ({ key: taskKey(connector, index), value: null })),
      ...(withTopics
        ? this.activeTopics(connector).map((topic) => ({ key: topicKey(topic, connector), value: null }))
        : []),
    ]);
  }

  async removeTasks(connector: string, from: number, to: number): Promise<void> {
    if (to <= from) return;
    await this.topic.write(
      Array.from({ length: to - from }, (_, index) => ({
        key: taskKey(connector, from + index),
        value: null,
      })),
    );
  }

  activeTopics(connector: string): string[] {
    const suffix = `:connector-${connector}`;
    const topics: string[] = [];
    for (const [key] of this.topic.entries())
      if (key.startsWith(TOPIC) && key.endsWith(suffix)) topics.push(key.slice(TOPIC.length, -suffix.length));
    return topics.sort();
  }

  async putActiveTopic(topic: string, connector: string, task: number): Promise<void> {
    await this.topic.write([
      {
        key: topicKey(topic, connector),
        value: jsonBuffer({ topic: { name: topic, connector, task, discoverTimestamp: Date.now() } }),
      },
    ]);
  }

  async resetActiveTopics(connector: string): Promise<void> {
    await this.topic.write(
      this.activeTopics(connector).map((topic) => ({ key: topicKey(topic, connector), value: null })),
    );
  }
}
