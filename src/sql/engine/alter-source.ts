// ALTER STREAM|TABLE name ADD [COLUMN] c type, ...: value columns added to a source declared with CREATE.
import type { AlterSource } from '../parser/index.js';
import { buildColumns } from './columns.js';
import { commandId, type StatementContext } from './context.js';
import type { PreparedCommand } from './prepared-command.js';
import { StatementError } from './statement-error.js';

export function prepareAlterSource(statement: AlterSource, context: StatementContext): PreparedCommand {
  const { catalog } = context.engine;
  const name = statement.name.value;
  const kind = statement.sourceType;
  const source = catalog.source(name);
  if (source?.isSource === true) {
    const lower = kind.toLowerCase();
    throw new StatementError(
      `Cannot alter ${lower} '${name}': ALTER operations are not supported on source ${lower}s.`,
    );
  }
  if (source === undefined) throw new StatementError(`Source ${name} does not exist.`);
  if (source.kind !== kind) {
    throw new StatementError(
      `Incompatible data source type is ${source.kind}, but statement was ALTER ${kind}`,
    );
  }
  if (source.createdByQuery !== undefined) {
    throw new StatementError('ALTER command is not supported for CREATE ... AS statements.');
  }
  const added = buildColumns(statement.addColumns, kind, (n) => catalog.type(n)).map((c) => ({
    ...c,
    namespace: 'VALUE' as const,
  }));
  const existing = new Set([...source.schema.key, ...source.schema.value].map((c) => c.name));
  const clash = added.find((c) => existing.has(c.name));
  if (clash !== undefined) {
    throw new StatementError(
      `Cannot add column \`${clash.name}\` to schema. A column with the same name already exists.`,
    );
  }
  return {
    commandId: commandId(kind.toLowerCase(), name, 'alter'),
    apply: () => {
      const schema = { key: source.schema.key, value: [...source.schema.value, ...added] };
      catalog.putSource({ ...source, schema, sqlText: statement.text }, true);
      return Promise.resolve({ message: `${kind === 'STREAM' ? 'Stream' : 'Table'} ${name} altered.` });
    },
  };
}
