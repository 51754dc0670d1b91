// One project, one set of addresses: the data commands find the schema registry the way they find
// Kafka (flag, environment, the running pipeline, venice.yaml, default), so a project whose registry
// is not on 8081 needs no --registry-url. Runs the built CLI (`npm run build` first).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRegistry } from '../../src/registry/service.js';
import { freePort, startTestBroker } from '../helpers/broker.js';
import { call, startTestRegistry, type TestBroker } from '../registry/helpers.js';
import { pipelinePorts, runVenice, tearDown, temporaryProject } from './lifecycle-helpers.js';

const orderSchema = (name: string) => JSON.stringify({ type: 'record', name, fields: [] });

function subjects(stdout: string): string[] {
  return (JSON.parse(stdout) as { subject: string }[]).map((row) => row.subject);
}

describe('addresses from venice.yaml', { timeout: 120_000 }, () => {
  let broker: TestBroker;
  let registry: RunningRegistry;
  let project: string;

  beforeAll(async () => {
    broker = await startTestBroker();
    registry = await startTestRegistry(broker.bootstrap);
    await call(registry.url, 'POST', '/subjects/from-yaml-value/versions', { schema: orderSchema('Yaml') });
    project = temporaryProject('addresses');
    const registryPort = new URL(registry.url).port;
    fs.writeFileSync(
      path.join(project, 'venice.yaml'),
      `ports:\n  kafka: ${broker.port}\n  registry: ${registryPort}\n`,
    );
  });
  afterAll(async () => {
    await registry?.stop();
    await broker?.stop();
  });

  it('schemas and topics reach the ports venice.yaml gives, without flags', async () => {
    const listed = await runVenice(['schemas', 'list', '--json'], { cwd: project });
    expect(listed.code, listed.stderr).toBe(0);
    expect(subjects(listed.stdout)).toContain('from-yaml-value');

    const topics = await runVenice(['topics', '--json'], { cwd: project });
    expect(topics.code, topics.stderr).toBe(0);
    expect(topics.stdout).toContain('_schemas');
  });

  it('takes VENICE_REGISTRY_URL over venice.yaml, and --registry-url over both', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const fromEnvironment = await runVenice(['schemas', 'list', '--json'], {
      cwd: project,
      env: { VENICE_REGISTRY_URL: nobody },
    });
    expect(fromEnvironment.code).toBe(3); // unavailable: it went where the variable said
    const fromFlag = await runVenice(['schemas', 'list', '--json', '--registry-url', registry.url], {
      cwd: project,
      env: { VENICE_REGISTRY_URL: nobody },
    });
    expect(fromFlag.code, fromFlag.stderr).toBe(0);
    expect(subjects(fromFlag.stdout)).toContain('from-yaml-value');
  });

  it('reports a broken venice.yaml as a usage error with its fix, even when the address is given', async () => {
    const broken = temporaryProject('addresses-broken');
    fs.writeFileSync(path.join(broken, 'venice.yaml'), 'ports:\n  registry: eighty\n');
    const listed = await runVenice(['schemas', 'list'], { cwd: broken });
    expect(listed.code).toBe(2);
    expect(listed.stderr).toContain('venice.yaml line 2, ports.registry: expected a port');
    // The file may hold the HTTP credentials (http.user, http.ca), so it is read even when the address
    // comes from the environment, and its error is still the one to fix.
    const given = await runVenice(['schemas', 'list', '--json'], {
      cwd: broken,
      env: { VENICE_REGISTRY_URL: registry.url },
    });
    expect(given.code).toBe(2);
    expect(given.stderr).toContain('venice.yaml line 2, ports.registry: expected a port');
  });
});

describe('addresses of the running pipeline', { timeout: 180_000 }, () => {
  let project: string;
  afterAll(async () => {
    if (project) await tearDown(project);
  }, 120_000);

  it('schemas reaches the registry `venice up` started on a port given by flag, without flags', async () => {
    project = temporaryProject('addresses-up');
    const ports = await pipelinePorts();
    const up = await runVenice(['up', ...ports.flags], { cwd: project });
    expect(up.code, up.stderr).toBe(0);
    await call(`http://127.0.0.1:${ports.registry}`, 'POST', '/subjects/from-pipeline-value/versions', {
      schema: orderSchema('Pipeline'),
    });

    // Nothing in venice.yaml or the environment says where the pipeline is: the state file does.
    const listed = await runVenice(['schemas', 'list', '--json'], { cwd: project });
    expect(listed.code, listed.stderr).toBe(0);
    expect(subjects(listed.stdout)).toEqual(['from-pipeline-value']);

    const down = await runVenice(['down'], { cwd: project });
    expect(down.code, down.stderr).toBe(0);
  });
});
