// `venice schemas config [subject]`: show or set the compatibility level, globally or for a subject.
import type { Command } from 'commander';
import type { CompatibilityLevel } from '../../../serdes/types.js';
import { COMPATIBILITY_LEVELS } from '../../../serdes/types.js';
import { addRegistryOptions, withRegistry, type RegistryOptions } from '../../registry-client.js';
import { addOutputOptions, printData, type OutputOptions } from '../../render.js';
import { levelOption } from '../../schema-options.js';

export function registerSchemasConfig(schemas: Command): void {
  const command = schemas
    .command('config [subject]')
    .description('Show or set the compatibility level, globally or for one subject')
    .option('--level <level>', `set it: ${COMPATIBILITY_LEVELS.join(', ')}`, levelOption);
  addRegistryOptions(addOutputOptions(command))
    .addHelpText(
      'after',
      '\nExamples:\n  venice schemas config\n  venice schemas config --level FULL\n' +
        '  venice schemas config orders-value --level BACKWARD_TRANSITIVE',
    )
    .action(
      async (
        subject: string | undefined,
        options: RegistryOptions & OutputOptions & { level?: CompatibilityLevel },
      ) => {
        const level = await withRegistry(options, (client) =>
          options.level ? client.setCompatibility(options.level, subject) : client.compatibility(subject),
        );
        const scope = subject ?? 'global';
        printData(options, { subject: subject ?? null, compatibility: level }, () =>
          options.level
            ? `Compatibility of ${scope} set to ${level}.\n`
            : `Compatibility of ${scope}: ${level}\n`,
        );
      },
    );
}
