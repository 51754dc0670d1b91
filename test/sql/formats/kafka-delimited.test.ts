import { describe, expect, it } from 'vitest';
import {
  createSerde,
  FormatError,
  type FormatName,
  type SerdeTarget,
} from '../../../src/sql/formats/index.js';
import { parseCsvRecord, writeCsvRecord } from '../../../src/sql/formats/delimited/csv.js';
import type { Column } from '../../../src/sql/planner/schema.js';
import { SqlDecimal, SqlTypes, type SqlType } from '../../../src/sql/types/index.js';

const col = (name: string, type: SqlType, namespace: 'KEY' | 'VALUE' = 'VALUE'): Column => ({
  name,
  type,
  namespace,
});
const target = (format: FormatName, columns: Column[], extra: Partial<SerdeTarget> = {}): SerdeTarget => ({
  topic: 't',
  isKey: false,
  columns,
  format,
  options: {},
  ...extra,
});

describe('KAFKA serde', () => {
  it('writes Kafka primitives big-endian', async () => {
    const int = await createSerde(target('KAFKA', [col('V', SqlTypes.INTEGER)]));
    expect(int.serialize([258])).toEqual(Buffer.from([0, 0, 1, 2]));
    expect(int.deserialize(Buffer.from([0xff, 0xff, 0xff, 0xfe]))).toEqual([-2]);
    const long = await createSerde(target('KAFKA', [col('V', SqlTypes.BIGINT)]));
    expect(long.deserialize(long.serialize([998877665544332211n]))).toEqual([998877665544332211n]);
    const double = await createSerde(target('KAFKA', [col('V', SqlTypes.DOUBLE)]));
    expect(double.serialize([1.5])).toEqual(Buffer.from([0x3f, 0xf8, 0, 0, 0, 0, 0, 0]));
    const string = await createSerde(target('KAFKA', [col('V', SqlTypes.STRING)]));
    expect(string.deserialize(Buffer.from('héllo'))).toEqual(['héllo']);
    const bytes = await createSerde(target('KAFKA', [col('V', SqlTypes.BYTES)]));
    expect(bytes.serialize([new Uint8Array([9, 8])])).toEqual(Buffer.from([9, 8]));
  });

  it("fails on bytes of the wrong size, with Kafka's message", async () => {
    const int = await createSerde(target('KAFKA', [col('V', SqlTypes.INTEGER)]));
    expect(() => int.deserialize(Buffer.from([1, 2]))).toThrow(
      'Size of data received by IntegerDeserializer is not 4',
    );
  });

  it("refuses types and column counts it cannot hold, with ksqlDB's messages", async () => {
    await expect(createSerde(target('KAFKA', [col('V', SqlTypes.array(SqlTypes.INTEGER))]))).rejects.toThrow(
      "The 'KAFKA' format does not support type 'ARRAY'",
    );
    await expect(
      createSerde(target('KAFKA', [col('A', SqlTypes.INTEGER), col('B', SqlTypes.STRING)])),
    ).rejects.toThrow("The 'KAFKA' format only supports a single field. Got: [`A` INTEGER, `B` STRING]");
    await expect(
      createSerde(target('KAFKA', [col('K', SqlTypes.BOOLEAN, 'KEY')], { isKey: true })),
    ).rejects.toThrow(
      "Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`K` BOOLEAN KEY], features=[]}\nreason: The 'KAFKA' format does not support type 'BOOLEAN'",
    );
    await expect(
      createSerde(target('KAFKA', [col('V', SqlTypes.INTEGER)], { options: { wrapSingleValue: true } })),
    ).rejects.toThrow(FormatError);
  });
});

describe('CSV records', () => {
  it('reads quotes and doubled quotes', () => {
    expect(parseCsvRecord('"foo","b""ar",,x', ',')).toEqual(['foo', 'b"ar', '', 'x']);
    expect(parseCsvRecord('foo,bar;baz', ';')).toEqual(['foo,bar', 'baz']);
    expect(() => parseCsvRecord('"abc', ',')).toThrow(/EOF reached/);
  });

  it('quotes as Commons CSV does', () => {
    expect(writeCsvRecord(['-1', 'a', '1'], ',')).toBe('"-1",a,1');
    expect(writeCsvRecord(['!', 'IQ==', '!'], ',')).toBe('"!",IQ==,"!"');
    expect(writeCsvRecord([null, null, '100'], ',')).toBe(',,100');
    expect(writeCsvRecord(['', 'a,b', 'end '], ',')).toBe('"","a,b","end "');
    expect(writeCsvRecord([' \t x \t', 'ok'], ',')).toBe('" \t x \t",ok');
  });
});

describe('DELIMITED serde', () => {
  const columns = [
    col('ID', SqlTypes.BIGINT),
    col('NAME', SqlTypes.STRING),
    col('V', SqlTypes.INTEGER),
    col('D', SqlTypes.decimal(33, 16)),
  ];

  it('reads empty fields as NULL and fits decimals', async () => {
    const serde = await createSerde(target('DELIMITED', columns));
    expect(serde.deserialize(Buffer.from('0,zero,,.12'))).toEqual([
      0n,
      'zero',
      null,
      SqlDecimal.parse('0.1200000000000000'),
    ]);
  });

  it('uses the delimiter given (TAB, SPACE, |)', async () => {
    const serde = await createSerde(target('DELIMITED', columns, { options: { delimiter: '\t' } }));
    expect(serde.serialize([100n, 'x y', 5, null])?.toString()).toBe('100\tx y\t5\t');
  });

  it('counts the columns', async () => {
    const serde = await createSerde(target('DELIMITED', columns));
    expect(() => serde.deserialize(Buffer.from('1,2'))).toThrow(/expected: 4, got: 2/);
    expect(() => serde.deserialize(Buffer.from('x,a,1,1'))).toThrow(/Could not parse column `ID` from 'x'/);
  });

  it('refuses nested types', async () => {
    await expect(createSerde(target('DELIMITED', [col('S', SqlTypes.struct([]))]))).rejects.toThrow(
      "The 'DELIMITED' format does not support type 'STRUCT'",
    );
  });
});

describe('NONE serde', () => {
  it('holds no columns and ignores the bytes', async () => {
    const serde = await createSerde(target('NONE', [], { isKey: true }));
    expect(serde.deserialize(Buffer.from('ignored'))).toEqual([]);
    expect(serde.serialize([])).toBeNull();
    await expect(
      createSerde(target('NONE', [col('K', SqlTypes.STRING, 'KEY')], { isKey: true })),
    ).rejects.toThrow(
      "The 'NONE' format can only be used when no columns are defined. Got: [`K` STRING KEY]",
    );
  });
});
