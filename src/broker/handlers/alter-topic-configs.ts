// Shared by AlterConfigs and IncrementalAlterConfigs: apply changes to one resource, as a result entry.
import { ErrorCode } from '../../protocol/error-codes.js';
import { LogError } from '../log/errors.js';
import type { ConfigChange } from '../log/log-config.js';
import type { BrokerContext } from '../broker-context.js';
import { ResourceType } from './config-resources.js';

export interface AlterOutcome {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

export function alterResource(
  broker: BrokerContext,
  resourceType: number,
  resourceName: string,
  changes: ConfigChange[],
  mode: 'replace' | 'incremental',
  validateOnly: boolean,
): AlterOutcome {
  const outcome: AlterOutcome = { errorCode: ErrorCode.NONE, errorMessage: null, resourceType, resourceName };
  if (resourceType !== ResourceType.topic) {
    outcome.errorCode = ErrorCode.INVALID_REQUEST;
    outcome.errorMessage =
      resourceType === ResourceType.broker
        ? 'broker settings are set when Venice starts (venice broker --help); only topic configs can be altered'
        : `resource type ${resourceType} is not supported; alter topic configs (type 2)`;
    return outcome;
  }
  try {
    broker.logs.alterTopicConfig(resourceName, changes, mode, { validateOnly });
  } catch (error) {
    if (!(error instanceof LogError)) throw error;
    outcome.errorCode = error.code;
    outcome.errorMessage = error.message;
  }
  return outcome;
}
