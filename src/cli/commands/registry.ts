// `venice registry`: runs the schema registry (Confluent's REST API) in the foreground.
import { componentHttpOptions } from '../http-settings.js';
import { addHttpClientOptions, type HttpClientFlags } from '../http-client.js';
import type { Command } from 'commander';
import { DEFAULT_HOST, type LogLevel } from '../../config/settings.js';
import {
  DEFAULT_REGISTRY_PORT,
  DEFAULT_REGISTRY_URL,
  DEFAULT_SCHEMAS_TOPIC,
} from '../../registry/defaults.js';
import type { RunningRegistry } from '../../registry/service.js';
import { integerOption, portOption } from '../arguments.js';
import {
  BOOTSTRAP_OPTION_FLAGS,
  BOOTSTRAP_OPTION_HELP,
  DEFAULT_BOOTSTRAP_SERVERS,
  resolveBootstrapServers,
  resolveKafkaClientSettings,
} from '../connection.js';
import { logLevelOption, startFailure } from '../service-options.js';

interface RegistryCommandOptions extends HttpClientFlags {
  host: string;
  port: number;
  bootstrapServers?: string;
  topic: string;
  primaryUrl?: string;
  startTimeout: number;
  logLevel: LogLevel;
}

export function registerRegistryCommand(program: Command): void {
  const command = program
    .command('registry')
    .description('Run the schema registry (Confluent-compatible REST API) in the foreground')
    .option('--host <host>', 'interface to listen on', DEFAULT_HOST)
    .option('--port <port>', 'HTTP port', portOption, DEFAULT_REGISTRY_PORT)
    .option(BOOTSTRAP_OPTION_FLAGS, BOOTSTRAP_OPTION_HELP)
    .option('--topic <name>', 'the compacted topic the schemas are stored in', DEFAULT_SCHEMAS_TOPIC)
    .option(
      '--primary-url <url>',
      'run as a follower: serve reads, forward writes to the registry at this URL',
    )
    .option('--start-timeout <ms>', 'how long to keep trying to reach Kafka on start', integerOption, 30_000)
    .addOption(logLevelOption());
  addHttpClientOptions(command)
    .addHelpText(
      'after',
      `\nExamples:\n  venice registry\n  venice registry --port ${DEFAULT_REGISTRY_PORT} --bootstrap-servers ${DEFAULT_BOOTSTRAP_SERVERS}\n` +
        `  venice registry --port ${DEFAULT_REGISTRY_PORT + 1} --primary-url ${DEFAULT_REGISTRY_URL}   # a second, follower instance\n` +
        '\nThe health endpoint is GET /health on the same port.',
    )
    .action(async (options: RegistryCommandOptions) => {
      const bootstrapServers = resolveBootstrapServers(options.bootstrapServers);
      // Loaded here: the HTTP server and schema libraries are not needed by other commands.
      const [{ startRegistry, createRegistryLogger }, { runUntilSignal }] = await Promise.all([
        import('../../registry/service.js'),
        import('../../service/index.js'),
      ]);
      const logger = createRegistryLogger(options.logLevel);
      // Not awaited: runUntilSignal listens for SIGTERM from the start, even while the registry reads _schemas.
      const running: Promise<RunningRegistry> = startRegistry({
        host: options.host,
        port: options.port,
        bootstrapServers,
        kafkaClient: resolveKafkaClientSettings(),
        topic: options.topic,
        primaryUrl: options.primaryUrl,
        startTimeoutMs: options.startTimeout,
        logger,
        listenSetting: { setting: 'registry', commandFlag: '--port' },
        ...componentHttpOptions(options),
      }).catch((error: unknown) => {
        throw startFailure(error);
      });
      process.exit(await runUntilSignal(running, { name: 'registry', logger }));
    });
}
