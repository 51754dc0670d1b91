// DescribeLogDirs (key 35) against a real broker on TCP: in the raw codec's oldest and newest versions,
// and through src/client's topics.sizes (the console's size on disk).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../src/client/index.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import type { RunningBroker } from '../../src/broker/main.js';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { RawClient } from '../helpers/raw-client.js';

let broker: RunningBroker & { bootstrap: string };
let dataDir: string;
let raw: RawClient;
let kafka: Kafka;

describe('DescribeLogDirs', () => {
  beforeAll(async () => {
    dataDir = temporaryDataDir('log-dirs');
    broker = await startTestBroker({ dataDir });
    raw = await RawClient.connect(broker.port);
    kafka = openKafka({ bootstrapServers: broker.bootstrap });
    await kafka.topics.create({ name: 'sized', partitions: 2 });
    await kafka.produce([
      { topic: 'sized', partition: 0, key: Buffer.from('k'), value: Buffer.alloc(1000, 1) },
      { topic: 'sized', partition: 0, key: Buffer.from('k'), value: Buffer.alloc(1000, 2) },
    ]);
  });

  afterAll(async () => {
    raw?.close();
    await kafka?.close();
    await broker?.stop();
  });

  it('reports each partition of the topics asked for, and leaves out what does not exist', async () => {
    const response = await raw.send(ApiKey.DescribeLogDirs, 4, {
      topics: [
        { topic: 'sized', partitions: [0, 1, 7] },
        { topic: 'missing', partitions: [0] },
      ],
    });
    expect(response.errorCode).toBe(ErrorCode.NONE);
    expect(response.results).toHaveLength(1);
    const [result] = response.results;
    expect(result.errorCode).toBe(ErrorCode.NONE);
    expect(result.logDir).toBe(dataDir);
    expect(result.totalBytes).toBeGreaterThan(0n);
    expect(result.usableBytes).toBeGreaterThan(0n);
    expect(result.topics.map((topic) => topic.name)).toEqual(['sized']);
    const [first, second] = result.topics[0].partitions;
    expect(first.partitionIndex).toBe(0);
    expect(first.partitionSize).toBeGreaterThan(2000n);
    expect(second).toMatchObject({ partitionIndex: 1, partitionSize: 0n, offsetLag: 0n, isFutureKey: false });
    expect(result.topics[0].partitions).toHaveLength(2);
  });

  it('reports every topic for a null list, in v0 too', async () => {
    const response = await raw.send(ApiKey.DescribeLogDirs, 0, { topics: null });
    const names = response.results[0].topics.map((topic) => topic.name);
    expect(names).toContain('sized');
  });

  it("gives the client each partition's size, which grows with what is produced", async () => {
    const before = await kafka.topics.sizes(['sized']);
    expect(before.map((row) => [row.topic, row.partition, row.logDir])).toEqual([
      ['sized', 0, dataDir],
      ['sized', 1, dataDir],
    ]);
    await kafka.produce([{ topic: 'sized', partition: 1, value: Buffer.alloc(500, 3) }]);
    const after = await kafka.topics.sizes(['sized']);
    expect(after[0].sizeBytes).toBe(before[0].sizeBytes);
    expect(after[1].sizeBytes).toBeGreaterThan(500n);
    await expect(kafka.topics.sizes(['missing'])).rejects.toMatchObject({ kind: 'not-found' });
  });
});
