// Converts between the ACL APIs' wire shapes and the authorizer's bindings and filters.
import type { AclBinding, AclBindingFilter } from '../security/acl.js';

export interface WireFilter {
  resourceTypeFilter: number;
  resourceNameFilter: string | null;
  patternTypeFilter: number;
  principalFilter: string | null;
  hostFilter: string | null;
  operation: number;
  permissionType: number;
}

export function filterFromWire(wire: WireFilter): AclBindingFilter {
  return {
    resourceType: wire.resourceTypeFilter,
    name: wire.resourceNameFilter,
    patternType: wire.patternTypeFilter,
    principal: wire.principalFilter,
    host: wire.hostFilter,
    operation: wire.operation,
    permission: wire.permissionType,
  };
}

/** DescribeAcls answers bindings grouped by resource pattern, in a stable order. */
export function groupByPattern(bindings: readonly AclBinding[]) {
  const groups = new Map<string, { pattern: AclBinding['pattern']; entries: AclBinding['entry'][] }>();
  for (const { pattern, entry } of bindings) {
    const key = `${pattern.resourceType}\0${pattern.patternType}\0${pattern.name}`;
    let group = groups.get(key);
    if (!group) {
      group = { pattern, entries: [] };
      groups.set(key, group);
    }
    group.entries.push(entry);
  }
  return [...groups.values()].sort(
    (a, b) =>
      a.pattern.resourceType - b.pattern.resourceType ||
      a.pattern.name.localeCompare(b.pattern.name) ||
      a.pattern.patternType - b.pattern.patternType,
  );
}
