// DescribeTransactions (key 65), v0 (KIP-664): the coordinator's state of each transactional id, for
// admin tools (kafka-transactions.sh describe). Unknown ids answer TRANSACTIONAL_ID_NOT_FOUND.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultDescribeTransactionsResponse } from '../../protocol/generated/describe-transactions-response.js';
import { defineHandler } from './handler.js';

export const describeTransactionsHandler = defineHandler({
  apiKey: ApiKey.DescribeTransactions,
  minVersion: 0,
  maxVersion: 0,
  handle(request, { broker }) {
    const response = defaultDescribeTransactionsResponse();
    response.transactionStates = broker.transactions.describe(request.transactionalIds).map((txn) => ({
      errorCode: txn.errorCode,
      transactionalId: txn.transactionalId,
      transactionState: txn.state,
      transactionTimeoutMs: txn.timeoutMs,
      transactionStartTimeMs: BigInt(txn.startTimeMs),
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
      topics: txn.partitions.map(({ topic, partitions }) => ({ topic, partitions })),
    }));
    return response;
  },
});
