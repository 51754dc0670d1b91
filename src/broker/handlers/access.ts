// What the handlers ask the authorizer, in the words of the APIs: may this connection do that to this
// topic, group, transactional id, or to the cluster.
import { AclOperation, CLUSTER_RESOURCE_NAME, ResourceType } from '../security/acl.js';
import { isProtectedTopic, isSecretTopic } from '../security/protected-topics.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { RequestContext } from './handler.js';

export { AclOperation };

export function canTopic(context: RequestContext, operation: number, topic: string): boolean {
  const { authorizer } = context.broker;
  // The broker's own topics change only through the APIs that own them, or by a super user.
  if (isProtectedTopic(topic) && changes(operation) && !authorizer.isSuperUser(context.connection.principal))
    return false;
  if (isSecretTopic(topic) && !authorizer.isSuperUser(context.connection.principal)) return false;
  return authorizer.authorize(context.connection, operation, ResourceType.TOPIC, topic);
}

export function canGroup(context: RequestContext, operation: number, group: string): boolean {
  return context.broker.authorizer.authorize(context.connection, operation, ResourceType.GROUP, group);
}

export function canTransactionalId(context: RequestContext, operation: number, id: string): boolean {
  return context.broker.authorizer.authorize(
    context.connection,
    operation,
    ResourceType.TRANSACTIONAL_ID,
    id,
  );
}

export function canCluster(context: RequestContext, operation: number): boolean {
  return context.broker.authorizer.authorize(
    context.connection,
    operation,
    ResourceType.CLUSTER,
    CLUSTER_RESOURCE_NAME,
  );
}

/** Kafka's "authorizeByResourceType": the operation on at least one resource of the type. */
export function canAnyOf(context: RequestContext, operation: number, resourceType: number): boolean {
  return context.broker.authorizer.authorizeByResourceType(context.connection, operation, resourceType);
}

function changes(operation: number): boolean {
  return (
    operation === AclOperation.WRITE ||
    operation === AclOperation.DELETE ||
    operation === AclOperation.ALTER ||
    operation === AclOperation.ALTER_CONFIGS
  );
}

/** Config resource types as the config APIs number them (a topic, a broker, a broker's loggers). */
const CONFIG_TOPIC = 2;

/**
 * The refusal of a config API for one resource, or null: a topic's configs need the operation
 * (DESCRIBE_CONFIGS or ALTER_CONFIGS) on the topic, a broker's on the cluster.
 */
export function configRefusal(
  context: RequestContext,
  operation: number,
  resourceType: number,
  resourceName: string,
): { errorCode: number; errorMessage: string } | null {
  const verb = operation === AclOperation.ALTER_CONFIGS ? 'ALTER_CONFIGS' : 'DESCRIBE_CONFIGS';
  const who = context.connection.principal;
  if (resourceType === CONFIG_TOPIC) {
    if (canTopic(context, operation, resourceName)) return null;
    return {
      errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
      errorMessage: `${who} may not ${verb} topic ${resourceName}`,
    };
  }
  if (canCluster(context, operation)) return null;
  return {
    errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
    errorMessage: `${who} may not ${verb} the cluster`,
  };
}
