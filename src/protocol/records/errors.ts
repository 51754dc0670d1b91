import { ErrorCode } from '../error-codes.js';

/** The Kafka error codes a refused record batch maps to. */
export type RecordBatchErrorCode =
  | typeof ErrorCode.CORRUPT_MESSAGE
  | typeof ErrorCode.INVALID_RECORD
  | typeof ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT;

/**
 * A record batch that cannot be accepted or read. `errorCode` is what the broker puts in the
 * partition's produce response: CORRUPT_MESSAGE for bytes that are damaged (bad CRC, impossible
 * lengths), INVALID_RECORD for well-formed batches Kafka's validation refuses (wrong magic on
 * Produce v3+, inconsistent counts, control batches from clients).
 */
export class InvalidRecordBatchError extends Error {
  override name = 'InvalidRecordBatchError';

  constructor(
    readonly errorCode: RecordBatchErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function corrupt(message: string): InvalidRecordBatchError {
  return new InvalidRecordBatchError(ErrorCode.CORRUPT_MESSAGE, message);
}

export function invalidRecord(message: string): InvalidRecordBatchError {
  return new InvalidRecordBatchError(ErrorCode.INVALID_RECORD, message);
}
