// What the commands that run a component in the foreground (`venice broker`, `registry`, `sql`) share:
// the --log-level option, and turning a component's start failure into the CLI's error.
import { Option } from 'commander';
import { KafkaClientError } from '../client/errors.js';
import { LOG_LEVELS, type LogLevel } from '../config/settings.js';
// listen.js, not the kit's index: this is loaded by every command, and the rest of the kit is not needed.
import { ServiceStartError } from '../service/listen.js';
import { CliError, ExitCode } from './output.js';

/** --log-level, falling back to VENICE_LOG_LEVEL (how the supervisor passes it), then info. */
export function logLevelOption(): Option {
  return new Option('--log-level <level>', 'how much to log')
    .choices(LOG_LEVELS)
    .env('VENICE_LOG_LEVEL')
    .default('info' satisfies LogLevel);
}

/**
 * A port in use, a Kafka cluster out of reach or another refused start, as the CLI reports errors:
 * message, hint, exit code.
 */
export function startFailure(error: unknown): unknown {
  if (error instanceof ServiceStartError)
    return new CliError(error.message, error.hint, ExitCode.unavailable);
  if (error instanceof KafkaClientError && error.kind === 'unreachable')
    return new CliError(
      error.message,
      'start the pipeline with `venice up`, or pass --bootstrap-servers host:port',
      ExitCode.unavailable,
    );
  return error;
}
