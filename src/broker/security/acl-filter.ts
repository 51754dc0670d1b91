// Which bindings a DescribeAcls or DeleteAcls filter selects, with Kafka's rules: ANY pattern type
// compares names exactly whatever the pattern type; MATCH selects every binding that would apply to the
// named resource (the literal name, the literal wildcard, every prefix of it).
import {
  AclOperation,
  PatternType,
  PermissionType,
  ResourceType,
  WILDCARD_RESOURCE,
  type AclBinding,
  type AclBindingFilter,
  type ResourcePattern,
} from './acl.js';

export function patternMatches(filter: AclBindingFilter, pattern: ResourcePattern): boolean {
  if (filter.resourceType !== ResourceType.ANY && filter.resourceType !== pattern.resourceType) return false;
  const anyPattern = filter.patternType === PatternType.ANY || filter.patternType === PatternType.MATCH;
  if (!anyPattern && filter.patternType !== pattern.patternType) return false;
  if (filter.name === null) return true;
  if (filter.patternType !== PatternType.MATCH) return filter.name === pattern.name;
  if (pattern.patternType === PatternType.PREFIXED) return filter.name.startsWith(pattern.name);
  return filter.name === pattern.name || pattern.name === WILDCARD_RESOURCE;
}

export function bindingMatches(filter: AclBindingFilter, binding: AclBinding): boolean {
  const { entry } = binding;
  return (
    patternMatches(filter, binding.pattern) &&
    (filter.principal === null || filter.principal === entry.principal) &&
    (filter.host === null || filter.host === entry.host) &&
    (filter.operation === AclOperation.ANY || filter.operation === entry.operation) &&
    (filter.permission === PermissionType.ANY || filter.permission === entry.permission)
  );
}
