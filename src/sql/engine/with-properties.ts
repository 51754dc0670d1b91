// The WITH (...) clause of CREATE, CREATE ... AS SELECT and INSERT INTO: which names each statement
// accepts, and their values read as ksqlDB reads them (numbers, durations, window types), with its
// messages for what is wrong.
import type { Property, PropertyValue } from '../parser/index.js';
import type { WindowInfo, WindowType } from '../planner/data-source.js';

const FORMAT_NAMES = [
  'FORMAT',
  'KEY_FORMAT',
  'VALUE_FORMAT',
  'WRAP_SINGLE_VALUE',
  'VALUE_DELIMITER',
  'KEY_DELIMITER',
  'KEY_SCHEMA_ID',
  'VALUE_SCHEMA_ID',
  'KEY_SCHEMA_FULL_NAME',
  'VALUE_SCHEMA_FULL_NAME',
  'VALUE_AVRO_SCHEMA_FULL_NAME',
  'KEY_PROTOBUF_NULLABLE_REPRESENTATION',
  'VALUE_PROTOBUF_NULLABLE_REPRESENTATION',
];
const COMMON_NAMES = [
  'KAFKA_TOPIC',
  'PARTITIONS',
  'REPLICAS',
  'RETENTION_MS',
  'CLEANUP_POLICY',
  'TIMESTAMP',
  'TIMESTAMP_FORMAT',
  ...FORMAT_NAMES,
];

/** The names each kind of statement accepts, as ksqlDB's CreateConfigs, CreateAsConfigs, InsertIntoConfigs. */
export const ACCEPTED_PROPERTIES = {
  CREATE: new Set([
    ...COMMON_NAMES,
    'WINDOW_TYPE',
    'WINDOW_SIZE',
    'SOURCE_CONNECTOR',
    'SOURCED_BY_CONNECTOR',
  ]),
  CREATE_AS: new Set(COMMON_NAMES),
  INSERT: new Set(['QUERY_ID']),
} as const;

export class WithPropertyError extends Error {
  override readonly name = 'WithPropertyError';
}

/** A WITH clause: names upper case, values as text (a string literal's content, a number as written). */
export class WithProperties {
  private readonly values: Map<string, string>;

  constructor(properties: readonly Property[], accepted: ReadonlySet<string>) {
    this.values = new Map(properties.map((p) => [p.name.toUpperCase(), literalText(p.value)]));
    const unknown = [...this.values.keys()].filter((name) => !accepted.has(name));
    if (unknown.length > 0) {
      throw new WithPropertyError(`Invalid config variable(s) in the WITH clause: ${unknown.join(',')}`);
    }
  }

  /** The properties that say how keys and values are serialized, for formats' parseFormatProperties. */
  formatProperties(): Map<string, string> {
    return new Map([...this.values].filter(([name]) => FORMAT_NAMES.includes(name)));
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  string(name: string): string | undefined {
    return this.values.get(name);
  }

  /** A required property: ksqlDB's message when missing. */
  requiredString(name: string): string {
    const value = this.values.get(name);
    if (value === undefined) {
      throw new WithPropertyError(`Missing required property "${name}" which has no default value.`);
    }
    return value;
  }

  integer(name: string): number | undefined {
    const text = this.values.get(name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isSafeInteger(value)) {
      throw new WithPropertyError(`Invalid value ${text} for property ${name}: Not a number of type INT`);
    }
    return value;
  }

  /** WINDOW_TYPE and WINDOW_SIZE of a windowed source (CREATE over a windowed topic). */
  window(): WindowInfo | undefined {
    const typeText = this.values.get('WINDOW_TYPE');
    const sizeText = this.values.get('WINDOW_SIZE');
    if (typeText === undefined) {
      if (sizeText !== undefined) {
        throw new WithPropertyError("'WINDOW_SIZE' should not be set without 'WINDOW_TYPE'.");
      }
      return undefined;
    }
    const type = typeText.toUpperCase();
    if (type !== 'TUMBLING' && type !== 'HOPPING' && type !== 'SESSION') {
      throw new WithPropertyError(
        `Error in WITH clause property 'WINDOW_TYPE': Unknown window type: '${typeText}'`,
      );
    }
    if (type === 'SESSION') {
      if (sizeText !== undefined) {
        throw new WithPropertyError("'WINDOW_SIZE' should not be set for SESSION windows.");
      }
      return { type };
    }
    if (sizeText === undefined) {
      throw new WithPropertyError(
        `${type} windows require 'WINDOW_SIZE' to be provided in the WITH clause. ` +
          "For example: 'WINDOW_SIZE'='10 SECONDS'",
      );
    }
    return { type: type satisfies WindowType, sizeMs: parseDuration('WINDOW_SIZE', sizeText) };
  }
}

const UNIT_MS: Readonly<Record<string, number>> = {
  MILLISECOND: 1,
  SECOND: 1000,
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
};

/** `10 SECONDS`, `1 HOUR`: ksqlDB's DurationParser, in ms. */
export function parseDuration(property: string, text: string): number {
  const invalid = (reason: string): WithPropertyError =>
    new WithPropertyError(`Configuration ${property} is invalid: Invalid duration: '${text}'. ${reason}`);
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 2) throw invalid('Expected <number> <unit>');
  const [amountText, unitText] = parts;
  if (!/^\d+$/.test(amountText)) throw invalid(`Not a number: '${amountText}'`);
  const unit = unitText.toUpperCase().replace(/S$/, '');
  const factor = UNIT_MS[unit];
  if (factor === undefined) throw invalid(`Unknown time unit: '${unitText.toUpperCase()}'`);
  return Number(amountText) * factor;
}

function literalText(value: PropertyValue): string {
  switch (value.kind) {
    case 'StringLiteral':
      return value.value;
    case 'NumberLiteral':
      return value.text;
    case 'BooleanLiteral':
      return String(value.value);
    case 'NullLiteral':
      return 'null';
  }
}
