// A Kafka cluster that speaks only TLS and only to clients with a certificate, for tests: a test CA
// (tls-certs.ts) and a TLS-terminating proxy in front of a plaintext broker, which must advertise
// the proxy's port.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { makeTestCertificates } from './tls-certs.js';

export interface TestCertificates {
  dir: string;
  ca: string;
  clientCert: string;
  clientKey: string;
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA, in `dir`. */
export function makeCertificates(dir: string): TestCertificates {
  const made = makeTestCertificates(dir);
  return { dir, ca: made.caFile, clientCert: made.clientCertificateFile, clientKey: made.clientKeyFile };
}

/** Listens on 127.0.0.1:`port` (0 for any) and forwards each client with a CA-signed certificate to `upstream()`. */
export async function startTlsProxy(
  certs: TestCertificates,
  upstream: () => { host: string; port: number },
  port = 0,
): Promise<{ port: number; close(): void }> {
  const read = (name: string) => fs.readFileSync(path.join(certs.dir, name));
  const server = tls.createServer(
    {
      key: read('broker.key'),
      cert: read('broker.pem'),
      ca: read('ca.pem'),
      requestCert: true,
      rejectUnauthorized: true,
    },
    (socket) => {
      const target = upstream();
      const connection = net.connect(target.port, target.host);
      socket.pipe(connection).pipe(socket);
      const close = () => {
        socket.destroy();
        connection.destroy();
      };
      socket.on('error', close);
      connection.on('error', close);
    },
  );
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}
