// The CLI's HTTP credentials against real components with Basic users: an HTTPS schema registry, a SQL
// engine and a connect worker. Every command takes --http-user, --http-password and --http-ca, else
// VENICE_HTTP_*, else http.* in venice.yaml; a 401 names those settings, an untrusted certificate says
// to pass --http-ca, a read-only user's write is refused saying so, and no password is ever printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthConfig } from '../helpers/http-users.js';
import { createAuthority, issueServer } from '../../src/cli/certs/certificates.js';
import { startConnect, type RunningConnect } from '../../src/connect/service.js';
import type { RunningRegistry } from '../../src/registry/service.js';
import { clientFetch } from '../../src/service/http-client.js';
import { silentLogger } from '../../src/service/index.js';
import { startSql, type RunningSql } from '../../src/sql/service.js';
import { startTestBroker } from '../helpers/broker.js';
import { startTestRegistry } from '../registry/helpers.js';
import { ScriptedEngine } from '../sql/server/scripted-engine.js';
import { runVenice, type CliResult } from './run-venice.js';

const ADMIN_PASSWORD = 'admin-Cli-Secret-31';
const VIEWER_PASSWORD = 'viewer-Cli-Secret-47';
const WRONG_PASSWORD = 'not-Cli-Secret-00';
const SCHEMA = JSON.stringify({ type: 'record', name: 'Order', fields: [{ name: 'id', type: 'long' }] });

const LOGIN_HINT =
  'pass --http-user <name> and --http-password <password>, or set VENICE_HTTP_USER and VENICE_HTTP_PASSWORD, ' +
  'or http.user and http.password in venice.yaml (docs/security.md)';

function expectNoPassword(result: CliResult): void {
  for (const secret of [ADMIN_PASSWORD, VIEWER_PASSWORD, WRONG_PASSWORD]) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

describe('the CLI logs in to the HTTP components', { timeout: 120_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-http-credentials-'));
  const caFile = path.join(dir, 'ca.pem');
  const otherCaFile = path.join(dir, 'other-ca.pem');
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let registry: RunningRegistry;
  let sql: RunningSql;
  let connect: RunningConnect;

  beforeAll(async () => {
    const authority = createAuthority('test CA', 30);
    const server = issueServer(authority, ['localhost', '127.0.0.1'], 30);
    fs.writeFileSync(caFile, authority.cert);
    fs.writeFileSync(otherCaFile, createAuthority('another CA', 30).cert);
    fs.writeFileSync(path.join(dir, 'server.pem'), server.cert + authority.cert);
    fs.writeFileSync(path.join(dir, 'server-key.pem'), server.key);
    const http = basicAuthConfig({
      admin: { name: 'admin', password: ADMIN_PASSWORD },
      readOnly: { name: 'viewer', password: VIEWER_PASSWORD },
    });
    broker = await startTestBroker();
    registry = await startTestRegistry(broker.bootstrap, {
      http: { ...http, tlsCert: path.join(dir, 'server.pem'), tlsKey: path.join(dir, 'server-key.pem') },
    });
    const engine = new ScriptedEngine();
    engine.statements.set('SHOW STREAMS;', [
      { '@type': 'streams', statementText: 'SHOW STREAMS;', streams: [], warnings: [] },
    ]);
    sql = await startSql({
      bootstrapServers: broker.bootstrap,
      port: 0,
      dataDir: path.join(dir, 'sql'),
      logger: silentLogger(),
      createEngine: () => engine,
      http,
    });
    connect = await startConnect({
      bootstrapServers: broker.bootstrap,
      port: 0,
      logger: silentLogger(),
      http,
    });
  }, 120_000);
  afterAll(async () => {
    await connect?.stop();
    await sql?.stop();
    await registry?.stop();
    await broker?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const schemas = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runVenice(['schemas', ...args, '--registry-url', registry.url], { env });
  const adminFlags = ['--http-user', 'admin', '--http-password', ADMIN_PASSWORD, '--http-ca', caFile];

  it('says to pass --http-ca when the registry certificate is not trusted, and when the CA is another', async () => {
    const untrusted = await schemas(['list', '--http-user', 'admin', '--http-password', ADMIN_PASSWORD]);
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toContain(
      `venice: cannot trust the HTTPS certificate of the schema registry at ${registry.url}`,
    );
    expect(untrusted.stderr).toContain(
      'pass --http-ca <ca.pem> (or set VENICE_HTTP_CA, or http.ca in venice.yaml)',
    );
    const wrongCa = await schemas(['list', '--http-ca', otherCaFile]);
    expect(wrongCa.code).toBe(3);
    expect(wrongCa.stderr).toContain(`the CA ${otherCaFile} did not sign its certificate`);
    expectNoPassword(untrusted);
  });

  it('answers a 401 by naming the settings that log in, without or with a wrong password', async () => {
    const anonymous = await schemas(['list', '--http-ca', caFile]);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toBe(
      `venice: the schema registry at ${registry.url} asks for a user and password (HTTP 401)\n  ${LOGIN_HINT}\n`,
    );
    const wrong = await schemas([
      'list',
      '--http-ca',
      caFile,
      '--http-user',
      'admin',
      '--http-password',
      WRONG_PASSWORD,
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(
      `venice: the schema registry at ${registry.url} did not accept the user admin (HTTP 401): wrong name or password`,
    );
    expect(wrong.stderr).toContain('`venice http-users add <name>` sets a new password');
    expectNoPassword(wrong);
  });

  it('takes the credentials from flags, from VENICE_HTTP_* and from venice.yaml, flags first', async () => {
    const file = path.join(dir, 'order.avsc');
    fs.writeFileSync(file, SCHEMA);
    const registered = await schemas(['register', 'orders-value', file, ...adminFlags]);
    expect(registered.code, registered.stderr).toBe(0);

    const env = { VENICE_HTTP_USER: 'viewer', VENICE_HTTP_PASSWORD: VIEWER_PASSWORD, VENICE_HTTP_CA: caFile };
    const fromEnv = await schemas(['list'], env);
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(fromEnv.stdout).toContain('orders-value');

    const project = path.join(dir, 'project');
    fs.mkdirSync(project, { recursive: true });
    fs.copyFileSync(caFile, path.join(project, 'ca.pem'));
    const yaml = path.join(project, 'venice.yaml');
    fs.writeFileSync(yaml, `http:\n  user: viewer\n  password: ${VIEWER_PASSWORD}\n  ca: ./ca.pem\n`);
    const fromYaml = await schemas(['show', 'orders-value'], { VENICE_CONFIG: yaml });
    expect(fromYaml.code, fromYaml.stderr).toBe(0);
    expect(fromYaml.stdout).toContain('Order');

    // The flag wins over a wrong password in the environment.
    const flagFirst = await schemas(['list', '--http-password', ADMIN_PASSWORD, '--http-user', 'admin'], {
      ...env,
      VENICE_HTTP_USER: 'admin',
      VENICE_HTTP_PASSWORD: WRONG_PASSWORD,
    });
    expect(flagFirst.code, flagFirst.stderr).toBe(0);
    for (const result of [registered, fromEnv, fromYaml, flagFirst]) expectNoPassword(result);
  });

  it("lets a read-only user look a schema up (Confluent's SUBJECT_READ), refuses its register and check", async () => {
    const file = path.join(dir, 'order.avsc');
    const viewer = ['--http-user', 'viewer', '--http-password', VIEWER_PASSWORD, '--http-ca', caFile];
    // register looks the schema up first: a read, so a read-only user learns it is there.
    const known = await schemas(['register', 'orders-value', file, ...viewer]);
    expect(known.code, known.stderr).toBe(0);
    expect(known.stdout).toContain('Already registered: orders-value version 1');
    const refused = await schemas(['register', 'payments-value', file, ...viewer]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `venice: the schema registry at ${registry.url} refused the request (HTTP 403)`,
    );
    expect(refused.stderr).toContain('user viewer is read-only');
    expect(refused.stderr).toContain('to log in as another user, pass --http-user <name>');
    const check = await schemas(['check', 'orders-value', file, ...viewer]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('refused the request (HTTP 403)');
    for (const result of [known, refused, check]) expectNoPassword(result);
  });

  it('venice ksql: a 401 names the settings; a read-only user shows streams and is refused a CREATE', async () => {
    const anonymous = await runVenice(['ksql', sql.url, '-e', 'SHOW STREAMS;']);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toBe(
      `venice: the SQL engine at ${sql.url} asks for a user and password (HTTP 401)\n  ${LOGIN_HINT}\n`,
    );
    const env = { VENICE_HTTP_USER: 'viewer', VENICE_HTTP_PASSWORD: VIEWER_PASSWORD };
    const shown = await runVenice(['ksql', sql.url, '-e', 'SHOW STREAMS;'], { env });
    expect(shown.code, shown.stderr).toBe(0);
    const created = await runVenice(
      [
        'ksql',
        sql.url,
        '-e',
        "CREATE STREAM s (id INT) WITH (kafka_topic='s', value_format='JSON', partitions=1);",
      ],
      { env },
    );
    expect(created.code).toBe(1);
    expect(created.stdout + created.stderr).toContain(
      'user viewer is read-only and may not run CREATE STREAM: log in as a user with a role outside http.readOnlyRoles',
    );
    for (const result of [anonymous, shown, created]) expectNoPassword(result);
  });

  it('venice connectors: flags log in, a 401 names the settings, a read-only user lists but cannot delete', async () => {
    const connectors = (args: string[]) => runVenice(['connectors', ...args, '--connect-url', connect.url]);
    const anonymous = await connectors(['list']);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toBe(
      `venice: the connect worker at ${connect.url} asks for a user and password (HTTP 401)\n  ${LOGIN_HINT}\n`,
    );
    const viewer = ['--http-user', 'viewer', '--http-password', VIEWER_PASSWORD];
    const listed = await connectors(['list', ...viewer]);
    expect(listed.code, listed.stderr).toBe(0);
    const deleted = await connectors(['delete', 'nothing', ...viewer]);
    expect(deleted.code).toBe(1);
    expect(deleted.stderr).toContain('refused the request (HTTP 403): user viewer is read-only');
    // Checking a config changes nothing: a read-only user may.
    const validate = await clientFetch({ user: 'viewer', password: VIEWER_PASSWORD, ca: null })(
      `${connect.url}/connector-plugins/FileStreamSinkConnector/config/validate`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ topics: 'orders', file: path.join(dir, 'out.txt') }),
      },
    );
    expect(validate.status, await validate.clone().text()).toBe(200);
    for (const result of [anonymous, listed, deleted]) expectNoPassword(result);
  });

  it('produce --generate registers through the registry with flags; consume --decode reads with env, or says how to log in', async () => {
    const order = path.join(dir, 'payment.avsc');
    fs.writeFileSync(
      order,
      JSON.stringify({ type: 'record', name: 'Payment', fields: [{ name: 'amount', type: 'int' }] }),
    );
    const kafka = ['--bootstrap-servers', broker.bootstrap, '--registry-url', registry.url];
    const produced = await runVenice([
      'produce',
      'payments',
      '--generate',
      '--schema',
      order,
      '--count',
      '3',
      '--quiet',
      ...kafka,
      ...adminFlags,
    ]);
    expect(produced.code, produced.stderr).toBe(0);
    const consume = (env: NodeJS.ProcessEnv) =>
      runVenice(['consume', 'payments', '-e', '--decode', ...kafka], {
        env: { VENICE_HTTP_CA: caFile, ...env },
      });
    const decoded = await consume({ VENICE_HTTP_USER: 'viewer', VENICE_HTTP_PASSWORD: VIEWER_PASSWORD });
    expect(decoded.code, decoded.stderr).toBe(0);
    expect(decoded.stdout.trim().split('\n')).toHaveLength(3);
    expect(decoded.stdout).toMatch(/^\{"amount":-?\d+\}$/m);
    const anonymous = await consume({});
    expect(anonymous.code).toBe(0);
    expect(anonymous.stderr).toContain(
      `undecoded: the schema registry at ${registry.url} asks for a user and password (HTTP 401) (${LOGIN_HINT})`,
    );
    for (const result of [produced, decoded, anonymous]) expectNoPassword(result);
  });

  it('lists the flags in --help without showing a password from the environment', async () => {
    for (const command of [
      ['schemas', 'list'],
      ['connectors', 'list'],
      ['ksql'],
      ['consume'],
      ['produce'],
      ['demo'],
      ['sql'],
      ['connect'],
      ['console'],
      ['registry'],
    ]) {
      const help = await runVenice([...command, '--help'], { env: { VENICE_HTTP_PASSWORD: ADMIN_PASSWORD } });
      expect(help.stdout, command.join(' ')).toContain('--http-user <name>');
      expect(help.stdout, command.join(' ')).toContain('--http-password <password>');
      expect(help.stdout, command.join(' ')).toContain('--http-ca <file>');
      expectNoPassword(help);
    }
  });
});
