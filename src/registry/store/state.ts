// What the registry knows, rebuilt by applying the `_schemas` records in log order. Applying is
// plain bookkeeping: parsing schemas and checking rules belong to the registry above it.
import type { CompatibilityLevel, SchemaReference, SchemaType } from '../../serdes/index.js';
import { isValidSchemaId } from '../ids.js';
import type { LogRecord, RegistryMode, SchemaValue } from './log-records.js';

export interface SubjectVersion {
  subject: string;
  version: number;
  id: number;
  deleted: boolean;
}

/** One schema by global id: the text first registered under that id, and where it is used. */
export interface StoredSchema {
  id: number;
  schemaType: SchemaType;
  schema: string;
  references: SchemaReference[];
  /** "subject\0version" of every version using this id, soft-deleted ones included. */
  usedBy: Set<string>;
}

export class RegistryState {
  readonly schemas = new Map<number, StoredSchema>();
  /** Versions of each subject, in ascending version order once sorted by `versionsOf`. */
  readonly #subjects = new Map<string, Map<number, SubjectVersion>>();
  readonly configs = new Map<string | null, CompatibilityLevel>();
  readonly modes = new Map<string | null, RegistryMode>();
  /**
   * The highest valid id ever seen, so a new schema never reuses one. An out-of-range id that an older
   * registry let an IMPORT write is kept readable but does not count here.
   */
  maxId = 0;
  /** Bumped on every change, so caches derived from the state know when to refresh. */
  generation = 0;

  apply(record: LogRecord): void {
    switch (record.kind) {
      case 'schema':
        if (record.value) this.#putVersion(record.value);
        else this.#removeVersion(record.subject, record.version);
        break;
      case 'config':
        if (record.value) this.configs.set(record.subject, record.value.compatibilityLevel);
        else this.configs.delete(record.subject);
        break;
      case 'mode':
        if (record.value) this.modes.set(record.subject, record.value.mode);
        else this.modes.delete(record.subject);
        break;
      case 'delete-subject':
        if (record.value) {
          const upTo = record.value.version;
          for (const entry of this.#subjects.get(record.subject)?.values() ?? [])
            if (entry.version <= upTo) entry.deleted = true;
        }
        break;
      case 'clear-subject':
        if (record.value)
          for (const entry of this.versionsOf(record.subject, true))
            if (entry.deleted) this.#removeVersion(entry.subject, entry.version);
        break;
      case 'noop':
      case 'unknown':
        return;
    }
    this.generation++;
  }

  /** Subject names; with `includeDeleted`, also subjects whose versions are all soft-deleted. */
  subjectNames(includeDeleted = false): string[] {
    const names: string[] = [];
    for (const [subject, versions] of this.#subjects) {
      if (versions.size === 0) continue;
      if (includeDeleted || [...versions.values()].some((entry) => !entry.deleted)) names.push(subject);
    }
    return names.sort();
  }

  versionsOf(subject: string, includeDeleted = false): SubjectVersion[] {
    const versions = [...(this.#subjects.get(subject)?.values() ?? [])];
    return versions
      .filter((entry) => includeDeleted || !entry.deleted)
      .sort((left, right) => left.version - right.version);
  }

  version(subject: string, version: number): SubjectVersion | undefined {
    return this.#subjects.get(subject)?.get(version);
  }

  /** Versions using a schema id, across subjects. */
  usesOf(id: number, includeDeleted = false): SubjectVersion[] {
    const stored = this.schemas.get(id);
    if (!stored) return [];
    const uses: SubjectVersion[] = [];
    for (const slot of stored.usedBy) {
      const [subject, version] = splitSlot(slot);
      const entry = this.version(subject, version);
      if (entry && (includeDeleted || !entry.deleted)) uses.push(entry);
    }
    return uses.sort((left, right) =>
      left.subject === right.subject ? left.version - right.version : left.subject < right.subject ? -1 : 1,
    );
  }

  #putVersion(value: SchemaValue): void {
    let versions = this.#subjects.get(value.subject);
    if (!versions) this.#subjects.set(value.subject, (versions = new Map()));
    const previous = versions.get(value.version);
    if (previous && previous.id !== value.id) this.#release(previous);
    versions.set(value.version, {
      subject: value.subject,
      version: value.version,
      id: value.id,
      deleted: value.deleted,
    });
    let stored = this.schemas.get(value.id);
    if (!stored) {
      stored = {
        id: value.id,
        schemaType: value.schemaType,
        schema: value.schema,
        references: value.references,
        usedBy: new Set(),
      };
      this.schemas.set(value.id, stored);
    }
    stored.usedBy.add(slotOf(value.subject, value.version));
    if (value.id > this.maxId && isValidSchemaId(value.id)) this.maxId = value.id;
  }

  #removeVersion(subject: string, version: number): void {
    const versions = this.#subjects.get(subject);
    const entry = versions?.get(version);
    if (!versions || !entry) return;
    versions.delete(version);
    if (versions.size === 0) this.#subjects.delete(subject);
    this.#release(entry);
  }

  /** Drops a version's claim on its schema id; an id nobody uses any more is gone. */
  #release(entry: SubjectVersion): void {
    const stored = this.schemas.get(entry.id);
    if (!stored) return;
    stored.usedBy.delete(slotOf(entry.subject, entry.version));
    if (stored.usedBy.size === 0) this.schemas.delete(entry.id);
  }
}

function slotOf(subject: string, version: number): string {
  return `${subject}\0${version}`;
}

function splitSlot(slot: string): [string, number] {
  const cut = slot.lastIndexOf('\0');
  return [slot.slice(0, cut), Number(slot.slice(cut + 1))];
}
