// Statements of ksqlDB's dialect, one function per leading keyword. A statement's node includes its own
// text so that the server can echo it (ksqlDB's responses carry `statementText`).
import type {
  ColumnConstraint,
  ColumnDefinition,
  Duration,
  Identifier,
  ListTarget,
  Property,
  PropertyValue,
  SourceType,
  Statement,
} from './ast.js';
import type { TokenCursor } from './cursor.js';
import { parseList, parseValueExpression } from './expressions.js';
import { parseDuration, parseQuery } from './query.js';
import { STATEMENT_KEYWORDS } from './tokens.js';
import { parseType } from './types.js';

/** Statement bodies are built without `text` and `pos`; parseStatement adds both. */
type Body<S> = S extends Statement ? Omit<S, 'text' | 'pos'> : never;
type StatementBody = Body<Statement>;

export function parseStatement(cursor: TokenCursor): Statement {
  const first = cursor.peek();
  const body = parseBody(cursor);
  const text = cursor.text.slice(first.pos.offset, cursor.previous().end);
  // Spreading a union loses which member it was; adding the two common fields keeps it a Statement.
  return { ...body, text, pos: first.pos } as Statement;
}

function parseBody(cursor: TokenCursor): StatementBody {
  const token = cursor.peek();
  const word = token.kind === 'word' ? token.value : '';
  switch (word) {
    case 'SELECT':
      return { kind: 'QueryStatement', query: parseQuery(cursor) };
    case 'CREATE':
      return parseCreate(cursor);
    case 'INSERT':
      return parseInsert(cursor);
    case 'DROP':
      return parseDrop(cursor);
    case 'TERMINATE': {
      cursor.next();
      if (cursor.acceptKeyword('ALL')) return { kind: 'Terminate', all: true };
      return { kind: 'Terminate', all: false, queryId: cursor.expectIdentifier() };
    }
    case 'SHOW':
    case 'LIST':
      return parseShow(cursor);
    case 'DESCRIBE':
      return parseDescribe(cursor);
    case 'PRINT':
      return parsePrint(cursor);
    case 'EXPLAIN': {
      cursor.next();
      // EXPLAIN SELECT ... explains a statement; EXPLAIN CSAS_OUT_3 a running query, by id.
      const next = cursor.peek();
      if (next.kind === 'word' && STATEMENT_KEYWORDS.has(next.value)) {
        return { kind: 'Explain', statement: parseStatement(cursor) };
      }
      return { kind: 'ExplainQuery', queryId: cursor.expectIdentifier() };
    }
    case 'SET': {
      cursor.next();
      const name = cursor.expectString();
      cursor.expectSymbol('=');
      return { kind: 'SetProperty', name, value: cursor.expectString() };
    }
    case 'UNSET':
      cursor.next();
      return { kind: 'UnsetProperty', name: cursor.expectString() };
    case 'DEFINE': {
      cursor.next();
      const name = parseVariableName(cursor);
      cursor.expectSymbol('=');
      return { kind: 'DefineVariable', name, value: cursor.expectString() };
    }
    case 'UNDEFINE':
      cursor.next();
      return { kind: 'UndefineVariable', name: parseVariableName(cursor) };
    case 'ALTER':
      return parseAlter(cursor);
    case 'ASSERT':
      return parseAssert(cursor);
  }
  for (const keyword of STATEMENT_KEYWORDS) cursor.expect(keyword);
  throw cursor.error();
}

function parseCreate(cursor: TokenCursor): StatementBody {
  cursor.expectKeyword('CREATE');
  let orReplace = false;
  if (cursor.acceptKeyword('OR')) {
    cursor.expectKeyword('REPLACE');
    orReplace = true;
  }
  if (
    !orReplace &&
    (cursor.isKeyword('SOURCE') || cursor.isKeyword('SINK')) &&
    cursor.isKeyword('CONNECTOR', 1)
  ) {
    const connectorType = cursor.next().value === 'SOURCE' ? 'SOURCE' : 'SINK';
    cursor.next();
    const ifNotExists = parseIfNotExists(cursor);
    const name = cursor.expectIdentifier();
    cursor.expectKeyword('WITH');
    return { kind: 'CreateConnector', connectorType, ifNotExists, name, properties: parseProperties(cursor) };
  }
  if (!orReplace && cursor.acceptKeyword('TYPE')) {
    const ifNotExists = parseIfNotExists(cursor);
    const name = cursor.expectIdentifier();
    cursor.expectKeyword('AS');
    return { kind: 'CreateType', ifNotExists, name, type: parseType(cursor) };
  }
  const isSource = cursor.acceptKeyword('SOURCE');
  const sourceType = parseSourceType(cursor);
  const ifNotExists = parseIfNotExists(cursor);
  const name = cursor.expectIdentifier();
  const columns = cursor.isSymbol('(') ? parseColumns(cursor) : [];
  const properties = cursor.acceptKeyword('WITH') ? parseProperties(cursor) : [];
  if (columns.length === 0 && !isSource && cursor.acceptKeyword('AS')) {
    const start = cursor.peek();
    const query = parseQuery(cursor);
    if (query.limit !== undefined) {
      const problem = `CREATE ${sourceType} AS SELECT statements don't support LIMIT clause.`;
      throw cursor.preparingErrorAt(start, problem, start.pos, false);
    }
    return { kind: 'CreateAsSelect', sourceType, orReplace, ifNotExists, name, properties, query };
  }
  return { kind: 'CreateSource', sourceType, orReplace, isSource, ifNotExists, name, columns, properties };
}

function parseSourceType(cursor: TokenCursor): SourceType {
  if (cursor.acceptKeyword('STREAM')) return 'STREAM';
  if (cursor.acceptKeyword('TABLE')) return 'TABLE';
  throw cursor.error();
}

function parseIfNotExists(cursor: TokenCursor): boolean {
  if (!cursor.acceptKeyword('IF')) return false;
  cursor.expectKeyword('NOT');
  cursor.expectKeyword('EXISTS');
  return true;
}

function parseIfExists(cursor: TokenCursor): boolean {
  if (!cursor.acceptKeyword('IF')) return false;
  cursor.expectKeyword('EXISTS');
  return true;
}

function parseColumns(cursor: TokenCursor): ColumnDefinition[] {
  cursor.expectSymbol('(');
  const columns = parseList(cursor, parseColumn);
  cursor.expectSymbol(')');
  return columns;
}

function parseColumn(cursor: TokenCursor): ColumnDefinition {
  const name = cursor.expectIdentifier();
  const type = parseType(cursor);
  const pos = cursor.pos();
  let constraint: ColumnConstraint | undefined;
  if (cursor.acceptKeyword('PRIMARY')) {
    cursor.expectKeyword('KEY');
    constraint = { kind: 'PrimaryKey', pos };
  } else if (cursor.acceptKeyword('KEY')) {
    constraint = { kind: 'Key', pos };
  } else if (cursor.acceptKeyword('HEADERS')) {
    constraint = { kind: 'Headers', pos };
  } else if (cursor.acceptKeyword('HEADER')) {
    cursor.expectSymbol('(');
    constraint = { kind: 'Header', key: cursor.expectString(), pos };
    cursor.expectSymbol(')');
  }
  return { name, type, ...(constraint === undefined ? {} : { constraint }), pos: name.pos };
}

/** `(name = literal, ...)`; a name is an identifier (upper-cased unless quoted) or a string. */
export function parseProperties(cursor: TokenCursor): Property[] {
  cursor.expectSymbol('(');
  const properties = parseList(cursor, parseProperty);
  cursor.expectSymbol(')');
  return properties;
}

function parseProperty(cursor: TokenCursor): Property {
  const token = cursor.peek();
  let name: string;
  if (token.kind === 'string') {
    name = cursor.expectString();
  } else {
    cursor.expect('a string');
    name = cursor.expectIdentifier().value;
  }
  cursor.expectSymbol('=');
  return { name, value: parsePropertyValue(cursor), pos: token.pos };
}

function parsePropertyValue(cursor: TokenCursor): PropertyValue {
  const value = parseValueExpression(cursor);
  switch (value.kind) {
    case 'NullLiteral':
    case 'BooleanLiteral':
    case 'NumberLiteral':
    case 'StringLiteral':
      return value;
    default:
      throw cursor.errorAt(
        cursor.previous(),
        'a property value must be a literal: a string, a number, TRUE, FALSE or NULL',
        [],
        "quote the value: name='value'",
      );
  }
}

function parseInsert(cursor: TokenCursor): StatementBody {
  cursor.expectKeyword('INSERT');
  cursor.expectKeyword('INTO');
  const target = cursor.expectIdentifier();
  if (cursor.isKeyword('WITH') || cursor.isKeyword('SELECT')) {
    const properties = cursor.acceptKeyword('WITH') ? parseProperties(cursor) : [];
    return { kind: 'InsertInto', target, properties, query: parseQuery(cursor) };
  }
  cursor.expect('SELECT');
  cursor.expect('WITH');
  let columns: Identifier[] = [];
  if (cursor.acceptSymbol('(')) {
    columns = parseList(cursor, (c) => c.expectIdentifier());
    cursor.expectSymbol(')');
  }
  cursor.expectKeyword('VALUES');
  cursor.expectSymbol('(');
  const values = cursor.isSymbol(')') ? [] : parseList(cursor, parseValueExpression);
  cursor.expectSymbol(')');
  return { kind: 'InsertValues', target, columns, values };
}

function parseDrop(cursor: TokenCursor): StatementBody {
  cursor.expectKeyword('DROP');
  if (cursor.acceptKeyword('CONNECTOR')) {
    const ifExists = parseIfExists(cursor);
    return { kind: 'DropConnector', ifExists, name: cursor.expectIdentifier() };
  }
  if (cursor.acceptKeyword('TYPE')) {
    const ifExists = parseIfExists(cursor);
    return { kind: 'DropType', ifExists, name: cursor.expectIdentifier() };
  }
  const sourceType = parseSourceType(cursor);
  const ifExists = parseIfExists(cursor);
  const name = cursor.expectIdentifier();
  let deleteTopic = false;
  if (cursor.acceptKeyword('DELETE')) {
    cursor.expectKeyword('TOPIC');
    deleteTopic = true;
  }
  return { kind: 'DropSource', sourceType, ifExists, name, deleteTopic };
}

const SIMPLE_LISTS: readonly ListTarget[] = ['PROPERTIES', 'FUNCTIONS', 'TYPES', 'VARIABLES'];
const EXTENDED_LISTS: readonly ListTarget[] = ['STREAMS', 'TABLES', 'QUERIES', 'TOPICS', 'CONNECTORS'];

/** SHOW|LIST STREAMS|TABLES|QUERIES|[ALL] TOPICS [EXTENDED], [SOURCE|SINK] CONNECTORS, CONNECTOR PLUGINS, ... */
function parseShow(cursor: TokenCursor): StatementBody {
  cursor.next();
  const all = cursor.acceptKeyword('ALL');
  if (all) {
    cursor.expectKeyword('TOPICS');
    return { kind: 'List', target: 'TOPICS', all, extended: cursor.acceptKeyword('EXTENDED') };
  }
  if (cursor.acceptKeyword('CONNECTOR')) {
    cursor.expectKeyword('PLUGINS');
    return { kind: 'List', target: 'CONNECTOR_PLUGINS', all: false, extended: false };
  }
  if (cursor.isKeyword('SOURCE') || cursor.isKeyword('SINK')) {
    const connectorType = cursor.next().value === 'SOURCE' ? 'SOURCE' : 'SINK';
    cursor.expectKeyword('CONNECTORS');
    return {
      kind: 'List',
      target: 'CONNECTORS',
      all: false,
      extended: cursor.acceptKeyword('EXTENDED'),
      connectorType,
    };
  }
  for (const target of SIMPLE_LISTS) {
    if (cursor.acceptKeyword(target)) return { kind: 'List', target, all: false, extended: false };
  }
  for (const target of EXTENDED_LISTS) {
    if (cursor.acceptKeyword(target)) {
      return { kind: 'List', target, all: false, extended: cursor.acceptKeyword('EXTENDED') };
    }
  }
  cursor.expect('ALL');
  cursor.expect('SOURCE');
  cursor.expect('SINK');
  cursor.expect('CONNECTOR');
  throw cursor.error();
}

function parseDescribe(cursor: TokenCursor): StatementBody {
  cursor.expectKeyword('DESCRIBE');
  // STREAMS and TABLES: TABLES is not reserved, so `DESCRIBE TABLES` could also name a source called
  // TABLES; as in ksqlDB's later versions, the listing wins.
  if (cursor.acceptKeyword('STREAMS')) {
    return { kind: 'DescribeSources', target: 'STREAMS', extended: cursor.acceptKeyword('EXTENDED') };
  }
  if (
    cursor.isKeyword('TABLES') &&
    (cursor.peek(1).kind === 'eof' || cursor.isSymbol(';', 1) || cursor.isKeyword('EXTENDED', 1))
  ) {
    cursor.next();
    return { kind: 'DescribeSources', target: 'TABLES', extended: cursor.acceptKeyword('EXTENDED') };
  }
  if (cursor.isKeyword('FUNCTION') && cursor.isIdentifier(1)) {
    cursor.next();
    return { kind: 'DescribeFunction', name: cursor.expectIdentifier() };
  }
  if (cursor.acceptKeyword('CONNECTOR')) {
    return { kind: 'DescribeConnector', name: cursor.expectIdentifier() };
  }
  // ksqlDB 0.x wrote DESCRIBE EXTENDED name; later versions DESCRIBE name EXTENDED: both are read.
  const extendedFirst = cursor.acceptKeyword('EXTENDED');
  const name = cursor.expectIdentifier();
  const extended = cursor.acceptKeyword('EXTENDED') || extendedFirst;
  return { kind: 'DescribeSource', name, extended };
}

/** PRINT topic [FROM BEGINNING] [INTERVAL|SAMPLE n] [LIMIT n] */
function parsePrint(cursor: TokenCursor): StatementBody {
  cursor.expectKeyword('PRINT');
  const topic = parseResourceName(cursor);
  let fromBeginning = false;
  if (cursor.acceptKeyword('FROM')) {
    cursor.expectKeyword('BEGINNING');
    fromBeginning = true;
  }
  const interval =
    cursor.acceptKeyword('INTERVAL') || cursor.acceptKeyword('SAMPLE')
      ? cursor.expectInteger('an interval')
      : undefined;
  const limit = cursor.acceptKeyword('LIMIT') ? cursor.expectInteger('a record count') : undefined;
  return {
    kind: 'Print',
    topic,
    fromBeginning,
    ...(interval === undefined ? {} : { interval }),
    ...(limit === undefined ? {} : { limit }),
  };
}

/** A topic or subject: an identifier, or a string for names that are not identifiers (my-topic). */
function parseResourceName(cursor: TokenCursor): Identifier {
  const token = cursor.peek();
  if (token.kind === 'string') {
    cursor.next();
    return { kind: 'Identifier', value: token.value, quoted: true, pos: token.pos };
  }
  cursor.expect('a string');
  return cursor.expectIdentifier();
}

/** Variable names are plain words (no quotes), case-insensitive like identifiers. */
function parseVariableName(cursor: TokenCursor): string {
  const token = cursor.peek();
  if (token.kind !== 'word') {
    cursor.expect('a variable name');
    throw cursor.error();
  }
  cursor.next();
  return token.value;
}

function parseAlter(cursor: TokenCursor): StatementBody {
  cursor.expectKeyword('ALTER');
  if (cursor.acceptKeyword('SYSTEM')) {
    const name = cursor.expectString();
    cursor.expectSymbol('=');
    return { kind: 'AlterSystem', name, value: cursor.expectString() };
  }
  const sourceType = parseSourceType(cursor);
  const name = cursor.expectIdentifier();
  const addColumns = parseList(cursor, (c) => {
    c.expectKeyword('ADD');
    c.acceptKeyword('COLUMN');
    const column = c.expectIdentifier();
    return { name: column, type: parseType(c), pos: column.pos };
  });
  return { kind: 'AlterSource', sourceType, name, addColumns };
}

/** ASSERT [NOT EXISTS] TOPIC name [WITH (...)] [TIMEOUT d]; ASSERT [NOT EXISTS] SCHEMA [SUBJECT s] [ID n] [TIMEOUT d] */
function parseAssert(cursor: TokenCursor): StatementBody {
  cursor.expectKeyword('ASSERT');
  let exists = true;
  if (cursor.acceptKeyword('NOT')) {
    cursor.expectKeyword('EXISTS');
    exists = false;
  }
  if (cursor.acceptKeyword('TOPIC')) {
    const topic = parseResourceName(cursor);
    const properties = cursor.acceptKeyword('WITH') ? parseProperties(cursor) : [];
    const timeout = parseTimeout(cursor);
    return { kind: 'AssertTopic', exists, topic, properties, ...(timeout === undefined ? {} : { timeout }) };
  }
  cursor.expectKeyword('SCHEMA');
  const subject = cursor.acceptKeyword('SUBJECT') ? parseResourceName(cursor) : undefined;
  const id = cursor.acceptKeyword('ID') ? cursor.expectInteger('a schema id') : undefined;
  const timeout = parseTimeout(cursor);
  return {
    kind: 'AssertSchema',
    exists,
    ...(subject === undefined ? {} : { subject }),
    ...(id === undefined ? {} : { id }),
    ...(timeout === undefined ? {} : { timeout }),
  };
}

function parseTimeout(cursor: TokenCursor): Duration | undefined {
  return cursor.acceptKeyword('TIMEOUT') ? parseDuration(cursor) : undefined;
}
