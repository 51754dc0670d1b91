// Error bodies as Kafka Connect sends them: `{ "error_code": <status>, "message": ... }` with the same
// status. The Herder refuses with ConnectRestError (404 unknown connector, 409 exists or rebalancing,
// 400 bad config); a config a converter or plugin cannot run with is a 400 too; anything else is the
// worker's own failure, a 500.
import { ConnectConfigError, ConnectRestError } from '../api/errors.js';

export interface ConnectErrorBody {
  readonly error_code: number;
  readonly message: string;
}

export function errorBody(status: number, message: string): ConnectErrorBody {
  return { error_code: status, message };
}

/** A request the REST layer itself refuses (a body that is not JSON, a field of the wrong type). */
export function badRequest(message: string): ConnectRestError {
  return new ConnectRestError(400, message);
}

export function toHttpError(error: unknown): { status: number; body: ConnectErrorBody } {
  if (error instanceof ConnectRestError)
    return { status: error.status, body: errorBody(error.status, error.message) };
  if (error instanceof ConnectConfigError) return { status: 400, body: errorBody(400, error.message) };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: errorBody(500, message) };
}
