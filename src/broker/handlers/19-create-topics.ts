// CreateTopics (key 19), v0-7. The embedded broker is one node: a replication factor above 1 is
// refused with a pointer to running against a real Kafka cluster. v5 returns the topic's configs
// and sizes, v7 its id. Thousands of partitions take a while to create: the creation lets other requests
// run meanwhile, and the broker-wide partition limit (max.broker.partitions) answers POLICY_VIOLATION.
// Needs CREATE on the cluster or on the topic (TOPIC_AUTHORIZATION_FAILED), as in Kafka.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import type { CreatableTopic } from '../../protocol/generated/create-topics-request.js';
import {
  defaultCreateTopicsResponse,
  type CreatableTopicResult,
} from '../../protocol/generated/create-topics-response.js';
import { ZERO_UUID } from '../../protocol/primitives.js';
import { LogError } from '../log/errors.js';
import type { BrokerContext } from '../broker-context.js';
import { defineHandler } from './handler.js';
import { AclOperation, canCluster, canTopic } from './access.js';

const USE_BROKER_DEFAULT = -1;

function failed(name: string, errorCode: number, errorMessage: string): CreatableTopicResult {
  return {
    name,
    topicId: ZERO_UUID,
    errorCode,
    errorMessage,
    topicConfigErrorCode: ErrorCode.NONE,
    numPartitions: -1,
    replicationFactor: -1,
    configs: null,
  };
}

function partitionCountOf(request: CreatableTopic, broker: BrokerContext): number | string {
  if (request.assignments.length > 0) {
    if (request.numPartitions !== USE_BROKER_DEFAULT || request.replicationFactor !== USE_BROKER_DEFAULT) {
      return 'give either replica assignments or a partition count and replication factor, not both';
    }
    const node = broker.identity.nodeId;
    for (const assignment of request.assignments) {
      if (assignment.brokerIds.length !== 1 || assignment.brokerIds[0] !== node) {
        return `Venice runs one broker (id ${node}): every partition must be assigned to [${node}] only`;
      }
    }
    return request.assignments.length;
  }
  return request.numPartitions === USE_BROKER_DEFAULT
    ? broker.config.defaultPartitions
    : request.numPartitions;
}

/**
 * The creation, or null when it is still running after `timeoutMs` (then it goes on, and the topic appears
 * when it is done, as Kafka's controller does); timeoutMs <= 0 waits for the end.
 */
async function withinTimeout<T>(creation: Promise<T>, timeoutMs: number): Promise<{ value: T } | null> {
  const done = creation.then((value) => ({ value }));
  if (timeoutMs <= 0) return done;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  try {
    return await Promise.race([done, late]);
  } finally {
    clearTimeout(timer);
    // An error after the answer was sent has no one to go to: the topic is then simply not created.
    done.catch(() => {});
  }
}

async function createOne(
  request: CreatableTopic,
  broker: BrokerContext,
  validateOnly: boolean,
  timeoutMs: number,
): Promise<CreatableTopicResult> {
  if (request.replicationFactor > 1) {
    return failed(
      request.name,
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `Replication factor ${request.replicationFactor} is larger than the 1 broker of Venice's embedded broker. ` +
        'Use replication factor 1 (or -1 for the default), or run Venice against an external Kafka cluster ' +
        '(venice up --bootstrap-servers host:port) for replication.',
    );
  }
  if (request.replicationFactor === 0 || request.replicationFactor < USE_BROKER_DEFAULT) {
    return failed(
      request.name,
      ErrorCode.INVALID_REPLICATION_FACTOR,
      'Replication factor must be larger than 0.',
    );
  }
  const partitions = partitionCountOf(request, broker);
  if (typeof partitions === 'string') {
    return failed(request.name, ErrorCode.INVALID_REPLICA_ASSIGNMENT, partitions);
  }
  const configs: Record<string, string> = {};
  for (const config of request.configs) {
    if (config.value !== null) configs[config.name] = config.value;
  }
  try {
    const outcome = await withinTimeout(
      broker.logs.createTopicAsync(request.name, partitions, configs, { validateOnly }),
      timeoutMs,
    );
    if (!outcome) {
      return failed(
        request.name,
        ErrorCode.REQUEST_TIMED_OUT,
        `Topic '${request.name}' is still being created after the request's ${timeoutMs} ms timeout; it ` +
          'appears in metadata once all its partitions exist.',
      );
    }
    const topic = outcome.value;
    return {
      name: request.name,
      topicId: topic?.id ?? ZERO_UUID,
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      topicConfigErrorCode: ErrorCode.NONE,
      numPartitions: partitions,
      replicationFactor: 1,
      configs: topic
        ? broker.logs.describeTopicConfig(request.name).map((config) => ({
            name: config.name,
            value: config.value,
            readOnly: config.readOnly,
            configSource: config.source,
            isSensitive: false,
          }))
        : [],
    };
  } catch (error) {
    if (error instanceof LogError) return failed(request.name, error.code, error.message);
    throw error;
  }
}

export const createTopicsHandler = defineHandler({
  apiKey: ApiKey.CreateTopics,
  minVersion: 0,
  maxVersion: 7,
  async handle(request, context) {
    const { broker } = context;
    const response = defaultCreateTopicsResponse();
    const clusterCreate = canCluster(context, AclOperation.CREATE);
    const seen = new Set<string>();
    for (const topic of request.topics) {
      if (seen.has(topic.name)) {
        response.topics.push(
          failed(topic.name, ErrorCode.INVALID_REQUEST, `topic ${topic.name} appears twice in the request`),
        );
        continue;
      }
      seen.add(topic.name);
      if (!clusterCreate && !canTopic(context, AclOperation.CREATE, topic.name)) {
        const message = `${context.connection.principal} may not CREATE topic ${topic.name}`;
        response.topics.push(failed(topic.name, ErrorCode.TOPIC_AUTHORIZATION_FAILED, message));
        continue;
      }
      response.topics.push(await createOne(topic, broker, request.validateOnly, request.timeoutMs));
    }
    return response;
  },
});
