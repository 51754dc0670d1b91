// Where the data commands find Kafka, and how client failures become CLI errors.
import type { Command } from 'commander';
import type { Kafka, KafkaClientSettings, KafkaErrorKind } from '../client/index.js';
import { CliError, ExitCode } from './output.js';
import { reportingConfigErrors, settingHelp } from './config-options.js';
import type { ConfigFlags } from '../config/flags.js';
import { flagAttribute } from '../config/flags.js';
import { KAFKA_CLIENT_KEYS } from '../config/kafka-client.js';
import { loadConfig } from '../config/load.js';
import { DEFAULT_HOST, DEFAULT_PORTS, SETTINGS } from '../config/settings.js';
import { COMPONENT_CATALOG } from '../supervisor/components.js';
import { ADDRESS_VARIABLES, projectAddress } from '../supervisor/addresses.js';

export const DEFAULT_BOOTSTRAP_SERVERS = `${DEFAULT_HOST}:${DEFAULT_PORTS.kafka}`;

/**
 * --bootstrap-servers, else what supervisor/addresses.ts finds: VENICE_BOOTSTRAP_SERVERS, the pipeline
 * running from this project, venice.yaml, the default.
 */
export function resolveBootstrapServers(flag?: string): string {
  const given = flag?.trim();
  if (given) return given;
  return reportingConfigErrors(() => projectAddress('bootstrapServers'));
}

export const BOOTSTRAP_OPTION_FLAGS = '--bootstrap-servers <host:port,...>';
export const BOOTSTRAP_OPTION_HELP = `Kafka to talk to (default: $${ADDRESS_VARIABLES.bootstrapServers}, the running pipeline, venice.yaml, or ${DEFAULT_BOOTSTRAP_SERVERS})`;

/** The Kafka client flags the running command was given (see addKafkaClientOptions). */
let givenKafkaClientFlags: ConfigFlags = {};

/**
 * Gives every command that takes --bootstrap-servers the Kafka client flags too (--kafka-security-protocol,
 * --kafka-sasl-username, ...), in one place rather than in each command, and records what the running
 * command was given. `venice up` has them already, from the settings table.
 */
export function addKafkaClientOptions(program: Command): void {
  const visit = (command: Command): void => {
    const has = (flag: string) => command.options.some((option) => option.long === flag);
    if (has('--bootstrap-servers') && !has(SETTINGS.kafkaSecurityProtocol.flag)) {
      for (const key of KAFKA_CLIENT_KEYS) {
        const setting = SETTINGS[key];
        command.option(`${setting.flag} ${setting.flagValue}`, settingHelp(setting));
      }
    }
    for (const child of command.commands) visit(child);
  };
  visit(program);
  program.hook('preAction', (_program, action) => {
    const options = action.opts();
    givenKafkaClientFlags = Object.fromEntries(
      KAFKA_CLIENT_KEYS.map((key) => flagAttribute(SETTINGS[key].flag)).map((name) => [name, options[name]]),
    );
  });
}

/** How to reach Kafka beyond its address: the command's flags, VENICE_*, venice.yaml, the defaults. */
export function resolveKafkaClientSettings(): KafkaClientSettings {
  return reportingConfigErrors(
    () => loadConfig({ flags: givenKafkaClientFlags, catalog: COMPONENT_CATALOG }).kafkaClient,
  );
}

/** Opens a client for one command, runs it, closes the client, and reports failures as CliErrors. */
export async function withKafka<T>(flag: string | undefined, run: (kafka: Kafka) => Promise<T>): Promise<T> {
  // Loaded on demand so commands that never talk to Kafka (up, status, --help) start faster.
  const { openKafka, KafkaClientError } = await import('../client/index.js');
  const kafka = openKafka({
    ...resolveKafkaClientSettings(),
    bootstrapServers: resolveBootstrapServers(flag),
    clientId: 'venice-cli',
  });
  try {
    return await run(kafka);
  } catch (error) {
    throw error instanceof KafkaClientError ? toCliError(error) : error;
  } finally {
    await kafka.close();
  }
}

export function toCliError(error: { kind: KafkaErrorKind; message: string }): CliError {
  switch (error.kind) {
    case 'unreachable':
      return new CliError(
        error.message,
        'start the pipeline with `venice up`, or pass --bootstrap-servers host:port',
        ExitCode.unavailable,
      );
    case 'not-found':
      return new CliError(
        error.message,
        'list what exists with `venice topics` or `venice groups`',
        ExitCode.notFound,
      );
    case 'already-exists':
      return new CliError(error.message, undefined, ExitCode.failure);
    case 'refused':
    case 'invalid':
    case 'failure':
      return new CliError(error.message, undefined, ExitCode.failure);
  }
}
