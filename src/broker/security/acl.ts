// The ACL model, with Kafka's wire codes (org.apache.kafka.common.acl / resource): an ACL binds a resource
// pattern (what) to an access control entry (who, from where, which operation, allow or deny).

/** Resource types; ANY only appears in filters. */
export const ResourceType = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
  USER: 7,
} as const;
export type ResourceTypeCode = (typeof ResourceType)[keyof typeof ResourceType];

/** Pattern types; ANY and MATCH only appear in filters. */
export const PatternType = {
  UNKNOWN: 0,
  ANY: 1,
  MATCH: 2,
  LITERAL: 3,
  PREFIXED: 4,
} as const;
export type PatternTypeCode = (typeof PatternType)[keyof typeof PatternType];

export const AclOperation = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
} as const;
export type AclOperationCode = (typeof AclOperation)[keyof typeof AclOperation];

export const PermissionType = {
  UNKNOWN: 0,
  ANY: 1,
  DENY: 2,
  ALLOW: 3,
} as const;
export type PermissionTypeCode = (typeof PermissionType)[keyof typeof PermissionType];

/** The one name the cluster resource has. */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';
/** A literal resource name matching every resource of its type. */
export const WILDCARD_RESOURCE = '*';
/** A principal matching every user. */
export const WILDCARD_PRINCIPAL = 'User:*';
/** A host matching every host. */
export const WILDCARD_HOST = '*';

export interface ResourcePattern {
  readonly resourceType: number;
  readonly name: string;
  /** LITERAL or PREFIXED. */
  readonly patternType: number;
}

export interface AccessControlEntry {
  readonly principal: string;
  readonly host: string;
  readonly operation: number;
  readonly permission: number;
}

export interface AclBinding {
  readonly pattern: ResourcePattern;
  readonly entry: AccessControlEntry;
}

/** A filter over bindings, as DescribeAcls and DeleteAcls send it: null and ANY match everything. */
export interface AclBindingFilter {
  readonly resourceType: number;
  readonly name: string | null;
  readonly patternType: number;
  readonly principal: string | null;
  readonly host: string | null;
  readonly operation: number;
  readonly permission: number;
}

/**
 * Kafka's names of one table's codes, both ways: code to name for the CLI, the docs and error messages,
 * name to code for the stored ACLs (acl-topic.ts).
 */
export class CodeNames {
  private readonly names: ReadonlyMap<number, string>;

  constructor(
    private readonly codes: Readonly<Record<string, number>>,
    /** What a code is ("resource type"), for errors. */
    private readonly what: string,
  ) {
    this.names = new Map(Object.entries(codes).map(([name, code]) => [code, name]));
  }

  name(code: number): string {
    return this.names.get(code) ?? `UNKNOWN(${code})`;
  }

  has(code: number): boolean {
    return this.names.has(code);
  }

  /** The code of a name; throws for a name the table does not have. */
  code(name: string): number {
    const code = Object.hasOwn(this.codes, name) ? this.codes[name] : undefined;
    if (code === undefined) throw new Error(`unknown ${this.what} ${name}`);
    return code;
  }
}

export const RESOURCE_TYPE_NAMES = new CodeNames(ResourceType, 'resource type');
export const PATTERN_TYPE_NAMES = new CodeNames(PatternType, 'pattern type');
export const OPERATION_NAMES = new CodeNames(AclOperation, 'operation');
export const PERMISSION_NAMES = new CodeNames(PermissionType, 'permission');

/** The operations each resource type supports (Kafka's list), for describes' authorized operations. */
export const SUPPORTED_OPERATIONS: Readonly<Record<number, readonly number[]>> = {
  [ResourceType.TOPIC]: [
    AclOperation.READ,
    AclOperation.WRITE,
    AclOperation.CREATE,
    AclOperation.DESCRIBE,
    AclOperation.DELETE,
    AclOperation.ALTER,
    AclOperation.DESCRIBE_CONFIGS,
    AclOperation.ALTER_CONFIGS,
  ],
  [ResourceType.GROUP]: [AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE],
  [ResourceType.CLUSTER]: [
    AclOperation.CREATE,
    AclOperation.CLUSTER_ACTION,
    AclOperation.DESCRIBE_CONFIGS,
    AclOperation.ALTER_CONFIGS,
    AclOperation.IDEMPOTENT_WRITE,
    AclOperation.ALTER,
    AclOperation.DESCRIBE,
  ],
  [ResourceType.TRANSACTIONAL_ID]: [AclOperation.DESCRIBE, AclOperation.WRITE],
  [ResourceType.DELEGATION_TOKEN]: [AclOperation.DESCRIBE],
  [ResourceType.USER]: [AclOperation.CREATE_TOKENS, AclOperation.DESCRIBE_TOKENS],
};

/**
 * Operations an ALLOW of another operation grants too: whoever may read, write, delete or alter a
 * resource may describe it, and whoever may alter configs may describe them. A DENY implies nothing.
 */
export function grantingOperations(operation: number): readonly number[] {
  if (operation === AclOperation.DESCRIBE)
    return [
      AclOperation.DESCRIBE,
      AclOperation.READ,
      AclOperation.WRITE,
      AclOperation.DELETE,
      AclOperation.ALTER,
      AclOperation.ALL,
    ];
  if (operation === AclOperation.DESCRIBE_CONFIGS)
    return [AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.ALL];
  return [operation, AclOperation.ALL];
}
