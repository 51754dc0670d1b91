// The principal the authorizer reads: set by the listener on each connection (a client certificate's
// subject on SSL, the SASL user on SASL listeners), seen here through a processor that records it.
import fs from 'node:fs';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpServer } from '../../../src/broker/server/tcp-server.js';
import { listenerBindings } from '../../../src/broker/server/listener-bindings.js';
import type { ConnectionInfo, RequestProcessor } from '../../../src/broker/server/connection.js';
import { resolveListeners } from '../../../src/broker/security/listeners.js';
import { distinguishedName } from '../../../src/broker/security/certificate-principal.js';
import { makeTestCertificates, type TestCertificates } from '../../helpers/tls-certs.js';

const LIMITS = {
  maxRequestBytes: 1 << 20,
  queuedMaxRequestBytes: 1 << 24,
  connectionsMaxIdleMs: 60_000,
  requestReadTimeoutMs: 30_000,
  maxConnections: 10,
  maxConnectionsPerIp: 10,
};

let certs: TestCertificates;
let server: TcpServer;
let port: number;
const seen: { principal: string; listenerName: string }[] = [];

/** Answers every frame with an empty body, after noting who sent it. */
const recorder: RequestProcessor = {
  process(_frame: Buffer, connection: ConnectionInfo) {
    seen.push({ principal: connection.principal, listenerName: connection.listenerName });
    return [Buffer.alloc(4)];
  },
  releasesFrame: () => false,
};

function sendOneFrame(options: tls.ConnectionOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port, ca: fs.readFileSync(certs.caFile), ...options },
      () => {
        const frame = Buffer.alloc(8);
        frame.writeInt32BE(4, 0);
        socket.write(frame);
      },
    );
    socket.once('data', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

describe('connection principal', () => {
  beforeAll(async () => {
    certs = makeTestCertificates();
    const listeners = resolveListeners({
      host: '127.0.0.1',
      port: 0,
      advertisedHost: '127.0.0.1',
      advertisedPort: 0,
      listeners: 'CERTS://127.0.0.1:0',
      listenerSecurityProtocolMap: 'CERTS:SSL',
      advertisedListeners: null,
    });
    const tlsSettings = {
      sslCertificateFile: certs.brokerCertificateFile,
      sslKeyFile: certs.brokerKeyFile,
      sslCaFile: certs.caFile,
      sslClientAuth: 'requested' as const,
    };
    const sasl = () => ({ mechanisms: new Map(), maxReauthMs: 0 });
    server = new TcpServer({
      listeners: listenerBindings(listeners, recorder, tlsSettings, sasl),
      limits: LIMITS,
    });
    port = await server.listen(0);
  });

  afterAll(async () => {
    await server?.close();
  });

  it("is the client certificate's subject in Kafka's RFC 2253 form", async () => {
    await sendOneFrame({
      cert: fs.readFileSync(certs.clientCertificateFile),
      key: fs.readFileSync(certs.clientKeyFile),
    });
    expect(seen.at(-1)).toEqual({
      principal: `User:${certs.clientDistinguishedName}`,
      listenerName: 'CERTS',
    });
  });

  it('is User:ANONYMOUS for a client without a certificate when ssl.client.auth=requested', async () => {
    await sendOneFrame({});
    expect(seen.at(-1)).toEqual({ principal: 'User:ANONYMOUS', listenerName: 'CERTS' });
  });

  it('keeps escaped commas inside a value', () => {
    expect(distinguishedName('C=US\nO=Acme\\, Inc\nCN=alice')).toBe('CN=alice,O=Acme\\, Inc,C=US');
  });
});

describe('listener settings', () => {
  const base = { host: '127.0.0.1', port: 9092, advertisedHost: '127.0.0.1', advertisedPort: 9092 };

  it('keep the single PLAINTEXT listener by default', () => {
    const [only, ...others] = resolveListeners({
      ...base,
      listeners: null,
      listenerSecurityProtocolMap: null,
      advertisedListeners: null,
    });
    expect(others).toEqual([]);
    expect(only).toMatchObject({
      name: 'PLAINTEXT',
      securityProtocol: 'PLAINTEXT',
      host: '127.0.0.1',
      port: 9092,
    });
  });

  it('advertise per listener, a wildcard host as the loopback', () => {
    const listeners = resolveListeners({
      ...base,
      listeners: 'internal://127.0.0.1:9092,EXTERNAL://0.0.0.0:9093,SSL://:9094',
      listenerSecurityProtocolMap: 'INTERNAL:PLAINTEXT,EXTERNAL:SASL_SSL,SSL:SSL',
      advertisedListeners: 'EXTERNAL://broker.example.com:19093',
    });
    expect(
      listeners.map((l) => [l.name, l.securityProtocol, `${l.advertisedHost}:${l.advertisedPort}`]),
    ).toEqual([
      ['INTERNAL', 'PLAINTEXT', '127.0.0.1:9092'],
      ['EXTERNAL', 'SASL_SSL', 'broker.example.com:19093'],
      ['SSL', 'SSL', '127.0.0.1:9094'],
    ]);
  });

  it('say what to fix when a listener has no protocol, a port is taken twice or a name is unknown', () => {
    const resolve =
      (listeners: string, map: string | null, advertised: string | null = null) =>
      () =>
        resolveListeners({
          ...base,
          listeners,
          listenerSecurityProtocolMap: map,
          advertisedListeners: advertised,
        });
    expect(resolve('INTERNAL://:9092', null)).toThrow(
      /add INTERNAL:PLAINTEXT .* to listener.security.protocol.map/,
    );
    expect(resolve('PLAINTEXT://:9092,SSL://:9092', null)).toThrow(/port 9092 is given to two listeners/);
    expect(resolve('PLAINTEXT://:9092', null, 'OTHER://x:1')).toThrow(
      /OTHER, which is not one of the listeners/,
    );
    expect(resolve('PLAINTEXT:/9092', null)).toThrow(/is not NAME:\/\/host:port/);
  });
});
