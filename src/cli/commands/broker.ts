// `venice broker`: runs the embedded Kafka-compatible broker in the foreground.
import { InvalidArgumentError, type Command } from 'commander';
import path from 'node:path';
import {
  DEFAULT_GROUP_INITIAL_REBALANCE_DELAY_MS,
  DEFAULT_MAX_OPEN_SEGMENT_FILES,
  DEFAULT_MAX_PARTITIONS,
} from '../../broker/config.js';
import { integerOption, portOption } from '../arguments.js';
import { SSL_CLIENT_AUTH_MODES, type SslClientAuth } from '../../broker/security/tls-settings.js';
import { SUPPORTED_SASL_MECHANISMS } from '../../broker/security/sasl-mechanisms.js';
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORTS, type LogLevel } from '../../config/settings.js';
import { componentDataDir } from '../../supervisor/paths.js';
import { logLevelOption, startFailure } from '../service-options.js';

function clientAuthOption(value: string): SslClientAuth {
  if (!(SSL_CLIENT_AUTH_MODES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`use one of ${SSL_CLIENT_AUTH_MODES.join(', ')}.`);
  }
  return value as SslClientAuth;
}

function listOption(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function delayOption(value: string): number {
  const ms = integerOption(value);
  if (ms < 0) throw new InvalidArgumentError(`a delay is 0 or more milliseconds, got ${ms}.`);
  return ms;
}

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
    .option('--no-auto-create-topics', 'refuse to create topics on first use')
    .option('--allow-delete-internal', "allow deleting the schema registry's _schemas topic")
    .option('--partitions <n>', 'partitions of an auto-created topic', integerOption, 1)
    .option('--no-flush-before-ack', 'do not fsync before answering acks=all produce requests')
    .option(
      '--retention-ms <ms>',
      'retention.ms of topics without their own (-1: keep forever)',
      integerOption,
      -1,
    )
    .option(
      '--group-initial-rebalance-delay-ms <ms>',
      'how long a new consumer group waits for more members before its first rebalance ' +
        '(group.initial.rebalance.delay.ms; 0 for none)',
      delayOption,
      DEFAULT_GROUP_INITIAL_REBALANCE_DELAY_MS,
    )
    .option(
      '--transaction-max-timeout-ms <ms>',
      'longest transaction.timeout.ms a transactional producer may ask for (transaction.max.timeout.ms)',
      integerOption,
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
    .option(
      '--max-partitions <n>',
      `partitions of all topics together; CreateTopics beyond is refused (default ${DEFAULT_MAX_PARTITIONS})`,
      integerOption,
    )
    .option(
      '--max-open-segment-files <n>',
      `segment files kept open at once, others opened on demand (default ${DEFAULT_MAX_OPEN_SEGMENT_FILES})`,
      integerOption,
    )
    .option(
      '--listeners <list>',
      'Kafka listeners, NAME://host:port comma-separated (replaces --host/--port), e.g. ' +
        'INTERNAL://127.0.0.1:9092,EXTERNAL://0.0.0.0:9093',
    )
    .option(
      '--listener-security-protocol-map <map>',
      'NAME:PROTOCOL comma-separated, PROTOCOL one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL ' +
        '(default: each protocol is its own listener name)',
    )
    .option('--advertised-listeners <list>', 'NAME://host:port clients are told to connect to, per listener')
    .option('--ssl-certificate-file <file>', 'PEM certificate (chain) of SSL and SASL_SSL listeners')
    .option('--ssl-key-file <file>', 'PEM private key of SSL and SASL_SSL listeners')
    .option('--ssl-ca-file <file>', 'PEM CA that client certificates must chain to')
    .option(
      '--ssl-client-auth <mode>',
      'client certificates: required, requested or none (default none)',
      clientAuthOption,
    )
    .option(
      '--sasl-enabled-mechanisms <list>',
      `SASL mechanisms of SASL listeners (default ${SUPPORTED_SASL_MECHANISMS.join(',')})`,
      listOption,
    )
    .option('--sasl-plain-users-file <file>', 'static PLAIN users, one name=password a line')
    .option(
      '--connections-max-reauth-ms <ms>',
      'a SASL session lasts this long; the client must re-authenticate (default 0: forever)',
      integerOption,
    )
    .option('--authorizer', 'enforce ACLs (authorizer.class.name); without it every client may do everything')
    .option(
      '--super-users <principals>',
      'principals that bypass ACLs, separated by ";" (super.users), e.g. "User:admin;User:venice"',
      principalListOption,
    )
    .option(
      '--allow-everyone-if-no-acl-found',
      'let everyone use a resource no ACL names (allow.everyone.if.no.acl.found; default: refuse)',
    )
    .addOption(logLevelOption())
    .addHelpText(
      'after',
      '\nExamples:\n  venice broker\n  venice broker --port 19092 --data-dir /tmp/venice\n' +
        '  venice broker --host 0.0.0.0 --advertised-host my-laptop.local\n' +
        '  venice broker --listeners INTERNAL://127.0.0.1:9092,EXTERNAL://0.0.0.0:9093 \\\n' +
        '    --listener-security-protocol-map INTERNAL:PLAINTEXT,EXTERNAL:SASL_SSL \\\n' +
        '    --ssl-certificate-file broker.pem --ssl-key-file broker.key',
    )
    .action(async (options: BrokerCommandOptions) => {
      // Loaded here, not at the top: every other command starts faster without the broker's modules.
      const [{ startBroker }, { createBrokerLogger }, { runUntilSignal }] = await Promise.all([
        import('../../broker/main.js'),
        import('../../broker/logger.js'),
        import('../../service/index.js'),
      ]);
      const logger = createBrokerLogger(options.logLevel);
      // Not awaited: runUntilSignal listens for SIGTERM from the start, even while the broker opens its logs.
      const broker = startBroker(
        {
          host: options.host,
          port: options.port,
          advertisedHost: options.advertisedHost,
          advertisedPort: options.advertisedPort,
          dataDir: path.resolve(options.dataDir),
          autoCreateTopics: options.autoCreateTopics,
          allowDeleteInternal: options.allowDeleteInternal ?? false,
          defaultPartitions: options.partitions,
          flushBeforeAcksAll: options.flushBeforeAck,
          groupInitialRebalanceDelayMs: options.groupInitialRebalanceDelayMs,
          transactionMaxTimeoutMs: options.transactionMaxTimeoutMs,
          healthPort: options.healthPort ?? null,
          queuedMaxRequestBytes: options.queuedMaxRequestBytes,
          maxRequestBytes: options.maxRequestBytes,
          connectionsMaxIdleMs: options.connectionsMaxIdleMs,
          requestReadTimeoutMs: options.requestReadTimeoutMs,
          maxConnections: options.maxConnections,
          maxConnectionsPerIp: options.maxConnectionsPerIp,
          maxPartitions: options.maxPartitions,
          maxOpenSegmentFiles: options.maxOpenSegmentFiles,
          listeners: options.listeners,
          listenerSecurityProtocolMap: options.listenerSecurityProtocolMap,
          advertisedListeners: options.advertisedListeners,
          sslCertificateFile: options.sslCertificateFile && path.resolve(options.sslCertificateFile),
          sslKeyFile: options.sslKeyFile && path.resolve(options.sslKeyFile),
          sslCaFile: options.sslCaFile && path.resolve(options.sslCaFile),
          sslClientAuth: options.sslClientAuth,
          saslEnabledMechanisms: options.saslEnabledMechanisms,
          saslPlainUsersFile: options.saslPlainUsersFile && path.resolve(options.saslPlainUsersFile),
          connectionsMaxReauthMs: options.connectionsMaxReauthMs,
          authorizer: {
            enabled: options.authorizer ?? false,
            superUsers: options.superUsers ?? [],
            allowEveryoneIfNoAclFound: options.allowEveryoneIfNoAclFound ?? false,
          },
          topicDefaults: options.retentionMs === -1 ? {} : { 'retention.ms': String(options.retentionMs) },
        },
        logger,
        {
          kafka: { setting: 'kafka', commandFlag: '--port' },
          health: { setting: 'brokerHealth', commandFlag: '--health-port' },
        },
      ).catch((error: unknown) => {
        throw startFailure(error);
      });
      process.exit(await runUntilSignal(broker, { name: 'broker', logger }));
    });
}

interface BrokerCommandOptions {
  host: string;
  port: number;
  advertisedHost?: string;
  advertisedPort?: number;
  dataDir: string;
  autoCreateTopics: boolean;
  allowDeleteInternal?: boolean;
  partitions: number;
  flushBeforeAck: boolean;
  healthPort?: number;
  retentionMs: number;
  logLevel: LogLevel;
  groupInitialRebalanceDelayMs: number;
  transactionMaxTimeoutMs?: number;
  queuedMaxRequestBytes?: number;
  maxRequestBytes?: number;
  connectionsMaxIdleMs?: number;
  requestReadTimeoutMs?: number;
  maxConnections?: number;
  maxConnectionsPerIp?: number;
  maxPartitions?: number;
  maxOpenSegmentFiles?: number;
  listeners?: string;
  listenerSecurityProtocolMap?: string;
  advertisedListeners?: string;
  sslCertificateFile?: string;
  sslKeyFile?: string;
  sslCaFile?: string;
  sslClientAuth?: SslClientAuth;
  saslEnabledMechanisms?: string[];
  saslPlainUsersFile?: string;
  connectionsMaxReauthMs?: number;
  authorizer?: boolean;
  superUsers?: string[];
  allowEveryoneIfNoAclFound?: boolean;
}

function principalListOption(value: string): string[] {
  const principals = value
    .split(';')
    .map((principal) => principal.trim())
    .filter((principal) => principal !== '');
  const bad = principals.find((principal) => !/^[^:]+:.+$/.test(principal));
  if (bad !== undefined)
    throw new InvalidArgumentError(`"${bad}" is not a principal: write Type:name, e.g. User:admin.`);
  return principals;
}
