// The schema ids ksqlDB's runner gives a case's schemas, so that statements naming them
// (VALUE_SCHEMA_ID=1) find them here too. ksqlDB's runner starts each case on an empty mock registry and
// registers the schemas of the case's topics, key then value, in the iteration order of a Java HashMap
// keyed by topic name; the mock numbers schemas from 1 and gives an identical schema its first id. Ids a
// case gives itself (keySchemaId, valueSchemaId) are kept.
import type { ConformanceCase } from './cases.js';
import { stringifyJsonText } from './json-text.js';

/** Java's String.hashCode. */
function javaHashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/** The order a java.util.HashMap with default settings iterates these keys, inserted in this order. */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  const unique = [...new Set(keys)];
  let capacity = 16;
  while (unique.length > capacity * 0.75) capacity *= 2;
  const bucketOf = (key: string) => {
    const hash = javaHashCode(key);
    return (hash ^ (hash >>> 16)) & (capacity - 1);
  };
  // Within a bucket, insertion order (Java 8's resize keeps it); buckets in index order.
  return unique
    .map((key, inserted) => ({ key, inserted, bucket: bucketOf(key) }))
    .sort((a, b) => a.bucket - b.bucket || a.inserted - b.inserted)
    .map((entry) => entry.key);
}

const CREATE_SOURCE_TOPIC =
  /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:SOURCE\s+)?(?:STREAM|TABLE)\b(?![\s\S]*\bAS\s+SELECT\b)[\s\S]*?\bKAFKA_TOPIC\s*=\s*'([^']+)'/i;

/** The ids of the case's topic schemas, by `<topic>-key` / `<topic>-value`. */
export function caseSchemaIds(testCase: ConformanceCase): Map<string, number> {
  // The topics ksqlDB's runner puts in its map, in the order it puts them there.
  const names = [
    ...testCase.topics.map((topic) => topic.name),
    ...testCase.statements.flatMap((statement) => CREATE_SOURCE_TOPIC.exec(statement)?.[1] ?? []),
    ...testCase.inputs.map((record) => record.topic),
    ...testCase.outputs.map((record) => record.topic),
  ];
  const ids = new Map<string, number>();
  const idsBySchema = new Map<string, number>();
  let next = 1;
  for (const name of javaHashMapOrder(names)) {
    const topic = testCase.topics.find((candidate) => candidate.name === name);
    if (topic === undefined) continue;
    for (const side of ['key', 'value'] as const) {
      const schema = side === 'key' ? topic.keySchema : topic.valueSchema;
      if (schema === undefined || schema === null) continue;
      const given = side === 'key' ? topic.keySchemaId : topic.valueSchemaId;
      const text = typeof schema === 'string' ? schema : stringifyJsonText(schema);
      let id = given ?? idsBySchema.get(text);
      if (id === undefined) {
        id = next++;
        idsBySchema.set(text, id);
      }
      ids.set(`${name}-${side}`, id);
    }
  }
  return ids;
}
