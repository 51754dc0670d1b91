// Error bodies in ksqlDB's shapes. A statement that is wrong gets `statement_error` with the statement's
// text and the entities of the statements of the same request that ran before it; anything else gets
// `generic_error`. A statement error is the client's (400), an error of the server itself 500.
import { SqlParseError } from '../parser/index.js';
import type { KsqlEntity } from '../engine/entities.js';
import { ERROR_CODES, SqlStatementError } from '../engine/errors.js';

export interface GenericErrorBody {
  readonly '@type': 'generic_error';
  readonly error_code: number;
  readonly message: string;
}

export interface StatementErrorBody {
  readonly '@type': 'statement_error';
  readonly error_code: number;
  readonly message: string;
  readonly statementText: string;
  readonly entities: readonly KsqlEntity[];
}

export type ErrorBody = GenericErrorBody | StatementErrorBody;

export interface HttpError {
  readonly status: number;
  readonly body: ErrorBody;
}

/** An error of the request itself (a missing field, a body that is not JSON): 400 with error_code 40000. */
export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
  constructor(
    message: string,
    readonly status = 400,
    readonly errorCode: number = ERROR_CODES.BAD_REQUEST,
  ) {
    super(message);
  }
}

export function genericError(errorCode: number, message: string): GenericErrorBody {
  return { '@type': 'generic_error', error_code: errorCode, message };
}

/** Maps anything a handler throws to a status and a ksqlDB body; `statementText` is the request's SQL. */
export function toHttpError(error: unknown, statementText = ''): HttpError {
  if (error instanceof SqlStatementError) {
    const status = error.errorCode >= 50000 ? 500 : error.errorCode === ERROR_CODES.NOT_FOUND ? 404 : 400;
    return {
      status,
      body: {
        '@type': 'statement_error',
        error_code: error.errorCode,
        message: error.message,
        statementText: error.statementText,
        entities: error.entities,
      },
    };
  }
  // The engine is expected to wrap parse errors; one that reaches here still names its line and column.
  if (error instanceof SqlParseError)
    return {
      status: 400,
      body: {
        '@type': 'statement_error',
        error_code: ERROR_CODES.BAD_STATEMENT,
        message: error.message,
        statementText,
        entities: [],
      },
    };
  if (error instanceof BadRequestError)
    return { status: error.status, body: genericError(error.errorCode, error.message) };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: genericError(ERROR_CODES.SERVER_ERROR, message) };
}
