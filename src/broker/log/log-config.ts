// Topic configs: Kafka's names, Venice's defaults, parsing and validation, and the table DescribeConfigs lists.
// A topic keeps only its overrides (strings, as they arrived); the effective LogConfig is resolved from
// overrides, then broker defaults (topic config names), then the table's defaults.
import { ConfigError } from './errors.js';

export type ConfigType = 'boolean' | 'string' | 'int' | 'long' | 'double' | 'list';

/** Kafka's DescribeConfigs config_type codes. */
export const KafkaConfigType: Record<ConfigType, number> = {
  boolean: 1,
  string: 2,
  int: 3,
  long: 5,
  double: 6,
  list: 7,
};

/** Kafka's DescribeConfigs config_source codes used for topic configs. */
export const ConfigSource = {
  DYNAMIC_TOPIC_CONFIG: 1,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

export interface TopicConfigDefinition {
  readonly name: string;
  readonly type: ConfigType;
  /** Default as Kafka prints it. */
  readonly defaultValue: string;
  readonly readOnly: boolean;
  readonly doc: string;
  /** Throws ConfigError when the value is not acceptable. */
  readonly validate: (value: string) => void;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
export const LONG_MAX_STRING = INT64_MAX.toString();

function invalid(name: string, value: string, why: string): ConfigError {
  return new ConfigError(`Invalid value ${JSON.stringify(value)} for configuration ${name}: ${why}`);
}

function parseLong(name: string, value: string): bigint {
  const text = value.trim();
  if (!/^[-+]?\d+$/.test(text)) throw invalid(name, value, 'not a number of type LONG');
  const parsed = BigInt(text);
  if (parsed < INT64_MIN || parsed > INT64_MAX) throw invalid(name, value, 'out of range for type LONG');
  return parsed;
}

function parseInt32(name: string, value: string): number {
  const text = value.trim();
  if (!/^[-+]?\d+$/.test(text)) throw invalid(name, value, 'not a number of type INT');
  const parsed = Number(text);
  if (parsed < INT32_MIN || parsed > INT32_MAX) throw invalid(name, value, 'out of range for type INT');
  return parsed;
}

function parseDouble(name: string, value: string): number {
  const text = value.trim();
  const parsed = Number(text);
  if (text === '' || !Number.isFinite(parsed)) throw invalid(name, value, 'not a number of type DOUBLE');
  return parsed;
}

function parseList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function long(min: bigint, max = INT64_MAX) {
  return (name: string) => (value: string) => {
    const parsed = parseLong(name, value);
    if (parsed < min || parsed > max) throw invalid(name, value, `must be between ${min} and ${max}`);
  };
}

function int(min: number, max = INT32_MAX) {
  return (name: string) => (value: string) => {
    const parsed = parseInt32(name, value);
    if (parsed < min || parsed > max) throw invalid(name, value, `must be between ${min} and ${max}`);
  };
}

function double(min: number, max: number) {
  return (name: string) => (value: string) => {
    const parsed = parseDouble(name, value);
    if (parsed < min || parsed > max) throw invalid(name, value, `must be between ${min} and ${max}`);
  };
}

function oneOf(allowed: readonly string[]) {
  return (name: string) => (value: string) => {
    if (!allowed.includes(value.trim())) throw invalid(name, value, `must be one of ${allowed.join(', ')}`);
  };
}

function listOf(allowed: readonly string[], allowEmpty: boolean) {
  return (name: string) => (value: string) => {
    const items = parseList(value);
    if (items.length === 0 && !allowEmpty)
      throw invalid(name, value, `must list at least one of ${allowed.join(', ')}`);
    for (const item of items) {
      if (!allowed.includes(item)) throw invalid(name, value, `${item} is not one of ${allowed.join(', ')}`);
    }
  };
}

const boolean = () => (name: string) => (value: string) => {
  if (!/^(true|false)$/i.test(value.trim())) throw invalid(name, value, 'expected true or false');
};

function define(
  name: string,
  type: ConfigType,
  defaultValue: string,
  makeValidator: (name: string) => (value: string) => void,
  doc: string,
  readOnly = false,
): TopicConfigDefinition {
  return { name, type, defaultValue, readOnly, doc, validate: makeValidator(name) };
}

/** Every topic config Venice accepts, in Kafka's names. Some are accepted for compatibility and have no effect. */
export const TOPIC_CONFIGS: readonly TopicConfigDefinition[] = [
  define(
    'cleanup.policy',
    'list',
    'delete',
    listOf(['compact', 'delete'], false),
    'delete and/or compact old segments',
  ),
  define(
    'compression.type',
    'string',
    'producer',
    oneOf(['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd']),
    'codec of stored batches; producer keeps what the producer sent',
  ),
  define(
    'delete.retention.ms',
    'long',
    '86400000',
    long(0n),
    'how long tombstones stay after compaction first sees them',
  ),
  define(
    'file.delete.delay.ms',
    'long',
    '60000',
    long(0n),
    'accepted for compatibility; files are deleted at once',
  ),
  define('flush.messages', 'long', LONG_MAX_STRING, long(1n), 'fsync after this many messages'),
  define('flush.ms', 'long', LONG_MAX_STRING, long(0n), 'fsync when data is older than this'),
  define('index.interval.bytes', 'int', '4096', int(0), 'bytes of log between offset index entries'),
  define('max.compaction.lag.ms', 'long', LONG_MAX_STRING, long(1n), 'accepted for compatibility'),
  define('max.message.bytes', 'int', '1048588', int(0), 'largest record batch accepted'),
  define('message.downconversion.enable', 'boolean', 'true', boolean(), 'accepted for compatibility'),
  define('message.timestamp.after.max.ms', 'long', LONG_MAX_STRING, long(0n), 'accepted for compatibility'),
  define('message.timestamp.before.max.ms', 'long', LONG_MAX_STRING, long(0n), 'accepted for compatibility'),
  define(
    'message.timestamp.difference.max.ms',
    'long',
    LONG_MAX_STRING,
    long(0n),
    'accepted for compatibility',
  ),
  define(
    'message.timestamp.type',
    'string',
    'CreateTime',
    oneOf(['CreateTime', 'LogAppendTime']),
    'whose timestamp records keep',
  ),
  define(
    'min.cleanable.dirty.ratio',
    'double',
    '0.5',
    double(0, 1),
    'share of uncompacted bytes that triggers compaction',
  ),
  define('min.compaction.lag.ms', 'long', '0', long(0n), 'records younger than this are not compacted'),
  define('min.insync.replicas', 'int', '1', int(1), 'accepted; a single broker only ever has one replica'),
  define('preallocate', 'boolean', 'false', boolean(), 'accepted for compatibility'),
  define('retention.bytes', 'long', '-1', long(-1n), 'delete oldest segments above this size; -1 keeps all'),
  define('retention.ms', 'long', '-1', long(-1n), 'delete segments older than this; -1 keeps forever'),
  define('segment.bytes', 'int', '1073741824', int(14), 'roll a new segment at this size'),
  define(
    'segment.index.bytes',
    'int',
    '10485760',
    int(8),
    'roll a new segment when its offset index reaches this size',
  ),
  define('segment.jitter.ms', 'long', '0', long(0n), 'accepted for compatibility'),
  define('segment.ms', 'long', '604800000', long(1n), 'roll a new segment after this time'),
  define('unclean.leader.election.enable', 'boolean', 'false', boolean(), 'accepted for compatibility'),
];

const DEFINITIONS = new Map(TOPIC_CONFIGS.map((definition) => [definition.name, definition]));

export function topicConfigDefinition(name: string): TopicConfigDefinition | undefined {
  return DEFINITIONS.get(name);
}

/** The effective settings the log reads. Numbers are milliseconds or bytes; "never" is a very large number. */
export interface LogConfig {
  readonly retentionMs: number;
  readonly retentionBytes: number;
  readonly segmentBytes: number;
  readonly segmentMs: number;
  readonly compact: boolean;
  readonly delete: boolean;
  readonly flushMessages: number;
  readonly flushMs: number;
  readonly minCompactionLagMs: number;
  readonly deleteRetentionMs: number;
  readonly maxMessageBytes: number;
  readonly logAppendTime: boolean;
  readonly minCleanableDirtyRatio: number;
  readonly indexIntervalBytes: number;
  readonly segmentIndexBytes: number;
  readonly minInsyncReplicas: number;
  readonly compressionType: string;
}

/** Throws ConfigError unless every name is known and every value valid. */
export function validateTopicConfigs(configs: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(configs)) {
    const definition = DEFINITIONS.get(name);
    if (!definition) throw new ConfigError(`Unknown topic config name: ${name}`);
    if (typeof value !== 'string') throw new ConfigError(`Config ${name} needs a value`);
    definition.validate(value);
  }
}

/** The value a config takes for a topic, and where it came from. */
export function effectiveValue(
  name: string,
  overrides: Readonly<Record<string, string>>,
  brokerDefaults: Readonly<Record<string, string>>,
): { value: string; source: number } {
  if (overrides[name] !== undefined)
    return { value: overrides[name], source: ConfigSource.DYNAMIC_TOPIC_CONFIG };
  if (brokerDefaults[name] !== undefined)
    return { value: brokerDefaults[name], source: ConfigSource.STATIC_BROKER_CONFIG };
  const definition = DEFINITIONS.get(name);
  if (!definition) throw new ConfigError(`Unknown topic config name: ${name}`);
  return { value: definition.defaultValue, source: ConfigSource.DEFAULT_CONFIG };
}

export function resolveLogConfig(
  overrides: Readonly<Record<string, string>>,
  brokerDefaults: Readonly<Record<string, string>> = {},
): LogConfig {
  const text = (name: string) => effectiveValue(name, overrides, brokerDefaults).value.trim();
  const num = (name: string) => Number(text(name));
  const policy = parseList(text('cleanup.policy'));
  return {
    retentionMs: num('retention.ms'),
    retentionBytes: num('retention.bytes'),
    segmentBytes: num('segment.bytes'),
    segmentMs: num('segment.ms'),
    compact: policy.includes('compact'),
    delete: policy.includes('delete'),
    flushMessages: num('flush.messages'),
    flushMs: num('flush.ms'),
    minCompactionLagMs: num('min.compaction.lag.ms'),
    deleteRetentionMs: num('delete.retention.ms'),
    maxMessageBytes: num('max.message.bytes'),
    logAppendTime: text('message.timestamp.type') === 'LogAppendTime',
    minCleanableDirtyRatio: num('min.cleanable.dirty.ratio'),
    indexIntervalBytes: num('index.interval.bytes'),
    segmentIndexBytes: num('segment.index.bytes'),
    minInsyncReplicas: num('min.insync.replicas'),
    compressionType: text('compression.type'),
  };
}

export interface DescribedConfig {
  name: string;
  value: string;
  readOnly: boolean;
  /** ConfigSource code. */
  source: number;
  isDefault: boolean;
  type: ConfigType;
  /** KafkaConfigType code. */
  kafkaType: number;
  sensitive: false;
  doc: string;
}

/** Every supported config with its effective value, as DescribeConfigs lists it. */
export function describeTopicConfigs(
  overrides: Readonly<Record<string, string>>,
  brokerDefaults: Readonly<Record<string, string>> = {},
): DescribedConfig[] {
  return TOPIC_CONFIGS.map((definition) => {
    const { value, source } = effectiveValue(definition.name, overrides, brokerDefaults);
    return {
      name: definition.name,
      value,
      readOnly: definition.readOnly,
      source,
      isDefault: source === ConfigSource.DEFAULT_CONFIG,
      type: definition.type,
      kafkaType: KafkaConfigType[definition.type],
      sensitive: false,
      doc: definition.doc,
    };
  });
}

export type ConfigOperation = 'set' | 'delete' | 'append' | 'subtract';

export interface ConfigChange {
  name: string;
  /** Null removes the override (and is the only meaning of 'delete'). */
  value: string | null;
  /** For incremental changes; defaults to 'set' (or 'delete' when value is null). */
  op?: ConfigOperation;
}

/**
 * New overrides after a change. 'replace' is AlterConfigs: the given set becomes the whole override set.
 * 'incremental' is IncrementalAlterConfigs: each change applies to the current overrides.
 * Throws ConfigError; the caller persists the result.
 */
export function applyConfigChanges(
  current: Readonly<Record<string, string>>,
  changes: readonly ConfigChange[],
  mode: 'replace' | 'incremental',
  brokerDefaults: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const next: Record<string, string> = mode === 'replace' ? {} : { ...current };
  const seen = new Set<string>();
  for (const change of changes) {
    const definition = DEFINITIONS.get(change.name);
    if (!definition) throw new ConfigError(`Unknown topic config name: ${change.name}`);
    if (seen.has(change.name))
      throw new ConfigError(`Config ${change.name} is changed more than once in one request`);
    seen.add(change.name);
    if (definition.readOnly) throw new ConfigError(`Config ${change.name} is read-only`);
    const op = change.op ?? (change.value === null ? 'delete' : 'set');
    if (mode === 'replace' || op === 'set') {
      if (change.value === null) delete next[change.name];
      else next[change.name] = change.value;
    } else if (op === 'delete') {
      delete next[change.name];
    } else {
      if (definition.type !== 'list') {
        throw new ConfigError(
          `Config ${change.name} is not a list; ${op.toUpperCase()} only applies to list configs`,
        );
      }
      const items = parseList(effectiveValue(change.name, current, brokerDefaults).value);
      const given = parseList(change.value ?? '');
      const result =
        op === 'append'
          ? [...items, ...given.filter((item) => !items.includes(item))]
          : items.filter((item) => !given.includes(item));
      next[change.name] = result.join(',');
    }
  }
  validateTopicConfigs(next);
  return next;
}
