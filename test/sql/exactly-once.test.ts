// processing.guarantee=exactly_once_v2 end to end: `venice sql` as a process over a real broker runs a
// stream-to-stream query and a COUNT per key into a table (a changelog involved) with exactly once, and
// one stream query with the default (at least once). Input comes in rounds; in each the engine is
// killed (SIGKILL) while busy with it and started again on the same data folder. Read with read_committed (as
// every reader of src/client reads), the exactly-once outputs hold each input once and the final counts
// equal the input tally; the at-least-once output holds every input at least once. (Run with at least
// once instead, the same kills gave counts above the tally and 1,500 duplicate copies.) Last, a query's
// member is removed from its group while it works: the transaction in flight is refused and aborted, the
// query restarts from its committed offsets, and its output still holds each input once.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type Kafka } from '../../src/client/index.js';
import { processingGuarantee, queryTransactionalId } from '../../src/sql/runtime/batch-committer.js';
import { engineProcessId, SINGLE_INSTANCE_PROCESS_ID } from '../../src/sql/runtime/process-id.js';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { post } from './server/http.js';

const CLI = path.resolve('bin/venice.js');
const ROUNDS = 3;
const TOTAL = 15_000;
const PER_SEND = 500;
const EXACTLY_ONCE = {
  'processing.guarantee': 'exactly_once_v2',
  'auto.offset.reset': 'earliest',
};
const KEYS = 7;

interface Engine {
  url: string;
  child: ChildProcess;
  /** The last of what it printed. */
  output(): string;
}

async function startEngine(bootstrap: string, dataDir: string): Promise<Engine> {
  const child = spawn(
    process.execPath,
    [CLI, 'sql', '--port', '0', '--bootstrap-servers', bootstrap, '--no-registry', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const deadline = Date.now() + 90_000;
  while (!/listening on http:\/\//.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`venice sql did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: /listening on (http:\/\/[^\s"]+)/.exec(output)![1] as string, child, output: () => output };
}

async function killEngine(engine: Engine, signal: NodeJS.Signals): Promise<void> {
  if (engine.child.exitCode !== null || engine.child.signalCode !== null) return;
  const exited = new Promise((resolve) => engine.child.once('exit', resolve));
  engine.child.kill(signal);
  await exited;
}

async function ksql(url: string, statement: string, properties: Record<string, string> = {}) {
  const answer = await post(url, '/ksql', { ksql: statement, streamsProperties: properties });
  if (answer.status !== 200) throw new Error(`${statement} failed (${answer.status}): ${answer.text}`);
  return answer;
}

/** Every committed record of a topic, read to its last stable offset. */
async function readAll(kafka: Kafka, topic: string): Promise<{ key: string; value: string }[]> {
  const seen: { key: string; value: string }[] = [];
  for await (const record of kafka.consume({ topic, from: { kind: 'beginning' }, stopAtEnd: true }))
    seen.push({ key: record.key?.toString() ?? '', value: record.value?.toString() ?? '' });
  return seen;
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const ids = (records: { value: string }[]) =>
  records.map((record) => (JSON.parse(record.value) as { ID: number }).ID);

describe('processing.guarantee', () => {
  it('reads ksql.streams.processing.guarantee, then processing.guarantee, and refuses unknown values', () => {
    expect(processingGuarantee()).toBe('at_least_once');
    expect(processingGuarantee({ 'ksql.streams.processing.guarantee': 'exactly_once_v2' })).toBe(
      'exactly_once_v2',
    );
    expect(processingGuarantee({ 'processing.guarantee': 'EXACTLY_ONCE' })).toBe('exactly_once_v2');
    expect(processingGuarantee({ 'processing.guarantee': 'at_least_once' })).toBe('at_least_once');
    expect(() => processingGuarantee({ 'processing.guarantee': 'twice' })).toThrow(
      /processing.guarantee 'twice' is not known: use at_least_once \(the default\) or exactly_once_v2/,
    );
    expect(queryTransactionalId('_confluent-ksql-default_query_CSAS_X_1', 'p1')).toBe(
      '_confluent-ksql-default_query_CSAS_X_1-eos-p1',
    );
  });

  it('names producers per engine: kept across restarts on one state directory, distinct per server', () => {
    const first = temporaryDataDir('process-id-a');
    const id = engineProcessId(first);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(engineProcessId(first)).toBe(id);
    expect(engineProcessId(temporaryDataDir('process-id-b'))).not.toBe(id);
    expect(engineProcessId(undefined)).toBe(SINGLE_INSTANCE_PROCESS_ID);
  });
});

describe('exactly once across a killed engine', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let kafka: Kafka;
  let engine: Engine | undefined;
  const dataDir = temporaryDataDir('exactly-once-sql');

  beforeAll(async () => {
    broker = await startTestBroker();
    kafka = openKafka({ bootstrapServers: broker.bootstrap, clientId: 'exactly-once-test' });
  });
  afterAll(async () => {
    if (engine) await killEngine(engine, 'SIGKILL');
    await kafka?.close();
    await broker?.stop();
  });

  it('refuses an unknown processing.guarantee when a query is created', async () => {
    engine = await startEngine(broker.bootstrap, dataDir);
    await ksql(
      engine.url,
      `CREATE STREAM eos_in (id INT, k VARCHAR) WITH (kafka_topic='eos_in', value_format='json', partitions=2);`,
    );
    const answer = await post(engine.url, '/ksql', {
      ksql: `CREATE STREAM eos_bad WITH (kafka_topic='eos_bad') AS SELECT id FROM eos_in EMIT CHANGES;`,
      streamsProperties: { 'processing.guarantee': 'exactly_twice' },
    });
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/processing.guarantee 'exactly_twice' is not known/);
  }, 120_000);

  it('loses and duplicates nothing when the engine is killed mid-stream', async () => {
    const url = engine!.url;
    await ksql(
      url,
      `CREATE STREAM eos_copy WITH (kafka_topic='eos_copy', partitions=2) AS SELECT id, k FROM eos_in EMIT CHANGES;`,
      EXACTLY_ONCE,
    );
    await ksql(
      url,
      `CREATE TABLE eos_counts WITH (kafka_topic='eos_counts', partitions=1) AS SELECT k, COUNT(*) AS n FROM eos_in GROUP BY k EMIT CHANGES;`,
      EXACTLY_ONCE,
    );
    await ksql(
      url,
      `CREATE STREAM alo_copy WITH (kafka_topic='alo_copy', partitions=1) AS SELECT id FROM eos_in EMIT CHANGES;`,
      { 'auto.offset.reset': 'earliest' },
    );

    // Rounds of input, each killing the engine while it is busy with them: a kill then lands between a
    // batch's outputs and its offsets often enough that at least once would duplicate records.
    let produced = 0;
    const produce = async (count: number) => {
      for (let sent = 0; sent < count; sent += PER_SEND) {
        const records = [];
        for (let index = 0; index < PER_SEND; index++, produced++)
          records.push({
            topic: 'eos_in',
            partition: produced % 2,
            value: Buffer.from(JSON.stringify({ ID: produced, K: `k${produced % KEYS}` })),
          });
        await kafka.produce(records);
      }
    };
    const written = async (topic: string) =>
      (await kafka.topics.describe(topic)).partitions.reduce(
        (sum, partition) => sum + partition.highOffset,
        0n,
      );
    for (let round = 0; round < ROUNDS; round++) {
      const before = await written('eos_copy');
      await produce(TOTAL / ROUNDS);
      await until(
        'the engine to be busy with the round',
        async () => (await written('eos_copy')) > before + 200n,
      );
      await killEngine(engine!, 'SIGKILL');
      engine = await startEngine(broker.bootstrap, dataDir);
    }

    await until('the copy to catch up', async () => (await readAll(kafka, 'eos_copy')).length >= TOTAL);
    await until('the at-least-once copy to catch up', async () => {
      return new Set(ids(await readAll(kafka, 'alo_copy'))).size >= TOTAL;
    });
    const tally = new Map<string, number>();
    for (let id = 0; id < TOTAL; id++) tally.set(`k${id % KEYS}`, (tally.get(`k${id % KEYS}`) ?? 0) + 1);
    const finalCounts = async () => {
      const latest = new Map<string, number>();
      for (const { key, value } of await readAll(kafka, 'eos_counts'))
        latest.set(key, (JSON.parse(value) as { N: number }).N);
      return latest;
    };
    await until('the counts to reach the tally', async () => {
      const latest = await finalCounts();
      return [...tally].every(([key, count]) => (latest.get(key) ?? 0) >= count);
    });

    // Transactions were used: each left a commit marker after its records.
    expect(await written('eos_copy')).toBeGreaterThan(BigInt(TOTAL));
    // Exactly once: every input once in the copy, and counts that neither lost nor doubled a record.
    const copied = ids(await readAll(kafka, 'eos_copy')).sort((a, b) => a - b);
    expect(copied).toEqual(Array.from({ length: TOTAL }, (_, id) => id));
    expect(await finalCounts()).toEqual(tally);
    // At least once: every input there, duplicates allowed.
    const atLeastOnce = ids(await readAll(kafka, 'alo_copy'));
    expect(new Set(atLeastOnce).size).toBe(TOTAL);
    expect(atLeastOnce.length).toBeGreaterThanOrEqual(TOTAL);
  }, 400_000);

  it('reprocesses a batch whose transaction failed: the query restarts from its committed offsets', async () => {
    // Removing the query's member from its group makes the transaction in flight fail (its offsets
    // carry a member id the group no longer has); the query is started again and carries on.
    const url = engine!.url;
    await ksql(
      url,
      `CREATE STREAM eos_again WITH (kafka_topic='eos_again', partitions=1) AS SELECT id FROM eos_in EMIT CHANGES;`,
      EXACTLY_ONCE,
    );
    const group = async () =>
      (await kafka.groups.list()).find((entry) => entry.id.includes('EOS_AGAIN'))?.id ?? undefined;
    await until('the query to join its group', async () => (await group()) !== undefined);
    const groupId = (await group())!;
    for (let removal = 0; removal < 5; removal++) {
      const members = (await kafka.groups.describe(groupId)).members.map((member) => member.memberId);
      if (members.length > 0) await kafka.groups.removeMembers(groupId, members).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await until('the copy to catch up', async () => (await readAll(kafka, 'eos_again')).length >= TOTAL);
    const copied = ids(await readAll(kafka, 'eos_again')).sort((a, b) => a - b);
    expect(copied).toEqual(Array.from({ length: TOTAL }, (_, id) => id));
    // The removals hit batches in flight: the engine said so, and restarted the query.
    expect(engine!.output()).toMatch(/restarts from its committed offsets/);
  }, 300_000);
});
