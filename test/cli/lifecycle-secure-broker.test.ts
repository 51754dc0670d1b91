// Issue #14's whole pipeline with security on, as a user runs it: `venice install --secure`, `venice up`,
// the setup commands it printed (SCRAM users and the example application's ACLs, run as printed), then
// an application over the EXTERNAL SASL_SSL listener with SCRAM-SHA-512 (kcat and kafkajs): its user
// produces and consumes, a wrong password fails to log in, a topic outside its ACLs is refused. The
// HTTP components ask for the admin's password (the registry refuses an anonymous DELETE), SQL over
// the REST API as the admin creates a stream over the topic and queries it, the demo's pipeline runs
// (its orders decode through the registry), `venice status` shows all healthy, `venice down` stops it all.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/broker.js';
import { runKcat } from '../helpers/kcat.js';
import { runtimePaths } from '../../src/supervisor/paths.js';
import {
  CLI,
  cleanEnvironment,
  pipelinePorts,
  runVenice,
  statusJson,
  tearDown,
  temporaryProject,
} from './lifecycle-helpers.js';

const APP = 'orders-app';
/** Inside the app's ACLs (prefix `orders`); `orders` itself carries the demo's Avro orders. */
const TOPIC = 'orders-test';
/** Outside the app's ACLs (its topics start with `orders`). */
const DENIED_TOPIC = 'payments';

/** Runs a line as a shell would, `venice` being this worktree's CLI. */
function runShell(script: string, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'sh',
      ['-c', `venice() { "${process.execPath}" "${CLI}" "$@"; }\n${script}`],
      { cwd, env: cleanEnvironment(), timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('the whole pipeline with security on (venice install --secure)', { timeout: 400_000 }, () => {
  let project: string;
  let ports: Awaited<ReturnType<typeof pipelinePorts>>;
  let externalPort: number;
  let setupCommands: string[];
  const secret = (name: string) => fs.readFileSync(path.join(project, 'secrets', name), 'utf8').trim();
  const external = () => `127.0.0.1:${externalPort}`;
  const caFile = () => path.join(project, 'certs', 'ca.pem');

  const kcatAs = (password: string) => [
    '-b',
    external(),
    '-X',
    'security.protocol=SASL_SSL',
    '-X',
    'sasl.mechanisms=SCRAM-SHA-512',
    '-X',
    `sasl.username=${APP}`,
    '-X',
    `sasl.password=${password}`,
    '-X',
    `ssl.ca.location=${caFile()}`,
  ];
  const kafkajsAs = (password: string) =>
    new Kafka({
      clientId: 'secure-pipeline-test',
      brokers: [external()],
      ssl: { ca: [fs.readFileSync(caFile())] },
      sasl: { mechanism: 'scram-sha-512', username: APP, password },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
  const admin = () => `Basic ${Buffer.from(`admin:${secret('http-admin.password')}`).toString('base64')}`;

  beforeAll(async () => {
    project = temporaryProject('secure-broker');
    const installed = await runVenice(['install', '--secure', '.'], { cwd: project });
    expect(installed.code, installed.stderr).toBe(0);
    setupCommands = installed.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith('venice users create') || line.startsWith('venice acl create'));
    expect(setupCommands).toHaveLength(4);

    ports = await pipelinePorts();
    externalPort = await freePort();
    while (Object.values(ports).includes(externalPort)) externalPort = await freePort();
    // The installed layout on free ports: the services' listener follows ports.kafka.
    const up = await runVenice(
      [
        'up',
        ...ports.flags,
        '--broker-listeners',
        `SERVICES://127.0.0.1:${ports.kafka},EXTERNAL://0.0.0.0:${externalPort}`,
      ],
      { cwd: project, timeoutMs: 240_000 },
    );
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toContain(`Kafka EXTERNAL (SASL_SSL)`);
    for (const command of setupCommands) {
      const result = await runShell(command, project);
      expect(result.code, `${command}\n${result.stdout}\n${result.stderr}`).toBe(0);
    }
    // Made by the CLI as the services' user (a super user), over the services' listener.
    for (const topic of [TOPIC, DENIED_TOPIC]) {
      const created = await runVenice(['topics', 'create', topic], { cwd: project });
      expect(created.code, created.stderr).toBe(0);
    }
  }, 400_000);

  afterAll(async () => {
    await tearDown(project);
  }, 120_000);

  it('kcat, as the app over SASL_SSL with SCRAM-SHA-512: produces and consumes; a wrong password and a topic outside its ACLs are refused', async () => {
    const password = secret(`kafka-${APP}.password`);
    const produced = await runKcat([...kcatAs(password), '-P', '-t', TOPIC], '{"id":1,"amount":5}\n');
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await runKcat([...kcatAs(password), '-C', '-t', TOPIC, '-e', '-q']);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stdout).toContain('{"id":1,"amount":5}');

    const wrong = await runKcat([...kcatAs('not-the-password'), '-L', '-m', '5']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('Authentication failed');

    const denied = await runKcat([...kcatAs(password), '-P', '-t', DENIED_TOPIC], 'no\n');
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/Topic authorization failed/i);
  });

  it('kafkajs, as the app: produces; SASL_AUTHENTICATION_FAILED with a wrong password; TOPIC_AUTHORIZATION_FAILED outside its ACLs', async () => {
    const producer = kafkajsAs(secret(`kafka-${APP}.password`)).producer();
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: [{ value: '{"id":2,"amount":7}' }] });
    await expect(producer.send({ topic: DENIED_TOPIC, messages: [{ value: 'no' }] })).rejects.toMatchObject({
      cause: { type: 'TOPIC_AUTHORIZATION_FAILED' },
    });
    await producer.disconnect();

    const wrong = kafkajsAs('not-the-password').producer();
    const refused = await wrong.connect().then(
      () => null,
      (error: unknown) => error as Error & { type?: string },
    );
    expect(refused?.name).toBe('KafkaJSSASLAuthenticationError');
    // kafkajs passes the broker's message on only for error code 58, SASL_AUTHENTICATION_FAILED.
    expect(refused?.message).toMatch(/^SASL SCRAM SHA512 authentication failed: .*invalid credentials/);
    await wrong.disconnect();
  });

  it('the registry refuses an anonymous DELETE and accepts the admin', async () => {
    const registry = `http://127.0.0.1:${ports.registry}`;
    const registered = await fetch(`${registry}/subjects/${TOPIC}-value/versions`, {
      method: 'POST',
      headers: { authorization: admin(), 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schema: '{"type":"string"}' }),
    });
    expect(registered.status).toBe(200);
    const anonymous = await fetch(`${registry}/subjects/${TOPIC}-value`, { method: 'DELETE' });
    expect(anonymous.status).toBe(401);
    const deleted = await fetch(`${registry}/subjects/${TOPIC}-value`, {
      method: 'DELETE',
      headers: { authorization: admin() },
    });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual([1]);
  });

  it('SQL over the REST API as the admin: a stream over the topic, and a push query returns its rows', async () => {
    const sql = `http://127.0.0.1:${ports.sql}`;
    const anonymous = await fetch(`${sql}/ksql`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.ksql.v1+json' },
      body: JSON.stringify({ ksql: 'LIST STREAMS;' }),
    });
    expect(anonymous.status).toBe(401);
    const created = await fetch(`${sql}/ksql`, {
      method: 'POST',
      headers: { authorization: admin(), 'content-type': 'application/vnd.ksql.v1+json' },
      body: JSON.stringify({
        ksql: `CREATE STREAM test_orders (id INT, amount INT) WITH (kafka_topic='${TOPIC}', value_format='JSON');`,
        streamsProperties: {},
      }),
    });
    expect(created.status, await created.clone().text()).toBe(200);
    const query = await fetch(`${sql}/query-stream`, {
      method: 'POST',
      headers: { authorization: admin(), 'content-type': 'application/vnd.ksqlapi.delimited.v1' },
      body: JSON.stringify({
        sql: 'SELECT id, amount FROM test_orders EMIT CHANGES LIMIT 2;',
        properties: { 'auto.offset.reset': 'earliest' },
      }),
      signal: AbortSignal.timeout(60_000),
    });
    expect(query.status).toBe(200);
    const lines = (await query.text()).trim().split('\n');
    expect(JSON.parse(lines[0]) as { columnNames: string[] }).toMatchObject({
      columnNames: ['ID', 'AMOUNT'],
    });
    expect(lines.slice(1).map((line) => JSON.parse(line) as unknown)).toEqual([
      [1, 5],
      [2, 7],
    ]);
  });

  it("the demo runs secured too: its Avro orders decode through the registry, as the CLI's user", async () => {
    const consumed = await runVenice(['consume', 'orders', '-d', '-n', '1'], {
      cwd: project,
      timeoutMs: 60_000,
    });
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stdout).toContain('"order_id"');
  });

  it('venice status shows every component healthy, and venice down stops them', async () => {
    const { code, status } = await statusJson(project);
    expect(code).toBe(0);
    expect(status.components.map((component) => component.name).sort()).toEqual(
      ['broker', 'connect', 'console', 'demo', 'postgres', 'registry', 'sql'].sort(),
    );
    for (const component of status.components) {
      expect(component.state, component.name).toBe('running');
      expect(component.health, component.name).toBe('ok');
    }
    // The background supervisor got the passwords in its environment, not in its launch file.
    const launchFile = fs.readFileSync(runtimePaths(path.join(project, '.venice')).launchConfigFile, 'utf8');
    expect(launchFile).not.toContain(secret('kafka-venice.password'));
    expect(launchFile).not.toContain(secret('http-admin.password'));
    const down = await runVenice(['down'], { cwd: project, timeoutMs: 90_000 });
    expect(down.code, down.stderr).toBe(0);
    expect((await statusJson(project).catch(() => ({ status: { running: false } }))).status.running).toBe(
      false,
    );

    // No secret in any log of the run.
    const logsDir = path.join(project, '.venice', 'logs');
    const logs = fs
      .readdirSync(logsDir)
      .map((file) => fs.readFileSync(path.join(logsDir, file), 'utf8'))
      .join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const file of fs
      .readdirSync(path.join(project, 'secrets'))
      .filter((name) => name.endsWith('.password')))
      expect(logs, file).not.toContain(secret(file));
  });
});
