import { describe, expect, it } from 'vitest';
import { parseFormatProperties } from '../../../src/sql/formats/index.js';

const parse = (entries: Record<string, string>, defaults = {}) =>
  parseFormatProperties(new Map(Object.entries(entries)), defaults);

describe('parseFormatProperties', () => {
  it('takes FORMAT for both sides, KEY_FORMAT defaulting to KAFKA, names in any case', () => {
    expect(parse({ format: 'json' })).toMatchObject({ keyFormat: 'JSON', valueFormat: 'JSON' });
    expect(parse({ VALUE_FORMAT: 'Avro' })).toMatchObject({ keyFormat: 'KAFKA', valueFormat: 'AVRO' });
    expect(parse({ KEY_FORMAT: 'NONE' }, { valueFormat: 'JSON' })).toMatchObject({
      keyFormat: 'NONE',
      valueFormat: 'JSON',
    });
  });

  it("gives ksqlDB's messages", () => {
    expect(() => parse({ KEY_FORMAT: 'KAFKA', FORMAT: 'KAFKA' })).toThrow(
      "Cannot supply both 'KEY_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.",
    );
    expect(() => parse({ VALUE_FORMAT: 'foo' })).toThrow('Unknown format: FOO');
    expect(() => parse({ KEY_FORMAT: 'KAFKA' })).toThrow(
      "Statement is missing the 'VALUE_FORMAT' property from the WITH clause. Either provide one or set a default via the 'ksql.persistence.default.format.value' config.",
    );
    expect(() => parse({ VALUE_FORMAT: 'JSON', VALUE_DELIMITER: '|' })).toThrow(
      'JSON does not support the following configs: [delimiter]',
    );
    expect(() => parse({ VALUE_FORMAT: 'DELIMITED', VALUE_DELIMITER: '<~>' })).toThrow(
      "Failed to prepare statement: Configuration VALUE_DELIMITER is invalid: Invalid delimiter value: '<~>'. Delimiter must be a single character or TAB,SPACE\nExample valid value: ';'",
    );
    expect(() => parse({ VALUE_FORMAT: 'DELIMITED', VALUE_DELIMITER: ' ' })).toThrow(
      /Delimiter cannot be empty/,
    );
    expect(() => parse({ KEY_FORMAT: 'KAFKA', VALUE_FORMAT: 'PROTOBUF', KEY_SCHEMA_ID: '1' })).toThrow(
      'KEY_FORMAT should support schema inference when KEY_SCHEMA_ID is provided. Current format is KAFKA.',
    );
    expect(() => parse({ VALUE_FORMAT: 'AVRO', VALUE_AVRO_SCHEMA_FULL_NAME: ' ' })).toThrow(
      'fullSchemaName cannot be empty. Format configuration: {fullSchemaName=}',
    );
  });

  it('reads delimiters, WRAP_SINGLE_VALUE and schema ids', () => {
    const props = parse({
      FORMAT: 'DELIMITED',
      KEY_DELIMITER: ';',
      VALUE_DELIMITER: 'TAB',
      WRAP_SINGLE_VALUE: 'false',
    });
    expect(props.keyOptions).toEqual({ delimiter: ';' });
    expect(props.valueOptions).toEqual({ delimiter: '\t', wrapSingleValue: false });
    expect(props.explicitWrap).toBe(true);
    expect(
      parse({ VALUE_FORMAT: 'AVRO', VALUE_SCHEMA_ID: '7', VALUE_SCHEMA_FULL_NAME: 'a.B' }).valueOptions,
    ).toEqual({
      schemaId: 7,
      schemaFullName: 'a.B',
    });
  });
});
