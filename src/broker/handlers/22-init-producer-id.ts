// InitProducerId (key 22), v0-5: gives an idempotent producer its id and epoch; with a transactional id
// the transaction coordinator hands out the id's producer id with its epoch bumped, fencing the previous
// instance and aborting what it left open. v2 is flexible, v3 carries the current id and epoch so a
// producer can bump its epoch after an error (KIP-360), v4 answers PRODUCER_FENCED (KIP-588), v5 may
// answer TRANSACTION_ABORTABLE (KIP-890; never sent here).
// Authorization (as Kafka since KIP-679): a transactional id needs WRITE on it; an idempotent producer
// IDEMPOTENT_WRITE on the cluster, or WRITE on at least one topic.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultInitProducerIdResponse } from '../../protocol/generated/init-producer-id-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canAnyOf, canCluster, canTransactionalId } from './access.js';
import { ResourceType } from '../security/acl.js';
import { fencingErrorFor } from './txn-errors.js';

export const initProducerIdHandler = defineHandler({
  apiKey: ApiKey.InitProducerId,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, context) {
    const { broker, version } = context;
    const response = defaultInitProducerIdResponse();
    if (request.transactionalId === null) {
      if (
        !canCluster(context, AclOperation.IDEMPOTENT_WRITE) &&
        !canAnyOf(context, AclOperation.WRITE, ResourceType.TOPIC)
      ) {
        response.errorCode = ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
        return response;
      }
      try {
        response.producerId = broker.producerIds.allocate();
      } catch (error) {
        // A new block of ids could not be reserved (a full disk): every client retries this error.
        broker.logs.storageError(error, 'reserving a block of producer ids');
        response.errorCode = ErrorCode.COORDINATOR_NOT_AVAILABLE;
        return response;
      }
      response.errorCode = ErrorCode.NONE;
      response.producerEpoch = 0;
      return response;
    }
    if (!canTransactionalId(context, AclOperation.WRITE, request.transactionalId)) {
      response.errorCode = ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
      return response;
    }
    const result = await broker.transactions.initProducerId({
      transactionalId: request.transactionalId,
      transactionTimeoutMs: request.transactionTimeoutMs,
      producerId: version >= 3 ? request.producerId : -1n,
      producerEpoch: version >= 3 ? request.producerEpoch : -1,
    });
    response.errorCode = fencingErrorFor(result.errorCode, version, 4);
    response.producerId = result.producerId;
    response.producerEpoch = result.producerEpoch;
    return response;
  },
});
