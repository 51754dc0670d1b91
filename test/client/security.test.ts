// Venice's Kafka client over TLS with a client certificate (mutual TLS), and the replication of the
// topics services create for themselves. The TLS end is a small terminating proxy in front of a real
// broker, which advertises the proxy's port: the client sees a cluster that only speaks TLS and only to
// clients whose certificate the CA signed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, KafkaClientError, type KafkaSecurity } from '../../src/client/index.js';
import { defaultReplicationFactor, replicationConfigs } from '../../src/client/internal-topics.js';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { makeCertificates, startTlsProxy, type TestCertificates } from '../helpers/tls-proxy.js';

let broker: Awaited<ReturnType<typeof startTestBroker>>;
let proxy: Awaited<ReturnType<typeof startTlsProxy>>;
let certs: TestCertificates;

beforeAll(async () => {
  certs = makeCertificates(temporaryDataDir('certs'));
  proxy = await startTlsProxy(certs, () => ({ host: '127.0.0.1', port: broker.port }));
  broker = await startTestBroker({ advertisedPort: proxy.port });
});
afterAll(async () => {
  proxy?.close();
  await broker?.stop();
});

describe('a Kafka client over TLS', { timeout: 60_000 }, () => {
  const tlsSecurity = (files: KafkaSecurity['tls']): KafkaSecurity => ({ protocol: 'SSL', tls: files });

  it('talks to a cluster that requires a client certificate, with the CA file and its certificate', async () => {
    const kafka = openKafka({
      bootstrapServers: `127.0.0.1:${proxy.port}`,
      security: tlsSecurity({
        caFile: certs.ca,
        certFile: certs.clientCert,
        keyFile: certs.clientKey,
      }),
    });
    try {
      await kafka.topics.create({ name: 'over-tls', partitions: 1 });
      await kafka.produce([{ topic: 'over-tls', value: Buffer.from('sealed') }]);
      const records = [];
      for await (const record of kafka.consume({
        topic: 'over-tls',
        from: { kind: 'beginning' },
        stopAtEnd: true,
      }))
        records.push(record.value?.toString());
      expect(records).toEqual(['sealed']);
    } finally {
      await kafka.close();
    }
  });

  it('fails without a client certificate, and when the CA does not vouch for the broker', async () => {
    for (const files of [{ caFile: certs.ca }, {}]) {
      const kafka = openKafka({
        bootstrapServers: `127.0.0.1:${proxy.port}`,
        connectTimeoutMs: 2_000,
        requestTimeoutMs: 3_000,
        security: tlsSecurity(files),
      });
      try {
        await expect(kafka.topics.list()).rejects.toBeInstanceOf(KafkaClientError);
      } finally {
        await kafka.close();
      }
    }
  });

  it('names a TLS file it cannot read', () => {
    expect(() =>
      openKafka({ bootstrapServers: '127.0.0.1:1', security: tlsSecurity({ caFile: '/nowhere/ca.pem' }) }),
    ).toThrow(/cannot read the Kafka TLS CA file \/nowhere\/ca\.pem/);
  });
});

describe('internal topics', () => {
  it('get the replication of a one-broker cluster (1, no min.insync.replicas), or the configured factor', async () => {
    // A plaintext broker of its own: the one above tells clients to come back over TLS.
    const plain = await startTestBroker();
    const kafka = openKafka({ bootstrapServers: plain.bootstrap });
    const strict = openKafka({ bootstrapServers: plain.bootstrap, internalReplicationFactor: 3 });
    try {
      expect(await kafka.describeCluster()).toMatchObject({ brokers: [{ host: '127.0.0.1' }] });
      expect(await kafka.topics.internalReplicationFactor()).toBe(1);
      await kafka.topics.createInternal({
        name: '_internal-a',
        partitions: 2,
        configs: { 'cleanup.policy': 'compact' },
      });
      const described = await kafka.topics.describe('_internal-a');
      expect(described.replicationFactor).toBe(1);
      const set = Object.fromEntries(
        described.configs.filter((c) => c.source === 'topic').map((c) => [c.name, c.value]),
      );
      expect(set).toEqual({ 'cleanup.policy': 'compact' });
      // One broker cannot hold three replicas: the configured factor reaches the broker, which refuses it.
      await expect(
        strict.topics.createInternal({ name: '_internal-b', partitions: 1 }),
      ).rejects.toMatchObject({
        kafkaError: 'INVALID_REPLICATION_FACTOR',
      });
    } finally {
      await kafka.close();
      await strict.close();
      await plain.stop();
    }
  });
});

describe('the replication internal topics get', () => {
  it('is 3 with min.insync.replicas 2 on a cluster of 3 or more brokers, else 1 alone', () => {
    expect([1, 2, 3, 5].map(defaultReplicationFactor)).toEqual([1, 1, 3, 3]);
    expect(replicationConfigs(1)).toEqual({});
    expect(replicationConfigs(3)).toEqual({ 'min.insync.replicas': '2' });
  });
});
