// External mode: `venice up --bootstrap-servers` starts no broker of its own; the other services run
// against the given cluster (here a broker started on its own, standing in for an external Kafka).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnBroker, temporaryDataDir, type BrokerProcess } from '../helpers/broker.js';
import { runVenice, statusJson, tearDown, temporaryProject } from './lifecycle-helpers.js';

describe('venice up against an external Kafka cluster', { timeout: 180_000 }, () => {
  let external: BrokerProcess;
  let project: string;
  let registryPort: number;
  let sqlPort: number;
  let connectPort: number;
  let consolePort: number;

  beforeAll(async () => {
    external = await spawnBroker(temporaryDataDir('external-kafka'), await freePort());
    project = temporaryProject('external');
    registryPort = await freePort();
    sqlPort = await freePort();
    connectPort = await freePort();
    consolePort = await freePort();
  });
  afterAll(async () => {
    await tearDown(project);
    external?.child.kill('SIGKILL');
  }, 120_000);

  it('starts only the registry, sql and connect, pointed at the given Kafka cluster (which then holds its _schemas topic) and the given PostgreSQL', async () => {
    const up = await runVenice(
      [
        'up',
        '--bootstrap-servers',
        external.bootstrap,
        '--registry-port',
        String(registryPort),
        '--sql-port',
        String(sqlPort),
        '--connect-port',
        String(connectPort),
        '--console-port',
        String(consolePort),
        '--postgres-url',
        'postgres://postgres@127.0.0.1:5432/test',
      ],
      { cwd: project },
    );
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/broker\s+not started: using the external Kafka cluster at 127\.0\.0\.1:\d+/);
    expect(up.stdout).toMatch(
      /postgres\s+not started: using the external PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:5432\/test/,
    );

    const { status } = await statusJson(project);
    expect(status.bootstrapServers).toBe(external.bootstrap);
    expect(status.components.map((component) => component.name)).toEqual([
      'registry',
      'sql',
      'connect',
      'console',
    ]);

    const registered = await fetch(`http://127.0.0.1:${registryPort}/subjects/orders-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: JSON.stringify({ type: 'record', name: 'Order', fields: [] }) }),
    });
    expect(registered.status).toBe(200);

    const topics = await runVenice(['topics', '--json'], { cwd: project });
    expect(topics.code, topics.stderr).toBe(0);
    expect(topics.stdout).toContain('_schemas');
  });
});
