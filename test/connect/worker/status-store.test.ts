// Status fencing, as Kafka Connect does it: every status carries the worker group's generation, and a
// failure reported late by a task's old owner (an older generation, another worker) does not replace
// what its new owner wrote. Two views of one connect-status topic stand for the two workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '../../../src/client/index.js';
import { canWriteSafely, StatusStore, type StoredStatus } from '../../../src/connect/worker/status-store.js';
import { StorageTopic } from '../../../src/connect/worker/storage-topic.js';
import { startTestBroker } from '../../helpers/broker.js';
import type { ConnectWorker } from '../../../src/connect/api/worker.js';
import { waitFor } from '../../helpers/wait.js';
import { allRunning, kafkaFor, scratchFile, startWorker, waitForState } from './helpers.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
const workers: ConnectWorker[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = kafkaFor(broker.bootstrap);
});
afterAll(async () => {
  for (const worker of workers) await worker.stop().catch(() => undefined);
  await kafka?.close();
  await broker?.stop();
});

const status = (worker_id: string, generation: number, state: StoredStatus['state']): StoredStatus => ({
  state,
  trace: state === 'FAILED' ? 'boom' : null,
  worker_id,
  generation,
});

describe('canWriteSafely', () => {
  it('lets the same worker or a newer or equal generation write, and fences an older one', () => {
    const stored = status('b', 4, 'RUNNING');
    expect(canWriteSafely(undefined, status('a', 1, 'FAILED'))).toBe(true);
    expect(canWriteSafely(stored, status('b', 2, 'FAILED'))).toBe(true);
    expect(canWriteSafely(stored, status('a', 4, 'FAILED'))).toBe(true);
    expect(canWriteSafely(stored, status('a', 5, 'FAILED'))).toBe(true);
    expect(canWriteSafely(stored, status('a', 3, 'FAILED'))).toBe(false);
  });
});

describe('the status store', () => {
  it("ignores an old owner's late failure, even when its view had not seen the new owner yet", async () => {
    const spec = { name: 'fencing-status', partitions: 5 };
    const oldOwner = new StatusStore(new StorageTopic(kafka, spec));
    const newOwner = new StatusStore(new StorageTopic(kafka, spec));
    await oldOwner.topic.ensure();
    await newOwner.topic.ensure();

    await oldOwner.putTask('orders', 0, status('worker-a', 3, 'RUNNING'));
    await newOwner.topic.sync();
    // The task moved in the rebalance of generation 4; worker-a has not read that status yet.
    await newOwner.putTask('orders', 0, status('worker-b', 4, 'RUNNING'));
    expect(oldOwner.task('orders', 0)?.worker_id).toBe('worker-a');

    expect(await oldOwner.putTaskSafely('orders', 0, status('worker-a', 3, 'FAILED'))).toBe(false);
    await newOwner.topic.sync();
    expect(newOwner.task('orders', 0)).toEqual(status('worker-b', 4, 'RUNNING'));

    // The same for the connector's own status.
    await newOwner.putConnector('orders', status('worker-b', 4, 'RUNNING'));
    expect(await oldOwner.putConnectorSafely('orders', status('worker-a', 3, 'FAILED'))).toBe(false);
    expect(oldOwner.connector('orders')?.worker_id).toBe('worker-b');

    // The new owner's own failure, and worker-a once it rejoined (generation 5), are written.
    expect(await newOwner.putTaskSafely('orders', 0, status('worker-b', 4, 'FAILED'))).toBe(true);
    expect(await oldOwner.putTaskSafely('orders', 0, status('worker-a', 5, 'FAILED'))).toBe(true);
    await newOwner.topic.sync();
    expect(newOwner.task('orders', 0)).toEqual(status('worker-a', 5, 'FAILED'));
  });
});

describe('workers', () => {
  it("write their group's generation in the statuses, a newer one after a rebalance", async () => {
    const setup = { bootstrap: broker.bootstrap, groupId: 'generations', prefix: 'generations' };
    await kafka.topics.create({ name: 'generations-in', partitions: 2 });
    const first = startWorker(setup, 'worker-a', { sessionTimeoutMs: 6_000 });
    workers.push(first);
    await first.start();
    await first.putConnectorConfig(
      'gen-sink',
      {
        'connector.class': 'FileStreamSink',
        'tasks.max': '2',
        topics: 'generations-in',
        file: scratchFile('generations.txt'),
      },
      false,
    );
    await waitForState(first, 'gen-sink', allRunning, 'the sink to run on worker-a');
    const view = new StatusStore(new StorageTopic(kafka, { name: 'generations-status', partitions: 5 }));
    await view.topic.ensure();
    await view.topic.sync();
    const before = view.task('gen-sink', 1)!;
    expect(before.worker_id).toBe('worker-a');
    expect(before.generation).toBeGreaterThanOrEqual(1);

    const second = startWorker(setup, 'worker-b', { sessionTimeoutMs: 6_000 });
    workers.push(second);
    await second.start();
    // The connector and its two tasks are dealt over both workers: one task moves to worker-b.
    const moved = await waitFor(
      async () => {
        await view.topic.sync();
        const statuses = [view.task('gen-sink', 0), view.task('gen-sink', 1)];
        return statuses.find((status) => status?.worker_id === 'worker-b' && status.state === 'RUNNING');
      },
      { what: 'a task to run on worker-b', timeoutMs: 45_000 },
    );
    expect(moved.generation).toBeGreaterThan(before.generation);
  });
});
