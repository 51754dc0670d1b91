// planJoin against ksqlDB's cases: the statements of every join case that ksqlDB rejects for a reason
// of the join itself must be rejected with ksqlDB's message, and the joined schema of SELECT * cases
// must be the output schema the case expects.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PlannedSource } from '../../../src/sql/planner/plan.js';
import { formatType } from '../../../src/sql/types/index.js';
import { qttAvailable } from './helpers.js';
import { planStatements } from './planner-helpers.js';

const QTT = new URL('../../../../shared/ksql-conformance/qtt/', import.meta.url);
const FILES = [
  'joins.json',
  'multi-joins.json',
  'stream-table-join.json',
  'table-table-join.json',
  'fk-join.json',
];

interface Case {
  readonly name: string;
  readonly statements: readonly string[];
  readonly expectedException?: { readonly message?: string };
  readonly post?: { readonly sources?: readonly { readonly name: string; readonly schema?: string }[] };
}

function cases(): [string, Case][] {
  if (!qttAvailable) return [];
  return FILES.flatMap((file) =>
    (JSON.parse(readFileSync(new URL(file, QTT), 'utf8')) as { tests: Case[] }).tests.map(
      (c) => [file, c] as [string, Case],
    ),
  );
}

// Rejections that belong to other parts: the projection's key check, topics' partition counts, the
// key formats' map check, foreign-key projections.
const NOT_THE_JOIN_PLANNERS = /projection|partitions don't match|Map keys|Primary key column/;

// ksqlDB checks every ON clause of an n-way join before planning the first join; planJoin sees one
// join at a time, so it reports the first join's own error first.
const CHECKED_BEFORE_PLANNING = new Set(['self join with multiple sources']);

const rejected = cases().filter(
  ([, c]) =>
    c.expectedException?.message !== undefined &&
    !NOT_THE_JOIN_PLANNERS.test(c.expectedException.message) &&
    !CHECKED_BEFORE_PLANNING.has(c.name),
);

const run = qttAvailable ? describe : describe.skip;

run('planJoin rejects what ksqlDB rejects, with its message', () => {
  for (const [file, testCase] of rejected) {
    it(`${file}: ${testCase.name}`, () => {
      const expected = testCase.expectedException?.message ?? '';
      let message = '(no error)';
      try {
        planStatements(testCase.statements);
      } catch (error) {
        message = (error as Error).message.replace(/^Line: \d+, Col: \d+: /, '');
      }
      expect(message).toBe(expected.replace(/^Line: \d+, Col: \d+: /, ''));
    });
  }
});

/** The joined schema as `*` gives it: without the sides' pseudo-columns. */
function printSchema(step: PlannedSource): string {
  const col = (name: string, type: string, key: boolean) => `${name} ${type}${key ? ' KEY' : ''}`;
  return [
    ...step.schema.key.map((c) => col(c.name, formatType(c.type), true)),
    ...step.schema.value
      .filter((c) => c.sidePseudo !== true)
      .map((c) => col(c.name, formatType(c.type), false)),
  ].join(', ');
}

const normalise = (schema: string): string =>
  schema
    .replaceAll('`', '')
    .replace(/\bINT\b/g, 'INTEGER')
    .replace(/\s+/g, ' ')
    .trim();

const selectStar = cases().filter(
  ([, c]) =>
    c.expectedException === undefined &&
    /AS SELECT \* FROM/i.test(c.statements.at(-1) ?? '') &&
    !/WINDOW|GROUP BY|PARTITION BY|WHERE/i.test(c.statements.at(-1) ?? '') &&
    c.post?.sources?.some((s) => s.schema !== undefined) === true &&
    c.statements.every((s) => !/SCHEMA_ID|CREATE (STREAM|TABLE) \w+ WITH/i.test(s)),
);

run('the joined schema is what SELECT * gives in ksqlDB', () => {
  for (const [file, testCase] of selectStar) {
    it(`${file}: ${testCase.name}`, () => {
      const step = planStatements(testCase.statements);
      const post = testCase.post?.sources?.find((s) => s.schema !== undefined);
      expect(normalise(printSchema(step))).toBe(normalise(post?.schema ?? ''));
    });
  }
});

describe('planJoin: the key and its viable names', () => {
  const streams = [
    "CREATE STREAM L (A INT KEY, B INT, C INT) WITH (kafka_topic='LEFT', value_format='JSON');",
    "CREATE STREAM R (A INT KEY, B INT, C INT) WITH (kafka_topic='RIGHT', value_format='JSON');",
  ];

  it('joining on both key columns: the left one is the key, either may be projected', () => {
    const step = planStatements([
      ...streams,
      'CREATE STREAM O AS SELECT * FROM L JOIN R WITHIN 10 SECONDS ON L.A = R.A;',
    ]);
    expect(step.schema.key.map((c) => c.name)).toEqual(['L_A']);
    expect(step.joinKey).toEqual({
      viableKeyColumns: ['L_A', 'R_A'],
      viableKeyExpressions: ['L.A', 'R.A'],
      synthetic: false,
    });
    expect(step.kind).toBe('STREAM');
    expect(step.aliases).toEqual(
      new Map([
        ['L', 'L_'],
        ['R', 'R_'],
      ]),
    );
    expect(step.input.kind === 'Merge' && step.input.inputs.length).toBe(2);
  });

  it('an expression on the left: the right column is the key and the left side is rekeyed', () => {
    const step = planStatements([
      ...streams,
      'CREATE STREAM O AS SELECT * FROM L JOIN R WITHIN 10 SECONDS ON ABS(L.A) = R.A;',
    ]);
    expect(step.schema.key.map((c) => c.name)).toEqual(['R_A']);
    expect(step.joinKey.viableKeyExpressions).toEqual(['R.A']);
  });

  it('expressions on both sides, or FULL OUTER: a synthetic ROWKEY', () => {
    for (const sql of [
      'CREATE STREAM O AS SELECT * FROM L JOIN R WITHIN 10 SECONDS ON ABS(L.A) = ABS(R.A);',
      'CREATE STREAM O AS SELECT * FROM L FULL OUTER JOIN R WITHIN 10 SECONDS ON L.A = R.A;',
    ]) {
      const step = planStatements([...streams, sql]);
      expect(step.schema.key.map((c) => c.name)).toEqual(['ROWKEY']);
      expect(step.joinKey).toEqual({
        viableKeyColumns: ['ROWKEY'],
        viableKeyExpressions: ['ROWKEY'],
        synthetic: true,
      });
      expect(step.schema.value.map((c) => c.name)).toEqual([
        'L_A',
        'L_B',
        'L_C',
        'L_ROWTIME',
        'L_ROWPARTITION',
        'L_ROWOFFSET',
        'R_A',
        'R_B',
        'R_C',
        'R_ROWTIME',
        'R_ROWPARTITION',
        'R_ROWOFFSET',
      ]);
    }
  });

  it('a ROWKEY column in a source: the synthetic key is the first free ROWKEY_n', () => {
    const step = planStatements([
      "CREATE TABLE L (ROWKEY INT PRIMARY KEY, ROWKEY_1 INT, ROWKEY_2 INT) WITH (kafka_topic='l', value_format='JSON');",
      "CREATE TABLE R (ROWKEY_3 INT PRIMARY KEY, ROWKEY_4 INT, ROWKEY_5 INT) WITH (kafka_topic='r', value_format='JSON');",
      'CREATE TABLE O AS SELECT * FROM L FULL OUTER JOIN R ON L.ROWKEY = R.ROWKEY_3;',
    ]);
    expect(step.schema.key.map((c) => c.name)).toEqual(['ROWKEY_6']);
    expect(step.kind).toBe('TABLE');
  });

  it('n-way: the viable keys of the joins so far carry on while the key does not change', () => {
    const sources = [
      "CREATE STREAM S1 (ID INT KEY, V0 BIGINT) WITH (kafka_topic='s1', value_format='JSON');",
      "CREATE TABLE T2 (ID INT PRIMARY KEY, V0 BIGINT) WITH (kafka_topic='t2', value_format='JSON');",
      "CREATE TABLE T3 (ID INT PRIMARY KEY, V0 BIGINT) WITH (kafka_topic='t3', value_format='JSON');",
    ];
    const plan = (on1: string, on2: string) =>
      planStatements([...sources, `CREATE STREAM O AS SELECT * FROM S1 JOIN T2 ON ${on1} JOIN T3 ON ${on2};`])
        .joinKey.viableKeyExpressions;
    expect(plan('S1.ID = T2.ID', 'S1.ID = T3.ID')).toEqual(['S1.ID', 'T2.ID', 'T3.ID']);
    expect(plan('S1.ID + 1 = T2.ID', 'S1.ID = T3.ID')).toEqual(['S1.ID', 'T3.ID']);
    expect(plan('S1.ID = T2.ID', 'S1.ID + 1 = T3.ID')).toEqual(['T3.ID']);
  });
});
