// AlterConfigs (key 33), v0-2: replaces a topic's whole set of config overrides.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultAlterConfigsResponse } from '../../protocol/generated/alter-configs-response.js';
import { defineHandler } from './handler.js';
import { alterResource } from './alter-topic-configs.js';

export const alterConfigsHandler = defineHandler({
  apiKey: ApiKey.AlterConfigs,
  minVersion: 0,
  maxVersion: 2,
  handle(request, { broker }) {
    const response = defaultAlterConfigsResponse();
    response.responses = request.resources.map((resource) =>
      alterResource(
        broker,
        resource.resourceType,
        resource.resourceName,
        resource.configs.map((config) => ({ name: config.name, value: config.value })),
        'replace',
        request.validateOnly,
      ),
    );
    return response;
  },
});
