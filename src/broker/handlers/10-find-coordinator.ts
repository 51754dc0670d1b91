// FindCoordinator (key 10), v0-5. This node coordinates every group and every transactional id. v1 adds
// the key type (0 group, 1 transactional id), v4+ asks for several keys at once. As in Kafka, a group key
// needs DESCRIBE on the group, a transactional id DESCRIBE on it.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import {
  defaultFindCoordinatorResponse,
  type Coordinator,
} from '../../protocol/generated/find-coordinator-response.js';
import { defineHandler, type RequestContext } from './handler.js';
import { advertisedEndpoint } from '../broker-context.js';
import { AclOperation, canGroup, canTransactionalId } from './access.js';

const GROUP_KEY_TYPE = 0;
const TRANSACTION_KEY_TYPE = 1;

function refused(key: string, errorCode: number, errorMessage: string): Coordinator {
  return { key, nodeId: -1, host: '', port: -1, errorCode, errorMessage };
}

function coordinatorFor(key: string, keyType: number, context: RequestContext): Coordinator {
  const { broker } = context;
  const listenerName = context.connection.listenerName;
  if (keyType !== GROUP_KEY_TYPE && keyType !== TRANSACTION_KEY_TYPE) {
    return refused(
      key,
      ErrorCode.INVALID_REQUEST,
      `unknown coordinator key type ${keyType}: Venice coordinates consumer groups (key type 0) and ` +
        'transactional ids (key type 1)',
    );
  }
  if (keyType === GROUP_KEY_TYPE && !canGroup(context, AclOperation.DESCRIBE, key))
    return refused(key, ErrorCode.GROUP_AUTHORIZATION_FAILED, `may not DESCRIBE group ${key}`);
  if (keyType === TRANSACTION_KEY_TYPE && !canTransactionalId(context, AclOperation.DESCRIBE, key))
    return refused(
      key,
      ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      `may not DESCRIBE transactional id ${key}`,
    );
  return {
    key,
    nodeId: broker.identity.nodeId,
    ...advertisedEndpoint(broker, listenerName),
    errorCode: ErrorCode.NONE,
    errorMessage: null,
  };
}

export const findCoordinatorHandler = defineHandler({
  apiKey: ApiKey.FindCoordinator,
  minVersion: 0,
  // v6 only adds the share-group key type (2), which coordinatorFor refuses like any other unknown type.
  maxVersion: 6,
  handle(request, context) {
    const { version } = context;
    const response = defaultFindCoordinatorResponse();
    if (version >= 4) {
      response.coordinators = request.coordinatorKeys.map((key) =>
        coordinatorFor(key, request.keyType, context),
      );
      return response;
    }
    const found = coordinatorFor(request.key, request.keyType, context);
    response.errorCode = found.errorCode;
    response.errorMessage = found.errorMessage;
    response.nodeId = found.nodeId;
    response.host = found.host;
    response.port = found.port;
    return response;
  },
});
