// JoinGroup (key 11), v0-9. v1 adds the rebalance timeout, v4 requires a known member id (KIP-394),
// v5 static membership (KIP-345), v8 a reason, v9 skipAssignment for a replaced static leader.
// Needs READ on the group.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultJoinGroupResponse } from '../../protocol/generated/join-group-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canGroup } from './access.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { clientHostOf } from './group-support.js';

export const joinGroupHandler = defineHandler({
  apiKey: ApiKey.JoinGroup,
  minVersion: 0,
  maxVersion: 9,
  async handle(request, context) {
    const { broker, version, header, connection } = context;
    if (!canGroup(context, AclOperation.READ, request.groupId)) {
      const refused = defaultJoinGroupResponse();
      refused.errorCode = ErrorCode.GROUP_AUTHORIZATION_FAILED;
      return refused;
    }
    const result = await broker.groups.joinGroup({
      groupId: request.groupId,
      memberId: request.memberId,
      groupInstanceId: request.groupInstanceId,
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: version >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
      protocolType: request.protocolType,
      protocols: request.protocols.map((protocol) => ({ name: protocol.name, metadata: protocol.metadata })),
      clientId: header.clientId ?? '',
      clientHost: clientHostOf(connection),
      reason: request.reason,
      requireKnownMemberId: version >= 4,
      supportSkippingAssignment: version >= 9,
    });
    const response = defaultJoinGroupResponse();
    response.errorCode = result.errorCode;
    response.generationId = result.generationId;
    response.protocolType = result.protocolType;
    // Before v7 the protocol name cannot be null on the wire: an error answer carries an empty one.
    response.protocolName = version >= 7 ? result.protocolName : (result.protocolName ?? '');
    response.leader = result.leader;
    response.skipAssignment = result.skipAssignment;
    response.memberId = result.memberId;
    response.members = result.members.map((member) => ({ ...member }));
    return response;
  },
});
