// External mode against a cluster that speaks only TLS and wants a client certificate: the settings in
// venice.yaml reach the registry `venice up` starts, `venice status` and the data commands.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnBroker, temporaryDataDir, type BrokerProcess } from '../helpers/broker.js';
import { makeCertificates, startTlsProxy } from '../helpers/tls-proxy.js';
import { runVenice, tearDown, temporaryProject } from './lifecycle-helpers.js';

describe('venice up against an external Kafka cluster over mutual TLS', { timeout: 180_000 }, () => {
  let external: BrokerProcess;
  let proxy: Awaited<ReturnType<typeof startTlsProxy>>;
  let project: string;

  beforeAll(async () => {
    project = temporaryProject('external-tls');
    fs.mkdirSync(path.join(project, 'certs'));
    const certs = makeCertificates(path.join(project, 'certs'));
    proxy = await startTlsProxy(certs, () => ({ host: '127.0.0.1', port: external.port }));
    external = await spawnBroker(temporaryDataDir('external-tls-kafka'), 0, [
      '--advertised-port',
      String(proxy.port),
    ]);
    fs.writeFileSync(
      path.join(project, 'venice.yaml'),
      [
        'components: [registry]',
        'ports:',
        `  registry: ${await freePort()}`,
        'external:',
        `  bootstrapServers: 127.0.0.1:${proxy.port}`,
        'kafka:',
        '  securityProtocol: SSL',
        '  sslCaFile: certs/ca.pem',
        '  sslCertFile: certs/client.pem',
        '  sslKeyFile: certs/client.key',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await tearDown(project);
    proxy?.close();
    external?.child.kill('SIGKILL');
  }, 120_000);

  it('starts the registry over TLS, and status and the data commands reach the cluster the same way', async () => {
    const up = await runVenice(['up'], { cwd: project });
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);

    const topics = await runVenice(['topics', '--json'], { cwd: project });
    expect(topics.code, topics.stderr).toBe(0);
    expect(topics.stdout).toContain('_schemas');

    const status = await runVenice(['status'], { cwd: project });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/Kafka cluster \S+: controller \d+, 1 broker\(s\)/);

    // The same command without the certificate is refused by the cluster.
    const plain = await runVenice(['topics', '--kafka-security-protocol', 'PLAINTEXT'], { cwd: project });
    expect(plain.code).not.toBe(0);
  });
});
