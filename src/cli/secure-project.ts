// `venice install --secure`: turns a freshly scaffolded project into one with security on: the secure
// venice.yaml (templates/_secure), certificates for the broker's TLS listener, generated passwords in
// secrets/ (mode 0600), the HTTP users file, and the commands that create the Kafka users and ACLs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEMPLATES_DIR } from '../config/scaffold.js';
import { hashPassword } from '../service/http-security/passwords.js';
import { writeCertificates } from './certs/write-certificates.js';

/** The overlay copied over the template: not a template itself (its name cannot be chosen). */
const OVERLAY = '_secure';
export const SECRETS_DIR = 'secrets';
export const CERTS_DIR = 'certs';

/** The example application's name; its topics and groups are the ones whose names start with it. */
export const EXAMPLE_APP = { user: 'orders-app', topicPrefix: 'orders', groupPrefix: 'orders-app' };

/** Each secret file, and what it holds. */
const PASSWORDS = {
  venice: 'kafka-venice.password',
  kafkaAdmin: 'kafka-admin.password',
  app: `kafka-${EXAMPLE_APP.user}.password`,
  httpAdmin: 'http-admin.password',
} as const;

export interface SecureProject {
  /** Paths relative to the project. */
  written: string[];
  /** Commands to run once the pipeline is up, in order (no secret in them: they read secrets/). */
  setupCommands: string[];
}

export class SecureFilesExist extends Error {
  override name = 'SecureFilesExist';
  constructor(readonly files: string[]) {
    super(`${files.length} file(s) already exist`);
  }
}

/** Which of the files `applySecurity` writes exist already (it refuses to replace them unless forced). */
export function existingSecureFiles(target: string): string[] {
  return [
    'SECURITY.md',
    ...Object.values(PASSWORDS).map((file) => path.join(SECRETS_DIR, file)),
    path.join(SECRETS_DIR, 'broker-plain-users'),
    path.join(SECRETS_DIR, 'http-users.yaml'),
    path.join(CERTS_DIR, 'ca.pem'),
    path.join(CERTS_DIR, 'server.pem'),
  ].filter((file) => fs.existsSync(path.join(target, file)));
}

export function setupCommands(): string[] {
  const { user, topicPrefix, groupPrefix } = EXAMPLE_APP;
  const secret = (file: string) => path.join(SECRETS_DIR, file);
  return [
    `venice users create admin --mechanism SCRAM-SHA-512 --password-stdin < ${secret(PASSWORDS.kafkaAdmin)}`,
    `venice users create ${user} --mechanism SCRAM-SHA-512 --password-stdin < ${secret(PASSWORDS.app)}`,
    `venice acl create --allow-principal User:${user} --operation WRITE --operation READ --operation DESCRIBE ` +
      `--topic ${topicPrefix} --resource-pattern-type PREFIXED`,
    `venice acl create --allow-principal User:${user} --operation READ --group ${groupPrefix} ` +
      '--resource-pattern-type PREFIXED',
  ];
}

export async function applySecurity(target: string, options: { force: boolean }): Promise<SecureProject> {
  const existing = existingSecureFiles(target);
  if (existing.length > 0 && !options.force) throw new SecureFilesExist(existing);
  const written: string[] = [];
  const overlay = path.join(TEMPLATES_DIR, OVERLAY);
  const commands = setupCommands();
  const fill = (text: string) =>
    text.replaceAll('{{HOSTNAME}}', os.hostname()).replaceAll('{{SETUP_COMMANDS}}', commands.join('\n'));
  for (const file of ['venice.yaml', 'SECURITY.md']) {
    fs.writeFileSync(path.join(target, file), fill(fs.readFileSync(path.join(overlay, file), 'utf8')));
    written.push(file);
  }
  ignoreSecrets(target);

  // Secrets: a folder only its owner may enter, files only its owner may read.
  const secrets = path.join(target, SECRETS_DIR);
  fs.mkdirSync(secrets, { recursive: true, mode: 0o700 });
  fs.chmodSync(secrets, 0o700);
  const writeSecret = (file: string, text: string) => {
    const destination = path.join(secrets, file);
    fs.rmSync(destination, { force: true }); // a new file gets the mode; an old one would keep its own
    fs.writeFileSync(destination, text, { mode: 0o600 });
    written.push(path.join(SECRETS_DIR, file));
  };
  const passwords = Object.fromEntries(
    Object.entries(PASSWORDS).map(([key]) => [key, crypto.randomBytes(24).toString('base64url')]),
  ) as Record<keyof typeof PASSWORDS, string>;
  for (const [key, file] of Object.entries(PASSWORDS))
    writeSecret(file, `${passwords[key as keyof typeof PASSWORDS]}\n`);
  writeSecret(
    'broker-plain-users',
    "# The broker's static PLAIN users (broker.saslPlainUsersFile): name=password.\n" +
      `venice=${passwords.venice}\n`,
  );
  writeSecret(
    'http-users.yaml',
    '# Users of the HTTP components (http.users): `venice http-users add` edits it.\n' +
      `users:\n  - name: admin\n    password: ${hashPassword(passwords.httpAdmin)}\n    roles: [admin]\n`,
  );

  const certificates = await writeCertificates({
    dir: path.join(target, CERTS_DIR),
    hosts: [],
    clients: [],
    days: 825,
    force: true,
  });
  written.push(...certificates.files.map((file) => path.join(CERTS_DIR, file)));
  return { written, setupCommands: commands };
}

/** Appends secrets/ and the private keys to .gitignore, once. */
function ignoreSecrets(target: string): void {
  const file = path.join(target, '.gitignore');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (text.includes(`${SECRETS_DIR}/`)) return;
  fs.writeFileSync(
    file,
    `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}` +
      `# Passwords and private keys (venice install --secure).\n${SECRETS_DIR}/\n${CERTS_DIR}/*-key.pem\n`,
  );
}
