// Metadata (key 3), v0-12: brokers, topics and partition leaders. Topics a client names are created on
// first use when auto-creation is on (v4+ lets the client turn that off per request). v10 adds topic
// ids, v12 lookups by topic id. v8 reports authorized operations when asked (see authorized-operations.ts).
// As in Kafka, a topic the principal may not DESCRIBE is left out of a listing and refused when named
// (TOPIC_AUTHORIZATION_FAILED), and auto-creation needs CREATE on the cluster or on the topic.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import {
  defaultMetadataResponse,
  type MetadataResponseTopic,
} from '../../protocol/generated/metadata-response.js';
import { ProtocolError, ZERO_UUID } from '../../protocol/primitives.js';
import { LogError } from '../log/errors.js';
import type { Topic } from '../log/log-manager.js';
import { advertisedEndpoint } from '../broker-context.js';
import { defineHandler } from './handler.js';
import {
  AUTHORIZED_OPERATIONS_OMITTED,
  authorizedOperations,
  clusterAuthorizedOperations,
} from './authorized-operations.js';
import { AclOperation, canCluster, canTopic } from './access.js';
import type { RequestContext } from './handler.js';

const LEADER_EPOCH = 0;

function describeTopic(
  topic: Topic,
  context: RequestContext,
  withOperations: boolean,
): MetadataResponseTopic {
  const node = context.broker.identity.nodeId;
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    topicId: topic.id,
    isInternal: topic.isInternal,
    partitions: topic.partitions.map((_, index) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex: index,
      leaderId: node,
      leaderEpoch: LEADER_EPOCH,
      replicaNodes: [node],
      isrNodes: [node],
      offlineReplicas: [],
    })),
    topicAuthorizedOperations: authorizedOperations(context, 'topic', topic.name, withOperations),
  };
}

function missingTopic(name: string | null, errorCode: number, topicId = ZERO_UUID): MetadataResponseTopic {
  return {
    errorCode,
    name,
    topicId,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

function findOrCreate(
  name: string,
  allowCreate: boolean,
  context: RequestContext,
  withOperations: boolean,
): MetadataResponseTopic {
  const { broker } = context;
  if (!canTopic(context, AclOperation.DESCRIBE, name))
    return missingTopic(name, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
  const existing = broker.logs.topic(name);
  if (existing) return describeTopic(existing, context, withOperations);
  if (!allowCreate) return missingTopic(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (!canCluster(context, AclOperation.CREATE) && !canTopic(context, AclOperation.CREATE, name))
    return missingTopic(name, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
  try {
    const created = broker.logs.createTopic(name, broker.config.defaultPartitions);
    return created
      ? describeTopic(created, context, withOperations)
      : missingTopic(name, ErrorCode.LEADER_NOT_AVAILABLE);
  } catch (error) {
    if (error instanceof LogError) {
      // A CreateTopics of this name is still under way: the topic is there soon, ask again (as Kafka says).
      const code =
        error.code === ErrorCode.TOPIC_ALREADY_EXISTS ? ErrorCode.LEADER_NOT_AVAILABLE : error.code;
      return missingTopic(name, code);
    }
    throw error;
  }
}

export const metadataHandler = defineHandler({
  apiKey: ApiKey.Metadata,
  minVersion: 0,
  maxVersion: 12,
  handle(request, context) {
    const { broker, version, connection } = context;
    const response = defaultMetadataResponse();
    response.brokers = [
      {
        nodeId: broker.identity.nodeId,
        ...advertisedEndpoint(broker, connection.listenerName),
        rack: null,
      },
    ];
    response.clusterId = broker.identity.clusterId;
    response.controllerId = broker.identity.nodeId;
    response.clusterAuthorizedOperations = clusterAuthorizedOperations(
      context,
      request.includeClusterAuthorizedOperations,
    );
    const withOperations = request.includeTopicAuthorizedOperations;

    // v1+ sends null for "all topics" and an empty list for none; v0 has no null, so empty means all.
    if (request.topics === null || (version === 0 && request.topics.length === 0)) {
      response.topics = broker.logs
        .topics()
        .filter((topic) => canTopic(context, AclOperation.DESCRIBE, topic.name))
        .map((topic) => describeTopic(topic, context, withOperations));
      return response;
    }
    // Names became nullable in v10 for lookups by id, which only v12 serves; v10-11 answers cannot
    // carry a topic without a name, so such a request is refused as Kafka does (InvalidRequestException).
    if (version < 12 && request.topics.some((wanted) => wanted.name === null)) {
      throw new ProtocolError(
        `Metadata v${version} requires a name for every topic (lookups by id need v12)`,
      );
    }
    const allowCreate = broker.config.autoCreateTopics && (version < 4 || request.allowAutoTopicCreation);
    response.topics = request.topics.map((wanted) => {
      if (wanted.name === null || (version >= 12 && wanted.topicId !== ZERO_UUID)) {
        const byId = broker.logs.topicById(wanted.topicId);
        if (!byId) return missingTopic(null, ErrorCode.UNKNOWN_TOPIC_ID, wanted.topicId);
        return canTopic(context, AclOperation.DESCRIBE, byId.name)
          ? describeTopic(byId, context, withOperations)
          : missingTopic(null, ErrorCode.TOPIC_AUTHORIZATION_FAILED, wanted.topicId);
      }
      return findOrCreate(wanted.name, allowCreate, context, withOperations);
    });
    return response;
  },
});
