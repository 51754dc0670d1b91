// The ACLs in force, indexed by resource pattern so that an authorization looks at the literal name, the
// literal wildcard and the prefixes only, not at every ACL.
import { PatternType, type AccessControlEntry, type AclBinding, type ResourcePattern } from './acl.js';

/** One string per pattern, the key of the index and of the ACL topic's records. */
export function patternKey(pattern: ResourcePattern): string {
  return `${pattern.resourceType}:${pattern.patternType}:${pattern.name}`;
}

function entryKey(entry: AccessControlEntry): string {
  return `${entry.principal}\0${entry.host}\0${entry.operation}\0${entry.permission}`;
}

interface PatternAcls {
  pattern: ResourcePattern;
  entries: Map<string, AccessControlEntry>;
}

export class AclSet {
  private readonly byPattern = new Map<string, PatternAcls>();
  /** PREFIXED patterns by resource type: few in practice, scanned for each check. */
  private readonly prefixed = new Map<number, Set<PatternAcls>>();

  get size(): number {
    let count = 0;
    for (const acls of this.byPattern.values()) count += acls.entries.size;
    return count;
  }

  /** True when the binding was not there yet. */
  add(binding: AclBinding): boolean {
    const key = patternKey(binding.pattern);
    let acls = this.byPattern.get(key);
    if (!acls) {
      acls = { pattern: binding.pattern, entries: new Map() };
      this.byPattern.set(key, acls);
      if (binding.pattern.patternType === PatternType.PREFIXED) this.prefixedOf(binding.pattern).add(acls);
    }
    const entry = entryKey(binding.entry);
    if (acls.entries.has(entry)) return false;
    acls.entries.set(entry, binding.entry);
    return true;
  }

  /** True when the binding was there. */
  remove(binding: AclBinding): boolean {
    const key = patternKey(binding.pattern);
    const acls = this.byPattern.get(key);
    if (!acls || !acls.entries.delete(entryKey(binding.entry))) return false;
    if (acls.entries.size === 0) {
      this.byPattern.delete(key);
      this.prefixed.get(binding.pattern.resourceType)?.delete(acls);
    }
    return true;
  }

  /** Replaces every entry of one pattern (loading the ACL topic, where a record holds a pattern's entries). */
  replace(pattern: ResourcePattern, entries: readonly AccessControlEntry[]): void {
    for (const entry of this.entriesOf(pattern)) this.remove({ pattern, entry });
    for (const entry of entries) this.add({ pattern, entry });
  }

  entriesOf(pattern: ResourcePattern): AccessControlEntry[] {
    return [...(this.byPattern.get(patternKey(pattern))?.entries.values() ?? [])];
  }

  /** The entries of every pattern that applies to the named resource. */
  *applying(resourceType: number, name: string, wildcard: string): Iterable<AccessControlEntry> {
    for (const literal of [name, wildcard]) {
      const acls = this.byPattern.get(`${resourceType}:${PatternType.LITERAL}:${literal}`);
      if (acls) yield* acls.entries.values();
      if (name === wildcard) break;
    }
    for (const acls of this.prefixed.get(resourceType) ?? []) {
      if (name.startsWith(acls.pattern.name)) yield* acls.entries.values();
    }
  }

  *bindings(): Iterable<AclBinding> {
    for (const { pattern, entries } of this.byPattern.values())
      for (const entry of entries.values()) yield { pattern, entry };
  }

  private prefixedOf(pattern: ResourcePattern): Set<PatternAcls> {
    let set = this.prefixed.get(pattern.resourceType);
    if (!set) {
      set = new Set();
      this.prefixed.set(pattern.resourceType, set);
    }
    return set;
  }
}
