// ACL creation, filters (ANY, MATCH, LITERAL, PREFIXED) and deletion, over an in-memory record store, and
// the ACL topic's record format read back.
import { describe, expect, it } from 'vitest';
import {
  AclOperation,
  PatternType,
  PermissionType,
  ResourceType,
  type AccessControlEntry,
  type AclBinding,
  type AclBindingFilter,
  type ResourcePattern,
} from '../../../src/broker/security/acl.js';
import { AclSet } from '../../../src/broker/security/acl-set.js';
import { AclStore } from '../../../src/broker/security/acl-store.js';
import {
  decodeAclKey,
  decodeAclValue,
  encodeAclKey,
  encodeAclValue,
} from '../../../src/broker/security/acl-topic.js';
import { invalidBinding } from '../../../src/broker/security/acl-validation.js';

const entry: AccessControlEntry = {
  principal: 'User:alice',
  host: '*',
  operation: AclOperation.READ,
  permission: PermissionType.ALLOW,
};
const topic = (name: string, patternType: number = PatternType.LITERAL): ResourcePattern => ({
  resourceType: ResourceType.TOPIC,
  name,
  patternType,
});
const ANY: AclBindingFilter = {
  resourceType: ResourceType.ANY,
  name: null,
  patternType: PatternType.ANY,
  principal: null,
  host: null,
  operation: AclOperation.ANY,
  permission: PermissionType.ANY,
};

function store() {
  const written = new Map<string, AccessControlEntry[]>();
  const acls = new AclStore(new AclSet(), {
    write: async (pattern, entries) => {
      written.set(pattern.name + '/' + pattern.patternType, [...entries]);
    },
  });
  return { acls, written };
}

describe('ACL store', () => {
  it('creates, matches filters as Kafka does, and deletes what a filter matches', async () => {
    const { acls, written } = store();
    const bindings: AclBinding[] = [
      { pattern: topic('orders'), entry },
      { pattern: topic('*'), entry },
      { pattern: topic('ord', PatternType.PREFIXED), entry },
      { pattern: topic('payments'), entry },
    ];
    await acls.create(bindings);
    await acls.create([bindings[0]]); // again: no duplicate
    expect(acls.describe(ANY)).toHaveLength(4);
    const names = (filter: Partial<AclBindingFilter>) =>
      acls
        .describe({ ...ANY, ...filter })
        .map((binding) => binding.pattern.name)
        .sort();
    expect(names({ name: 'orders', patternType: PatternType.MATCH })).toEqual(['*', 'ord', 'orders']);
    expect(names({ name: 'orders', patternType: PatternType.ANY })).toEqual(['orders']);
    expect(names({ name: 'ord', patternType: PatternType.PREFIXED })).toEqual(['ord']);
    expect(names({ patternType: PatternType.LITERAL })).toEqual(['*', 'orders', 'payments']);
    expect(names({ principal: 'User:bob' })).toEqual([]);

    const [removed] = await acls.delete([{ ...ANY, name: 'orders', patternType: PatternType.MATCH }]);
    expect(removed.map((binding) => binding.pattern.name).sort()).toEqual(['*', 'ord', 'orders']);
    expect(names({})).toEqual(['payments']);
    // The emptied patterns were written as empty (tombstones in the topic).
    expect(written.get('orders/3')).toEqual([]);
  });

  it('round-trips the ACL topic records, an emptied pattern as a tombstone', () => {
    const pattern = topic('sales-', PatternType.PREFIXED);
    expect(decodeAclKey(encodeAclKey(pattern))).toEqual(pattern);
    expect(decodeAclValue(encodeAclValue([entry]))).toEqual([entry]);
    expect(encodeAclValue([])).toBeNull();
  });

  it('refuses ACLs Kafka refuses, saying why', () => {
    const bad = (pattern: ResourcePattern, changes: Partial<AccessControlEntry> = {}) =>
      invalidBinding({ pattern, entry: { ...entry, ...changes } });
    expect(bad(topic('orders'))).toBeNull();
    expect(bad({ resourceType: ResourceType.CLUSTER, name: 'x', patternType: PatternType.LITERAL })).toMatch(
      /kafka-cluster/,
    );
    expect(bad(topic('orders', PatternType.MATCH))).toMatch(/LITERAL or PREFIXED/);
    expect(bad(topic('orders'), { principal: 'alice' })).toMatch(/Type:name/);
    expect(bad(topic('orders'), { operation: AclOperation.IDEMPOTENT_WRITE })).toMatch(/does not apply/);
    expect(bad(topic('orders'), { permission: PermissionType.ANY })).toMatch(/ALLOW or DENY/);
  });
});
