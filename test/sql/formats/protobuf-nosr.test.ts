import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import {
  createSerde,
  parseFormatProperties,
  SerdeError,
  type SerdeTarget,
} from '../../../src/sql/formats/index.js';
import type { Column } from '../../../src/sql/planner/schema.js';
import { SqlDecimal, SqlTypes, type SqlType } from '../../../src/sql/types/index.js';

const col = (name: string, type: SqlType, namespace: 'KEY' | 'VALUE' = 'VALUE'): Column => ({
  name,
  type,
  namespace,
});
const target = (columns: Column[], extra: Partial<SerdeTarget> = {}): SerdeTarget => ({
  topic: 'nosr',
  isKey: false,
  columns,
  format: 'PROTOBUF_NOSR',
  options: {},
  ...extra,
});

describe('PROTOBUF_NOSR', () => {
  it('is a format of the WITH clause, and needs no schema registry', async () => {
    const props = parseFormatProperties(new Map([['format', 'protobuf_nosr']]));
    expect([props.keyFormat, props.valueFormat]).toEqual(['PROTOBUF_NOSR', 'PROTOBUF_NOSR']);
    await expect(createSerde(target([col('V', SqlTypes.STRING)]))).resolves.toBeDefined();
  });

  it('writes the bare message of ConnectDefault1 (no magic byte, no schema id)', async () => {
    const serde = await createSerde(target([col('I', SqlTypes.INTEGER), col('S', SqlTypes.STRING)]));
    const bytes = serde.serialize([150, 'hi']) as Buffer;
    const reader = protobuf
      .parse('syntax = "proto3"; message ConnectDefault1 { int32 I = 1; string S = 2; }', { keepCase: true })
      .root.lookupType('ConnectDefault1');
    expect(reader.toObject(reader.decode(bytes))).toEqual({ I: 150, S: 'hi' });
    expect(bytes[0]).toBe(0x08); // field 1, varint: the message starts at once
    expect(serde.deserialize(bytes)).toEqual([150, 'hi']);
    expect(serde.serialize(null)).toBeNull();
    expect(serde.deserialize(null)).toBeNull();
  });

  it('writes NULL scalars as proto3 defaults, and round-trips nested and well-known types', async () => {
    const columns = [
      col('L', SqlTypes.BIGINT),
      col('D', SqlTypes.DOUBLE),
      col('B', SqlTypes.BOOLEAN),
      col('DEC', SqlTypes.decimal(6, 4)),
      col('DAY', SqlTypes.DATE),
      col('BYTES', SqlTypes.BYTES),
      col('A', SqlTypes.array(SqlTypes.STRING)),
      col('M', SqlTypes.map(SqlTypes.STRING, SqlTypes.INTEGER)),
      col('ST', SqlTypes.struct([{ name: 'X', type: SqlTypes.INTEGER }])),
    ];
    const serde = await createSerde(target(columns));
    const row = [
      998877665544332211n,
      2.5,
      true,
      SqlDecimal.parse('10.0000'),
      -10,
      new Uint8Array([1, 2]),
      ['a', 'b'],
      new Map([['k', 1]]),
      { X: 7 },
    ];
    expect(serde.deserialize(serde.serialize(row))).toEqual(row);
    const nulls = serde.deserialize(serde.serialize([null, null, null, null, null, null, null, null, null]));
    expect(nulls?.slice(0, 3)).toEqual([0n, 0, false]);
  });

  it('writes a key as a message, and an all-NULL key as a null key', async () => {
    const key = await createSerde(
      target([col('K1', SqlTypes.STRING, 'KEY'), col('K2', SqlTypes.INTEGER, 'KEY')], { isKey: true }),
    );
    expect(key.deserialize(key.serialize(['a', 1]))).toEqual(['a', 1]);
    expect(key.serialize([null, null])).toBeNull();
    const single = await createSerde(target([col('K', SqlTypes.STRING, 'KEY')], { isKey: true }));
    expect(single.deserialize(single.serialize(['x']))).toEqual(['x']);
  });

  it('reports bytes that are not the message', async () => {
    const serde = await createSerde(target([col('I', SqlTypes.INTEGER)]));
    expect(() => serde.deserialize(Buffer.from([0x0a, 0x05, 0x01]))).toThrow(SerdeError);
  });
});
