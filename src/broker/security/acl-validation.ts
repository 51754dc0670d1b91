// What makes a new ACL or a filter acceptable, with Kafka's rules; each problem is a sentence the
// client sees as INVALID_REQUEST.
import {
  AclOperation,
  CLUSTER_RESOURCE_NAME,
  OPERATION_NAMES,
  PatternType,
  PermissionType,
  RESOURCE_TYPE_NAMES,
  ResourceType,
  SUPPORTED_OPERATIONS,
  type AclBinding,
  type AclBindingFilter,
} from './acl.js';

const PRINCIPAL_FORM = /^[^:]+:.+$/;

/** Null when the binding may be created, otherwise why not. */
export function invalidBinding(binding: AclBinding): string | null {
  const { pattern, entry } = binding;
  const supported = SUPPORTED_OPERATIONS[pattern.resourceType];
  if (!supported) return `resource type ${RESOURCE_TYPE_NAMES.name(pattern.resourceType)} cannot have ACLs`;
  if (pattern.patternType !== PatternType.LITERAL && pattern.patternType !== PatternType.PREFIXED)
    return 'an ACL needs pattern type LITERAL or PREFIXED';
  if (pattern.name === '') return 'an ACL needs a resource name';
  if (pattern.resourceType === ResourceType.CLUSTER && pattern.name !== CLUSTER_RESOURCE_NAME)
    return `the only name of the CLUSTER resource is ${CLUSTER_RESOURCE_NAME}`;
  if (!PRINCIPAL_FORM.test(entry.principal))
    return `principal "${entry.principal}" must be written Type:name, e.g. User:alice`;
  if (entry.host === '') return 'an ACL needs a host (* for any)';
  if (entry.operation !== AclOperation.ALL && !supported.includes(entry.operation))
    return (
      `operation ${OPERATION_NAMES.name(entry.operation)} does not apply to ` +
      `${RESOURCE_TYPE_NAMES.name(pattern.resourceType)} resources`
    );
  if (entry.permission !== PermissionType.ALLOW && entry.permission !== PermissionType.DENY)
    return 'an ACL needs permission ALLOW or DENY';
  return null;
}

/** Null when the filter can be applied, otherwise why not (an UNKNOWN code matches nothing sensible). */
export function invalidFilter(filter: AclBindingFilter): string | null {
  if (filter.resourceType === ResourceType.UNKNOWN || !RESOURCE_TYPE_NAMES.has(filter.resourceType))
    return `unknown resource type ${filter.resourceType}`;
  if (filter.patternType === PatternType.UNKNOWN || !(filter.patternType in PATTERN_CODES))
    return `unknown pattern type ${filter.patternType}`;
  if (filter.operation === AclOperation.UNKNOWN || !OPERATION_NAMES.has(filter.operation))
    return `unknown operation ${filter.operation}`;
  if (filter.permission === PermissionType.UNKNOWN || filter.permission > PermissionType.ALLOW)
    return `unknown permission type ${filter.permission}`;
  return null;
}

const PATTERN_CODES: Record<number, true> = {
  [PatternType.ANY]: true,
  [PatternType.MATCH]: true,
  [PatternType.LITERAL]: true,
  [PatternType.PREFIXED]: true,
};
