// The record generator: every Avro and JSON Schema feature, field-name hints, datagen's arg.properties,
// keys, determinism with a seed, and the errors bad schemas get.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createRecordGenerator,
  DatagenSchemaError,
  loadSchemaFile,
  parseSchemaText,
  RatePacer,
  regexGenerator,
  createRandom,
} from '../../src/datagen/index.js';
import { encodePayload, parseSchema } from '../../src/serdes/index.js';

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
const avro = (schema: object) => parseSchemaText(JSON.stringify(schema), 'test.avsc');
const jsonSchema = (schema: object) => parseSchemaText(JSON.stringify(schema), 'test.json');
const many = (schema: ReturnType<typeof avro>, count: number, options = {}) => {
  const generator = createRecordGenerator(schema, { seed: 1, now: () => NOW, ...options });
  return Array.from({ length: count }, () => generator.next());
};

const EVERYTHING = {
  type: 'record',
  name: 'Everything',
  namespace: 'test',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'email', type: 'string' },
    { name: 'city', type: 'string' },
    { name: 'country', type: 'string' },
    { name: 'customer_name', type: 'string' },
    { name: 'customer_id', type: 'string' },
    { name: 'price', type: 'double' },
    { name: 'price_in_cents', type: 'long' },
    { name: 'quantity', type: 'int' },
    { name: 'event_timestamp', type: 'long' },
    { name: 'active', type: 'boolean' },
    { name: 'score', type: 'float' },
    { name: 'blob', type: 'bytes' },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
    { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'DONE'] } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'attributes', type: { type: 'map', values: 'int' } },
    {
      name: 'address',
      type: {
        type: 'record',
        name: 'Address',
        fields: [
          { name: 'street', type: 'string' },
          { name: 'city', type: 'string' },
        ],
      },
    },
    { name: 'note', type: ['null', 'string'] },
    { name: 'choice', type: ['int', 'double'] },
    { name: 'birthday', type: { type: 'int', logicalType: 'date' } },
    { name: 'created', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'total', type: { type: 'bytes', logicalType: 'decimal', precision: 8, scale: 2 } },
    { name: 'previous', type: ['null', 'Address'] },
  ],
};

describe('Avro schemas', () => {
  it('generates every type, and the values encode with the schema', () => {
    const schema = avro(EVERYTHING);
    const parsed = parseSchema('AVRO', schema.text, []);
    const records = many(schema, 200);
    for (const { value } of records) expect(() => encodePayload(parsed, value)).not.toThrow();
    const first = records[0].value;
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.email).toMatch(/^[a-z.]+\d+@example\.(com|org|net)$/);
    expect(first.country).toMatch(/^[A-Z]{2}$/);
    expect(first.city).toMatch(/^[A-Z]/);
    expect(first.price).toBeGreaterThan(0);
    expect(first.price).toBeLessThanOrEqual(500);
    expect(first.customer_name).toMatch(/^\S+ \S+/);
    expect(first.customer_id).toMatch(/^customer-\d+$/);
    expect(first.event_timestamp).toBe(NOW);
    expect(first.created).toBe(NOW);
    expect((first.hash as Buffer).length).toBe(4);
    expect(['NEW', 'DONE']).toContain(first.status);
    expect(typeof (first.address as { city: string }).city).toBe('string');
    for (const { value } of records) {
      expect(value.quantity).toBeGreaterThanOrEqual(1);
      expect(value.quantity).toBeLessThanOrEqual(5);
      expect(value.price_in_cents).toBeGreaterThanOrEqual(99);
      expect(Number.isInteger(value.price_in_cents)).toBe(true);
      expect(value.birthday).toBeLessThanOrEqual(Math.floor(NOW / 86_400_000));
      // An ambiguous union (int and double) is wrapped, as avsc wants it.
      expect(Object.keys(value.choice as object)).toHaveLength(1);
    }
    expect(records.some(({ value }) => value.note === null)).toBe(true);
    expect(records.some(({ value }) => typeof value.note === 'string')).toBe(true);
    expect(new Set(records.map(({ value }) => value.customer_id)).size).toBeLessThan(200);
  });

  it('follows datagen arg.properties: iteration, range, options, regex, length', () => {
    const schema = avro({
      type: 'record',
      name: 'Annotated',
      fields: [
        { name: 'n', type: { type: 'long', 'arg.properties': { iteration: { start: 10, step: 5 } } } },
        { name: 'cycle', type: { type: 'int', 'arg.properties': { iteration: { start: 0, restart: 3 } } } },
        { name: 'r', type: { type: 'int', 'arg.properties': { range: { min: 3, max: 6 } } } },
        { name: 'f', type: { type: 'double', 'arg.properties': { range: { min: 0.5, max: 1 } } } },
        { name: 'o', type: { type: 'string', 'arg.properties': { options: ['red', 'green'] } } },
        { name: 'x', type: { type: 'string', 'arg.properties': { regex: 'Item_[1-9][0-9]{0,2}' } } },
        { name: 'l', type: { type: 'string', 'arg.properties': { length: { min: 2, max: 3 } } } },
      ],
    });
    const values = many(schema, 100).map((record) => record.value);
    expect(values.slice(0, 3).map((value) => value.n)).toEqual([10, 15, 20]);
    expect(values.slice(0, 4).map((value) => value.cycle)).toEqual([0, 1, 2, 0]);
    for (const value of values) {
      expect([3, 4, 5]).toContain(value.r);
      expect(value.f).toBeGreaterThanOrEqual(0.5);
      expect(value.f).toBeLessThan(1);
      expect(['red', 'green']).toContain(value.o);
      expect(value.x).toMatch(/^Item_[1-9][0-9]{0,2}$/);
      expect((value.l as string).length).toBeGreaterThanOrEqual(2);
      expect((value.l as string).length).toBeLessThanOrEqual(3);
    }
  });

  it('repeats itself for a seed, takes the key from --key-field, and differs without a seed', () => {
    const schema = avro(EVERYTHING);
    expect(many(schema, 20)).toEqual(many(schema, 20));
    const keyed = many(schema, 5, { keyField: 'customer_id' });
    for (const record of keyed) expect(record.key).toBe(record.value.customer_id);
    expect(many(schema, 1)[0].key).toBeNull();
    const unseeded = () => createRecordGenerator(schema, { now: () => NOW }).next();
    expect(unseeded()).not.toEqual(unseeded());
  });

  it('the bundled order schema gives orders whose ids repeat from small ranges', () => {
    const schema = loadSchemaFile(path.resolve('templates/ecommerce/schemas/order.avsc'));
    const records = many(schema, 2000, { keyField: 'order_id' });
    const parsed = parseSchema('AVRO', schema.text, []);
    for (const { key, value } of records) {
      expect(() => encodePayload(parsed, value)).not.toThrow();
      expect(key).toMatch(/^o-[0-9a-f]{12}$/);
      expect(value.customer_id).toMatch(/^c-\d\d$/);
      expect(value.quantity).toBeGreaterThanOrEqual(1);
    }
    expect(new Set(records.map(({ value }) => value.seller_id)).size).toBeLessThanOrEqual(9);
    expect(new Set(records.map(({ value }) => value.product_id)).size).toBeLessThanOrEqual(40);
    expect(new Set(records.map(({ key }) => key)).size).toBe(2000);
  });
});

describe('JSON Schemas', () => {
  it('respects formats, bounds, enums, arrays and nested objects', () => {
    const schema = jsonSchema({
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid' },
        at: { type: 'string', format: 'date-time' },
        contact: { type: 'string', format: 'email' },
        age: { type: 'integer', minimum: 20, maximum: 30 },
        weight: { type: 'number', exclusiveMinimum: 0, maximum: 2 },
        size: { enum: ['S', 'M', 'L'] },
        code: { type: 'string', pattern: '^[A-Z]{3}-\\d{2}$' },
        tags: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 3 },
        home: { type: 'object', properties: { city: { type: 'string' } } },
        nickname: { type: ['string', 'null'] },
      },
    });
    for (const { value } of many(schema, 100)) {
      expect(value.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(value.at).toBe(new Date(NOW).toISOString());
      expect(value.contact).toMatch(/@/);
      expect(value.age).toBeGreaterThanOrEqual(20);
      expect(value.age).toBeLessThanOrEqual(30);
      expect(value.weight).toBeGreaterThan(0);
      expect(value.weight).toBeLessThanOrEqual(2);
      expect(['S', 'M', 'L']).toContain(value.size);
      expect(value.code).toMatch(/^[A-Z]{3}-\d{2}$/);
      expect((value.tags as string[]).length).toBeGreaterThanOrEqual(2);
      expect(typeof (value.home as { city: string }).city).toBe('string');
    }
  });
});

describe('bad schemas', () => {
  it('says what is wrong and what to write instead', () => {
    expect(() => parseSchemaText('{not json', 'x.avsc')).toThrow(/not JSON.*Avro record schema/);
    expect(() => parseSchemaText('[1, 2]', 'x.json')).toThrow(/neither kind of schema/);
    expect(() => avro({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'foo' }] })).toThrow(
      /not a valid Avro schema/,
    );
    expect(() =>
      createRecordGenerator(jsonSchema({ type: 'object', properties: { a: { type: 'strnig' } } })),
    ).toThrow(/not a valid JSON Schema.*type must be equal to one of the allowed values/);
    expect(() =>
      createRecordGenerator(
        avro({
          type: 'record',
          name: 'R',
          fields: [{ name: 'a', type: { type: 'string', 'arg.properties': { ranges: {} } } }],
        }),
      ),
    ).toThrow(/"ranges", which venice does not know/);
    expect(() => createRecordGenerator(avro(EVERYTHING), { keyField: 'nope' })).toThrow(DatagenSchemaError);
    expect(() => regexGenerator('[^a]')).toThrow(/negated classes/);
  });
});

describe('regex and pacing', () => {
  it('generates strings that match', () => {
    const random = createRandom(3);
    for (const pattern of ['[a-c]{2,4}x?', '(foo|bar)-\\d+', 'A\\.B[_0-9]*']) {
      const generate = regexGenerator(pattern);
      for (let index = 0; index < 50; index++)
        expect(generate(random)).toMatch(new RegExp(`^(?:${pattern})$`));
    }
  });

  it('releases records at the target rate, making up for lost time', () => {
    let now = 0;
    const pacer = new RatePacer(100, () => now);
    expect(pacer.take(500)).toBe(0);
    now = 1000;
    expect(pacer.take(500)).toBe(100);
    expect(pacer.take(500)).toBe(0);
    expect(pacer.waitMs()).toBeCloseTo(10);
    now = 3000;
    expect(pacer.take(500)).toBe(200);
    expect(new RatePacer(undefined).take(500)).toBe(500);
  });
});
