// The three ways a query's result goes out, each a small stateful writer of text pieces:
//
// - delimited (/query-stream's default): a metadata object line {queryId, columnNames, columnTypes},
//   then one JSON array a row, one a line; an error is one more object line.
// - json (/query-stream with Accept application/json): the same items as one JSON array.
// - streamed rows (/query, and /query-stream asked for application/vnd.ksql.v1+json): a JSON array of
//   {"header":{queryId, schema}}, {"row":{"columns":[...]}}, ending with {"finalMessage":...} or
//   {"errorMessage":{...}}; the schema reads "`ID` STRING KEY, `V` INTEGER".
import type { QueryHandle, ResultRow } from '../engine/api.js';
import type { SqlType } from '../types/index.js';
import type { ErrorBody } from './errors.js';
import { columnType, rowToJson } from './json-values.js';
import { DELIMITED, JSON_TYPE, KSQL_V1_JSON } from './media-types.js';

/** Why the rows ended: a push query's LIMIT, a query that finished, or the client went away. */
export type QueryEnd = 'limit' | 'completed' | 'closed';

export interface QueryResponseFormat {
  readonly contentType: string;
  header(): string;
  row(row: ResultRow): string;
  error(body: ErrorBody): string;
  end(reason: QueryEnd): string;
}

export type QueryFormatName = 'delimited' | 'json' | 'streamed-rows';

/** The writer for a format; `contentType` is what the response says it is (/query's JSON varies). */
export function createQueryFormat(
  name: QueryFormatName,
  handle: QueryHandle,
  contentType?: string,
): QueryResponseFormat {
  const types = handle.columns.map((column) => columnType(column.type));
  switch (name) {
    case 'delimited':
      return delimitedFormat(handle, types);
    case 'json':
      return jsonArrayFormat(handle, types);
    case 'streamed-rows':
      return { ...streamedRowsFormat(handle, types), contentType: contentType ?? KSQL_V1_JSON };
  }
}

function metadata(handle: QueryHandle): string {
  return JSON.stringify({
    queryId: handle.queryId,
    columnNames: handle.columns.map((column) => column.name),
    columnTypes: handle.columns.map((column) => column.type),
  });
}

function delimitedFormat(handle: QueryHandle, types: readonly (SqlType | null)[]): QueryResponseFormat {
  return {
    contentType: DELIMITED,
    header: () => `${metadata(handle)}\n`,
    row: (row) => `${rowToJson(row.values, types)}\n`,
    error: (body) => `${JSON.stringify(body)}\n`,
    end: () => '',
  };
}

/** A JSON array written item by item: the separator goes before every item but the first. */
function arrayWriter(): { item(text: string): string; close(): string } {
  let first = true;
  return {
    item(text) {
      const piece = first ? `[${text}` : `,\n${text}`;
      first = false;
      return piece;
    },
    close: () => (first ? '[]' : ']'),
  };
}

function jsonArrayFormat(handle: QueryHandle, types: readonly (SqlType | null)[]): QueryResponseFormat {
  const array = arrayWriter();
  return {
    contentType: JSON_TYPE,
    header: () => array.item(metadata(handle)),
    row: (row) => array.item(rowToJson(row.values, types)),
    error: (body) => array.item(JSON.stringify(body)),
    end: () => array.close(),
  };
}

/** The header's schema text: key columns are marked KEY on a pull query, as ksqlDB's /query does. */
export function schemaText(handle: QueryHandle): string {
  const keys = new Set(handle.isPullQuery ? (handle.keyColumns ?? []) : []);
  return handle.columns
    .map((column) => `\`${column.name}\` ${column.type}${keys.has(column.name) ? ' KEY' : ''}`)
    .join(', ');
}

function streamedRowsFormat(handle: QueryHandle, types: readonly (SqlType | null)[]): QueryResponseFormat {
  const array = arrayWriter();
  // A pull query on a table ends without a final message; a pull query on a stream (no key columns)
  // ends with "Query Completed", and a push query at its LIMIT with "Limit Reached", as in ksqlDB.
  const tablePull = handle.isPullQuery && handle.keyColumns !== undefined;
  return {
    contentType: KSQL_V1_JSON,
    header: () =>
      array.item(JSON.stringify({ header: { queryId: handle.queryId, schema: schemaText(handle) } })),
    row: (row) =>
      array.item(
        `{"row":{"columns":${rowToJson(row.values, types)}${row.tombstone ? ',"tombstone":true' : ''}}}`,
      ),
    error: (body) => array.item(JSON.stringify({ errorMessage: body })),
    end: (reason) => {
      if (reason === 'closed' || tablePull) return array.close();
      const message = reason === 'limit' && !handle.isPullQuery ? 'Limit Reached' : 'Query Completed';
      return array.item(JSON.stringify({ finalMessage: message })) + array.close();
    },
  };
}
