// `venice schemas list` (the default verb): subjects with their latest version, type and compatibility.
import type { Command } from 'commander';
import { addRegistryOptions, withRegistry, type RegistryOptions } from '../../registry-client.js';
import { addOutputOptions, printData, renderTable, type OutputOptions } from '../../render.js';
import { subjectSummaries, type SubjectSummary } from '../../../views/schemas.js';

export function registerSchemasList(schemas: Command): void {
  const command = schemas
    .command('list', { isDefault: true })
    .description('List subjects with their latest version, schema type and compatibility level');
  addRegistryOptions(addOutputOptions(command))
    .addHelpText(
      'after',
      '\nExamples:\n  venice schemas\n  venice schemas list --json\n  venice schemas --format yaml',
    )
    .action(async (options: RegistryOptions & OutputOptions) => {
      const summaries = await withRegistry(options, subjectSummaries);
      printData(options, summaries, summariesText);
    });
}

function summariesText(summaries: readonly SubjectSummary[]): string {
  if (summaries.length === 0)
    return 'No schemas yet. Register one with `venice schemas register <subject> <file>`.\n';
  return (
    renderTable(
      ['subject', 'version', 'id', 'type', 'compatibility'],
      summaries.map((entry) => [
        entry.subject,
        entry.latestVersion,
        entry.id,
        entry.schemaType,
        entry.compatibility,
      ]),
    ) + '\n'
  );
}
