// DeleteTopics (key 20), v0-6: removes topics, their data and the committed offsets that point at them.
// v6 names topics by id or by name. __consumer_offsets and __transaction_state are never deleted;
// _schemas only with --allow-delete-internal. A topic needs DELETE (the broker's own topics: a super user).
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import {
  defaultDeleteTopicsResponse,
  type DeletableTopicResult,
} from '../../protocol/generated/delete-topics-response.js';
import { ZERO_UUID, type Uuid } from '../../protocol/primitives.js';
import { LogError } from '../log/errors.js';
import { OFFSETS_TOPIC } from '../offsets-topic.js';
import { SCHEMAS_TOPIC } from '../security/protected-topics.js';
import { ACL_TOPIC } from '../security/acl-topic.js';
import { TRANSACTION_STATE_TOPIC } from '../transactions/index.js';
import { defineHandler, type RequestContext } from './handler.js';
import { AclOperation, canTopic } from './access.js';

// The schema registry's topic: deleting it loses every schema while records that carry their ids live
// on; only a deliberate --allow-delete-internal lets it go.

function deleteOne(name: string | null, topicId: Uuid, context: RequestContext): DeletableTopicResult {
  const { broker } = context;
  const topic = name !== null ? broker.logs.topic(name) : broker.logs.topicById(topicId);
  const subject = name ?? topic?.name;
  // Unauthorized before unknown, so that a name the principal may not see reveals nothing.
  if (subject !== undefined && !canTopic(context, AclOperation.DELETE, subject)) {
    return {
      name,
      topicId,
      errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
      errorMessage: `${context.connection.principal} may not DELETE topic ${subject}`,
    };
  }
  if (!topic) {
    return {
      name,
      topicId,
      errorCode: name !== null ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.UNKNOWN_TOPIC_ID,
      errorMessage: `topic ${name ?? topicId} does not exist`,
    };
  }
  if (topic.name === OFFSETS_TOPIC) {
    return {
      name: topic.name,
      topicId: topic.id,
      errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
      errorMessage: `${OFFSETS_TOPIC} holds every group's committed offsets and cannot be deleted`,
    };
  }
  if (topic.name === ACL_TOPIC) {
    return {
      name: topic.name,
      topicId: topic.id,
      errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
      errorMessage: `${ACL_TOPIC} holds the ACLs and cannot be deleted; remove ACLs with DeleteAcls (venice acl delete)`,
    };
  }
  if (topic.name === TRANSACTION_STATE_TOPIC) {
    return {
      name: topic.name,
      topicId: topic.id,
      errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
      errorMessage: `${TRANSACTION_STATE_TOPIC} holds the state of every transactional producer and cannot be deleted`,
    };
  }
  if (topic.name === SCHEMAS_TOPIC && !broker.config.allowDeleteInternal) {
    return {
      name: topic.name,
      topicId: topic.id,
      errorCode: ErrorCode.POLICY_VIOLATION,
      errorMessage:
        `${SCHEMAS_TOPIC} holds every schema of the schema registry and cannot be deleted; ` +
        'start the broker with --allow-delete-internal to delete it anyway',
    };
  }
  try {
    broker.logs.deleteTopic(topic.name);
  } catch (error) {
    if (error instanceof LogError)
      return { name, topicId, errorCode: error.code, errorMessage: error.message };
    throw error;
  }
  return { name: topic.name, topicId: topic.id, errorCode: ErrorCode.NONE, errorMessage: null };
}

export const deleteTopicsHandler = defineHandler({
  apiKey: ApiKey.DeleteTopics,
  minVersion: 0,
  maxVersion: 6,
  async handle(request, context) {
    const { broker, version } = context;
    const response = defaultDeleteTopicsResponse();
    response.responses =
      version >= 6
        ? request.topics.map((topic) => deleteOne(topic.name, topic.topicId, context))
        : request.topicNames.map((name) => deleteOne(name, ZERO_UUID, context));
    const deleted = response.responses
      .filter((result) => result.errorCode === ErrorCode.NONE && result.name !== null)
      .map((result) => result.name as string);
    if (deleted.length > 0) await broker.groups.removeOffsetsOfTopics(deleted);
    return response;
  },
});
