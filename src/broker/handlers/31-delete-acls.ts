// DeleteAcls (key 31), v0-3: removes the ACLs each filter matches and lists them (see
// security/acl-filter.ts). v1 adds pattern types (KIP-290; v0 filters LITERAL ACLs), v2 is flexible, v3 the
// USER resource type. Answered once the removal is durable. Needs ALTER on the cluster; without an
// authorizer every filter answers SECURITY_DISABLED, as in Kafka.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultDeleteAclsResponse } from '../../protocol/generated/delete-acls-response.js';
import type { AclBindingFilter } from '../security/acl.js';
import { invalidFilter } from '../security/acl-validation.js';
import { defineHandler } from './handler.js';
import { AclOperation, canCluster } from './access.js';
import { filterFromWire } from './acl-bindings.js';

export const deleteAclsHandler = defineHandler({
  apiKey: ApiKey.DeleteAcls,
  minVersion: 0,
  maxVersion: 3,
  async handle(request, context) {
    const response = defaultDeleteAclsResponse();
    const { acls } = context.broker;
    const refused = (errorCode: number, errorMessage: string) => ({
      errorCode,
      errorMessage,
      matchingAcls: [],
    });
    if (acls === null) {
      const message = 'no authorizer is configured on the broker (--authorizer)';
      response.filterResults = request.filters.map(() => refused(ErrorCode.SECURITY_DISABLED, message));
      return response;
    }
    if (!canCluster(context, AclOperation.ALTER)) {
      const message = `${context.connection.principal} may not ALTER the cluster, which deleting ACLs needs`;
      response.filterResults = request.filters.map(() =>
        refused(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, message),
      );
      return response;
    }
    const filters = request.filters.map(filterFromWire);
    const problems = filters.map(invalidFilter);
    const valid: AclBindingFilter[] = filters.filter((_, index) => problems[index] === null);
    const removed = await acls.delete(valid);
    let next = 0;
    response.filterResults = problems.map((problem) => {
      if (problem !== null) return refused(ErrorCode.INVALID_REQUEST, problem);
      return {
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        matchingAcls: removed[next++].map(({ pattern, entry }) => ({
          errorCode: ErrorCode.NONE,
          errorMessage: null,
          resourceType: pattern.resourceType,
          resourceName: pattern.name,
          patternType: pattern.patternType,
          principal: entry.principal,
          host: entry.host,
          operation: entry.operation,
          permissionType: entry.permission,
        })),
      };
    });
    return response;
  },
});
