// The sink task loop with a task of the test's own: put() that throws RetriableError gets the same
// records again after the delay, and their offsets are committed once it succeeds; a record the task reports
// through reportFailedRecord goes to the dead letter queue (stage TASK_PUT) with its original bytes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '../../../src/client/index.js';
import type { SinkRecord } from '../../../src/connect/api/data.js';
import { RetriableError } from '../../../src/connect/api/errors.js';
import type { SinkConnectorPlugin, SinkTaskContext } from '../../../src/connect/api/plugin.js';
import { sinkGroupId } from '../../../src/connect/defaults.js';
import { OffsetStore } from '../../../src/connect/worker/offset-store.js';
import { SinkTaskRunner } from '../../../src/connect/worker/sink-runner.js';
import { StorageTopic } from '../../../src/connect/worker/storage-topic.js';
import { silentLogger } from '../../../src/service/index.js';
import { startTestBroker } from '../../helpers/broker.js';
import { waitFor } from '../../helpers/wait.js';
import { kafkaFor, readTopic } from './helpers.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = kafkaFor(broker.bootstrap);
});
afterAll(async () => {
  await kafka?.close();
  await broker?.stop();
});

/** A sink whose put() fails once with RetriableError, and reports any record whose value says "bad". */
function flakySink(calls: string[][], written: string[]): SinkConnectorPlugin {
  return {
    type: 'sink',
    className: 'test.FlakySink',
    aliases: [],
    version: '1',
    configKeys: [],
    taskConfigs: (config) => [config],
    createTask: () => {
      let context: SinkTaskContext;
      let failedOnce = false;
      return {
        start: (_config, taskContext) => {
          context = taskContext;
          return Promise.resolve();
        },
        put: async (records: readonly SinkRecord[]) => {
          calls.push(records.map((record) => JSON.stringify(record.value)));
          if (!failedOnce) {
            failedOnce = true;
            throw new RetriableError('the database is restarting', 300);
          }
          for (const record of records) {
            if (JSON.stringify(record.value).includes('bad'))
              await context.reportFailedRecord(record, new Error('the row was refused'));
            else written.push(JSON.stringify(record.value));
          }
        },
        stop: () => Promise.resolve(),
      };
    },
  };
}

describe('the sink task loop', () => {
  it('retries put() after a RetriableError, commits after, and sends reported records to the DLQ', async () => {
    await kafka.topics.create({ name: 'runner-in', partitions: 1 });
    await kafka.produce(
      ['{"n":1}', '{"n":"bad"}', '{"n":3}'].map((value) => ({
        topic: 'runner-in',
        value: Buffer.from(value),
      })),
    );
    const offsetsTopic = new StorageTopic(kafka, { name: 'runner-offsets', partitions: 1 });
    await offsetsTopic.ensure();
    const calls: string[][] = [];
    const written: string[] = [];
    const states: string[] = [];
    const runner = new SinkTaskRunner(
      {
        kafka,
        logger: silentLogger(),
        converterEnvironment: {},
        offsets: new OffsetStore(offsetsTopic),
        connector: 'flaky',
        taskId: 0,
        config: {
          'connector.class': 'test.FlakySink',
          topics: 'runner-in',
          'errors.tolerance': 'all',
          'errors.deadletterqueue.topic.name': 'runner-dlq',
          'errors.deadletterqueue.context.headers.enable': 'true',
        },
        onState: (state) => states.push(state),
        onTopic: () => undefined,
      },
      flakySink(calls, written),
    );
    runner.start();
    await waitFor(() => written.length === 2, { what: 'the good records to be written' });
    // The same three records, twice: once refused, once written.
    expect(calls).toEqual([
      ['{"n":1}', '{"n":"bad"}', '{"n":3}'],
      ['{"n":1}', '{"n":"bad"}', '{"n":3}'],
    ]);
    await waitFor(
      async () => (await kafka.groups.describe(sinkGroupId('flaky'))).offsets[0]?.committedOffset === 3n,
      { what: 'the offsets committed after put()' },
    );
    const [dead] = await readTopic(kafka, 'runner-dlq', 1);
    expect(dead.value?.toString()).toBe('{"n":"bad"}');
    const headers = Object.fromEntries(dead.headers.map((header) => [header.key, header.value?.toString()]));
    expect(headers['__connect.errors.stage']).toBe('TASK_PUT');
    expect(headers['__connect.errors.offset']).toBe('1');
    expect(headers['__connect.errors.exception.message']).toBe('the row was refused');
    await runner.stop();
    expect(states).toEqual(['RUNNING']);
  });
});
