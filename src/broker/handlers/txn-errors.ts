// KIP-588 gave fencing its own error, PRODUCER_FENCED; clients that speak an older version of a
// transactional API know only INVALID_PRODUCER_EPOCH, and get that instead (as Kafka answers them).
import { ErrorCode } from '../../protocol/error-codes.js';

export function fencingErrorFor(errorCode: number, version: number, firstVersionWithFenced: number): number {
  return errorCode === ErrorCode.PRODUCER_FENCED && version < firstVersionWithFenced
    ? ErrorCode.INVALID_PRODUCER_EPOCH
    : errorCode;
}
