// Errors that reach the REST API, with ksqlDB's error codes: 40001 a statement that is wrong, 40002 a
// statement sent to the wrong endpoint (a SELECT to /ksql, say), 50000 the server's own failure.
import type { KsqlEntity } from './entities.js';

export const ERROR_CODES = {
  BAD_STATEMENT: 40001,
  QUERY_ENDPOINT: 40002,
  BAD_REQUEST: 40000,
  NOT_FOUND: 40400,
  SERVER_ERROR: 50000,
} as const;

export class SqlStatementError extends Error {
  override readonly name = 'SqlStatementError';
  constructor(
    message: string,
    /** The statement that failed, as written. */
    readonly statementText: string,
    readonly errorCode: number = ERROR_CODES.BAD_STATEMENT,
    /** Entities of the statements of the same request that ran before this one. */
    readonly entities: readonly KsqlEntity[] = [],
  ) {
    super(message);
  }
}
