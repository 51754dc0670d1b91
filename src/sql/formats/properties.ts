// The format properties of a WITH clause (CREATE STREAM/TABLE, and the sink of CREATE ... AS SELECT), read
// as ksqlDB reads them, with its messages.
import { FormatError, type FormatName, type FormatOptions } from './format.js';

export const FORMAT_NAMES: readonly FormatName[] = [
  'JSON',
  'JSON_SR',
  'AVRO',
  'PROTOBUF',
  'PROTOBUF_NOSR',
  'DELIMITED',
  'KAFKA',
  'NONE',
];

/** Formats whose schemas live in the schema registry: they can infer columns and take *_SCHEMA_ID. */
export const SCHEMA_REGISTRY_FORMATS: ReadonlySet<FormatName> = new Set(['JSON_SR', 'AVRO', 'PROTOBUF']);

export interface FormatDefaults {
  /** ksql.persistence.default.format.key (ksqlDB's default: KAFKA), or the source's for a sink. */
  readonly keyFormat?: FormatName;
  /** ksql.persistence.default.format.value, or the source's for a sink; without it VALUE_FORMAT is required. */
  readonly valueFormat?: FormatName;
}

export interface FormatProperties {
  readonly keyFormat: FormatName;
  readonly valueFormat: FormatName;
  readonly keyOptions: FormatOptions;
  readonly valueOptions: FormatOptions;
  /**
   * WRAP_SINGLE_VALUE was written in the WITH clause (then validateSerdeTarget checks it against the
   * columns); when absent, valueOptions.wrapSingleValue is unset and the caller applies
   * ksql.persistence.wrap.single.values.
   */
  readonly explicitWrap: boolean;
}

/** A format name as written ('json', 'Avro') to ours; throws ksqlDB's "Unknown format: FOO". */
export function parseFormatName(text: string): FormatName {
  const name = text.trim().toUpperCase();
  if (!(FORMAT_NAMES as readonly string[]).includes(name)) throw new FormatError(`Unknown format: ${name}`);
  return name as FormatName;
}

const DELIMITER_NAMES: Readonly<Record<string, string>> = { TAB: '\t', SPACE: ' ' };

/** VALUE_DELIMITER / KEY_DELIMITER: one character, or TAB / SPACE by name. */
export function parseDelimiter(property: string, text: string): string {
  const invalid = (reason: string) =>
    new FormatError(
      `Failed to prepare statement: Configuration ${property} is invalid: ${reason}\nExample valid value: ';'`,
    );
  const named = DELIMITER_NAMES[text.toUpperCase()];
  if (named !== undefined) return named;
  if (text.trim() === '') {
    throw invalid(
      "Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'",
    );
  }
  if (text.length !== 1) {
    throw invalid(`Invalid delimiter value: '${text}'. Delimiter must be a single character or TAB,SPACE`);
  }
  return text;
}

function parseBoolean(property: string, text: string): boolean {
  const lower = text.trim().toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new FormatError(`Property ${property} must be true or false, got '${text}'`);
}

function parseSchemaId(property: string, text: string): number {
  const id = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(id)) {
    throw new FormatError(`Property ${property} must be a schema id (a whole number), got '${text}'`);
  }
  return id;
}

function parseFullName(text: string): string {
  if (text.trim() === '') {
    throw new FormatError(
      `fullSchemaName cannot be empty. Format configuration: {fullSchemaName=${text.trim()}}`,
    );
  }
  return text;
}

interface SideOptions {
  delimiter?: string;
  wrapSingleValue?: boolean;
  schemaId?: number;
  schemaFullName?: string;
}

/**
 * Reads FORMAT, KEY_FORMAT, VALUE_FORMAT, KEY_DELIMITER, VALUE_DELIMITER, WRAP_SINGLE_VALUE,
 * KEY_SCHEMA_ID, VALUE_SCHEMA_ID, KEY_SCHEMA_FULL_NAME, VALUE_SCHEMA_FULL_NAME (or *_AVRO_SCHEMA_FULL_NAME) (names in any case;
 * other properties are ignored). Throws FormatError with ksqlDB's message on conflicts and bad values.
 */
export function parseFormatProperties(
  props: ReadonlyMap<string, string>,
  defaults: FormatDefaults = {},
): FormatProperties {
  const upper = new Map<string, string>();
  for (const [name, value] of props) upper.set(name.toUpperCase(), value);
  const format = upper.get('FORMAT');
  for (const side of ['KEY_FORMAT', 'VALUE_FORMAT']) {
    if (format !== undefined && upper.has(side)) {
      throw new FormatError(
        `Cannot supply both '${side}' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. ` +
          "Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.",
      );
    }
  }
  const keyText = format ?? upper.get('KEY_FORMAT');
  const valueText = format ?? upper.get('VALUE_FORMAT');
  const keyFormat = keyText !== undefined ? parseFormatName(keyText) : (defaults.keyFormat ?? 'KAFKA');
  if (valueText === undefined && defaults.valueFormat === undefined) {
    throw new FormatError(
      "Statement is missing the 'VALUE_FORMAT' property from the WITH clause. Either provide one or set a " +
        "default via the 'ksql.persistence.default.format.value' config.",
    );
  }
  const valueFormat =
    valueText !== undefined ? parseFormatName(valueText) : (defaults.valueFormat as FormatName);

  const keyOptions: SideOptions = {};
  const valueOptions: SideOptions = {};
  const sides = [
    { prefix: 'KEY', format: keyFormat, options: keyOptions },
    { prefix: 'VALUE', format: valueFormat, options: valueOptions },
  ];
  for (const { prefix, format: sideFormat, options } of sides) {
    const delimiter = upper.get(`${prefix}_DELIMITER`);
    if (delimiter !== undefined) {
      if (sideFormat !== 'DELIMITED') {
        throw new FormatError(`${sideFormat} does not support the following configs: [delimiter]`);
      }
      options.delimiter = parseDelimiter(`${prefix}_DELIMITER`, delimiter);
    }
    const schemaId = upper.get(`${prefix}_SCHEMA_ID`);
    if (schemaId !== undefined) {
      if (!SCHEMA_REGISTRY_FORMATS.has(sideFormat)) {
        throw new FormatError(
          `${prefix}_FORMAT should support schema inference when ${prefix}_SCHEMA_ID is provided. ` +
            `Current format is ${sideFormat}.`,
        );
      }
      options.schemaId = parseSchemaId(`${prefix}_SCHEMA_ID`, schemaId);
    }
    // VALUE_AVRO_SCHEMA_FULL_NAME is the older spelling ksqlDB still takes.
    const fullName = upper.get(`${prefix}_SCHEMA_FULL_NAME`) ?? upper.get(`${prefix}_AVRO_SCHEMA_FULL_NAME`);
    if (fullName !== undefined) options.schemaFullName = parseFullName(fullName);
  }
  const wrap = upper.get('WRAP_SINGLE_VALUE');
  if (wrap !== undefined) valueOptions.wrapSingleValue = parseBoolean('WRAP_SINGLE_VALUE', wrap);
  return { keyFormat, valueFormat, keyOptions, valueOptions, explicitWrap: wrap !== undefined };
}
