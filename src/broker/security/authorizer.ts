// Decides whether a principal, connected from a host, may perform an operation on a resource, with the
// semantics of Kafka's ACL authorizer:
// - a super user may do everything;
// - a resource no ACL applies to is open only when allow.everyone.if.no.acl.found is set;
// - a DENY applying to the principal (or User:*), the host (or *) and the operation (or ALL) wins;
// - otherwise an ALLOW of the operation, of ALL, or of an operation implying it (READ implies DESCRIBE...)
//   grants it.
// An authorizer that is not enabled allows everything: Venice runs without one unless configured.
import {
  AclOperation,
  CLUSTER_RESOURCE_NAME,
  grantingOperations,
  PatternType,
  PermissionType,
  ResourceType,
  SUPPORTED_OPERATIONS,
  WILDCARD_HOST,
  WILDCARD_PRINCIPAL,
  WILDCARD_RESOURCE,
  type AccessControlEntry,
} from './acl.js';
import type { AclSet } from './acl-set.js';

export interface AuthorizerSettings {
  /** authorizer.class.name set: ACLs are enforced. */
  readonly enabled: boolean;
  /** super.users: principals that bypass every ACL (Venice's own services' principal among them). */
  readonly superUsers: readonly string[];
  /** allow.everyone.if.no.acl.found: a resource no ACL applies to is open to all (Kafka's default: false). */
  readonly allowEveryoneIfNoAclFound: boolean;
}

/** Who asks: a connection's principal and address (ConnectionInfo fits). */
export interface Requester {
  readonly principal: string;
  readonly remoteAddress: string;
}

export const AUTHORIZER_DISABLED: AuthorizerSettings = {
  enabled: false,
  superUsers: [],
  allowEveryoneIfNoAclFound: false,
};

/** Node reports IPv4 clients of a dual-stack socket as ::ffff:a.b.c.d; ACLs name them a.b.c.d. */
export function normalizeHost(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export class Authorizer {
  private readonly superUsers: ReadonlySet<string>;

  constructor(
    private readonly settings: AuthorizerSettings,
    private readonly acls: AclSet,
  ) {
    this.superUsers = new Set(settings.superUsers);
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  isSuperUser(principal: string): boolean {
    return !this.settings.enabled || this.superUsers.has(principal);
  }

  authorize(requester: Requester, operation: number, resourceType: number, name: string): boolean {
    if (this.isSuperUser(requester.principal)) return true;
    const host = normalizeHost(requester.remoteAddress);
    const granting = grantingOperations(operation);
    let anyAcl = false;
    let allowed = false;
    for (const entry of this.acls.applying(resourceType, name, WILDCARD_RESOURCE)) {
      anyAcl = true;
      if (!appliesTo(entry, requester.principal, host)) continue;
      if (entry.permission === PermissionType.DENY) {
        if (entry.operation === operation || entry.operation === AclOperation.ALL) return false;
      } else if (granting.includes(entry.operation)) {
        allowed = true;
      }
    }
    return anyAcl ? allowed : this.settings.allowEveryoneIfNoAclFound;
  }

  authorizeCluster(requester: Requester, operation: number): boolean {
    return this.authorize(requester, operation, ResourceType.CLUSTER, CLUSTER_RESOURCE_NAME);
  }

  /**
   * Whether the principal may perform the operation on at least one resource of the type (Kafka's
   * authorizeByResourceType, which lets an idempotent producer with WRITE on some topic get a producer
   * id): some ALLOW (no implication) that no DENY of the same or a wider pattern cancels.
   */
  authorizeByResourceType(requester: Requester, operation: number, resourceType: number): boolean {
    // A name no ACL is likely to name: super users, and an ACL-less type with allow-everyone, pass here.
    if (this.authorize(requester, operation, resourceType, '\0no ACL names this\0')) return true;
    const host = normalizeHost(requester.remoteAddress);
    const allows: { name: string; patternType: number }[] = [];
    const deniedLiterals = new Set<string>();
    const deniedPrefixes: string[] = [];
    for (const { pattern, entry } of this.acls.bindings()) {
      if (pattern.resourceType !== resourceType || !appliesTo(entry, requester.principal, host)) continue;
      if (entry.operation !== operation && entry.operation !== AclOperation.ALL) continue;
      if (entry.permission === PermissionType.ALLOW) allows.push(pattern);
      else if (pattern.patternType === PatternType.PREFIXED) deniedPrefixes.push(pattern.name);
      else deniedLiterals.add(pattern.name);
    }
    if (deniedLiterals.has(WILDCARD_RESOURCE)) return false;
    const prefixDenied = (name: string) => deniedPrefixes.some((prefix) => name.startsWith(prefix));
    return allows.some(({ name, patternType }) =>
      patternType === PatternType.PREFIXED
        ? !prefixDenied(name)
        : !prefixDenied(name) && (name === WILDCARD_RESOURCE || !deniedLiterals.has(name)),
    );
  }

  /** The operations the resource type supports that the requester may perform, as KIP-430's bit set. */
  authorizedOperations(requester: Requester, resourceType: number, name: string): number {
    let bits = 0;
    for (const operation of SUPPORTED_OPERATIONS[resourceType] ?? []) {
      if (this.authorize(requester, operation, resourceType, name)) bits |= 1 << operation;
    }
    return bits;
  }
}

function appliesTo(entry: AccessControlEntry, principal: string, host: string): boolean {
  return (
    (entry.principal === principal || entry.principal === WILDCARD_PRINCIPAL) &&
    (entry.host === host || entry.host === WILDCARD_HOST)
  );
}
