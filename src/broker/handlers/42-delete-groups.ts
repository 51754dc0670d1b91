// DeleteGroups (key 42), v0-2: removes empty groups and their committed offsets.
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultDeleteGroupsResponse } from '../../protocol/generated/delete-groups-response.js';
import { defineHandler } from './handler.js';

export const deleteGroupsHandler = defineHandler({
  apiKey: ApiKey.DeleteGroups,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, { broker }) {
    const response = defaultDeleteGroupsResponse();
    response.results = (await broker.groups.deleteGroups(request.groupsNames)).map((result) => ({
      groupId: result.groupId,
      errorCode: result.errorCode,
    }));
    return response;
  },
});
