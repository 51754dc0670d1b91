// A SqlEngine whose answers a test scripts, for the REST server's wire format alone (content types,
// framing, errors, HTTP/2). Everything about what statements mean is tested against the real engine
// (createSqlEngine) in rest-api.test.ts.
import type {
  OpenedStatement,
  QueryHandle,
  ResultColumn,
  ResultRow,
  SqlEngine,
  StatementRequest,
} from '../../../src/sql/engine/api.js';
import type { KsqlEntity } from '../../../src/sql/engine/entities.js';
import { SqlStatementError } from '../../../src/sql/engine/errors.js';

export interface ScriptedQuery {
  columns: ResultColumn[];
  keyColumns?: string[];
  isPullQuery: boolean;
  rows: ResultRow[];
  /** A push query without a LIMIT: after its rows it waits until closed. */
  endless?: boolean;
  failAfterRows?: string;
}

export class ScriptedEngine implements SqlEngine {
  readonly serviceId = 'scripted_';
  readonly inserted: { target: string; row: Readonly<Record<string, unknown>> }[] = [];
  readonly closed: string[] = [];
  statements = new Map<string, KsqlEntity[]>();
  queries = new Map<string, ScriptedQuery>();
  private nextId = 1;

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  health() {
    return { ok: true, detail: { kafka: true } };
  }

  async execute(request: StatementRequest): Promise<KsqlEntity[]> {
    // /inserts-stream describes its target first: stream S is the one scripted target.
    if (request.sql === 'DESCRIBE `S`;') return [describedS(request.sql)];
    const entities = this.statements.get(request.sql.replace(/\s+/g, ' ').trim());
    if (!entities)
      throw new SqlStatementError(`line 1:1: mismatched input '${request.sql.split(' ')[0]}'`, request.sql);
    return entities;
  }

  async open(request: StatementRequest): Promise<OpenedStatement> {
    return { kind: 'query', handle: await this.query(request) };
  }

  async query(request: StatementRequest): Promise<QueryHandle> {
    const script = this.queries.get(request.sql.replace(/\s+/g, ' ').trim());
    if (!script) throw new SqlStatementError(`${request.sql} cannot be run`, request.sql);
    const queryId = script.isPullQuery ? `query_${this.nextId++}` : `transient_S_${this.nextId++}`;
    let release: () => void = () => {};
    const closedPromise = new Promise<void>((resolve) => (release = resolve));
    const closed = this.closed;
    return {
      queryId,
      columns: script.columns,
      keyColumns: script.keyColumns,
      isPullQuery: script.isPullQuery,
      async *rows() {
        for (const row of script.rows) yield row;
        if (script.failAfterRows) throw new Error(script.failAfterRows);
        if (script.endless) await closedPromise;
      },
      async close() {
        closed.push(queryId);
        release();
      },
    };
  }

  async insertRow(target: string, row: Readonly<Record<string, unknown>>): Promise<void> {
    if (target !== 'S')
      throw new SqlStatementError(`Cannot insert values into an unknown stream: ${target}`, '');
    if ('BAD' in row) throw new SqlStatementError('Cannot coerce BAD', '');
    this.inserted.push({ target, row });
  }
}

/** Just what /inserts-stream reads of a description: the name, window type and topic. */
function describedS(statementText: string): KsqlEntity {
  return {
    '@type': 'sourceDescription',
    statementText,
    warnings: [],
    sourceDescription: { name: 'S', windowType: null, topic: 's', type: 'STREAM', fields: [] },
  } as unknown as KsqlEntity;
}
