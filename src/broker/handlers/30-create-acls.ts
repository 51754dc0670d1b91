// CreateAcls (key 30), v0-3: adds ACLs, each accepted or refused on its own (INVALID_REQUEST says why).
// v1 adds pattern types (KIP-290; v0 creates LITERAL ACLs), v2 is flexible, v3 the USER resource type.
// Answered once the ACLs are durable in the ACL topic. Needs ALTER on the cluster; without an
// authorizer every creation answers SECURITY_DISABLED, as in Kafka.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultCreateAclsResponse } from '../../protocol/generated/create-acls-response.js';
import type { AclBinding } from '../security/acl.js';
import { invalidBinding } from '../security/acl-validation.js';
import { defineHandler } from './handler.js';
import { AclOperation, canCluster } from './access.js';

export const createAclsHandler = defineHandler({
  apiKey: ApiKey.CreateAcls,
  minVersion: 0,
  maxVersion: 3,
  async handle(request, context) {
    const response = defaultCreateAclsResponse();
    const { acls } = context.broker;
    const refuseAll = (errorCode: number, errorMessage: string) => {
      response.results = request.creations.map(() => ({ errorCode, errorMessage }));
      return response;
    };
    if (acls === null)
      return refuseAll(
        ErrorCode.SECURITY_DISABLED,
        'no authorizer is configured on the broker (--authorizer)',
      );
    if (!canCluster(context, AclOperation.ALTER))
      return refuseAll(
        ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
        `${context.connection.principal} may not ALTER the cluster, which creating ACLs needs`,
      );
    const accepted: AclBinding[] = [];
    response.results = request.creations.map((creation) => {
      const binding: AclBinding = {
        pattern: {
          resourceType: creation.resourceType,
          name: creation.resourceName,
          patternType: creation.resourcePatternType,
        },
        entry: {
          principal: creation.principal,
          host: creation.host,
          operation: creation.operation,
          permission: creation.permissionType,
        },
      };
      const invalid = invalidBinding(binding);
      if (invalid !== null) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: invalid };
      accepted.push(binding);
      return { errorCode: ErrorCode.NONE, errorMessage: null };
    });
    await acls.create(accepted);
    return response;
  },
});
