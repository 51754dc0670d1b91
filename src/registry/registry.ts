// The registry's operations, with Confluent's rules and errors. Reads answer from the state the log
// reader keeps; writes run one at a time, check their preconditions against the state as it is
// after every earlier write, and return only once their record has been read back from the log.
import {
  checkCompatibility,
  COMPATIBILITY_LEVELS,
  InvalidSchemaError,
  parseSchema,
  type CompatibilityLevel,
  type ParsedSchema,
  type ResolvedReference,
  type SchemaReference,
  type SchemaType,
} from '../serdes/index.js';
import {
  compatibilityNotConfigured,
  idDoesNotMatch,
  incompatibleSchema,
  invalidCompatibilityLevel,
  invalidMode,
  invalidSchema,
  invalidSubject,
  modeNotConfigured,
  operationNotPermitted,
  referenceExists,
  schemaNotFound,
  storeError,
  subjectNotFound,
  subjectNotSoftDeleted,
  subjectSoftDeleted,
  versionNotFound,
  versionNotSoftDeleted,
  versionSoftDeleted,
} from './errors.js';
import {
  clearSubjectRecord,
  configRecord,
  deleteSubjectRecord,
  modeRecord,
  schemaRecord,
  type EncodedRecord,
  type RegistryMode,
} from './store/log-records.js';
import type { RegistryState, StoredSchema, SubjectVersion } from './store/state.js';
import { isValidSchemaId, MAX_SCHEMA_ID, nextSchemaId } from './ids.js';
import { MAX_VERSION, parseVersionId, type VersionId } from './versions.js';

/** In the order Confluent lists them at /schemas/types. */
export const SCHEMA_TYPES: readonly SchemaType[] = ['JSON', 'PROTOBUF', 'AVRO'];
export { COMPATIBILITY_LEVELS };
export const MODES: readonly RegistryMode[] = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'];
export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';
const DEFAULT_MODE: RegistryMode = 'READWRITE';
const MAX_REFERENCE_DEPTH = 32;

/** The body of a register, lookup or compatibility request. */
export interface SchemaRequest {
  schema: string;
  schemaType?: string;
  references?: SchemaReference[];
  /** Only in IMPORT mode: the id and version to register the schema under. */
  id?: number;
  version?: number;
}

/** A subject version as Confluent answers it: schemaType and references only when not the default. */
export interface VersionView {
  subject: string;
  version: number;
  id: number;
  schemaType?: SchemaType;
  references?: SchemaReference[];
  schema: string;
}

export interface SchemaView {
  schemaType?: SchemaType;
  references?: SchemaReference[];
  schema: string;
}

export interface CompatibilityAnswer {
  is_compatible: boolean;
  messages?: string[];
}

/** Where writes go: the log, which applies them to the state before the promise resolves. */
export interface RecordWriter {
  write(records: readonly EncodedRecord[]): Promise<void>;
}

interface ParsedEntry {
  /** The stored schema this entry was computed from (an IMPORT may reuse a permanently deleted id). */
  source: StoredSchema;
  parsed: ParsedSchema | null;
  error: string | null;
  identity: string;
}

export class SchemaRegistry {
  #queue: Promise<unknown> = Promise.resolve();
  /** Parsed schemas and their identities by id; a schema's text never changes for its id. */
  readonly #parsed = new Map<number, ParsedEntry>();
  readonly #idByIdentity = new Map<string, number>();

  constructor(
    private readonly state: RegistryState,
    private readonly writer: RecordWriter,
  ) {}

  // ---- subjects and versions -------------------------------------------------------------------

  subjects(options: { deleted?: boolean; prefix?: string } = {}): string[] {
    const names = this.state.subjectNames(options.deleted);
    return options.prefix ? names.filter((name) => name.startsWith(options.prefix ?? '')) : names;
  }

  versions(subject: string, options: { deleted?: boolean; deletedOnly?: boolean } = {}): number[] {
    const all = this.state.versionsOf(subject, options.deleted || options.deletedOnly);
    if (all.length === 0) throw subjectNotFound(subject);
    return all.filter((entry) => !options.deletedOnly || entry.deleted).map((entry) => entry.version);
  }

  getVersion(subject: string, versionText: string, options: { deleted?: boolean } = {}): VersionView {
    return this.#view(this.#findVersion(subject, parseVersionId(versionText), options.deleted ?? false));
  }

  referencedBy(subject: string, versionText: string): number[] {
    const target = this.#findVersion(subject, parseVersionId(versionText), true);
    const ids = new Set<number>();
    for (const stored of this.state.schemas.values()) {
      const refers = stored.references.some(
        (reference) => reference.subject === target.subject && reference.version === target.version,
      );
      if (refers && this.state.usesOf(stored.id).length > 0) ids.add(stored.id);
    }
    return [...ids].sort((left, right) => left - right);
  }

  /** POST /subjects/{subject}: is this schema registered under the subject, and as which version? */
  lookup(subject: string, request: SchemaRequest, options: { deleted?: boolean } = {}): VersionView {
    const versions = this.state.versionsOf(subject, options.deleted);
    if (versions.length === 0) throw subjectNotFound(subject);
    const { identity } = this.#parseRequest(request);
    const match = versions.filter((entry) => this.#entryOf(entry.id).identity === identity).at(-1);
    if (!match) throw schemaNotFound();
    return this.#view(match);
  }

  // ---- schemas by id ---------------------------------------------------------------------------

  schemaById(id: number): SchemaView {
    const stored = this.#stored(id);
    return {
      ...(stored.schemaType === 'AVRO' ? {} : { schemaType: stored.schemaType }),
      ...(stored.references.length > 0 ? { references: stored.references } : {}),
      schema: stored.schema,
    };
  }

  versionsOfId(id: number, options: { deleted?: boolean } = {}): { subject: string; version: number }[] {
    this.#stored(id);
    return this.state
      .usesOf(id, options.deleted)
      .map((entry) => ({ subject: entry.subject, version: entry.version }));
  }

  subjectsOfId(id: number, options: { deleted?: boolean } = {}): string[] {
    return [...new Set(this.versionsOfId(id, options).map((entry) => entry.subject))];
  }

  get maxId(): number {
    return this.state.maxId;
  }

  // ---- compatibility ---------------------------------------------------------------------------

  checkCompatibility(
    subject: string,
    versionText: string | undefined,
    request: SchemaRequest,
    verbose: boolean,
  ): CompatibilityAnswer {
    const versionId = versionText === undefined ? undefined : parseVersionId(versionText);
    const { parsed } = this.#parseRequest(request);
    const level = this.#compatibilityOf(subject);
    const live = this.state.versionsOf(subject);
    let previous: SubjectVersion[];
    // The serdes checks only the newest of `previous` for non-transitive levels.
    if (versionId === undefined) previous = live;
    else if (versionId === 'latest') previous = live.slice(-1);
    else {
      if (live.length === 0) throw subjectNotFound(subject);
      const entry = this.state.version(subject, versionId);
      if (!entry || entry.deleted) throw versionNotFound(versionId);
      previous = [entry];
    }
    const result = checkCompatibility(
      level,
      parsed,
      previous.map((entry) => this.#parsedOf(entry)),
    );
    return { is_compatible: result.compatible, ...(verbose ? { messages: result.messages } : {}) };
  }

  // ---- config and mode -------------------------------------------------------------------------

  getConfig(subject: string | null, defaultToGlobal = false): { compatibilityLevel: CompatibilityLevel } {
    if (subject === null) return { compatibilityLevel: this.#compatibilityOf(null) };
    const own = this.state.configs.get(subject);
    if (own) return { compatibilityLevel: own };
    if (!defaultToGlobal) throw compatibilityNotConfigured(subject);
    return { compatibilityLevel: this.#compatibilityOf(null) };
  }

  getMode(subject: string | null, defaultToGlobal = false): { mode: RegistryMode } {
    if (subject === null) return { mode: this.state.modes.get(null) ?? DEFAULT_MODE };
    const own = this.state.modes.get(subject);
    if (own) return { mode: own };
    if (!defaultToGlobal) throw modeNotConfigured(subject);
    return { mode: this.state.modes.get(null) ?? DEFAULT_MODE };
  }

  setConfig(subject: string | null, levelText: unknown): Promise<{ compatibility: CompatibilityLevel }> {
    const level = parseCompatibilityLevel(levelText);
    if (subject !== null) assertSubjectName(subject);
    return this.#serialize(async () => {
      await this.writer.write([configRecord(subject, level)]);
      return { compatibility: level };
    });
  }

  deleteConfig(subject: string | null): Promise<{ compatibilityLevel: CompatibilityLevel }> {
    return this.#serialize(async () => {
      const previous = this.state.configs.get(subject);
      if (subject !== null && !previous) throw subjectNotFound(subject);
      await this.writer.write([configRecord(subject, null)]);
      return { compatibilityLevel: previous ?? DEFAULT_COMPATIBILITY };
    });
  }

  setMode(subject: string | null, modeText: unknown, force = false): Promise<{ mode: RegistryMode }> {
    const mode = parseMode(modeText);
    if (subject !== null) assertSubjectName(subject);
    return this.#serialize(async () => {
      if (mode === 'IMPORT' && !force) {
        const occupied =
          subject === null ? this.state.subjectNames().length > 0 : this.state.versionsOf(subject).length > 0;
        if (occupied)
          throw operationNotPermitted(
            'Cannot import since found existing subjects; set force=true to switch to IMPORT anyway',
          );
      }
      await this.writer.write([modeRecord(subject, mode)]);
      return { mode };
    });
  }

  deleteMode(subject: string | null): Promise<{ mode: RegistryMode }> {
    return this.#serialize(async () => {
      const previous = this.state.modes.get(subject);
      if (subject !== null && !previous) throw subjectNotFound(subject);
      await this.writer.write([modeRecord(subject, null)]);
      return { mode: previous ?? DEFAULT_MODE };
    });
  }

  // ---- writes ----------------------------------------------------------------------------------

  register(subject: string, request: SchemaRequest): Promise<{ id: number }> {
    assertSubjectName(subject);
    return this.#serialize(async () => {
      const mode = this.#modeOf(subject);
      if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE')
        throw operationNotPermitted(`Subject ${subject} is in read-only mode`);
      if ((request.id !== undefined || request.version !== undefined) && mode !== 'IMPORT')
        throw operationNotPermitted(
          `Subject ${subject} is not in import mode; an id or version can only be given in IMPORT mode`,
        );
      if (request.id !== undefined && !isValidSchemaId(request.id))
        throw operationNotPermitted(
          `Invalid id ${request.id}: a schema id is an integer from 1 to ${MAX_SCHEMA_ID} (4 bytes on the wire)`,
        );
      const { parsed, identity, schemaType, references } = this.#parseRequest(request);
      const live = this.state.versionsOf(subject);

      const existing = live.find((entry) => this.#entryOf(entry.id).identity === identity);
      if (existing) {
        if (request.id !== undefined && request.id !== existing.id)
          throw idDoesNotMatch(
            `Schema already registered with id ${existing.id} instead of input id ${request.id}`,
          );
        return { id: existing.id };
      }

      if (mode !== 'IMPORT') {
        const level = this.#compatibilityOf(subject);
        // Only what the level compares against is parsed: all versions when transitive, else the newest.
        const previous = isTransitive(level) ? live : live.slice(-1);
        const result = checkCompatibility(
          level,
          parsed,
          previous.map((entry) => this.#parsedOf(entry)),
        );
        if (!result.compatible) throw incompatibleSchema(subject, result.messages);
      }

      const id = this.#chooseId(request.id, identity);
      const version = this.#chooseVersion(subject, request.version, id);
      const text = this.state.schemas.get(id)?.schema ?? request.schema;
      await this.writer.write([
        schemaRecord(subject, version, {
          subject,
          version,
          id,
          schemaType,
          references,
          schema: text,
          deleted: false,
        }),
      ]);
      return { id };
    });
  }

  deleteVersion(subject: string, versionText: string, permanent: boolean): Promise<number> {
    const versionId = parseVersionId(versionText);
    return this.#serialize(async () => {
      this.#assertWritable(subject);
      const all = this.state.versionsOf(subject, true);
      if (all.length === 0) throw subjectNotFound(subject);
      const entry =
        versionId === 'latest'
          ? (permanent ? all : all.filter((candidate) => !candidate.deleted)).at(-1)
          : this.state.version(subject, versionId);
      if (!entry) throw versionNotFound(versionId);
      if (!permanent && entry.deleted) throw versionSoftDeleted(subject, entry.version);
      if (permanent && !entry.deleted) throw versionNotSoftDeleted(subject, entry.version);
      this.#assertNotReferenced([entry]);
      await this.writer.write([
        schemaRecord(subject, entry.version, permanent ? null : this.#valueOf(entry, true)),
      ]);
      return entry.version;
    });
  }

  deleteSubject(subject: string, permanent: boolean): Promise<number[]> {
    return this.#serialize(async () => {
      this.#assertWritable(subject);
      const all = this.state.versionsOf(subject, true);
      if (all.length === 0) throw subjectNotFound(subject);
      const live = all.filter((entry) => !entry.deleted);
      if (!permanent && live.length === 0) throw subjectSoftDeleted(subject);
      if (permanent && live.length > 0) throw subjectNotSoftDeleted(subject);
      this.#assertNotReferenced(all);
      const records: EncodedRecord[] = [];
      if (permanent) {
        for (const entry of all) records.push(schemaRecord(subject, entry.version, null));
        records.push(clearSubjectRecord(subject));
        // A subject deleted for good leaves no settings behind.
        if (this.state.configs.has(subject)) records.push(configRecord(subject, null));
        if (this.state.modes.has(subject)) records.push(modeRecord(subject, null));
      } else {
        for (const entry of live)
          records.push(schemaRecord(subject, entry.version, this.#valueOf(entry, true)));
        records.push(deleteSubjectRecord(subject, all[all.length - 1].version));
      }
      await this.writer.write(records);
      return (permanent ? all : live).map((entry) => entry.version);
    });
  }

  // ---- helpers ---------------------------------------------------------------------------------

  #serialize<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #findVersion(subject: string, versionId: VersionId, includeDeleted: boolean): SubjectVersion {
    const versions = this.state.versionsOf(subject, includeDeleted);
    if (versions.length === 0) throw subjectNotFound(subject);
    const entry =
      versionId === 'latest'
        ? versions.at(-1)
        : versions.find((candidate) => candidate.version === versionId);
    if (!entry) throw versionNotFound(versionId);
    return entry;
  }

  #view(entry: SubjectVersion): VersionView {
    const stored = this.#stored(entry.id);
    return {
      subject: entry.subject,
      version: entry.version,
      id: entry.id,
      ...(stored.schemaType === 'AVRO' ? {} : { schemaType: stored.schemaType }),
      ...(stored.references.length > 0 ? { references: stored.references } : {}),
      schema: stored.schema,
    };
  }

  #valueOf(entry: SubjectVersion, deleted: boolean) {
    const stored = this.#stored(entry.id);
    return {
      subject: entry.subject,
      version: entry.version,
      id: entry.id,
      schemaType: stored.schemaType,
      references: stored.references,
      schema: stored.schema,
      deleted,
    };
  }

  #stored(id: number): StoredSchema {
    const stored = this.state.schemas.get(id);
    if (!stored) throw schemaNotFound(id);
    return stored;
  }

  #compatibilityOf(subject: string | null): CompatibilityLevel {
    return (
      (subject !== null ? this.state.configs.get(subject) : undefined) ??
      this.state.configs.get(null) ??
      DEFAULT_COMPATIBILITY
    );
  }

  #modeOf(subject: string): RegistryMode {
    return this.state.modes.get(subject) ?? this.state.modes.get(null) ?? DEFAULT_MODE;
  }

  #assertWritable(subject: string): void {
    const mode = this.#modeOf(subject);
    if (mode === 'READONLY' || mode === 'READONLY_OVERRIDE')
      throw operationNotPermitted(`Subject ${subject} is in read-only mode`);
  }

  /** Refuses to delete versions that a live schema of another version still references. */
  #assertNotReferenced(targets: readonly SubjectVersion[]): void {
    for (const target of targets) {
      for (const stored of this.state.schemas.values()) {
        const refers = stored.references.some(
          (reference) => reference.subject === target.subject && reference.version === target.version,
        );
        if (!refers) continue;
        const users = this.state.usesOf(stored.id).filter((use) => use.subject !== target.subject);
        if (users.length > 0)
          throw referenceExists(
            `One or more references exist to the schema {subject=${target.subject}, version=${target.version}}` +
              ` (used by ${users.map((use) => `${use.subject} version ${use.version}`).join(', ')})`,
          );
      }
    }
  }

  #chooseId(requested: number | undefined, identity: string): number {
    if (requested === undefined)
      return (
        this.#idForIdentity(identity) ?? nextSchemaId(this.state.maxId, (id) => this.state.schemas.has(id))
      );
    if (this.state.schemas.has(requested) && this.#entryOf(requested).identity !== identity)
      throw operationNotPermitted(`Overwrite new schema with id ${requested} is not permitted.`);
    return requested;
  }

  #chooseVersion(subject: string, requested: number | undefined, id: number): number {
    const all = this.state.versionsOf(subject, true);
    if (requested === undefined) return (all.at(-1)?.version ?? 0) + 1;
    if (!Number.isInteger(requested) || requested < 1 || requested > MAX_VERSION)
      throw operationNotPermitted(
        `Invalid version ${requested}: a version is an integer from 1 to ${MAX_VERSION}`,
      );
    const taken = this.state.version(subject, requested);
    if (taken && taken.id !== id)
      throw operationNotPermitted(
        `Overwrite new schema with version ${requested} of subject ${subject} is not permitted.`,
      );
    return requested;
  }

  #parseRequest(request: SchemaRequest): {
    parsed: ParsedSchema;
    identity: string;
    schemaType: SchemaType;
    references: SchemaReference[];
  } {
    const schemaType = parseSchemaType(request.schemaType);
    const references = (request.references ?? []).map((reference) => ({
      name: reference.name,
      subject: reference.subject,
      version: reference.version === -1 ? this.#latestVersionOf(reference.subject) : reference.version,
    }));
    if (typeof request.schema !== 'string' || request.schema.trim() === '')
      throw invalidSchema('the schema is empty');
    let parsed: ParsedSchema;
    try {
      parsed = parseSchema(schemaType, request.schema, this.#resolve(references, 0));
    } catch (error) {
      if (error instanceof InvalidSchemaError) throw invalidSchema(error.message);
      throw error;
    }
    return { parsed, identity: identityOf(schemaType, parsed.canonical, references), schemaType, references };
  }

  #latestVersionOf(subject: string): number {
    const latest = this.state.versionsOf(subject).at(-1);
    if (!latest) throw invalidSchema(`a reference names subject ${subject}, which has no versions`);
    return latest.version;
  }

  #resolve(references: readonly SchemaReference[], depth: number): ResolvedReference[] {
    if (depth > MAX_REFERENCE_DEPTH) throw invalidSchema('schema references nest too deeply (a cycle?)');
    return references.map((reference) => {
      const entry = this.state.version(reference.subject, reference.version);
      const stored = entry && this.state.schemas.get(entry.id);
      if (!stored)
        throw invalidSchema(
          `reference ${reference.name} names subject ${reference.subject} version ${reference.version}, which does not exist`,
        );
      return {
        name: reference.name,
        schemaType: stored.schemaType,
        schema: stored.schema,
        references: this.#resolve(stored.references, depth + 1),
      };
    });
  }

  /** The parsed form and identity of a stored schema, computed once per id. */
  #entryOf(id: number): ParsedEntry {
    const stored = this.#stored(id);
    const cached = this.#parsed.get(id);
    if (cached && cached.source === stored) return cached;
    let entry: ParsedEntry;
    try {
      const parsed = parseSchema(stored.schemaType, stored.schema, this.#resolve(stored.references, 0));
      entry = {
        source: stored,
        parsed,
        error: null,
        identity: identityOf(stored.schemaType, parsed.canonical, stored.references),
      };
    } catch (error) {
      // A record another tool wrote that this registry cannot parse: it still has its own identity.
      const message = error instanceof Error ? error.message : String(error);
      entry = {
        source: stored,
        parsed: null,
        error: message,
        identity: `unparsed\n${stored.schemaType}\n${stored.schema}`,
      };
    }
    this.#parsed.set(id, entry);
    return entry;
  }

  #parsedOf(version: SubjectVersion): ParsedSchema {
    const entry = this.#entryOf(version.id);
    if (!entry.parsed)
      throw storeError(
        `Version ${version.version} of subject ${version.subject} (id ${version.id}) cannot be parsed: ${entry.error}`,
      );
    return entry.parsed;
  }

  /** The id already given to a schema with this identity, in any subject, deleted versions included. */
  #idForIdentity(identity: string): number | undefined {
    const known = this.#idByIdentity.get(identity);
    if (known !== undefined && this.state.schemas.has(known)) return known;
    for (const id of this.state.schemas.keys()) {
      const entryIdentity = this.#entryOf(id).identity;
      if (!this.#idByIdentity.has(entryIdentity)) this.#idByIdentity.set(entryIdentity, id);
    }
    for (const [key, id] of this.#idByIdentity)
      if (!this.state.schemas.has(id)) this.#idByIdentity.delete(key);
    const found = this.#idByIdentity.get(identity);
    return found !== undefined && this.state.schemas.has(found) ? found : undefined;
  }
}

function identityOf(
  schemaType: SchemaType,
  canonical: string,
  references: readonly SchemaReference[],
): string {
  const refs = references.map((reference) => [reference.name, reference.subject, reference.version]);
  return `${schemaType}\n${canonical}\n${JSON.stringify(refs)}`;
}

function isTransitive(level: CompatibilityLevel): boolean {
  return level.endsWith('_TRANSITIVE');
}

function parseSchemaType(text: string | undefined): SchemaType {
  if (text === undefined || text === null || text === '') return 'AVRO';
  const upper = text.toUpperCase();
  if (!(SCHEMA_TYPES as readonly string[]).includes(upper))
    throw invalidSchema(`unknown schema type ${JSON.stringify(text)}; use one of ${SCHEMA_TYPES.join(', ')}`);
  return upper as SchemaType;
}

export function parseCompatibilityLevel(text: unknown): CompatibilityLevel {
  const upper = typeof text === 'string' ? text.toUpperCase() : '';
  if (!(COMPATIBILITY_LEVELS as readonly string[]).includes(upper)) throw invalidCompatibilityLevel();
  return upper as CompatibilityLevel;
}

function parseMode(text: unknown): RegistryMode {
  const upper = typeof text === 'string' ? text.toUpperCase() : '';
  if (!(MODES as readonly string[]).includes(upper)) throw invalidMode();
  return upper as RegistryMode;
}

function assertSubjectName(subject: string): void {
  // eslint-disable-next-line no-control-regex
  if (subject.length === 0 || /[\u0000-\u001f\u007f]/.test(subject)) throw invalidSubject(subject);
}
