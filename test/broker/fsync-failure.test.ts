// An fsync the disk refuses (issue #8). On thin-provisioned storage the file system takes writes into the
// page cache and the disk behind it runs out of room when they are flushed, so the error comes from fsync.
// Reproduced for real: a 64 MB ext4 image on a loop device, whose backing file lives on an 8 MB tmpfs. An
// acks=all produce then gets KAFKA_STORAGE_ERROR (its records are not known to be durable) on a connection
// that stays up, the broker keeps serving what it holds, logs the failure without a line per request, and
// still stops cleanly when asked to.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnBroker, type BrokerProcess } from '../helpers/broker.js';
import { RawClient } from '../helpers/raw-client.js';
import { consumeAll } from './durability/kcat-consume.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';
import { encodeBatch } from '../../src/protocol/records/record-codec.js';

const TOPIC = 'thin';
const VALUE = Buffer.alloc(900 * 1024, 'y');
/** More than the 8 MB behind the file system: the flushes must run out of room before this many batches. */
const MAX_BATCHES = 40;
const STORAGE_LINE = /(disk full|storage error) \(?\w*\)? ?while/;

let skipReason: string | null =
  process.getuid?.() === 0 ? null : 'mounting file systems needs root; run as root (as CI does)';
let backingDir = '';
let dataDir = '';
const mounted: string[] = [];
let broker: BrokerProcess | null = null;
let raw: RawClient | null = null;

function mount(args: string[]): void {
  execFileSync('mount', args, { stdio: 'pipe' });
  mounted.unshift(args[args.length - 1]);
}

async function produceBig() {
  const response = await raw!.send(ApiKey.Produce, 9, {
    acks: -1,
    timeoutMs: 5000,
    topicData: [
      { name: TOPIC, partitionData: [{ index: 0, records: encodeBatch({ records: [{ value: VALUE }] }) }] },
    ],
  });
  return response.responses[0].partitionResponses[0];
}

describe('a broker whose fsync fails', () => {
  beforeAll(async () => {
    if (skipReason !== null) return;
    backingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-thin-backing-'));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-thin-data-'));
    try {
      mount(['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', backingDir]);
      const image = path.join(backingDir, 'disk.img');
      // Sparse: the file system sees 64 MB, the tmpfs behind it holds 8.
      fs.writeFileSync(image, '');
      fs.truncateSync(image, 64 * 1024 * 1024);
      execFileSync('mkfs.ext4', ['-q', '-E', 'lazy_itable_init=1,lazy_journal_init=1', image], {
        stdio: 'pipe',
      });
      mount(['-o', 'loop', image, dataDir]);
    } catch (error) {
      skipReason = `could not set up a loop-mounted ext4 on a small tmpfs (${String(error).split('\n')[0]})`;
      return;
    }
    broker = await spawnBroker(dataDir);
    raw = await RawClient.connect(broker.port);
  }, 60_000);

  beforeEach((context) => context.skip(skipReason !== null, skipReason ?? undefined));

  afterAll(async () => {
    raw?.close();
    if (broker && broker.child.exitCode === null) {
      broker.child.kill('SIGKILL');
      await broker.exited;
    }
    for (const point of mounted) execFileSync('umount', [point], { stdio: 'pipe' });
    for (const dir of [dataDir, backingDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('answers KAFKA_STORAGE_ERROR on the connection, serves reads, and stops cleanly', async () => {
    const kafka = new Kafka({
      brokers: [broker!.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    for (let i = 0; i < 20; i++)
      await producer.send({ topic: TOPIC, acks: -1, messages: [{ value: `before-${i}` }] });
    await producer.disconnect();

    let refused: Awaited<ReturnType<typeof produceBig>> | null = null;
    for (let i = 0; i < MAX_BATCHES && !refused; i++) {
      const answer = await produceBig();
      if (answer.errorCode !== ErrorCode.NONE) refused = answer;
    }
    expect(refused, `${MAX_BATCHES} batches of 900 KB all acknowledged on 8 MB`).not.toBeNull();
    expect(refused!.errorCode).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(refused!.errorMessage).toMatch(/thin-0/);
    // The same connection answers the next requests, each with the error.
    for (let i = 0; i < 10; i++) expect((await produceBig()).errorCode).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    expect(broker!.child.exitCode).toBeNull();

    // Eleven refusals, and at most a line for each kind of failure (ENOSPC at fsync, then EIO or EROFS).
    const lines = broker!
      .output()
      .split('\n')
      .filter((line) => STORAGE_LINE.test(line));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(3);

    const { records } = await consumeAll(broker!.bootstrap, TOPIC, 1);
    expect(records.slice(0, 20).map((record) => record.value)).toEqual(
      Array.from({ length: 20 }, (_, i) => `before-${i}`),
    );

    raw!.close();
    raw = null;
    broker!.child.kill('SIGTERM');
    expect(await broker!.exited).toBe(0);
  });
});
