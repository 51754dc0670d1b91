// Fills any request message with random values, driven by the generated schema metadata, so the fuzzer
// can build a well-formed request for every API and version without knowing them one by one.
import {
  SCHEMA_INFO,
  type FieldInfo,
  type MessageInfo,
} from '../../../src/protocol/generated/schema-info.js';
import { ZERO_UUID, type Uuid } from '../../../src/protocol/primitives.js';
import { encodeBatch } from '../../../src/protocol/records/record-codec.js';
import type { Prng } from './prng.js';

export type Message = Record<string, unknown>;

/** Names and ids that exist on the broker, so random requests reach past "unknown topic" answers. */
export interface FuzzWorld {
  topics: readonly string[];
  topicIds: readonly Uuid[];
  groups: readonly string[];
}

const REQUESTS = new Map<number, MessageInfo>(
  SCHEMA_INFO.filter((info) => info.kind === 'request').map((info) => [info.apiKey, info]),
);

/** Partition counts past this are turned into ones the broker refuses, so the fuzz cannot fill the disk. */
export const MAX_FUZZ_PARTITIONS = 16;
/** Long polls and rebalance waits are cut short so that pipelined answers keep flowing. */
const MAX_WAIT_MS = 50;

const INT8_EDGES = [-128, -1, 0, 1, 2, 3, 127];
const INT16_EDGES = [-32768, -2, -1, 0, 1, 2, 3, 255, 256, 32767];
const INT32_EDGES = [-2147483648, -2, -1, 0, 1, 2, 3, 255, 65535, 65536, 1 << 24, 2147483647];
const INT64_EDGES = [-(2n ** 63n), -2n, -1n, 0n, 1n, 2n, 2n ** 31n, 2n ** 53n, 2n ** 63n - 1n];
const FLOATS = [0, -0, 1, -1, 0.5, 1e308, -1e308, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE];

const ODD_STRINGS = [
  '',
  '.',
  '..',
  '...',
  '__consumer_offsets',
  // Legal lengths up to Kafka's 249 must fit in file names together with whatever the log adds.
  'a'.repeat(224),
  'a'.repeat(247),
  'a'.repeat(249),
  'a'.repeat(250),
  '../../etc/passwd',
  'con',
  'a/b',
  'a\\b',
  'nul\u0000in-name',
  'ünïcödé',
  '\ud800',
  '\u{1f600}',
  ' ',
  'topic with spaces',
  'fuzz.dot',
  'fuzz_dot',
];

const CONFIG_NAMES = [
  'cleanup.policy',
  'retention.ms',
  'retention.bytes',
  'segment.bytes',
  'segment.ms',
  'max.message.bytes',
  'min.compaction.lag.ms',
  'delete.retention.ms',
  'message.timestamp.type',
  'compression.type',
  'flush.messages',
  'flush.ms',
  'min.insync.replicas',
  'unknown.config',
];
const CONFIG_VALUES = [
  'compact',
  'delete',
  'compact,delete',
  '-1',
  '0',
  '1',
  '100',
  '1048576',
  'gzip',
  'LogAppendTime',
  'x',
];

/** The schema of a request message. */
export function requestInfo(apiKey: number): MessageInfo {
  const info = REQUESTS.get(apiKey);
  if (!info) throw new Error(`no request schema for api key ${apiKey}`);
  return info;
}

export function randomRequest(rng: Prng, world: FuzzWorld, apiKey: number, version: number): Message {
  const info = requestInfo(apiKey);
  return new MessageFiller(rng, world, info, version).struct(info.name);
}

function inRange(range: readonly [number, number] | null, version: number): boolean {
  return range !== null && version >= range[0] && version <= range[1];
}

class MessageFiller {
  constructor(
    private readonly rng: Prng,
    private readonly world: FuzzWorld,
    private readonly info: MessageInfo,
    private readonly version: number,
  ) {}

  struct(name: string, depth = 0): Message {
    const message: Message = {};
    // Every field gets a value, even those absent from this version: writers skip those, and tagged
    // fields compare against their struct's default, so none may be undefined.
    for (const field of this.info.structs[name]) {
      const nullable = inRange(field.nullableVersions, this.version);
      message[field.name] = nullable && this.rng.chance(0.1) ? null : this.value(field, field.type, depth);
    }
    return this.fixUp(name, message);
  }

  private value(field: FieldInfo, type: string, depth: number): unknown {
    if (type.startsWith('[]')) {
      const count = this.arrayLength(depth);
      const items: unknown[] = [];
      for (let i = 0; i < count; i++) items.push(this.value(field, type.slice(2), depth + 1));
      return items;
    }
    if (type.startsWith('struct:')) return this.struct(type.slice('struct:'.length), depth + 1);
    return this.primitive(field.name, type);
  }

  private arrayLength(depth: number): number {
    if (depth > 3) return this.rng.int(0, 1);
    return this.rng.weighted([
      [25, 0],
      [35, 1],
      [25, this.rng.int(2, 3)],
      [12, this.rng.int(4, 10)],
      [3, this.rng.int(11, 40)],
    ]);
  }

  private primitive(name: string, type: string): unknown {
    const rng = this.rng;
    switch (type) {
      case 'bool':
        return rng.chance(0.5);
      case 'int8':
        return rng.chance(0.6) ? rng.pick(INT8_EDGES) : rng.int(-128, 127);
      case 'int16':
        return rng.chance(0.6) ? rng.pick(INT16_EDGES) : rng.int(-32768, 32767);
      case 'uint16':
        return rng.chance(0.5) ? rng.pick([0, 1, 9092, 65535]) : rng.int(0, 65535);
      case 'int32':
        return this.int32(name);
      case 'int64':
        return rng.chance(0.3)
          ? rng.pick(INT64_EDGES)
          : rng.chance(0.5)
            ? BigInt(rng.int(-1, 1000))
            : rng.int64();
      case 'float64':
        return rng.chance(0.5) ? rng.pick(FLOATS) : (rng.float() - 0.5) * 2 ** rng.int(0, 1000);
      case 'string':
        return this.string(name);
      case 'bytes':
        return rng.bytes(
          rng.weighted([
            [60, rng.int(0, 16)],
            [35, rng.int(17, 300)],
            [5, rng.int(301, 5000)],
          ]),
        );
      case 'uuid':
        return this.uuid();
      case 'records':
        return this.records();
      default:
        throw new Error(`unknown primitive type ${type}`);
    }
  }

  private int32(name: string): number {
    const rng = this.rng;
    if (/partition|index/i.test(name) && rng.chance(0.7)) return rng.int(-1, 3);
    if (rng.chance(0.35)) return rng.int(-2, 10);
    if (rng.chance(0.4)) return rng.pick(INT32_EDGES);
    return rng.uint32() | 0;
  }

  private string(name: string): string {
    const rng = this.rng;
    const lower = name.toLowerCase();
    if (/group/.test(lower) && rng.chance(0.6)) return rng.pick(this.world.groups);
    if (/topic|^name$|resourcename/.test(lower) && rng.chance(0.6)) {
      return rng.chance(0.8) ? rng.pick(this.world.topics) : `fuzz-new-${rng.int(0, 19)}`;
    }
    if (/^name$|key|configname/.test(lower) && rng.chance(0.3)) return rng.pick(CONFIG_NAMES);
    if (/value/.test(lower) && rng.chance(0.3)) return rng.pick(CONFIG_VALUES);
    return rng.weighted<() => string>([
      [20, () => rng.pick(ODD_STRINGS)],
      [50, () => randomText(rng, rng.int(1, 24))],
      [8, () => randomText(rng, rng.int(25, 400))],
      [2, () => 'x'.repeat(rng.int(1000, 30000))],
      [10, () => rng.pick(this.world.topics)],
      [10, () => rng.pick(this.world.groups)],
    ])();
  }

  private uuid(): Uuid {
    const rng = this.rng;
    if (rng.chance(0.3)) return ZERO_UUID;
    if (rng.chance(0.4) && this.world.topicIds.length > 0) return rng.pick(this.world.topicIds);
    return rng.bytes(16).toString('hex');
  }

  private records(): Buffer {
    const rng = this.rng;
    return rng.weighted<() => Buffer>([
      [75, () => randomBatch(rng)],
      [10, () => Buffer.alloc(0)],
      [10, () => rng.bytes(rng.int(1, 200))],
      [5, () => Buffer.concat([randomBatch(rng), randomBatch(rng)])],
    ])();
  }

  /** Keeps the values that would make the run unbounded (disk, waits) within limits. */
  private fixUp(struct: string, message: Message): Message {
    // Metadata v10-11 names may be null on the wire, but only v12 serves lookups by id: Kafka refuses
    // such requests as invalid, so they belong to the mutated frames, not the valid ones.
    if (struct === 'MetadataRequestTopic' && this.version < 12 && message.name === null) message.name = '';
    // Every topic deleted is soon created again by some other request, and creating one costs the broker
    // fsyncs on its event loop: deleting a world topic now and then is enough.
    if (struct === 'DeleteTopicsRequest' && this.rng.chance(0.8)) {
      message.topicNames = (message.topicNames as string[]).map((name) => `${name}-not-here`);
      for (const topic of message.topics as Message[])
        topic.name = topic.name === null ? null : `${topic.name}-not-here`;
    }
    for (const key of ['numPartitions', 'count']) {
      const value = message[key];
      if (typeof value === 'number' && value > MAX_FUZZ_PARTITIONS && value <= 100_000) {
        message[key] = 100_001;
      }
    }
    for (const key of ['maxWaitMs', 'rebalanceTimeoutMs', 'sessionTimeoutMs']) {
      const value = message[key];
      if (typeof value === 'number' && value > MAX_WAIT_MS) message[key] = this.rng.int(0, MAX_WAIT_MS);
    }
    return message;
  }
}

function randomText(rng: Prng, length: number): string {
  const alphabet = rng.pick([
    'abcdefghijklmnopqrstuvwxyz',
    'abcXYZ019._-',
    ' !"#$%&\'()*+,/:;<=>?@[\\]^`{|}~\t\n',
    'äöüßéλжש中文😀',
  ]);
  const chars = [...alphabet];
  let out = '';
  for (let i = 0; i < length; i++) out += rng.pick(chars);
  // Mostly not a legal topic name: every topic a Metadata request auto-creates costs the broker files
  // and fsyncs, and the legal names above are plenty.
  if (rng.chance(0.9)) out += rng.pick(['/', ' ', '!', 'ä', ':']);
  return out;
}

const FUZZ_EPOCH_MS = 1_750_000_000_000;

/** A valid magic-2 batch with a few random records. */
export function randomBatch(rng: Prng): Buffer {
  const count = rng.weighted([
    [70, 1],
    [25, rng.int(2, 5)],
    [5, rng.int(6, 50)],
  ]);
  const records = [];
  for (let i = 0; i < count; i++) {
    records.push({
      key: rng.chance(0.3) ? null : rng.bytes(rng.int(0, 20)),
      value: rng.chance(0.1) ? null : rng.bytes(rng.int(0, 100)),
      headers: rng.chance(0.2) ? [{ key: 'h', value: rng.bytes(rng.int(0, 8)) }] : [],
    });
  }
  return encodeBatch({
    records,
    compression: rng.weighted([
      [80, 0 as const],
      [10, 1 as const],
      [10, 3 as const],
    ]),
    // A fixed epoch keeps the bytes the same from run to run.
    baseTimestamp: FUZZ_EPOCH_MS + rng.int(0, 1_000_000),
  });
}
