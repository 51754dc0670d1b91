// Shared set-up for the worker tests: a real broker, workers with their own storage topics, and
// waiting on the Herder's answers.
import fs from 'node:fs';
import path from 'node:path';
import { openKafka, type Kafka } from '../../../src/client/index.js';
import type { ConnectorStateInfo, Herder } from '../../../src/connect/api/herder.js';
import type { ConnectWorker } from '../../../src/connect/api/worker.js';
import { createWorker, type WorkerTuning } from '../../../src/connect/worker/index.js';
import { silentLogger } from '../../../src/service/index.js';
import { temporaryDataDir } from '../../helpers/broker.js';
import { waitFor } from '../../helpers/wait.js';

export interface WorkerSetup {
  readonly bootstrap: string;
  readonly groupId: string;
  /** Prefix of the storage topics, so tests in one broker keep apart. */
  readonly prefix: string;
}

export function startWorker(setup: WorkerSetup, workerId: string, tuning: WorkerTuning = {}): ConnectWorker {
  return createWorker(
    {
      kafka: { bootstrapServers: setup.bootstrap },
      groupId: setup.groupId,
      workerId,
      configTopic: `${setup.prefix}-configs`,
      offsetTopic: `${setup.prefix}-offsets`,
      statusTopic: `${setup.prefix}-status`,
      logger: silentLogger(),
    },
    tuning,
  );
}

export function kafkaFor(bootstrap: string): Kafka {
  return openKafka({ bootstrapServers: bootstrap, clientId: 'connect-worker-test' });
}

export function scratchFile(name: string): string {
  return path.join(temporaryDataDir('connect-worker'), name);
}

export function lines(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

export async function waitForState(
  herder: Herder,
  name: string,
  accept: (status: ConnectorStateInfo) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<ConnectorStateInfo> {
  return waitFor(
    async () => {
      const status = await herder.connectorStatus(name);
      return accept(status) ? status : null;
    },
    { what, timeoutMs, intervalMs: 200 },
  );
}

export const allRunning = (status: ConnectorStateInfo) =>
  status.connector.state === 'RUNNING' &&
  status.tasks.length > 0 &&
  status.tasks.every((task) => task.state === 'RUNNING');

export async function readTopic(kafka: Kafka, topic: string, count: number) {
  const records = [];
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 20_000);
  try {
    for await (const record of kafka.consume({
      topic,
      from: { kind: 'beginning' },
      count,
      signal: controller.signal,
    }))
      records.push(record);
  } finally {
    clearTimeout(timer);
  }
  return records;
}
