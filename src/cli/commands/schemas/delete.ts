// `venice schemas delete <subject>`: soft-delete a subject or a version; --permanent removes it for good.
import type { Command } from 'commander';
import { addRegistryOptions, withRegistry, type RegistryOptions } from '../../registry-client.js';
import { addOutputOptions, printData, type OutputOptions } from '../../render.js';
import { versionOption } from '../../schema-options.js';

interface DeleteOptions extends RegistryOptions, OutputOptions {
  version?: number | 'latest';
  permanent?: boolean;
}

export function registerSchemasDelete(schemas: Command): void {
  const command = schemas
    .command('delete <subject>')
    .description('Delete a subject or one version: soft first, then --permanent to remove it for good')
    .option('--version <v>', 'delete only this version', versionOption)
    .option('--permanent', 'remove what was soft-deleted before, for good');
  addRegistryOptions(addOutputOptions(command))
    .addHelpText(
      'after',
      '\nExamples:\n  venice schemas delete orders-value\n  venice schemas delete orders-value --permanent\n' +
        '  venice schemas delete orders-value --version 2',
    )
    .action(async (subject: string, options: DeleteOptions) => {
      const permanent = options.permanent ?? false;
      const deleted = await withRegistry(options, async (client) =>
        options.version === undefined
          ? client.deleteSubject(subject, permanent)
          : [await client.deleteVersion(subject, options.version, permanent)],
      );
      printData(options, { subject, versions: deleted, permanent }, () => {
        const how = permanent ? 'Permanently deleted' : 'Soft-deleted';
        const again = `venice schemas delete ${subject}${options.version === undefined ? '' : ` --version ${options.version}`} --permanent`;
        return (
          `${how} ${subject} version(s) ${deleted.join(', ')}.\n` +
          (permanent ? '' : `  Ids stay readable; remove for good with \`${again}\`.\n`)
        );
      });
    });
}
