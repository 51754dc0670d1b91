import { describe, expect, it } from 'vitest';
import { checkCompatibility, parseSchema, type SchemaType } from '../../src/serdes/index.js';

/** [what changes, old schema, new schema, BACKWARD-compatible?] following Confluent's documented rules. */
type RuleCase = [string, string, string, boolean];

const JSON_RULES: RuleCase[] = [
  ['anything to the empty schema', '{"properties":{}}', '{}', true],
  ['title/description changes', '{"title":"a"}', '{"title":"b","description":"x"}', true],
  ['object to array', '{"type":"object"}', '{"type":"array"}', false],
  ['minLength increased', '{"type":"string","minLength":10}', '{"type":"string","minLength":11}', false],
  ['minLength decreased', '{"type":"string","minLength":11}', '{"type":"string","minLength":10}', true],
  ['maxLength decreased', '{"type":"string","maxLength":12}', '{"type":"string","maxLength":10}', false],
  ['pattern removed', '{"type":"string","pattern":"^a"}', '{"type":"string"}', true],
  ['pattern changed', '{"type":"string","pattern":"^a"}', '{"type":"string","pattern":"^b"}', false],
  ['maximum decreased', '{"type":"number","maximum":11}', '{"type":"number","maximum":10}', false],
  ['minimum decreased', '{"type":"number","minimum":11}', '{"type":"number","minimum":10}', true],
  [
    'multipleOf reduced to a divisor',
    '{"type":"number","multipleOf":10}',
    '{"type":"number","multipleOf":2}',
    true,
  ],
  ['multipleOf changed', '{"type":"number","multipleOf":10}', '{"type":"number","multipleOf":11}', false],
  ['number narrowed to integer', '{"type":"number"}', '{"type":"integer"}', false],
  ['not widened', '{"not":{"type":"number"}}', '{"not":{"type":"integer"}}', true],
  ['not narrowed', '{"not":{"type":"integer"}}', '{"not":{"type":"number"}}', false],
  ['enum removed', '{"type":"string","enum":["red"]}', '{"type":"string"}', true],
  [
    'enum extended inside allOf',
    '{"allOf":[{"type":"string"},{"enum":["red"]}]}',
    '{"allOf":[{"enum":["red","blue"]},{"type":"string"}]}',
    true,
  ],
  [
    'enum changed inside allOf',
    '{"allOf":[{"type":"string"},{"enum":["red"]}]}',
    '{"allOf":[{"type":"string"},{"enum":["blue"]}]}',
    false,
  ],
  [
    'const changed',
    '{"properties":{"foo":{"const":"red"}}}',
    '{"properties":{"foo":{"const":"blue"}}}',
    false,
  ],
  ['type array extended', '{"type":["object"]}', '{"type":["object","array"]}', true],
  [
    'oneOf alternative added',
    '{"oneOf":[{"type":"string"}]}',
    '{"oneOf":[{"type":"number"},{"type":"string"}]}',
    true,
  ],
  ['oneOf alternative replaced', '{"oneOf":[{"type":"string"}]}', '{"oneOf":[{"type":"number"}]}', false],
  ['single oneOf to allOf', '{"oneOf":[{"type":"string"}]}', '{"allOf":[{"type":"string"}]}', true],
  [
    'two-way oneOf to allOf',
    '{"oneOf":[{"type":"string"},{"type":"integer"}]}',
    '{"allOf":[{"type":"string"}]}',
    false,
  ],
  [
    'string to oneOf including string',
    '{"type":"string","maxLength":3}',
    '{"oneOf":[{"type":"number"},{"type":"string"}]}',
    true,
  ],
  [
    'property renamed in open model',
    '{"properties":{"foo":{"type":"string"}}}',
    '{"properties":{"bar":{"type":"string"}}}',
    false,
  ],
  [
    'property added matching a pattern',
    '{"properties":{"foo":{"type":"string"}},"additionalProperties":false,"patternProperties":{"^I_":{"type":"integer"}}}',
    '{"properties":{"foo":{"type":"string"},"I_1":{"type":"number"}},"additionalProperties":false,"patternProperties":{"^I_":{"type":"integer"}}}',
    true,
  ],
  [
    'property added covered by additionalProperties',
    '{"properties":{"foo":{"type":"string"}},"additionalProperties":{"type":"string"}}',
    '{"properties":{"foo":{"type":"string"},"bar":{"type":"string"}},"additionalProperties":{"type":"string"}}',
    true,
  ],
  [
    'property added narrower than additionalProperties',
    '{"properties":{"foo":{"type":"string"}},"additionalProperties":{"type":"string"}}',
    '{"properties":{"foo":{"type":"string"},"bar":{"type":"number"}},"additionalProperties":{"type":"string"}}',
    false,
  ],
  [
    'property removed into partially open model',
    '{"properties":{"foo":{"type":"string"},"bar":{"type":"string"}},"additionalProperties":false}',
    '{"properties":{"foo":{"type":"string"}},"additionalProperties":{"type":"string"}}',
    true,
  ],
  [
    'property removed, not covered',
    '{"properties":{"foo":{"type":"string"},"bar":{"type":"number"}},"additionalProperties":false}',
    '{"properties":{"foo":{"type":"string"}},"additionalProperties":{"type":"string"}}',
    false,
  ],
  [
    'additionalProperties false added',
    '{"additionalProperties":true}',
    '{"additionalProperties":false}',
    false,
  ],
  [
    'additionalProperties false removed',
    '{"properties":{},"additionalProperties":false}',
    '{"properties":{}}',
    true,
  ],
  [
    'required removed',
    '{"properties":{"foo":{"type":"string"}},"required":["foo"]}',
    '{"properties":{"foo":{"type":"string"}}}',
    true,
  ],
  [
    'required added',
    '{"properties":{"foo":{"type":"string"}}}',
    '{"properties":{"foo":{"type":"string"}},"required":["foo"]}',
    false,
  ],
  ['maxProperties decreased', '{"maxProperties":2}', '{"maxProperties":1}', false],
  [
    'dependency schema removed',
    '{"dependencies":{"foo":{"type":"string"},"bar":{"type":"string"}}}',
    '{"dependencies":{"foo":{"type":"string"}}}',
    true,
  ],
  ['dependency array changed', '{"dependencies":{"foo":["bar"]}}', '{"dependencies":{"bar":["foo"]}}', false],
  ['items constrained', '{"type":"array"}', '{"type":"array","items":{"type":"string"}}', false],
  ['items unconstrained', '{"type":"array","items":{"type":"string"}}', '{"type":"array"}', true],
  [
    'tuple item added within additionalItems',
    '{"type":"array","items":[{"type":"string"}],"additionalItems":{"type":"number"}}',
    '{"type":"array","items":[{"type":"string"},{"type":"number"}],"additionalItems":true}',
    true,
  ],
  [
    'tuple item added outside additionalItems',
    '{"type":"array","items":[{"type":"string"}],"additionalItems":{"type":"string"}}',
    '{"type":"array","items":[{"type":"string"},{"type":"number"}],"additionalItems":{"type":"string"}}',
    false,
  ],
  ['uniqueItems removed', '{"type":"array","uniqueItems":true}', '{"type":"array"}', true],
  [
    'local $ref target changed',
    '{"type":"array","items":{"$ref":"#/definitions/x"},"definitions":{"x":{"type":"string"}}}',
    '{"type":"array","items":{"$ref":"#/definitions/x"},"definitions":{"x":{"type":"number"}}}',
    false,
  ],
  [
    'moved behind a local $ref',
    '{"type":"string"}',
    '{"$ref":"#/definitions/x","definitions":{"x":{"type":"string"}}}',
    true,
  ],
];

const proto = (body: string, syntax = 'proto3'): string => `syntax = "${syntax}";\n${body}`;

const PROTOBUF_RULES: RuleCase[] = [
  [
    'package changed',
    proto('package foo; message M { string s = 1; }'),
    proto('package bar; message M { string s = 1; }'),
    false,
  ],
  [
    'name qualification changed',
    proto('package foo; message M { S s = 1; message S { string t = 1; } }'),
    proto('package foo; message M { .foo.M.S s = 1; message S { string t = 1; } }'),
    true,
  ],
  [
    'field number changed (remove + add)',
    proto('message M { string s = 1; }'),
    proto('message M { string s = 2; }'),
    true,
  ],
  [
    'int32 to enum',
    proto('message M { int32 v = 1; }'),
    proto('message M { E v = 1; } enum E { A = 0; }'),
    true,
  ],
  [
    'int32 to message',
    proto('message M { int32 v = 1; }'),
    proto('message M { S v = 1; } message S { string t = 1; }'),
    false,
  ],
  [
    'message type renamed',
    proto('message M { A v = 1; } message A { string t = 1; }'),
    proto('message M { B v = 1; } message B { string t = 1; }'),
    false,
  ],
  [
    'map value type changed',
    proto('message M { map<string, int32> m = 1; }'),
    proto('message M { map<string, string> m = 1; }'),
    false,
  ],
  [
    'enum constant renamed',
    proto('message M { E e = 1; } enum E { A = 0; B = 1; }'),
    proto('message M { E e = 1; } enum E { A = 0; C = 1; }'),
    true,
  ],
  [
    'one field moved into a new oneof',
    proto('message M { string a = 1; string b = 2; }'),
    proto('message M { string a = 1; oneof o { string b = 2; int32 c = 3; } }'),
    true,
  ],
  [
    'two fields moved into a new oneof',
    proto('message M { string a = 1; string b = 2; }'),
    proto('message M { oneof o { string a = 1; string b = 2; } }'),
    false,
  ],
  [
    'field added to a oneof',
    proto('message M { oneof o { string a = 1; } }'),
    proto('message M { oneof o { string a = 1; int32 b = 2; } }'),
    true,
  ],
  [
    'field removed from a oneof',
    proto('message M { oneof o { string a = 1; int32 b = 2; } }'),
    proto('message M { oneof o { string a = 1; } }'),
    false,
  ],
  [
    'field moved into an existing oneof',
    proto('message M { string a = 1; oneof o { string b = 2; } }'),
    proto('message M { oneof o { string a = 1; string b = 2; } }'),
    false,
  ],
  [
    'singular message to repeated',
    proto('message M { S s = 1; } message S { string t = 1; }'),
    proto('message M { repeated S s = 1; } message S { string t = 1; }'),
    true,
  ],
  [
    'singular string to repeated',
    proto('message M { optional string s = 1; }'),
    proto('message M { repeated string s = 1; }'),
    true,
  ],
  [
    'singular int32 to repeated',
    proto('message M { optional int32 n = 1; }'),
    proto('message M { repeated int32 n = 1; }'),
    false,
  ],
  [
    'message added',
    proto('message M { string s = 1; }'),
    proto('message M { string s = 1; } message N { string s = 1; }'),
    true,
  ],
  [
    'message removed',
    proto('message M { string s = 1; } message N { string s = 1; }'),
    proto('message M { string s = 1; }'),
    false,
  ],
  [
    'messages reordered',
    proto('message M { string s = 1; } message N { string s = 1; }'),
    proto('message N { string s = 1; } message M { string s = 1; }'),
    true,
  ],
  ['sint32 to int32', proto('message M { sint32 n = 1; }'), proto('message M { int32 n = 1; }'), false],
  [
    'fixed32 to sfixed32',
    proto('message M { fixed32 n = 1; }'),
    proto('message M { sfixed32 n = 1; }'),
    true,
  ],
];

describe.each([
  ['JSON', JSON_RULES],
  ['PROTOBUF', PROTOBUF_RULES],
] as [SchemaType, RuleCase[]][])('%s: Confluent rules under BACKWARD', (schemaType, cases) => {
  it.each(cases)('%s', (_name, oldText, newText, compatible) => {
    const result = checkCompatibility('BACKWARD', parseSchema(schemaType, newText), [
      parseSchema(schemaType, oldText),
    ]);
    expect(result.compatible, result.messages.join('\n')).toBe(compatible);
  });
});

describe('Avro resolution details', () => {
  const avro = (text: string) => parseSchema('AVRO', text);
  const enumOf = (symbols: string[], extra = '') =>
    avro(
      `{"type":"record","name":"R","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":${JSON.stringify(symbols)}${extra}}}]}`,
    );
  it('enum: removing a symbol breaks BACKWARD unless the reader has a default', () => {
    expect(checkCompatibility('BACKWARD', enumOf(['A']), [enumOf(['A', 'B'])]).messages[0]).toContain(
      'MISSING_ENUM_SYMBOLS',
    );
    expect(
      checkCompatibility('BACKWARD', enumOf(['A'], ',"default":"A"'), [enumOf(['A', 'B'])]).compatible,
    ).toBe(true);
    expect(checkCompatibility('BACKWARD', enumOf(['A', 'B', 'C']), [enumOf(['A', 'B'])]).compatible).toBe(
      true,
    );
  });
  it('unions: adding a branch is backward compatible, removing one is not', () => {
    const union = (branches: string) =>
      avro(`{"type":"record","name":"R","fields":[{"name":"v","type":${branches}}]}`);
    expect(
      checkCompatibility('BACKWARD', union('["null","string","int"]'), [union('["null","string"]')])
        .compatible,
    ).toBe(true);
    const removed = checkCompatibility('BACKWARD', union('["null","string"]'), [
      union('["null","string","long"]'),
    ]);
    expect(removed.messages[0]).toContain('MISSING_UNION_BRANCH');
    expect(checkCompatibility('BACKWARD', union('["null","long"]'), [union('"int"')]).compatible).toBe(true);
  });
  it('string and bytes read each other; nested arrays and maps are checked', () => {
    const field = (type: string) =>
      avro(`{"type":"record","name":"R","fields":[{"name":"v","type":${type}}]}`);
    expect(checkCompatibility('FULL', field('"bytes"'), [field('"string"')]).compatible).toBe(true);
    const nested = checkCompatibility(
      'BACKWARD',
      field('{"type":"map","values":{"type":"array","items":"int"}}'),
      [field('{"type":"map","values":{"type":"array","items":"long"}}')],
    );
    expect(nested.messages[0]).toContain("TYPE_MISMATCH at '/fields/v/values/items'");
  });
  it('records match by unqualified name or by alias; recursive types terminate', () => {
    const named = (name: string, extra = '') =>
      avro(`{"type":"record","name":"${name}"${extra},"fields":[{"name":"a","type":"int"}]}`);
    expect(checkCompatibility('BACKWARD', named('b.R'), [named('a.R')]).compatible).toBe(true);
    expect(checkCompatibility('BACKWARD', named('S'), [named('R')]).messages[0]).toContain('NAME_MISMATCH');
    expect(checkCompatibility('BACKWARD', named('S', ',"aliases":["R"]'), [named('R')]).compatible).toBe(
      true,
    );
    const list = (extra: string) =>
      avro(
        `{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"],"default":null}${extra}]}`,
      );
    expect(
      checkCompatibility('FULL', list(',{"name":"v","type":"int","default":0}'), [list('')]).compatible,
    ).toBe(true);
  });
});
