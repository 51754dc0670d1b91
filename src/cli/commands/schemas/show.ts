// `venice schemas show <subject>`: one version (the latest by default) and its schema.
import type { Command } from 'commander';
import { addRegistryOptions, withRegistry, type RegistryOptions } from '../../registry-client.js';
import { addOutputOptions, printData, type OutputOptions } from '../../render.js';
import { versionOption } from '../../schema-options.js';
import { subjectVersion, type SubjectVersionView } from '../../../views/schemas.js';

export function registerSchemasShow(schemas: Command): void {
  const command = schemas
    .command('show <subject>')
    .description('Show a version of a subject (the latest by default) and its schema')
    .option('--version <v>', 'version number or "latest"', versionOption, 'latest');
  addRegistryOptions(addOutputOptions(command))
    .addHelpText(
      'after',
      '\nExamples:\n  venice schemas show orders-value\n  venice schemas show orders-value --version 2 --json',
    )
    .action(
      async (subject: string, options: RegistryOptions & OutputOptions & { version: number | 'latest' }) => {
        const shown = await withRegistry(options, (client) =>
          subjectVersion(client, subject, options.version),
        );
        printData(options, shown, versionText);
      },
    );
}

function versionText(shown: SubjectVersionView): string {
  const lines = [
    `Subject:       ${shown.subject}`,
    `Version:       ${shown.version} (of ${shown.versions.join(', ')})`,
    `Id:            ${shown.id}`,
    `Type:          ${shown.schemaType}`,
    `Compatibility: ${shown.compatibility}`,
  ];
  if (shown.references?.length)
    lines.push(
      `References:    ${shown.references.map((reference) => `${reference.name}=${reference.subject}:${reference.version}`).join(', ')}`,
    );
  return lines.join('\n') + '\n\n' + prettySchema(shown.schema) + '\n';
}

function prettySchema(schema: string): string {
  try {
    return JSON.stringify(JSON.parse(schema), null, 2);
  } catch {
    return schema;
  }
}
