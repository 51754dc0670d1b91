// AlterConfigs (key 33), v0-2: replaces a topic's whole set of config overrides. Needs ALTER_CONFIGS on
// the topic, or on the cluster for a broker.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultAlterConfigsResponse } from '../../protocol/generated/alter-configs-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, configRefusal } from './access.js';
import { alterResource } from './alter-topic-configs.js';

export const alterConfigsHandler = defineHandler({
  apiKey: ApiKey.AlterConfigs,
  minVersion: 0,
  maxVersion: 2,
  handle(request, context) {
    const response = defaultAlterConfigsResponse();
    response.responses = request.resources.map((resource) => {
      const refusal = configRefusal(
        context,
        AclOperation.ALTER_CONFIGS,
        resource.resourceType,
        resource.resourceName,
      );
      if (refusal)
        return { ...refusal, resourceType: resource.resourceType, resourceName: resource.resourceName };
      return alterResource(
        context.broker,
        resource.resourceType,
        resource.resourceName,
        resource.configs.map((config) => ({ name: config.name, value: config.value })),
        'replace',
        request.validateOnly,
      );
    });
    return response;
  },
});
