// LeaveGroup (key 13), v0-5. Before v3 one member leaves by id; from v3 a batch of members, each by
// member id or by static instance id. Needs READ on the group.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultLeaveGroupResponse } from '../../protocol/generated/leave-group-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canGroup } from './access.js';
import { ErrorCode } from '../../protocol/error-codes.js';

export const leaveGroupHandler = defineHandler({
  apiKey: ApiKey.LeaveGroup,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, context) {
    const { broker, version } = context;
    if (!canGroup(context, AclOperation.READ, request.groupId)) {
      const refused = defaultLeaveGroupResponse();
      refused.errorCode = ErrorCode.GROUP_AUTHORIZATION_FAILED;
      return refused;
    }
    const leaving =
      version >= 3
        ? request.members.map((member) => ({
            memberId: member.memberId,
            groupInstanceId: member.groupInstanceId,
            reason: member.reason,
          }))
        : [{ memberId: request.memberId, groupInstanceId: null, reason: null }];
    const result = await broker.groups.leaveGroup(request.groupId, leaving);
    const response = defaultLeaveGroupResponse();
    if (version >= 3) {
      response.errorCode = result.errorCode;
      response.members = result.members.map((member) => ({ ...member }));
    } else {
      response.errorCode = result.errorCode !== 0 ? result.errorCode : (result.members[0]?.errorCode ?? 0);
    }
    return response;
  },
});
