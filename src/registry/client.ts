// A small client for the registry's HTTP API, for the CLI and the console. It speaks the Confluent
// API, so it works against Venice's registry and Confluent's alike.
import type { CompatibilityLevel, SchemaReference, SchemaType } from '../serdes/index.js';
import { DEFAULT_REGISTRY_URL } from './defaults.js';

export { DEFAULT_REGISTRY_URL };
const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** The registry answered with an error (`status` and Confluent's `errorCode`), or could not be reached. */
export class RegistryClientError extends Error {
  override name = 'RegistryClientError';
  constructor(
    message: string,
    readonly status: number | null,
    readonly errorCode: number | null,
  ) {
    super(message);
  }

  get unreachable(): boolean {
    return this.status === null;
  }
}

export interface SubjectVersionInfo {
  subject: string;
  version: number;
  id: number;
  schemaType?: SchemaType;
  references?: SchemaReference[];
  schema: string;
}

export interface SchemaSubmission {
  schema: string;
  schemaType?: SchemaType;
  references?: SchemaReference[];
}

export interface CompatibilityResult {
  is_compatible: boolean;
  messages?: string[];
}

export class RegistryClient {
  readonly baseUrl: string;

  constructor(baseUrl: string = DEFAULT_REGISTRY_URL) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  subjects(options: { deleted?: boolean } = {}): Promise<string[]> {
    return this.#request('GET', '/subjects', { query: { deleted: options.deleted } });
  }

  versions(subject: string): Promise<number[]> {
    return this.#request('GET', `/subjects/${encodeURIComponent(subject)}/versions`);
  }

  version(subject: string, version: number | 'latest' = 'latest'): Promise<SubjectVersionInfo> {
    return this.#request('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}`);
  }

  register(subject: string, submission: SchemaSubmission): Promise<{ id: number }> {
    return this.#request('POST', `/subjects/${encodeURIComponent(subject)}/versions`, { body: submission });
  }

  lookup(subject: string, submission: SchemaSubmission): Promise<SubjectVersionInfo> {
    return this.#request('POST', `/subjects/${encodeURIComponent(subject)}`, { body: submission });
  }

  checkCompatibility(
    subject: string,
    submission: SchemaSubmission,
    version?: number | 'latest',
  ): Promise<CompatibilityResult> {
    const path = `/compatibility/subjects/${encodeURIComponent(subject)}/versions${version === undefined ? '' : `/${version}`}`;
    return this.#request('POST', path, { body: submission, query: { verbose: true } });
  }

  async compatibility(subject?: string): Promise<CompatibilityLevel> {
    const path = subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}`;
    const answer = await this.#request<{ compatibilityLevel: CompatibilityLevel }>('GET', path, {
      query: { defaultToGlobal: subject === undefined ? undefined : true },
    });
    return answer.compatibilityLevel;
  }

  async setCompatibility(level: CompatibilityLevel, subject?: string): Promise<CompatibilityLevel> {
    const path = subject === undefined ? '/config' : `/config/${encodeURIComponent(subject)}`;
    const answer = await this.#request<{ compatibility: CompatibilityLevel }>('PUT', path, {
      body: { compatibility: level },
    });
    return answer.compatibility;
  }

  deleteSubject(subject: string, permanent = false): Promise<number[]> {
    return this.#request('DELETE', `/subjects/${encodeURIComponent(subject)}`, { query: { permanent } });
  }

  deleteVersion(subject: string, version: number | 'latest', permanent = false): Promise<number> {
    return this.#request('DELETE', `/subjects/${encodeURIComponent(subject)}/versions/${version}`, {
      query: { permanent },
    });
  }

  async #request<T>(
    method: string,
    path: string,
    options: { body?: unknown; query?: Record<string, boolean | undefined> } = {},
  ): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(options.query ?? {}))
      if (value) url.searchParams.set(name, 'true');
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          accept: CONTENT_TYPE,
          ...(options.body === undefined ? {} : { 'content-type': CONTENT_TYPE }),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch {
      throw new RegistryClientError(`cannot reach the schema registry at ${this.baseUrl}`, null, null);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    if (!response.ok) {
      const detail = body as { error_code?: number; message?: string } | undefined;
      throw new RegistryClientError(
        detail?.message ?? `the schema registry answered ${response.status}`,
        response.status,
        detail?.error_code ?? response.status,
      );
    }
    return body as T;
  }
}
