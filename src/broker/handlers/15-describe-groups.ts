// DescribeGroups (key 15), v0-5: state, protocol and members of each group; v3 adds the authorized
// operations, reported when asked (see authorized-operations.ts).
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultDescribeGroupsResponse } from '../../protocol/generated/describe-groups-response.js';
import { defineHandler } from './handler.js';
import { authorizedOperations } from './authorized-operations.js';

export const describeGroupsHandler = defineHandler({
  apiKey: ApiKey.DescribeGroups,
  minVersion: 0,
  maxVersion: 5,
  handle(request, { broker }) {
    const response = defaultDescribeGroupsResponse();
    response.groups = broker.groups.describeGroups(request.groups).map((group) => ({
      errorCode: group.errorCode,
      groupId: group.groupId,
      groupState: group.state,
      protocolType: group.protocolType,
      protocolData: group.protocolData,
      members: group.members.map((member) => ({
        memberId: member.memberId,
        groupInstanceId: member.groupInstanceId,
        clientId: member.clientId,
        clientHost: member.clientHost,
        memberMetadata: member.metadata,
        memberAssignment: member.assignment,
      })),
      authorizedOperations: authorizedOperations('group', request.includeAuthorizedOperations),
    }));
    return response;
  },
});
