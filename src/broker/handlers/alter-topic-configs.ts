// Shared by AlterConfigs and IncrementalAlterConfigs: apply changes to one resource (a topic, or the
// broker's dynamic configs), as a result entry.
import { ErrorCode } from '../../protocol/error-codes.js';
import { LogError } from '../log/errors.js';
import type { ConfigChange } from '../log/log-config.js';
import type { BrokerContext } from '../broker-context.js';
import { DynamicConfigError, type DynamicConfigChange } from '../dynamic-config.js';
import { isThisBroker, ResourceType } from './config-resources.js';

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
  if (resourceType === ResourceType.broker) return alterBroker(broker, outcome, changes, mode, validateOnly);
  if (resourceType !== ResourceType.topic) {
    outcome.errorCode = ErrorCode.INVALID_REQUEST;
    outcome.errorMessage = `resource type ${resourceType} is not supported; alter topic (2) or broker (4) configs`;
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

/** The broker's dynamic configs: name "" is the cluster-wide default, the node id this broker alone. */
function alterBroker(
  broker: BrokerContext,
  outcome: AlterOutcome,
  changes: ConfigChange[],
  mode: 'replace' | 'incremental',
  validateOnly: boolean,
): AlterOutcome {
  if (!isThisBroker(outcome.resourceName, broker)) {
    outcome.errorCode = ErrorCode.INVALID_REQUEST;
    outcome.errorMessage = `broker ${outcome.resourceName} does not exist; this is broker ${broker.identity.nodeId}`;
    return outcome;
  }
  const listOperation = changes.find((change) => change.op === 'append' || change.op === 'subtract');
  if (listOperation) {
    outcome.errorCode = ErrorCode.INVALID_CONFIG;
    outcome.errorMessage = `${listOperation.op} applies to list configs only; ${listOperation.name} is not a list: use set or delete`;
    return outcome;
  }
  const dynamicChanges: DynamicConfigChange[] = changes.map((change) => ({
    name: change.name,
    value: change.op === 'delete' ? null : change.value,
  }));
  try {
    broker.dynamicConfig.alter(
      outcome.resourceName === '' ? 'clusterDefault' : 'broker',
      dynamicChanges,
      mode,
      validateOnly,
    );
  } catch (error) {
    if (!(error instanceof DynamicConfigError)) throw error;
    outcome.errorCode = error.kind === 'readOnly' ? ErrorCode.INVALID_REQUEST : ErrorCode.INVALID_CONFIG;
    outcome.errorMessage = error.message;
  }
  return outcome;
}
