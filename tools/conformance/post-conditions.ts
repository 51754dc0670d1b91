// The `post` checks of a case: sources with their type and schema, topics that must exist, and topics that
// must not (the blacklist, e.g. no repartition topics).
import type { Kafka } from '../../src/client/index.js';
import type { SqlEngine } from '../../src/sql/engine/api.js';
import type { FieldInfo, KsqlEntity, SchemaInfo } from '../../src/sql/engine/entities.js';
import type { PostConditions } from './cases.js';
import { CaseFailure } from './run-case.js';

const PLAIN_NAME = /^[A-Z0-9_]+$/;

function quoted(name: string): string {
  return PLAIN_NAME.test(name) ? name : `\`${name}\``;
}

function schemaText(schema: SchemaInfo): string {
  if (schema.type === 'ARRAY' && schema.memberSchema) return `ARRAY<${schemaText(schema.memberSchema)}>`;
  if (schema.type === 'MAP' && schema.memberSchema) return `MAP<STRING, ${schemaText(schema.memberSchema)}>`;
  if (schema.type === 'STRUCT') {
    return `STRUCT<${(schema.fields ?? []).map((field) => `${quoted(field.name)} ${schemaText(field.schema)}`).join(', ')}>`;
  }
  if (schema.type === 'DECIMAL' && schema.parameters) {
    return `DECIMAL(${schema.parameters.precision}, ${schema.parameters.scale})`;
  }
  return schema.type;
}

function fieldText(field: FieldInfo): string {
  const suffix = field.type === 'KEY' ? ' KEY' : field.type === 'HEADER' ? ' HEADERS' : '';
  return `${quoted(field.name)} ${schemaText(field.schema)}${suffix}`;
}

/**
 * One spelling for both sides: unquoted names upper-cased and plain quoted names unquoted, INT/VARCHAR as
 * INTEGER/STRING, PRIMARY KEY as KEY, single spaces.
 */
export function normaliseSchema(text: string): string {
  const parts = text.split(/(`[^`]*`)/);
  return parts
    .map((part) => {
      if (part.startsWith('`')) {
        const inner = part.slice(1, -1);
        return PLAIN_NAME.test(inner) ? inner : part;
      }
      return part
        .toUpperCase()
        .replace(/\bINT\b/g, 'INTEGER')
        .replace(/\bVARCHAR\b/g, 'STRING')
        .replace(/\bPRIMARY\s+KEY\b/g, 'KEY')
        .replace(/\s*([<>,()])\s*/g, '$1 ')
        .replace(/\s+/g, ' ');
    })
    .join('')
    .replace(/\s+/g, ' ')
    .replace(/ >/g, '>')
    .trim();
}

function sourceDescription(entities: KsqlEntity[]) {
  for (const entity of entities) if (entity['@type'] === 'sourceDescription') return entity.sourceDescription;
  return undefined;
}

export async function checkPost(post: PostConditions, engine: SqlEngine, kafka: Kafka): Promise<void> {
  for (const source of post.sources) {
    let description;
    try {
      description = sourceDescription(await engine.execute({ sql: `DESCRIBE ${quoted(source.name)};` }));
    } catch (error) {
      throw new CaseFailure(
        'post: source missing',
        `${source.name}: ${error instanceof Error ? error.message : error}`,
      );
    }
    if (!description) throw new CaseFailure('post: source missing', `${source.name} not described`);
    if (description.type.toUpperCase() !== source.type.toUpperCase()) {
      throw new CaseFailure(
        'post: source type',
        `${source.name}: expected ${source.type} but is ${description.type}`,
      );
    }
    if (source.schema !== undefined) {
      const actual = normaliseSchema(description.fields.map(fieldText).join(', '));
      const expected = normaliseSchema(source.schema);
      if (actual !== expected) {
        throw new CaseFailure(
          'post: source schema',
          `${source.name}: schema expected ${expected} but was ${actual}`,
        );
      }
    }
    for (const [side, want, got] of [
      ['key', source.keyFormat, description.keyFormat],
      ['value', source.valueFormat, description.valueFormat],
    ] as const) {
      if (want !== undefined && want.toUpperCase() !== got.toUpperCase()) {
        throw new CaseFailure(
          'post: source format',
          `${source.name}: ${side} format expected ${want} but is ${got}`,
        );
      }
    }
  }
  if (post.topics.length === 0 && post.blacklist === undefined) return;
  const topics = await kafka.topics.list({ includeInternal: true });
  for (const topic of post.topics) {
    const found = topics.find((candidate) => candidate.name === topic.name);
    if (!found) throw new CaseFailure('post: topic missing', `topic ${topic.name} does not exist`);
    if (topic.partitions !== undefined && found.partitions !== topic.partitions) {
      throw new CaseFailure(
        'post: topic partitions',
        `${topic.name}: ${found.partitions} partitions, expected ${topic.partitions}`,
      );
    }
  }
  if (post.blacklist !== undefined) {
    const pattern = new RegExp(`^(?:${post.blacklist})$`);
    const forbidden = topics.filter((topic) => pattern.test(topic.name));
    if (forbidden.length > 0) {
      throw new CaseFailure(
        'post: forbidden topic',
        `topics must not exist: ${forbidden.map((t) => t.name).join(', ')}`,
      );
    }
  }
}
