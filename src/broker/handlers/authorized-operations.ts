// The authorized operations a describe reports when the client asks for them (KIP-430): the operations
// of the resource type the connection's principal may perform (all of them without an authorizer, as
// Kafka reports); a client that did not ask gets Kafka's "not requested" value.
import { CLUSTER_RESOURCE_NAME, ResourceType } from '../security/acl.js';
import type { RequestContext } from './handler.js';

export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

const RESOURCE_TYPES = {
  topic: ResourceType.TOPIC,
  group: ResourceType.GROUP,
  cluster: ResourceType.CLUSTER,
} as const;

export function authorizedOperations(
  context: RequestContext,
  resource: keyof typeof RESOURCE_TYPES,
  name: string,
  requested: boolean,
): number {
  if (!requested) return AUTHORIZED_OPERATIONS_OMITTED;
  return context.broker.authorizer.authorizedOperations(context.connection, RESOURCE_TYPES[resource], name);
}

export function clusterAuthorizedOperations(context: RequestContext, requested: boolean): number {
  return authorizedOperations(context, 'cluster', CLUSTER_RESOURCE_NAME, requested);
}
