// The compacted __venice_acls topic: one record per resource pattern, keyed by the pattern, whose value
// lists every entry of that pattern (a tombstone once none is left), so compaction keeps exactly the ACLs
// in force. JSON with Kafka's names, readable with `venice consume __venice_acls`.
import type { LogManager } from '../log/log-manager.js';
import { appendInternalRecords, replayDataRecords, replayEach } from '../log/internal-topic.js';
import {
  OPERATION_NAMES,
  PATTERN_TYPE_NAMES,
  PERMISSION_NAMES,
  RESOURCE_TYPE_NAMES,
  type AccessControlEntry,
  type ResourcePattern,
} from './acl.js';
import type { AclRecordStore } from './acl-store.js';
import type { AclSet } from './acl-set.js';

export const ACL_TOPIC = '__venice_acls';

interface StoredKey {
  resourceType: string;
  patternType: string;
  name: string;
}

interface StoredValue {
  version: 1;
  acls: { principal: string; host: string; operation: string; permission: string }[];
}

export function encodeAclKey(pattern: ResourcePattern): Buffer {
  const key: StoredKey = {
    resourceType: RESOURCE_TYPE_NAMES.name(pattern.resourceType),
    patternType: PATTERN_TYPE_NAMES.name(pattern.patternType),
    name: pattern.name,
  };
  return Buffer.from(JSON.stringify(key));
}

export function encodeAclValue(entries: readonly AccessControlEntry[]): Buffer | null {
  if (entries.length === 0) return null;
  const value: StoredValue = {
    version: 1,
    acls: entries.map((entry) => ({
      principal: entry.principal,
      host: entry.host,
      operation: OPERATION_NAMES.name(entry.operation),
      permission: PERMISSION_NAMES.name(entry.permission),
    })),
  };
  return Buffer.from(JSON.stringify(value));
}

export function decodeAclKey(key: Buffer): ResourcePattern {
  const stored = JSON.parse(key.toString('utf8')) as StoredKey;
  return {
    resourceType: RESOURCE_TYPE_NAMES.code(stored.resourceType),
    patternType: PATTERN_TYPE_NAMES.code(stored.patternType),
    name: stored.name,
  };
}

export function decodeAclValue(value: Buffer | null): AccessControlEntry[] {
  if (value === null) return [];
  const stored = JSON.parse(value.toString('utf8')) as StoredValue;
  return stored.acls.map((acl) => ({
    principal: acl.principal,
    host: acl.host,
    operation: OPERATION_NAMES.code(acl.operation),
    permission: PERMISSION_NAMES.code(acl.permission),
  }));
}

export interface AclTopic {
  store: AclRecordStore;
  /** Replays the topic into the set, at start; an unreadable record is skipped with a warning. */
  loadInto(acls: AclSet, warn: (message: string) => void): void;
}

export function openAclTopic(logs: LogManager): AclTopic {
  const topic =
    logs.topic(ACL_TOPIC) ??
    logs.createTopic(ACL_TOPIC, 1, { 'cleanup.policy': 'compact', 'segment.bytes': '10485760' });
  if (!topic) throw new Error(`could not create ${ACL_TOPIC}`);
  const log = topic.partitions[0];
  return {
    store: {
      async write(pattern, entries) {
        appendInternalRecords(log, ACL_TOPIC, [
          { key: encodeAclKey(pattern), value: encodeAclValue(entries) },
        ]);
        // An ACL change is answered only once it would survive a crash.
        await log.flush();
      },
    },
    loadInto: (acls, warn) =>
      replayEach(replayDataRecords(log), ACL_TOPIC, warn, (record) =>
        acls.replace(decodeAclKey(record.key), decodeAclValue(record.value)),
      ),
  };
}
