// LeaveGroup (key 13), v0-5. Before v3 one member leaves by id; from v3 a batch of members, each by
// member id or by static instance id.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultLeaveGroupResponse } from '../../protocol/generated/leave-group-response.js';
import { defineHandler } from './handler.js';

export const leaveGroupHandler = defineHandler({
  apiKey: ApiKey.LeaveGroup,
  minVersion: 0,
  maxVersion: 5,
  async handle(request, { broker, version }) {
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
