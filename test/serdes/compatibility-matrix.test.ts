import { describe, expect, it } from 'vitest';
import {
  checkCompatibility,
  COMPATIBILITY_LEVELS,
  parseSchema,
  type CompatibilityLevel,
  type SchemaType,
} from '../../src/serdes/index.js';

/** Expected compatibility of (old -> new) for each direction; FULL = both, NONE = always. */
interface Case {
  name: string;
  old: string;
  new: string;
  backward: boolean;
  forward: boolean;
}

function expected(level: CompatibilityLevel, testCase: Case): boolean {
  if (level === 'NONE') return true;
  if (level.startsWith('BACKWARD')) return testCase.backward;
  if (level.startsWith('FORWARD')) return testCase.forward;
  return testCase.backward && testCase.forward;
}

const avroRecord = (fields: string): string =>
  `{"type":"record","name":"User","namespace":"com.example","fields":[${fields}]}`;
const ID = '{"name":"id","type":"int"}';
const NAME = '{"name":"name","type":"string"}';

const AVRO: Case[] = [
  {
    name: 'add a field with a default',
    old: avroRecord(`${ID},${NAME}`),
    new: avroRecord(`${ID},${NAME},{"name":"email","type":"string","default":""}`),
    backward: true,
    forward: true,
  },
  {
    name: 'add a field without a default',
    old: avroRecord(`${ID},${NAME}`),
    new: avroRecord(`${ID},${NAME},{"name":"email","type":"string"}`),
    backward: false,
    forward: true,
  },
  {
    name: 'remove a field with a default',
    old: avroRecord(`${ID},${NAME},{"name":"nick","type":["null","string"],"default":null}`),
    new: avroRecord(`${ID},${NAME}`),
    backward: true,
    forward: true,
  },
  {
    name: 'remove a field without a default',
    old: avroRecord(`${ID},${NAME}`),
    new: avroRecord(ID),
    backward: true,
    forward: false,
  },
  {
    name: 'promote int to long',
    old: avroRecord(`${ID},${NAME}`),
    new: avroRecord(`{"name":"id","type":"long"},${NAME}`),
    backward: true,
    forward: false,
  },
  {
    name: 'change string to int',
    old: avroRecord(`${ID},${NAME}`),
    new: avroRecord(`${ID},{"name":"name","type":"int"}`),
    backward: false,
    forward: false,
  },
];

const jsonObject = (properties: string, required: string[], closed = true): string =>
  `{"type":"object","properties":{${properties}},"required":${JSON.stringify(required)}${closed ? ',"additionalProperties":false' : ''}}`;
const J_ID = '"id":{"type":"integer"}';
const J_NAME = '"name":{"type":"string"}';

const JSON_SCHEMA: Case[] = [
  // Closed content model: an optional property is JSON Schema's "field with a default".
  {
    name: 'add an optional property (closed model)',
    old: jsonObject(`${J_ID},${J_NAME}`, ['id']),
    new: jsonObject(`${J_ID},${J_NAME},"email":{"type":"string"}`, ['id']),
    backward: true,
    forward: false,
  },
  {
    name: 'add an optional property (open model)',
    old: jsonObject(`${J_ID},${J_NAME}`, ['id'], false),
    new: jsonObject(`${J_ID},${J_NAME},"email":{"type":"string"}`, ['id'], false),
    backward: false,
    forward: true,
  },
  {
    name: 'add a required property',
    old: jsonObject(`${J_ID},${J_NAME}`, ['id']),
    new: jsonObject(`${J_ID},${J_NAME},"email":{"type":"string"}`, ['id', 'email']),
    backward: false,
    forward: false,
  },
  {
    name: 'remove an optional property (closed model)',
    old: jsonObject(`${J_ID},${J_NAME}`, ['id']),
    new: jsonObject(J_ID, ['id']),
    backward: false,
    forward: true,
  },
  {
    name: 'remove an optional property (open model)',
    old: jsonObject(`${J_ID},${J_NAME}`, ['id'], false),
    new: jsonObject(J_ID, ['id'], false),
    backward: true,
    forward: false,
  },
  {
    name: 'remove a required property (closed model)',
    old: jsonObject(`${J_ID},${J_NAME}`, ['id', 'name']),
    new: jsonObject(J_ID, ['id']),
    backward: false,
    forward: false,
  },
  {
    name: 'widen integer to number',
    old: jsonObject(`${J_ID},${J_NAME}`, ['id']),
    new: jsonObject(`"id":{"type":"number"},${J_NAME}`, ['id']),
    backward: true,
    forward: false,
  },
  {
    name: 'change string to integer',
    old: jsonObject(`${J_ID},${J_NAME}`, ['id']),
    new: jsonObject(`${J_ID},"name":{"type":"integer"}`, ['id']),
    backward: false,
    forward: false,
  },
];

const PROTO3 = (body: string): string =>
  `syntax = "proto3";\npackage com.example;\nmessage User {\n${body}\n}\n`;
const PROTO2 = (body: string): string =>
  `syntax = "proto2";\npackage com.example;\nmessage User {\n${body}\n}\n`;

const PROTOBUF: Case[] = [
  // proto3 fields always have a default (the zero value); proto2 `required` is the field without one.
  {
    name: 'add a field (implicit default)',
    old: PROTO3('int32 id = 1; string name = 2;'),
    new: PROTO3('int32 id = 1; string name = 2; string email = 3;'),
    backward: true,
    forward: true,
  },
  {
    name: 'add a required field (no default)',
    old: PROTO2('optional int32 id = 1; optional string name = 2;'),
    new: PROTO2('optional int32 id = 1; optional string name = 2; required string email = 3;'),
    backward: false,
    forward: false,
  },
  {
    name: 'remove a field (implicit default)',
    old: PROTO3('int32 id = 1; string name = 2;'),
    new: PROTO3('int32 id = 1;'),
    backward: true,
    forward: true,
  },
  {
    name: 'remove a required field',
    old: PROTO2('optional int32 id = 1; required string name = 2;'),
    new: PROTO2('optional int32 id = 1;'),
    backward: false,
    forward: false,
  },
  {
    name: 'int32 to int64 (same wire type)',
    old: PROTO3('int32 id = 1; string name = 2;'),
    new: PROTO3('int64 id = 1; string name = 2;'),
    backward: true,
    forward: true,
  },
  {
    name: 'string to int32',
    old: PROTO3('int32 id = 1; string name = 2;'),
    new: PROTO3('int32 id = 1; int32 name = 2;'),
    backward: false,
    forward: false,
  },
];

const MATRIX: [SchemaType, Case[]][] = [
  ['AVRO', AVRO],
  ['JSON', JSON_SCHEMA],
  ['PROTOBUF', PROTOBUF],
];

describe.each(MATRIX)('%s compatibility matrix', (schemaType, cases) => {
  describe.each(cases)('$name', (testCase) => {
    const oldSchema = parseSchema(schemaType, testCase.old);
    const newSchema = parseSchema(schemaType, testCase.new);
    it.each(COMPATIBILITY_LEVELS)('%s', (level) => {
      const result = checkCompatibility(level, newSchema, [oldSchema]);
      expect(result.compatible, result.messages.join('\n')).toBe(expected(level, testCase));
      if (!result.compatible) expect(result.messages.length).toBeGreaterThan(1);
      else expect(result.messages).toEqual([]);
    });
  });
});

describe('transitive levels check every previous schema, the others only the last', () => {
  const chains: [SchemaType, string[], CompatibilityLevel][] = [
    [
      'AVRO',
      [
        avroRecord(ID),
        avroRecord(`${ID},{"name":"email","type":"string","default":""}`),
        avroRecord(`${ID},{"name":"email","type":"string"}`),
      ],
      'BACKWARD',
    ],
    // v2 was registered while the subject was at NONE.
    ['JSON', ['{"type":"integer"}', '{"type":"string"}', '{"type":["string","null"]}'], 'BACKWARD'],
    [
      'PROTOBUF',
      [PROTO3('int32 id = 1;'), PROTO3('string name = 2;'), PROTO3('string id = 1; string name = 2;')],
      'BACKWARD',
    ],
    [
      'AVRO',
      [
        avroRecord(`${ID},${NAME}`),
        avroRecord(`${ID},{"name":"name","type":"string","default":""}`),
        avroRecord(ID),
      ],
      'FORWARD',
    ],
  ];
  it.each(chains.map(([type, texts, level]) => ({ type, texts, level })))(
    '$type chain of three under $level',
    ({ type: schemaType, texts, level: base }) => {
      const [v1, v2, v3] = texts.map((text) => parseSchema(schemaType, text));
      const plain = checkCompatibility(base, v3, [v1, v2]);
      expect(plain.compatible, plain.messages.join('\n')).toBe(true);
      const transitive = checkCompatibility(`${base}_TRANSITIVE` as CompatibilityLevel, v3, [v1, v2]);
      expect(transitive.compatible).toBe(false);
      expect(transitive.messages.at(-1)).toContain('oldSchemaIndex: 0');
      const full = checkCompatibility('FULL_TRANSITIVE', v3, [v1, v2]);
      expect(full.compatible).toBe(false);
    },
  );
});

describe('verbose messages say which field broke what', () => {
  it('Avro: names the field without a default', () => {
    const result = checkCompatibility('BACKWARD', parseSchema('AVRO', AVRO[1].new), [
      parseSchema('AVRO', AVRO[1].old),
    ]);
    expect(result.messages[0]).toMatch(/^READER_FIELD_MISSING_DEFAULT_VALUE at '\/fields\/email'/);
    expect(result.messages[0]).toContain('new schema');
  });
  it('JSON: names the property added to an open model', () => {
    const result = checkCompatibility('BACKWARD', parseSchema('JSON', JSON_SCHEMA[1].new), [
      parseSchema('JSON', JSON_SCHEMA[1].old),
    ]);
    expect(result.messages[0]).toMatch(/^PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL at '#\/properties\/email'/);
  });
  it('Protobuf: names the field whose wire type changed', () => {
    const result = checkCompatibility('BACKWARD', parseSchema('PROTOBUF', PROTOBUF[5].new), [
      parseSchema('PROTOBUF', PROTOBUF[5].old),
    ]);
    expect(result.messages[0]).toMatch(/^FIELD_SCALAR_KIND_CHANGED at 'com.example.User.name'/);
    expect(result.messages[0]).toContain('string');
  });
  it('a different schema type is incompatible', () => {
    const result = checkCompatibility('BACKWARD', parseSchema('JSON', '{"type":"string"}'), [
      parseSchema('AVRO', '"string"'),
    ]);
    expect(result.compatible).toBe(false);
    expect(result.messages[0]).toContain('SCHEMA_TYPE_CHANGED');
  });
});
