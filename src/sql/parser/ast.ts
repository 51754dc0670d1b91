// The typed AST of ksqlDB's dialect. Every node is a discriminated union member (`kind`) and carries the
// position where it starts (`pos`), so that the analyzer can say "line 3:14: unknown column FOO".
//
// Names are already resolved the way ksqlDB resolves them: unquoted identifiers are upper-cased, quoted
// ones ("x" or `x`) keep their case. Numbers keep their source text so that DECIMAL literals keep their
// precision and BIGINT literals are not rounded through a double.
import type { SourcePosition } from './tokens.js';

export type { SourcePosition };

interface Node {
  readonly pos: SourcePosition;
}

/** A name as written: `value` is the resolved name, `quoted` says whether its case was kept. */
export interface Identifier extends Node {
  readonly kind: 'Identifier';
  readonly value: string;
  readonly quoted: boolean;
}

// ---------------------------------------------------------------- types

export type PrimitiveTypeName =
  'BOOLEAN' | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'STRING' | 'BYTES' | 'DATE' | 'TIME' | 'TIMESTAMP';

export type SqlType = PrimitiveType | DecimalType | ArrayType | MapType | StructType | CustomType;

export interface PrimitiveType extends Node {
  readonly kind: 'PrimitiveType';
  readonly name: PrimitiveTypeName;
}
export interface DecimalType extends Node {
  readonly kind: 'DecimalType';
  readonly precision: number;
  readonly scale: number;
}
export interface ArrayType extends Node {
  readonly kind: 'ArrayType';
  readonly element: SqlType;
}
export interface MapType extends Node {
  readonly kind: 'MapType';
  readonly key: SqlType;
  readonly value: SqlType;
}
export interface StructField {
  readonly name: Identifier;
  readonly type: SqlType;
}
export interface StructType extends Node {
  readonly kind: 'StructType';
  readonly fields: readonly StructField[];
}
/** A name registered with CREATE TYPE, resolved by the analyzer. */
export interface CustomType extends Node {
  readonly kind: 'CustomType';
  readonly name: string;
}

// ---------------------------------------------------------------- expressions

export type Expression =
  | NullLiteral
  | BooleanLiteral
  | NumberLiteral
  | StringLiteral
  | TypedLiteral
  | ColumnRef
  | Dereference
  | Subscript
  | UnaryArithmetic
  | BinaryArithmetic
  | Concatenation
  | Comparison
  | LogicalBinary
  | Not
  | Between
  | InList
  | Like
  | IsNull
  | IsDistinctFrom
  | SearchedCase
  | SimpleCase
  | Cast
  | ArrayConstructor
  | MapConstructor
  | StructConstructor
  | FunctionCall
  | Lambda
  | IntervalUnitArgument
  | AtTimeZone;

export interface NullLiteral extends Node {
  readonly kind: 'NullLiteral';
}
export interface BooleanLiteral extends Node {
  readonly kind: 'BooleanLiteral';
  readonly value: boolean;
}
/**
 * ksqlDB types a literal by its shape: digits alone are INTEGER (BIGINT when too large for 32 bits), digits
 * with a point are DECIMAL, with an exponent DOUBLE. `text` is the literal as written, without a sign.
 */
export interface NumberLiteral extends Node {
  readonly kind: 'NumberLiteral';
  readonly type: 'INTEGER' | 'BIGINT' | 'DECIMAL' | 'DOUBLE';
  readonly text: string;
}
export interface StringLiteral extends Node {
  readonly kind: 'StringLiteral';
  readonly value: string;
}
/** `DATE '2024-01-31'`, `TIMESTAMP '...'`: a type name followed by a string, converted by the analyzer. */
export interface TypedLiteral extends Node {
  readonly kind: 'TypedLiteral';
  readonly typeName: string;
  readonly value: string;
}
/** A column (`COL`), a qualified column (`S.COL`), or a pseudo-column such as ROWTIME or WINDOWSTART. */
export interface ColumnRef extends Node {
  readonly kind: 'ColumnRef';
  readonly source?: Identifier;
  readonly name: Identifier;
}
/** `base->field`: a struct field. */
export interface Dereference extends Node {
  readonly kind: 'Dereference';
  readonly base: Expression;
  readonly field: Identifier;
}
/** `base[index]`: an array element (1-based, negative from the end) or a map value. */
export interface Subscript extends Node {
  readonly kind: 'Subscript';
  readonly base: Expression;
  readonly index: Expression;
}
export interface UnaryArithmetic extends Node {
  readonly kind: 'UnaryArithmetic';
  readonly operator: '+' | '-';
  readonly operand: Expression;
}
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
export interface BinaryArithmetic extends Node {
  readonly kind: 'BinaryArithmetic';
  readonly operator: ArithmeticOperator;
  readonly left: Expression;
  readonly right: Expression;
}
export interface Concatenation extends Node {
  readonly kind: 'Concatenation';
  readonly left: Expression;
  readonly right: Expression;
}
/** `!=` is normalised to `<>`. */
export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';
export interface Comparison extends Node {
  readonly kind: 'Comparison';
  readonly operator: ComparisonOperator;
  readonly left: Expression;
  readonly right: Expression;
}
export interface LogicalBinary extends Node {
  readonly kind: 'LogicalBinary';
  readonly operator: 'AND' | 'OR';
  readonly left: Expression;
  readonly right: Expression;
}
export interface Not extends Node {
  readonly kind: 'Not';
  readonly operand: Expression;
}
export interface Between extends Node {
  readonly kind: 'Between';
  readonly negated: boolean;
  readonly value: Expression;
  readonly lower: Expression;
  readonly upper: Expression;
}
export interface InList extends Node {
  readonly kind: 'InList';
  readonly negated: boolean;
  readonly value: Expression;
  readonly list: readonly Expression[];
}
export interface Like extends Node {
  readonly kind: 'Like';
  readonly negated: boolean;
  readonly value: Expression;
  readonly pattern: Expression;
  readonly escape?: string;
}
export interface IsNull extends Node {
  readonly kind: 'IsNull';
  readonly negated: boolean;
  readonly value: Expression;
}
export interface IsDistinctFrom extends Node {
  readonly kind: 'IsDistinctFrom';
  readonly negated: boolean;
  readonly left: Expression;
  readonly right: Expression;
}
export interface WhenClause extends Node {
  readonly when: Expression;
  readonly then: Expression;
}
/** `CASE WHEN cond THEN x ... [ELSE y] END` */
export interface SearchedCase extends Node {
  readonly kind: 'SearchedCase';
  readonly whens: readonly WhenClause[];
  readonly else?: Expression;
}
/** `CASE operand WHEN value THEN x ... [ELSE y] END` */
export interface SimpleCase extends Node {
  readonly kind: 'SimpleCase';
  readonly operand: Expression;
  readonly whens: readonly WhenClause[];
  readonly else?: Expression;
}
export interface Cast extends Node {
  readonly kind: 'Cast';
  readonly value: Expression;
  readonly type: SqlType;
}
export interface ArrayConstructor extends Node {
  readonly kind: 'ArrayConstructor';
  readonly elements: readonly Expression[];
}
export interface MapEntry {
  readonly key: Expression;
  readonly value: Expression;
}
export interface MapConstructor extends Node {
  readonly kind: 'MapConstructor';
  readonly entries: readonly MapEntry[];
}
export interface StructFieldValue {
  readonly name: Identifier;
  readonly value: Expression;
}
export interface StructConstructor extends Node {
  readonly kind: 'StructConstructor';
  readonly fields: readonly StructFieldValue[];
}
/** `F(a, b)`, `COUNT(*)` (`star`), or with lambdas as the last arguments: `TRANSFORM(arr, x => x + 1)`. */
export interface FunctionCall extends Node {
  readonly kind: 'FunctionCall';
  readonly name: Identifier;
  readonly args: readonly Expression[];
  readonly star: boolean;
}
export interface Lambda extends Node {
  readonly kind: 'Lambda';
  readonly params: readonly Identifier[];
  readonly body: Expression;
}
/** A time unit given to a function, as in `TIMESTAMPADD(SECONDS, 5, ts)`. */
export interface IntervalUnitArgument extends Node {
  readonly kind: 'IntervalUnitArgument';
  readonly unit: TimeUnit;
}
export interface AtTimeZone extends Node {
  readonly kind: 'AtTimeZone';
  readonly value: Expression;
  readonly zone: string;
}

// ---------------------------------------------------------------- queries

/** Time units are normalised to the plural; the singular forms mean the same. */
export type TimeUnit = 'MILLISECONDS' | 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS';

export interface Duration extends Node {
  readonly value: number;
  readonly unit: TimeUnit;
}

export type SelectItem = SelectExpression | SelectAll | SelectStructAll;
export interface SelectExpression extends Node {
  readonly kind: 'SelectExpression';
  readonly expression: Expression;
  readonly alias?: Identifier;
}
/** `*` or `source.*` */
export interface SelectAll extends Node {
  readonly kind: 'SelectAll';
  readonly source?: Identifier;
}
/** `struct->*`: every field of a struct as its own column. */
export interface SelectStructAll extends Node {
  readonly kind: 'SelectStructAll';
  readonly base: Expression;
}

export interface AliasedSource extends Node {
  readonly kind: 'AliasedSource';
  readonly name: Identifier;
  readonly alias?: Identifier;
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

/** `WITHIN 10 SECONDS` (before = after) or `WITHIN (1 SECOND, 5 SECONDS)`, with an optional grace period. */
export interface JoinWithin extends Node {
  readonly before: Duration;
  readonly after: Duration;
  readonly grace?: Duration;
}

export interface Join extends Node {
  readonly kind: 'Join';
  readonly type: JoinType;
  readonly right: AliasedSource;
  readonly within?: JoinWithin;
  readonly on: Expression;
}

export interface WindowOptions {
  readonly retention?: Duration;
  readonly grace?: Duration;
}
export type WindowExpression = TumblingWindow | HoppingWindow | SessionWindow;
export interface TumblingWindow extends Node, WindowOptions {
  readonly kind: 'TumblingWindow';
  readonly size: Duration;
}
export interface HoppingWindow extends Node, WindowOptions {
  readonly kind: 'HoppingWindow';
  readonly size: Duration;
  readonly advance: Duration;
}
export interface SessionWindow extends Node, WindowOptions {
  readonly kind: 'SessionWindow';
  readonly gap: Duration;
}

/**
 * A SELECT. With `emit` it is a push query (results keep coming); without, a pull query that returns
 * the current state and ends. As the body of CREATE ... AS SELECT it is always a persistent push query.
 */
export interface Query extends Node {
  readonly kind: 'Query';
  readonly select: readonly SelectItem[];
  readonly from: AliasedSource;
  readonly joins: readonly Join[];
  readonly window?: WindowExpression;
  readonly where?: Expression;
  readonly groupBy?: readonly Expression[];
  readonly partitionBy?: readonly Expression[];
  readonly having?: Expression;
  readonly emit?: 'CHANGES' | 'FINAL';
  readonly limit?: number;
}

// ---------------------------------------------------------------- statements

export type SourceType = 'STREAM' | 'TABLE';

/** A literal given as a WITH property value. */
export type PropertyValue = NullLiteral | BooleanLiteral | NumberLiteral | StringLiteral;

/** `name = literal` in a WITH (...) list; names are upper-cased unless quoted. */
export interface Property extends Node {
  readonly name: string;
  readonly value: PropertyValue;
}

/** KEY (a stream's key column), PRIMARY KEY (a table's), HEADERS (all headers), HEADER('k') (one header). */
export type ColumnConstraint =
  | (Node & { readonly kind: 'Key' })
  | (Node & { readonly kind: 'PrimaryKey' })
  | (Node & { readonly kind: 'Headers' })
  | (Node & { readonly kind: 'Header'; readonly key: string });

export interface ColumnDefinition extends Node {
  readonly name: Identifier;
  readonly type: SqlType;
  readonly constraint?: ColumnConstraint;
}

export type Statement =
  | QueryStatement
  | CreateSource
  | CreateAsSelect
  | CreateConnector
  | InsertInto
  | InsertValues
  | DropSource
  | DropConnector
  | DropType
  | CreateType
  | AlterSource
  | Terminate
  | ListStatement
  | DescribeSource
  | DescribeSources
  | DescribeFunction
  | DescribeConnector
  | Print
  | Explain
  | SetProperty
  | UnsetProperty
  | AlterSystem
  | DefineVariable
  | UndefineVariable
  | AssertTopic
  | AssertSchema;

interface StatementNode extends Node {
  /** The statement's own text, from its first token to its last (the `;` excluded). */
  readonly text: string;
}

export interface QueryStatement extends StatementNode {
  readonly kind: 'QueryStatement';
  readonly query: Query;
}
/** CREATE [OR REPLACE] [SOURCE] STREAM|TABLE [IF NOT EXISTS] name [(columns)] [WITH (...)] */
export interface CreateSource extends StatementNode {
  readonly kind: 'CreateSource';
  readonly sourceType: SourceType;
  readonly orReplace: boolean;
  /** CREATE SOURCE: a read-only source, materialized for pull queries. */
  readonly isSource: boolean;
  readonly ifNotExists: boolean;
  readonly name: Identifier;
  readonly columns: readonly ColumnDefinition[];
  readonly properties: readonly Property[];
}
/** CREATE [OR REPLACE] STREAM|TABLE [IF NOT EXISTS] name [WITH (...)] AS SELECT ... */
export interface CreateAsSelect extends StatementNode {
  readonly kind: 'CreateAsSelect';
  readonly sourceType: SourceType;
  readonly orReplace: boolean;
  readonly ifNotExists: boolean;
  readonly name: Identifier;
  readonly properties: readonly Property[];
  readonly query: Query;
}
export interface CreateConnector extends StatementNode {
  readonly kind: 'CreateConnector';
  readonly connectorType: 'SOURCE' | 'SINK';
  readonly ifNotExists: boolean;
  readonly name: Identifier;
  readonly properties: readonly Property[];
}
export interface InsertInto extends StatementNode {
  readonly kind: 'InsertInto';
  readonly target: Identifier;
  readonly properties: readonly Property[];
  readonly query: Query;
}
export interface InsertValues extends StatementNode {
  readonly kind: 'InsertValues';
  readonly target: Identifier;
  /** Empty when no column list was given: the values then follow the source's columns in order. */
  readonly columns: readonly Identifier[];
  readonly values: readonly Expression[];
}
export interface DropSource extends StatementNode {
  readonly kind: 'DropSource';
  readonly sourceType: SourceType;
  readonly ifExists: boolean;
  readonly name: Identifier;
  readonly deleteTopic: boolean;
}
export interface DropConnector extends StatementNode {
  readonly kind: 'DropConnector';
  readonly ifExists: boolean;
  readonly name: Identifier;
}
export interface CreateType extends StatementNode {
  readonly kind: 'CreateType';
  readonly ifNotExists: boolean;
  readonly name: Identifier;
  readonly type: SqlType;
}
export interface DropType extends StatementNode {
  readonly kind: 'DropType';
  readonly ifExists: boolean;
  readonly name: Identifier;
}
/** ALTER STREAM|TABLE name ADD [COLUMN] c type, ... */
export interface AlterSource extends StatementNode {
  readonly kind: 'AlterSource';
  readonly sourceType: SourceType;
  readonly name: Identifier;
  readonly addColumns: readonly ColumnDefinition[];
}
/** TERMINATE query_id, or TERMINATE ALL (then `queryId` is absent). */
export interface Terminate extends StatementNode {
  readonly kind: 'Terminate';
  readonly all: boolean;
  readonly queryId?: Identifier;
}
export type ListTarget =
  | 'STREAMS'
  | 'TABLES'
  | 'QUERIES'
  | 'TOPICS'
  | 'PROPERTIES'
  | 'FUNCTIONS'
  | 'TYPES'
  | 'VARIABLES'
  | 'CONNECTORS'
  | 'CONNECTOR_PLUGINS';
/** SHOW|LIST ... */
export interface ListStatement extends StatementNode {
  readonly kind: 'List';
  readonly target: ListTarget;
  readonly extended: boolean;
  /** SHOW ALL TOPICS: internal topics too. */
  readonly all: boolean;
  /** SHOW SOURCE|SINK CONNECTORS */
  readonly connectorType?: 'SOURCE' | 'SINK';
}
export interface DescribeSource extends StatementNode {
  readonly kind: 'DescribeSource';
  readonly name: Identifier;
  readonly extended: boolean;
}
export interface DescribeSources extends StatementNode {
  readonly kind: 'DescribeSources';
  readonly target: 'STREAMS' | 'TABLES';
  readonly extended: boolean;
}
export interface DescribeFunction extends StatementNode {
  readonly kind: 'DescribeFunction';
  readonly name: Identifier;
}
export interface DescribeConnector extends StatementNode {
  readonly kind: 'DescribeConnector';
  readonly name: Identifier;
}
/** PRINT topic [FROM BEGINNING] [INTERVAL|SAMPLE n] [LIMIT n]; a topic name in quotes keeps its case. */
export interface Print extends StatementNode {
  readonly kind: 'Print';
  readonly topic: Identifier;
  readonly fromBeginning: boolean;
  readonly interval?: number;
  readonly limit?: number;
}
export type Explain = ExplainStatement | ExplainQuery;
export interface ExplainStatement extends StatementNode {
  readonly kind: 'Explain';
  readonly statement: Statement;
}
export interface ExplainQuery extends StatementNode {
  readonly kind: 'ExplainQuery';
  readonly queryId: Identifier;
}
export interface SetProperty extends StatementNode {
  readonly kind: 'SetProperty';
  readonly name: string;
  readonly value: string;
}
export interface UnsetProperty extends StatementNode {
  readonly kind: 'UnsetProperty';
  readonly name: string;
}
export interface AlterSystem extends StatementNode {
  readonly kind: 'AlterSystem';
  readonly name: string;
  readonly value: string;
}
export interface DefineVariable extends StatementNode {
  readonly kind: 'DefineVariable';
  readonly name: string;
  readonly value: string;
}
export interface UndefineVariable extends StatementNode {
  readonly kind: 'UndefineVariable';
  readonly name: string;
}
export interface AssertTopic extends StatementNode {
  readonly kind: 'AssertTopic';
  /** false for ASSERT NOT EXISTS TOPIC */
  readonly exists: boolean;
  readonly topic: Identifier;
  readonly properties: readonly Property[];
  readonly timeout?: Duration;
}
export interface AssertSchema extends StatementNode {
  readonly kind: 'AssertSchema';
  readonly exists: boolean;
  readonly subject?: Identifier;
  readonly id?: number;
  readonly timeout?: Duration;
}
