// Typed failures of the log layer. Each carries the Kafka error code the handler should answer with,
// so handlers map errors without parsing messages.
import { ErrorCode, type ErrorCodeValue } from '../../protocol/error-codes.js';

export class LogError extends Error {
  override name = 'LogError';
  constructor(
    readonly code: ErrorCodeValue,
    message: string,
  ) {
    super(message);
  }
}

/** A topic config name or value Venice does not accept (INVALID_CONFIG). */
export class ConfigError extends LogError {
  override name = 'ConfigError';
  constructor(message: string) {
    super(ErrorCode.INVALID_CONFIG, message);
  }
}
