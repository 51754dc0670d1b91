// `venice console`: runs the web console (its UI and JSON API on port 9000) in the foreground.
import { componentHttpOptions } from '../http-settings.js';
import { addHttpClientOptions, type HttpClientFlags } from '../http-client.js';
import type { Command } from 'commander';
import { DEFAULT_HOST, type LogLevel } from '../../config/settings.js';
import { loadConfig } from '../../config/load.js';
import { DEFAULT_CONSOLE_PORT } from '../../console/defaults.js';
import type { RunningConsole } from '../../console/service.js';
import { COMPONENT_CATALOG } from '../../supervisor/components.js';
import { portOption } from '../arguments.js';
import {
  BOOTSTRAP_OPTION_FLAGS,
  BOOTSTRAP_OPTION_HELP,
  resolveBootstrapServers,
  resolveKafkaClientSettings,
} from '../connection.js';
import { reportingConfigErrors } from '../config-options.js';
import { resolveSqlUrl } from '../ksql/server-url.js';
import { REGISTRY_URL_FLAGS, REGISTRY_URL_HELP, resolveRegistryUrl } from '../registry-url.js';
import { logLevelOption, startFailure } from '../service-options.js';
import { CONNECT_URL_HELP, resolveConnectUrl } from './connectors/client.js';

interface ConsoleCommandOptions extends HttpClientFlags {
  host: string;
  port: number;
  bootstrapServers?: string;
  registryUrl?: string;
  registry: boolean;
  sqlUrl?: string;
  connectUrl?: string;
  pipelineDataDir?: string;
  logLevel: LogLevel;
}

/** The supervisor's status report for a data dir, as `venice status --json` gives it. */
function supervisorStatus(dataDir: string) {
  return async (): Promise<unknown> => {
    const [{ findSupervisor }, { buildReport }] = await Promise.all([
      import('../../supervisor/discovery.js'),
      import('../../supervisor/report.js'),
    ]);
    const found = await findSupervisor(dataDir);
    if (found.status !== 'running') throw new Error(`no supervisor is running for data dir ${dataDir}`);
    return buildReport(found.state);
  };
}

export function registerConsoleCommand(program: Command): void {
  const command = program
    .command('console')
    .description('Run the web console (UI and JSON API) in the foreground')
    .option('--host <host>', 'interface to listen on', DEFAULT_HOST)
    .option('--port <port>', 'HTTP port (0 picks a free one)', portOption, DEFAULT_CONSOLE_PORT)
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .option(REGISTRY_URL_FLAGS, `${REGISTRY_URL_HELP}; decodes Avro, JSON Schema and Protobuf records`)
    .option('--no-registry', 'run without a schema registry (schema-encoded records are shown as hex)')
    .option(
      '--sql-url <url>',
      'the SQL engine (ksqlDB REST API) for the SQL page (default: $VENICE_SQL_URL, venice.yaml, or http://127.0.0.1:8088)',
    )
    .option('--connect-url <url>', CONNECT_URL_HELP)
    .option(
      '--pipeline-data-dir <dir>',
      "the pipeline's data dir, whose supervisor reports the components' health (default: this project's)",
    )
    .addOption(logLevelOption());
  addHttpClientOptions(command)
    .addHelpText(
      'after',
      `\nExamples:\n  venice console              # then open http://127.0.0.1:${DEFAULT_CONSOLE_PORT}\n` +
        `  venice console --port 9001 --bootstrap-servers localhost:9092\n` +
        '\nUnder `venice up` the console starts with the pipeline. The health endpoint is GET /health on the same\n' +
        'port; the JSON API the page uses is under /api/ (see src/console/README.md).',
    )
    .action(async (options: ConsoleCommandOptions) => {
      const bootstrapServers = resolveBootstrapServers(options.bootstrapServers);
      const registry = options.registry ? resolveRegistryUrl(options.registryUrl) : null;
      const sql = resolveSqlUrl(options.sqlUrl);
      const connect = resolveConnectUrl(options.connectUrl);
      const dataDir =
        options.pipelineDataDir ??
        reportingConfigErrors(() => loadConfig({ catalog: COMPONENT_CATALOG }).dataDir);
      // Loaded here: the HTTP server and schema libraries are not needed by other commands.
      const [{ startConsole, createConsoleLogger }, { runUntilSignal }] = await Promise.all([
        import('../../console/service.js'),
        import('../../service/index.js'),
      ]);
      const logger = createConsoleLogger(options.logLevel);
      const running: Promise<RunningConsole> = startConsole({
        host: options.host,
        port: options.port,
        bootstrapServers,
        kafkaClient: resolveKafkaClientSettings(),
        urls: { registry, sql, connect },
        status: supervisorStatus(dataDir),
        logger,
        listenSetting: { setting: 'console', commandFlag: '--port' },
        ...componentHttpOptions(options),
      }).catch((error: unknown) => {
        throw startFailure(error);
      });
      process.exit(await runUntilSignal(running, { name: 'console', logger }));
    });
}
