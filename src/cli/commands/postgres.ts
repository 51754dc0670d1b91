// `venice postgres`: runs the embedded PostgreSQL (PGlite on the PostgreSQL wire protocol) in the foreground.
import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_DATA_DIR, DEFAULT_HOST, type LogLevel } from '../../config/settings.js';
import { DEFAULT_POSTGRES_PORT, embeddedPostgresUrl } from '../../postgres/defaults.js';
import type { RunningPostgres } from '../../postgres/service.js';
import { componentDataDir } from '../../supervisor/paths.js';
import { portOption } from '../arguments.js';
import { logLevelOption, startFailure } from '../service-options.js';

interface PostgresCommandOptions {
  host: string;
  port: number;
  dataDir: string;
  logLevel: LogLevel;
}

export function registerPostgresCommand(program: Command): void {
  program
    .command('postgres')
    .description('Run the embedded PostgreSQL (PGlite) in the foreground')
    .option('--host <host>', 'interface to listen on', DEFAULT_HOST)
    .option('--port <port>', 'PostgreSQL port (0 picks a free one)', portOption, DEFAULT_POSTGRES_PORT)
    .option('--data-dir <dir>', "the database's own folder", componentDataDir(DEFAULT_DATA_DIR, 'postgres'))
    .addOption(logLevelOption())
    .addHelpText(
      'after',
      `\nExamples:\n  venice postgres\n  venice postgres --port ${DEFAULT_POSTGRES_PORT} --data-dir ./.venice/postgres\n` +
        '  venice psql          # then open a SQL prompt on it\n' +
        `\nClients connect to ${embeddedPostgresUrl()} (one database, postgres; no password, no TLS).` +
        '\nThe first start of a new data folder runs initdb (10 s or more); later new folders copy its result.',
    )
    .action(async (options: PostgresCommandOptions) => {
      // Loaded here: PGlite and its WebAssembly are not needed by other commands.
      const [{ startPostgres, createPostgresLogger }, { runUntilSignal }] = await Promise.all([
        import('../../postgres/service.js'),
        import('../../service/index.js'),
      ]);
      const logger = createPostgresLogger(options.logLevel);
      // Not awaited: runUntilSignal listens for SIGTERM from the start, even during initdb.
      const running: Promise<RunningPostgres> = startPostgres({
        host: options.host,
        port: options.port,
        dataDir: path.resolve(options.dataDir),
        logger,
        listenSetting: { setting: 'postgres', commandFlag: '--port' },
        // PGlite's WebAssembly exited: nothing more can be served; the supervisor restarts the component.
        onBroken: () => process.exit(1),
      }).catch((error: unknown) => {
        throw startFailure(error);
      });
      process.exit(await runUntilSignal(running, { name: 'postgres', logger }));
    });
}
