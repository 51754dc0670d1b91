// What the engine says about its sources (SHOW STREAMS/TABLES, DESCRIBE), turned into the topic layouts
// the codecs need: formats, key and value columns with their types, the window of a windowed source.
import type { SqlEngine } from '../../src/sql/engine/api.js';
import type { FieldInfo, KsqlEntity, SourceDescription } from '../../src/sql/engine/entities.js';
import type { TopicSpec } from './cases.js';
import type { ColumnInfo, SideLayout, TopicLayout } from './codecs.js';

export interface SourceLayout extends TopicLayout {
  readonly name: string;
  readonly description: SourceDescription;
  /** A time window's size, read from the statement (the bytes only carry the start). */
  readonly windowSizeMs?: number;
}

const UNIT_MS: Record<string, number> = {
  MILLISECOND: 1,
  SECOND: 1000,
  MINUTE: 60_000,
  HOUR: 3_600_000,
  DAY: 86_400_000,
};

/** `WINDOW TUMBLING (SIZE 30 SECONDS ...)` or `HOPPING (SIZE 1 MINUTE, ...)` → the size in ms. */
export function windowSizeOf(statement: string): number | undefined {
  const match = /\b(?:TUMBLING|HOPPING)\s*\(\s*SIZE\s+(\d+)\s+([A-Z]+?)S?\b/i.exec(statement);
  if (!match) return undefined;
  const unit = UNIT_MS[match[2].toUpperCase()];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

function typeText(field: FieldInfo): string {
  return field.schema.type;
}

function sideOf(format: string, columns: ColumnInfo[], statement: string, isKey: boolean): SideLayout {
  const unwrap = isKey ? columns.length === 1 : /WRAP_SINGLE_VALUE\s*=\s*false/i.test(statement);
  const delimiterMatch = new RegExp(`${isKey ? 'KEY' : 'VALUE'}_DELIMITER\\s*=\\s*'([^']*)'`, 'i').exec(
    statement,
  );
  const fullName = new RegExp(`${isKey ? 'KEY' : 'VALUE'}_SCHEMA_FULL_NAME\\s*=\\s*'([^']*)'`, 'i').exec(
    statement,
  );
  return {
    format,
    columns,
    wrapped: !unwrap,
    delimiter: delimiterMatch?.[1],
    ...(fullName ? { schemaFullName: fullName[1] } : {}),
  };
}

export function layoutOf(description: SourceDescription): SourceLayout {
  const keyColumns = description.fields
    .filter((field) => field.type === 'KEY')
    .map((field) => ({ name: field.name, type: typeText(field), schema: field.schema }));
  const valueColumns = description.fields
    .filter((field) => field.type === undefined)
    .map((field) => ({ name: field.name, type: typeText(field), schema: field.schema }));
  const windowType = description.windowType?.toUpperCase();
  return {
    name: description.name,
    description,
    topic: description.topic,
    key: sideOf(description.keyFormat, keyColumns, description.statement, true),
    value: sideOf(description.valueFormat, valueColumns, description.statement, false),
    windowType:
      windowType === 'TUMBLING' || windowType === 'HOPPING' || windowType === 'SESSION'
        ? windowType
        : undefined,
    windowSizeMs: windowSizeOf(description.statement),
  };
}

function entitiesOfType<T extends KsqlEntity['@type']>(
  entities: KsqlEntity[],
  type: T,
): Extract<KsqlEntity, { '@type': T }>[] {
  return entities.filter((entity): entity is Extract<KsqlEntity, { '@type': T }> => entity['@type'] === type);
}

/** Every stream and table the engine knows, described; sources that fail to describe are left out. */
export async function describeSources(engine: SqlEngine): Promise<SourceLayout[]> {
  const listed = await engine.execute({ sql: 'SHOW STREAMS; SHOW TABLES;' });
  const names = [
    ...entitiesOfType(listed, 'streams').flatMap((entity) => entity.streams.map((source) => source.name)),
    ...entitiesOfType(listed, 'tables').flatMap((entity) => entity.tables.map((source) => source.name)),
  ];
  const layouts: SourceLayout[] = [];
  for (const name of names) {
    try {
      const described = await engine.execute({ sql: `DESCRIBE \`${name}\`;` });
      for (const entity of entitiesOfType(described, 'sourceDescription')) {
        layouts.push(layoutOf(entity.sourceDescription));
      }
    } catch {
      // An undescribable source only costs the records of its topic, which then use the fallback layout.
    }
  }
  return layouts;
}

/** A layout for a topic no source describes: the case's declared formats, else JSON values and string keys. */
export function fallbackLayout(topic: string, declared: TopicSpec | undefined): TopicLayout {
  return {
    topic,
    key: { format: declared?.keyFormat ?? 'KAFKA', columns: [{ name: 'K', type: 'STRING' }], wrapped: false },
    value: { format: declared?.valueFormat ?? 'JSON', columns: [], wrapped: true },
  };
}
