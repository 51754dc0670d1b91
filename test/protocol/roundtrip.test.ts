import { describe, expect, it } from 'vitest';
import { ProtocolError, Reader, Writer } from '../../src/protocol/primitives.js';
import {
  SCHEMA_INFO,
  type FieldInfo,
  type MessageInfo,
  type VersionRange,
} from '../../src/protocol/generated/schema-info.js';
import {
  API_SPECS,
  ApiKey,
  defaultResponseBody,
  isApiKey,
  isSupportedVersion,
  readRequestBody,
  readResponseBody,
  writeRequestBody,
  writeResponseBody,
} from '../../src/protocol/generated/apis.js';
import {
  readRequestHeader,
  requestHeaderVersion,
  responseHeaderVersion,
} from '../../src/protocol/api-headers.js';
import { writeRequestHeader } from '../../src/protocol/generated/request-header.js';
import { readResponseHeader, writeResponseHeader } from '../../src/protocol/generated/response-header.js';
import {
  readApiVersionsRequest,
  writeApiVersionsRequest,
} from '../../src/protocol/generated/api-versions-request.js';
import {
  defaultApiVersionsResponse,
  readApiVersionsResponse,
  writeApiVersionsResponse,
} from '../../src/protocol/generated/api-versions-response.js';
import { readMetadataRequest, writeMetadataRequest } from '../../src/protocol/generated/metadata-request.js';
import {
  defaultConsumerGroupHeartbeatResponse,
  readConsumerGroupHeartbeatResponse,
  writeConsumerGroupHeartbeatResponse,
} from '../../src/protocol/generated/consumer-group-heartbeat-response.js';
import {
  defaultFetchRequest,
  readFetchRequest,
  writeFetchRequest,
} from '../../src/protocol/generated/fetch-request.js';

type Message = Record<string, unknown>;
type ReadFn = (r: Reader, version: number) => Message;
type WriteFn = (w: Writer, version: number, m: Message) => void;
type DefaultFn = () => Message;
type Module = Record<string, unknown>;

const modules = new Map<string, Module>();
async function moduleOf(info: MessageInfo): Promise<Module> {
  let mod = modules.get(info.module);
  if (!mod) {
    mod = (await import(`../../src/protocol/generated/${info.module}.ts`)) as Module;
    modules.set(info.module, mod);
  }
  return mod;
}

const inRange = (range: VersionRange, version: number): boolean =>
  range !== null && version >= range[0] && version <= range[1];

function versionsOf(info: MessageInfo): number[] {
  const out: number[] = [];
  for (let v = info.validVersions[0]; v <= info.validVersions[1]; v++) out.push(v);
  return out;
}

function isPresent(info: MessageInfo, f: FieldInfo, version: number): boolean {
  if (f.tag >= 0) return inRange(info.flexibleVersions, version) && inRange(f.taggedVersions, version);
  return inRange(f.versions, version);
}

type Variant = 'values' | 'nulls';

/** A value of `type` that differs from `current` (the field's default). */
function primitiveValue(type: string, current: unknown, salt: number): unknown {
  const pick = <T>(candidates: T[]): T => candidates.find((c) => c !== current) as T;
  switch (type) {
    case 'int8':
      return pick([5 + salt, -7]);
    case 'int16':
      return pick([3000 + salt, -2]);
    case 'int32':
      return pick([-123456 - salt, 99]);
    case 'uint16':
      return pick([65000 + salt, 1]);
    case 'int64':
      return pick([0x1234567890abn + BigInt(salt), -5n]);
    case 'float64':
      return pick([2.5 + salt, -1]);
    case 'bool':
      return current !== true;
    case 'string':
      // A multi-byte character checks that lengths count bytes, not characters.
      return `v${salt}-ü`;
    case 'bytes':
      return Buffer.from([1, 2, 3, salt & 0xff]);
    case 'uuid':
      return `f0e1d2c3b4a5968778695a4b3c2d1e${(salt & 0xff).toString(16).padStart(2, '0')}`;
    case 'records':
      return Buffer.from(`not-really-a-batch-${salt}`);
    default:
      throw new Error(`unknown primitive ${type}`);
  }
}

function buildStruct(
  mod: Module,
  info: MessageInfo,
  struct: string,
  version: number,
  variant: Variant,
): Message {
  const create = mod[`default${struct}`] as DefaultFn;
  const m = create();
  const fields = info.structs[struct];
  fields.forEach((f, index) => {
    if (!isPresent(info, f, version)) return;
    if (variant === 'nulls' && inRange(f.nullableVersions, version)) {
      m[f.name] = null;
      return;
    }
    m[f.name] = fieldValue(mod, info, f.type, m[f.name], version, variant, index + 1);
  });
  return m;
}

function fieldValue(
  mod: Module,
  info: MessageInfo,
  type: string,
  current: unknown,
  version: number,
  variant: Variant,
  salt: number,
): unknown {
  if (type.startsWith('[]')) {
    const element = type.slice(2);
    return [0, 1].map((i) => fieldValue(mod, info, element, undefined, version, variant, salt + i * 10));
  }
  if (type.startsWith('struct:'))
    return buildStruct(mod, info, type.slice('struct:'.length), version, variant);
  return primitiveValue(type, current, salt);
}

function rootStruct(info: MessageInfo): string {
  return info.name;
}

function encode(write: WriteFn, version: number, m: Message): Buffer {
  const w = new Writer(16);
  write(w, version, m);
  return w.toBuffer();
}

describe('every message round-trips in every version', () => {
  for (const info of SCHEMA_INFO) {
    it(`${info.name} v${info.validVersions[0]}-${info.validVersions[1]}`, async () => {
      const mod = await moduleOf(info);
      const read = mod[`read${info.name}`] as ReadFn;
      const write = mod[`write${info.name}`] as WriteFn;
      for (const version of versionsOf(info)) {
        for (const variant of ['values', 'nulls'] as const) {
          const message = buildStruct(mod, info, rootStruct(info), version, variant);
          const bytes = encode(write, version, message);
          const r = new Reader(bytes);
          const decoded = read(r, version);
          expect(decoded, `${info.name} v${version} ${variant}`).toEqual(message);
          expect(r.remaining, `${info.name} v${version} ${variant}: bytes left over`).toBe(0);
          // Encoding what was decoded gives the same bytes.
          expect(encode(write, version, decoded).equals(bytes), `${info.name} v${version} re-encode`).toBe(
            true,
          );
        }
        const defaults = (mod[`default${info.name}`] as DefaultFn)();
        const r = new Reader(encode(write, version, defaults));
        expect(read(r, version)).toEqual(defaults);
        expect(r.remaining).toBe(0);
      }
    });
  }
});

describe('truncated or garbage input', () => {
  it('throws ProtocolError for every truncation of every message at its newest and oldest version', async () => {
    let checked = 0;
    for (const info of SCHEMA_INFO) {
      const mod = await moduleOf(info);
      const read = mod[`read${info.name}`] as ReadFn;
      const write = mod[`write${info.name}`] as WriteFn;
      for (const version of new Set([info.validVersions[0], info.validVersions[1]])) {
        const bytes = encode(write, version, buildStruct(mod, info, rootStruct(info), version, 'values'));
        for (let length = 0; length < bytes.length; length++) {
          const r = new Reader(bytes.subarray(0, length));
          let error: unknown = null;
          try {
            read(r, version);
          } catch (e) {
            error = e;
          }
          // A prefix may happen to parse (e.g. when it ends where a trailing optional part would start),
          // but any failure must be a ProtocolError.
          if (error !== null)
            expect(error, `${info.name} v${version} cut at ${length}`).toBeInstanceOf(ProtocolError);
          else expect(r.remaining).toBe(0);
          checked++;
        }
        if (bytes.length > 0) {
          expect(() => read(new Reader(bytes.subarray(0, bytes.length - 1)), version)).toThrow(ProtocolError);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('fails only with ProtocolError on random bytes', async () => {
    let seed = 12345;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (const info of SCHEMA_INFO) {
      const mod = await moduleOf(info);
      const read = mod[`read${info.name}`] as ReadFn;
      for (const version of new Set([info.validVersions[0], info.validVersions[1]])) {
        for (let attempt = 0; attempt < 20; attempt++) {
          const bytes = Buffer.alloc(Math.floor(random() * 64));
          for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
          try {
            read(new Reader(bytes), version);
          } catch (e) {
            expect(e, `${info.name} v${version} on ${bytes.toString('hex')}`).toBeInstanceOf(ProtocolError);
          }
        }
      }
    }
  });

  it('rejects a tagged field whose size does not match its value', () => {
    // FetchRequest v12 with tag 0 (ClusterId) claiming 5 bytes but holding a 3-byte compact string.
    const w = new Writer();
    writeFetchRequest(w, 12, defaultFetchRequest());
    const plain = w.toBuffer();
    const body = Buffer.concat([
      plain.subarray(0, plain.length - 1),
      Buffer.from([1, 0, 5, 3, 0x61, 0x62, 0, 0]),
    ]);
    expect(() => readFetchRequest(new Reader(body), 12)).toThrow(ProtocolError);
  });

  it('skips unknown tagged fields', () => {
    const w = new Writer();
    writeFetchRequest(w, 12, defaultFetchRequest());
    const plain = w.toBuffer();
    // Replace the empty tag section with one unknown tag (7) of 3 bytes.
    const body = Buffer.concat([plain.subarray(0, plain.length - 1), Buffer.from([1, 7, 3, 9, 9, 9])]);
    const r = new Reader(body);
    expect(readFetchRequest(r, 12)).toEqual(defaultFetchRequest());
    expect(r.remaining).toBe(0);
  });
});

// Byte vectors worked out by hand from the protocol rules, so that a mistake made the same way in
// reader and writer cannot hide behind a successful round trip.
describe('hand-checked byte vectors', () => {
  const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

  it('ApiVersionsRequest v3 with request header v2', () => {
    expect(requestHeaderVersion(ApiKey.ApiVersions, 3)).toBe(2);
    const expected = hex(`
      0012 0003 00000001 0004 6b636174 00
      07 76656e696365 04 312e30 00
    `);
    const w = new Writer();
    writeRequestHeader(w, 2, { requestApiKey: 18, requestApiVersion: 3, correlationId: 1, clientId: 'kcat' });
    writeApiVersionsRequest(w, 3, { clientSoftwareName: 'venice', clientSoftwareVersion: '1.0' });
    expect(w.toBuffer().toString('hex')).toBe(expected.toString('hex'));

    const r = new Reader(expected);
    expect(readRequestHeader(r)).toEqual({
      requestApiKey: 18,
      requestApiVersion: 3,
      correlationId: 1,
      clientId: 'kcat',
    });
    expect(readApiVersionsRequest(r, 3)).toEqual({
      clientSoftwareName: 'venice',
      clientSoftwareVersion: '1.0',
    });
    expect(r.remaining).toBe(0);
  });

  it('MetadataRequest v1 with request header v1 and a null client id', () => {
    expect(requestHeaderVersion(ApiKey.Metadata, 1)).toBe(1);
    const expected = hex('0003 0001 00000007 ffff  00000001 0003 666f6f');
    const w = new Writer();
    writeRequestHeader(w, 1, { requestApiKey: 3, requestApiVersion: 1, correlationId: 7, clientId: null });
    writeMetadataRequest(w, 1, {
      topics: [{ topicId: '00000000000000000000000000000000', name: 'foo' }],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    expect(w.toBuffer().toString('hex')).toBe(expected.toString('hex'));

    const r = new Reader(expected);
    expect(readRequestHeader(r).clientId).toBeNull();
    const body = readMetadataRequest(r, 1);
    expect(body.topics).toEqual([{ topicId: '00000000000000000000000000000000', name: 'foo' }]);
    expect(body.allowAutoTopicCreation).toBe(true); // absent before v4: its default
    expect(r.remaining).toBe(0);

    // A null topic list (all topics) is INT32 -1.
    expect(readMetadataRequest(new Reader(hex('ffffffff')), 1).topics).toBeNull();
  });

  it('MetadataRequest v9: compact array and string, booleans, tag sections', () => {
    const w = new Writer();
    writeMetadataRequest(w, 9, {
      topics: [{ topicId: '00000000000000000000000000000000', name: 'foo' }],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: true,
    });
    expect(w.toBuffer().toString('hex')).toBe('02' + '04666f6f' + '00' + '01' + '00' + '01' + '00');
  });

  it('ControlledShutdown v0 uses request header v0 (no client id)', () => {
    expect(requestHeaderVersion(ApiKey.ControlledShutdown, 0)).toBe(0);
    expect(requestHeaderVersion(ApiKey.ControlledShutdown, 1)).toBe(1);
    const r = new Reader(hex('0007 0000 0000002a 00000001'));
    expect(readRequestHeader(r)).toEqual({
      requestApiKey: 7,
      requestApiVersion: 0,
      correlationId: 42,
      clientId: '',
    });
    expect(r.remaining).toBe(4);
  });

  it('ApiVersionsResponse v3 always has response header v0 and writes tagged fields in tag order', () => {
    expect(responseHeaderVersion(ApiKey.ApiVersions, 3)).toBe(0);
    expect(responseHeaderVersion(ApiKey.Metadata, 9)).toBe(1);
    expect(responseHeaderVersion(ApiKey.Metadata, 8)).toBe(0);
    const message = {
      ...defaultApiVersionsResponse(),
      apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }],
      supportedFeatures: [{ name: 'mv', minVersion: 1, maxVersion: 20 }],
      finalizedFeaturesEpoch: 5n,
    };
    const expected = hex(`
      00000001
      0000
      02 0012 0000 0004 00
      00000000
      02
        00 09  02 03 6d76 0001 0014 00
        01 08  0000000000000005
    `);
    const w = new Writer();
    writeResponseHeader(w, 0, { correlationId: 1 });
    writeApiVersionsResponse(w, 3, message);
    expect(w.toBuffer().toString('hex')).toBe(expected.toString('hex'));

    const r = new Reader(expected);
    expect(readResponseHeader(r, 0)).toEqual({ correlationId: 1 });
    expect(readApiVersionsResponse(r, 3)).toEqual(message);
    expect(r.remaining).toBe(0);
  });

  it('response header v1 carries an empty tag section', () => {
    const w = new Writer();
    writeResponseHeader(w, 1, { correlationId: 258 });
    expect(w.toBuffer().toString('hex')).toBe('0000010200');
  });

  it('a compact string of 200 bytes has a two-byte length (201 as uvarint)', () => {
    const w = new Writer();
    writeApiVersionsRequest(w, 3, { clientSoftwareName: 'a'.repeat(200), clientSoftwareVersion: '' });
    const bytes = w.toBuffer();
    expect(bytes.subarray(0, 2).toString('hex')).toBe('c901');
    expect(bytes.subarray(202).toString('hex')).toBe('0100');
  });

  it('nullable structs carry an INT8 marker', () => {
    const base = defaultConsumerGroupHeartbeatResponse();
    const prefix = '00000000' + '0000' + '00' + '00' + '00000000' + '00000000';
    let w = new Writer();
    writeConsumerGroupHeartbeatResponse(w, 0, { ...base, assignment: null });
    expect(w.toBuffer().toString('hex')).toBe(prefix + 'ff' + '00');

    const assignment = {
      topicPartitions: [{ topicId: '0102030405060708090a0b0c0d0e0f10', partitions: [3] }],
    };
    w = new Writer();
    writeConsumerGroupHeartbeatResponse(w, 0, { ...base, assignment });
    const expected =
      prefix + '01' + '02' + '0102030405060708090a0b0c0d0e0f10' + '02' + '00000003' + '00' + '00' + '00';
    expect(w.toBuffer().toString('hex')).toBe(expected);
    expect(readConsumerGroupHeartbeatResponse(new Reader(hex(expected)), 0).assignment).toEqual(assignment);
  });

  it('FetchRequest v15 writes ReplicaState as tagged field 1 only when it differs from its default', () => {
    const base = defaultFetchRequest();
    let w = new Writer();
    writeFetchRequest(w, 15, base);
    // MaxWaitMs MinBytes MaxBytes IsolationLevel SessionId SessionEpoch Topics ForgottenTopics RackId tags
    const plain =
      '00000000' + '00000000' + '7fffffff' + '00' + '00000000' + 'ffffffff' + '01' + '01' + '01' + '00';
    expect(w.toBuffer().toString('hex')).toBe(plain);

    w = new Writer();
    writeFetchRequest(w, 15, { ...base, clusterId: 'c', replicaState: { replicaId: 1, replicaEpoch: -1n } });
    const tags = '02' + '00' + '02' + '0263' + '01' + '0d' + '00000001' + 'ffffffffffffffff' + '00';
    expect(w.toBuffer().toString('hex')).toBe(plain.slice(0, -2) + tags);
  });
});

describe('generic api tables', () => {
  it('cover every API with consistent version ranges', () => {
    for (const [key, spec] of Object.entries(API_SPECS)) {
      const k = Number(key);
      expect(isApiKey(k)).toBe(true);
      expect(isSupportedVersion(k, spec.maxVersion)).toBe(true);
      expect(isSupportedVersion(k, spec.maxVersion + 1)).toBe(false);
      const request = SCHEMA_INFO.find((i) => i.kind === 'request' && i.apiKey === k);
      expect(request?.validVersions).toEqual([spec.minVersion, spec.maxVersion]);
    }
    expect(ApiKey.Produce).toBe(0);
    expect(ApiKey.Fetch).toBe(1);
    expect(ApiKey.ApiVersions).toBe(18);
    expect(isApiKey(9999)).toBe(false);
  });

  it('read and write bodies by api key, typed', () => {
    const response = defaultResponseBody(ApiKey.ApiVersions);
    response.apiKeys.push({ apiKey: 0, minVersion: 3, maxVersion: 11 });
    const w = new Writer();
    writeResponseBody(ApiKey.ApiVersions, 3, w, response);
    expect(readResponseBody(ApiKey.ApiVersions, 3, new Reader(w.toBuffer()))).toEqual(response);

    const request = { clientSoftwareName: 'x', clientSoftwareVersion: 'y' };
    const w2 = new Writer();
    writeRequestBody(ApiKey.ApiVersions, 3, w2, request);
    expect(readRequestBody(ApiKey.ApiVersions, 3, new Reader(w2.toBuffer()))).toEqual(request);
  });

  it('refuses unsupported versions with ProtocolError', () => {
    expect(() => readRequestBody(ApiKey.ApiVersions, 99, new Reader(Buffer.alloc(0)))).toThrow(ProtocolError);
    expect(() => readRequestHeader(new Reader(Buffer.from([0, 18])))).toThrow(ProtocolError);
  });
});
