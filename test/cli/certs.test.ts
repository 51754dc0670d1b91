// `venice certs create` (built CLI, `npm run build` first): the files it writes, what the certificates
// say (checked by Node's and OpenSSL's parsers, not ours), and real TLS clients using them against the
// broker's SSL listener with client authentication: Node's tls, kcat (OpenSSL) and kafkajs.
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker, temporaryDataDir } from '../helpers/broker.js';
import { runKcat } from '../helpers/kcat.js';
import { runVenice } from './run-venice.js';
import { distinguishedName } from '../../src/broker/security/certificate-principal.js';
import type { RunningBroker } from '../../src/broker/main.js';

let dir: string;
let broker: RunningBroker;
const file = (name: string) => path.join(dir, name);
const certificate = (name: string) => new crypto.X509Certificate(fs.readFileSync(file(name)));
const mtls = () => `127.0.0.1:${broker.ports.MTLS}`;

describe('venice certs create', () => {
  beforeAll(async () => {
    dir = path.join(temporaryDataDir('certs-create'), 'certs');
    const made = await runVenice(
      [
        'certs',
        'create',
        '--dir',
        dir,
        '--host',
        'venice.example.test',
        '--host',
        '10.1.2.3',
        '--client',
        'alice',
      ],
      { timeoutMs: 60_000 },
    );
    expect(made.code, made.stderr).toBe(0);
    broker = await startTestBroker({
      listeners: 'MTLS://127.0.0.1:0',
      listenerSecurityProtocolMap: 'MTLS:SSL',
      sslCertificateFile: file('server.pem'),
      sslKeyFile: file('server-key.pem'),
      sslCaFile: file('ca.pem'),
      sslClientAuth: 'required',
    });
  }, 90_000);

  afterAll(async () => {
    await broker?.stop();
  });

  it('writes the CA, server and client files, keys as PKCS#8 PEM readable by their owner only', () => {
    const written = fs.readdirSync(dir).sort();
    expect(written).toEqual([
      'ca-key.pem',
      'ca.pem',
      'client-alice-key.pem',
      'client-alice.pem',
      'server-key.pem',
      'server.pem',
    ]);
    for (const name of written) {
      const mode = fs.statSync(file(name)).mode & 0o777;
      expect(mode, name).toBe(name.endsWith('-key.pem') ? 0o600 : 0o644);
      if (!name.endsWith('-key.pem')) continue;
      const text = fs.readFileSync(file(name), 'utf8');
      expect(text.startsWith('-----BEGIN PRIVATE KEY-----\n'), name).toBe(true);
      const key = crypto.createPrivateKey(text);
      expect(key.asymmetricKeyType).toBe('rsa');
      expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    }
  });

  it('makes a CA, a server certificate for every name, and a client certificate, each signed by the CA', () => {
    const ca = certificate('ca.pem');
    const server = certificate('server.pem');
    const client = certificate('client-alice.pem');
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    for (const issued of [server, client]) {
      expect(issued.ca).toBe(false);
      expect(issued.checkIssued(ca)).toBe(true);
      expect(issued.verify(ca.publicKey)).toBe(true);
      expect(issued.publicKey.equals(crypto.createPublicKey(fs.readFileSync(file(keyFileOf(issued)))))).toBe(
        true,
      );
    }
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(client.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(server.subjectAltName).toContain('DNS:venice.example.test');
    expect(server.subjectAltName).toContain('DNS:localhost');
    expect(server.subjectAltName).toContain('IP Address:10.1.2.3');
    expect(server.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(server.subjectAltName).toContain('IP Address:0:0:0:0:0:0:0:1');
    expect(server.checkHost('venice.example.test')).toBe('venice.example.test');
    expect(server.checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(distinguishedName(client.subject)).toBe('CN=alice,O=Venice');
    expect(client.subjectAltName).toBeUndefined();
    // server.pem carries the CA after the server certificate, so clients get the whole chain.
    expect(fs.readFileSync(file('server.pem'), 'utf8')).toContain(fs.readFileSync(file('ca.pem'), 'utf8'));
  });

  it('OpenSSL agrees on the purposes and on the CA and key identifier extensions', () => {
    const verify = (purpose: string, name: string) =>
      execFileSync(
        'openssl',
        ['verify', '-x509_strict', '-purpose', purpose, '-CAfile', file('ca.pem'), file(name)],
        {
          encoding: 'utf8',
        },
      );
    expect(verify('sslserver', 'server.pem')).toContain(': OK');
    expect(verify('sslclient', 'client-alice.pem')).toContain(': OK');
    const text = (name: string) =>
      execFileSync('openssl', ['x509', '-in', file(name), '-noout', '-text'], { encoding: 'utf8' });
    const ca = text('ca.pem');
    expect(ca).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(ca).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    const keyId = /Subject Key Identifier:\s+([0-9A-F:]+)/.exec(ca)?.[1];
    expect(keyId).toBeTruthy();
    for (const name of ['server.pem', 'client-alice.pem']) {
      const issued = text(name);
      expect(issued).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
      expect(issued).toMatch(new RegExp(`Authority Key Identifier:\\s+(keyid:)?${keyId}`));
      expect(issued).toContain('Subject Key Identifier:');
    }
  });

  it("Node's tls client talks to the broker with the client certificate, checking the server's name", async () => {
    const authorized = await new Promise<boolean>((resolve, reject) => {
      const socket = tls.connect(
        {
          host: '127.0.0.1',
          port: broker.ports.MTLS,
          servername: 'localhost',
          ca: fs.readFileSync(file('ca.pem')),
          cert: fs.readFileSync(file('client-alice.pem')),
          key: fs.readFileSync(file('client-alice-key.pem')),
        },
        () => {
          resolve(socket.authorized);
          socket.end();
        },
      );
      socket.once('error', reject);
    });
    expect(authorized).toBe(true);
  });

  it('kcat (OpenSSL) produces and consumes with the client certificate, and is refused without one', async () => {
    const ssl = ['-b', mtls(), '-X', 'security.protocol=SSL', '-X', `ssl.ca.location=${file('ca.pem')}`];
    const withCertificate = [
      ...ssl,
      '-X',
      `ssl.certificate.location=${file('client-alice.pem')}`,
      '-X',
      `ssl.key.location=${file('client-alice-key.pem')}`,
    ];
    const produced = await runKcat([...withCertificate, '-P', '-t', 'certs-topic'], 'one\ntwo\n');
    expect(produced.code, produced.stderr).toBe(0);
    const consumed = await runKcat([...withCertificate, '-C', '-t', 'certs-topic', '-e', '-q']);
    expect(consumed.code, consumed.stderr).toBe(0);
    expect(consumed.stdout.trim().split('\n')).toEqual(['one', 'two']);
    const without = await runKcat([...ssl, '-L', '-m', '5']);
    expect(without.code).not.toBe(0);
  });

  it('kafkajs produces with the client certificate', async () => {
    const kafka = new Kafka({
      clientId: 'venice-certs-test',
      brokers: [mtls()],
      ssl: {
        ca: [fs.readFileSync(file('ca.pem'))],
        cert: fs.readFileSync(file('client-alice.pem')),
        key: fs.readFileSync(file('client-alice-key.pem')),
      },
      logLevel: logLevel.NOTHING,
      retry: { retries: 2 },
    });
    const producer = kafka.producer();
    await producer.connect();
    try {
      const [sent] = await producer.send({ topic: 'certs-kafkajs', messages: [{ value: 'from-kafkajs' }] });
      expect(sent.errorCode).toBe(0);
    } finally {
      await producer.disconnect();
    }
  });

  it('refuses to overwrite without --force, and replaces everything with it', async () => {
    const before = fs.readFileSync(file('ca.pem'), 'utf8');
    const refused = await runVenice(['certs', 'create', '--dir', dir]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('already has ca.pem, ca-key.pem, server.pem, server-key.pem');
    expect(refused.stderr).toContain('--force');
    expect(fs.readFileSync(file('ca.pem'), 'utf8')).toBe(before);

    fs.chmodSync(file('ca-key.pem'), 0o644);
    const replaced = await runVenice(['certs', 'create', '--dir', dir, '--force'], { timeoutMs: 60_000 });
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(fs.readFileSync(file('ca.pem'), 'utf8')).not.toBe(before);
    // A replaced key file is private again, whatever its mode was.
    expect(fs.statSync(file('ca-key.pem')).mode & 0o777).toBe(0o600);
  }, 90_000);
});

function keyFileOf(issued: crypto.X509Certificate): string {
  return issued.ca
    ? 'ca-key.pem'
    : issued.keyUsage?.includes('1.3.6.1.5.5.7.3.1')
      ? 'server-key.pem'
      : 'client-alice-key.pem';
}
