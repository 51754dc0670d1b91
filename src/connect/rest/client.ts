// A client of Kafka Connect's REST API, for the CLI (`venice connectors`) and the console. It speaks to
// Venice's worker or to any Kafka Connect worker. A refusal becomes a ConnectClientError with the
// worker's status and message; a worker out of reach has status 0.
import type { ConfigInfos, ConnectorInfo, ConnectorStateInfo, PluginInfo } from '../api/herder.js';
import type { ConnectorConfig } from '../api/plugin.js';

export class ConnectClientError extends Error {
  override name = 'ConnectClientError';
  constructor(
    message: string,
    /** The HTTP status; 0 when the worker could not be reached. */
    readonly status: number,
    /** The failure underneath (the fetch's, with a TLS or socket code). */
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface ConnectorOverview {
  readonly name: string;
  readonly info?: ConnectorInfo;
  readonly status?: ConnectorStateInfo;
}

export interface ConnectClientOptions {
  readonly url: string;
  /** Per request (default 30 000 ms: a worker may be rebalancing). */
  readonly timeoutMs?: number;
  /** The transport (credentials, a trusted CA); the global fetch when left out. */
  readonly fetch?: typeof fetch;
}

export class ConnectRestClient {
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ConnectClientOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Every connector with its info and status, in name order. */
  async overview(): Promise<ConnectorOverview[]> {
    const expanded = await this.request<
      Record<string, { info?: ConnectorInfo; status?: ConnectorStateInfo }>
    >('GET', '/connectors?expand=info&expand=status');
    return Object.entries(expanded)
      .map(([name, entry]) => ({ name, ...entry }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  info(name: string): Promise<ConnectorInfo> {
    return this.request('GET', connectorPath(name));
  }

  status(name: string): Promise<ConnectorStateInfo> {
    return this.request('GET', `${connectorPath(name)}/status`);
  }

  create(name: string, config: ConnectorConfig): Promise<ConnectorInfo> {
    return this.request('POST', '/connectors', { name, config });
  }

  async delete(name: string): Promise<void> {
    await this.request('DELETE', connectorPath(name));
  }

  async pause(name: string): Promise<void> {
    await this.request('PUT', `${connectorPath(name)}/pause`);
  }

  async resume(name: string): Promise<void> {
    await this.request('PUT', `${connectorPath(name)}/resume`);
  }

  /** The state right after the restart was asked for; null when only the connector restarted (204). */
  async restart(
    name: string,
    options: { includeTasks: boolean; onlyFailed: boolean },
  ): Promise<ConnectorStateInfo | null> {
    const query = `includeTasks=${options.includeTasks}&onlyFailed=${options.onlyFailed}`;
    const state = await this.request<ConnectorStateInfo | undefined>(
      'POST',
      `${connectorPath(name)}/restart?${query}`,
    );
    return state ?? null;
  }

  plugins(): Promise<PluginInfo[]> {
    return this.request('GET', '/connector-plugins');
  }

  validate(plugin: string, config: ConnectorConfig): Promise<ConfigInfos> {
    return this.request('PUT', `/connector-plugins/${encodeURIComponent(plugin)}/config/validate`, config);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason =
        error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new ConnectClientError(`cannot reach the connect worker at ${this.url} (${reason})`, 0, {
        cause: error,
      });
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ConnectClientError(
        `${method} ${path} answered ${response.status} with a body that is not JSON`,
        response.status,
      );
    }
    if (!response.ok) {
      const message =
        typeof parsed === 'object' &&
        parsed !== null &&
        'message' in parsed &&
        typeof parsed.message === 'string'
          ? parsed.message
          : `${method} ${path} answered ${response.status}`;
      throw new ConnectClientError(message, response.status);
    }
    return parsed as T;
  }
}

function connectorPath(name: string): string {
  return `/connectors/${encodeURIComponent(name)}`;
}
