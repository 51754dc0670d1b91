// The topic a PRINT names. Topic names are case-sensitive; an unquoted name, which the parser
// upper-cases as it does every identifier, is matched regardless of case, so `PRINT orders;` finds
// `orders`. A name that matches nothing gets an error that suggests the near misses.
import type { Kafka } from '../../client/index.js';
import type { Identifier } from '../parser/ast.js';

export async function resolvePrintTopic(kafka: Kafka, name: Identifier): Promise<string> {
  const topics = (await kafka.topics.list({ includeInternal: true })).map((topic) => topic.name);
  if (topics.includes(name.value)) return name.value;
  const lower = name.value.toLowerCase();
  const alike = topics.filter((topic) => topic.toLowerCase() === lower);
  if (!name.quoted && alike.length === 1) return alike[0];
  const suggestions =
    alike.length === 0 ? '' : `\nDid you mean:\n${alike.map((topic) => `\tprint '${topic}';`).join('\n')}`;
  throw new Error(
    `Could not find topic '${name.value}', or the KSQL user does not have permissions to list the topic. ` +
      `Topic names are case-sensitive.${suggestions}`,
  );
}
