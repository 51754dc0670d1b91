// DescribeTransactions (key 65), v0 (KIP-664): the coordinator's state of each transactional id, for
// admin tools (kafka-transactions.sh describe). Unknown ids answer TRANSACTIONAL_ID_NOT_FOUND. An id needs
// DESCRIBE (TRANSACTIONAL_ID_AUTHORIZATION_FAILED otherwise).
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultDescribeTransactionsResponse } from '../../protocol/generated/describe-transactions-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canTransactionalId } from './access.js';
import { ErrorCode } from '../../protocol/error-codes.js';

export const describeTransactionsHandler = defineHandler({
  apiKey: ApiKey.DescribeTransactions,
  minVersion: 0,
  maxVersion: 0,
  handle(request, context) {
    const response = defaultDescribeTransactionsResponse();
    const allowed = request.transactionalIds.filter((id) =>
      canTransactionalId(context, AclOperation.DESCRIBE, id),
    );
    const refused = request.transactionalIds
      .filter((id) => !allowed.includes(id))
      .map((transactionalId) => ({
        errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
        transactionalId,
        transactionState: '',
        transactionTimeoutMs: 0,
        transactionStartTimeMs: -1n,
        producerId: -1n,
        producerEpoch: -1,
        topics: [],
      }));
    const described = context.broker.transactions.describe(allowed).map((txn) => ({
      errorCode: txn.errorCode,
      transactionalId: txn.transactionalId,
      transactionState: txn.state,
      transactionTimeoutMs: txn.timeoutMs,
      transactionStartTimeMs: BigInt(txn.startTimeMs),
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
      topics: txn.partitions.map(({ topic, partitions }) => ({ topic, partitions })),
    }));
    response.transactionStates = [...described, ...refused];
    return response;
  },
});
