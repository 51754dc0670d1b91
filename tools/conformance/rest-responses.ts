// REST cases: the SELECTs run after the inputs are written, and their rows are compared with the case's
// `responses` (header schema and row columns; admin responses are checked by the engine's statements
// succeeding, as their bodies are mostly ids and texts ksqlDB's own runner does not compare either).
import type { QueryHandle, ResultRow, SqlEngine } from '../../src/sql/engine/api.js';
import { schemaText } from '../../src/sql/server/query-formats.js';
import { SqlDecimal, type SqlValue } from '../../src/sql/types/index.js';
import type { ConformanceCase } from './cases.js';
import { DecimalNumber, firstDifference } from './compare.js';
import { isJsonObject, JsonNumber, type JsonValue } from './json-text.js';
import { normaliseSchema } from './post-conditions.js';
import { causeLabel, CaseFailure, statementErrorText } from './run-case.js';

/** A SQL value as the REST API's JSON would show it. */
export function sqlToJson(value: SqlValue): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return new JsonNumber(String(value));
  if (typeof value === 'bigint') return new JsonNumber(value.toString());
  if (value instanceof SqlDecimal) return new DecimalNumber(value.toString());
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((item: SqlValue) => sqlToJson(item));
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([k, v]: [SqlValue, SqlValue]) => [String(k), sqlToJson(v)]));
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sqlToJson(v as SqlValue)]));
}

async function readRows(handle: QueryHandle, wanted: number, deadline: number): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const iterator = handle.rows()[Symbol.asyncIterator]();
  const quietMs = 500;
  for (;;) {
    const limit = rows.length >= wanted ? quietMs : Math.max(deadline - Date.now(), 0);
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<'quiet'>((resolve) => (timer = setTimeout(() => resolve('quiet'), limit))),
    ]);
    clearTimeout(timer);
    if (next === 'quiet' || next.done) return rows;
    rows.push(next.value);
  }
}

export async function runRestQueries(
  testCase: ConformanceCase,
  queries: readonly string[],
  engine: SqlEngine,
  deadline: number,
): Promise<'expected error raised' | undefined> {
  for (const query of queries) {
    const index = testCase.statements.indexOf(query);
    const response = testCase.responses?.[index];
    let handle: QueryHandle;
    try {
      handle = await engine.query({ sql: query, properties: testCase.properties });
    } catch (error) {
      const message = statementErrorText(error);
      const expected = testCase.expectedError?.message;
      if (expected !== undefined && message.includes(expected)) return 'expected error raised';
      throw new CaseFailure(`query failed: ${causeLabel(message)}`, message);
    }
    if (!response || response.kind !== 'query') {
      await handle.close();
      continue;
    }
    const expectedRows = response.body.filter((item) => isJsonObject(item) && isJsonObject(item.row));
    try {
      const header = response.body.find((item) => isJsonObject(item) && isJsonObject(item.header));
      if (isJsonObject(header) && isJsonObject(header.header) && typeof header.header.schema === 'string') {
        // The header as the server writes it (KEY marks on pull queries only, as ksqlDB).
        const actual = normaliseSchema(schemaText(handle));
        const expected = normaliseSchema(header.header.schema);
        if (actual !== expected) {
          throw new CaseFailure('query header mismatch', `header expected ${expected} but was ${actual}`);
        }
      }
      const rows = await readRows(handle, expectedRows.length, deadline);
      const actual: JsonValue[] = rows.map((row) => ({ row: { columns: row.values.map(sqlToJson) } }));
      const expected = expectedRows.map((item) => {
        const row = (item as { row: { columns?: JsonValue } }).row;
        return { row: { columns: row.columns ?? [] } };
      });
      const difference = unorderedDifference(expected, actual);
      if (difference) throw new CaseFailure('query rows mismatch', `${query}: ${difference}`);
    } finally {
      await handle.close();
    }
  }
}

/**
 * ksqlDB's runner compares a query's rows as a multiset unless the case sets outputConditions.verifyOrder
 * (none of the shared files do): a table scan answers in the state store's order, which the files' row
 * order does not record. Each expected row takes the first equal actual row not yet taken.
 */
function unorderedDifference(expected: JsonValue[], actual: JsonValue[]): string | undefined {
  if (expected.length !== actual.length)
    return (
      firstDifference(expected, actual, 'rows') ??
      `rows: expected ${expected.length} but got ${actual.length}`
    );
  const taken = new Set<number>();
  for (const [index, row] of expected.entries()) {
    const match = actual.findIndex(
      (candidate, at) => !taken.has(at) && firstDifference(row, candidate) === undefined,
    );
    if (match < 0) {
      const unmatched = actual.findIndex((_, at) => !taken.has(at));
      return firstDifference(row, actual[unmatched] ?? null, `rows[${index}] (in any order)`);
    }
    taken.add(match);
  }
  return undefined;
}
