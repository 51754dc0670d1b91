// Heartbeat (key 12), v0-4: keeps a member's session alive and tells it when to rejoin. Needs READ on the group.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultHeartbeatResponse } from '../../protocol/generated/heartbeat-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canGroup } from './access.js';
import { ErrorCode } from '../../protocol/error-codes.js';

export const heartbeatHandler = defineHandler({
  apiKey: ApiKey.Heartbeat,
  minVersion: 0,
  maxVersion: 4,
  handle(request, context) {
    const { broker } = context;
    const response = defaultHeartbeatResponse();
    if (!canGroup(context, AclOperation.READ, request.groupId)) {
      response.errorCode = ErrorCode.GROUP_AUTHORIZATION_FAILED;
      return response;
    }
    response.errorCode = broker.groups.heartbeat({
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
    });
    return response;
  },
});
