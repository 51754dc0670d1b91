// Runs the statements of one /ksql request in order: the ones that change state go through the command
// topic (prepare, append, apply), the others answer from the catalog. SET/UNSET and DEFINE/UNDEFINE
// change the request's properties and variables for the statements after them.
import { streamsPropertyAlias, streamsPropertyShortName } from './property-names.js';
import { parseStatements, type Expression, type Statement } from '../parser/index.js';
import type { DataSource } from '../planner/data-source.js';
import { insertValues } from '../runtime/index.js';
import { prepareAlterSource } from './alter-source.js';
import type { CommandLog } from './command-log.js';
import { currentStatus, type EngineContext, type StatementContext } from './context.js';
import { prepareCreateSource } from './create-source.js';
import { prepareCreateType, prepareDropType } from './custom-types.js';
import { prepareDropSource } from './drop-source.js';
import type { KsqlEntity } from './entities.js';
import { ERROR_CODES, SqlStatementError } from './errors.js';
import { explainQuery, explainStatement } from './explain.js';
import { executeDescribeFunction } from './function-descriptions.js';
import { executeDescribeSource, executeDescribeSources, executeList } from './listings.js';
import { prepareCreateAsSelect, prepareInsertInto } from './persistent-query.js';
import type { PreparedCommand } from './prepared-command.js';
import { StatementError } from './statement-error.js';
import { prepareTerminate } from './terminate.js';
import type { TransientQueries } from './transient-queries.js';

/** ksqlDB's answer to a SELECT or PRINT sent to /ksql. */
export const QUERY_ENDPOINT_MESSAGE =
  "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT";

export interface RequestState {
  /** The request's property overrides, changed by SET and UNSET. */
  readonly overrides: Record<string, string>;
  /** Variables by upper-cased name, changed by DEFINE and UNDEFINE. */
  readonly variables: Map<string, string>;
}

export class StatementExecutor {
  /** The next sequence to read from the command topic (what other servers of the service id ran). */
  #nextToRead = 0;
  /** Sequences this server appended and applied at or past #nextToRead: skipped when read. */
  readonly #appliedHere = new Set<number>();

  constructor(
    private readonly engine: EngineContext,
    private readonly log: CommandLog,
    private readonly transient: TransientQueries,
  ) {}

  async execute(sql: string, state: RequestState): Promise<KsqlEntity[]> {
    let statements: Statement[];
    try {
      statements = parseStatements(sql, { variables: state.variables });
    } catch (error) {
      throw new SqlStatementError(messageOf(error), sql, ERROR_CODES.BAD_STATEMENT);
    }
    const entities: KsqlEntity[] = [];
    for (const statement of statements) {
      if (statement.kind === 'QueryStatement' || statement.kind === 'Print') {
        throw new SqlStatementError(
          QUERY_ENDPOINT_MESSAGE,
          statement.text,
          ERROR_CODES.QUERY_ENDPOINT,
          entities,
        );
      }
      try {
        const entity = await this.executeOne(statement, state);
        if (entity !== undefined) entities.push(entity);
      } catch (error) {
        const quoted = error instanceof StatementError ? error.statementText : undefined;
        throw new SqlStatementError(
          messageOf(error),
          quoted ?? statement.text,
          ERROR_CODES.BAD_STATEMENT,
          entities,
        );
      }
    }
    return entities;
  }

  /**
   * Re-runs the command topic's statements into an empty catalog, then starts the queries left. Called
   * again later, it applies the statements other servers of this service id appended since (ksqlDB's
   * command runner), so that every server runs every persistent query.
   */
  async replay(): Promise<number> {
    const deferredStarts: (() => Promise<void>)[] = [];
    let count = 0;
    for await (const command of this.log.replay(this.#nextToRead)) {
      this.#nextToRead = command.sequence + 1;
      if (this.#appliedHere.delete(command.sequence)) continue;
      const overrides = command.record.streamsProperties;
      const context: StatementContext = {
        engine: this.engine,
        properties: { ...this.engine.serverProperties, ...overrides },
        overrides,
        restoring: true,
        deferredStarts,
      };
      try {
        const [statement] = parseStatements(command.record.statement);
        const prepared = await this.prepare(statement, context);
        if (prepared === undefined) throw new Error(`${statement.kind} is not a command`);
        await prepared.apply(command.sequence);
        count += 1;
      } catch (error) {
        // ksqlDB skips a command that no longer applies (it failed when first run, too) and goes on.
        this.engine.logger.warn(
          { sequence: command.sequence, statement: command.record.statement, err: error },
          'command topic: skipped a statement that failed on replay',
        );
      }
    }
    for (const start of deferredStarts) {
      try {
        await start();
      } catch (error) {
        this.engine.logger.error({ err: error }, 'a persistent query failed to restart');
      }
    }
    return count;
  }

  private context(state: RequestState): StatementContext {
    return {
      engine: this.engine,
      properties: { ...this.engine.serverProperties, ...state.overrides },
      overrides: { ...state.overrides },
      restoring: false,
      deferredStarts: [],
    };
  }

  private async executeOne(statement: Statement, state: RequestState): Promise<KsqlEntity | undefined> {
    const context = this.context(state);
    const prepared = await this.prepare(statement, context);
    if (prepared !== undefined) {
      const logged = prepared.loggedStatement ?? statement.text;
      const sequence = await this.log.append(prepared.commandId, logged, context.overrides);
      if (sequence >= this.#nextToRead) this.#appliedHere.add(sequence);
      const result = await prepared.apply(sequence);
      return currentStatus(
        statement.text,
        prepared.commandId,
        sequence,
        result.message,
        result.queryId ?? null,
      );
    }
    switch (statement.kind) {
      case 'Terminate': {
        // Only a transient query's id gets here (prepare takes persistent ones and ALL).
        const queryId = statement.queryId?.value ?? '';
        await this.transient.close(queryId);
        return {
          '@type': 'terminate_query',
          statementText: statement.text,
          warnings: [],
          queryId,
          wasTerminated: true,
        };
      }
      case 'InsertValues':
        await this.insertValues(statement, context);
        return undefined;
      case 'List':
        return executeList(statement, context, state.variables);
      case 'DescribeSource':
        return executeDescribeSource(statement, context);
      case 'DescribeSources':
        return executeDescribeSources(statement, context);
      case 'DescribeFunction':
        return executeDescribeFunction(statement, context);
      case 'ExplainQuery':
        return explainQuery(statement, context);
      case 'Explain':
        return explainStatement(statement, context, await this.nextSequence());
      case 'SetProperty': {
        state.overrides[statement.name] = statement.value;
        const alias = streamsPropertyAlias(statement.name);
        if (alias !== undefined) state.overrides[alias] = statement.value;
        return undefined;
      }
      case 'UnsetProperty': {
        // Either name takes away both: SET and streamsProperties give a short name its prefixed alias.
        delete state.overrides[statement.name];
        const alias = streamsPropertyAlias(statement.name) ?? streamsPropertyShortName(statement.name);
        if (alias !== undefined) delete state.overrides[alias];
        return undefined;
      }
      case 'DefineVariable':
        state.variables.set(statement.name.toUpperCase(), statement.value);
        return undefined;
      case 'UndefineVariable':
        state.variables.delete(statement.name.toUpperCase());
        return undefined;
      case 'CreateConnector':
      case 'DropConnector':
      case 'DescribeConnector':
        throw new StatementError('Venice runs no Kafka Connect cluster: ksql.connect.url is not configured.');
      default:
        throw new StatementError(`${statement.kind} statements are not supported yet.`);
    }
  }

  /** The command of a statement that changes state; undefined for the others. */
  private async prepare(
    statement: Statement,
    context: StatementContext,
  ): Promise<PreparedCommand | undefined> {
    switch (statement.kind) {
      case 'CreateSource':
        return prepareCreateSource(statement, context);
      case 'CreateAsSelect':
        return prepareCreateAsSelect(statement, context);
      case 'InsertInto':
        return prepareInsertInto(statement, context);
      case 'DropSource':
        return prepareDropSource(statement, context);
      case 'AlterSource':
        return prepareAlterSource(statement, context);
      case 'CreateType':
        return prepareCreateType(statement, context);
      case 'DropType':
        return prepareDropType(statement, context);
      case 'Terminate': {
        const id = statement.queryId?.value;
        if (id !== undefined && this.transient.has(id)) return undefined;
        return prepareTerminate(statement, context);
      }
      default:
        return undefined;
    }
  }

  private async insertValues(
    statement: Extract<Statement, { kind: 'InsertValues' }>,
    context: StatementContext,
  ): Promise<void> {
    const { catalog } = context.engine;
    const name = statement.target.value;
    const target = catalog.source(name);
    if (target === undefined) {
      throw new StatementError(
        `Cannot insert values into an unknown stream/table: \`${name}\`${catalog.alternativesHint(name)}`,
      );
    }
    await this.insertParsed(
      target,
      statement.columns.map((c) => c.value),
      statement.values,
      context.properties,
    );
  }

  /** INSERT VALUES and /inserts-stream: one row into a stream or table declared with CREATE. */
  async insertParsed(
    target: DataSource,
    columns: readonly string[],
    values: readonly Expression[],
    properties: Readonly<Record<string, string>> = this.engine.serverProperties,
  ): Promise<void> {
    if (target.window !== undefined)
      throw new StatementError('Cannot insert values into windowed stream/table!');
    if (target.isSource) {
      throw new StatementError(
        `Cannot insert values into read-only ${target.kind.toLowerCase()}: ${target.name}`,
      );
    }
    const headers = target.schema.value.filter((c) => c.header !== undefined).map((c) => c.name);
    const named = columns.length === 0 ? headers : columns.filter((c) => headers.includes(c));
    if (named.length > 0) throw new StatementError(`Cannot insert into HEADER columns: ${named.join(', ')}`);
    await insertValues(target, columns, values, this.engine.runtimeDeps(properties));
  }

  private async nextSequence(): Promise<number> {
    return this.log.nextSequence();
  }
}

/** Parse, analysis, format and catalog errors alike are the statement's: ksqlDB answers them 40001. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
