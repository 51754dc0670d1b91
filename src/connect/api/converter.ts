// Converters turn topic bytes into Connect data and back. Connector configs name them by Kafka Connect's
// class names (`key.converter`, `value.converter`), with their settings under the `key.converter.` and
// `value.converter.` prefixes, so configs from Kafka Connect tutorials paste unchanged.
import type { ConnectHeader, ConnectSchema, ConnectValue, SchemaAndValue } from './data.js';

export interface Converter {
  /** Bytes from the topic (null: no key, or a tombstone) to Connect data; throws ConversionError on bad bytes. */
  toConnectData(
    topic: string,
    data: Buffer | null,
    headers: readonly ConnectHeader[],
  ): Promise<SchemaAndValue>;
  /** Connect data to bytes for the topic (null stays null). */
  fromConnectData(topic: string, schema: ConnectSchema | null, value: ConnectValue): Promise<Buffer | null>;
}

/** What a converter may need beyond its own settings. */
export interface ConverterEnvironment {
  /** The worker's schema registry, used when the config gives no `schema.registry.url`. */
  readonly schemaRegistryUrl?: string;
  /** How to reach the worker's registry (the worker's credentials, the CA it trusts); never another's. */
  readonly schemaRegistryFetch?: typeof fetch;
}

export interface ConverterPlugin {
  /** Kafka Connect's class name, e.g. `org.apache.kafka.connect.json.JsonConverter`. */
  readonly className: string;
  /** Other accepted names, e.g. `JsonConverter`. */
  readonly aliases: readonly string[];
  /**
   * Builds a converter from its settings (the prefix already removed: `schemas.enable`,
   * `schema.registry.url`, ...). Throws ConnectConfigError for a bad setting.
   */
  create(
    settings: Readonly<Record<string, string>>,
    isKey: boolean,
    environment: ConverterEnvironment,
  ): Converter;
}
