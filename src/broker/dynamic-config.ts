// Dynamic broker configs: the broker settings AlterConfigs and IncrementalAlterConfigs may change while
// it runs, as Kafka's dynamic broker configs. A change applies at once to the live BrokerConfig (new
// connections, new groups, the next auto-created topic) and is kept in <dataDir>/dynamic-broker-configs.json,
// so it survives a restart and, as in Kafka, takes precedence over the `venice broker` flag it overrides.
// Two layers, as in Kafka: one for this broker (resource name "1") and the cluster default (name "").
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './log/files.js';
import type { BrokerConfig } from './config.js';

/** Kafka's ConfigSource codes for broker settings. */
export const BrokerConfigSource = {
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
} as const;

type SettingKey = {
  [K in keyof BrokerConfig]: BrokerConfig[K] extends number | boolean ? K : never;
}[keyof BrokerConfig];

interface DynamicSetting {
  key: SettingKey;
  type: 'int' | 'boolean';
  /** Smallest value allowed (ints). */
  min?: number;
  /** When the new value takes effect, for the error-free case and the docs. */
  appliesTo: string;
}

/** The settings that can change at runtime, by Kafka name. */
export const DYNAMIC_BROKER_SETTINGS: Readonly<Record<string, DynamicSetting>> = {
  'max.connections': {
    key: 'maxConnections',
    type: 'int',
    min: 1,
    appliesTo: 'connections accepted from now on',
  },
  'max.connections.per.ip': {
    key: 'maxConnectionsPerIp',
    type: 'int',
    min: 1,
    appliesTo: 'connections accepted from now on',
  },
  'connections.max.idle.ms': {
    key: 'connectionsMaxIdleMs',
    type: 'int',
    min: 1,
    appliesTo: 'every connection from its next request on',
  },
  'auto.create.topics.enable': { key: 'autoCreateTopics', type: 'boolean', appliesTo: 'the next request' },
  'num.partitions': {
    key: 'defaultPartitions',
    type: 'int',
    min: 1,
    appliesTo: 'topics auto-created from now on',
  },
  'group.initial.rebalance.delay.ms': {
    key: 'groupInitialRebalanceDelayMs',
    type: 'int',
    min: 0,
    appliesTo: 'groups that start from now on',
  },
};

export type ConfigLayer = 'broker' | 'clusterDefault';

export interface DynamicConfigChange {
  name: string;
  /** null: remove the dynamic value (back to the flag's). */
  value: string | null;
}

export class DynamicConfigError extends Error {
  constructor(
    message: string,
    /** INVALID_REQUEST for a read-only setting, INVALID_CONFIG for an unknown name or a bad value. */
    readonly kind: 'readOnly' | 'invalid',
  ) {
    super(message);
  }
}

interface StoredLayers {
  broker: Record<string, string>;
  clusterDefault: Record<string, string>;
}

export class DynamicBrokerConfig {
  private readonly file: string;
  private layers: StoredLayers = { broker: {}, clusterDefault: {} };
  /** The values the broker was started with, to fall back to when a dynamic value is removed. */
  private readonly staticValues: Partial<Record<SettingKey, number | boolean>> = {};

  constructor(
    private readonly config: BrokerConfig,
    /** Names of settings that are reported but can only be set at start. */
    private readonly readOnlyNames: ReadonlySet<string>,
  ) {
    this.file = path.join(config.dataDir, 'dynamic-broker-configs.json');
    for (const setting of Object.values(DYNAMIC_BROKER_SETTINGS))
      this.staticValues[setting.key] = config[setting.key];
  }

  /** Reads the stored dynamic configs and applies them over the flags. Throws on an unreadable file. */
  load(): void {
    if (!fs.existsSync(this.file)) return;
    let stored: StoredLayers;
    try {
      stored = parseLayers(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      for (const layer of [stored.clusterDefault, stored.broker])
        for (const [name, value] of Object.entries(layer)) parseValue(name, value);
    } catch (error) {
      throw new Error(
        `${this.file} cannot be read (${error instanceof Error ? error.message : String(error)}); ` +
          'fix it, or delete it to start with the `venice broker` flags only',
        { cause: error },
      );
    }
    this.layers = stored;
    this.applyAll();
  }

  /** Where a setting's value comes from: a dynamic layer, or the flags. */
  sourceOf(name: string): number {
    if (this.layers.broker[name] !== undefined) return BrokerConfigSource.DYNAMIC_BROKER_CONFIG;
    if (this.layers.clusterDefault[name] !== undefined)
      return BrokerConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG;
    return BrokerConfigSource.STATIC_BROKER_CONFIG;
  }

  isDynamic(name: string): boolean {
    return DYNAMIC_BROKER_SETTINGS[name] !== undefined;
  }

  /**
   * Applies changes to one layer: 'replace' makes them the layer's whole content (AlterConfigs),
   * 'incremental' sets or removes each one (IncrementalAlterConfigs). Throws DynamicConfigError and
   * changes nothing when any change is refused.
   */
  alter(
    layer: ConfigLayer,
    changes: DynamicConfigChange[],
    mode: 'replace' | 'incremental',
    validateOnly: boolean,
  ): void {
    const next = mode === 'replace' ? {} : { ...this.layers[layer] };
    for (const change of changes) {
      this.check(change.name);
      if (change.value === null) delete next[change.name];
      else next[change.name] = String(parseValue(change.name, change.value));
    }
    if (validateOnly) return;
    this.layers = { ...this.layers, [layer]: next };
    writeFileAtomic(this.file, `${JSON.stringify(this.layers, null, 2)}\n`);
    this.applyAll();
  }

  private check(name: string): void {
    if (DYNAMIC_BROKER_SETTINGS[name] !== undefined) return;
    if (this.readOnlyNames.has(name)) {
      throw new DynamicConfigError(
        `${name} is read-only: it is set when the broker starts (venice broker --help). ` +
          `Settings that can change at runtime: ${Object.keys(DYNAMIC_BROKER_SETTINGS).join(', ')}`,
        'readOnly',
      );
    }
    throw new DynamicConfigError(
      `unknown broker config ${name}. Settings that can change at runtime: ` +
        `${Object.keys(DYNAMIC_BROKER_SETTINGS).join(', ')} (topic configs are altered on the topic)`,
      'invalid',
    );
  }

  private applyAll(): void {
    for (const [name, setting] of Object.entries(DYNAMIC_BROKER_SETTINGS)) {
      const value = this.layers.broker[name] ?? this.layers.clusterDefault[name];
      const effective = value === undefined ? this.staticValues[setting.key] : parseValue(name, value);
      (this.config as unknown as Record<SettingKey, number | boolean | undefined>)[setting.key] = effective;
    }
  }
}

function parseValue(name: string, text: string): number | boolean {
  const setting = DYNAMIC_BROKER_SETTINGS[name];
  if (!setting) throw new DynamicConfigError(`unknown broker config ${name}`, 'invalid');
  const trimmed = text.trim();
  if (setting.type === 'boolean') {
    if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
    throw new DynamicConfigError(`${name} must be true or false, got "${text}"`, 'invalid');
  }
  const value = Number(trimmed);
  const min = setting.min ?? 0;
  if (!/^-?\d+$/.test(trimmed) || !Number.isSafeInteger(value) || value < min) {
    throw new DynamicConfigError(
      `${name} must be a whole number of at least ${min}, got "${text}"`,
      'invalid',
    );
  }
  return value;
}

function parseLayers(json: unknown): StoredLayers {
  const layer = (value: unknown, name: string): Record<string, string> => {
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error(`"${name}" must be an object of config names to values`);
    const entries = Object.entries(value);
    for (const [key, item] of entries)
      if (typeof item !== 'string') throw new Error(`"${name}.${key}" must be a string`);
    return Object.fromEntries(entries) as Record<string, string>;
  };
  if (typeof json !== 'object' || json === null) throw new Error('expected a JSON object');
  const object = json as Record<string, unknown>;
  return {
    broker: layer(object.broker, 'broker'),
    clusterDefault: layer(object.clusterDefault, 'clusterDefault'),
  };
}
