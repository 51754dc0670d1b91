// Reading request bodies and parameters as Kafka Connect does, with an error that says what to send
// when they are wrong. Config maps are string maps; like Kafka Connect's JSON reader, a number or a
// boolean (`"tasks.max": 1`, pasted from a tutorial) is taken as its text.
import type { ConnectorConfig } from '../api/plugin.js';
import type { ConnectorOffsets } from '../api/herder.js';
import { badRequest } from './errors.js';

type JsonScalar = string | number | boolean;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function settingText(key: string, value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value as JsonScalar);
  throw badRequest(
    `${where}: the value of "${key}" must be a string (or a number or boolean), not ${describe(value)}; ` +
      `write it as "${key}": "<value>"`,
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** A connector config: a JSON object of settings (PUT /connectors/{name}/config, validate, POST's `config`). */
export function readConfig(body: unknown, where: string): Record<string, string> {
  if (!isObject(body))
    throw badRequest(
      `${where}: the body must be a JSON object of settings, e.g. {"connector.class": "...", "topics": "..."}; got ${body === undefined ? 'no body' : describe(body)}`,
    );
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) config[key] = settingText(key, value, where);
  return config;
}

/** PATCH /connectors/{name}/config: like a config, where null removes a key. */
export function readConfigPatch(body: unknown): Record<string, string | null> {
  const where = 'PATCH /connectors/{name}/config';
  if (!isObject(body))
    throw badRequest(
      `${where}: the body must be a JSON object of the settings to change (null removes one), e.g. {"tasks.max": "2"}; got ${body === undefined ? 'no body' : describe(body)}`,
    );
  const patch: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(body))
    patch[key] = value === null ? null : settingText(key, value, where);
  return patch;
}

export type InitialState = 'RUNNING' | 'PAUSED' | 'STOPPED';
const INITIAL_STATES: readonly InitialState[] = ['RUNNING', 'PAUSED', 'STOPPED'];

export interface CreateConnectorRequest {
  readonly name: string;
  readonly config: ConnectorConfig;
  readonly initialState: InitialState;
}

/**
 * POST /connectors: `{name, config, initial_state?}`. The name is trimmed; a `name` inside config must
 * equal it (Kafka Connect's rule), and is filled in when left out.
 */
export function readCreateRequest(body: unknown): CreateConnectorRequest {
  const where = 'POST /connectors';
  const shape = `send {"name": "my-connector", "config": {"connector.class": "...", ...}}`;
  if (!isObject(body)) throw badRequest(`${where}: the body must be a JSON object; ${shape}`);
  if (body.name !== undefined && body.name !== null && typeof body.name !== 'string')
    throw badRequest(`${where}: "name" must be a string; ${shape}`);
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (name === '') throw badRequest(`${where}: the connector needs a name; ${shape}`);
  if (body.config === undefined || body.config === null)
    throw badRequest(`${where}: "config" is missing; ${shape}`);
  const config = withName(name, readConfig(body.config, `${where} "config"`));
  const state = body.initial_state ?? 'RUNNING';
  if (typeof state !== 'string' || !INITIAL_STATES.includes(state.toUpperCase() as InitialState))
    throw badRequest(`${where}: "initial_state" must be one of ${INITIAL_STATES.join(', ')}`);
  return { name, config, initialState: state.toUpperCase() as InitialState };
}

/** A config's `name` must be the connector's own (the one in the URL or the request); left out, it is added. */
export function withName(name: string, config: Record<string, string>): Record<string, string> {
  const included = config.name;
  if (included === undefined) return { ...config, name };
  if (included !== name)
    throw badRequest(
      `Connector name configuration (${included}) doesn't match connector name in the URL (${name}); ` +
        'remove "name" from the config or make it the same',
    );
  return config;
}

/** A connector name must not be empty or hold control characters (it names topics keys and groups). */
export function checkConnectorName(name: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name))
    throw badRequest(
      `Connector name "${JSON.stringify(name).slice(1, -1)}" holds control characters; choose a plain name`,
    );
}

/** PATCH /connectors/{name}/offsets: `{offsets: [{partition: {...}, offset: {...} | null}]}`. */
export function readOffsets(body: unknown): ConnectorOffsets {
  const shape =
    'send {"offsets": [{"partition": {"kafka_topic": "t", "kafka_partition": 0}, "offset": {"kafka_offset": 42}}]}';
  if (!isObject(body) || body.offsets === undefined || body.offsets === null)
    throw badRequest(`Partitions / offsets need to be provided for an alter offsets request; ${shape}`);
  if (!Array.isArray(body.offsets)) throw badRequest(`"offsets" must be an array; ${shape}`);
  if (body.offsets.length === 0)
    throw badRequest(`Partitions / offsets need to be provided for an alter offsets request; ${shape}`);
  const offsets = body.offsets.map((entry: unknown, index: number) => {
    if (!isObject(entry) || !isObject(entry.partition))
      throw badRequest(`offsets[${index}] needs a "partition" object; ${shape}`);
    if (entry.offset !== null && entry.offset !== undefined && !isObject(entry.offset))
      throw badRequest(`offsets[${index}].offset must be an object or null (null resets it); ${shape}`);
    return { partition: entry.partition, offset: isObject(entry.offset) ? entry.offset : null };
  });
  return { offsets };
}

/** A query flag as Kafka Connect's (JAX-RS) reads a Boolean: "true" in any case is true, anything else false. */
export function queryFlag(value: string | string[] | undefined, fallback: boolean): boolean {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return fallback;
  return text.toLowerCase() === 'true';
}

/** The values a repeated query parameter took (`?expand=status&expand=info`). */
export function queryValues(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
