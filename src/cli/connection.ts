// Where the data commands find Kafka, and how client failures become CLI errors.
import type { Kafka, KafkaErrorKind } from '../client/index.js';
import { CliError, ExitCode } from './output.js';
import { reportingConfigErrors } from './config-options.js';
import { DEFAULT_HOST, DEFAULT_PORTS } from '../config/settings.js';
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

/** Opens a client for one command, runs it, closes the client, and reports failures as CliErrors. */
export async function withKafka<T>(flag: string | undefined, run: (kafka: Kafka) => Promise<T>): Promise<T> {
  // Loaded on demand so commands that never talk to Kafka (up, status, --help) start faster.
  const { openKafka, KafkaClientError } = await import('../client/index.js');
  const kafka = openKafka({ bootstrapServers: resolveBootstrapServers(flag), clientId: 'venice-cli' });
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
