// EndTxn (key 26), v0-4: commits or aborts the producer's transaction. Answered once the outcome is
// durable: Prepare* logged, markers written to every partition of the transaction, Complete* logged.
// v2 answers PRODUCER_FENCED (KIP-588), v3 is flexible. v5 (KIP-890 transaction version 2, epoch bumped
// on every end) is not offered: clients use it only when the broker announces that feature.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultEndTxnResponse } from '../../protocol/generated/end-txn-response.js';
import { defineHandler } from './handler.js';
import { fencingErrorFor } from './txn-errors.js';

export const endTxnHandler = defineHandler({
  apiKey: ApiKey.EndTxn,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, { broker, version }) {
    const response = defaultEndTxnResponse();
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
