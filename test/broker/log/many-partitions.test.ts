// More partitions than the broker has file descriptors: segment files are opened on demand through a
// bounded set, so creating them, producing, consuming and restarting all work under a low `ulimit -n`.
// Before, each partition held its log file open: creation failed with EMFILE and the broker could not
// start again until topic folders were deleted by hand.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { spawnBroker, temporaryDataDir, type BrokerProcess } from '../../helpers/broker.js';
import { runKcat } from '../../helpers/kcat.js';

/** Low enough that one descriptor per partition runs out long before the topic is created. */
const FD_LIMIT = 256;
const PARTITIONS = 600;
/** Partitions produced to and read back, spread over the topic. */
const SAMPLED = [0, 123, 299, 450, PARTITIONS - 1];

const brokers: BrokerProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const broker of brokers.splice(0)) {
    broker.child.kill('SIGKILL');
    await broker.exited;
  }
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function stop(broker: BrokerProcess): Promise<number | null> {
  broker.child.kill('SIGTERM');
  const code = await broker.exited;
  brokers.splice(brokers.indexOf(broker), 1);
  return code;
}

async function start(dataDir: string): Promise<BrokerProcess> {
  const broker = await spawnBroker(dataDir, 0, [], { fdLimit: FD_LIMIT });
  brokers.push(broker);
  return broker;
}

async function produce(bootstrap: string, round: string): Promise<void> {
  for (const partition of SAMPLED) {
    const result = await runKcat(
      ['-P', '-b', bootstrap, '-t', 'wide', '-p', String(partition)],
      `${round}-${partition}\n`,
    );
    expect(result.code, result.stderr).toBe(0);
  }
}

async function readBack(bootstrap: string, partition: number): Promise<string[]> {
  const result = await runKcat(['-C', '-b', bootstrap, '-t', 'wide', '-p', String(partition), '-e', '-q']);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.split('\n').filter((line) => line.length > 0);
}

describe('a broker with more partitions than file descriptors', () => {
  it(`creates ${PARTITIONS} partitions under ulimit -n ${FD_LIMIT}, restarts, and still produces and consumes`, async () => {
    const dataDir = temporaryDataDir('many-partitions');
    dirs.push(dataDir);
    let broker = await start(dataDir);
    const kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'wide', numPartitions: PARTITIONS }] });
    } finally {
      await admin.disconnect();
    }
    await produce(broker.bootstrap, 'first');
    expect(await stop(broker), broker.output()).toBe(0);

    broker = await start(dataDir);
    await produce(broker.bootstrap, 'second');
    for (const partition of SAMPLED) {
      expect(await readBack(broker.bootstrap, partition)).toEqual([
        `first-${partition}`,
        `second-${partition}`,
      ]);
    }
    expect(await stop(broker), broker.output()).toBe(0);
  }, 180_000);
});
