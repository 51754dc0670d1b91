// `venice certs create`: a local CA with a server certificate (for the HTTP components' HTTPS and the
// broker's TLS listener) and client certificates, as PEM files in a folder, for the team to share.
import type { Command } from 'commander';
import { CertificatesExist, writeCertificates } from '../certs/write-certificates.js';
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
      let written;
      try {
        written = await writeCertificates({
          dir: options.dir,
          hosts: options.host,
          clients: options.client,
          days: options.days,
          force: options.force === true,
        });
      } catch (error) {
        if (!(error instanceof CertificatesExist)) throw error;
        throw new CliError(
          error.message,
          'pass --force to replace them (clients must then trust the new ca.pem), or choose another --dir',
          ExitCode.usage,
        );
      }
      process.stdout.write(
        `Wrote ${written.files.join(', ')} to ${written.dir}\n` +
          `The server certificate is for: ${written.hosts.join(', ')}\n` +
          'Keep ca-key.pem private: whoever has it can make certificates your clients trust.\n',
      );
    });
}
