// The compatibility levels through the HTTP API, for each schema type: the serdes' own matrix
// (test/serdes/compatibility-matrix.test.ts) proves the rules; this proves the registry applies the
// configured level, answers the compatibility endpoint, and refuses registrations with 409.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPATIBILITY_LEVELS, type CompatibilityLevel, type SchemaType } from '../../src/serdes/index.js';
import { apiOf, startBrokerAndRegistry } from './helpers.js';

let setup: Awaited<ReturnType<typeof startBrokerAndRegistry>>;
let api: ReturnType<typeof apiOf>;

beforeAll(async () => {
  setup = await startBrokerAndRegistry();
  api = apiOf(setup.registry);
});

afterAll(async () => {
  await setup?.stop();
});

interface Change {
  name: string;
  old: string;
  new: string;
  /** The new schema reads data written with the old one. */
  backward: boolean;
  /** The old schema reads data written with the new one. */
  forward: boolean;
}

const avro = (fields: string) =>
  `{"type":"record","name":"User","namespace":"com.example","fields":[${fields}]}`;
const ID = '{"name":"id","type":"int"}';
const NAME = '{"name":"name","type":"string"}';

const json = (properties: string, required: string[]) =>
  `{"type":"object","properties":{${properties}},"required":${JSON.stringify(required)},"additionalProperties":false}`;
const J_ID = '"id":{"type":"integer"}';
const J_NAME = '"name":{"type":"string"}';

const proto3 = (body: string) => `syntax = "proto3";\npackage com.example;\nmessage User {\n${body}\n}\n`;
const proto2 = (body: string) => `syntax = "proto2";\npackage com.example;\nmessage User {\n${body}\n}\n`;

// Expectations as in the serdes matrix, one case per kind of change.
const CHANGES: [SchemaType, Change[]][] = [
  [
    'AVRO',
    [
      {
        name: 'add a field with a default',
        old: avro(`${ID},${NAME}`),
        new: avro(`${ID},${NAME},{"name":"email","type":"string","default":""}`),
        backward: true,
        forward: true,
      },
      {
        name: 'add a field without a default',
        old: avro(`${ID},${NAME}`),
        new: avro(`${ID},${NAME},{"name":"email","type":"string"}`),
        backward: false,
        forward: true,
      },
      { name: 'remove a field', old: avro(`${ID},${NAME}`), new: avro(ID), backward: true, forward: false },
      {
        name: 'change a type',
        old: avro(`${ID},${NAME}`),
        new: avro(`${ID},{"name":"name","type":"int"}`),
        backward: false,
        forward: false,
      },
    ],
  ],
  [
    'JSON',
    [
      {
        name: 'add an optional property',
        old: json(`${J_ID},${J_NAME}`, ['id']),
        new: json(`${J_ID},${J_NAME},"email":{"type":"string"}`, ['id']),
        backward: true,
        forward: false,
      },
      {
        name: 'add a required property',
        old: json(`${J_ID},${J_NAME}`, ['id']),
        new: json(`${J_ID},${J_NAME},"email":{"type":"string"}`, ['id', 'email']),
        backward: false,
        forward: false,
      },
      {
        name: 'remove an optional property',
        old: json(`${J_ID},${J_NAME}`, ['id']),
        new: json(J_ID, ['id']),
        backward: false,
        forward: true,
      },
      {
        name: 'change a type',
        old: json(`${J_ID},${J_NAME}`, ['id']),
        new: json(`${J_ID},"name":{"type":"integer"}`, ['id']),
        backward: false,
        forward: false,
      },
    ],
  ],
  [
    'PROTOBUF',
    [
      {
        name: 'add a field (proto3, implicit default)',
        old: proto3('int32 id = 1; string name = 2;'),
        new: proto3('int32 id = 1; string name = 2; string email = 3;'),
        backward: true,
        forward: true,
      },
      {
        name: 'add a required field (proto2, no default)',
        old: proto2('optional int32 id = 1; optional string name = 2;'),
        new: proto2('optional int32 id = 1; optional string name = 2; required string email = 3;'),
        backward: false,
        forward: false,
      },
      {
        name: 'remove a field',
        old: proto3('int32 id = 1; string name = 2;'),
        new: proto3('int32 id = 1;'),
        backward: true,
        forward: true,
      },
      {
        name: 'change a type',
        old: proto3('int32 id = 1; string name = 2;'),
        new: proto3('int32 id = 1; int32 name = 2;'),
        backward: false,
        forward: false,
      },
    ],
  ],
];

function expected(level: CompatibilityLevel, change: Change): boolean {
  if (level === 'NONE') return true;
  if (level.startsWith('BACKWARD')) return change.backward;
  if (level.startsWith('FORWARD')) return change.forward;
  return change.backward && change.forward;
}

let subjects = 0;

describe.each(CHANGES)('%s through the API', (schemaType, changes) => {
  describe.each(changes)('$name', (change) => {
    it('the compatibility endpoint answers what each level allows, and registration follows it', async () => {
      const subject = `matrix-${++subjects}`;
      const first = await api('POST', `/subjects/${subject}/versions`, { schemaType, schema: change.old });
      expect(first.status).toBe(200);
      for (const level of COMPATIBILITY_LEVELS) {
        await api('PUT', `/config/${subject}`, { compatibility: level });
        const answer = await api<{ is_compatible: boolean; messages: string[] }>(
          'POST',
          `/compatibility/subjects/${subject}/versions/latest?verbose=true`,
          { schemaType, schema: change.new },
        );
        expect(answer.body.is_compatible, level).toBe(expected(level, change));
        if (!answer.body.is_compatible) expect(answer.body.messages.length, level).toBeGreaterThan(0);
      }
      // Registering under the strictest level that still allows it succeeds; otherwise 409.
      await api('PUT', `/config/${subject}`, { compatibility: 'FULL' });
      const registered = await api('POST', `/subjects/${subject}/versions`, {
        schemaType,
        schema: change.new,
      });
      expect(registered.status).toBe(change.backward && change.forward ? 200 : 409);
    });
  });
});

describe('transitive levels', () => {
  const v1 = avro(ID);
  const v2 = avro(`${ID},{"name":"name","type":"string","default":""}`);
  const v3 = avro(`${ID},${NAME}`);

  it('BACKWARD checks the latest version only; BACKWARD_TRANSITIVE checks them all', async () => {
    await api('POST', '/subjects/transitive/versions', { schema: v1 });
    await api('POST', '/subjects/transitive/versions', { schema: v2 });
    // v3 reads v2's data (name is there) but not v1's (no name, and no default).
    const backward = await api('POST', '/compatibility/subjects/transitive/versions', { schema: v3 });
    expect(backward.body).toEqual({ is_compatible: true });
    await api('PUT', '/config/transitive', { compatibility: 'BACKWARD_TRANSITIVE' });
    const transitive = await api<{ is_compatible: boolean; messages: string[] }>(
      'POST',
      '/compatibility/subjects/transitive/versions?verbose=true',
      { schema: v3 },
    );
    expect(transitive.body.is_compatible).toBe(false);
    expect(transitive.body.messages.join('\n')).toMatch(/name/);
    const refused = await api('POST', '/subjects/transitive/versions', { schema: v3 });
    expect(refused.status).toBe(409);
    // Against version 2 alone it is fine.
    const againstTwo = await api('POST', '/compatibility/subjects/transitive/versions/2', { schema: v3 });
    expect(againstTwo.body).toEqual({ is_compatible: true });
  });

  it('a global level applies to subjects without their own', async () => {
    await api('POST', '/subjects/global-level/versions', { schema: avro(`${ID},${NAME}`) });
    const dropName = { schema: avro(ID) };
    await api('PUT', '/config', { compatibility: 'FORWARD' });
    try {
      expect((await api('POST', '/compatibility/subjects/global-level/versions', dropName)).body).toEqual({
        is_compatible: false,
      });
    } finally {
      await api('DELETE', '/config');
    }
    expect((await api('POST', '/compatibility/subjects/global-level/versions', dropName)).body).toEqual({
      is_compatible: true,
    });
  });
});
