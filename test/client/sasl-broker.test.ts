// Venice's own Kafka client against Venice's broker over SASL_SSL: the client half of security (its
// settings, src/client/security.ts) meets the broker half (listeners, SCRAM). Every mechanism logs in
// with the right password, produces, consumes as a group and reads topic metadata; a wrong password is
// an error that names authentication, and never repeats the password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKafka, type KafkaSecurity } from '../../src/client/index.js';
import type { RunningBroker } from '../../src/broker/main.js';
import { startTestBroker } from '../helpers/broker.js';
import { makeTestCertificates, type TestCertificates } from '../helpers/tls-certs.js';

let broker: RunningBroker;
let certs: TestCertificates;
const secure = () => `127.0.0.1:${broker.ports.SECURE}`;

function security(mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512', password: string): KafkaSecurity {
  return {
    protocol: 'SASL_SSL',
    sasl: { mechanism, username: 'svc', password },
    tls: { caFile: certs.caFile },
  };
}

describe("Venice's client over SASL_SSL to Venice's broker", () => {
  beforeAll(async () => {
    certs = makeTestCertificates();
    broker = await startTestBroker({
      listeners: 'ADMIN://127.0.0.1:0,SECURE://127.0.0.1:0',
      listenerSecurityProtocolMap: 'ADMIN:PLAINTEXT,SECURE:SASL_SSL',
      sslCertificateFile: certs.brokerCertificateFile,
      sslKeyFile: certs.brokerKeyFile,
    });
    const admin = openKafka({ bootstrapServers: `127.0.0.1:${broker.ports.ADMIN}` });
    try {
      await admin.users.upsert({ name: 'svc', password: 'svc-secret' });
    } finally {
      await admin.close();
    }
  });

  afterAll(async () => {
    await broker?.stop();
  });

  for (const mechanism of ['SCRAM-SHA-512', 'SCRAM-SHA-256', 'PLAIN'] as const) {
    it(`${mechanism}: creates a topic, produces, consumes in a group`, async () => {
      const kafka = openKafka({ bootstrapServers: secure(), security: security(mechanism, 'svc-secret') });
      const topic = `sasl-${mechanism.toLowerCase()}`;
      try {
        await kafka.topics.create({ name: topic, partitions: 2 });
        await kafka.produce([
          { topic, key: Buffer.from('a'), value: Buffer.from('1') },
          { topic, key: Buffer.from('b'), value: Buffer.from('2') },
        ]);
        const seen: string[] = [];
        for await (const record of kafka.consume({
          topic,
          group: `readers-${mechanism}`,
          from: { kind: 'beginning' },
          count: 2,
        }))
          seen.push(record.value?.toString() ?? '');
        expect(seen.sort()).toEqual(['1', '2']);
        expect((await kafka.topics.describe(topic)).partitions).toHaveLength(2);
      } finally {
        await kafka.close();
      }
    });
  }

  it('a wrong password fails with an authentication error that does not repeat the password', async () => {
    const kafka = openKafka({
      bootstrapServers: secure(),
      security: security('SCRAM-SHA-512', 'not-the-secret'),
      connectTimeoutMs: 3000,
      requestTimeoutMs: 5000,
    });
    try {
      const failure = await kafka.topics.list().then(
        () => null,
        (error: unknown) => error as Error,
      );
      expect(failure).not.toBeNull();
      const text = `${failure!.message} ${String((failure as { cause?: unknown }).cause ?? '')}`;
      expect(text).toMatch(/auth|credential|SASL/i);
      expect(text).not.toContain('not-the-secret');
    } finally {
      await kafka.close();
    }
  });
});
