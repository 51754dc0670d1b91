// A real broker and an in-process registry on free ports, and a small HTTP helper for the API.
import { startRegistry, type RunningRegistry, type RegistryOptions } from '../../src/registry/service.js';
import { silentLogger } from '../../src/service/index.js';
import { startTestBroker } from '../helpers/broker.js';

export type TestBroker = Awaited<ReturnType<typeof startTestBroker>>;

export const V1_JSON = 'application/vnd.schemaregistry.v1+json';

export async function startTestRegistry(
  bootstrap: string,
  options: Partial<RegistryOptions> = {},
): Promise<RunningRegistry> {
  return startRegistry({
    bootstrapServers: bootstrap,
    port: 0,
    logger: silentLogger(),
    ...options,
  });
}

export async function startBrokerAndRegistry(
  options: Partial<RegistryOptions> = {},
): Promise<{ broker: TestBroker; registry: RunningRegistry; stop(): Promise<void> }> {
  const broker = await startTestBroker();
  const registry = await startTestRegistry(broker.bootstrap, options);
  return {
    broker,
    registry,
    stop: async () => {
      await registry.stop();
      await broker.stop();
    },
  };
}

export interface ApiResponse<T = unknown> {
  status: number;
  contentType: string | null;
  text: string;
  body: T;
}

/** Calls the API; objects are sent as JSON with Confluent's content type unless told otherwise. */
export async function call<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = V1_JSON,
): Promise<ApiResponse<T>> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = text;
  }
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    body: parsed as T,
  };
}

/** Binds `call` to one registry. */
export function apiOf(registry: { url: string }) {
  return <T = unknown>(method: string, path: string, body?: unknown, contentType?: string) =>
    call<T>(registry.url, method, path, body, contentType);
}

export const avroRecord = (name: string, fields: object[]) =>
  JSON.stringify({ type: 'record', name, namespace: 'venice.test', fields });
