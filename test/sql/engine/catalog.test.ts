import { describe, expect, it } from 'vitest';
import { Catalog, persistentQueryId } from '../../../src/sql/engine/catalog.js';
import type { DataSource } from '../../../src/sql/planner/data-source.js';
import { SqlTypes } from '../../../src/sql/types/index.js';

function stream(name: string): DataSource {
  return {
    name,
    kind: 'STREAM',
    schema: { key: [], value: [{ name: 'V', type: SqlTypes.STRING, namespace: 'VALUE' }] },
    topic: name.toLowerCase(),
    keyFormat: 'KAFKA',
    valueFormat: 'JSON',
    keyOptions: {},
    valueOptions: {},
    isSource: false,
    sqlText: `CREATE STREAM ${name} (V STRING) WITH (kafka_topic='${name.toLowerCase()}', value_format='JSON');`,
  };
}

describe('Catalog', () => {
  it('names queries as ksqlDB does', () => {
    expect(persistentQueryId('CREATE_AS', 'STREAM', 'out', 3)).toBe('CSAS_OUT_3');
    expect(persistentQueryId('CREATE_AS', 'TABLE', 'COUNTS', 0)).toBe('CTAS_COUNTS_0');
    expect(persistentQueryId('INSERT', 'STREAM', 'OUT', 7)).toBe('INSERTQUERY_7');
  });

  it('refuses a second source of the same name unless replacing', () => {
    const catalog = new Catalog();
    catalog.putSource(stream('A'));
    expect(() => catalog.putSource({ ...stream('A'), kind: 'TABLE' })).toThrow(
      "Cannot add table 'A': A stream with the same name already exists",
    );
    catalog.putSource({ ...stream('A'), topic: 'other' }, true);
    expect(catalog.source('A')?.topic).toBe('other');
  });

  it('hints at a source whose name differs in case', () => {
    const catalog = new Catalog();
    catalog.putSource(stream('INPUT'));
    expect(catalog.alternativesHint('input')).toBe(
      '\nDid you mean INPUT? Hint: try removing double quotes from the source name.',
    );
    catalog.putSource(stream('Input'));
    expect(catalog.alternativesHint('INPUT', 'STREAM')).toBe(
      '\nDid you mean "INPUT" (STREAM) or "Input" (STREAM)? Hint: wrap the source name in double quotes to make it case-sensitive.',
    );
  });

  it('keeps the sources a CREATE ... AS SELECT read after its query ends', () => {
    const catalog = new Catalog();
    catalog.putSource(stream('A'));
    catalog.putSource(stream('B'), false, ['A']);
    catalog.addQuery({
      id: 'CSAS_B_1',
      kind: 'CREATE_AS',
      statementText: 'CREATE STREAM B AS SELECT * FROM A;',
      sinkName: 'B',
      sinkTopic: 'b',
      sourceNames: ['A'],
      overriddenProperties: {},
    });
    expect(catalog.queriesReading('A').map((q) => q.id)).toEqual(['CSAS_B_1']);
    expect(catalog.createAsQuery('B')?.id).toBe('CSAS_B_1');
    catalog.removeQuery('csas_b_1');
    expect(catalog.queries()).toEqual([]);
    expect(catalog.sourcesReading('A')).toEqual(['B']);
    catalog.removeSource('B');
    expect(catalog.sourcesReading('A')).toEqual([]);
  });

  it('registers custom types once, case-insensitively', () => {
    const catalog = new Catalog();
    expect(catalog.registerType('address', SqlTypes.STRING)).toBe(true);
    expect(catalog.registerType('ADDRESS', SqlTypes.INTEGER)).toBe(false);
    expect(catalog.type('Address')).toEqual(SqlTypes.STRING);
    expect(catalog.dropType('ADDRESS')).toBe(true);
    expect(catalog.types()).toEqual([]);
  });
});
