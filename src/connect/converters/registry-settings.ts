// The settings every schema registry converter shares, with Confluent's names: where the registry is, how
// subjects are named, and whether to register schemas or use the subject's latest version.
import { ConnectConfigError } from '../api/errors.js';
import type { ConverterEnvironment } from '../api/converter.js';
import {
  SUBJECT_NAME_STRATEGIES,
  SchemaRegistryClient,
  Serdes,
  type SubjectNameStrategy,
} from '../../serdes/index.js';

export interface RegistrySettings {
  readonly url: string;
  readonly autoRegister: boolean;
  readonly useLatestVersion: boolean;
  readonly strategy: SubjectNameStrategy;
  readonly headers: Readonly<Record<string, string>>;
  /** The worker's transport, when the URL is the worker's own registry. */
  readonly fetch?: typeof fetch;
}

function booleanSetting(settings: Readonly<Record<string, string>>, key: string, fallback: boolean): boolean {
  const raw = settings[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const normalized = raw.trim().toLowerCase();
  if (normalized === 'true') return true;
  if (normalized === 'false') return false;
  throw new ConnectConfigError(key, `${key} must be true or false, not '${raw}'`);
}

/** Accepts Confluent's class names (io.confluent.kafka.serializers.subject.TopicNameStrategy) and the short ones. */
function strategySetting(settings: Readonly<Record<string, string>>, key: string): SubjectNameStrategy {
  const raw = settings[key]?.trim();
  if (raw === undefined || raw === '') return 'TopicNameStrategy';
  const shortName = raw.slice(raw.lastIndexOf('.') + 1);
  const found = SUBJECT_NAME_STRATEGIES.find((name) => name === shortName);
  if (found === undefined) {
    throw new ConnectConfigError(
      key,
      `${key} '${raw}' is not a subject name strategy; use one of ${SUBJECT_NAME_STRATEGIES.join(', ')}`,
    );
  }
  return found;
}

/** basic.auth.credentials.source USER_INFO (basic.auth.user.info) or URL (user:password@ in the URL). */
function authHeaders(settings: Readonly<Record<string, string>>, url: URL): Record<string, string> {
  const source = (settings['basic.auth.credentials.source'] ?? '').trim().toUpperCase();
  let userInfo: string | undefined;
  if (source === 'USER_INFO' || (source === '' && settings['basic.auth.user.info'])) {
    userInfo = settings['basic.auth.user.info'];
    if (!userInfo) {
      throw new ConnectConfigError(
        'basic.auth.user.info',
        'basic.auth.credentials.source is USER_INFO: set basic.auth.user.info to user:password',
      );
    }
  } else if (source === 'URL' || (source === '' && url.username !== '')) {
    if (url.username !== '')
      userInfo = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  } else if (source !== '') {
    throw new ConnectConfigError(
      'basic.auth.credentials.source',
      `basic.auth.credentials.source '${source}' is not supported; use USER_INFO or URL`,
    );
  }
  return userInfo === undefined
    ? {}
    : { authorization: `Basic ${Buffer.from(userInfo, 'utf8').toString('base64')}` };
}

export function readRegistrySettings(
  settings: Readonly<Record<string, string>>,
  isKey: boolean,
  environment: ConverterEnvironment,
): RegistrySettings {
  // Confluent accepts a comma-separated list; one registry is enough here, the first is used.
  const configured = settings['schema.registry.url']?.split(',')[0]?.trim();
  const raw = configured || environment.schemaRegistryUrl;
  if (!raw) {
    throw new ConnectConfigError(
      'schema.registry.url',
      `${isKey ? 'key' : 'value'}.converter.schema.registry.url is required (e.g. http://127.0.0.1:8081): ` +
        'this worker has no schema registry of its own configured',
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConnectConfigError('schema.registry.url', `schema.registry.url '${raw}' is not a URL`);
  }
  const headers = authHeaders(settings, url);
  url.username = '';
  url.password = '';
  return {
    url: url.toString().replace(/\/+$/, ''),
    autoRegister: booleanSetting(settings, 'auto.register.schemas', true),
    useLatestVersion: booleanSetting(settings, 'use.latest.version', false),
    strategy: strategySetting(settings, isKey ? 'key.subject.name.strategy' : 'value.subject.name.strategy'),
    headers,
    ...(!configured && environment.schemaRegistryFetch ? { fetch: environment.schemaRegistryFetch } : {}),
  };
}

/** One Serdes (its schema caches) per registry and credentials, shared by every converter that uses it. */
const serdesByRegistry = new Map<string, Serdes>();

export function serdesFor(settings: RegistrySettings): Serdes {
  const key = `${settings.url}\u0000${settings.headers.authorization ?? ''}\u0000${settings.fetch ? 'worker' : ''}`;
  let serdes = serdesByRegistry.get(key);
  if (serdes === undefined) {
    serdes = new Serdes(
      new SchemaRegistryClient({
        url: settings.url,
        headers: { ...settings.headers },
        ...(settings.fetch ? { fetch: settings.fetch } : {}),
      }),
    );
    serdesByRegistry.set(key, serdes);
  }
  return serdes;
}
