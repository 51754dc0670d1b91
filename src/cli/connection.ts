// Where the data commands find Kafka, and how client failures become CLI errors.
import type { Kafka, KafkaErrorKind } from '../client/index.js';
import { CliError, ExitCode } from './output.js';
import { projectBootstrapServersForCli } from '../config/bootstrap.js';

export const DEFAULT_BOOTSTRAP_SERVERS = '127.0.0.1:9092';

/** --bootstrap-servers, else VENICE_BOOTSTRAP_SERVERS, else the embedded broker's default address. */
export function resolveBootstrapServers(flag?: string): string {
  const fromEnvironment = process.env.VENICE_BOOTSTRAP_SERVERS?.trim();
  // Then the pipeline this project runs (`venice up`), its venice.yaml, and finally the default.
  return flag?.trim() || fromEnvironment || projectBootstrapServersForCli() || DEFAULT_BOOTSTRAP_SERVERS;
}

export const BOOTSTRAP_OPTION_FLAGS = '--bootstrap-servers <host:port,...>';
export const BOOTSTRAP_OPTION_HELP = `Kafka to talk to (default: $VENICE_BOOTSTRAP_SERVERS or ${DEFAULT_BOOTSTRAP_SERVERS})`;

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
