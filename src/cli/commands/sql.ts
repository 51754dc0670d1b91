// `venice sql`: runs the streaming SQL engine (ksqlDB's dialect and REST API) in the foreground.
import { componentHttpOptions } from '../http-settings.js';
import { addHttpClientOptions, type HttpClientFlags } from '../http-client.js';
import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_DATA_DIR, DEFAULT_HOST, type LogLevel } from '../../config/settings.js';
import { DEFAULT_SERVICE_ID, DEFAULT_SQL_PORT } from '../../sql/defaults.js';
import type { RunningSql } from '../../sql/service.js';
import { componentDataDir } from '../../supervisor/paths.js';
import { portOption } from '../arguments.js';
import {
  BOOTSTRAP_OPTION_FLAGS,
  BOOTSTRAP_OPTION_HELP,
  DEFAULT_BOOTSTRAP_SERVERS,
  resolveBootstrapServers,
  resolveKafkaClientSettings,
} from '../connection.js';
import { REGISTRY_URL_FLAGS, REGISTRY_URL_HELP, resolveRegistryUrl } from '../registry-url.js';
import { logLevelOption, startFailure } from '../service-options.js';

interface SqlCommandOptions extends HttpClientFlags {
  host: string;
  port: number;
  bootstrapServers?: string;
  registryUrl?: string;
  registry: boolean;
  dataDir: string;
  serviceId: string;
  logLevel: LogLevel;
}

export function registerSqlCommand(program: Command): void {
  const command = program
    .command('sql')
    .description('Run the streaming SQL engine (ksqlDB dialect and REST API) in the foreground')
    .option('--host <host>', 'interface to listen on', DEFAULT_HOST)
    .option('--port <port>', 'HTTP port of the REST API (0 picks a free one)', portOption, DEFAULT_SQL_PORT)
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .option(REGISTRY_URL_FLAGS, `${REGISTRY_URL_HELP}; used by the AVRO, PROTOBUF and JSON_SR formats`)
    .option('--no-registry', 'run without a schema registry (the schema registry formats are refused)')
    .option(
      '--data-dir <dir>',
      "the engine's own folder: its state stores",
      componentDataDir(DEFAULT_DATA_DIR, 'sql'),
    )
    .option(
      '--service-id <id>',
      'ksql.service.id: names the command topic and query groups',
      DEFAULT_SERVICE_ID,
    )
    .addOption(logLevelOption());
  addHttpClientOptions(command)
    .addHelpText(
      'after',
      `\nExamples:\n  venice sql\n  venice sql --port ${DEFAULT_SQL_PORT} --bootstrap-servers ${DEFAULT_BOOTSTRAP_SERVERS}\n` +
        '  venice ksql          # then open the SQL shell on it\n' +
        '\nThe health endpoint is GET /health on the same port (ksqlDB clients use GET /healthcheck).',
    )
    .action(async (options: SqlCommandOptions) => {
      const bootstrapServers = resolveBootstrapServers(options.bootstrapServers);
      const schemaRegistryUrl = options.registry ? resolveRegistryUrl(options.registryUrl) : undefined;
      // Loaded here: the engine and the HTTP server are not needed by other commands.
      const [{ startSql, createSqlLogger }, { runUntilSignal }] = await Promise.all([
        import('../../sql/service.js'),
        import('../../service/index.js'),
      ]);
      const logger = createSqlLogger(options.logLevel);
      // Not awaited: runUntilSignal listens for SIGTERM from the start, even while the engine replays its commands.
      const running: Promise<RunningSql> = startSql({
        host: options.host,
        port: options.port,
        bootstrapServers,
        kafkaClient: resolveKafkaClientSettings(),
        schemaRegistryUrl,
        dataDir: path.resolve(options.dataDir),
        serviceId: options.serviceId,
        logger,
        listenSetting: { setting: 'sql', commandFlag: '--port' },
        ...componentHttpOptions(options),
      }).catch((error: unknown) => {
        throw startFailure(error);
      });
      process.exit(await runUntilSignal(running, { name: 'sql', logger }));
    });
}
