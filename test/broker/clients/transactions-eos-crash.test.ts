// Exactly-once across broker crashes (issue #9): a librdkafka consume-transform-produce processor
// (transactions_eos_processor.py) copies 100,000 records in transactions while the broker is killed
// with SIGKILL and restarted on the same data and port several times; the processor also aborts and
// abandons some transactions itself. Read with read_committed, the output then holds every input record
// exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { spawnBroker, temporaryDataDir, type BrokerProcess } from '../../helpers/broker.js';
import { CONFLUENT_KAFKA_PYTHON, requireTool } from '../../helpers/system-tools.js';

const SCRIPT = 'test/broker/clients/transactions_eos_processor.py';
const RECORDS = 100_000;
/** One kill in each of these stretches of the stream, at a random point of it (fractions of RECORDS). */
const KILL_WINDOWS: [number, number][] = [
  [0.1, 0.25],
  [0.3, 0.45],
  [0.5, 0.65],
  [0.7, 0.85],
];

let broker: BrokerProcess | undefined;
/** The scripts still running, stopped if the test fails. */
const scripts = new Set<ChildProcess>();

afterEach(() => {
  broker?.child.kill('SIGKILL');
  broker = undefined;
  for (const script of scripts) script.kill('SIGKILL');
});

interface Run {
  done: Promise<{ code: number | null; last: Record<string, unknown>; stderr: string }>;
  /** Calls `listener` with each JSON line the script prints. */
  onLine(listener: (line: Record<string, unknown>) => void): void;
}

function runScript(mode: string, args: string[]): Run {
  const child = spawn(CONFLUENT_KAFKA_PYTHON.command, [SCRIPT, mode, '--count', String(RECORDS), ...args]);
  scripts.add(child);
  const listeners: ((line: Record<string, unknown>) => void)[] = [];
  let last: Record<string, unknown> = {};
  let pending = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      last = JSON.parse(line) as Record<string, unknown>;
      for (const listener of listeners) listener(last);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; last: Record<string, unknown>; stderr: string }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => {
        scripts.delete(child);
        resolve({ code, last, stderr });
      });
    },
  );
  return { done, onLine: (listener) => listeners.push(listener) };
}

function randomIn([low, high]: [number, number]): number {
  return Math.floor(RECORDS * (low + Math.random() * (high - low)));
}

it('copies 100,000 records exactly once through transactions while the broker is killed 4 times', async () => {
  requireTool(CONFLUENT_KAFKA_PYTHON);
  const dataDir = temporaryDataDir('txn-eos-crash');
  broker = await spawnBroker(dataDir);
  const port = broker.port;
  const bootstrap = ['--bootstrap', `127.0.0.1:${port}`];

  const filled = await runScript('fill', bootstrap).done;
  expect(filled.code, filled.stderr).toBe(0);

  const killAt = KILL_WINDOWS.map(randomIn);
  const kills: number[] = [];
  let restarting: Promise<void> = Promise.resolve();
  // The processor's batch sizes vary with the seed; a failure names it.
  const seed = Math.floor(Math.random() * 1_000_000);
  const processor = runScript('process', [...bootstrap, '--seed', String(seed), '--chaos']);
  processor.onLine((line) => {
    // Every other kill comes as a commit starts (EndTxn in flight), the others somewhere in the next
    // transaction after a commit.
    const duringCommit = kills.length % 2 === 1;
    const progress = Number(duringCommit ? line.committing : line.committed);
    if (kills.length >= killAt.length || !(progress >= killAt[kills.length])) return;
    kills.push(progress);
    restarting = restarting.then(async () => {
      if (!duringCommit) await new Promise((resolve) => setTimeout(resolve, Math.random() * 30));
      broker!.child.kill('SIGKILL');
      await broker!.exited;
      broker = await spawnBroker(dataDir, port);
    });
  });
  const processed = await processor.done;
  await restarting;
  const run = `seed ${seed}, kills after ${kills.join(', ')} of ${killAt.join(', ')} planned, ${JSON.stringify(processed.last)}`;
  expect(processed.code, `${run}\n${processed.stderr}`).toBe(0);
  expect(kills, run).toHaveLength(killAt.length);
  expect(processed.last, run).toMatchObject({ done: RECORDS });

  const verified = await runScript('verify', bootstrap).done;
  expect(verified.code, verified.stderr).toBe(0);
  expect(verified.last, run).toEqual({
    records: RECORDS,
    missing: [],
    missingCount: 0,
    duplicated: [],
    duplicatedCount: 0,
  });
}, 110_000);
