// TERMINATE query_id / TERMINATE ALL: stops persistent queries and forgets them; their sinks stay.
import type { Terminate } from '../parser/index.js';
import { commandId, type StatementContext } from './context.js';
import type { PreparedCommand } from './prepared-command.js';
import { StatementError } from './statement-error.js';

export function prepareTerminate(statement: Terminate, context: StatementContext): PreparedCommand {
  const { catalog } = context.engine;
  const requested = statement.queryId?.value;
  if (requested !== undefined && catalog.query(requested) === undefined) {
    throw new StatementError(`Unknown queryId: ${requested}`);
  }
  return {
    commandId: commandId('terminate', requested ?? 'ALL', 'execute'),
    apply: async () => {
      const targets = requested === undefined ? catalog.queries() : [catalog.query(requested)];
      for (const query of targets) {
        if (query === undefined) continue;
        catalog.removeQuery(query.id);
        await query.control?.stop();
      }
      return { message: 'Query terminated.' };
    },
  };
}
