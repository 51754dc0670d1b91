// The key and value converters a connector runs with: the ones its config names (`key.converter`,
// `value.converter`, settings under those prefixes), else the worker's defaults.
//
// Kafka Connect makes the worker config name default converters, and its sample distributed config
// picks JsonConverter with schemas for both. Venice's defaults follow what Venice's own tools write
// instead: keys are mostly ids or plain text (StringConverter), values plain JSON with no envelope
// (JsonConverter, schemas.enable=false), as `venice produce` and most applications send them. A config
// that names its converters gets exactly Kafka Connect's behaviour.
import type { Converter, ConverterEnvironment } from '../api/converter.js';
import { ConnectConfigError } from '../api/errors.js';
import type { ConnectorConfig } from '../api/plugin.js';
import { findConverterPlugin } from '../converters/index.js';

export const DEFAULT_KEY_CONVERTER = 'org.apache.kafka.connect.storage.StringConverter';
export const DEFAULT_VALUE_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
const DEFAULT_SETTINGS: Readonly<Record<'key' | 'value', Readonly<Record<string, string>>>> = {
  key: {},
  value: { 'schemas.enable': 'false' },
};

export interface NamedConverter {
  readonly converter: Converter;
  /** The converter's class name, for the DLQ's context headers. */
  readonly className: string;
}

export function prefixedSettings(config: ConnectorConfig, prefix: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(config))
    if (key.startsWith(prefix) && key.length > prefix.length) settings[key.slice(prefix.length)] = value;
  return settings;
}

/** Builds the key or value converter; throws ConnectConfigError naming the key to fix. */
export function connectorConverter(
  config: ConnectorConfig,
  which: 'key' | 'value',
  environment: ConverterEnvironment,
): NamedConverter {
  const classKey = `${which}.converter`;
  const named = config[classKey]?.trim();
  const plugin = findConverterPlugin(
    named || (which === 'key' ? DEFAULT_KEY_CONVERTER : DEFAULT_VALUE_CONVERTER),
  );
  if (!plugin)
    throw new ConnectConfigError(
      classKey,
      `${classKey} ${named} is not a converter Venice has; GET /connector-plugins?connectorsOnly=false lists them`,
    );
  const own = prefixedSettings(config, `${classKey}.`);
  const settings = named ? own : { ...DEFAULT_SETTINGS[which], ...own };
  try {
    return { converter: plugin.create(settings, which === 'key', environment), className: plugin.className };
  } catch (error) {
    if (error instanceof ConnectConfigError)
      throw new ConnectConfigError(classKey, `${classKey}: ${error.message}`);
    throw error;
  }
}
