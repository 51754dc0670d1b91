// The ACLs the broker keeps: created and deleted through the Kafka protocol, written to the ACL topic
// before the answer, read back at start. The authorizer reads the same AclSet.
import type { AccessControlEntry, AclBinding, AclBindingFilter, ResourcePattern } from './acl.js';
import { bindingMatches } from './acl-filter.js';
import { AclSet, patternKey } from './acl-set.js';

/** Where a pattern's entries are kept durably: the ACL topic, or memory in tests. */
export interface AclRecordStore {
  /** Stores every entry of one pattern (none: the pattern is gone); resolves once durable. */
  write(pattern: ResourcePattern, entries: readonly AccessControlEntry[]): Promise<void>;
}

export class AclStore {
  constructor(
    readonly acls: AclSet,
    private readonly records: AclRecordStore,
  ) {}

  /** Adds the bindings (already there is fine, as in Kafka) and resolves once they are durable. */
  async create(bindings: readonly AclBinding[]): Promise<void> {
    const touched = new Map<string, ResourcePattern>();
    for (const binding of bindings) {
      if (this.acls.add(binding)) touched.set(patternKey(binding.pattern), binding.pattern);
    }
    await this.persist(touched);
  }

  describe(filter: AclBindingFilter): AclBinding[] {
    return [...this.acls.bindings()].filter((binding) => bindingMatches(filter, binding));
  }

  /** Removes what each filter matches; returns, per filter, the bindings it removed. */
  async delete(filters: readonly AclBindingFilter[]): Promise<AclBinding[][]> {
    const touched = new Map<string, ResourcePattern>();
    const removed = filters.map((filter) => {
      const matching = this.describe(filter);
      for (const binding of matching) {
        this.acls.remove(binding);
        touched.set(patternKey(binding.pattern), binding.pattern);
      }
      return matching;
    });
    await this.persist(touched);
    return removed;
  }

  private async persist(touched: ReadonlyMap<string, ResourcePattern>): Promise<void> {
    // Each write carries the pattern's whole entry set as it is now, so the latest record per key wins.
    await Promise.all(
      [...touched.values()].map((pattern) => this.records.write(pattern, this.acls.entriesOf(pattern))),
    );
  }
}
