// AddOffsetsToTxn (key 25), v0-4: a transactional producer is about to commit a consumer group's offsets
// in its transaction (sendOffsetsToTransaction); the group's __consumer_offsets partition joins the
// transaction, so the commit marker reaches the offsets. v2 answers PRODUCER_FENCED (KIP-588), v3 is
// flexible, v4 may answer TRANSACTION_ABORTABLE (KIP-890; never sent here).
// Needs WRITE on the transactional id and READ on the group.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultAddOffsetsToTxnResponse } from '../../protocol/generated/add-offsets-to-txn-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canGroup, canTransactionalId } from './access.js';
import { fencingErrorFor } from './txn-errors.js';

export const addOffsetsToTxnHandler = defineHandler({
  apiKey: ApiKey.AddOffsetsToTxn,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, context) {
    const { broker, version } = context;
    const response = defaultAddOffsetsToTxnResponse();
    if (!canTransactionalId(context, AclOperation.WRITE, request.transactionalId)) {
      response.errorCode = ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
      return response;
    }
    if (!canGroup(context, AclOperation.READ, request.groupId)) {
      response.errorCode = ErrorCode.GROUP_AUTHORIZATION_FAILED;
      return response;
    }
    if (request.groupId === '') {
      response.errorCode = ErrorCode.INVALID_GROUP_ID;
      return response;
    }
    const error = await broker.transactions.addOffsets(
      {
        transactionalId: request.transactionalId,
        producerId: request.producerId,
        producerEpoch: request.producerEpoch,
      },
      request.groupId,
    );
    response.errorCode = fencingErrorFor(error, version, 2);
    return response;
  },
});
