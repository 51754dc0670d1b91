// `venice broker`: runs the embedded Kafka-compatible broker in the foreground.
import type { Command } from 'commander';
import path from 'node:path';
import { integerOption, portOption } from '../arguments.js';
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORTS, LOG_LEVELS } from '../../config/settings.js';
import { componentDataDir } from '../../supervisor/paths.js';

export function registerBrokerCommand(program: Command): void {
  program
    .command('broker')
    .description('Run the Kafka-compatible broker in the foreground')
    .option('--host <host>', 'interface to listen on', DEFAULT_HOST)
    .option('--port <port>', 'Kafka port', portOption, DEFAULT_PORTS.kafka)
    .option('--advertised-host <host>', 'host name clients are told to connect to')
    .option('--advertised-port <port>', 'port clients are told to connect to', portOption)
    .option(
      '--data-dir <dir>',
      "the broker's own folder: its log segments and state",
      componentDataDir(DEFAULT_DATA_DIR, 'broker'),
    )
    .option('--log-level <level>', `${LOG_LEVELS.join(', ')} (default: VENICE_LOG_LEVEL, else info)`)
    .option('--no-auto-create-topics', 'refuse to create topics on first use')
    .option('--partitions <n>', 'partitions of an auto-created topic', integerOption, 1)
    .option('--no-flush-before-ack', 'do not fsync before answering acks=all produce requests')
    .option(
      '--retention-ms <ms>',
      'retention.ms of topics without their own (-1: keep forever)',
      integerOption,
      -1,
    )
    .option('--health-port <port>', 'HTTP health endpoint port (GET /health); 0 picks a free one', portOption)
    .addHelpText(
      'after',
      '\nExamples:\n  venice broker\n  venice broker --port 19092 --data-dir /tmp/venice\n' +
        '  venice broker --host 0.0.0.0 --advertised-host my-laptop.local',
    )
    .action(async (options: BrokerCommandOptions) => {
      // Loaded here, not at the top: every other command starts faster without the broker's modules.
      const { startBroker } = await import('../../broker/main.js');
      const { createLogger } = await import('../../broker/logger.js');
      const broker = await startBroker(
        {
          host: options.host,
          port: options.port,
          advertisedHost: options.advertisedHost,
          advertisedPort: options.advertisedPort,
          dataDir: path.resolve(options.dataDir),
          autoCreateTopics: options.autoCreateTopics,
          defaultPartitions: options.partitions,
          flushBeforeAcksAll: options.flushBeforeAck,
          healthPort: options.healthPort ?? null,
          topicDefaults: options.retentionMs === -1 ? {} : { 'retention.ms': String(options.retentionMs) },
        },
        createLogger(options.logLevel),
      );
      const stop = () => {
        broker.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

interface BrokerCommandOptions {
  host: string;
  port: number;
  advertisedHost?: string;
  advertisedPort?: number;
  dataDir: string;
  logLevel?: string;
  autoCreateTopics: boolean;
  partitions: number;
  flushBeforeAck: boolean;
  healthPort?: number;
  retentionMs: number;
}
