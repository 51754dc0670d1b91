// The runner end to end on a real broker and registry, driven by a stand-in engine that knows two
// statements (CREATE STREAM with columns, CREATE STREAM AS SELECT * copying a topic), until the real
// engine exists. What is proven is the runner: topics, inputs, reading outputs, comparing, causes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openKafka } from '../../../src/client/index.js';
import type { SqlEngine, SqlEngineOptions } from '../../../src/sql/engine/api.js';
import type { KsqlEntity, SourceDescription } from '../../../src/sql/engine/entities.js';
import { SqlStatementError } from '../../../src/sql/engine/errors.js';
import { rankedCauses, totals } from '../../../tools/conformance/report.js';
import { runConformance } from '../../../tools/conformance/runner.js';

function describeSource(
  name: string,
  topic: string,
  key: [string, string],
  statement: string,
): SourceDescription {
  return {
    name,
    windowType: null,
    readQueries: [],
    writeQueries: [],
    fields: [
      { name: key[0], schema: { type: key[1], fields: null, memberSchema: null }, type: 'KEY' },
      { name: 'V', schema: { type: 'INTEGER', fields: null, memberSchema: null } },
    ],
    type: 'STREAM',
    timestamp: '',
    statistics: '',
    errorStats: '',
    extended: false,
    keyFormat: 'KAFKA',
    valueFormat: 'JSON',
    topic,
    partitions: 1,
    replication: 1,
    statement,
    queryOffsetSummaries: [],
    sourceConstraints: [],
  };
}

/** Knows `CREATE STREAM N (K <type> KEY, V INT) WITH (kafka_topic='t', ...)` and `CREATE STREAM N AS SELECT * FROM S`. */
function standInEngine(options: SqlEngineOptions): SqlEngine {
  const kafka = openKafka(options.kafka);
  const sources = new Map<string, SourceDescription>();
  const stop = new AbortController();
  const copies: Promise<void>[] = [];
  const status = (statementText: string): KsqlEntity => ({
    '@type': 'currentStatus',
    statementText,
    warnings: [],
    commandId: 'c',
    commandStatus: { status: 'SUCCESS', message: 'done' },
    commandSequenceNumber: 1,
  });
  const copy = async (from: string, to: string) => {
    try {
      for await (const record of kafka.consume({
        topic: from,
        from: { kind: 'beginning' },
        signal: stop.signal,
      })) {
        // Column names are upper case, as the engine writes them; the case gives some in lower case.
        const row = JSON.parse(record.value?.toString() ?? 'null') as Record<string, unknown> | null;
        const upper = row && Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toUpperCase(), v]));
        const value = upper && Buffer.from(JSON.stringify(upper));
        await kafka.produce([{ topic: to, key: record.key, value, timestamp: record.timestamp }]);
      }
    } catch {
      // stopped
    }
  };
  return {
    serviceId: options.serviceId ?? 'default_',
    start: async () => undefined,
    async execute(request) {
      // The runner puts the lines of the statements before this one in the case's script first.
      const sql = request.sql.trimStart();
      const create = /^CREATE STREAM (\w+) \((\w+) (\w+) KEY, V INT\) WITH \(kafka_topic='(\w+)'/i.exec(sql);
      if (create) {
        const [, name, keyName, keyType, topic] = create;
        sources.set(name.toUpperCase(), describeSource(name.toUpperCase(), topic, [keyName, keyType], sql));
        return [status(sql)];
      }
      const select = /^CREATE STREAM (\w+) AS SELECT \* FROM (\w+);$/i.exec(sql);
      if (select) {
        const name = select[1].toUpperCase();
        const from = sources.get(select[2].toUpperCase());
        if (!from) throw new SqlStatementError(`${select[2].toUpperCase()} does not exist.`, sql);
        await kafka.topics.create({ name, partitions: 1 });
        sources.set(name, { ...from, name, topic: name, statement: sql });
        copies.push(copy(from.topic, name));
        return [status(sql)];
      }
      if (/^SHOW STREAMS; SHOW TABLES;$/.test(sql)) {
        const streams = [...sources.values()].map((s) => ({
          type: 'STREAM' as const,
          name: s.name,
          topic: s.topic,
          keyFormat: s.keyFormat,
          valueFormat: s.valueFormat,
          isWindowed: false,
        }));
        return [
          { '@type': 'streams', statementText: sql, warnings: [], streams },
          { '@type': 'tables', statementText: sql, warnings: [], tables: [] },
        ];
      }
      const described = /^DESCRIBE `?(\w+)`?;$/.exec(sql);
      if (described && sources.has(described[1])) {
        const sourceDescription = sources.get(described[1]) as SourceDescription;
        return [{ '@type': 'sourceDescription', statementText: sql, warnings: [], sourceDescription }];
      }
      throw new SqlStatementError(`line 1:1: mismatched input '${sql.split(' ')[0]}'`, sql);
    },
    query: () => Promise.reject(new Error('no queries')),
    open: () => Promise.reject(new Error('no queries')),
    insertRow: () => Promise.reject(new Error('no inserts')),
    health: () => ({ ok: true, detail: {} }),
    async stop() {
      stop.abort();
      await Promise.all(copies);
      await kafka.close();
    },
  };
}

const create = "CREATE STREAM S (K INT KEY, V INT) WITH (kafka_topic='input', value_format='JSON');";
const copyAll = 'CREATE STREAM OUT AS SELECT * FROM S;';
const inputs = [
  { topic: 'input', key: 1, value: { v: 10 }, timestamp: 5 },
  { topic: 'input', key: 2, value: { V: 20 }, timestamp: 6 },
];

function caseDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-conformance-runner-'));
  fs.mkdirSync(path.join(dir, 'qtt'));
  const tests = [
    {
      name: 'copies records',
      statements: [create, copyAll],
      inputs,
      outputs: [
        { topic: 'OUT', key: 1, value: { V: 10 }, timestamp: 5 },
        { topic: 'OUT', key: 2, value: { V: 20.0 } },
      ],
      post: {
        sources: [{ name: 'OUT', type: 'stream', schema: 'K INT KEY, V INT' }],
        topics: { blacklist: '.*-x' },
      },
    },
    {
      name: 'wrong value',
      statements: [create, copyAll],
      inputs,
      outputs: [
        { topic: 'OUT', key: 1, value: { V: 10 } },
        { topic: 'OUT', key: 2, value: { V: 21 } },
      ],
    },
    {
      name: 'unknown source - {FORMAT}',
      format: ['JSON', 'AVRO'],
      statements: ['CREATE STREAM OUT AS SELECT * FROM NOPE;'],
      expectedException: {
        type: 'io.confluent.ksql.util.KsqlStatementException',
        message: 'NOPE does not exist',
      },
    },
  ];
  fs.writeFileSync(path.join(dir, 'qtt', 'stand-in.json'), JSON.stringify({ tests }));
  return dir;
}

describe('conformance runner', () => {
  it('runs cases on a real broker: inputs, outputs, comparisons, expected exceptions, post checks', async () => {
    const results = await runConformance({
      casesDir: caseDir(),
      timeoutMs: 15_000,
      createEngine: standInEngine,
    });
    const [file] = results;
    expect(file.label).toBe('qtt/stand-in');
    const byName = Object.fromEntries(file.cases.map((c) => [c.name, c.result]));
    expect(byName['copies records']).toMatchObject({ status: 'pass' });
    expect(byName['wrong value']).toMatchObject({ status: 'fail', cause: 'value mismatch' });
    expect(byName['wrong value'].detail).toMatch(/OUT\[1\]: value\.V: expected 21 but was 20/);
    expect(byName['unknown source - JSON - JSON']).toMatchObject({ status: 'pass' });
    expect(totals(results)).toEqual({ cases: 4, passed: 3, unavailable: 0 });
    expect(rankedCauses(results)).toEqual([['value mismatch', 1]]);
  });

  it('reports every case as not run when there is no engine', async () => {
    const results = await runConformance({ casesDir: caseDir(), timeoutMs: 1000, createEngine: null });
    expect(totals(results)).toEqual({ cases: 4, passed: 0, unavailable: 4 });
    expect(rankedCauses(results)).toEqual([['engine not available', 4]]);
  });
});
