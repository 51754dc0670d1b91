// ListTransactions (key 66), v0-1 (KIP-664): the transactional ids the coordinator knows, filtered by
// state and producer id; v1 adds a minimum duration (KIP-994) to find long-running transactions.
// Unknown state names are echoed back in unknown_state_filters, as Kafka does. Only the ids the principal
// may DESCRIBE are listed.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultListTransactionsResponse } from '../../protocol/generated/list-transactions-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canTransactionalId } from './access.js';

export const listTransactionsHandler = defineHandler({
  apiKey: ApiKey.ListTransactions,
  minVersion: 0,
  maxVersion: 1,
  handle(request, context) {
    const { broker, version } = context;
    const response = defaultListTransactionsResponse();
    const listed = broker.transactions.list({
      states: request.stateFilters,
      producerIds: request.producerIdFilters,
      minDurationMs: version >= 1 ? Number(request.durationFilter) : -1,
    });
    response.errorCode = ErrorCode.NONE;
    response.unknownStateFilters = listed.unknownStates;
    response.transactionStates = listed.transactions
      .filter((txn) => canTransactionalId(context, AclOperation.DESCRIBE, txn.transactionalId))
      .map((txn) => ({
        transactionalId: txn.transactionalId,
        producerId: txn.producerId,
        transactionState: txn.state,
      }));
    return response;
  },
});
