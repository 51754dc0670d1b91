// The few schema-registry calls the runner needs, over the registry's REST API (Confluent's paths).

export interface RegisteredSchema {
  readonly id: number;
  readonly schema: string;
  readonly schemaType: 'AVRO' | 'JSON' | 'PROTOBUF';
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
  ): Promise<number> {
    const body = schemaType === 'AVRO' ? { schema } : { schema, schemaType };
    const { status, json } = await this.call(
      'POST',
      `/subjects/${encodeURIComponent(subject)}/versions`,
      body,
    );
    if (status >= 300) throw new Error(`registering ${subject} failed (${status}): ${JSON.stringify(json)}`);
    return (json as { id: number }).id;
  }

  /** The latest schema of a subject, or undefined when there is none. */
  async latest(subject: string): Promise<RegisteredSchema | undefined> {
    const { status, json } = await this.call(
      'GET',
      `/subjects/${encodeURIComponent(subject)}/versions/latest`,
    );
    if (status === 404) return undefined;
    if (status >= 300) throw new Error(`reading ${subject} failed (${status}): ${JSON.stringify(json)}`);
    const found = json as { id: number; schema: string; schemaType?: RegisteredSchema['schemaType'] };
    return { id: found.id, schema: found.schema, schemaType: found.schemaType ?? 'AVRO' };
  }

  async byIdCached(id: number): Promise<RegisteredSchema> {
    const cached = this.byId.get(id);
    if (cached) return cached;
    const { status, json } = await this.call('GET', `/schemas/ids/${id}`);
    if (status >= 300) throw new Error(`reading schema ${id} failed (${status}): ${JSON.stringify(json)}`);
    const found = json as { schema: string; schemaType?: RegisteredSchema['schemaType'] };
    const schema = { id, schema: found.schema, schemaType: found.schemaType ?? 'AVRO' } as const;
    this.byId.set(id, schema);
    return schema;
  }

  /** Deletes every subject (soft, then hard), so the next case starts without schemas. */
  async deleteAllSubjects(): Promise<void> {
    const { json } = await this.call('GET', '/subjects');
    for (const subject of (json as string[] | null) ?? []) {
      const encoded = encodeURIComponent(subject);
      await this.call('DELETE', `/subjects/${encoded}`);
      await this.call('DELETE', `/subjects/${encoded}?permanent=true`);
    }
  }
}
