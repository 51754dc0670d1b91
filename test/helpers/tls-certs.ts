// Test certificates made with openssl into a temporary folder: a CA, a broker certificate for
// localhost and 127.0.0.1, and a client certificate, all signed by the CA.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TestCertificates {
  dir: string;
  caFile: string;
  brokerCertificateFile: string;
  brokerKeyFile: string;
  clientCertificateFile: string;
  clientKeyFile: string;
  /** The client certificate's subject as Kafka's principal builder writes it (RFC 2253). */
  clientDistinguishedName: string;
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function signed(dir: string, name: string, subject: string, extensions: string): void {
  openssl(dir, ['req', ...KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
  fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(dir, [
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
  ]);
}

/** Into `dir` when given, else a new temporary folder. */
export function makeTestCertificates(
  dir: string = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-certs-')),
): TestCertificates {
  openssl(dir, [
    'req',
    '-x509',
    ...KEY,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Venice Test CA',
  ]);
  signed(dir, 'broker', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  signed(dir, 'client', '/C=US/O=Acme/OU=eng/CN=alice', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    brokerCertificateFile: path.join(dir, 'broker.pem'),
    brokerKeyFile: path.join(dir, 'broker.key'),
    clientCertificateFile: path.join(dir, 'client.pem'),
    clientKeyFile: path.join(dir, 'client.key'),
    clientDistinguishedName: 'CN=alice,OU=eng,O=Acme,C=US',
  };
}
