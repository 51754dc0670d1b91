// The SQL engine: the catalog, the command topic, and the statements' executors behind one facade
// (api.ts) that the REST server, the CLI and the conformance runner use.
import { engineProcessId } from '../runtime/process-id.js';
import { openKafka } from '../../client/index.js';
// The aggregation and join planners register themselves with the core planner when loaded.
import { createAggregationPlanner } from '../planner/aggregation.js';
import '../planner/join.js';
// The client alone: the serdes' index would load every schema library at start.
import { SchemaRegistryClient } from '../../serdes/client.js';
import { createSerde } from '../formats/index.js';
import { createAggregateRegistry } from '../functions/aggregate/index.js';
import { createBuiltinRegistry, createTableFunctionRegistry } from '../functions/index.js';
import { parseStatements } from '../parser/index.js';
import { planQuery } from '../planner/index.js';
import { SqlAnalysisError } from '../planner/errors.js';
import { runPullQuery, startPushQuery, type RuntimeDeps } from '../runtime/index.js';
import type { OpenedStatement, QueryHandle, SqlEngine, SqlEngineOptions, StatementRequest } from './api.js';
import { Catalog } from './catalog.js';
import { CommandLog } from './command-log.js';
import type { EngineContext } from './context.js';
import type { KsqlEntity } from './entities.js';
import { ERROR_CODES, SqlStatementError } from './errors.js';
import { StatementExecutor } from './executor.js';
import { rowToValues } from './insert-row.js';
import { TransientQueries } from './transient-queries.js';
import type { Print } from '../parser/ast.js';
import { printTopic, type TopicPrint } from '../print/topic-printer.js';
import { resolvePrintTopic } from '../print/resolve-topic.js';
import type { Serdes } from '../../serdes/index.js';

export type * from './api.js';
export type * from './entities.js';
export { ERROR_CODES, SqlStatementError } from './errors.js';
export { commandTopicName } from './command-log.js';

export const DEFAULT_SERVICE_ID = 'default_';

/** How long start() retries a schema registry that is not up yet (the registry itself waits 30 s for Kafka). */
const REGISTRY_STARTUP_WAIT_MS = 30_000;
/** How long start() retries a Kafka that is not up yet (`venice up` starts the engine beside the broker). */
const KAFKA_STARTUP_WAIT_MS = 30_000;

/** A UDAF's configured limit (a server property, as ksqlDB reads UDF configs at startup); else the default. */
function limitProperty(properties: Readonly<Record<string, unknown>>, name: string): number | undefined {
  const given = properties[name];
  if (given === undefined || given === '') return undefined;
  const limit = Number(given);
  return Number.isInteger(limit) && limit >= 0 ? limit : undefined;
}

export function createSqlEngine(options: SqlEngineOptions): SqlEngine {
  const serviceId = options.serviceId ?? DEFAULT_SERVICE_ID;
  const kafka = openKafka(options.kafka);
  const registry =
    options.schemaRegistryUrl === undefined
      ? undefined
      : new SchemaRegistryClient({
          url: options.schemaRegistryUrl,
          ...(options.registryFetch ? { fetch: options.registryFetch } : {}),
          // `venice up` starts the registry beside this engine: replaying the command topic waits for it.
          retryUnavailableMs: () => (state === 'STARTING' ? REGISTRY_STARTUP_WAIT_MS : 0),
        });
  const functions = createBuiltinRegistry();
  for (const fn of options.userFunctions ?? []) functions.register(fn);
  const catalog = new Catalog();
  const serverProperties = { 'ksql.service.id': serviceId, ...(options.properties ?? {}) };
  const processId = engineProcessId(options.stateDir);
  const runtimeDeps = (properties: Readonly<Record<string, string>>): RuntimeDeps => ({
    kafka,
    serviceId,
    createSerde: (target) => createSerde(target, registry),
    functions,
    logger: options.logger,
    properties,
    stateDir: options.stateDir,
    processId,
  });
  const aggregates = createAggregateRegistry({
    collectListLimit: limitProperty(serverProperties, 'ksql.functions.collect_list.limit'),
    collectSetLimit: limitProperty(serverProperties, 'ksql.functions.collect_set.limit'),
  });
  const engine: EngineContext = {
    catalog,
    kafka,
    registry,
    functions,
    tableFunctions: createTableFunctionRegistry(),
    aggregates,
    planAggregation: createAggregationPlanner({ aggregates, functions }),
    serviceId,
    logger: options.logger,
    serverProperties,
    runtimeDeps,
  };
  const log = new CommandLog(kafka, serviceId);
  const transient = new TransientQueries();
  const executor = new StatementExecutor(engine, log, transient);
  let state: 'NEW' | 'STARTING' | 'RUNNING' | 'STOPPED' = 'NEW';
  // Statements run one at a time, so that sequence numbers and the catalog change in one order.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task);
    queue = result.catch(() => undefined);
    return result;
  };
  const requireRunning = (): void => {
    if (state !== 'RUNNING') throw new Error(`the SQL engine is not running (${state.toLowerCase()})`);
  };
  let restored = 0;
  let follower: NodeJS.Timeout | undefined;

  // PRINT decodes registry formats with the serdes, whose schema libraries load on the first PRINT.
  let serdes: Promise<Serdes | null> | undefined;
  const printSerdes = (): Promise<Serdes | null> =>
    (serdes ??=
      registry === undefined
        ? Promise.resolve(null)
        : import('../../serdes/index.js').then(({ Serdes }) => new Serdes(registry)));
  const openPrint = async (statement: Print): Promise<TopicPrint> => {
    const topic = await resolvePrintTopic(kafka, statement.topic);
    return printTopic(kafka, printSerdes, {
      topic,
      fromBeginning: statement.fromBeginning,
      interval: statement.interval ?? 1,
      ...(statement.limit === undefined ? {} : { limit: statement.limit }),
    });
  };
  const api: SqlEngine = {
    serviceId,

    async start() {
      if (state !== 'NEW') throw new Error('the SQL engine was already started');
      state = 'STARTING';
      await log.ensureTopic(KAFKA_STARTUP_WAIT_MS);
      restored = await serialized(() => executor.replay());
      state = 'RUNNING';
      // Other servers of this service id append to the same command topic: apply what they ran.
      let following = false;
      follower = setInterval(() => {
        if (following || state !== 'RUNNING') return;
        following = true;
        serialized(() => executor.replay())
          .catch((error: unknown) =>
            options.logger.warn({ err: error }, 'command topic: could not read new commands'),
          )
          .finally(() => (following = false));
      }, COMMAND_FOLLOW_MS);
      follower.unref();
      options.logger.info({ serviceId, commands: restored }, 'SQL engine started');
    },

    async execute(request: StatementRequest): Promise<KsqlEntity[]> {
      requireRunning();
      return serialized(() =>
        executor.execute(request.sql, {
          overrides: stringProperties(request.properties),
          variables: new Map(Object.entries(request.variables ?? {}).map(([k, v]) => [k.toUpperCase(), v])),
        }),
      );
    },

    async query(request: StatementRequest): Promise<QueryHandle> {
      const opened = await api.open(request);
      if (opened.kind === 'query') return opened.handle;
      opened.print.close();
      throw new SqlStatementError(
        'PRINT is answered as lines of text: send it to /query',
        request.sql,
        ERROR_CODES.BAD_STATEMENT,
      );
    },

    async open(request: StatementRequest): Promise<OpenedStatement> {
      requireRunning();
      const variables = new Map(
        Object.entries(request.variables ?? {}).map(([k, v]) => [k.toUpperCase(), v]),
      );
      let statements;
      try {
        statements = parseStatements(request.sql, { variables });
      } catch (error) {
        throw new SqlStatementError((error as Error).message, request.sql);
      }
      const [statement] = statements.filter(
        (s) => s.kind !== 'DefineVariable' && s.kind !== 'UndefineVariable',
      );
      if (statement?.kind === 'Print' && statements.length === 1 + countDefines(statements)) {
        try {
          return { kind: 'print', print: await openPrint(statement) };
        } catch (error) {
          throw new SqlStatementError((error as Error).message, statement.text);
        }
      }
      if (statement?.kind !== 'QueryStatement' || statements.length > 1 + countDefines(statements)) {
        throw new SqlStatementError(
          `Statement type \`${statement?.kind ?? 'empty'}' not supported for this resource`,
          request.sql,
          ERROR_CODES.BAD_STATEMENT,
        );
      }
      const properties = { ...serverProperties, ...stringProperties(request.properties) };
      const pull = statement.query.emit === undefined;
      try {
        const plan = planQuery(statement.query, catalog, {
          type: pull ? 'PULL' : 'PUSH',
          functions,
          properties,
          planAggregation: engine.planAggregation,
        });
        const queryId = `transient_${plan.sourceNames[0] ?? 'QUERY'}_${randomDigits()}`;
        const deps = runtimeDeps(properties);
        if (pull) return { kind: 'query', handle: await runPullQuery({ queryId, plan }, deps) };
        return { kind: 'query', handle: transient.add(await startPushQuery({ queryId, plan }, deps)) };
      } catch (error) {
        const quoted = error instanceof SqlAnalysisError ? error.statementText : undefined;
        throw new SqlStatementError((error as Error).message, quoted ?? statement.text);
      }
    },

    async insertRow(target, row) {
      requireRunning();
      const source = catalog.source(target);
      if (source === undefined) {
        throw new SqlStatementError(
          `Cannot insert values into an unknown stream/table: \`${target}\`${catalog.alternativesHint(target)}`,
          '',
        );
      }
      try {
        const { columns, values } = rowToValues(source, row);
        await executor.insertParsed(source, columns, values);
      } catch (error) {
        throw new SqlStatementError((error as Error).message, '');
      }
    },

    health() {
      return {
        ok: state === 'RUNNING',
        detail: {
          state,
          commandTopic: log.topic,
          restoredCommands: restored,
          persistentQueries: catalog.queries().length,
          pushQueries: transient.size,
        },
      };
    },

    async stop() {
      if (state === 'STOPPED') return;
      state = 'STOPPED';
      clearInterval(follower);
      await queue;
      await transient.closeAll();
      for (const query of catalog.queries()) {
        try {
          await query.control?.stop({ keepState: true });
        } catch (error) {
          options.logger.warn({ queryId: query.id, err: error }, 'a persistent query failed to stop');
        }
      }
      await kafka.close();
    },
  };
  return api;
}

/** How often a running engine reads the command topic for statements other servers ran. */
const COMMAND_FOLLOW_MS = 1_000;

function stringProperties(properties: StatementRequest['properties']): Record<string, string> {
  return Object.fromEntries(Object.entries(properties ?? {}).map(([k, v]) => [k, String(v)]));
}

function countDefines(statements: readonly { kind: string }[]): number {
  return statements.filter((s) => s.kind === 'DefineVariable' || s.kind === 'UndefineVariable').length;
}

function randomDigits(): string {
  return String(Math.floor(Math.random() * 1e15));
}
