// The incremental cooperative protocol (KIP-429) through the classic group coordinator, with librdkafka
// (Debian's python3-confluent-kafka) consumers using partition.assignment.strategy=cooperative-sticky:
// the broker only relays what the client-side assignor decides, but the two-phase rebalance depends on
// the coordinator letting a member keep its partitions while it rejoins, starting the second rebalance
// when the revoking member rejoins, and accepting commits from the current generation mid-rebalance.
// librdkafka's own test 0113 exercises the same against a running broker (not part of this suite).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker } from '../../helpers/broker.js';
import { requireTool, type SystemTool } from '../../helpers/system-tools.js';
import type { RunningBroker } from '../../../src/broker/main.js';

const SCRIPT = 'test/broker/groups/cooperative_scenario.py';
/** librdkafka's Python binding, as Debian packages it (it needs Debian's own python3). */
const CONFLUENT_KAFKA_PYTHON: SystemTool = {
  command: '/usr/bin/python3',
  probe: ['-c', 'import confluent_kafka'],
  debianPackage: 'python3-confluent-kafka',
};

interface ScenarioResult {
  events: Record<'c1' | 'c2', ['assign' | 'revoke', number[]][]>;
  commits: string[];
  final: Record<'c1' | 'c2', number[]>;
}

function runScenario(bootstrap: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(CONFLUENT_KAFKA_PYTHON.command, [
      SCRIPT,
      '--bootstrap',
      bootstrap,
      '--topic',
      'coop',
    ]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let broker: RunningBroker & { bootstrap: string };

describe('cooperative-sticky consumers (KIP-429)', () => {
  beforeAll(async () => {
    requireTool(CONFLUENT_KAFKA_PYTHON);
    broker = await startTestBroker();
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('moves only the partitions that change owner, in two rebalances, and commits during them', async () => {
    const run = await runScenario(broker.bootstrap);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as ScenarioResult;
    const [first, ...later] = result.events.c1;
    expect(first).toEqual(['assign', [0, 1, 2, 3]]);
    // One incremental revoke of the two partitions that move; the other two are never revoked.
    const revokes = later.filter(([kind]) => kind === 'revoke');
    expect(revokes).toHaveLength(1);
    expect(revokes[0][1]).toHaveLength(2);
    // Nothing is added back to c1 (only empty incremental assigns after the rebalances).
    expect(later.filter(([kind, partitions]) => kind === 'assign' && partitions.length > 0)).toEqual([]);
    // c2 receives exactly the revoked partitions.
    expect(result.final.c2).toEqual(revokes[0][1]);
    expect(result.events.c2.filter(([kind]) => kind === 'revoke')).toEqual([]);
    expect([...result.final.c1, ...result.final.c2].sort()).toEqual([0, 1, 2, 3]);
    // The commit made in the revoke callback, while the group rebalanced, was accepted.
    expect(result.commits[0]).toBe('ok');
  });
});
