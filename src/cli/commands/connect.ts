// `venice connect`: runs the Kafka Connect compatible worker (its REST API on port 8083) in the foreground.
import { componentHttpOptions } from '../http-settings.js';
import { addHttpClientOptions, type HttpClientFlags } from '../http-client.js';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_HOST, type LogLevel } from '../../config/settings.js';
import {
  DEFAULT_CONFIG_TOPIC,
  DEFAULT_CONNECT_GROUP,
  DEFAULT_CONNECT_PORT,
  DEFAULT_EMBEDDED_POSTGRES_URL,
  DEFAULT_OFFSET_TOPIC,
  DEFAULT_STATUS_TOPIC,
} from '../../connect/defaults.js';
import type { RunningConnect } from '../../connect/service.js';
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

interface ConnectCommandOptions extends HttpClientFlags {
  host: string;
  port: number;
  bootstrapServers?: string;
  registryUrl?: string;
  registry: boolean;
  postgresUrl: string;
  groupId: string;
  configTopic: string;
  offsetTopic: string;
  statusTopic: string;
  logLevel: LogLevel;
}

function postgresUrlOption(value: string): string {
  if (!/^(postgres(ql)?|jdbc:postgresql):\/\/\S+$/.test(value.trim()))
    throw new InvalidArgumentError(
      `expected a PostgreSQL URL such as postgres://user:password@host:5432/db, got ${JSON.stringify(value)}.`,
    );
  return value.trim();
}

export function registerConnectCommand(program: Command): void {
  const command = program
    .command('connect')
    .description('Run the connector worker (Kafka Connect REST API) in the foreground')
    .option('--host <host>', 'interface to listen on', DEFAULT_HOST)
    .option(
      '--port <port>',
      'HTTP port of the REST API (0 picks a free one)',
      portOption,
      DEFAULT_CONNECT_PORT,
    )
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .option(REGISTRY_URL_FLAGS, `${REGISTRY_URL_HELP}; used by the Avro, JSON Schema and Protobuf converters`)
    .option('--no-registry', 'run without a schema registry (configs must give schema.registry.url)')
    .addOption(
      new Option('--postgres-url <url>', 'where sinks without connection.url write')
        .env('VENICE_POSTGRES_URL')
        .argParser(postgresUrlOption)
        .default(DEFAULT_EMBEDDED_POSTGRES_URL, 'the embedded PostgreSQL'),
    )
    .option(
      '--group-id <id>',
      "workers with the same group share connectors (Kafka Connect's group.id)",
      DEFAULT_CONNECT_GROUP,
    )
    .option('--config-topic <name>', 'where connector configs are stored', DEFAULT_CONFIG_TOPIC)
    .option('--offset-topic <name>', 'where source offsets are stored', DEFAULT_OFFSET_TOPIC)
    .option('--status-topic <name>', 'where connector and task states are stored', DEFAULT_STATUS_TOPIC)
    .addOption(logLevelOption());
  addHttpClientOptions(command)
    .addHelpText(
      'after',
      `\nExamples:\n  venice connect\n  venice connect --port ${DEFAULT_CONNECT_PORT} --bootstrap-servers ${DEFAULT_BOOTSTRAP_SERVERS}\n` +
        '  venice connectors    # then list, create and manage connectors on it\n' +
        '\nThe health endpoint is GET /health on the same port.',
    )
    .action(async (options: ConnectCommandOptions) => {
      const bootstrapServers = resolveBootstrapServers(options.bootstrapServers);
      const registryUrl = options.registry ? resolveRegistryUrl(options.registryUrl) : undefined;
      // Loaded here: the worker and the HTTP server are not needed by other commands.
      const [{ startConnect, createConnectLogger }, { runUntilSignal }] = await Promise.all([
        import('../../connect/service.js'),
        import('../../service/index.js'),
      ]);
      const logger = createConnectLogger(options.logLevel);
      // Not awaited: runUntilSignal listens for SIGTERM from the start, even while the worker reads its topics.
      const running: Promise<RunningConnect> = startConnect({
        host: options.host,
        port: options.port,
        bootstrapServers,
        kafkaClient: resolveKafkaClientSettings(),
        registryUrl,
        postgresUrl: options.postgresUrl,
        groupId: options.groupId,
        configTopic: options.configTopic,
        offsetTopic: options.offsetTopic,
        statusTopic: options.statusTopic,
        logger,
        listenSetting: { setting: 'connect', commandFlag: '--port' },
        ...componentHttpOptions(options),
      }).catch((error: unknown) => {
        throw startFailure(error);
      });
      process.exit(await runUntilSignal(running, { name: 'connect', logger }));
    });
}
