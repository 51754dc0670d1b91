// planJoin's plans run on ksqlDB's join cases: each case's statements are planned, its inputs pushed
// through the plan's operators in the case's order, and the joined rows compared with the case's
// expected outputs column by column (the projection is the core planner's, so a case's output column
// is matched to the joined column of the same name, or the one ending in `_<name>`). Cases that need
// more than the join (WHERE, expressions in SELECT, aggregation, other formats) are left out.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseStatements } from '../../../src/sql/parser/index.js';
import type { DataSource } from '../../../src/sql/planner/data-source.js';
import type { SqlValue } from '../../../src/sql/types/index.js';
import { memoryContext, qttAvailable } from './helpers.js';
import { buildPlan } from './plan-runner.js';
import { planStatements, sourceOf } from './planner-helpers.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Record_ {
  readonly topic: string;
  readonly key: Json;
  readonly value: Json;
  /** Absent: 0, as the qtt driver takes it. */
  readonly timestamp?: number;
}
interface Case {
  readonly name: string;
  readonly statements: readonly string[];
  readonly format?: readonly string[];
  readonly properties?: Readonly<Record<string, string>>;
  readonly inputs?: readonly Record_[];
  readonly outputs?: readonly Record_[];
  readonly expectedException?: unknown;
}

const QTT = new URL('../../../../shared/ksql-conformance/qtt/', import.meta.url);
const FILES = [
  'joins.json',
  'multi-joins.json',
  'stream-table-join.json',
  'table-table-join.json',
  'fk-join.json',
];

/** What a case may use to be run here: plain column projections, JSON values, one query. */
function runnable(c: Case): boolean {
  const last = c.statements.at(-1) ?? '';
  const select = /AS\s+SELECT\s+(.*?)\s+FROM\s/is.exec(last)?.[1] ?? '';
  const plainItems = select
    .split(',')
    .every(
      (item) =>
        /^\s*(\*|\w+\.\*|\w+(\.\w+)?(\s+(AS\s+)?\w+)?)\s*$/i.test(item) &&
        !/ROWTIME|ROWPARTITION|ROWOFFSET/i.test(item),
    );
  const formats = c.format ?? ['JSON'];
  return (
    c.expectedException === undefined &&
    c.inputs !== undefined &&
    c.outputs !== undefined &&
    c.statements.filter((s) => /AS\s+SELECT/i.test(s)).length === 1 &&
    /\bJOIN\b/i.test(last) &&
    !/\b(WHERE|GROUP BY|PARTITION BY|WINDOW|HAVING|EMIT)\b/i.test(last) &&
    plainItems &&
    (formats.includes('JSON') || formats.includes('{FORMAT}')) &&
    c.statements.every((s) => /\(/.test(s.split(/\bWITH\b/i)[0] ?? '') || /AS\s+SELECT/i.test(s)) &&
    c.statements.every(
      (s) => !/DELIMITED|KAFKA'|AVRO|PROTOBUF|WRAP_SINGLE_VALUE|KEY_FORMAT|format='KAFKA'/i.test(s),
    ) &&
    c.properties === undefined &&
    // ON clauses with CAST, subscripts, CASE or unary minus need the core's expression compiler.
    !/ON\s.*(CAST|\[|CASE|= -|\(-)/is.test(last)
  );
}

function casesOf(file: string): Case[] {
  if (!qttAvailable) return [];
  return (JSON.parse(readFileSync(new URL(file, QTT), 'utf8')) as { tests: Case[] }).tests.filter(runnable);
}

interface Row {
  readonly key: Json;
  readonly value: Record<string, Json> | null;
  readonly timestamp: number;
}

function runCase(c: Case): { readonly actual: Row[]; readonly expected: Row[] } {
  const statements = c.statements.map((s) => s.replaceAll('{FORMAT}', 'JSON'));
  const plan = planStatements(statements);
  const sources: DataSource[] = statements
    .flatMap((s) => parseStatements(s))
    .filter((s) => s.kind === 'CreateSource')
    .map(sourceOf);
  const sinkTopic = (
    /CREATE\s+(?:STREAM|TABLE)\s+(\w+)/i.exec(statements.at(-1) ?? '')?.[1] ?? ''
  ).toUpperCase();
  const expected: Row[] = (c.outputs ?? [])
    .filter((o) => o.topic.toUpperCase() === sinkTopic)
    .map((o) => ({ key: o.key, value: o.value as Record<string, Json> | null, timestamp: o.timestamp ?? 0 }));
  const outputColumns = new Set(expected.flatMap((o) => Object.keys(o.value ?? {})));
  const joinedNames = [...plan.schema.value.map((col) => col.name)];
  const aliases = selectAliases(statements.at(-1) ?? '');
  const columnFor = (output: string): number => {
    const name = aliases.get(output) ?? output;
    const exact = joinedNames.indexOf(name);
    if (exact >= 0) return exact;
    const suffixed = joinedNames.flatMap((n, i) => (n.endsWith(`_${name}`) ? [i] : []));
    return suffixed.length === 1 ? (suffixed[0] as number) : -1;
  };

  const actual: Row[] = [];
  const built = buildPlan(
    plan,
    (record) => {
      const value =
        record.value === null
          ? null
          : Object.fromEntries(
              [...outputColumns].map((name) => {
                const i = columnFor(name);
                return [name, i < 0 ? '<no such column>' : toJson(record.value?.[i] ?? null)];
              }),
            );
      actual.push({ key: keyJson(record.key), value, timestamp: record.timestamp });
    },
    memoryContext(),
  );
  // A multi-column key (a foreign-key join's) compares as an object of the expected output's key fields.
  const keyJson = (key: readonly SqlValue[]): Json => {
    if (key.length <= 1) return toJson(key[0] ?? null);
    const sample = expected.find((o) => typeof o.key === 'object' && o.key !== null)?.key ?? {};
    return Object.fromEntries(
      Object.keys(sample).map((field) => {
        const i = plan.schema.key.findIndex((c) => c.name === field || c.name.endsWith(`_${field}`));
        return [field, toJson(key[i] ?? null)];
      }),
    );
  };
  let offset = 0;
  for (const input of c.inputs ?? []) {
    for (const source of sources.filter((s) => s.topic === input.topic)) {
      const operator = built.inputs.get(source.name);
      if (operator === undefined) continue;
      const value = input.value;
      // ksqlDB's JSON reads field names case-insensitively.
      const field = (name: string): Json => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
        const key = Object.keys(value).find((k) => k.toUpperCase() === name);
        return key === undefined ? null : (value[key] ?? null);
      };
      operator.process({
        key:
          source.schema.key.length <= 1 || typeof input.key !== 'object' || input.key === null
            ? source.schema.key.map(() => input.key as SqlValue)
            : source.schema.key.map(
                (col) => ((input.key as Record<string, Json>)[col.name] ?? null) as SqlValue,
              ),
        value: value === null ? null : source.schema.value.map((col) => field(col.name) as SqlValue),
        timestamp: input.timestamp ?? 0,
        partition: 0,
        offset: offset++,
      });
    }
  }
  return { actual, expected };
}

/** `Q.C AS A` and `C A` items of the SELECT: output name A → joined column Q_C (or C). */
function selectAliases(statement: string): Map<string, string> {
  const select = /AS\s+SELECT\s+(.*?)\s+FROM\s/is.exec(statement)?.[1] ?? '';
  const aliases = new Map<string, string>();
  for (const item of select.split(',')) {
    const match = /^\s*(?:(\w+)\.)?(\w+)\s+(?:AS\s+)?(\w+)\s*$/i.exec(item);
    if (match === null) continue;
    const [, qualifier, column, alias] = match as unknown as [string, string | undefined, string, string];
    aliases.set(
      alias.toUpperCase(),
      `${qualifier === undefined ? '' : `${qualifier.toUpperCase()}_`}${column.toUpperCase()}`,
    );
  }
  return aliases;
}

function toJson(value: SqlValue): Json {
  return typeof value === 'bigint' ? Number(value) : (value as Json);
}

const run = qttAvailable ? describe : describe.skip;

run('planned joins run ksqlDB cases', () => {
  for (const file of FILES) {
    for (const testCase of casesOf(file)) {
      it(`${file}: ${testCase.name}`, () => {
        const { actual, expected } = runCase(testCase);
        expect(actual).toEqual(expected);
      });
    }
  }
});
