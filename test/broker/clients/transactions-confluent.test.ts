// Kafka transactions with librdkafka (python3-confluent-kafka) against a real broker process: the
// transaction coordinator's side (init, offsets in a transaction, commit, abort, fencing, timeouts).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { spawnBroker, temporaryDataDir, type BrokerProcess } from '../../helpers/broker.js';
import { CONFLUENT_KAFKA_PYTHON, requireTool } from '../../helpers/system-tools.js';

const SCRIPT = 'test/broker/clients/transactions_confluent_scenario.py';
const TOPIC = 'payments';

let broker: BrokerProcess;
let admin: Admin;

interface ScenarioResult {
  code: number | null;
  output: Record<string, unknown>;
  stderr: string;
}

function runScenario(scenario: string, args: string[] = []): Promise<ScenarioResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(CONFLUENT_KAFKA_PYTHON.command, [
      SCRIPT,
      scenario,
      '--bootstrap',
      `127.0.0.1:${broker.port}`,
      '--topic',
      TOPIC,
      ...args,
    ]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      let output: Record<string, unknown>;
      try {
        output = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
      } catch {
        output = { unparsed: stdout };
      }
      resolve({ code, output, stderr });
    });
  });
}

async function committedOffset(groupId: string): Promise<string> {
  const [topic] = await admin.fetchOffsets({ groupId, topics: [TOPIC] });
  return topic.partitions.find((p) => p.partition === 0)!.offset;
}

async function highWatermark(): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(TOPIC);
  return Number(offsets.find((p) => p.partition === 0)!.high);
}

beforeAll(async () => {
  requireTool(CONFLUENT_KAFKA_PYTHON);
  broker = await spawnBroker(temporaryDataDir('txn-confluent'), 0, [
    '--transaction-max-timeout-ms',
    '120000',
  ]);
  admin = new Kafka({
    clientId: 'venice-test',
    brokers: [`127.0.0.1:${broker.port}`],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }] });
});

afterAll(async () => {
  await admin?.disconnect();
  broker?.child.kill('SIGKILL');
});

describe('librdkafka transactions', () => {
  it('commits consumer offsets in a transaction (send_offsets_to_transaction, commit)', async () => {
    const result = await runScenario('offsets-only', ['--group', 'offsets-only', '--offset', '7']);
    expect(result.code, result.stderr).toBe(0);
    expect(await committedOffset('offsets-only')).toBe('7');
  });

  it('fences the first producer with a fatal error when a second one with its transactional.id inits', async () => {
    const result = await runScenario('fenced', [
      '--transactional-id',
      'fence-me',
      '--group',
      'fenced',
      '--offset',
      '3',
    ]);
    expect(result.code, result.stderr).toBe(0);
    // librdkafka reports the broker's PRODUCER_FENCED as its own fatal _FENCED error.
    expect(result.output.first).toMatchObject({ name: '_FENCED', fatal: true });
    expect(result.output.second).toBe('committed');
    expect(await committedOffset('fenced')).toBe('3');
  });

  it("commits a group member's position through a transaction (generation and member id checked, KIP-447)", async () => {
    const producer = new Kafka({
      brokers: [`127.0.0.1:${broker.port}`],
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    await producer.send({
      topic: TOPIC,
      messages: [1, 2, 3].map((i) => ({ partition: 0, value: `input-${i}` })),
    });
    await producer.disconnect();
    const end = await highWatermark();
    const result = await runScenario('group-member', ['--group', 'members', '--count', '3']);
    expect(result.code, result.stderr).toBe(0);
    expect(await committedOffset('members')).toBe(String(end));
  });

  it('refuses a transaction.timeout.ms above transaction.max.timeout.ms', async () => {
    const result = await runScenario('init', [
      '--transactional-id',
      'too-long',
      '--transaction-timeout-ms',
      '120001',
    ]);
    expect(result.code).toBe(2);
    expect(result.output.error).toMatchObject({ name: 'INVALID_TRANSACTION_TIMEOUT' });
  });
});

describe('librdkafka transactional records', () => {
  it('commits records and offsets together, aborts records: read_committed sees only the committed, read_uncommitted all', async () => {
    const before = await highWatermark();
    const committed = await runScenario('commit', [
      '--transactional-id',
      'py-commit',
      '--group',
      'pipeline',
      '--offset',
      '5',
      '--count',
      '5',
      '--prefix',
      'kept',
    ]);
    expect(committed.code, committed.stderr).toBe(0);
    // Five records and the commit marker.
    expect(await highWatermark()).toBe(before + 6);
    expect(await committedOffset('pipeline')).toBe('5');

    const aborted = await runScenario('abort', [
      '--transactional-id',
      'py-abort',
      '--count',
      '5',
      '--prefix',
      'dropped',
    ]);
    expect(aborted.code, aborted.stderr).toBe(0);
    expect(await highWatermark()).toBe(before + 12);

    const consumed = await runScenario('consume');
    expect(consumed.code, consumed.stderr).toBe(0);
    const values = consumed.output.values as string[];
    expect(values.filter((v) => v.startsWith('kept-'))).toHaveLength(5);
    expect(values.filter((v) => v.startsWith('dropped-'))).toHaveLength(0);

    // read_uncommitted sees the aborted records too (never the markers).
    const uncommitted = await runScenario('consume', ['--isolation', 'read_uncommitted']);
    expect(uncommitted.code, uncommitted.stderr).toBe(0);
    const all = uncommitted.output.values as string[];
    expect(all.filter((v) => v.startsWith('kept-'))).toHaveLength(5);
    expect(all.filter((v) => v.startsWith('dropped-'))).toEqual([0, 1, 2, 3, 4].map((i) => `dropped-${i}`));
    expect(all).toHaveLength(values.length + 5);
  });
});
