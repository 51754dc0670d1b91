// A sink with topics.regex runs before any topic matches, and takes up topics created later without a
// restart: its consumer matches the pattern again every consumer.override.metadata.max.age.ms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '../../../src/client/index.js';
import type { ConnectWorker } from '../../../src/connect/api/worker.js';
import { startTestBroker } from '../../helpers/broker.js';
import { waitFor } from '../../helpers/wait.js';
import { allRunning, kafkaFor, lines, scratchFile, startWorker, waitForState } from './helpers.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
let worker: ConnectWorker;

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = kafkaFor(broker.bootstrap);
  worker = startWorker({ bootstrap: broker.bootstrap, groupId: 'regex', prefix: 'regex' }, 'w1');
  await worker.start();
});
afterAll(async () => {
  await worker?.stop();
  await kafka?.close();
  await broker?.stop();
});

const produce = (topic: string, values: string[]) =>
  kafka.produce(values.map((value) => ({ topic, value: Buffer.from(value) })));

describe('a sink with topics.regex', () => {
  it('runs with no matching topic yet, and takes up each topic created later', async () => {
    const file = scratchFile('regex.txt');
    await kafka.topics.create({ name: 'clicks', partitions: 1 });
    await worker.putConnectorConfig(
      'regex-sink',
      {
        'connector.class': 'FileStreamSink',
        'topics.regex': 'events-.*',
        'consumer.override.metadata.max.age.ms': '300',
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        file,
      },
      false,
    );
    await waitForState(worker, 'regex-sink', allRunning, 'the sink to run without a matching topic');

    await kafka.topics.create({ name: 'events-a', partitions: 2 });
    await produce('events-a', ['a1', 'a2']);
    await waitFor(() => lines(file).length === 2, { what: 'the records of events-a', timeoutMs: 30_000 });

    await kafka.topics.create({ name: 'events-b', partitions: 1 });
    await produce('events-b', ['b1']);
    await produce('clicks', ['not matched']);
    await waitFor(() => lines(file).length === 3, { what: 'the record of events-b', timeoutMs: 30_000 });
    expect(lines(file).sort()).toEqual(['a1', 'a2', 'b1']);
    expect((await worker.connectorStatus('regex-sink')).tasks[0]?.state).toBe('RUNNING');
    expect((await worker.activeTopics('regex-sink')).sort()).toEqual(['events-a', 'events-b']);
  });
});
