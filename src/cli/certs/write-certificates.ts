// Writes a local CA, a server certificate and client certificates as PEM files into a folder: what
// `venice certs create` does, and what `venice install --secure` does for the broker's TLS listener.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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

export async function writeCertificates(request: CertificateRequest): Promise<WrittenCertificates> {
  const dir = path.resolve(request.dir);
  const hosts = [...new Set([...request.hosts, 'localhost', '127.0.0.1', '::1', os.hostname()])];
  const names = [
    'ca.pem',
    'ca-key.pem',
    'server.pem',
    'server-key.pem',
    ...request.clients.flatMap((name) => [`client-${name}.pem`, `client-${name}-key.pem`]),
  ];
  // Checked before making keys, which takes about a second.
  const existing = names.filter((file) => fs.existsSync(path.join(dir, file)));
  if (existing.length > 0 && !request.force) throw new CertificatesExist(dir, existing);
  // Loaded here: node-forge takes tens of milliseconds to load, which every other command would pay.
  const { createAuthority, issueClient, issueServer } = await import('./certificates.js');
  const files: [string, string, boolean][] = [];
  const authority = createAuthority(`Venice CA (${os.hostname()})`, 3650);
  files.push(['ca.pem', authority.cert, false], ['ca-key.pem', authority.key, true]);
  const server = issueServer(authority, hosts, request.days);
  files.push(['server.pem', server.cert + authority.cert, false], ['server-key.pem', server.key, true]);
  for (const name of request.clients) {
    const client = issueClient(authority, name, request.days);
    files.push([`client-${name}.pem`, client.cert, false], [`client-${name}-key.pem`, client.key, true]);
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text, secret] of files) {
    const target = path.join(dir, file);
    // Private keys are readable by their owner only; a file replaced by --force is removed first,
    // since the mode applies only to a file being created.
    fs.rmSync(target, { force: true });
    fs.writeFileSync(target, text, { mode: secret ? 0o600 : 0o644 });
  }
  return { dir, files: files.map(([file]) => file), hosts };
}
