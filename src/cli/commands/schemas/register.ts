// `venice schemas register <subject> <file>`: a new version if the schema changed.
import type { Command } from 'commander';
import { addRegistryOptions, withRegistry, type RegistryOptions } from '../../registry-client.js';
import { addOutputOptions, printData, type OutputOptions } from '../../render.js';
import { referenceOption, schemaInput, typeOption, type SchemaFileOptions } from '../../schema-options.js';
import { registerSchema, type Registration } from '../../../views/schemas.js';

export function registerSchemasRegister(schemas: Command): void {
  const command = schemas
    .command('register <subject> <file>')
    .description('Register the schema in a file under a subject (a new version if it changed)')
    .option('--type <type>', `AVRO, JSON or PROTOBUF (default: from the file)`, typeOption)
    .option(
      '--reference <name=subject:version>',
      'a schema this one references, repeatable',
      referenceOption,
    );
  addRegistryOptions(addOutputOptions(command))
    .addHelpText(
      'after',
      '\nExamples:\n  venice schemas register orders-value orders.avsc\n' +
        '  venice schemas register orders-value order.proto --type PROTOBUF\n' +
        '  venice schemas register orders-value order.proto --reference customer.proto=customer-value:1',
    )
    .action(
      async (subject: string, file: string, options: RegistryOptions & OutputOptions & SchemaFileOptions) => {
        const input = await schemaInput(file, options);
        const registered = await withRegistry(options, (client) => registerSchema(client, subject, input));
        printData(options, registered, registrationText);
      },
    );
}

function registrationText(registered: Registration): string {
  if (registered.alreadyRegistered)
    return `Already registered: ${registered.subject} version ${registered.version} (id ${registered.id}, ${registered.schemaType}) is this schema; nothing changed.\n`;
  return `Registered ${registered.subject} version ${registered.version} (id ${registered.id}, ${registered.schemaType}).\n`;
}
