// EndTxn (key 26), v0-4: commits or aborts the producer's transaction. Answered once the outcome is
// durable: Prepare* logged, markers written to every partition of the transaction, Complete* logged.
// v2 answers PRODUCER_FENCED (KIP-588), v3 is flexible. v5 (KIP-890 transaction version 2, epoch bumped
// on every end) is not offered: clients use it only when the broker announces that feature.
// Needs WRITE on the transactional id.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultEndTxnResponse } from '../../protocol/generated/end-txn-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canTransactionalId } from './access.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { fencingErrorFor } from './txn-errors.js';

export const endTxnHandler = defineHandler({
  apiKey: ApiKey.EndTxn,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, context) {
    const { broker, version } = context;
    const response = defaultEndTxnResponse();
    if (!canTransactionalId(context, AclOperation.WRITE, request.transactionalId)) {
      response.errorCode = ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
      return response;
    }
    const error = await broker.transactions.endTransaction(
      {
        transactionalId: request.transactionalId,
        producerId: request.producerId,
        producerEpoch: request.producerEpoch,
      },
      request.committed,
    );
    response.errorCode = fencingErrorFor(error, version, 2);
    return response;
  },
});
