// IncrementalAlterConfigs (key 44), v0-1: set, delete, append to or subtract from single configs. Needs
// ALTER_CONFIGS on the topic, or on the cluster for a broker.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultIncrementalAlterConfigsResponse } from '../../protocol/generated/incremental-alter-configs-response.js';
import type { ConfigOperation } from '../log/log-config.js';
import { defineHandler } from './handler.js';
import { AclOperation, configRefusal } from './access.js';
import { alterResource } from './alter-topic-configs.js';

const OPERATIONS: readonly ConfigOperation[] = ['set', 'delete', 'append', 'subtract'];

export const incrementalAlterConfigsHandler = defineHandler({
  apiKey: ApiKey.IncrementalAlterConfigs,
  minVersion: 0,
  maxVersion: 1,
  handle(request, context) {
    const response = defaultIncrementalAlterConfigsResponse();
    response.responses = request.resources.map((resource) => {
      const refusal = configRefusal(
        context,
        AclOperation.ALTER_CONFIGS,
        resource.resourceType,
        resource.resourceName,
      );
      if (refusal)
        return { ...refusal, resourceType: resource.resourceType, resourceName: resource.resourceName };
      const unknown = resource.configs.find((config) => OPERATIONS[config.configOperation] === undefined);
      if (unknown) {
        return {
          errorCode: ErrorCode.INVALID_REQUEST,
          errorMessage: `unknown config operation ${unknown.configOperation} for ${unknown.name}; use 0 (set), 1 (delete), 2 (append) or 3 (subtract)`,
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
        };
      }
      return alterResource(
        context.broker,
        resource.resourceType,
        resource.resourceName,
        resource.configs.map((config) => ({
          name: config.name,
          value: config.value,
          op: OPERATIONS[config.configOperation],
        })),
        'incremental',
        request.validateOnly,
      );
    });
    return response;
  },
});
