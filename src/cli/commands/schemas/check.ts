// `venice schemas check <subject> <file>`: would the registry accept this schema? Exits 1 if not.
import type { Command } from 'commander';
import { addRegistryOptions, withRegistry, type RegistryOptions } from '../../registry-client.js';
import { ExitCode } from '../../output.js';
import { addOutputOptions, printData, type OutputOptions } from '../../render.js';
import {
  referenceOption,
  schemaInput,
  typeOption,
  versionOption,
  type SchemaFileOptions,
} from '../../schema-options.js';
import { compatibilityVerdict, type CompatibilityVerdict } from '../../../views/schemas.js';

interface CheckOptions extends RegistryOptions, OutputOptions, SchemaFileOptions {
  version?: number | 'latest';
}

export function registerSchemasCheck(schemas: Command): void {
  const command = schemas
    .command('check <subject> <file>')
    .description("Check a schema file against the subject's compatibility level; exits 1 when incompatible")
    .option('--type <type>', `AVRO, JSON or PROTOBUF (default: from the file)`, typeOption)
    .option('--reference <name=subject:version>', 'a schema this one references, repeatable', referenceOption)
    .option(
      '--version <v>',
      'check against this version only, instead of what the level requires',
      versionOption,
    );
  addRegistryOptions(addOutputOptions(command))
    .addHelpText(
      'after',
      '\nExamples:\n  venice schemas check orders-value orders-v2.avsc\n' +
        '  venice schemas check orders-value orders-v2.avsc --version 1 --json',
    )
    .action(async (subject: string, file: string, options: CheckOptions) => {
      const input = await schemaInput(file, options);
      const verdict = await withRegistry(options, (client) =>
        compatibilityVerdict(client, subject, input, options.version),
      );
      printData(options, verdict, (checked) => verdictText(checked, file));
      if (!verdict.is_compatible) process.exitCode = ExitCode.failure;
    });
}

function verdictText(verdict: CompatibilityVerdict, file: string): string {
  if (verdict.is_compatible)
    return `Compatible: ${file} can be registered under ${verdict.subject} (${verdict.compatibility}).\n`;
  const verdictLine = `Incompatible with ${verdict.subject} under ${verdict.compatibility}: ${file} cannot be registered`;
  if (verdict.reasons.length === 0) return `${verdictLine}.\n`;
  return [`${verdictLine}:`, ...verdict.reasons.map((reason) => `  - ${reason}`), ''].join('\n');
}
