// `venice psql`: a SQL prompt on the pipeline's PostgreSQL (the embedded one, or the one given by
// --postgres-url / venice.yaml's external.postgresUrl). It runs the system's psql when there is one,
// and otherwise a built-in prompt over `pg` (--builtin chooses it outright).
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { SETTINGS } from '../../config/settings.js';
import { parsePostgresUrl } from '../../config/values.js';
import { COMPONENT_CATALOG, embeddedPostgres } from '../../supervisor/components.js';
import { signalExitCode } from '../../service/run.js';
import { reportingConfigErrors } from '../config-options.js';
import { CliError, ExitCode } from '../output.js';

interface PsqlCommandOptions {
  postgresUrl?: string;
  command?: string;
  builtin?: boolean;
}

export function registerPsqlCommand(program: Command): void {
  program
    .command('psql')
    .description(
      "Open a SQL prompt on the pipeline's PostgreSQL: psql if installed, else a built-in one (alias: -p)",
    )
    .argument('[psqlArgs...]', 'more arguments for psql, after -- (psql -x, -f file.sql, ...)')
    .option(
      `${SETTINGS.postgresUrl.flag} ${SETTINGS.postgresUrl.flagValue}`,
      `the PostgreSQL to connect to (default: $${SETTINGS.postgresUrl.env}, venice.yaml's external.postgresUrl, or the embedded one)`,
    )
    .option('-c, --command <sql>', 'run this SQL, print its result, and exit')
    .option('--builtin', 'use the built-in prompt even when psql is installed')
    .addHelpText(
      'after',
      '\nExamples:\n  venice psql\n  venice psql -c "SELECT * FROM orders LIMIT 10"\n' +
        '  venice psql -- -x -f report.sql\n  venice psql --postgres-url postgres://user@db.internal:5432/app',
    )
    .action(async (psqlArgs: string[], options: PsqlCommandOptions) => {
      const url = resolvePostgresUrl(options.postgresUrl);
      if (!options.builtin) {
        const exitCode = await runSystemPsql(url, options.command, psqlArgs);
        if (exitCode !== null) {
          process.exitCode = exitCode;
          return;
        }
      } else if (psqlArgs.length > 0)
        throw new CliError(
          `the built-in prompt takes no psql arguments (${psqlArgs.join(' ')})`,
          'leave out --builtin to use psql',
          ExitCode.usage,
        );
      process.exitCode = await runBuiltinPrompt(url, options.command);
    });
}

/** --postgres-url, else VENICE_POSTGRES_URL or venice.yaml's external.postgresUrl, else the embedded one. */
function resolvePostgresUrl(flag: string | undefined): string {
  return reportingConfigErrors(() => {
    if (flag !== undefined) return parsePostgresUrl(flag, SETTINGS.postgresUrl.flag);
    const config = loadConfig({ catalog: COMPONENT_CATALOG });
    return config.postgresUrl ?? embeddedPostgres(config);
  });
}

/** Runs psql on the terminal; resolves with its exit code, or null when psql is not installed. */
function runSystemPsql(
  url: string,
  command: string | undefined,
  extra: readonly string[],
): Promise<number | null> {
  const args = [url, ...(command !== undefined ? ['-c', command] : []), ...extra];
  return new Promise((resolve, reject) => {
    const child = spawn('psql', args, { stdio: 'inherit' });
    // Ctrl-C belongs to psql (it cancels the running query); this process only waits for it.
    const ignore = () => {};
    process.on('SIGINT', ignore);
    child.once('error', (error: NodeJS.ErrnoException) => {
      process.off('SIGINT', ignore);
      if (error.code === 'ENOENT') resolve(null);
      else reject(new CliError(`could not run psql: ${error.message}`, 'try --builtin', ExitCode.failure));
    });
    child.once('exit', (code, signal) => {
      process.off('SIGINT', ignore);
      resolve(code ?? (signal ? signalExitCode(signal) : 1));
    });
  });
}

async function runBuiltinPrompt(url: string, command: string | undefined): Promise<number> {
  const [{ default: pg }, { runPrompt, SqlRunner }] = await Promise.all([
    import('pg'),
    import('../psql/builtin-prompt.js'),
  ]);
  const client = new pg.Client({ connectionString: url, application_name: 'venice psql' });
  client.on('error', () => {}); // a connection lost later shows up as the failed statement
  try {
    await client.connect();
  } catch (error) {
    throw new CliError(
      `cannot connect to ${url}: ${error instanceof Error ? error.message : String(error)}`,
      'start it with `venice up` (or `venice postgres`), or pass --postgres-url',
      ExitCode.unavailable,
    );
  }
  const io = {
    out: (text: string) => void process.stdout.write(text),
    err: (text: string) => void process.stderr.write(text),
  };
  const runner = new SqlRunner(client, io);
  try {
    if (command !== undefined) return (await runner.run(command)) ? 0 : 1;
    const interactive = Boolean(process.stdin.isTTY);
    if (interactive)
      io.out(`venice psql: connected to ${url} (built-in prompt; \\? for help, \\q to quit)\n`);
    // Like psql, a script's failed statement is reported and the script goes on; the exit code stays 0.
    await runPrompt(runner, io, { input: process.stdin, output: process.stdout, interactive });
    return 0;
  } finally {
    await client.end().catch(() => {});
  }
}
