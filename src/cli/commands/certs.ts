// `venice certs create`: a local CA with a server certificate (for the HTTP components' HTTPS and the
// broker's TLS listener) and client certificates, as PEM files in a folder, for the team to share.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { integerOption } from '../arguments.js';
import { CliError, ExitCode } from '../output.js';

interface CertsOptions {
  dir: string;
  host: string[];
  client: string[];
  days: number;
  force?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerCertsCommand(program: Command): void {
  const certs = program.command('certs').description('Make certificates for HTTPS and TLS (a local CA)');
  certs
    .command('create')
    .description('Create a CA, a server certificate and client certificates, as PEM files')
    .option('--dir <dir>', 'folder to write them to', './certs')
    .option('--host <name>', 'a name or address the server is reached by (repeat it)', collect, [])
    .option('--client <name>', 'also make a client certificate for this user (repeat it)', collect, [])
    .option('--days <n>', 'how long the server and client certificates last', integerOption, 825)
    .option('--force', 'overwrite certificates already in the folder')
    .addHelpText(
      'after',
      '\nExamples:\n  venice certs create\n  venice certs create --host venice.example.com --host 10.0.0.5 --client alice\n' +
        '\nThen set http.tlsCert and http.tlsKey (server.pem, server-key.pem) and give clients ca.pem\n' +
        '(http.ca); see docs/security.md.',
    )
    .action(async (options: CertsOptions) => {
      // Loaded here: node-forge takes tens of milliseconds to load, which every other command would pay.
      const { createAuthority, issueClient, issueServer } = await import('../certs/certificates.js');
      const dir = path.resolve(options.dir);
      const hosts = [...new Set([...options.host, 'localhost', '127.0.0.1', '::1', os.hostname()])];
      const names = [
        'ca.pem',
        'ca-key.pem',
        'server.pem',
        'server-key.pem',
        ...options.client.flatMap((name) => [`client-${name}.pem`, `client-${name}-key.pem`]),
      ];
      // Checked before making keys, which takes about a second.
      const existing = names.filter((file) => fs.existsSync(path.join(dir, file)));
      if (existing.length > 0 && !options.force) {
        throw new CliError(
          `${dir} already has ${existing.join(', ')}`,
          'pass --force to replace them (clients must then trust the new ca.pem), or choose another --dir',
          ExitCode.usage,
        );
      }
      const files: [string, string, boolean][] = [];
      const authority = createAuthority(`Venice CA (${os.hostname()})`, 3650);
      files.push(['ca.pem', authority.cert, false], ['ca-key.pem', authority.key, true]);
      const server = issueServer(authority, hosts, options.days);
      files.push(['server.pem', server.cert + authority.cert, false], ['server-key.pem', server.key, true]);
      for (const name of options.client) {
        const client = issueClient(authority, name, options.days);
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
      process.stdout.write(
        `Wrote ${files.map(([file]) => file).join(', ')} to ${dir}\n` +
          `The server certificate is for: ${hosts.join(', ')}\n` +
          'Keep ca-key.pem private: whoever has it can make certificates your clients trust.\n',
      );
    });
}
