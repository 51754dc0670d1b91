// `venice http-users add`: adds a user of the HTTP components (registry, sql, connect, console) to a users file, with the password's scrypt
// hash (the password itself is read from stdin or a hidden prompt and written nowhere).
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { readUsersFile } from '../../config/http.js';
import { hashPassword } from '../../service/http-security/passwords.js';
import { reportingConfigErrors } from '../config-options.js';
import { CliError, ExitCode } from '../output.js';

interface AddOptions {
  role: string[];
  file: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerHttpUsersCommand(program: Command): void {
  const users = program
    .command('http-users')
    .description('Manage the users of the HTTP components (registry, sql, connect, console)');
  users
    .command('add')
    .description('Add a user (or change its password and roles) in a users file')
    .argument('<name>', 'user name')
    .option('--role <role>', 'a role (repeat it): e.g. admin, or readonly to only read', collect, [])
    .option('--file <file>', 'the users file (http.users in venice.yaml)', './users.yaml')
    .addHelpText(
      'after',
      '\nThe password is read from stdin, or asked for:\n  venice http-users add alice --role admin\n' +
        '  echo "$PASSWORD" | venice http-users add ci --role readonly --file users.yaml',
    )
    .action(async (name: string, options: AddOptions) => {
      if (!/^[A-Za-z0-9._@-]+$/.test(name))
        throw new CliError(`"${name}" is not a user name`, 'use letters, digits and . _ @ -', ExitCode.usage);
      const file = path.resolve(options.file);
      const existing = fs.existsSync(file) ? reportingConfigErrors(() => readUsersFile(file)) : [];
      const password = await readPassword(`Password for ${name}: `);
      if (password.length < 8)
        throw new CliError(
          'the password is shorter than 8 characters',
          'choose a longer one',
          ExitCode.usage,
        );
      const entry = { name, password: hashPassword(password), roles: options.role };
      const others = existing
        .filter((user) => user.name !== name)
        .map((user) => ({ name: user.name, password: user.passwordHash, roles: user.roles }));
      const yaml = (await import('yaml')).default;
      fs.writeFileSync(file, yaml.stringify({ users: [...others, entry] }), { mode: 0o600 });
      process.stdout.write(
        `${existing.some((user) => user.name === name) ? 'Updated' : 'Added'} ${name} in ${file}\n`,
      );
    });
}

/** One line from stdin; on a terminal, asked for without echo. */
async function readPassword(prompt: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    let text = '';
    for await (const chunk of input) text += String(chunk);
    return text.split(/\r?\n/)[0];
  }
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish(null);
        if (char === '\u0003') return finish(new CliError('cancelled', undefined, ExitCode.usage));
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
      }
    };
    const finish = (error: Error | null) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    input.on('data', onData);
  });
}
