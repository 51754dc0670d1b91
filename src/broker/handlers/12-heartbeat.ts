// Heartbeat (key 12), v0-4: keeps a member's session alive and tells it when to rejoin.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultHeartbeatResponse } from '../../protocol/generated/heartbeat-response.js';
import { defineHandler } from './handler.js';

export const heartbeatHandler = defineHandler({
  apiKey: ApiKey.Heartbeat,
  minVersion: 0,
  maxVersion: 4,
  handle(request, { broker }) {
    const response = defaultHeartbeatResponse();
    response.errorCode = broker.groups.heartbeat({
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
    });
    return response;
  },
});
