// Several workers in one group share the tasks, and take over the tasks of one that dies: two workers
// in this process, then a third in a child process killed with SIGKILL (it leaves no group behind).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '../../../src/client/index.js';
import type { ConnectWorker } from '../../../src/connect/api/worker.js';
import { startTestBroker } from '../../helpers/broker.js';
import { waitFor } from '../../helpers/wait.js';
import { allRunning, kafkaFor, lines, scratchFile, startWorker, waitForState } from './helpers.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
const workers: ConnectWorker[] = [];
let child: ChildProcess | undefined;
const setup = { groupId: 'shared', prefix: 'shared' };

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = kafkaFor(broker.bootstrap);
});
afterAll(async () => {
  child?.kill('SIGKILL');
  for (const worker of workers) await worker.stop().catch(() => undefined);
  await kafka?.close();
  await broker?.stop();
});

async function launch(workerId: string): Promise<ConnectWorker> {
  const worker = startWorker({ ...setup, bootstrap: broker.bootstrap }, workerId, {
    sessionTimeoutMs: 6_000,
  });
  workers.push(worker);
  await worker.start();
  return worker;
}

function launchChild(workerId: string): Promise<ChildProcess> {
  const script = path.resolve('test/connect/worker/fixtures/child-worker.ts');
  const started = spawn(
    process.execPath,
    ['--import', 'tsx', script, broker.bootstrap, setup.groupId, setup.prefix, workerId],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    started.once('exit', (code) => reject(new Error(`the child worker exited (${code}) before it started`)));
    started.stdout?.on('data', (data: Buffer) => {
      if (data.toString().includes('started')) resolve(started);
    });
  });
}

/** Worker ids running the connector and each of its tasks. */
async function owners(worker: ConnectWorker, name: string): Promise<string[]> {
  const status = await worker.connectorStatus(name);
  return [status.connector.worker_id, ...status.tasks.map((task) => task.worker_id)];
}

const produce = (from: number, to: number) =>
  kafka.produce(
    Array.from({ length: to - from }, (_, index) => ({
      topic: 'shared-in',
      partition: (from + index) % 4,
      value: Buffer.from(String(from + index)),
    })),
  );

describe('workers in one group', () => {
  it('share the tasks, and take over those of a worker that stops or is killed', async () => {
    await kafka.topics.create({ name: 'shared-in', partitions: 4 });
    const file = scratchFile('shared.txt');
    const first = await launch('worker-1');
    const second = await launch('worker-2');
    await first.putConnectorConfig(
      'shared-sink',
      { 'connector.class': 'FileStreamSink', 'tasks.max': '3', topics: 'shared-in', file },
      false,
    );
    // connector, task 0, task 1, task 2 dealt round-robin over worker-1 and worker-2.
    await waitFor(
      async () =>
        allRunning(await second.connectorStatus('shared-sink')) &&
        (await owners(second, 'shared-sink')).join() === 'worker-1,worker-2,worker-1,worker-2',
      { what: 'the tasks to be split over both workers', timeoutMs: 45_000 },
    );
    await produce(0, 40);
    await waitFor(() => lines(file).length >= 40, { what: '40 lines from the shared sink' });

    // A clean stop: the survivor runs everything.
    await second.stop();
    workers.splice(workers.indexOf(second), 1);
    await waitForState(
      first,
      'shared-sink',
      (status) => allRunning(status) && status.tasks.every((task) => task.worker_id === 'worker-1'),
      'worker-1 to run every task',
      45_000,
    );

    // A crash: a worker in a child process is killed; its tasks move back to worker-1.
    child = await launchChild('worker-3');
    await waitFor(
      async () => {
        const status = await first.connectorStatus('shared-sink');
        return allRunning(status) && status.tasks.some((task) => task.worker_id === 'worker-3');
      },
      { what: 'worker-3 to take a share of the tasks', timeoutMs: 45_000 },
    );
    child.kill('SIGKILL');
    await waitForState(
      first,
      'shared-sink',
      (status) =>
        allRunning(status) &&
        [status.connector, ...status.tasks].every((entry) => entry.worker_id === 'worker-1'),
      'worker-1 to take over the killed worker’s tasks',
      45_000,
    );
    await produce(40, 80);
    await waitFor(() => new Set(lines(file)).size === 80, {
      what: 'every record in the file',
      timeoutMs: 45_000,
    });
    // At-least-once: nothing is missing (a batch may repeat after the crash).
    expect([...new Set(lines(file))].map(Number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 80 }, (_, i) => i),
    );
  });
});
