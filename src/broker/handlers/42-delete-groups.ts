// DeleteGroups (key 42), v0-2: removes empty groups and their committed offsets. A group needs DELETE.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultDeleteGroupsResponse } from '../../protocol/generated/delete-groups-response.js';
import { defineHandler } from './handler.js';
import { AclOperation, canGroup } from './access.js';
import { ErrorCode } from '../../protocol/error-codes.js';

export const deleteGroupsHandler = defineHandler({
  apiKey: ApiKey.DeleteGroups,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, context) {
    const response = defaultDeleteGroupsResponse();
    const allowed = request.groupsNames.filter((group) => canGroup(context, AclOperation.DELETE, group));
    const refused = request.groupsNames
      .filter((group) => !allowed.includes(group))
      .map((groupId) => ({ groupId, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED }));
    const deleted = allowed.length === 0 ? [] : await context.broker.groups.deleteGroups(allowed);
    response.results = [
      ...deleted.map((result) => ({ groupId: result.groupId, errorCode: result.errorCode })),
      ...refused,
    ];
    return response;
  },
});
