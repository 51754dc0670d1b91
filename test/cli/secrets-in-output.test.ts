// No password ever shows: with kafka.saslPassword and http.password in venice.yaml and an HTTP users
// file, against an external cluster that wants SASL, the supervisor's log, every component's log file,
// `venice status --json`, every component's /health answer, and what a failed SASL login says (to the
// CLI and on the wire) contain none of the secrets.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnBroker, temporaryDataDir, type BrokerProcess } from '../helpers/broker.js';
import { RawClient } from '../helpers/raw-client.js';
import { runVenice, tearDown, temporaryProject } from './lifecycle-helpers.js';
import { runtimePaths } from '../../src/supervisor/paths.js';
import { ApiKey } from '../../src/protocol/generated/apis.js';
import { ErrorCode } from '../../src/protocol/error-codes.js';

const SASL_PASSWORD = 'kafka-Sasl-Secret-4711';
const HTTP_PASSWORD = 'http-Client-Secret-0815';
const WRONG_PASSWORD = 'a-Wrong-Guess-1234';
const SECRETS = [SASL_PASSWORD, HTTP_PASSWORD, WRONG_PASSWORD];
const COMPONENTS = ['registry', 'sql', 'connect', 'console'];

function expectNoSecret(where: string, text: string): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${where} shows a password`).toBe(false);
}

describe('passwords never appear in output', { timeout: 240_000 }, () => {
  let external: BrokerProcess;
  let project: string;
  let saslPort: number;
  let usersFileText: string;

  beforeAll(async () => {
    project = temporaryProject('secrets');
    const adminPort = await freePort();
    saslPort = await freePort();
    const admin = `127.0.0.1:${adminPort}`;
    external = await spawnBroker(temporaryDataDir('secrets-kafka'), 0, [
      '--listeners',
      `ADMIN://127.0.0.1:${adminPort},SASL://127.0.0.1:${saslPort}`,
      '--listener-security-protocol-map',
      'ADMIN:PLAINTEXT,SASL:SASL_PLAINTEXT',
    ]);
    const created = await runVenice(
      ['users', 'create', 'venice', '--password-stdin', '--bootstrap-servers', admin],
      {
        cwd: os.tmpdir(),
        input: `${SASL_PASSWORD}\n`,
      },
    );
    expect(created.code, created.stderr).toBe(0);
    const users = await runVenice(['http-users', 'add', 'admin', '--role', 'admin', '--file', 'users.yaml'], {
      cwd: project,
      input: `${HTTP_PASSWORD}\n`,
    });
    expect(users.code, users.stderr).toBe(0);
    usersFileText = fs.readFileSync(path.join(project, 'users.yaml'), 'utf8');
    const ports = await Promise.all(COMPONENTS.map(() => freePort()));
    fs.writeFileSync(
      path.join(project, 'venice.yaml'),
      [
        `components: [${COMPONENTS.join(', ')}]`,
        'ports:',
        ...COMPONENTS.map((name, i) => `  ${name}: ${ports[i]}`),
        'external:',
        `  bootstrapServers: 127.0.0.1:${saslPort}`,
        'kafka:',
        '  securityProtocol: SASL_PLAINTEXT',
        '  saslMechanism: SCRAM-SHA-512',
        '  saslUsername: venice',
        `  saslPassword: ${SASL_PASSWORD}`,
        'http:',
        '  users: ./users.yaml',
        '  user: admin',
        `  password: ${HTTP_PASSWORD}`,
        '',
      ].join('\n'),
    );
    const up = await runVenice(['up'], { cwd: project, timeoutMs: 180_000 });
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
    expectNoSecret('venice up', up.stdout + up.stderr);
  }, 240_000);

  afterAll(async () => {
    if (project) await tearDown(project);
    external?.child.kill('SIGKILL');
  }, 120_000);

  it('the users file holds a hash, not the password', () => {
    expect(usersFileText).toContain('scrypt$');
    expectNoSecret('users.yaml', usersFileText);
  });

  it('status --json and every /health answer name no password', async () => {
    const status = await runVenice(['status', '--json'], { cwd: project });
    expect(status.code, status.stderr).toBe(0);
    expectNoSecret('venice status --json', status.stdout + status.stderr);
    const parsed = JSON.parse(status.stdout) as { components: { name: string; ports: { port: number }[] }[] };
    const running = parsed.components.filter((component) => COMPONENTS.includes(component.name));
    expect(running.map((component) => component.name).sort()).toEqual([...COMPONENTS].sort());
    const auth = `Basic ${Buffer.from(`admin:${HTTP_PASSWORD}`).toString('base64')}`;
    for (const component of running) {
      const response = await fetch(`http://127.0.0.1:${component.ports[0].port}/health`, {
        headers: { authorization: auth },
      });
      const body = await response.text();
      expect(response.status, `${component.name}: ${body}`).toBeLessThan(500);
      expectNoSecret(`${component.name} /health`, body);
      expect(body.includes(usersFileText.match(/scrypt\$[^\s'"]+/)![0]), `${component.name} /health`).toBe(
        false,
      );
    }
  });

  it('a failed SASL login says so without the password, to the CLI and on the wire', async () => {
    const wrong = await runVenice(['topics'], {
      cwd: project,
      env: { VENICE_KAFKA_SASL_PASSWORD: WRONG_PASSWORD },
    });
    expect(wrong.code).not.toBe(0);
    expectNoSecret('venice topics with a wrong password', wrong.stdout + wrong.stderr);

    for (const [mechanism, token] of [
      ['PLAIN', Buffer.from(`\u0000venice\u0000${WRONG_PASSWORD}`)],
      ['PLAIN', Buffer.from(`\u0000${WRONG_PASSWORD}\u0000${WRONG_PASSWORD}`)],
    ] as const) {
      const client = await RawClient.connect(saslPort);
      try {
        const handshake = await client.send(ApiKey.SaslHandshake, 1, { mechanism });
        expect(handshake.errorCode).toBe(ErrorCode.NONE);
        const answer = await client.send(ApiKey.SaslAuthenticate, 2, { authBytes: token });
        expect(answer.errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
        expectNoSecret('SaslAuthenticate error message', answer.errorMessage ?? '');
      } finally {
        client.close();
      }
    }
    expectNoSecret("the external broker's log", external.output());
  });

  it("the supervisor's log and every component's log file name no password", async () => {
    const paths = runtimePaths(path.join(project, '.venice'));
    const logs = fs.readdirSync(paths.logsDir).filter((file) => file.endsWith('.log'));
    expect(logs).toEqual(
      expect.arrayContaining(['supervisor.log', ...COMPONENTS.map((name) => `${name}.log`)]),
    );
    for (const file of logs) expectNoSecret(file, fs.readFileSync(path.join(paths.logsDir, file), 'utf8'));
    // Nor anything else the pipeline wrote under its data dir, bar the SQL engine's and the registry's data.
    const launchConfig = paths.launchConfigFile;
    if (fs.existsSync(launchConfig))
      expectNoSecret('launch-config.json', fs.readFileSync(launchConfig, 'utf8'));
    expectNoSecret('state.json', fs.readFileSync(paths.stateFile, 'utf8'));
  });
});
