// The schema ids the runner gives a case's topic schemas: ksqlDB's runner's, from a fresh mock registry.
import { describe, expect, it } from 'vitest';
import type { ConformanceCase } from '../../../tools/conformance/cases.js';
import { caseSchemaIds, javaHashMapOrder } from '../../../tools/conformance/schema-ids.js';

describe('schema ids of a case', () => {
  it("follow a Java HashMap's iteration order: bucket of String.hashCode, then insertion", () => {
    // 'a' and 'b' hash to 97 and 98 (buckets 1 and 2); 'Aa' and 'BB' share 2112, so insertion decides.
    expect(javaHashMapOrder(['b', 'a'])).toEqual(['a', 'b']);
    expect(javaHashMapOrder(['BB', 'Aa', 'BB'])).toEqual(['BB', 'Aa']);
  });

  it('number schemas from 1, key before value, an identical schema keeping its id, given ids kept', () => {
    const schema = (name: string) => ({ type: 'record', name, fields: [] });
    const testCase = {
      statements: ["CREATE STREAM S WITH (kafka_topic='b', value_format='AVRO', value_schema_id=1);"],
      topics: [
        { name: 'b', valueSchema: schema('V') },
        { name: 'a', keySchema: schema('K'), valueSchema: schema('V') },
        { name: 'c', valueSchema: schema('C'), valueSchemaId: 7 },
      ],
      inputs: [],
      outputs: [],
    } as unknown as ConformanceCase;
    expect(Object.fromEntries(caseSchemaIds(testCase))).toEqual({
      'a-key': 1,
      'a-value': 2,
      'b-value': 2,
      'c-value': 7,
    });
  });
});
