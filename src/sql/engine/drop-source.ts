// DROP STREAM|TABLE [IF EXISTS] name [DELETE TOPIC]: refused while queries insert into or read the source,
// or while sources made from it exist (ksqlDB's messages); drops the source's own CREATE ... AS query.
import { SCHEMA_REGISTRY_FORMATS } from '../formats/index.js';
import type { DropSource } from '../parser/index.js';
import { commandId, type StatementContext } from './context.js';
import type { PreparedCommand } from './prepared-command.js';
import { StatementError } from './statement-error.js';

export function prepareDropSource(statement: DropSource, context: StatementContext): PreparedCommand {
  const { catalog } = context.engine;
  const name = statement.name.value;
  const kind = statement.sourceType;
  const id = commandId(kind.toLowerCase(), name, 'drop');
  const source = catalog.source(name);
  if (source === undefined) {
    if (!statement.ifExists) {
      const title = kind === 'STREAM' ? 'Stream' : 'Table';
      throw new StatementError(`${title} ${name} does not exist.${catalog.alternativesHint(name, kind)}`);
    }
    return { commandId: id, apply: () => Promise.resolve({ message: `Source \`${name}\` does not exist.` }) };
  }
  if (source.kind !== kind) {
    throw new StatementError(
      `Incompatible data source type is ${source.kind.toLowerCase()}, but statement was DROP ${kind.toLowerCase()}`,
    );
  }
  if (source.isSource && statement.deleteTopic) {
    throw new StatementError(`Cannot delete topic for read-only source: ${name}`);
  }
  const inserts = catalog.queries().filter((q) => q.kind === 'INSERT');
  const reading = inserts.filter((q) => q.sourceNames.includes(name)).map((q) => q.id);
  const writing = inserts.filter((q) => q.sinkName === name).map((q) => q.id);
  if (reading.length > 0 || writing.length > 0) {
    throw new StatementError(
      `Cannot drop ${name}.\n` +
        `The following queries read from this source: [${reading.sort().join(', ')}].\n` +
        `The following queries write into this source: [${writing.sort().join(', ')}].\n` +
        `You need to terminate them before dropping ${name}.`,
    );
  }
  const dependents = catalog.sourcesReading(name);
  if (dependents.length > 0) {
    throw new StatementError(
      `Cannot drop ${name}.\n` +
        `The following streams and/or tables read from this source: [${dependents.join(', ')}].\n` +
        `You need to drop them before dropping ${name}.`,
    );
  }

  return {
    commandId: id,
    apply: async () => {
      catalog.removeSource(name);
      const query = catalog.createAsQuery(name);
      if (query !== undefined) {
        catalog.removeQuery(query.id);
        await query.control?.stop();
      }
      if (statement.deleteTopic && !context.restoring) await deleteTopicAndSchemas(context, source);
      return { message: `Source \`${name}\` (topic: ${source.topic}) was dropped.` };
    },
  };
}

async function deleteTopicAndSchemas(
  context: StatementContext,
  source: { topic: string; keyFormat: string; valueFormat: string },
): Promise<void> {
  const { kafka, registry, logger } = context.engine;
  await kafka.topics.delete([source.topic]);
  if (registry === undefined) return;
  // ksqlDB deletes the subjects of the schema-registry formats along with the topic.
  const subjects = [
    SCHEMA_REGISTRY_FORMATS.has(source.keyFormat as never) ? `${source.topic}-key` : undefined,
    SCHEMA_REGISTRY_FORMATS.has(source.valueFormat as never) ? `${source.topic}-value` : undefined,
  ];
  for (const subject of subjects) {
    if (subject === undefined) continue;
    try {
      await registry.deleteSubject(subject);
    } catch (error) {
      logger.debug({ subject, err: error }, 'no schema subject to delete');
    }
  }
}
