// Parsing helpers for the parser tests: one statement, one query, and the error a text fails with.
import { expect } from 'vitest';
import { SqlParseError, parseStatements, type Query, type Statement } from '../../../src/sql/parser/index.js';

export function parseOne(text: string): Statement {
  const statements = parseStatements(text);
  expect(statements).toHaveLength(1);
  return statements[0];
}

export function parseQueryText(text: string): Query {
  const statement = parseOne(text);
  if (statement.kind !== 'QueryStatement') throw new Error(`expected a query, got ${statement.kind}`);
  return statement.query;
}

/** The SqlParseError that parsing `text` throws (fails the test if it parses). */
export function parseError(text: string, parse: (text: string) => unknown = parseStatements): SqlParseError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof SqlParseError) return error;
    throw error;
  }
  throw new Error(`expected a parse error for: ${text}`);
}

/** Drops `pos` recursively (and a statement's `text`), to compare AST shapes without positions. */
export function shape(value: unknown, isStatement = true): unknown {
  if (Array.isArray(value)) return value.map((item) => shape(item, false));
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'pos' || (isStatement && key === 'text')) continue;
    result[key] = shape(inner, false);
  }
  return result;
}
