// kafka-python (Debian's python3-kafka), a third, independent client implementation.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnBroker, temporaryDataDir, type BrokerProcess } from '../../helpers/broker.js';
import { KAFKA_PYTHON, requireTool } from '../../helpers/system-tools.js';
import { checkExactlyOnce, RECORD_COUNT, type Consumed } from './pipeline-scenario.js';

const PYTHON = KAFKA_PYTHON.command;
const SCRIPT = 'test/broker/clients/kafka_python_scenario.py';
const TOPIC = 'page-views';

let broker: BrokerProcess;
let dataDir: string;
let port: number;

function runScenario(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT, ...args, '--bootstrap', `127.0.0.1:${port}`, '--topic', TOPIC]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function parse(stdout: string): Consumed[] {
  return stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [partition, offset, value] = line.split(' ');
      return { partition: Number(partition), offset: Number(offset), value };
    });
}

async function consumeWithGroup(memberArgs: string[][]): Promise<Consumed[][]> {
  const results = await Promise.all(
    memberArgs.map((args) => runScenario(['consume', '--group', 'viewers', ...args])),
  );
  for (const result of results) expect(result.code, result.stderr).toBe(0);
  return results.map((result) => parse(result.stdout));
}

describe('kafka-python client', () => {
  beforeAll(async () => {
    requireTool(KAFKA_PYTHON);
    dataDir = temporaryDataDir('kafka-python');
    broker = await spawnBroker(dataDir);
    port = broker.port;
  });

  afterAll(() => {
    broker?.child.kill('SIGKILL');
  });

  it('produces 10,000 records, consumes them with a group of 2 across a broker restart, exactly once', async () => {
    const produced = await runScenario(['produce', '--count', String(RECORD_COUNT)]);
    expect(produced.code, produced.stderr).toBe(0);

    const firstPhase = await consumeWithGroup([
      ['--count', '2000'],
      ['--count', '2000'],
    ]);
    expect(firstPhase.flat().length).toBe(4000);

    broker.child.kill('SIGTERM');
    await broker.exited;
    broker = await spawnBroker(dataDir, port);

    const secondPhase = await consumeWithGroup([
      ['--idle', '4'],
      ['--idle', '4'],
    ]);
    const expected = new Set(Array.from({ length: RECORD_COUNT }, (_, i) => `view-${i}`));
    checkExactlyOnce([...firstPhase, ...secondPhase], expected);
  });
});
