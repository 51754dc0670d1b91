// CreatePartitions (key 37), v0-3: grows a topic's partition count (it can never shrink), letting other
// requests run while thousands are created, within the broker-wide limit (max.broker.partitions).
// A topic needs ALTER (the broker's own topics: a super user).
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import type { CreatePartitionsTopic } from '../../protocol/generated/create-partitions-request.js';
import {
  defaultCreatePartitionsResponse,
  type CreatePartitionsTopicResult,
} from '../../protocol/generated/create-partitions-response.js';
import { LogError } from '../log/errors.js';
import type { BrokerContext } from '../broker-context.js';
import { defineHandler } from './handler.js';
import { AclOperation, canTopic } from './access.js';

async function growOne(
  topic: CreatePartitionsTopic,
  broker: BrokerContext,
  validateOnly: boolean,
): Promise<CreatePartitionsTopicResult> {
  const node = broker.identity.nodeId;
  const badAssignment = topic.assignments?.some(
    (assignment) => assignment.brokerIds.length !== 1 || assignment.brokerIds[0] !== node,
  );
  if (badAssignment) {
    return {
      name: topic.name,
      errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      errorMessage: `Venice runs one broker (id ${node}): new partitions must be assigned to [${node}] only`,
    };
  }
  try {
    await broker.logs.createPartitionsAsync(topic.name, topic.count, { validateOnly });
    return { name: topic.name, errorCode: ErrorCode.NONE, errorMessage: null };
  } catch (error) {
    if (error instanceof LogError)
      return { name: topic.name, errorCode: error.code, errorMessage: error.message };
    throw error;
  }
}

export const createPartitionsHandler = defineHandler({
  apiKey: ApiKey.CreatePartitions,
  minVersion: 0,
  maxVersion: 3,
  async handle(request, context) {
    const response = defaultCreatePartitionsResponse();
    for (const topic of request.topics) {
      if (!canTopic(context, AclOperation.ALTER, topic.name)) {
        const errorMessage = `${context.connection.principal} may not ALTER topic ${topic.name}`;
        response.results.push({
          name: topic.name,
          errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED,
          errorMessage,
        });
        continue;
      }
      response.results.push(await growOne(topic, context.broker, request.validateOnly));
    }
    return response;
  },
});
