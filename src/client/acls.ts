// ACLs through Kafka's admin APIs (CreateAcls, DescribeAcls, DeleteAcls), named the way kafka-acls names
// them: resource types, pattern types, operations and permissions by their Kafka names.
import {
  AclOperations,
  AclPermissionTypes,
  ResourcePatternTypes,
  ResourceTypes,
  type Acl,
  type AclFilter,
} from './library.js';
import type { KafkaConnection } from './connection.js';
import { KafkaClientError } from './errors.js';

/** One ACL, every field named (TOPIC, LITERAL, READ, ALLOW...). */
export interface AclSpec {
  resourceType: string;
  resourceName: string;
  patternType: string;
  principal: string;
  host: string;
  operation: string;
  permission: string;
}

/** A filter: null matches any name, principal or host; ANY (and MATCH for patterns) any type. */
export type AclQuery = {
  [K in keyof AclSpec]: K extends 'resourceName' | 'principal' | 'host' ? string | null : string;
};

function codeOf<T extends Record<string, number>>(codes: T, name: string, what: string): T[keyof T] {
  const code = codes[name.toUpperCase() as keyof T];
  if (code === undefined)
    throw new KafkaClientError(
      'invalid',
      `unknown ${what} "${name}": use one of ${Object.keys(codes)
        .filter((key) => key !== 'UNKNOWN')
        .join(', ')}`,
    );
  return code;
}

function nameOf(codes: Record<string, number>, code: number): string {
  return Object.keys(codes).find((key) => codes[key] === code) ?? String(code);
}

function toWire(spec: AclSpec): Acl {
  return {
    resourceType: codeOf(ResourceTypes, spec.resourceType, 'resource type'),
    resourceName: spec.resourceName,
    resourcePatternType: codeOf(ResourcePatternTypes, spec.patternType, 'pattern type'),
    principal: spec.principal,
    host: spec.host,
    operation: codeOf(AclOperations, spec.operation, 'operation'),
    permissionType: codeOf(AclPermissionTypes, spec.permission, 'permission'),
  };
}

function filterToWire(query: AclQuery): AclFilter {
  return {
    resourceType: codeOf(ResourceTypes, query.resourceType, 'resource type'),
    resourceName: query.resourceName,
    resourcePatternType: codeOf(ResourcePatternTypes, query.patternType, 'pattern type'),
    principal: query.principal,
    host: query.host,
    operation: codeOf(AclOperations, query.operation, 'operation'),
    permissionType: codeOf(AclPermissionTypes, query.permission, 'permission'),
  };
}

function fromWire(acl: Acl): AclSpec {
  return {
    resourceType: nameOf(ResourceTypes, acl.resourceType),
    resourceName: acl.resourceName,
    patternType: nameOf(ResourcePatternTypes, acl.resourcePatternType),
    principal: acl.principal,
    host: acl.host,
    operation: nameOf(AclOperations, acl.operation),
    permission: nameOf(AclPermissionTypes, acl.permissionType),
  };
}

export async function createAcls(kafka: KafkaConnection, acls: readonly AclSpec[]): Promise<void> {
  const creations = acls.map(toWire);
  await kafka.call(undefined, () => kafka.admin.createAcls({ creations }));
}

export async function listAcls(kafka: KafkaConnection, query: AclQuery): Promise<AclSpec[]> {
  const filter = filterToWire(query);
  const resources = await kafka.call(undefined, () => kafka.admin.describeAcls({ filter }));
  return resources.flatMap((resource) => resource.acls.map((entry) => fromWire({ ...resource, ...entry })));
}

/** Deletes what the filters match and returns it. */
export async function deleteAcls(kafka: KafkaConnection, queries: readonly AclQuery[]): Promise<AclSpec[]> {
  const filters = queries.map(filterToWire);
  const deleted = await kafka.call(undefined, () => kafka.admin.deleteAcls({ filters }));
  return deleted.map(fromWire);
}
