// CreatePartitions (key 37), v0-3: grows a topic's partition count (it can never shrink).
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultCreatePartitionsResponse } from '../../protocol/generated/create-partitions-response.js';
import { LogError } from '../log/errors.js';
import { defineHandler } from './handler.js';

export const createPartitionsHandler = defineHandler({
  apiKey: ApiKey.CreatePartitions,
  minVersion: 0,
  maxVersion: 3,
  handle(request, { broker }) {
    const response = defaultCreatePartitionsResponse();
    const node = broker.identity.nodeId;
    response.results = request.topics.map((topic) => {
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
        broker.logs.createPartitions(topic.name, topic.count, { validateOnly: request.validateOnly });
        return { name: topic.name, errorCode: ErrorCode.NONE, errorMessage: null };
      } catch (error) {
        if (error instanceof LogError)
          return { name: topic.name, errorCode: error.code, errorMessage: error.message };
        throw error;
      }
    });
    return response;
  },
});
