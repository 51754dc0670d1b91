// CREATE TYPE [IF NOT EXISTS] name AS type, DROP TYPE [IF EXISTS] name: named types for later columns.
import type { CreateType, DropType } from '../parser/index.js';
import { formatType, fromAst } from '../types/index.js';
import { commandId, type StatementContext } from './context.js';
import type { PreparedCommand } from './prepared-command.js';
import { StatementError } from './statement-error.js';

export function prepareCreateType(statement: CreateType, context: StatementContext): PreparedCommand {
  const { catalog } = context.engine;
  const name = statement.name.value;
  const existing = catalog.type(name);
  if (existing !== undefined && !statement.ifNotExists) {
    throw new StatementError(
      `Cannot register custom type '${name}' since it is already registered with type: ${formatType(existing)}`,
    );
  }
  const type = fromAst(statement.type, (n) => catalog.type(n));
  return {
    commandId: commandId('type', name, 'create'),
    apply: () => {
      const message = catalog.registerType(name, type)
        ? `Registered custom type with name '${name}' and SQL type ${formatType(type)}`
        : `${name} is already registered with type ${formatType(catalog.type(name) ?? type)}`;
      return Promise.resolve({ message });
    },
  };
}

export function prepareDropType(statement: DropType, context: StatementContext): PreparedCommand {
  const { catalog } = context.engine;
  const name = statement.name.value;
  if (catalog.type(name) === undefined && !statement.ifExists) {
    throw new StatementError(`Type ${name} does not exist.`);
  }
  return {
    commandId: commandId('type', name, 'drop'),
    apply: () =>
      Promise.resolve({
        message: catalog.dropType(name) ? `Dropped type '${name}'` : `Type '${name}' does not exist`,
      }),
  };
}
