// ListGroups (key 16), v0-5. v4 filters by state, v5 by group type (only "classic" groups exist here).
// DESCRIBE on the cluster lists every group; otherwise only the groups the principal may DESCRIBE.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultListGroupsResponse } from '../../protocol/generated/list-groups-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canCluster, canGroup } from './access.js';

const CLASSIC_GROUP_TYPE = 'classic';

export const listGroupsHandler = defineHandler({
  apiKey: ApiKey.ListGroups,
  minVersion: 0,
  maxVersion: 5,
  handle(request, context) {
    const { broker } = context;
    const seesAll = canCluster(context, AclOperation.DESCRIBE);
    const response = defaultListGroupsResponse();
    response.errorCode = ErrorCode.NONE;
    const wantedStates = new Set(request.statesFilter.map((state) => state.toLowerCase()));
    const wantedTypes = new Set(request.typesFilter.map((type) => type.toLowerCase()));
    if (wantedTypes.size > 0 && !wantedTypes.has(CLASSIC_GROUP_TYPE)) return response;
    response.groups = broker.groups
      .listGroups()
      .filter((group) => wantedStates.size === 0 || wantedStates.has(group.state.toLowerCase()))
      .filter((group) => seesAll || canGroup(context, AclOperation.DESCRIBE, group.groupId))
      .map((group) => ({
        groupId: group.groupId,
        protocolType: group.protocolType,
        groupState: group.state,
        groupType: CLASSIC_GROUP_TYPE,
      }));
    return response;
  },
});
