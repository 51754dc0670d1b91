// EXPLAIN <query id> describes a running persistent query; EXPLAIN <statement> plans a SELECT,
// CREATE ... AS SELECT or INSERT INTO ... SELECT without running it.
import type { ExplainQuery, ExplainStatement } from '../parser/index.js';
import { planQuery, type QueryPlan } from '../planner/index.js';
import { persistentQueryId } from './catalog.js';
import type { StatementContext } from './context.js';
import { describePlan, queryDescription, schemaFields } from './describe.js';
import type { QueryDescriptionEntity } from './entities.js';
import { StatementError } from './statement-error.js';

export function explainQuery(statement: ExplainQuery, context: StatementContext): QueryDescriptionEntity {
  const { catalog } = context.engine;
  const id = statement.queryId.value;
  const query = catalog.query(id);
  if (query === undefined) {
    throw new StatementError(
      `Query with id:${id} does not exist, use SHOW QUERIES to view the full set of queries.`,
    );
  }
  return {
    '@type': 'queryDescription',
    statementText: statement.text,
    warnings: [],
    queryDescription: queryDescription(query, catalog.source(query.sinkName)),
  };
}

export function explainStatement(
  statement: ExplainStatement,
  context: StatementContext,
  nextSequence: number,
): QueryDescriptionEntity {
  const { catalog, functions, planAggregation } = context.engine;
  const inner = statement.statement;
  const options = { functions, properties: context.properties, planAggregation };
  let plan: QueryPlan;
  let id: string;
  let sink: string | undefined;
  switch (inner.kind) {
    case 'QueryStatement':
      plan = planQuery(inner.query, catalog, {
        ...options,
        type: inner.query.emit === undefined ? 'PULL' : 'PUSH',
      });
      id = `transient_${plan.sourceNames[0] ?? 'QUERY'}_${Math.floor(Math.random() * 1e15)}`;
      break;
    case 'CreateAsSelect': {
      const name = inner.name.value;
      sink = name;
      plan = planQuery(inner.query, catalog, {
        ...options,
        type: 'PERSISTENT',
        sink: { kind: 'CREATE', sourceType: inner.sourceType, name },
      });
      id = persistentQueryId('CREATE_AS', inner.sourceType, name, nextSequence);
      break;
    }
    case 'InsertInto': {
      const target = catalog.source(inner.target.value);
      if (target === undefined) throw new StatementError(`${inner.target.value} does not exist.`);
      sink = target.name;
      plan = planQuery(inner.query, catalog, {
        ...options,
        type: 'PERSISTENT',
        sink: { kind: 'INSERT', target },
      });
      id = persistentQueryId('INSERT', 'STREAM', target.name, nextSequence);
      break;
    }
    default:
      throw new StatementError('The provided statement does not run a ksql query');
  }
  const topology = describePlan(plan, sink);
  return {
    '@type': 'queryDescription',
    statementText: statement.text,
    warnings: [],
    queryDescription: {
      id,
      statementText: inner.text,
      windowType: plan.window?.type ?? null,
      fields: schemaFields(plan.schema),
      sources: plan.sourceNames,
      sinks: sink === undefined ? [] : [sink],
      topology,
      executionPlan: topology,
      overriddenProperties: context.overrides,
      queryType: plan.type === 'PERSISTENT' ? 'PERSISTENT' : 'PUSH',
      state: 'UNKNOWN',
    },
  };
}
