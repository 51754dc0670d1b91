// The authorizer's decisions, on an in-memory ACL set: Kafka's semantics case by case.
import { describe, expect, it } from 'vitest';
import {
  AclOperation,
  PatternType,
  PermissionType,
  ResourceType,
  type AclBinding,
} from '../../../src/broker/security/acl.js';
import { AclSet } from '../../../src/broker/security/acl-set.js';
import { Authorizer, type AuthorizerSettings } from '../../../src/broker/security/authorizer.js';

const alice = { principal: 'User:alice', remoteAddress: '10.0.0.1' };
const bob = { principal: 'User:bob', remoteAddress: '10.0.0.2' };
const admin = { principal: 'User:admin', remoteAddress: '10.0.0.3' };

function acl(
  name: string,
  operation: number,
  options: { principal?: string; host?: string; deny?: boolean; prefixed?: boolean; type?: number } = {},
): AclBinding {
  return {
    pattern: {
      resourceType: options.type ?? ResourceType.TOPIC,
      name,
      patternType: options.prefixed ? PatternType.PREFIXED : PatternType.LITERAL,
    },
    entry: {
      principal: options.principal ?? 'User:alice',
      host: options.host ?? '*',
      operation,
      permission: options.deny ? PermissionType.DENY : PermissionType.ALLOW,
    },
  };
}

function authorizer(bindings: AclBinding[], settings: Partial<AuthorizerSettings> = {}): Authorizer {
  const set = new AclSet();
  for (const binding of bindings) set.add(binding);
  return new Authorizer(
    { enabled: true, superUsers: ['User:admin'], allowEveryoneIfNoAclFound: false, ...settings },
    set,
  );
}

const can = (auth: Authorizer, who: typeof alice, operation: number, topic: string) =>
  auth.authorize(who, operation, ResourceType.TOPIC, topic);

describe('authorizer', () => {
  it('allows everything when it is not enabled', () => {
    const auth = new Authorizer(
      { enabled: false, superUsers: [], allowEveryoneIfNoAclFound: false },
      new AclSet(),
    );
    expect(can(auth, bob, AclOperation.WRITE, 'orders')).toBe(true);
  });

  it('denies a resource no ACL names, unless allow.everyone.if.no.acl.found', () => {
    expect(can(authorizer([]), alice, AclOperation.READ, 'orders')).toBe(false);
    expect(can(authorizer([], { allowEveryoneIfNoAclFound: true }), alice, AclOperation.READ, 'orders')).toBe(
      true,
    );
    // Once some ACL names the resource, allow-everyone no longer applies to it.
    const named = authorizer([acl('orders', AclOperation.READ)], { allowEveryoneIfNoAclFound: true });
    expect(can(named, bob, AclOperation.READ, 'orders')).toBe(false);
  });

  it('lets super users do everything, even against a DENY', () => {
    const auth = authorizer([acl('orders', AclOperation.ALL, { principal: 'User:admin', deny: true })]);
    expect(can(auth, admin, AclOperation.DELETE, 'orders')).toBe(true);
  });

  it('grants DESCRIBE with READ, WRITE, DELETE or ALTER, and DESCRIBE_CONFIGS with ALTER_CONFIGS', () => {
    for (const operation of [
      AclOperation.READ,
      AclOperation.WRITE,
      AclOperation.DELETE,
      AclOperation.ALTER,
    ]) {
      expect(can(authorizer([acl('orders', operation)]), alice, AclOperation.DESCRIBE, 'orders')).toBe(true);
    }
    const configs = authorizer([acl('orders', AclOperation.ALTER_CONFIGS)]);
    expect(can(configs, alice, AclOperation.DESCRIBE_CONFIGS, 'orders')).toBe(true);
    const read = authorizer([acl('orders', AclOperation.READ)]);
    expect(can(read, alice, AclOperation.WRITE, 'orders')).toBe(false);
    expect(can(read, alice, AclOperation.DESCRIBE_CONFIGS, 'orders')).toBe(false);
  });

  it('lets a DENY win over an ALLOW, and ALL cover every operation', () => {
    const auth = authorizer([
      acl('orders', AclOperation.ALL),
      acl('orders', AclOperation.WRITE, { deny: true }),
    ]);
    expect(can(auth, alice, AclOperation.READ, 'orders')).toBe(true);
    expect(can(auth, alice, AclOperation.WRITE, 'orders')).toBe(false);
    // A DENY of READ does not deny DESCRIBE: implication is for ALLOW only.
    const denyRead = authorizer([
      acl('orders', AclOperation.DESCRIBE),
      acl('orders', AclOperation.READ, { deny: true }),
    ]);
    expect(can(denyRead, alice, AclOperation.DESCRIBE, 'orders')).toBe(true);
  });

  it('matches the wildcard resource, prefixes, the wildcard principal and hosts', () => {
    const auth = authorizer([
      acl('*', AclOperation.DESCRIBE),
      acl('sales-', AclOperation.READ, { prefixed: true }),
      acl('public', AclOperation.READ, { principal: 'User:*' }),
      acl('local', AclOperation.READ, { host: '10.0.0.1' }),
      acl('sales-secret', AclOperation.READ, { deny: true, principal: 'User:*' }),
    ]);
    expect(can(auth, alice, AclOperation.DESCRIBE, 'anything')).toBe(true);
    expect(can(auth, alice, AclOperation.READ, 'sales-eu')).toBe(true);
    expect(can(auth, alice, AclOperation.READ, 'sales')).toBe(false);
    expect(can(auth, alice, AclOperation.READ, 'sales-secret')).toBe(false);
    expect(can(auth, bob, AclOperation.READ, 'public')).toBe(true);
    expect(can(auth, alice, AclOperation.READ, 'local')).toBe(true);
    expect(can(auth, { ...alice, remoteAddress: '10.9.9.9' }, AclOperation.READ, 'local')).toBe(false);
    // Node's dual-stack form of an IPv4 address matches the ACL's IPv4 host.
    expect(can(auth, { ...alice, remoteAddress: '::ffff:10.0.0.1' }, AclOperation.READ, 'local')).toBe(true);
  });

  it('authorizes by resource type as Kafka does for idempotent producers', () => {
    const byType = (auth: Authorizer) =>
      auth.authorizeByResourceType(alice, AclOperation.WRITE, ResourceType.TOPIC);
    expect(byType(authorizer([]))).toBe(false);
    expect(byType(authorizer([acl('orders', AclOperation.WRITE)]))).toBe(true);
    expect(
      byType(
        authorizer([acl('orders', AclOperation.WRITE), acl('orders', AclOperation.WRITE, { deny: true })]),
      ),
    ).toBe(false);
    expect(
      byType(
        authorizer([
          acl('ord', AclOperation.WRITE, { prefixed: true }),
          acl('o', AclOperation.ALL, { prefixed: true, deny: true }),
        ]),
      ),
    ).toBe(false);
    expect(
      byType(authorizer([acl('orders', AclOperation.WRITE), acl('*', AclOperation.WRITE, { deny: true })])),
    ).toBe(false);
    expect(byType(authorizer([acl('orders', AclOperation.READ)]))).toBe(false);
  });

  it('reports the authorized operations of a resource as a bit set', () => {
    const auth = authorizer([acl('orders', AclOperation.READ)]);
    const bits = auth.authorizedOperations(alice, ResourceType.TOPIC, 'orders');
    expect(bits).toBe((1 << AclOperation.READ) | (1 << AclOperation.DESCRIBE));
  });
});
