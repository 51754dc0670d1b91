// The SQL shell's view of the server: ksqlDB's REST API over HTTP/1.1 (fetch). Statements go to /ksql,
// queries to /query-stream in the delimited format, read line by line as the rows come.
import type { KsqlEntity } from '../../sql/engine/entities.js';
import { parseJsonText, type JsonValue } from './json-text.js';

export interface ServerError {
  readonly '@type'?: string;
  readonly error_code?: number;
  readonly message: string;
  readonly statementText?: string;
  readonly entities?: readonly KsqlEntity[];
}

/** The server answered with an error body (a bad statement, an unknown stream). */
export class KsqlServerError extends Error {
  override readonly name = 'KsqlServerError';
  constructor(
    readonly status: number,
    readonly body: ServerError,
  ) {
    super(body.message);
  }
}

/** The server could not be reached at all. */
export class KsqlUnreachableError extends Error {
  override readonly name = 'KsqlUnreachableError';
}

export interface RequestState {
  readonly properties: Readonly<Record<string, string>>;
  readonly variables: Readonly<Record<string, string>>;
}

export interface QueryHeader {
  readonly queryId: string;
  readonly columnNames: readonly string[];
  readonly columnTypes: readonly string[];
}

export interface QueryCallbacks {
  onHeader(header: QueryHeader, line: string): void;
  onRow(row: readonly JsonValue[], line: string): void;
}

export interface ServerInfo {
  readonly version: string;
  readonly ksqlServiceId: string;
  readonly serverStatus: string;
}

export class KsqlRestClient {
  constructor(
    readonly baseUrl: string,
    /** The transport: the configured user's credentials and trusted CA (cli/http-settings.ts). */
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async info(): Promise<ServerInfo> {
    const response = await this.#fetch('/info', { method: 'GET' });
    if (!response.ok) throw new KsqlServerError(response.status, errorBody(await response.text()));
    const body = (await response.json()) as { KsqlServerInfo: ServerInfo };
    return body.KsqlServerInfo;
  }

  async execute(sql: string, state: RequestState): Promise<KsqlEntity[]> {
    const response = await this.#fetch('/ksql', {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.ksql.v1+json', accept: 'application/vnd.ksql.v1+json' },
      body: JSON.stringify({
        ksql: sql,
        streamsProperties: state.properties,
        sessionVariables: state.variables,
      }),
    });
    const text = await response.text();
    if (!response.ok) throw new KsqlServerError(response.status, errorBody(text));
    return JSON.parse(text) as KsqlEntity[];
  }

  /** Runs a query until it ends or `signal` aborts it (which closes it on the server). */
  async query(
    sql: string,
    state: RequestState,
    callbacks: QueryCallbacks,
    signal: AbortSignal,
  ): Promise<void> {
    const response = await this.#fetch('/query-stream', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/vnd.ksqlapi.delimited.v1' },
      body: JSON.stringify({ sql, properties: state.properties, sessionVariables: state.variables }),
      signal,
    });
    if (!response.ok) throw new KsqlServerError(response.status, errorBody(await response.text()));
    const decoder = new TextDecoder();
    let pending = '';
    let headerSeen = false;
    const handle = (line: string) => {
      if (line.trim() === '') return;
      const value = parseJsonText(line);
      if (!headerSeen) {
        headerSeen = true;
        callbacks.onHeader(JSON.parse(line) as QueryHeader, line);
      } else if (Array.isArray(value)) callbacks.onRow(value, line);
      else throw new KsqlServerError(200, JSON.parse(line) as ServerError);
    };
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        pending += decoder.decode(chunk, { stream: true });
        let newline = pending.indexOf('\n');
        while (newline >= 0) {
          handle(pending.slice(0, newline));
          pending = pending.slice(newline + 1);
          newline = pending.indexOf('\n');
        }
      }
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    handle(pending + decoder.decode());
  }

  /** PRINT: lines of text from /query until its LIMIT or the signal; empty keep-alive lines skipped. */
  async print(
    sql: string,
    state: RequestState,
    onLine: (line: string) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const response = await this.#fetch('/query', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/vnd.ksql.v1+json' },
      body: JSON.stringify({
        ksql: sql,
        streamsProperties: state.properties,
        sessionVariables: state.variables,
      }),
      signal,
    });
    if (!response.ok) throw new KsqlServerError(response.status, errorBody(await response.text()));
    const decoder = new TextDecoder();
    let pending = '';
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        pending += decoder.decode(chunk, { stream: true });
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line !== '') onLine(line);
      }
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    }
    const last = pending + decoder.decode();
    if (last !== '') onLine(last);
  }

  async #fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(this.baseUrl.replace(/\/+$/, '') + path, init);
    } catch (error) {
      if (init.signal?.aborted) throw error;
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new KsqlUnreachableError(
        `cannot reach the SQL engine at ${this.baseUrl}${cause?.code ? ` (${cause.code})` : ''}`,
        { cause: error },
      );
    }
  }
}

function errorBody(text: string): ServerError {
  try {
    const body = JSON.parse(text) as ServerError;
    if (typeof body.message === 'string') return body;
  } catch {
    // not JSON: the text is the message
  }
  return { message: text || 'the server answered with an error and no message' };
}
