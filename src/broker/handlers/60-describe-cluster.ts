// DescribeCluster (key 60), v0-1: one node, which is also the controller.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultDescribeClusterResponse } from '../../protocol/generated/describe-cluster-response.js';
import { defineHandler } from './handler.js';
import { advertisedEndpoint } from '../broker-context.js';
import { authorizedOperations } from './authorized-operations.js';

export const describeClusterHandler = defineHandler({
  apiKey: ApiKey.DescribeCluster,
  minVersion: 0,
  maxVersion: 1,
  handle(request, { broker, connection }) {
    const response = defaultDescribeClusterResponse();
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
    response.clusterAuthorizedOperations = authorizedOperations(
      'cluster',
      request.includeClusterAuthorizedOperations,
    );
    return response;
  },
});
