import type { CompatibilityLevel, ResolvedReference, SchemaReference, SchemaType } from './types.js';

export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** An error answer from the registry, with Confluent's `error_code` when it sent one. */
export class SchemaRegistryError extends Error {
  override readonly name = 'SchemaRegistryError';
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode?: number,
    /** The failure underneath (the fetch's, with a TLS or socket code), for callers that explain it. */
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A schema as the registry returns it. */
export interface RegisteredSchema {
  id: number;
  schemaType: SchemaType;
  schema: string;
  references: SchemaReference[];
  subject?: string;
  version?: number;
}

export interface SchemaInput {
  schemaType: SchemaType;
  schema: string;
  references?: SchemaReference[];
}

export interface SchemaRegistryClientOptions {
  /** Base URL, e.g. http://127.0.0.1:8081 */
  url: string;
  /** Extra headers (e.g. authorization). */
  headers?: Record<string, string>;
  /** Replaceable for tests and custom transports; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Request timeout in milliseconds (default 10 000). */
  timeoutMs?: number;
  /**
   * How long to keep retrying, with backoff, a registry that is not up yet (connection refused, HTTP 503),
   * asked afresh for each request; 0 or absent fails at once. The SQL engine retries while it starts, since
   * `venice up` starts it in parallel with the registry.
   */
  retryUnavailableMs?: () => number;
}

const FIRST_RETRY_DELAY_MS = 200;
const MAX_RETRY_DELAY_MS = 2000;

interface SchemaAnswer {
  id?: number;
  schema?: string;
  schemaType?: SchemaType;
  references?: SchemaReference[];
  subject?: string;
  version?: number;
}

function toRegistered(answer: SchemaAnswer, fallbackId?: number): RegisteredSchema {
  return {
    id: answer.id ?? fallbackId ?? -1,
    // The registry omits schemaType for Avro.
    schemaType: answer.schemaType ?? 'AVRO',
    schema: answer.schema ?? '',
    references: answer.references ?? [],
    ...(answer.subject !== undefined ? { subject: answer.subject } : {}),
    ...(answer.version !== undefined ? { version: answer.version } : {}),
  };
}

/** The verbose answer of a compatibility check. */
export interface CompatibilityCheck {
  is_compatible: boolean;
  messages?: string[];
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * The client for the Confluent-compatible registry REST API that all of Venice uses: serializers (schemas
 * by id, cached, since ids are immutable), the CLI and the console (subjects, versions, configs, deletes).
 */
export class SchemaRegistryClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly byId = new Map<number, Promise<RegisteredSchema>>();
  private readonly idBySubjectSchema = new Map<string, Promise<number>>();

  constructor(private readonly options: SchemaRegistryClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** GET /schemas/ids/{id}; cached, since ids are immutable. */
  getSchemaById(id: number): Promise<RegisteredSchema> {
    let cached = this.byId.get(id);
    if (!cached) {
      cached = this.request<SchemaAnswer>('GET', `/schemas/ids/${id}`).then((answer) =>
        toRegistered(answer, id),
      );
      cached.catch(() => this.byId.delete(id));
      this.byId.set(id, cached);
    }
    return cached;
  }

  /** POST /subjects/{subject}/versions: registers (or finds) the schema and returns its id; cached. */
  register(subject: string, input: SchemaInput): Promise<number> {
    const key = `${subject}\u0000${input.schemaType}\u0000${input.schema}\u0000${JSON.stringify(input.references ?? [])}`;
    let cached = this.idBySubjectSchema.get(key);
    if (!cached) {
      cached = this.request<{ id: number }>(
        'POST',
        `/subjects/${encodeURIComponent(subject)}/versions`,
        this.body(input),
      ).then((answer) => answer.id);
      cached.catch(() => this.idBySubjectSchema.delete(key));
      this.idBySubjectSchema.set(key, cached);
    }
    return cached;
  }

  /** POST /subjects/{subject}: the version of an already registered schema (404 if it is not registered). */
  async lookup(subject: string, input: SchemaInput): Promise<RegisteredSchema> {
    const answer = await this.request<SchemaAnswer>(
      'POST',
      `/subjects/${encodeURIComponent(subject)}`,
      this.body(input),
    );
    return toRegistered(answer);
  }

  /** GET /subjects/{subject}/versions/{version|latest}. */
  async getVersion(subject: string, version: number | 'latest'): Promise<RegisteredSchema> {
    const answer = await this.request<SchemaAnswer>(
      'GET',
      `/subjects/${encodeURIComponent(subject)}/versions/${version}`,
    );
    return toRegistered(answer);
  }

  getLatest(subject: string): Promise<RegisteredSchema> {
    return this.getVersion(subject, 'latest');
  }

  /** GET /subjects (with soft-deleted ones when asked). */
  subjects(options: { deleted?: boolean } = {}): Promise<string[]> {
    return this.request('GET', '/subjects', undefined, { deleted: options.deleted });
  }

  /** GET /subjects/{subject}/versions. */
  versions(subject: string): Promise<number[]> {
    return this.request('GET', `/subjects/${encodeURIComponent(subject)}/versions`);
  }

  /** POST /compatibility/subjects/{subject}/versions[/{version}], verbose. */
  checkCompatibility(
    subject: string,
    input: SchemaInput,
    version?: number | 'latest',
  ): Promise<CompatibilityCheck> {
    const target = version === undefined ? '' : `/${version}`;
    return this.request(
      'POST',
      `/compatibility/subjects/${encodeURIComponent(subject)}/versions${target}`,
      this.body(input),
      { verbose: true },
    );
  }

  /** The compatibility level of a subject (falling back to the global one), or the global level. */
  async compatibility(subject?: string): Promise<CompatibilityLevel> {
    const path = subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}`;
    const answer = await this.request<{ compatibilityLevel: CompatibilityLevel }>('GET', path, undefined, {
      defaultToGlobal: subject !== undefined,
    });
    return answer.compatibilityLevel;
  }

  async setCompatibility(level: CompatibilityLevel, subject?: string): Promise<CompatibilityLevel> {
    const path = subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}`;
    const answer = await this.request<{ compatibility: CompatibilityLevel }>('PUT', path, {
      compatibility: level,
    });
    return answer.compatibility;
  }

  /** DELETE /subjects/{subject}: the deleted versions. Permanent only after a soft delete. */
  deleteSubject(subject: string, permanent = false): Promise<number[]> {
    return this.request('DELETE', `/subjects/${encodeURIComponent(subject)}`, undefined, { permanent });
  }

  deleteVersion(subject: string, version: number | 'latest', permanent = false): Promise<number> {
    return this.request('DELETE', `/subjects/${encodeURIComponent(subject)}/versions/${version}`, undefined, {
      permanent,
    });
  }

  /** Looks references up (recursively) so the schema can be parsed: the form parseSchema takes. */
  async resolveReferences(references: readonly SchemaReference[]): Promise<ResolvedReference[]> {
    return Promise.all(
      references.map(async (reference) => {
        const found = await this.getVersion(reference.subject, reference.version);
        return {
          name: reference.name,
          schemaType: found.schemaType,
          schema: found.schema,
          references: await this.resolveReferences(found.references),
        };
      }),
    );
  }

  private body(input: SchemaInput): Record<string, unknown> {
    return {
      schema: input.schema,
      ...(input.schemaType !== 'AVRO' ? { schemaType: input.schemaType } : {}),
      ...(input.references && input.references.length > 0 ? { references: input.references } : {}),
    };
  }

  private async request<T>(
    method: Method,
    path: string,
    body?: unknown,
    flags: Record<string, boolean | undefined> = {},
  ): Promise<T> {
    const query = Object.entries(flags)
      .filter(([, on]) => on)
      .map(([name]) => `${name}=true`)
      .join('&');
    const url = `${this.baseUrl}${path}${query ? `?${query}` : ''}`;
    const retryFor = this.options.retryUnavailableMs?.() ?? 0;
    const deadline = Date.now() + retryFor;
    for (let delay = FIRST_RETRY_DELAY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)) {
      const outcome = await this.attempt(method, url, body);
      if (outcome instanceof Response) return this.answerOf<T>(outcome, method, path);
      if (Date.now() + delay > deadline) throw outcome;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** One request: the response, or the error saying the registry is not up (to retry or throw). */
  private async attempt(method: Method, url: string, body: unknown): Promise<Response | SchemaRegistryError> {
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: {
          accept: `${REGISTRY_CONTENT_TYPE}, application/json`,
          ...(body !== undefined ? { 'content-type': REGISTRY_CONTENT_TYPE } : {}),
          ...this.options.headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const cause = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      return new SchemaRegistryError(
        `cannot reach the schema registry at ${this.baseUrl}: it is not reachable (${cause}); check \`venice status\``,
        0,
        undefined,
        { cause: error },
      );
    }
    if (response.status !== 503) return response;
    const answer = await response.text().catch(() => '');
    let said: { error_code?: number; message?: string } = {};
    try {
      said = JSON.parse(answer) as typeof said;
    } catch {
      // Not JSON: the status says enough.
    }
    return new SchemaRegistryError(
      `the schema registry at ${this.baseUrl} is not available (HTTP 503${said.message ? `: ${said.message}` : ''}); check \`venice status\``,
      503,
      said.error_code,
    );
  }

  private async answerOf<T>(response: Response, method: Method, path: string): Promise<T> {
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new SchemaRegistryError(
        `schema registry answered ${method} ${path} with non-JSON (HTTP ${response.status})`,
        response.status,
      );
    }
    if (!response.ok) {
      const error = parsed as { error_code?: number; message?: string };
      throw new SchemaRegistryError(
        `schema registry: ${error.message ?? `HTTP ${response.status}`} (${method} ${path})`,
        response.status,
        error.error_code,
      );
    }
    return parsed as T;
  }
}
