// A Kafka cluster that speaks only TLS and only to clients with a certificate, for tests: a test CA
// (made with openssl) and a TLS-terminating proxy in front of a plaintext broker, which must advertise
// the proxy's port.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';

export interface TestCertificates {
  dir: string;
  ca: string;
  clientCert: string;
  clientKey: string;
}

/** A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA, in `dir`. */
export function makeCertificates(dir: string): TestCertificates {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=test-ca',
  );
  for (const [name, subject] of [
    ['server', '/CN=127.0.0.1'],
    ['client', '/CN=venice'],
  ] as const) {
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    );
    fs.writeFileSync(path.join(dir, `${name}.ext`), 'subjectAltName=IP:127.0.0.1\n');
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
    );
  }
  return {
    dir,
    ca: path.join(dir, 'ca.pem'),
    clientCert: path.join(dir, 'client.pem'),
    clientKey: path.join(dir, 'client.key'),
  };
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
      key: read('server.key'),
      cert: read('server.pem'),
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
