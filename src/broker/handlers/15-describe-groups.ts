// DescribeGroups (key 15), v0-5: state, protocol and members of each group; v3 adds the authorized
// operations, reported when asked (see authorized-operations.ts). A group needs DESCRIBE.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultDescribeGroupsResponse } from '../../protocol/generated/describe-groups-response.js';
import { defineHandler } from './handler.js';
import { AUTHORIZED_OPERATIONS_OMITTED, authorizedOperations } from './authorized-operations.js';
import { AclOperation, canGroup } from './access.js';
import { ErrorCode } from '../../protocol/error-codes.js';

export const describeGroupsHandler = defineHandler({
  apiKey: ApiKey.DescribeGroups,
  minVersion: 0,
  maxVersion: 5,
  handle(request, context) {
    const response = defaultDescribeGroupsResponse();
    const allowed = request.groups.filter((group) => canGroup(context, AclOperation.DESCRIBE, group));
    const described = new Map(
      context.broker.groups.describeGroups(allowed).map((group) => [group.groupId, group] as const),
    );
    response.groups = request.groups.map((groupId) => {
      const group = described.get(groupId);
      if (!group) return refused(groupId);
      return {
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
        authorizedOperations: authorizedOperations(
          context,
          'group',
          group.groupId,
          request.includeAuthorizedOperations,
        ),
      };
    });
    return response;
  },
});

function refused(groupId: string) {
  return {
    errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
    groupId,
    groupState: '',
    protocolType: '',
    protocolData: '',
    members: [],
    authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}
