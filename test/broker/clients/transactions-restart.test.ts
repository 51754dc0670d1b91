// Transactions across a broker crash (SIGKILL), with librdkafka (python3-confluent-kafka): committed
// transactional offsets survive it, and a transaction its producer left open is aborted once its
// timeout runs out after the restart, its producer fenced; and one whose PrepareCommit was logged when
// the broker died completes on restart.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnBroker, temporaryDataDir, type BrokerProcess } from '../../helpers/broker.js';
import { RawClient } from '../../helpers/raw-client.js';
import { CONFLUENT_KAFKA_PYTHON, requireTool } from '../../helpers/system-tools.js';
import { waitFor } from '../../helpers/wait.js';
import { ApiKey } from '../../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../../src/protocol/error-codes.js';
import { LogManager } from '../../../src/broker/log/log-manager.js';
import { openTransactionStateTopic, TxnStatus } from '../../../src/broker/transactions/index.js';

const SCRIPT = 'test/broker/clients/transactions_confluent_scenario.py';
const TOPIC = 'invoices';

let broker: BrokerProcess | undefined;

afterEach(() => {
  broker?.child.kill('SIGKILL');
  broker = undefined;
});

function runScenario(
  port: number,
  scenario: string,
  args: string[],
): Promise<{ code: number | null; stderr: string; output: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(CONFLUENT_KAFKA_PYTHON.command, [
      SCRIPT,
      scenario,
      '--bootstrap',
      `127.0.0.1:${port}`,
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
      const last = stdout.trim().split('\n').pop() ?? '';
      resolve({ code, stderr, output: last ? (JSON.parse(last) as Record<string, unknown>) : {} });
    });
  });
}

async function crash(): Promise<void> {
  broker!.child.kill('SIGKILL');
  await broker!.exited;
}

async function crashAndRestart(dataDir: string): Promise<BrokerProcess> {
  await crash();
  broker = await spawnBroker(dataDir);
  return broker;
}

/**
 * Leaves the broker's files as a crash right after EndTxn(commit) had logged PrepareCommit, before any
 * marker was written: the id's latest state, moved to PrepareCommit, appended to __transaction_state
 * (what the coordinator writes and flushes first). The broker must be stopped.
 */
async function logPrepareCommit(dataDir: string, transactionalId: string): Promise<void> {
  const logs = await LogManager.open(path.join(dataDir, 'broker'), {}, { startTimers: false });
  try {
    const stateTopic = openTransactionStateTopic(logs);
    const ongoing = stateTopic.readLatest(() => {}).get(transactionalId);
    expect(ongoing?.status).toBe(TxnStatus.Ongoing);
    await stateTopic.store.write(transactionalId, {
      ...ongoing!,
      status: TxnStatus.PrepareCommit,
      lastUpdateTimestampMs: Date.now(),
    });
  } finally {
    await logs.close();
  }
}

async function withRaw<T>(port: number, use: (raw: RawClient) => Promise<T>): Promise<T> {
  const raw = await RawClient.connect(port);
  try {
    return await use(raw);
  } finally {
    raw.close();
  }
}

async function committed(port: number, groupId: string) {
  return withRaw(port, async (raw) => {
    const response = await raw.send(ApiKey.OffsetFetch, 7, {
      groupId,
      topics: [{ name: TOPIC, partitionIndexes: [0] }],
      requireStable: true,
    });
    const [partition] = response.topics[0].partitions;
    return { offset: partition.committedOffset, errorCode: partition.errorCode };
  });
}

async function describeTransaction(port: number, transactionalId: string) {
  return withRaw(port, async (raw) => {
    const response = await raw.send(ApiKey.DescribeTransactions, 0, { transactionalIds: [transactionalId] });
    return response.transactionStates[0];
  });
}

async function createTopic(port: number): Promise<void> {
  await withRaw(port, async (raw) => {
    const response = await raw.send(ApiKey.CreateTopics, 5, {
      topics: [{ name: TOPIC, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 5000,
    });
    expect(response.topics[0].errorCode).toBe(ErrorCode.NONE);
  });
}

describe('transactions across a broker crash', () => {
  it('keeps offsets committed in a transaction', async () => {
    requireTool(CONFLUENT_KAFKA_PYTHON);
    const dataDir = temporaryDataDir('txn-restart-commit');
    broker = await spawnBroker(dataDir);
    await createTopic(broker.port);
    const result = await runScenario(broker.port, 'offsets-only', ['--group', 'durable', '--offset', '9']);
    expect(result.code, result.stderr).toBe(0);
    const restarted = await crashAndRestart(dataDir);
    expect(await committed(restarted.port, 'durable')).toEqual({ offset: 9n, errorCode: ErrorCode.NONE });
    expect(await describeTransaction(restarted.port, 'py-tx')).toMatchObject({
      transactionState: 'CompleteCommit',
    });
  });

  it('aborts a transaction left open when its timeout runs out after the restart, and fences its producer', async () => {
    requireTool(CONFLUENT_KAFKA_PYTHON);
    const dataDir = temporaryDataDir('txn-restart-open');
    broker = await spawnBroker(dataDir);
    await createTopic(broker.port);
    const left = await runScenario(broker.port, 'leave-open', [
      '--transactional-id',
      'crashed',
      '--group',
      'abandoned',
      '--offset',
      '5',
      '--transaction-timeout-ms',
      '3000',
    ]);
    expect(left.code, left.stderr).toBe(0);
    const before = await describeTransaction(broker.port, 'crashed');
    expect(before).toMatchObject({ transactionState: 'Ongoing' });
    expect((await committed(broker.port, 'abandoned')).errorCode).toBe(ErrorCode.UNSTABLE_OFFSET_COMMIT);

    const restarted = await crashAndRestart(dataDir);
    const after = await waitFor(
      async () => {
        const state = await describeTransaction(restarted.port, 'crashed');
        return state.transactionState === 'CompleteAbort' && state;
      },
      { what: 'the transaction left open to be aborted after its timeout' },
    );
    expect(after.producerEpoch).toBe(before.producerEpoch + 1);
    expect(await committed(restarted.port, 'abandoned')).toEqual({ offset: -1n, errorCode: ErrorCode.NONE });

    // A new instance of the producer carries on.
    const next = await runScenario(restarted.port, 'offsets-only', [
      '--transactional-id',
      'crashed',
      '--group',
      'abandoned',
      '--offset',
      '6',
    ]);
    expect(next.code, next.stderr).toBe(0);
    expect(await committed(restarted.port, 'abandoned')).toEqual({ offset: 6n, errorCode: ErrorCode.NONE });
  });

  it('completes a transaction whose PrepareCommit was logged before the crash: a read_committed consumer sees its records', async () => {
    requireTool(CONFLUENT_KAFKA_PYTHON);
    const dataDir = temporaryDataDir('txn-restart-prepared');
    broker = await spawnBroker(dataDir);
    await createTopic(broker.port);
    const left = await runScenario(broker.port, 'produce-leave-open', [
      '--transactional-id',
      'prepared',
      '--group',
      'prepared-offsets',
      '--offset',
      '4',
      '--count',
      '4',
      '--prefix',
      'prepared',
    ]);
    expect(left.code, left.stderr).toBe(0);
    const open = await runScenario(broker.port, 'consume', []);
    expect(open.code, open.stderr).toBe(0);
    expect(open.output.values).toEqual([]);

    await crash();
    await logPrepareCommit(dataDir, 'prepared');
    broker = await spawnBroker(dataDir);

    const consumed = await runScenario(broker.port, 'consume', []);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.output.values).toEqual([0, 1, 2, 3].map((i) => `prepared-${i}`));
    expect(await committed(broker.port, 'prepared-offsets')).toEqual({
      offset: 4n,
      errorCode: ErrorCode.NONE,
    });
    expect(await describeTransaction(broker.port, 'prepared')).toMatchObject({
      transactionState: 'CompleteCommit',
    });
  });
});
