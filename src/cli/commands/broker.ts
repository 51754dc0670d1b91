// `venice broker`: runs the embedded Kafka-compatible broker in the foreground.
import type { Command } from 'commander';
import path from 'node:path';
import { integerOption, portOption } from '../arguments.js';

export function registerBrokerCommand(program: Command): void {
  program
    .command('broker')
    .description('Run the Kafka-compatible broker in the foreground')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'Kafka port', portOption, 9092)
    .option('--advertised-host <host>', 'host name clients are told to connect to')
    .option('--advertised-port <port>', 'port clients are told to connect to', portOption)
    .option('--data-dir <dir>', 'where the log and state are kept', '.venice')
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
    .option(
      '--queued-max-request-bytes <n>',
      'bytes all requests being read or answered may hold; reading pauses beyond (default 256 MiB)',
      integerOption,
    )
    .option('--max-request-bytes <n>', 'largest request accepted (default 100 MiB)', integerOption)
    .option(
      '--connections-max-idle-ms <ms>',
      'close connections idle this long (default 10 min)',
      integerOption,
    )
    .option(
      '--request-read-timeout-ms <ms>',
      'close a connection whose request is incomplete after this long (default 30 s)',
      integerOption,
    )
    .option('--max-connections <n>', 'connections open at once (default 1000)', integerOption)
    .option(
      '--max-connections-per-ip <n>',
      'connections open at once from one address (default 1000)',
      integerOption,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  venice broker\n  venice broker --port 19092 --data-dir /tmp/venice\n' +
        '  venice broker --host 0.0.0.0 --advertised-host my-laptop.local',
    )
    .action(async (options: BrokerCommandOptions) => {
      // Loaded here, not at the top: every other command starts faster without the broker's modules.
      const { startBroker } = await import('../../broker/main.js');
      const broker = await startBroker({
        host: options.host,
        port: options.port,
        advertisedHost: options.advertisedHost,
        advertisedPort: options.advertisedPort,
        dataDir: path.resolve(options.dataDir, 'broker'),
        autoCreateTopics: options.autoCreateTopics,
        defaultPartitions: options.partitions,
        flushBeforeAcksAll: options.flushBeforeAck,
        healthPort: options.healthPort ?? null,
        queuedMaxRequestBytes: options.queuedMaxRequestBytes,
        maxRequestBytes: options.maxRequestBytes,
        connectionsMaxIdleMs: options.connectionsMaxIdleMs,
        requestReadTimeoutMs: options.requestReadTimeoutMs,
        maxConnections: options.maxConnections,
        maxConnectionsPerIp: options.maxConnectionsPerIp,
        topicDefaults: options.retentionMs === -1 ? {} : { 'retention.ms': String(options.retentionMs) },
      });
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
  autoCreateTopics: boolean;
  partitions: number;
  flushBeforeAck: boolean;
  healthPort?: number;
  retentionMs: number;
  queuedMaxRequestBytes?: number;
  maxRequestBytes?: number;
  connectionsMaxIdleMs?: number;
  requestReadTimeoutMs?: number;
  maxConnections?: number;
  maxConnectionsPerIp?: number;
}
