// The few schema-registry calls the runner needs, over the registry's REST API (Confluent's paths).

export interface RegisteredSchema {
  readonly id: number;
  readonly schema: string;
  readonly schemaType: 'AVRO' | 'JSON' | 'PROTOBUF';
  /** The texts of the schemas it references (Protobuf imports), resolved. */
  readonly referenced: readonly string[];
}

const BUILT_IN_PROTOS: Record<string, string> = {
  'confluent/type/decimal.proto':
    'syntax = "proto3";\npackage confluent.type;\nmessage Decimal {\n  bytes value = 1;\n  uint32 precision = 2;\n  int32 scale = 3;\n}\n',
  'confluent/meta.proto':
    'syntax = "proto3";\npackage confluent;\nimport "google/protobuf/descriptor.proto";\nmessage Meta {\n  string doc = 1;\n  map<string, string> params = 2;\n}\nextend google.protobuf.FieldOptions {\n  Meta field_meta = 1088;\n}\n',
};

export interface SchemaReference {
  readonly name: string;
  readonly schema: string;
  readonly schemaType: RegisteredSchema['schemaType'];
}

export interface RegisterOptions {
  /** Register under this id (IMPORT mode), as a case's keySchemaId/valueSchemaId asks. */
  readonly id?: number;
  readonly references?: readonly SchemaReference[];
}

interface StoredSchema {
  readonly schema: string;
  readonly schemaType?: RegisteredSchema['schemaType'];
  readonly references?: readonly ReferenceEntry[];
}

interface ReferenceEntry {
  readonly name: string;
  readonly subject: string;
  readonly version: number;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export class RegistryClient {
  private readonly byId = new Map<number, RegisteredSchema>();

  constructor(readonly url: string) {}

  private async call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'content-type': CONTENT_TYPE },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : null };
  }

  /** Compatibility NONE, so cases that reuse a subject name with another schema can register it. */
  async allowAnySchema(): Promise<void> {
    const { status, json } = await this.call('PUT', '/config', { compatibility: 'NONE' });
    if (status >= 300) throw new Error(`registry refused compatibility NONE: ${JSON.stringify(json)}`);
  }

  async register(
    subject: string,
    schema: string,
    schemaType: RegisteredSchema['schemaType'],
    options: RegisterOptions = {},
  ): Promise<number> {
    const references = [
      ...(schemaType === 'PROTOBUF' ? await this.builtInReferences(schema) : []),
      ...(await this.caseReferences(options.references ?? [])),
    ];
    const body = {
      schema,
      ...(schemaType === 'AVRO' ? {} : { schemaType }),
      ...(references.length > 0 ? { references } : {}),
      ...(options.id !== undefined ? { id: options.id } : {}),
    };
    const path = `/subjects/${encodeURIComponent(subject)}`;
    // A case that names its schema id (VALUE_SCHEMA_ID=5) gets that id: the subject is put in IMPORT mode.
    if (options.id !== undefined)
      await this.call('PUT', `/mode/${encodeURIComponent(subject)}?force=true`, { mode: 'IMPORT' });
    try {
      const { status, json } = await this.call('POST', `${path}/versions`, body);
      if (status >= 300)
        throw new Error(`registering ${subject} failed (${status}): ${JSON.stringify(json)}`);
      return (json as { id: number }).id;
    } finally {
      if (options.id !== undefined) await this.call('DELETE', `/mode/${encodeURIComponent(subject)}`);
    }
  }

  /** A case's own references (`valueSchemaReferences`), each registered under its name as subject. */
  private async caseReferences(references: readonly SchemaReference[]): Promise<ReferenceEntry[]> {
    const entries: ReferenceEntry[] = [];
    for (const reference of references) {
      await this.register(reference.name, reference.schema, reference.schemaType);
      const latest = await this.call(
        'GET',
        `/subjects/${encodeURIComponent(reference.name)}/versions/latest`,
      );
      const version = (latest.json as { version: number }).version;
      entries.push({ name: reference.name, subject: reference.name, version });
    }
    return entries;
  }

  /**
   * Confluent's registry knows confluent/type/decimal.proto and confluent/meta.proto without references;
   * Venice's wants them as referenced subjects, so the runner registers them under their file names.
   */
  private async builtInReferences(schema: string): Promise<ReferenceEntry[]> {
    const references: ReferenceEntry[] = [];
    for (const [, file] of schema.matchAll(/import\s+"([^"]+)"/g)) {
      const text = BUILT_IN_PROTOS[file];
      if (!text) continue;
      await this.register(file, text, 'PROTOBUF');
      const latest = await this.call('GET', `/subjects/${encodeURIComponent(file)}/versions/latest`);
      references.push({ name: file, subject: file, version: (latest.json as { version: number }).version });
    }
    return references;
  }

  /** The latest schema of a subject, or undefined when there is none. */
  async latest(subject: string): Promise<RegisteredSchema | undefined> {
    const { status, json } = await this.call(
      'GET',
      `/subjects/${encodeURIComponent(subject)}/versions/latest`,
    );
    if (status === 404) return undefined;
    if (status >= 300) throw new Error(`reading ${subject} failed (${status}): ${JSON.stringify(json)}`);
    const found = json as StoredSchema & { id: number };
    return {
      id: found.id,
      schema: found.schema,
      schemaType: found.schemaType ?? 'AVRO',
      referenced: await this.referencedTexts(found.references ?? []),
    };
  }

  async byIdCached(id: number): Promise<RegisteredSchema> {
    const cached = this.byId.get(id);
    if (cached) return cached;
    const { status, json } = await this.call('GET', `/schemas/ids/${id}`);
    if (status >= 300) throw new Error(`reading schema ${id} failed (${status}): ${JSON.stringify(json)}`);
    const found = json as StoredSchema;
    const schema: RegisteredSchema = {
      id,
      schema: found.schema,
      schemaType: found.schemaType ?? 'AVRO',
      referenced: await this.referencedTexts(found.references ?? []),
    };
    this.byId.set(id, schema);
    return schema;
  }

  /** The texts of referenced schemas, theirs first (depth first), so each parses after its imports. */
  private async referencedTexts(references: readonly ReferenceEntry[]): Promise<string[]> {
    const texts: string[] = [];
    for (const reference of references) {
      const path = `/subjects/${encodeURIComponent(reference.subject)}/versions/${reference.version}`;
      const { status, json } = await this.call('GET', path);
      if (status >= 300) continue;
      const found = json as StoredSchema;
      texts.push(...(await this.referencedTexts(found.references ?? [])), found.schema);
    }
    return texts;
  }

  /**
   * Deletes every subject (soft, then hard), so the next case starts without schemas; ids are given
   * again from 1 per case (schema-ids.ts), so what this client remembers by id goes too.
   */
  async deleteAllSubjects(): Promise<void> {
    this.byId.clear();
    const { json } = await this.call('GET', '/subjects');
    for (const subject of (json as string[] | null) ?? []) {
      const encoded = encodeURIComponent(subject);
      await this.call('DELETE', `/subjects/${encoded}`);
      await this.call('DELETE', `/subjects/${encoded}?permanent=true`);
    }
  }
}
