// DescribeGroups (key 15), v0-5: state, protocol and members of each group.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultDescribeGroupsResponse } from '../../protocol/generated/describe-groups-response.js';
import { defineHandler } from './handler.js';

/** ACLs are not supported, so authorized operations are not reported. */
const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

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
      authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    }));
    return response;
  },
});
