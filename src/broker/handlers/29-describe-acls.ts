// DescribeAcls (key 29), v0-3: the ACLs a filter matches (see security/acl-filter.ts for ANY and MATCH).
// v1 adds pattern types (KIP-290: v0 sees LITERAL ACLs only), v2 is flexible, v3 adds the USER resource
// type. Needs DESCRIBE on the cluster; without an authorizer the answer is SECURITY_DISABLED, as in Kafka.
import { ErrorCode } from '../../protocol/error-codes.js';
import { ApiKey } from '../../protocol/generated/apis.js';
import { defaultDescribeAclsResponse } from '../../protocol/generated/describe-acls-response.js';
import { invalidFilter } from '../security/acl-validation.js';
import { defineHandler } from './handler.js';
import { AclOperation, canCluster } from './access.js';
import { filterFromWire, groupByPattern } from './acl-bindings.js';

export const describeAclsHandler = defineHandler({
  apiKey: ApiKey.DescribeAcls,
  minVersion: 0,
  maxVersion: 3,
  handle(request, context) {
    const response = defaultDescribeAclsResponse();
    const refuse = (errorCode: number, errorMessage: string) => {
      response.errorCode = errorCode;
      response.errorMessage = errorMessage;
      return response;
    };
    const { acls } = context.broker;
    if (acls === null)
      return refuse(ErrorCode.SECURITY_DISABLED, 'no authorizer is configured on the broker (--authorizer)');
    if (!canCluster(context, AclOperation.DESCRIBE))
      return refuse(
        ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
        `${context.connection.principal} may not DESCRIBE the cluster, which listing ACLs needs`,
      );
    const filter = filterFromWire(request);
    const invalid = invalidFilter(filter);
    if (invalid !== null) return refuse(ErrorCode.INVALID_REQUEST, invalid);
    response.errorCode = ErrorCode.NONE;
    response.resources = groupByPattern(acls.describe(filter)).map(({ pattern, entries }) => ({
      resourceType: pattern.resourceType,
      resourceName: pattern.name,
      patternType: pattern.patternType,
      acls: entries.map((entry) => ({
        principal: entry.principal,
        host: entry.host,
        operation: entry.operation,
        permissionType: entry.permission,
      })),
    }));
    return response;
  },
});
