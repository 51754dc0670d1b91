// InitProducerId (key 22), v0-5: gives an idempotent producer its id and epoch.
// Transactions are not supported; a transactional id is refused with a clear message.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultInitProducerIdResponse } from '../../protocol/generated/init-producer-id-response.js';
import { defineHandler } from './handler.js';

export const initProducerIdHandler = defineHandler({
  apiKey: ApiKey.InitProducerId,
  minVersion: 0,
  maxVersion: 5,
  handle(request, { broker }) {
    const response = defaultInitProducerIdResponse();
    if (request.transactionalId !== null) {
      // Java and librdkafka surface this as a fatal "transactions not supported" error rather than retrying.
      response.errorCode = ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
      return response;
    }
    response.errorCode = ErrorCode.NONE;
    response.producerId = broker.producerIds.allocate();
    response.producerEpoch = 0;
    return response;
  },
});
