// Writes a local CA, a server certificate and client certificates as PEM files into a folder: what
// `venice certs create` does, and what `venice install --secure` does for the broker's TLS listener.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAuthority, issueClient, issueServer } from './certificates.js';

export interface CertificateRequest {
  dir: string;
  /** Names and addresses the server is reached by, besides this machine's own. */
  hosts: readonly string[];
  clients: readonly string[];
  days: number;
  force: boolean;
}

export interface WrittenCertificates {
  dir: string;
  files: string[];
  /** Every name the server certificate is for. */
  hosts: string[];
}

export class CertificatesExist extends Error {
  override name = 'CertificatesExist';
  constructor(
    readonly dir: string,
    readonly files: string[],
  ) {
    super(`${dir} already has ${files.join(', ')}`);
  }
}

export function writeCertificates(request: CertificateRequest): WrittenCertificates {
  const dir = path.resolve(request.dir);
  const hosts = [...new Set([...request.hosts, 'localhost', '127.0.0.1', '::1', os.hostname()])];
  const files: [string, string, boolean][] = [];
  const authority = createAuthority(`Venice CA (${os.hostname()})`, 3650);
  files.push(['ca.pem', authority.cert, false], ['ca-key.pem', authority.key, true]);
  const server = issueServer(authority, hosts, request.days);
  files.push(['server.pem', server.cert + authority.cert, false], ['server-key.pem', server.key, true]);
  for (const name of request.clients) {
    const client = issueClient(authority, name, request.days);
    files.push([`client-${name}.pem`, client.cert, false], [`client-${name}-key.pem`, client.key, true]);
  }
  const existing = files.filter(([file]) => fs.existsSync(path.join(dir, file)));
  if (existing.length > 0 && !request.force)
    throw new CertificatesExist(
      dir,
      existing.map(([file]) => file),
    );
  fs.mkdirSync(dir, { recursive: true });
  // Private keys are readable by their owner only.
  for (const [file, text, secret] of files)
    fs.writeFileSync(path.join(dir, file), text, { mode: secret ? 0o600 : 0o644 });
  return { dir, files: files.map(([file]) => file), hosts };
}
