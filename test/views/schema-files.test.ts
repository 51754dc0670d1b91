// Reading schema files: the type from the name or the contents, and the reference syntax.
import { describe, expect, it } from 'vitest';
import { inferSchemaType, parseReference } from '../../src/views/schema-files.js';

describe('schema files', () => {
  it('infers the schema type from the extension, then from the contents', () => {
    expect(inferSchemaType('order.proto', '{}')).toBe('PROTOBUF');
    expect(inferSchemaType('order.avsc', '{"type":"object"}')).toBe('AVRO');
    expect(inferSchemaType('order.txt', 'syntax = "proto3";\nmessage Order {}')).toBe('PROTOBUF');
    expect(inferSchemaType('order.json', '{"type":"record","name":"Order","fields":[]}')).toBe('AVRO');
    expect(inferSchemaType('order.json', '{"type":"object"}')).toBe('JSON');
    expect(inferSchemaType('order.json', '"string"')).toBe('AVRO');
  });

  it('parses name=subject:version references, latest as -1', () => {
    expect(parseReference('customer.proto=customer-value:2')).toEqual({
      name: 'customer.proto',
      subject: 'customer-value',
      version: 2,
    });
    expect(parseReference('c=customers:latest').version).toBe(-1);
    expect(() => parseReference('nonsense')).toThrow(/name=subject:version/);
  });
});
