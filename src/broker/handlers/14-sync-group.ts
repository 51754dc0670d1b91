// SyncGroup (key 14), v0-5. The leader sends the assignment; every member waits for its share.
// v3 adds static membership, v5 the protocol type and name. Needs READ on the group.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultSyncGroupResponse } from '../../protocol/generated/sync-group-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canGroup } from './access.js';
import { ErrorCode } from '../../protocol/error-codes.js';

export const syncGroupHandler = defineHandler({
  apiKey: ApiKey.SyncGroup,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, context) {
    const { broker, version } = context;
    if (!canGroup(context, AclOperation.READ, request.groupId)) {
      const refused = defaultSyncGroupResponse();
      refused.errorCode = ErrorCode.GROUP_AUTHORIZATION_FAILED;
      return refused;
    }
    const result = await broker.groups.syncGroup({
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
      protocolType: version >= 5 ? request.protocolType : null,
      protocolName: version >= 5 ? request.protocolName : null,
      assignments: request.assignments.map((entry) => ({
        memberId: entry.memberId,
        assignment: entry.assignment,
      })),
    });
    const response = defaultSyncGroupResponse();
    response.errorCode = result.errorCode;
    response.protocolType = result.protocolType;
    response.protocolName = result.protocolName;
    response.assignment = result.assignment;
    return response;
  },
});
