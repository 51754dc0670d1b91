// A full disk (issue #8): a broker whose data dir is a 20 MB tmpfs answers Produce with KAFKA_STORAGE_ERROR
// for each partition it cannot write (the connection stays up), logs the condition once, keeps serving
// reads, refuses CreateTopics without leaving a `~creating-*` folder, and takes writes again as soon as
// space is freed. A write cut short by the full disk leaves no torn batch: the segment files hold whole
// batches only, and the log reads back the same after a restart.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnBroker, type BrokerProcess } from '../helpers/broker.js';
import { runKcat } from '../helpers/kcat.js';
import { RawClient } from '../helpers/raw-client.js';
import { waitFor } from '../helpers/wait.js';
import { consumeAll } from './durability/kcat-consume.js';
import { partitionDir, scanPartition } from './durability/segment-files.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { encodeBatch } from '../../src/protocol/records/record-codec.js';

const TOPIC = 'orders';
const PARTITIONS = 2;
/** Small segments, so that filling the disk also crosses segment rolls. */
const SEGMENT_BYTES = 256 * 1024;
/** Room left by the first filler: less than one big batch, so its write is cut short. */
const ROOM_FOR_PART_OF_A_BATCH = 64 * 1024;
const BIG_VALUE = Buffer.alloc(300 * 1024, 'x');
const STORAGE_LINE = /ENOSPC/;
/** A topic of old data, whose deletion is how the test makes room without touching the fillers. */
const OLD_TOPIC = 'old-data';
const OLD_RECORDS = 8;

let skipReason: string | null =
  process.getuid?.() === 0
    ? null
    : 'mounting a tmpfs needs root; run as root (as CI does) to test a full disk';
let mountPoint = '';
let mounted = false;
let broker: BrokerProcess | null = null;
let raw: RawClient | null = null;
const producers: Producer[] = [];

function kafka(bootstrap: string): Kafka {
  return new Kafka({
    clientId: 'disk-full',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    // One try: the error of the first answer is what the test looks at.
    retry: { retries: 0 },
  });
}

async function connectedProducer(bootstrap: string): Promise<Producer> {
  const producer = kafka(bootstrap).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  producers.push(producer);
  return producer;
}

function freeBytes(dir: string): number {
  const stats = fs.statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/** Writes a filler file that leaves `leave` bytes free, or fills the volume when `leave` is 0. */
function fill(name: string, leave: number, volume = mountPoint): void {
  const file = path.join(volume, name);
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) {
      const room = freeBytes(volume) - leave;
      if (room <= 0) return;
      fs.writeSync(fd, chunk, 0, Math.min(chunk.length, room));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
}

function storageLines(): string[] {
  return broker!
    .output()
    .split('\n')
    .filter((line) => STORAGE_LINE.test(line));
}

async function rawProduce(values: Buffer[]) {
  const response = await raw!.send(ApiKey.Produce, 9, {
    acks: -1,
    timeoutMs: 5000,
    topicData: [
      {
        name: TOPIC,
        partitionData: values.map((value, index) => ({
          index,
          records: encodeBatch({ records: [{ key: `k${index}`, value }] }),
        })),
      },
    ],
  });
  return response.responses[0].partitionResponses;
}

/** The error type kafkajs reports, looking through its retry wrapper. */
function kafkajsErrorType(error: unknown): string | undefined {
  let current = error as { type?: string; cause?: unknown; originalError?: unknown } | undefined;
  while (current) {
    if (current.type) return current.type;
    current = (current.cause ?? current.originalError) as typeof current;
  }
  return undefined;
}

function expectWholeBatchesOnly(): void {
  for (let partition = 0; partition < PARTITIONS; partition++) {
    for (const scan of scanPartition(partitionDir(mountPoint, TOPIC, partition))) {
      expect(scan.problem, scan.file).toBeNull();
      expect(scan.tailBytes, `bytes after the last whole batch of ${scan.file}`).toBe(0);
    }
  }
}

describe('a broker on a full disk', () => {
  beforeAll(async () => {
    if (skipReason !== null) return;
    mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-disk-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', mountPoint], { stdio: 'pipe' });
      mounted = true;
    } catch (error) {
      skipReason = `mount -t tmpfs failed (${String(error).split('\n')[0]}): this environment cannot mount`;
      return;
    }
    broker = await spawnBroker(mountPoint);
    raw = await RawClient.connect(broker.port);
  }, 60_000);

  beforeEach((context) => context.skip(skipReason !== null, skipReason ?? undefined));

  afterAll(async () => {
    for (const producer of producers) await producer.disconnect().catch(() => {});
    raw?.close();
    if (broker && broker.child.exitCode === null) {
      broker.child.kill('SIGTERM');
      await broker.exited;
    }
    if (mounted) execFileSync('umount', [mountPoint]);
    if (mountPoint) fs.rmSync(mountPoint, { recursive: true, force: true });
  }, 60_000);

  it('writes while there is room', async () => {
    const admin = kafka(broker!.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic: TOPIC,
          numPartitions: PARTITIONS,
          configEntries: [{ name: 'segment.bytes', value: String(SEGMENT_BYTES) }],
        },
        {
          topic: OLD_TOPIC,
          numPartitions: 1,
          configEntries: [{ name: 'segment.bytes', value: String(SEGMENT_BYTES) }],
        },
      ],
    });
    await admin.disconnect();
    const producer = await connectedProducer(broker!.bootstrap);
    for (let i = 0; i < OLD_RECORDS; i++) {
      await producer.send({
        topic: OLD_TOPIC,
        acks: -1,
        messages: [{ value: Buffer.alloc(250 * 1024, 'o') }],
      });
    }
    for (let i = 0; i < 100; i++) {
      await producer.send({
        topic: TOPIC,
        acks: -1,
        messages: [{ partition: i % PARTITIONS, value: `before-${i}` }],
      });
    }
  });

  it('answers KAFKA_STORAGE_ERROR for each partition whose write the full disk cut short', async () => {
    fill('filler-1', ROOM_FOR_PART_OF_A_BATCH);
    const answers = await rawProduce([BIG_VALUE, BIG_VALUE]);
    expect(answers.map((answer) => answer.errorCode)).toEqual([
      ErrorCode.KAFKA_STORAGE_ERROR,
      ErrorCode.KAFKA_STORAGE_ERROR,
    ]);
    for (const answer of answers) {
      expect(answer.errorMessage).toMatch(/disk full/i);
      expect(answer.baseOffset).toBe(-1n);
    }
    // Part of each batch reached the file before the disk filled up: it was cut away again.
    expectWholeBatchesOnly();
    // Both partitions rolled a new segment for the big batch. A few records fit in the room left, so that
    // partition 1's next big batch must roll again: on a disk with no room at all.
    const producer = await connectedProducer(broker!.bootstrap);
    for (let i = 0; i < 5; i++) {
      await producer.send({ topic: TOPIC, acks: -1, messages: [{ partition: 1, value: `between-${i}` }] });
    }
  });

  it('refuses writes on a disk with no room at all, and logs it once', async () => {
    fill('filler-2', 0);
    const producer = await connectedProducer(broker!.bootstrap);
    for (let i = 0; i < 5; i++) {
      const sent = producer.send({ topic: TOPIC, acks: -1, messages: [{ partition: 0, value: 'refused' }] });
      await sent.then(
        () => expect.fail('a produce on a full disk succeeded'),
        (error: unknown) => expect(kafkajsErrorType(error)).toBe('KAFKA_STORAGE_ERROR'),
      );
    }
    // Partition 0 fails writing the batch, partition 1 already rolling its segment for it.
    const answers = await rawProduce([Buffer.from('small'), BIG_VALUE]);
    expect(answers.map((answer) => answer.errorCode)).toEqual([
      ErrorCode.KAFKA_STORAGE_ERROR,
      ErrorCode.KAFKA_STORAGE_ERROR,
    ]);
    expect(broker!.child.exitCode).toBeNull();
    // Nine refused writes in all (and as many on the way here), and one line for the operator.
    expect(storageLines()).toHaveLength(1);
    expect(storageLines()[0]).toMatch(/disk full/i);
    expectWholeBatchesOnly();
  });

  it('keeps serving reads', async () => {
    const { records } = await consumeAll(broker!.bootstrap, TOPIC, PARTITIONS);
    expect(records.map((record) => record.value).sort()).toEqual(
      [
        ...Array.from({ length: 100 }, (_, i) => `before-${i}`),
        ...Array.from({ length: 5 }, (_, i) => `between-${i}`),
      ].sort(),
    );
  });

  it('answers InitProducerId with a retriable error when no new block of producer ids fits', async () => {
    // Ids are reserved 1,000 at a time; asking for more than that needs a new block on disk.
    const codes = new Set<number>();
    for (let i = 0; i < 1_001; i++) {
      const answer = await raw!.send(ApiKey.InitProducerId, 4, {
        transactionalId: null,
        transactionTimeoutMs: -1,
        producerId: -1n,
        producerEpoch: -1,
      });
      codes.add(answer.errorCode);
    }
    expect(codes).toContain(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(broker!.child.exitCode).toBeNull();
  });

  it('refuses CreateTopics with an error and leaves no staging folder', async () => {
    const answer = await raw!.send(ApiKey.CreateTopics, 7, {
      topics: [
        {
          name: 'no-room',
          numPartitions: 3,
          replicationFactor: 1,
          assignments: [],
          configs: [],
        },
      ],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(answer.topics[0].errorCode).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(answer.topics[0].errorMessage).toMatch(/disk full/i);

    const admin = kafka(broker!.bootstrap).admin();
    await admin.connect();
    await expect(admin.createTopics({ topics: [{ topic: 'no-room-either' }] })).rejects.toThrow();
    await admin.disconnect();

    // kcat asking for an unknown topic: the broker's auto-creation is refused the same way.
    const listed = await runKcat(['-L', '-b', broker!.bootstrap, '-t', 'auto-created']);
    // librdkafka's text for KAFKA_STORAGE_ERROR.
    expect(listed.stdout).toMatch(/topic "auto-created" with 0 partitions: Broker: Disk error/);

    const topicsDir = path.join(mountPoint, 'broker', 'topics');
    expect(fs.readdirSync(topicsDir).filter((name) => name.startsWith('~'))).toEqual([]);
    expect(fs.existsSync(path.join(topicsDir, 'no-room'))).toBe(false);
  });

  it('refuses CreatePartitions and AlterConfigs with KAFKA_STORAGE_ERROR and changes nothing', async () => {
    const admin = kafka(broker!.bootstrap).admin();
    await admin.connect();
    const grown = admin.createPartitions({ topicPartitions: [{ topic: TOPIC, count: 4 }] });
    expect(
      kafkajsErrorType(
        await grown.then(
          () => null,
          (error: unknown) => error,
        ),
      ),
    ).toBe('KAFKA_STORAGE_ERROR');
    const altered = admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: TOPIC,
          configEntries: [{ name: 'flush.messages', value: '5' }],
        },
      ],
    });
    expect(
      kafkajsErrorType(
        await altered.then(
          () => null,
          (error: unknown) => error,
        ),
      ),
    ).toBe('KAFKA_STORAGE_ERROR');
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics;
    expect(metadata.partitions).toHaveLength(PARTITIONS);
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: TOPIC, configNames: ['flush.messages'] }],
    });
    expect(described.resources[0].configEntries[0].isDefault).toBe(true);
    await admin.disconnect();
    const topicDir = path.join(mountPoint, 'broker', 'topics', TOPIC);
    expect(fs.readdirSync(topicDir).sort()).toEqual(['0', '1', 'topic.json']);
  });

  it('makes room when old records are deleted (DeleteRecords works on a full disk)', async () => {
    const free = freeBytes(mountPoint);
    const admin = kafka(broker!.bootstrap).admin();
    await admin.connect();
    // kafkajs looks the partition leaders up in metadata it must have loaded already.
    await admin.fetchTopicMetadata({ topics: [OLD_TOPIC] });
    await admin.deleteTopicRecords({
      topic: OLD_TOPIC,
      partitions: [{ partition: 0, offset: String(OLD_RECORDS) }],
    });
    await admin.disconnect();
    expect(freeBytes(mountPoint)).toBeGreaterThan(free + 1024 * 1024);
    const answers = await rawProduce([Buffer.from('room-0'), Buffer.from('room-1')]);
    expect(answers.map((answer) => answer.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
  });

  it('takes writes again once space is freed', async () => {
    fs.rmSync(path.join(mountPoint, 'filler-1'));
    fs.rmSync(path.join(mountPoint, 'filler-2'));
    const producer = await connectedProducer(broker!.bootstrap);
    for (let i = 0; i < 20; i++) {
      await producer.send({
        topic: TOPIC,
        acks: -1,
        messages: [{ partition: i % PARTITIONS, value: `after-${i}` }],
      });
    }
    const answers = await rawProduce([BIG_VALUE, BIG_VALUE]);
    expect(answers.map((answer) => answer.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
    expect(broker!.output()).toMatch(/the data directory takes writes again/);

    const admin = kafka(broker!.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'room-again' }] });
    await admin.disconnect();
    expectWholeBatchesOnly();
  });

  it('reads back every accepted record, without holes, before and after a restart', async () => {
    const expected = [
      ...Array.from({ length: 100 }, (_, i) => `before-${i}`),
      ...Array.from({ length: 5 }, (_, i) => `between-${i}`),
      'room-0',
      'room-1',
      ...Array.from({ length: 20 }, (_, i) => `after-${i}`),
    ].sort();
    const check = async () => {
      const { records, endOffsets } = await consumeAll(broker!.bootstrap, TOPIC, PARTITIONS);
      // The two big records are not printable in a line check: compare the small ones and count all.
      expect(
        records
          .filter((record) => record.value !== BIG_VALUE.toString())
          .map((r) => r.value)
          .sort(),
      ).toEqual(expected);
      for (let partition = 0; partition < PARTITIONS; partition++) {
        const offsets = records.filter((r) => r.partition === partition).map((r) => r.offset);
        expect(offsets).toEqual(Array.from({ length: endOffsets[partition] }, (_, i) => i));
      }
      expect(endOffsets.reduce((a, b) => a + b, 0)).toBe(expected.length + 2);
    };
    await check();

    raw!.close();
    raw = null;
    for (const producer of producers.splice(0)) await producer.disconnect();
    broker!.child.kill('SIGTERM');
    expect(await broker!.exited).toBe(0);
    broker = await spawnBroker(mountPoint);
    await waitFor(() => consumeAll(broker!.bootstrap, TOPIC, PARTITIONS), {
      what: 'the restarted broker to serve the topic',
    });
    await check();
    expectWholeBatchesOnly();
  });

  it('starts on a full disk after a crash, serves reads, and takes writes once there is room', async () => {
    // A partition written past its recovery point, with index entries to rebuild: recovery must write them.
    const admin = kafka(broker!.bootstrap).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'crash' }] });
    await admin.disconnect();
    const producer = await connectedProducer(broker!.bootstrap);
    for (let i = 0; i < 20; i++) {
      await producer.send({
        topic: 'crash',
        acks: -1,
        messages: [{ value: `crash-${i}-${'c'.repeat(1000)}` }],
      });
    }
    for (const connected of producers.splice(0)) await connected.disconnect();
    broker!.child.kill('SIGKILL');
    await broker!.exited;
    fill('filler-3', 0);

    broker = await spawnBroker(mountPoint);
    // It said why it could not write (its checkpoints, the recovered indexes): one line, rate-limited.
    expect(broker.output()).toMatch(/disk full \(ENOSPC\) while writing the/);
    const { records } = await consumeAll(broker.bootstrap, 'crash', 1);
    expect(records.map((record) => record.value.split('-').slice(0, 2).join('-'))).toEqual(
      Array.from({ length: 20 }, (_, i) => `crash-${i}`),
    );
    raw = await RawClient.connect(broker.port);
    const refused = await rawProduce([Buffer.from('no'), Buffer.from('no')]);
    expect(refused.map((answer) => answer.errorCode)).toEqual([
      ErrorCode.KAFKA_STORAGE_ERROR,
      ErrorCode.KAFKA_STORAGE_ERROR,
    ]);

    fs.rmSync(path.join(mountPoint, 'filler-3'));
    const accepted = await rawProduce([Buffer.from('yes'), Buffer.from('yes')]);
    expect(accepted.map((answer) => answer.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
    expectWholeBatchesOnly();
  });
});

// Under `venice up` the broker's stdout is its log file in the data dir (docs/supervisor.md): the same
// volume fills up. The broker must go on answering when it cannot write its own log line.
describe('a broker whose log file is on the full disk', () => {
  let volume = '';
  let mountedLogVolume = false;
  let child: ChildProcess | null = null;

  beforeAll(() => {
    if (skipReason !== null) return;
    volume = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-disk-full-log-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', volume], { stdio: 'pipe' });
      mountedLogVolume = true;
    } catch (error) {
      skipReason = `mount -t tmpfs failed (${String(error).split('\n')[0]}): this environment cannot mount`;
    }
  });

  beforeEach((context) => context.skip(skipReason !== null, skipReason ?? undefined));

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    if (mountedLogVolume) execFileSync('umount', [volume]);
    if (volume) fs.rmSync(volume, { recursive: true, force: true });
  }, 60_000);

  it('answers KAFKA_STORAGE_ERROR and writes its line once there is room', async () => {
    const logFile = path.join(volume, 'broker.log');
    const output = fs.openSync(logFile, 'a');
    child = spawn(
      process.execPath,
      [path.resolve('bin/venice.js'), 'broker', '--port', '0', '--data-dir', path.join(volume, 'broker')],
      { stdio: ['ignore', output, output] },
    );
    fs.closeSync(output);
    const port = await waitFor(
      () => /listening on [^\s]*:(\d+)\b/.exec(fs.readFileSync(logFile, 'utf8'))?.[1],
      { what: 'the broker to log its port' },
    );
    const client = await RawClient.connect(Number(port));
    try {
      const produce = () =>
        client.send(ApiKey.Produce, 9, {
          acks: -1,
          timeoutMs: 5000,
          topicData: [
            {
              name: 'logged',
              partitionData: [{ index: 0, records: encodeBatch({ records: [{ value: 'v' }] }) }],
            },
          ],
        });
      await client.send(ApiKey.CreateTopics, 7, {
        topics: [{ name: 'logged', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
        timeoutMs: 5000,
        validateOnly: false,
      });
      // The log file ends on a page boundary (blank lines), so the broker's next line needs a page of its own.
      const size = fs.statSync(logFile).size;
      fs.appendFileSync(logFile, '\n'.repeat(4096 - (size % 4096)));
      fill('filler', 0, volume);
      for (let i = 0; i < 3; i++) {
        const answer = await produce();
        expect(answer.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
      }
      expect(child.exitCode).toBeNull();
      expect(fs.readFileSync(logFile, 'utf8')).not.toMatch(/disk full/);

      fs.rmSync(path.join(volume, 'filler'));
      const answer = await produce();
      expect(answer.responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.NONE);
      // The line the full disk held back went out with the next one.
      await waitFor(() => /disk full \(ENOSPC\)/.test(fs.readFileSync(logFile, 'utf8')), {
        what: 'the held-back log line to reach the log file',
      });
    } finally {
      client.close();
    }
  });
});
