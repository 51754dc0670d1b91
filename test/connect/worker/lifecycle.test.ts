// The Herder over a real broker: a file sink created, listed, described, paused, resumed, stopped and
// deleted; a worker restart resumes it from the storage topics and its committed offsets; a poison
// record goes to the dead letter queue while the task keeps running; source offsets survive a restart.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '../../../src/client/index.js';
import { ConnectRestError } from '../../../src/connect/api/errors.js';
import type { ConnectWorker } from '../../../src/connect/api/worker.js';
import { startTestBroker } from '../../helpers/broker.js';
import { waitFor } from '../../helpers/wait.js';
import {
  allRunning,
  kafkaFor,
  lines,
  readTopic,
  scratchFile,
  startWorker,
  waitForState,
  type WorkerSetup,
} from './helpers.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let kafka: Kafka;
const running: ConnectWorker[] = [];

beforeAll(async () => {
  broker = await startTestBroker();
  kafka = kafkaFor(broker.bootstrap);
});
afterAll(async () => {
  for (const worker of running) await worker.stop().catch(() => undefined);
  await kafka?.close();
  await broker?.stop();
});

async function launch(setup: WorkerSetup, workerId = 'worker-a:8083'): Promise<ConnectWorker> {
  const worker = startWorker(setup, workerId);
  running.push(worker);
  await worker.start();
  return worker;
}

async function stopWorker(worker: ConnectWorker): Promise<void> {
  await worker.stop();
  running.splice(running.indexOf(worker), 1);
}

const produceValues = (topic: string, values: string[]) =>
  kafka.produce(values.map((value) => ({ topic, value: Buffer.from(value) })));

describe('a file sink through the Herder', () => {
  it('is created, listed, described, paused, resumed, stopped and deleted', async () => {
    const setup = { bootstrap: broker.bootstrap, groupId: 'lifecycle', prefix: 'lifecycle' };
    await kafka.topics.create({ name: 'lifecycle-in', partitions: 2 });
    const worker = await launch(setup);
    const file = scratchFile('sink.txt');
    const config = {
      'connector.class': 'FileStreamSink',
      'tasks.max': '2',
      topics: 'lifecycle-in',
      file,
    };
    const { created, info } = await worker.putConnectorConfig('file-sink', config, false);
    expect(created).toBe(true);
    expect(info).toMatchObject({
      name: 'file-sink',
      type: 'sink',
      tasks: [
        { connector: 'file-sink', task: 0 },
        { connector: 'file-sink', task: 1 },
      ],
    });
    expect(info.config).toMatchObject({ ...config, name: 'file-sink' });
    await expect(worker.putConnectorConfig('file-sink', config, false)).rejects.toMatchObject({
      status: 409,
    });
    expect(await worker.listConnectors()).toEqual(['file-sink']);

    const status = await waitForState(worker, 'file-sink', allRunning, 'the sink to run');
    expect(status.connector.worker_id).toBe('worker-a:8083');
    expect(status.tasks.map((task) => task.worker_id)).toEqual(['worker-a:8083', 'worker-a:8083']);

    await produceValues('lifecycle-in', ['{"n":1}', '{"n":2}', '"three"']);
    await waitFor(() => lines(file).length === 3, { what: 'three lines in the sink file' });
    expect(lines(file).sort()).toEqual(['three', '{"n":1}', '{"n":2}'].sort());
    expect(await worker.activeTopics('file-sink')).toEqual(['lifecycle-in']);
    expect((await worker.offsets('file-sink')).offsets.length).toBeGreaterThan(0);

    await worker.pauseConnector('file-sink');
    await waitForState(
      worker,
      'file-sink',
      (s) => s.connector.state === 'PAUSED' && s.tasks.every((task) => task.state === 'PAUSED'),
      'the sink to pause',
    );
    await produceValues('lifecycle-in', ['"while paused"']);
    await worker.resumeConnector('file-sink');
    await waitForState(worker, 'file-sink', allRunning, 'the sink to resume');
    await waitFor(() => lines(file).includes('while paused'), { what: 'the record sent while paused' });

    const patched = await worker.patchConnectorConfig('file-sink', { 'tasks.max': '1' });
    expect(patched.tasks).toHaveLength(1);
    await waitForState(
      worker,
      'file-sink',
      (s) => allRunning(s) && s.tasks.length === 1,
      'one task after the patch',
    );

    await worker.stopConnector('file-sink');
    await waitForState(
      worker,
      'file-sink',
      (s) => s.connector.state === 'STOPPED' && s.tasks.length === 0,
      'the sink to stop',
    );
    // Offsets move only while stopped: back to the beginning of partition 0 and 1.
    await worker.alterOffsets('file-sink', {
      offsets: [0, 1].map((partition) => ({
        partition: { kafka_topic: 'lifecycle-in', kafka_partition: partition },
        offset: { kafka_offset: 0 },
      })),
    });
    expect((await worker.offsets('file-sink')).offsets.map((entry) => entry.offset)).toEqual([
      { kafka_offset: 0 },
      { kafka_offset: 0 },
    ]);
    await worker.resumeConnector('file-sink');
    await waitForState(worker, 'file-sink', allRunning, 'the sink to run after being stopped');
    await waitFor(() => lines(file).length === 8, { what: 'the replayed records (4 + 4 lines)' });

    await expect(worker.alterOffsets('file-sink', { offsets: [] })).rejects.toMatchObject({ status: 400 });
    await worker.deleteConnector('file-sink');
    expect(await worker.listConnectors()).toEqual([]);
    await expect(worker.connectorStatus('file-sink')).rejects.toBeInstanceOf(ConnectRestError);
    await stopWorker(worker);
  });

  it('refuses a bad config with the validation messages', async () => {
    const setup = { bootstrap: broker.bootstrap, groupId: 'invalid', prefix: 'invalid' };
    const worker = await launch(setup);
    await expect(
      worker.putConnectorConfig(
        'bad',
        { 'connector.class': 'FileStreamSink', file: '/tmp/x', 'errors.tolerance': 'some' },
        false,
      ),
    ).rejects.toThrow(
      /2 error\(s\)[\s\S]*errors.tolerance must be none or all[\s\S]*Must configure one of topics/,
    );
    await expect(
      worker.putConnectorConfig('bad', { 'connector.class': 'NoSuchConnector' }, false),
    ).rejects.toMatchObject({
      status: 400,
    });
    const infos = await worker.validateConfig('FileStreamSink', { topics: 't', 'value.converter': 'Nope' });
    expect(infos.error_count).toBeGreaterThan(0);
    expect(
      infos.configs.find((entry) => entry.definition.name === 'value.converter')?.value.errors[0],
    ).toMatch(/Nope/);
    expect(worker.plugins(true).map((plugin) => plugin.class)).toContain(
      'org.apache.kafka.connect.file.FileStreamSinkConnector',
    );
    await stopWorker(worker);
  });
});

describe('a worker restart', () => {
  it('resumes stored connectors and the sink continues from its committed offsets', async () => {
    const setup = { bootstrap: broker.bootstrap, groupId: 'restart', prefix: 'restart' };
    await kafka.topics.create({ name: 'restart-in', partitions: 1 });
    const file = scratchFile('restart.txt');
    let worker = await launch(setup);
    await worker.putConnectorConfig(
      'restart-sink',
      { 'connector.class': 'FileStreamSinkConnector', topics: 'restart-in', file },
      false,
    );
    await produceValues('restart-in', ['"a"', '"b"']);
    await waitFor(() => lines(file).length === 2, { what: 'the first two lines' });
    await stopWorker(worker);

    await produceValues('restart-in', ['"c"', '"d"']);
    worker = await launch(setup, 'worker-b:8083');
    expect(await worker.listConnectors()).toEqual(['restart-sink']);
    await waitForState(
      worker,
      'restart-sink',
      (s) => allRunning(s) && s.tasks[0].worker_id === 'worker-b:8083',
      'the resumed sink',
    );
    await waitFor(() => lines(file).length >= 4, { what: 'the lines written while the worker was down' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(lines(file)).toEqual(['a', 'b', 'c', 'd']);
    await stopWorker(worker);
  });

  it('keeps source offsets: a file source sends each line once across a restart', async () => {
    const setup = { bootstrap: broker.bootstrap, groupId: 'source', prefix: 'source' };
    const input = scratchFile('source.txt');
    fs.writeFileSync(input, 'one\ntwo\n');
    let worker = await launch(setup);
    await worker.putConnectorConfig(
      'file-source',
      { 'connector.class': 'FileStreamSource', file: input, topic: 'source-out' },
      false,
    );
    await waitFor(async () => (await worker.offsets('file-source')).offsets.length === 1, {
      what: 'a stored source offset',
    });
    await waitFor(
      async () =>
        JSON.stringify((await worker.offsets('file-source')).offsets) ===
        JSON.stringify([{ partition: { filename: input }, offset: { position: 8 } }]),
      { what: 'the offset after two lines' },
    );
    await stopWorker(worker);

    fs.appendFileSync(input, 'three\n');
    worker = await launch(setup);
    await waitForState(worker, 'file-source', allRunning, 'the resumed source');
    const records = await readTopic(kafka, 'source-out', 3);
    expect(records.map((record) => record.value?.toString())).toEqual(['"one"', '"two"', '"three"']);
    // Nothing more arrives: the first two lines were not sent again.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const described = await kafka.topics.describe('source-out');
    expect(described.partitions.reduce((sum, partition) => sum + partition.messages, 0n)).toBe(3n);
    expect(await worker.activeTopics('file-source')).toEqual(['source-out']);
    await stopWorker(worker);
  });
});

describe('a poison record', () => {
  it('goes to the dead letter queue with its context headers while the task keeps running', async () => {
    const setup = { bootstrap: broker.bootstrap, groupId: 'dlq', prefix: 'dlq' };
    await kafka.topics.create({ name: 'dlq-in', partitions: 1 });
    const file = scratchFile('dlq.txt');
    const worker = await launch(setup);
    await worker.putConnectorConfig(
      'dlq-sink',
      {
        'connector.class': 'FileStreamSink',
        topics: 'dlq-in',
        file,
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': 'dlq-dead',
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
      false,
    );
    await produceValues('dlq-in', ['{"ok":1}', '{not json', '{"ok":2}']);
    await waitFor(() => lines(file).length === 2, { what: 'the two good records' });
    expect(lines(file)).toEqual(['{"ok":1}', '{"ok":2}']);
    const [dead] = await readTopic(kafka, 'dlq-dead', 1);
    expect(dead.value?.toString()).toBe('{not json');
    const headers = Object.fromEntries(dead.headers.map((header) => [header.key, header.value?.toString()]));
    expect(headers).toMatchObject({
      '__connect.errors.topic': 'dlq-in',
      '__connect.errors.partition': '0',
      '__connect.errors.offset': '1',
      '__connect.errors.connector.name': 'dlq-sink',
      '__connect.errors.task.id': '0',
      '__connect.errors.stage': 'VALUE_CONVERTER',
      '__connect.errors.class.name': 'org.apache.kafka.connect.json.JsonConverter',
      '__connect.errors.exception.class.name': 'org.apache.kafka.connect.errors.DataException',
    });
    expect(headers['__connect.errors.exception.message']).toMatch(/not valid JSON/);
    expect(allRunning(await worker.connectorStatus('dlq-sink'))).toBe(true);

    // With errors.tolerance=none the same record fails the task, with the trace in its status.
    await worker.patchConnectorConfig('dlq-sink', {
      'errors.tolerance': null,
      topics: 'dlq-in',
      'errors.deadletterqueue.topic.name': null,
    });
    await worker.stopConnector('dlq-sink');
    await worker.resetOffsets('dlq-sink');
    await worker.resumeConnector('dlq-sink');
    const failed = await waitForState(
      worker,
      'dlq-sink',
      (s) => s.tasks[0]?.state === 'FAILED',
      'the task to fail',
    );
    expect(failed.tasks[0].trace).toMatch(/errors.tolerance is none/);
    const restarted = await worker.restartConnector('dlq-sink', { includeTasks: true, onlyFailed: true });
    expect(restarted?.tasks[0].state).toBe('RESTARTING');
    await stopWorker(worker);
  });
});
