// External mode against a cluster that speaks SASL_SSL with SCRAM-SHA-512 and enforces ACLs (a Venice
// broker with a loopback PLAINTEXT admin listener and a secured one): `venice users` and `venice acl`
// set it up over the admin listener; then `venice up` starts the registry as the `venice` principal,
// a super user, over the secured listener, and the data commands reach the cluster the same way. A wrong
// password is refused without being echoed, and a user without ACLs sees no topics until one is granted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnBroker, temporaryDataDir, type BrokerProcess } from '../helpers/broker.js';
import { makeTestCertificates } from '../helpers/tls-certs.js';
import { runVenice, tearDown, temporaryProject } from './lifecycle-helpers.js';

const VENICE_PASSWORD = 'venice-service-secret';
const ALICE_PASSWORD = 'alice-app-secret';

describe('venice up against an external cluster over SASL_SSL with ACLs', { timeout: 240_000 }, () => {
  let external: BrokerProcess;
  let project: string;
  let admin: string;

  beforeAll(async () => {
    project = temporaryProject('external-sasl');
    const certs = makeTestCertificates();
    const adminPort = await freePort();
    const securePort = await freePort();
    admin = `127.0.0.1:${adminPort}`;
    external = await spawnBroker(temporaryDataDir('external-sasl-kafka'), 0, [
      '--listeners',
      `ADMIN://127.0.0.1:${adminPort},SECURE://127.0.0.1:${securePort}`,
      '--listener-security-protocol-map',
      'ADMIN:PLAINTEXT,SECURE:SASL_SSL',
      '--ssl-certificate-file',
      certs.brokerCertificateFile,
      '--ssl-key-file',
      certs.brokerKeyFile,
      '--authorizer',
      // The loopback admin listener's anonymous clients administer, as Kafka operators set the first
      // users up; Venice's services are the `venice` principal.
      '--super-users',
      'User:venice;User:ANONYMOUS',
    ]);
    for (const [name, password] of [
      ['venice', VENICE_PASSWORD],
      ['alice', ALICE_PASSWORD],
    ]) {
      const created = await runVenice(
        ['users', 'create', name, '--password-stdin', '--bootstrap-servers', admin],
        { cwd: os.tmpdir(), input: `${password}\n` },
      );
      expect(created.code, created.stderr).toBe(0);
    }
    fs.writeFileSync(
      path.join(project, 'venice.yaml'),
      [
        'components: [registry]',
        'ports:',
        `  registry: ${await freePort()}`,
        'external:',
        `  bootstrapServers: 127.0.0.1:${securePort}`,
        'kafka:',
        '  securityProtocol: SASL_SSL',
        '  saslMechanism: SCRAM-SHA-512',
        '  saslUsername: venice',
        `  sslCaFile: ${certs.caFile}`,
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await tearDown(project);
    external?.child.kill('SIGKILL');
  }, 120_000);

  const asVenice = { VENICE_KAFKA_SASL_PASSWORD: VENICE_PASSWORD };

  it('starts the registry as a SCRAM user, and the data commands authenticate the same way', async () => {
    const up = await runVenice(['up'], { cwd: project, env: asVenice });
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);

    const topics = await runVenice(['topics', '--json'], { cwd: project, env: asVenice });
    expect(topics.code, topics.stderr).toBe(0);
    expect(topics.stdout).toContain('_schemas');

    const wrong = await runVenice(['topics'], {
      cwd: project,
      env: { VENICE_KAFKA_SASL_PASSWORD: 'a-wrong-password' },
    });
    expect(wrong.code).not.toBe(0);
    expect(`${wrong.stdout}${wrong.stderr}`).not.toContain('a-wrong-password');
  });

  it('a user without ACLs sees no topics; an ACL granted with venice acl lets it see one', async () => {
    const asAlice = ['--kafka-sasl-username', 'alice'];
    const env = { VENICE_KAFKA_SASL_PASSWORD: ALICE_PASSWORD };
    const before = await runVenice(['topics', '--json', ...asAlice], { cwd: project, env });
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).not.toContain('_schemas');

    const granted = await runVenice(
      [
        'acl',
        'create',
        '--allow-principal',
        'User:alice',
        '--operation',
        'DESCRIBE',
        '--topic',
        '_schemas',
        '--bootstrap-servers',
        admin,
      ],
      // Outside the project: its venice.yaml's SASL settings are for the secured listener.
      { cwd: os.tmpdir() },
    );
    expect(granted.code, granted.stderr).toBe(0);

    const after = await runVenice(['topics', '--json', ...asAlice], { cwd: project, env });
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain('_schemas');
  });
});
