// `venice users`: SCRAM users of the broker, over the Kafka protocol (AlterUserScramCredentials and
// DescribeUserScramCredentials), so it works against any listener the CLI may reach.
import { InvalidArgumentError, type Command } from 'commander';
import type { ScramMechanismName, ScramUser } from '../../client/index.js';
import type { BootstrapOptions } from '../arguments.js';
import { BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP, withKafka } from '../connection.js';
import { CliError, ExitCode } from '../output.js';
import { addOutputOptions, printData, renderTable, type OutputOptions } from '../render.js';

const MECHANISMS: readonly ScramMechanismName[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];

function mechanismOption(value: string, previous: ScramMechanismName[] = []): ScramMechanismName[] {
  const upper = value.toUpperCase() as ScramMechanismName;
  if (!MECHANISMS.includes(upper)) throw new InvalidArgumentError(`use ${MECHANISMS.join(' or ')}.`);
  return [...previous, upper];
}

function iterationsOption(value: string): number {
  const iterations = Number(value);
  if (!Number.isInteger(iterations) || iterations < 4096 || iterations > 16384) {
    throw new InvalidArgumentError('iterations are a whole number from 4096 to 16384.');
  }
  return iterations;
}

interface CreateOptions extends BootstrapOptions {
  password?: string;
  passwordStdin?: boolean;
  mechanism?: ScramMechanismName[];
  iterations?: number;
}

export function registerUsersCommand(program: Command): void {
  const users = program
    .command('users')
    .description('Create, list and delete the SCRAM users the broker authenticates (SASL)')
    .addHelpText(
      'after',
      '\nExamples:\n  venice users create alice --password-stdin < alice.secret\n  venice users\n' +
        '  venice users delete alice',
    );
  registerList(users);
  registerCreate(users);
  registerDelete(users);
}

function registerList(users: Command): void {
  const command = users
    .command('list', { isDefault: true })
    .description('List SCRAM users and their mechanisms');
  addOutputOptions(command)
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .action(async (options: BootstrapOptions & OutputOptions) => {
      const listed = await withKafka(options.bootstrapServers, (kafka) => kafka.users.list());
      printData(options, listed, usersText);
    });
}

function registerCreate(users: Command): void {
  users
    .command('create <name>')
    .description('Create a SCRAM user, or change its password (SCRAM-SHA-256 and SCRAM-SHA-512 by default)')
    .option('--password <password>', 'the password (visible to other local users: prefer --password-stdin)')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .option('--mechanism <mechanism>', 'SCRAM-SHA-256 or SCRAM-SHA-512; repeat for both', mechanismOption)
    .option('--iterations <n>', 'PBKDF2 iterations, 4096 to 16384 (default 8192)', iterationsOption)
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .action(async (name: string, options: CreateOptions) => {
      const password = await passwordOf(options);
      await withKafka(options.bootstrapServers, (kafka) =>
        kafka.users.upsert({ name, password, mechanisms: options.mechanism, iterations: options.iterations }),
      );
      process.stdout.write(`User ${name} saved (${(options.mechanism ?? MECHANISMS).join(', ')}).\n`);
    });
}

function registerDelete(users: Command): void {
  users
    .command('delete <name>')
    .description("Delete a SCRAM user's credentials (all mechanisms unless --mechanism)")
    .option('--mechanism <mechanism>', 'SCRAM-SHA-256 or SCRAM-SHA-512; repeat for both', mechanismOption)
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .action(async (name: string, options: BootstrapOptions & { mechanism?: ScramMechanismName[] }) => {
      await withKafka(options.bootstrapServers, (kafka) => kafka.users.delete(name, options.mechanism));
      process.stdout.write(`User ${name} deleted.\n`);
    });
}

async function passwordOf(options: CreateOptions): Promise<string> {
  if (options.password !== undefined && options.passwordStdin) {
    throw new CliError('give either --password or --password-stdin, not both', undefined, ExitCode.usage);
  }
  let password = options.password;
  if (options.passwordStdin) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    password = text.split(/\r?\n/)[0];
  }
  if (!password) {
    throw new CliError(
      'a user needs a password',
      'give it with --password-stdin (or --password)',
      ExitCode.usage,
    );
  }
  return password;
}

function usersText(listed: readonly ScramUser[]): string {
  if (listed.length === 0) return 'No SCRAM users.\n';
  return (
    renderTable(
      ['user', 'mechanisms'],
      listed.map((user) => [
        user.name,
        user.credentials.map((c) => `${c.mechanism} (${c.iterations} iterations)`).join(', '),
      ]),
    ) + '\n'
  );
}
