// DescribeConfigs (key 32), v0-4: a topic's effective configs with where each value came from, and
// the broker's own settings (read-only: they are `venice broker` flags). A topic needs DESCRIBE_CONFIGS on
// it (TOPIC_AUTHORIZATION_FAILED), a broker DESCRIBE_CONFIGS on the cluster (CLUSTER_AUTHORIZATION_FAILED).
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import {
  defaultDescribeConfigsResponse,
  type DescribeConfigsResult,
} from '../../protocol/generated/describe-configs-response.js';
import type {
  DescribeConfigsRequest,
  DescribeConfigsResource,
} from '../../protocol/generated/describe-configs-request.js';
import type { DescribedConfig } from '../log/log-config.js';
import type { BrokerContext } from '../broker-context.js';
import { defineHandler } from './handler.js';
import { AclOperation, configRefusal } from './access.js';
import { describeBrokerConfigs, isThisBroker, ResourceType } from './config-resources.js';

function configsOf(resource: DescribeConfigsResource, broker: BrokerContext): DescribedConfig[] | string {
  if (resource.resourceType === ResourceType.topic) {
    if (!broker.logs.topic(resource.resourceName)) return `topic ${resource.resourceName} does not exist`;
    return broker.logs.describeTopicConfig(resource.resourceName);
  }
  if (resource.resourceType === ResourceType.broker) {
    if (!isThisBroker(resource.resourceName, broker)) return `broker ${resource.resourceName} does not exist`;
    return describeBrokerConfigs(broker);
  }
  return `resource type ${resource.resourceType} is not supported; describe topics (2) or brokers (4)`;
}

function describeOne(
  resource: DescribeConfigsResource,
  request: DescribeConfigsRequest,
  broker: BrokerContext,
): DescribeConfigsResult {
  const result: DescribeConfigsResult = {
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    resourceType: resource.resourceType,
    resourceName: resource.resourceName,
    configs: [],
  };
  const configs = configsOf(resource, broker);
  if (typeof configs === 'string') {
    result.errorCode =
      resource.resourceType === ResourceType.topic
        ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
        : ErrorCode.INVALID_REQUEST;
    result.errorMessage = configs;
    return result;
  }
  const wanted = resource.configurationKeys === null ? null : new Set(resource.configurationKeys);
  result.configs = configs
    .filter((config) => wanted === null || wanted.has(config.name))
    .map((config) => ({
      name: config.name,
      value: config.value,
      readOnly: config.readOnly,
      isDefault: config.isDefault,
      configSource: config.source,
      isSensitive: false,
      synonyms: request.includeSynonyms
        ? [{ name: config.name, value: config.value, source: config.source }]
        : [],
      configType: config.kafkaType,
      documentation: request.includeDocumentation ? config.doc : null,
    }));
  return result;
}

export const describeConfigsHandler = defineHandler({
  apiKey: ApiKey.DescribeConfigs,
  minVersion: 0,
  maxVersion: 4,
  handle(request, context) {
    const response = defaultDescribeConfigsResponse();
    response.results = request.resources.map((resource) => {
      const refusal = configRefusal(
        context,
        AclOperation.DESCRIBE_CONFIGS,
        resource.resourceType,
        resource.resourceName,
      );
      if (refusal)
        return {
          ...refusal,
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          configs: [],
        };
      return describeOne(resource, request, context.broker);
    });
    return response;
  },
});
