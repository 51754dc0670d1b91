// SELECT: the body of push and pull queries, CREATE ... AS SELECT and INSERT INTO ... SELECT.
//   SELECT items FROM source [[type] JOIN source [WITHIN ...] ON cond]... [WINDOW ...] [WHERE ...]
//   [GROUP BY ...] [PARTITION BY ...] [HAVING ...] [EMIT CHANGES|FINAL] [LIMIT n]
import type {
  AliasedSource,
  Duration,
  Expression,
  Join,
  JoinType,
  JoinWithin,
  Query,
  SelectItem,
  WindowExpression,
  WindowOptions,
} from './ast.js';
import type { TokenCursor } from './cursor.js';
import { TIME_UNITS, parseExpressionAt, parseList, parseValueExpression } from './expressions.js';

export function parseQuery(cursor: TokenCursor): Query {
  const pos = cursor.expectKeyword('SELECT').pos;
  const select = parseList(cursor, parseSelectItem);
  cursor.expectKeyword('FROM');
  const from = parseAliasedSource(cursor);
  const joins: Join[] = [];
  for (let join = parseJoin(cursor); join !== undefined; join = parseJoin(cursor)) joins.push(join);
  const window = cursor.acceptKeyword('WINDOW') ? parseWindow(cursor) : undefined;
  const where = cursor.acceptKeyword('WHERE') ? parseExpressionAt(cursor) : undefined;
  const groupBy = acceptClause(cursor, 'GROUP') ? parseGrouping(cursor) : undefined;
  const partitionBy = acceptClause(cursor, 'PARTITION') ? parseGrouping(cursor) : undefined;
  const having = cursor.acceptKeyword('HAVING') ? parseExpressionAt(cursor) : undefined;
  let emit: Query['emit'];
  if (cursor.acceptKeyword('EMIT')) {
    if (cursor.acceptKeyword('CHANGES')) emit = 'CHANGES';
    else if (cursor.acceptKeyword('FINAL')) emit = 'FINAL';
    else throw cursor.error();
  }
  const limit = cursor.acceptKeyword('LIMIT') ? parseLimit(cursor) : undefined;
  return {
    kind: 'Query',
    select,
    from,
    joins,
    ...(window === undefined ? {} : { window }),
    ...(where === undefined ? {} : { where }),
    ...(groupBy === undefined ? {} : { groupBy }),
    ...(partitionBy === undefined ? {} : { partitionBy }),
    ...(having === undefined ? {} : { having }),
    ...(emit === undefined ? {} : { emit }),
    ...(limit === undefined ? {} : { limit }),
    pos,
  };
}

/** `GROUP BY` / `PARTITION BY`: the keyword pair. */
function acceptClause(cursor: TokenCursor, keyword: 'GROUP' | 'PARTITION'): boolean {
  if (!cursor.acceptKeyword(keyword)) return false;
  cursor.expectKeyword('BY');
  return true;
}

function parseSelectItem(cursor: TokenCursor): SelectItem {
  const pos = cursor.pos();
  if (cursor.acceptSymbol('*')) return { kind: 'SelectAll', pos };
  if (cursor.isIdentifier() && cursor.isSymbol('.', 1) && cursor.isSymbol('*', 2)) {
    const source = cursor.expectIdentifier();
    cursor.next();
    cursor.next();
    return { kind: 'SelectAll', source, pos };
  }
  const expression = parseExpressionAt(cursor);
  if (cursor.isSymbol('->') && cursor.isSymbol('*', 1)) {
    cursor.next();
    cursor.next();
    return { kind: 'SelectStructAll', base: expression, pos };
  }
  const alias = cursor.acceptKeyword('AS') ? cursor.expectIdentifier() : cursor.tryIdentifier();
  return { kind: 'SelectExpression', expression, ...(alias === undefined ? {} : { alias }), pos };
}

function parseAliasedSource(cursor: TokenCursor): AliasedSource {
  const name = cursor.expectIdentifier();
  let alias = cursor.acceptKeyword('AS') ? cursor.expectIdentifier() : undefined;
  // EMIT and PARTITION are not reserved, so `FROM s EMIT CHANGES` could read EMIT as an alias: the word
  // after it decides, as ANTLR's lookahead does for ksqlDB.
  const clauseAhead =
    (cursor.isKeyword('EMIT') && (cursor.isKeyword('CHANGES', 1) || cursor.isKeyword('FINAL', 1))) ||
    (cursor.isKeyword('PARTITION') && cursor.isKeyword('BY', 1));
  if (alias === undefined && !clauseAhead) alias = cursor.tryIdentifier();
  return { kind: 'AliasedSource', name, ...(alias === undefined ? {} : { alias }), pos: name.pos };
}

function parseJoin(cursor: TokenCursor): Join | undefined {
  const pos = cursor.pos();
  let type: JoinType = 'INNER';
  if (cursor.acceptKeyword('INNER')) type = 'INNER';
  else if (cursor.acceptKeyword('LEFT')) type = 'LEFT';
  else if (cursor.acceptKeyword('RIGHT')) type = 'RIGHT';
  else if (cursor.acceptKeyword('FULL')) type = 'FULL';
  else if (!cursor.isKeyword('JOIN')) {
    cursor.expect('JOIN');
    return undefined;
  }
  if (type !== 'INNER') cursor.acceptKeyword('OUTER');
  cursor.expectKeyword('JOIN');
  const right = parseAliasedSource(cursor);
  const within = cursor.acceptKeyword('WITHIN') ? parseWithin(cursor) : undefined;
  cursor.expectKeyword('ON');
  const on = parseExpressionAt(cursor);
  return { kind: 'Join', type, right, ...(within === undefined ? {} : { within }), on, pos };
}

function parseWithin(cursor: TokenCursor): JoinWithin {
  const pos = cursor.pos();
  let before: Duration;
  let after: Duration;
  if (cursor.acceptSymbol('(')) {
    before = parseDuration(cursor);
    cursor.expectSymbol(',');
    after = parseDuration(cursor);
    cursor.expectSymbol(')');
  } else {
    before = parseDuration(cursor);
    after = before;
  }
  const grace = parseGrace(cursor);
  return { before, after, ...(grace === undefined ? {} : { grace }), pos };
}

function parseGrace(cursor: TokenCursor): Duration | undefined {
  if (!cursor.acceptKeyword('GRACE')) return undefined;
  cursor.expectKeyword('PERIOD');
  return parseDuration(cursor);
}

/** `5 SECONDS`: a whole number and a unit. */
export function parseDuration(cursor: TokenCursor): Duration {
  const pos = cursor.pos();
  const value = cursor.expectInteger('a number of time units');
  const token = cursor.peek();
  const unit = token.kind === 'word' ? TIME_UNITS.get(token.value) : undefined;
  if (unit === undefined) {
    for (const unitName of ['MILLISECONDS', 'SECONDS', 'MINUTES', 'HOURS', 'DAYS']) cursor.expect(unitName);
    throw cursor.error();
  }
  cursor.next();
  return { value, unit, pos };
}

/** TUMBLING (SIZE d [, RETENTION d] [, GRACE PERIOD d]), HOPPING (SIZE d, ADVANCE BY d, ...), SESSION (d, ...) */
function parseWindow(cursor: TokenCursor): WindowExpression {
  // ksqlDB's grammar allows a name before the window type; it has no meaning, so it is read and dropped.
  if (cursor.isIdentifier() && cursor.peek(1).kind === 'word') {
    cursor.next();
  }
  const pos = cursor.pos();
  if (cursor.acceptKeyword('TUMBLING')) {
    cursor.expectSymbol('(');
    cursor.expectKeyword('SIZE');
    const size = parseDuration(cursor);
    const options = parseWindowOptions(cursor);
    return { kind: 'TumblingWindow', size, ...options, pos };
  }
  if (cursor.acceptKeyword('HOPPING')) {
    cursor.expectSymbol('(');
    cursor.expectKeyword('SIZE');
    const size = parseDuration(cursor);
    cursor.expectSymbol(',');
    cursor.expectKeyword('ADVANCE');
    cursor.expectKeyword('BY');
    const advance = parseDuration(cursor);
    const options = parseWindowOptions(cursor);
    return { kind: 'HoppingWindow', size, advance, ...options, pos };
  }
  if (cursor.acceptKeyword('SESSION')) {
    cursor.expectSymbol('(');
    const gap = parseDuration(cursor);
    const options = parseWindowOptions(cursor);
    return { kind: 'SessionWindow', gap, ...options, pos };
  }
  throw cursor.error();
}

/** `[, RETENTION d] [, GRACE PERIOD d] )`, in that order, as ksqlDB requires. */
function parseWindowOptions(cursor: TokenCursor): WindowOptions {
  let retention: Duration | undefined;
  let grace: Duration | undefined;
  while (cursor.acceptSymbol(',')) {
    if (retention === undefined && grace === undefined && cursor.acceptKeyword('RETENTION')) {
      retention = parseDuration(cursor);
    } else if (grace === undefined) {
      grace = parseGrace(cursor);
      if (grace === undefined) throw cursor.error();
    } else {
      throw cursor.error();
    }
  }
  cursor.expectSymbol(')');
  return { ...(retention === undefined ? {} : { retention }), ...(grace === undefined ? {} : { grace }) };
}

/** `a, b` or `(a, b)` or `()`; value expressions only, so `GROUP BY a AND b` is refused as in ksqlDB. */
function parseGrouping(cursor: TokenCursor): Expression[] {
  if (!isParenthesisedList(cursor)) return parseList(cursor, parseValueExpression);
  cursor.next();
  const items = cursor.isSymbol(')') ? [] : parseList(cursor, parseValueExpression);
  cursor.expectSymbol(')');
  return items;
}

/** Whether a `(` opens a list (`()`, `(a, b)`) rather than one expression in parentheses (`(a + 1) * 2`). */
function isParenthesisedList(cursor: TokenCursor): boolean {
  if (!cursor.isSymbol('(')) return false;
  let depth = 0;
  for (let ahead = 0; cursor.peek(ahead).kind !== 'eof'; ahead++) {
    if (cursor.isSymbol('(', ahead) || cursor.isSymbol('[', ahead)) depth++;
    else if (cursor.isSymbol(')', ahead) || cursor.isSymbol(']', ahead)) depth--;
    else if (depth === 1 && cursor.isSymbol(',', ahead)) return true;
    if (depth === 0) return ahead === 1;
  }
  return false;
}

/**
 * LIMIT's row count. As in ksqlDB, a negative one parses (pull queries refuse it when planned) and a
 * decimal is refused as the AST is built.
 */
function parseLimit(cursor: TokenCursor): number {
  const token = cursor.peek();
  if (token.kind === 'decimal' || token.kind === 'float') {
    throw cursor.preparingErrorAt(token, 'Value must be integer for command: LIMIT', token.pos, false);
  }
  const negative = cursor.isSymbol('-') && cursor.peek(1).kind === 'integer';
  if (negative) cursor.next();
  const count = cursor.expectInteger('a row count');
  return negative ? -count : count;
}
