// Which statements change what the engine keeps (streams, tables, types, queries, rows, server
// properties) and which only read it. The HTTP components refuse the first kind to read-only users;
// deciding on the parsed statement, not on its first word, keeps `EXPLAIN CREATE ...` a read and a
// comment or a DEFINE before a DROP a write.
import type { Statement } from './ast.js';
import { parseStatements } from './index.js';
import type { Variables } from './variables.js';

/**
 * What a state-changing statement is called in messages (`CREATE STREAM`, `TERMINATE`), or null for a
 * statement that only reads. SET, UNSET, DEFINE and UNDEFINE last for their request (ksqlDB's clients
 * keep them and send them again), so they are reads; ALTER SYSTEM persists, so it is a write.
 */
export function stateChange(statement: Statement): string | null {
  switch (statement.kind) {
    case 'CreateSource':
      return `CREATE ${statement.isSource ? 'SOURCE ' : ''}${statement.sourceType}`;
    case 'CreateAsSelect':
      return `CREATE ${statement.sourceType} AS SELECT`;
    case 'CreateConnector':
      return `CREATE ${statement.connectorType} CONNECTOR`;
    case 'InsertInto':
      return 'INSERT INTO ... SELECT';
    case 'InsertValues':
      return 'INSERT INTO ... VALUES';
    case 'DropSource':
      return `DROP ${statement.sourceType}`;
    case 'DropConnector':
      return 'DROP CONNECTOR';
    case 'CreateType':
      return 'CREATE TYPE';
    case 'DropType':
      return 'DROP TYPE';
    case 'AlterSource':
      return `ALTER ${statement.sourceType}`;
    case 'Terminate':
      return 'TERMINATE';
    case 'AlterSystem':
      return 'ALTER SYSTEM';
    case 'QueryStatement':
    case 'List':
    case 'DescribeSource':
    case 'DescribeSources':
    case 'DescribeFunction':
    case 'DescribeConnector':
    case 'Print':
    case 'Explain':
    case 'ExplainQuery':
    case 'SetProperty':
    case 'UnsetProperty':
    case 'DefineVariable':
    case 'UndefineVariable':
    case 'AssertTopic':
    case 'AssertSchema':
      return null;
    default:
      return unknownStatement(statement);
  }
}

/** A statement kind added to the AST but not here is a compile error; at run time it counts as a write. */
function unknownStatement(statement: never): string {
  return (statement as Statement).kind;
}

/**
 * The first state-changing statement of a script, as stateChange names it, or null when every statement
 * reads. A script that does not parse is null too: the engine parses a whole request before running any
 * of it, so it fails with its own parse error and changes nothing.
 */
export function firstStateChange(sql: string, variables?: Variables): string | null {
  let statements: Statement[];
  try {
    statements = parseStatements(sql, variables === undefined ? {} : { variables });
  } catch {
    return null;
  }
  for (const statement of statements) {
    const change = stateChange(statement);
    if (change !== null) return change;
  }
  return null;
}
