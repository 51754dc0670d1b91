// Errors with Kafka Connect's meaning. The REST layer answers a ConnectRestError with its status and
// `{ "error_code": status, "message": ... }`, as Kafka Connect does.

/** Refused by the REST API: 400 bad request, 404 unknown connector, 409 conflict (exists, rebalancing), ... */
export class ConnectRestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectRestError';
  }
}

/** A config the connector or a converter cannot run with; the message says which key and what to set. */
export class ConnectConfigError extends Error {
  constructor(
    readonly key: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectConfigError';
  }
}

/** A record's bytes a converter cannot read; handled by errors.tolerance (dead letter queue) per record. */
export class ConversionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConversionError';
  }
}

/** A passing failure (database down, lock timeout): the worker retries the same call after retryAfterMs. */
export class RetriableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RetriableError';
  }
}
