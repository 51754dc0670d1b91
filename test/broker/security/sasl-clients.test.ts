// Broker authentication with real clients over TCP: kcat (librdkafka), kafkajs and kafka-python, on a
// broker with four listeners at once (PLAINTEXT, SASL_SSL, SASL_PLAINTEXT, SSL with client certificates).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker } from '../../helpers/broker.js';
import { runKcat } from '../../helpers/kcat.js';
import { runKafkaPython } from '../../helpers/system-tools.js';
import { makeTestCertificates, type TestCertificates } from '../../helpers/tls-certs.js';
import { openKafka } from '../../../src/client/index.js';
import type { RunningBroker } from '../../../src/broker/main.js';

let broker: RunningBroker;
let certs: TestCertificates;

const bootstrap = (listener: string) => `127.0.0.1:${broker.ports[listener]}`;

function saslSsl(mechanism: string, user: string, password: string): string[] {
  return [
    '-b',
    bootstrap('SECURE'),
    '-X',
    'security.protocol=SASL_SSL',
    '-X',
    `sasl.mechanisms=${mechanism}`,
    '-X',
    `sasl.username=${user}`,
    '-X',
    `sasl.password=${password}`,
    '-X',
    `ssl.ca.location=${certs.caFile}`,
  ];
}

const runPython = runKafkaPython;

function pythonProducer(settings: string): string {
  return [
    'from kafka import KafkaProducer',
    `p = KafkaProducer(bootstrap_servers='${bootstrap('SECURE')}', ${settings}, request_timeout_ms=10000, api_version_auto_timeout_ms=10000)`,
    "p.send('python-topic', b'from-python').get(timeout=20)",
    'p.close()',
    "print('sent')",
  ].join('\n');
}

describe('broker authentication with real clients', () => {
  beforeAll(async () => {
    certs = makeTestCertificates();
    const plainUsers = path.join(certs.dir, 'plain-users');
    fs.writeFileSync(plainUsers, '# static PLAIN users\nbob=bob-secret\n');
    broker = await startTestBroker({
      listeners: 'ADMIN://127.0.0.1:0,SECURE://127.0.0.1:0,SASLPLAIN://127.0.0.1:0,MTLS://127.0.0.1:0',
      listenerSecurityProtocolMap: 'ADMIN:PLAINTEXT,SECURE:SASL_SSL,SASLPLAIN:SASL_PLAINTEXT,MTLS:SSL',
      sslCertificateFile: certs.brokerCertificateFile,
      sslKeyFile: certs.brokerKeyFile,
      sslCaFile: certs.caFile,
      sslClientAuth: 'required',
      saslPlainUsersFile: plainUsers,
    });
    const admin = openKafka({ bootstrapServers: bootstrap('ADMIN') });
    try {
      await admin.users.upsert({ name: 'alice', password: 'alice-secret' });
    } finally {
      await admin.close();
    }
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('kcat produces and consumes over SASL_SSL with SCRAM-SHA-512, and a wrong password is refused', async () => {
    const produced = await runKcat(
      [...saslSsl('SCRAM-SHA-512', 'alice', 'alice-secret'), '-P', '-t', 'kcat-topic'],
      'one\ntwo\n',
    );
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await runKcat([
      ...saslSsl('SCRAM-SHA-512', 'alice', 'alice-secret'),
      '-C',
      '-t',
      'kcat-topic',
      '-e',
      '-q',
    ]);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stdout.trim().split('\n')).toEqual(['one', 'two']);

    const refused = await runKcat([...saslSsl('SCRAM-SHA-512', 'alice', 'wrong'), '-L', '-m', '5']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      'Authentication failed during authentication due to invalid credentials',
    );
  });

  it('kcat authenticates with SCRAM-SHA-256, with PLAIN as a SCRAM user and as a static PLAIN user', async () => {
    for (const [mechanism, user, password] of [
      ['SCRAM-SHA-256', 'alice', 'alice-secret'],
      ['PLAIN', 'alice', 'alice-secret'],
      ['PLAIN', 'bob', 'bob-secret'],
    ]) {
      const listed = await runKcat([...saslSsl(mechanism, user, password), '-L']);
      expect(listed.code, `${mechanism} ${user}: ${listed.stderr}`).toBe(0);
    }
    const refused = await runKcat([...saslSsl('PLAIN', 'bob', 'not-bobs'), '-L', '-m', '5']);
    expect(refused.stderr).toContain('Invalid username or password');
  });

  it('kafkajs produces and consumes over SASL_SSL with scram-sha-512; a wrong password is an authentication error', async () => {
    const client = (password: string) =>
      new Kafka({
        clientId: 'venice-sasl-test',
        brokers: [bootstrap('SECURE')],
        ssl: { ca: [fs.readFileSync(certs.caFile)] },
        sasl: { mechanism: 'scram-sha-512', username: 'alice', password },
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      });
    const producer = client('alice-secret').producer();
    await producer.connect();
    await producer.send({ topic: 'kafkajs-topic', messages: [{ value: 'from-kafkajs' }] });
    await producer.disconnect();

    const consumer = client('alice-secret').consumer({ groupId: 'sasl-readers' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'kafkajs-topic', fromBeginning: true });
    const value = await new Promise<string>((resolve) => {
      void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
    });
    await consumer.disconnect();
    expect(value).toBe('from-kafkajs');

    const refused = client('wrong').producer();
    await expect(refused.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
  });

  it('kafka-python produces over SASL_SSL with SCRAM-SHA-512 and is refused a wrong password', async () => {
    const tls = `security_protocol='SASL_SSL', ssl_cafile='${certs.caFile}', sasl_mechanism='SCRAM-SHA-512', sasl_plain_username='alice'`;
    const sent = await runPython(pythonProducer(`${tls}, sasl_plain_password='alice-secret'`));
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout.trim()).toBe('sent');
    const refused = await runPython(pythonProducer(`${tls}, sasl_plain_password='wrong'`));
    expect(refused.code).not.toBe(0);
  });

  it('kafka-python authenticates with PLAIN over SASL_PLAINTEXT (its v0 handshake, raw SASL tokens)', async () => {
    const script = pythonProducer(
      "security_protocol='SASL_PLAINTEXT', sasl_mechanism='PLAIN', sasl_plain_username='bob', sasl_plain_password='bob-secret'",
    ).replace(bootstrap('SECURE'), bootstrap('SASLPLAIN'));
    const sent = await runPython(script);
    expect(sent.code, sent.stderr).toBe(0);
  });

  it('an SSL listener with ssl.client.auth=required serves a client with a certificate and refuses one without', async () => {
    const tls = [
      '-b',
      bootstrap('MTLS'),
      '-X',
      'security.protocol=SSL',
      '-X',
      `ssl.ca.location=${certs.caFile}`,
    ];
    const withCertificate = await runKcat(
      [
        ...tls,
        '-X',
        `ssl.certificate.location=${certs.clientCertificateFile}`,
        '-X',
        `ssl.key.location=${certs.clientKeyFile}`,
        '-P',
        '-t',
        'mtls-topic',
      ],
      'hello\n',
    );
    expect(withCertificate.code, withCertificate.stderr).toBe(0);
    const without = await runKcat([...tls, '-L', '-m', '5']);
    expect(without.code).not.toBe(0);
  });

  it('each listener advertises itself: Metadata names the port the client connected to', async () => {
    const plain = await runKcat(['-b', bootstrap('ADMIN'), '-L', '-J']);
    const secure = await runKcat([...saslSsl('SCRAM-SHA-512', 'alice', 'alice-secret'), '-L', '-J']);
    const brokerOf = (result: { stdout: string }) =>
      (JSON.parse(result.stdout) as { brokers: { name: string }[] }).brokers[0].name;
    expect(brokerOf(plain)).toBe(`127.0.0.1:${broker.ports.ADMIN}`);
    expect(brokerOf(secure)).toBe(`127.0.0.1:${broker.ports.SECURE}`);
  });
});
