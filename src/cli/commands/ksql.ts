// `venice ksql [url]`: ksqlDB's SQL shell on the sql component. With no -e or -f it is an interactive
// prompt (also when its input is piped); -e runs statements given on the command line, -f a file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_SQL_URL, SQL_URL_VARIABLE } from '../../sql/defaults.js';
import {
  addHttpClientOptions,
  cliFetch,
  httpRefusal,
  tlsTrustFailure,
  type HttpClientFlags,
} from '../http-client.js';
import { CliError, ExitCode } from '../output.js';

interface KsqlCommandOptions extends HttpClientFlags {
  file?: string;
  execute?: string;
  output: 'table' | 'json';
  historyFile: string;
}

export const DEFAULT_HISTORY_FILE = path.join(os.homedir(), '.venice_ksql_history');

export function registerKsqlCommand(program: Command): void {
  const command = program
    .command('ksql')
    .description('Open a SQL shell on the streaming SQL engine (ksqlDB dialect) (alias: -k)')
    .argument(
      '[url]',
      `the SQL engine's URL (default: $${SQL_URL_VARIABLE}, venice.yaml, or ${DEFAULT_SQL_URL})`,
    )
    .option('-f, --file <file>', 'run the statements of a file, then exit')
    .option('-e, --execute <statements>', 'run these statements, then exit')
    .addOption(
      new Option('--output <format>', 'how to print results').choices(['table', 'json']).default('table'),
    )
    .option('--history-file <file>', 'where the prompt keeps its history', DEFAULT_HISTORY_FILE);
  addHttpClientOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  venice ksql\n  venice ksql http://localhost:8088\n' +
        '  venice ksql -e "SHOW STREAMS;"\n  venice ksql -f pipeline.sql --output json\n' +
        '\nIn the prompt, statements end with `;`; Ctrl-C ends a running push query; exit or Ctrl-D leave.',
    )
    .action(async (url: string | undefined, options: KsqlCommandOptions) => {
      const [
        { resolveSqlUrl },
        { KsqlRestClient, KsqlServerError, KsqlUnreachableError },
        { ShellSession },
        { Completions },
      ] = await Promise.all([
        import('../ksql/server-url.js'),
        import('../ksql/client.js'),
        import('../ksql/session.js'),
        import('../ksql/completion.js'),
      ]);
      const baseUrl = resolveSqlUrl(url);
      const client = new KsqlRestClient(baseUrl, cliFetch(options));
      const what = `the SQL engine at ${baseUrl}`;
      const unreachable = (message: string) =>
        new CliError(
          message,
          'start it with `venice up` (or `venice sql`), or pass its URL: venice ksql http://host:8088',
          ExitCode.unavailable,
        );
      let info;
      try {
        info = await client.info();
      } catch (error) {
        if (error instanceof KsqlUnreachableError)
          throw tlsTrustFailure(what, error, options) ?? unreachable(error.message);
        if (error instanceof KsqlServerError)
          throw (
            httpRefusal(what, error.status, error.message, options) ??
            new CliError(
              `${what} answered HTTP ${error.status}: ${error.message}`,
              undefined,
              ExitCode.failure,
            )
          );
        throw error;
      }
      const io = {
        out: (text: string) => void process.stdout.write(text),
        err: (text: string) => void process.stderr.write(text),
      };
      const script = options.execute ?? (options.file !== undefined ? readScript(options.file) : undefined);
      if (script !== undefined) {
        const { splitStatements } = await import('../ksql/script.js');
        const session = new ShellSession(client, io, options.output);
        // Ctrl-C ends a running push query; the script then goes on.
        const onSignal = () => (session.queryRunning ? session.cancelQuery() : process.exit(130));
        process.on('SIGINT', onSignal);
        const { statements, rest } = splitStatements(script);
        if (rest.trim() !== '') statements.push(...splitStatements(rest.trimEnd() + ';').statements);
        for (const statement of statements)
          if (!(await session.run(statement))) {
            process.off('SIGINT', onSignal);
            process.exitCode = ExitCode.failure;
            return;
          }
        process.off('SIGINT', onSignal);
        return;
      }
      const { runPrompt } = await import('../ksql/prompt.js');
      const session = new ShellSession(client, io, options.output, new Completions());
      if (process.stdin.isTTY)
        io.out(
          `venice ksql: connected to ${baseUrl} (ksqlDB ${info.version} API, service id ${info.ksqlServiceId})\n` +
            "Type help for examples, exit to leave. Statements end with ';'.\n\n",
        );
      await session.refreshNames();
      await runPrompt(session, {
        input: process.stdin,
        output: process.stdout,
        historyFile: options.historyFile,
      });
    });
}

function readScript(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      undefined,
      ExitCode.usage,
    );
  }
}
