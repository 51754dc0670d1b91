import { describe, expect, it } from 'vitest';
import { Writer } from '../../../src/protocol/primitives.js';
import {
  decodeGroupMetadataValue,
  decodeOffsetCommitValue,
  decodeRecordKey,
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
  type GroupMetadataValue,
} from '../../../src/broker/groups/index.js';

describe('__consumer_offsets keys', () => {
  it('encodes offset keys as version 1 {group, topic, partition}', () => {
    const key = encodeOffsetCommitKey('g', 'orders', 7);
    const expected = new Writer().int16(1).string('g').string('orders').int32(7).toBuffer();
    expect(key).toEqual(expected);
    expect(decodeRecordKey(key)).toEqual({ kind: 'offset', group: 'g', topic: 'orders', partition: 7 });
  });

  it('reads version 0 offset keys the same way', () => {
    const key = new Writer().int16(0).string('g').string('t').int32(1).toBuffer();
    expect(decodeRecordKey(key)).toEqual({ kind: 'offset', group: 'g', topic: 't', partition: 1 });
  });

  it('encodes group keys as version 2 {group}', () => {
    const key = encodeGroupMetadataKey('payments');
    expect(key).toEqual(new Writer().int16(2).string('payments').toBuffer());
    expect(decodeRecordKey(key)).toEqual({ kind: 'group', group: 'payments' });
  });

  it('reports key versions of other record types (new consumer protocol, share groups) as other', () => {
    expect(decodeRecordKey(new Writer().int16(3).string('g').toBuffer())).toEqual({
      kind: 'other',
      version: 3,
    });
  });
});

describe('offset commit values', () => {
  it('writes version 3 (with leader epoch) and reads it back', () => {
    const value = {
      offset: 42n,
      leaderEpoch: 5,
      metadata: 'm',
      commitTimestamp: 1_700_000_000_000,
      expireTimestamp: -1,
    };
    const encoded = encodeOffsetCommitValue(value);
    const expected = new Writer()
      .int16(3)
      .int64(42n)
      .int32(5)
      .string('m')
      .int64(1_700_000_000_000n)
      .toBuffer();
    expect(encoded).toEqual(expected);
    expect(decodeOffsetCommitValue(encoded)).toEqual(value);
  });

  it('writes version 1 when an explicit retention gives an expiry', () => {
    const value = {
      offset: 1n,
      leaderEpoch: -1,
      metadata: '',
      commitTimestamp: 1000,
      expireTimestamp: 61_000,
    };
    const encoded = encodeOffsetCommitValue(value);
    expect(encoded.readInt16BE(0)).toBe(1);
    expect(decodeOffsetCommitValue(encoded)).toEqual(value);
  });

  it('reads version 0 and the flexible version 4 with tagged fields', () => {
    const v0 = new Writer().int16(0).int64(9n).string('meta').int64(123n).toBuffer();
    expect(decodeOffsetCommitValue(v0)).toEqual({
      offset: 9n,
      leaderEpoch: -1,
      metadata: 'meta',
      commitTimestamp: 123,
      expireTimestamp: -1,
    });
    const v4 = new Writer()
      .int16(4)
      .int64(10n)
      .int32(2)
      .compactString('x')
      .int64(456n)
      .uvarint(1) // one unknown tagged field
      .uvarint(0)
      .uvarint(2)
      .raw(Buffer.from([1, 2]))
      .toBuffer();
    expect(decodeOffsetCommitValue(v4)).toEqual({
      offset: 10n,
      leaderEpoch: 2,
      metadata: 'x',
      commitTimestamp: 456,
      expireTimestamp: -1,
    });
  });
});

describe('group metadata values', () => {
  const value: GroupMetadataValue = {
    protocolType: 'consumer',
    generation: 3,
    protocol: 'range',
    leader: 'm-1',
    currentStateTimestamp: 1_700_000_000_000,
    members: [
      {
        memberId: 'm-1',
        groupInstanceId: 'i-1',
        clientId: 'c',
        clientHost: '/10.0.0.1',
        rebalanceTimeoutMs: 300_000,
        sessionTimeoutMs: 45_000,
        subscription: Buffer.from([0, 1]),
        assignment: Buffer.from([2, 3, 4]),
      },
    ],
  };

  it('writes version 3 in Kafka layout and reads it back', () => {
    const encoded = encodeGroupMetadataValue(value);
    const expected = new Writer()
      .int16(3)
      .string('consumer')
      .int32(3)
      .nullableString('range')
      .nullableString('m-1')
      .int64(1_700_000_000_000n)
      .int32(1)
      .string('m-1')
      .nullableString('i-1')
      .string('c')
      .string('/10.0.0.1')
      .int32(300_000)
      .int32(45_000)
      .bytes(Buffer.from([0, 1]))
      .bytes(Buffer.from([2, 3, 4]))
      .toBuffer();
    expect(encoded).toEqual(expected);
    expect(decodeGroupMetadataValue(encoded)).toEqual(value);
  });

  it('reads version 0 (one timeout, no timestamp, no instance id) and an empty group', () => {
    const v0 = new Writer()
      .int16(0)
      .string('consumer')
      .int32(1)
      .nullableString('range')
      .nullableString('m')
      .int32(1)
      .string('m')
      .string('c')
      .string('h')
      .int32(10_000)
      .bytes(Buffer.alloc(0))
      .bytes(Buffer.from([9]))
      .toBuffer();
    const decoded = decodeGroupMetadataValue(v0);
    expect(decoded.currentStateTimestamp).toBe(-1);
    expect(decoded.members[0]).toMatchObject({
      groupInstanceId: null,
      rebalanceTimeoutMs: 10_000,
      sessionTimeoutMs: 10_000,
    });
    const empty = encodeGroupMetadataValue({ ...value, protocol: null, leader: null, members: [] });
    expect(decodeGroupMetadataValue(empty)).toMatchObject({ protocol: null, leader: null, members: [] });
  });

  it('reads the flexible version 4', () => {
    const v4 = new Writer()
      .int16(4)
      .compactString('consumer')
      .int32(2)
      .compactNullableString(null)
      .compactNullableString(null)
      .int64(5n)
      .uvarint(2) // one member
      .compactString('m')
      .compactNullableString(null)
      .compactString('c')
      .compactString('h')
      .int32(1)
      .int32(2)
      .compactBytes(Buffer.from([1]))
      .compactBytes(Buffer.from([2]))
      .uvarint(0) // member tagged fields
      .uvarint(0) // top-level tagged fields
      .toBuffer();
    expect(decodeGroupMetadataValue(v4)).toEqual({
      protocolType: 'consumer',
      generation: 2,
      protocol: null,
      leader: null,
      currentStateTimestamp: 5,
      members: [
        {
          memberId: 'm',
          groupInstanceId: null,
          clientId: 'c',
          clientHost: 'h',
          rebalanceTimeoutMs: 1,
          sessionTimeoutMs: 2,
          subscription: Buffer.from([1]),
          assignment: Buffer.from([2]),
        },
      ],
    });
  });
});
