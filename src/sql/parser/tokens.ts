// Tokens of ksqlDB's SQL dialect, and which words are keywords.
//
// Keywords are matched case-insensitively. ksqlDB splits them in two: reserved words can only be used as
// identifiers when quoted (`SELECT`, "FROM"), non-reserved ones (KEY, TYPE, DATE, ...) double as plain
// identifiers. The two lists follow ksqlDB's grammar so that the same names are accepted and refused.

/** Where a token or AST node starts in the statement text: 1-based line and column, as ksqlDB reports them. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  /**
   * 0-based offset into the text that was tokenized, for cutting a statement's own text out. When
   * variables were substituted, that text is the statement after substitution, not the whole script.
   */
  readonly offset: number;
}

export type TokenKind =
  /** An unquoted word: a keyword or an identifier, told apart by the parser. */
  | 'word'
  /** "double quoted" or `backquoted` identifier: keeps its case, may be a reserved word. */
  | 'quotedIdentifier'
  /** A word that starts with a digit, such as 1ST_COL: always an identifier. */
  | 'digitIdentifier'
  | 'string'
  | 'integer'
  | 'decimal'
  | 'float'
  /** ${name} left in the text: a variable that was not substituted. */
  | 'variable'
  | 'symbol'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The text as written (quotes included). */
  readonly text: string;
  /**
   * The meaning: upper-cased for words (keywords and unquoted identifiers), the unescaped content for
   * strings and quoted identifiers, the name for variables, the symbol itself for symbols.
   */
  readonly value: string;
  readonly pos: SourcePosition;
  /** 0-based offset just past the token. */
  readonly end: number;
}

/** Symbols, longest first so that the lexer matches `<=` before `<`. */
export const SYMBOLS = [
  ':=',
  '->',
  '=>',
  '<>',
  '!=',
  '<=',
  '>=',
  '||',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  ';',
] as const;
export type SymbolText = (typeof SYMBOLS)[number];

/** Keywords that may also be used as unquoted identifiers (ksqlDB's `nonReserved`). */
export const NON_RESERVED_KEYWORDS: ReadonlySet<string> = new Set([
  'SHOW', 'TABLES', 'COLUMNS', 'COLUMN', 'PARTITIONS', 'FUNCTIONS', 'FUNCTION', 'SESSION', 'STRUCT', 'MAP',
  'ARRAY', 'PARTITION', 'INTEGER', 'DATE', 'TIME', 'TIMESTAMP', 'INTERVAL', 'ZONE', 'STRING', 'YEAR', 'MONTH',
  'DAY', 'HOUR', 'MINUTE', 'SECOND', 'EXPLAIN', 'ANALYZE', 'TYPE', 'TYPES', 'SET', 'RESET', 'IF', 'SOURCE',
  'SINK', 'PRIMARY', 'KEY', 'EMIT', 'CHANGES', 'FINAL', 'ESCAPE', 'REPLACE', 'ASSERT', 'ALTER', 'ADD',
  'HEADER', 'HEADERS', 'GRACE', 'PERIOD', 'DEFINE', 'UNDEFINE', 'VARIABLES', 'PLUGINS', 'SYSTEM', 'TIMEOUT',
  'SCHEMA', 'SUBJECT', 'ID',
]); // prettier-ignore

/** Keywords that cannot be unquoted identifiers: using one as a column or source name needs backquotes. */
export const RESERVED_KEYWORDS: ReadonlySet<string> = new Set([
  'SELECT', 'FROM', 'AS', 'ALL', 'DISTINCT', 'WHERE', 'WITHIN', 'WINDOW', 'GROUP', 'BY', 'HAVING', 'LIMIT',
  'AT', 'OR', 'AND', 'IN', 'NOT', 'EXISTS', 'BETWEEN', 'LIKE', 'IS', 'NULL', 'TRUE', 'FALSE', 'MILLISECOND',
  'YEARS', 'MONTHS', 'DAYS', 'HOURS', 'MINUTES', 'SECONDS', 'MILLISECONDS', 'TUMBLING', 'HOPPING', 'SIZE',
  'ADVANCE', 'RETENTION', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'JOIN', 'FULL', 'OUTER', 'INNER', 'LEFT',
  'RIGHT', 'ON', 'WITH', 'VALUES', 'CREATE', 'TABLE', 'TOPIC', 'STREAM', 'STREAMS', 'INSERT', 'DELETE',
  'INTO', 'DESCRIBE', 'EXTENDED', 'PRINT', 'CAST', 'LIST', 'TOPICS', 'QUERY', 'QUERIES', 'TERMINATE', 'LOAD',
  'DROP', 'TO', 'RENAME', 'UNSET', 'SAMPLE', 'EXPORT', 'CATALOG', 'PROPERTIES', 'BEGINNING', 'RUN', 'SCRIPT',
  'DECIMAL', 'CONNECTOR', 'CONNECTORS', 'NAMESPACE', 'MATERIALIZED', 'VIEW',
]); // prettier-ignore

/** Words that begin a statement: what a script expects after each `;`. */
export const STATEMENT_KEYWORDS: ReadonlySet<string> = new Set([
  'SELECT', 'CREATE', 'INSERT', 'DROP', 'TERMINATE', 'SHOW', 'LIST', 'DESCRIBE', 'PRINT', 'EXPLAIN', 'SET',
  'UNSET', 'DEFINE', 'UNDEFINE', 'ALTER', 'ASSERT',
]); // prettier-ignore

/** Describes a token for an error message: the text in quotes, or `<EOF>` as ksqlDB writes it. */
export function describeToken(token: Token): string {
  return token.kind === 'eof' ? '<EOF>' : `'${token.text}'`;
}
