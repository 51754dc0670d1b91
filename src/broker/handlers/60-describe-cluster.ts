// DescribeCluster (key 60), v0-1: one node, which is also the controller. Needs DESCRIBE on the cluster.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultDescribeClusterResponse } from '../../protocol/generated/describe-cluster-response.js';
import { defineHandler } from './handler.js';
import { advertisedEndpoint } from '../broker-context.js';
import { clusterAuthorizedOperations } from './authorized-operations.js';
import { AclOperation, canCluster } from './access.js';

export const describeClusterHandler = defineHandler({
  apiKey: ApiKey.DescribeCluster,
  minVersion: 0,
  maxVersion: 1,
  handle(request, context) {
    const { broker, connection } = context;
    const response = defaultDescribeClusterResponse();
    if (!canCluster(context, AclOperation.DESCRIBE)) {
      response.errorCode = ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
      response.errorMessage = `${context.connection.principal} may not DESCRIBE the cluster`;
      return response;
    }
    response.errorCode = ErrorCode.NONE;
    response.clusterId = broker.identity.clusterId;
    response.controllerId = broker.identity.nodeId;
    response.brokers = [
      {
        brokerId: broker.identity.nodeId,
        ...advertisedEndpoint(broker, connection.listenerName),
        rack: null,
      },
    ];
    response.clusterAuthorizedOperations = clusterAuthorizedOperations(
      context,
      request.includeClusterAuthorizedOperations,
    );
    return response;
  },
});
